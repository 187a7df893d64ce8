"""``monitor.settings_defaults`` and ``monitor.scrapy_settings``: each MONITOR_* setting defined once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from scrapy.utils.test import get_crawler

from monitor.config import load_config
from monitor.scrapy_settings import scrapy_settings
from monitor.settings_defaults import DEFAULTS
from spiders.middlewares.retry import BackoffRetryMiddleware
from tests.helpers import CONFIG_DIR, REPO_ROOT

# A read of a MONITOR_* setting: settings.get("X"), .getint("X", ...), settings["X"].
READ = re.compile(r"""settings(?:\.get\w*\(|\[)\s*["'](MONITOR_\w+)["']\s*([,)\]])""")
SOURCES = sorted(path for folder in ("monitor", "spiders", "pipelines") for path in (REPO_ROOT / folder).rglob("*.py"))


def _reads() -> list[tuple[str, str, str]]:
    return [
        (str(path.relative_to(REPO_ROOT)), name, after)
        for path in SOURCES
        for name, after in READ.findall(path.read_text(encoding="utf-8"))
    ]


def test_every_setting_read_is_defined_with_its_default_and_read_without_one() -> None:
    reads = _reads()
    assert len({name for _path, name, _after in reads}) >= 10, reads  # the pattern still finds them
    undefined = [(path, name) for path, name, _after in reads if name not in DEFAULTS]
    assert not undefined, "define these in monitor/settings_defaults.py"
    with_default = [(path, name) for path, name, after in reads if after == ","]
    assert not with_default, "read without a call-site default; the default lives in monitor/settings_defaults.py"


def test_every_default_is_read_somewhere() -> None:
    read = {name for _path, name, _after in _reads()}
    assert set(DEFAULTS) - read == set(), "a default nothing reads"


def test_a_crawl_starts_from_the_defaults_and_the_config_overrides_them(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    for name in ("sources.yaml", "watchlists.yaml"):
        (config_dir / name).write_text((CONFIG_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (config_dir / "monitor.yaml").write_text(
        yaml.safe_dump({"politeness": {"retry_backoff": 7, "max_pages_per_listing": 9}}), encoding="utf-8"
    )
    settings = scrapy_settings(load_config(config_dir))
    assert set(DEFAULTS) <= set(settings)
    assert settings["MONITOR_RETRY_BACKOFF"] == 7
    assert settings["MONITOR_MAX_PAGES_PER_LISTING"] == 9
    assert settings["MONITOR_RETRY_AFTER_CAP"] == DEFAULTS["MONITOR_RETRY_AFTER_CAP"]
    assert settings["MONITOR_NEAR_DUPLICATE_DAYS"] == DEFAULTS["MONITOR_NEAR_DUPLICATE_DAYS"] > 0


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {},
            (
                DEFAULTS["MONITOR_RETRY_BACKOFF"],
                DEFAULTS["MONITOR_RETRY_BACKOFF_MAX"],
                DEFAULTS["MONITOR_RETRY_AFTER_CAP"],
            ),
        ),
        (
            {"MONITOR_RETRY_BACKOFF": 0.5, "MONITOR_RETRY_AFTER_CAP": 5},
            (0.5, DEFAULTS["MONITOR_RETRY_BACKOFF_MAX"], 5.0),
        ),
    ],
)
def test_the_retry_middleware_gets_its_values_from_the_crawler_settings(
    settings: dict[str, object], expected: tuple[float, float, float]
) -> None:
    middleware = BackoffRetryMiddleware.from_crawler(get_crawler(settings_dict={**DEFAULTS, **settings}))
    assert (middleware.backoff, middleware.backoff_max, middleware.retry_after_cap) == expected
