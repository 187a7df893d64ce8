from __future__ import annotations

import pytest

from monitor.urls import canonical_url, same_site


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (
            "HTTPS://WWW.CNIL.fr:443/fr/actualites?utm_source=rss&utm_medium=feed#main",
            "https://www.cnil.fr/fr/actualites",
        ),
        ("https://x.example/a?b=2&a=1&fbclid=abc", "https://x.example/a?a=1&b=2"),
        ("https://x.example/n?page=2&pk_campaign=nl&mtm_source=x", "https://x.example/n?page=2"),
        ("http://127.0.0.1:8080/x/", "http://127.0.0.1:8080/x/"),
        ("https://x.example", "https://x.example/"),
        ("https://x.example/caf%C3%A9", "https://x.example/caf%C3%A9"),
    ],
)
def test_canonical_url(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical


def test_same_site() -> None:
    assert same_site("https://www.cnil.fr/a", "https://cnil.fr/b")
    assert not same_site("https://cnil.fr.evil.example/", "https://cnil.fr/")
