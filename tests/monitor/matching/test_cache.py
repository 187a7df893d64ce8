"""The matcher's disk cache: a hit gives what a build gives, any change of input is a miss, and a
broken or foreign cache never breaks a command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from monitor.matching import cache
from monitor.matching.watchlist import load_watchlist
from tests.helpers.paths import REPO_ROOT


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(directory))
    return directory


def test_a_hit_returns_what_the_build_returned_without_building(cache_dir: Path) -> None:
    builds: list[int] = []

    def build() -> dict[str, list[int]]:
        builds.append(1)
        return {"value": [1, 2, 3]}

    assert cache.cached("demo", b"key", build) == {"value": [1, 2, 3]}
    assert cache.cached("demo", b"key", build) == {"value": [1, 2, 3]}
    assert len(builds) == 1
    assert cache.cached("demo", b"other key", build) == {"value": [1, 2, 3]}
    assert len(builds) == 2
    assert len(list(cache_dir.glob("demo-*.pickle"))) == 1, "a superseded entry of a kind is removed"


def test_an_edited_watchlist_is_parsed_again(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "watchlists.yaml"
    original = (REPO_ROOT / "config" / "watchlists.yaml").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    first = load_watchlist(path)
    assert load_watchlist(path) == first
    path.write_text(original.replace("label: Data localization", "label: Data residency", 1), encoding="utf-8")
    edited = load_watchlist(path)
    labels = {topic.id: topic.label for topic in edited.topics}
    assert labels["data_localization"] == "Data residency"
    assert {topic.id: topic.label for topic in first.topics}["data_localization"] == "Data localization"


def test_a_corrupt_entry_is_rebuilt(cache_dir: Path) -> None:
    cache.cached("demo", b"key", lambda: "good")
    for entry in cache_dir.glob("demo-*.pickle"):
        entry.write_bytes(b"\x80\x04not a pickle")
    assert cache.cached("demo", b"key", lambda: "rebuilt") == "rebuilt"
    assert cache.cached("demo", b"key", lambda: "unused") == "rebuilt"


def test_a_directory_others_can_write_is_not_read(cache_dir: Path) -> None:
    cache.cached("demo", b"key", lambda: "first")
    os.chmod(cache_dir, 0o777)  # noqa: S103 - the unsafe directory this test is about
    assert cache.cached("demo", b"key", lambda: "built") == "built"


def test_off_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() is None
    assert cache.cached("demo", b"key", lambda: "built") == "built"
    assert not any(tmp_path.rglob("*.pickle"))
