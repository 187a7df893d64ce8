"""The URL gate (``checked_url``), the canonical key, and link resolution that never raises."""

from __future__ import annotations

import pytest

from monitor.urls import InvalidURL, canonical_url, checked_url, join_url, same_site, split_url


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
        # IPv6 literals keep their brackets; the address is written in its compressed form.
        ("http://[2001:DB8:0:0::1]:8080/news/1.html?utm_source=x&id=7", "http://[2001:db8::1]:8080/news/1.html?id=7"),
        ("https://[2001:db8::1]:443/news/", "https://[2001:db8::1]/news/"),
        ("http://[::ffff:192.0.2.1]/x", "http://[::ffff:c000:201]/x"),
        # International names are IDNA-encoded (UTS 46, as browsers do today).
        ("https://Datenschutz-Bücher.example/Presse", "https://xn--datenschutz-bcher-f3b.example/Presse"),
        ("https://straße.example/", "https://xn--strae-oqa.example/"),
        ("http://xn--bcher-kva.example:80/", "http://xn--bcher-kva.example/"),
        # Every spelling of an IPv4 address reads as the address it is.
        ("http://0x7f.1/", "http://127.0.0.1/"),
        ("http://2130706433:8080/a", "http://127.0.0.1:8080/a"),
        ("http://0177.0.0.1/", "http://127.0.0.1/"),
        ("http://host.example:/x", "http://host.example/x"),
        ("http://edpb.example/news/\n2024/x.html", "http://edpb.example/news/2024/x.html"),
        ("  https://cnil.example/a  ", "https://cnil.example/a"),
        ("https://reader@cnil.example/a", "https://reader@cnil.example/a"),
    ],
)
def test_canonical_url(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("http://dpa.example:1:80/news/1.html", "more than one ':'"),
        ("http://2001:db8::1/news/", "more than one ':'"),
        ("//dpa.example/news/1.html", "protocol-relative"),
        ("news/1.html", "not an absolute URL"),
        ("http:///news/1.html", "no host"),
        ("https://:443/news/", "no host"),
        ("http://%31%32%37.0.0.1/", "percent-encoded host"),
        ("http://dpa.example:http/", "port 'http' is not a number"),
        ("http://dpa.example:-1/", "is not a number"),
        ("http://dpa.example:65536/", "out of range"),
        ("http://dpa.example:0/", "out of range"),
        ("http://dpa.example:" + "9" * 5000 + "/", "out of range"),
        ("http://dpa\x1b.example/", "control or space character '\\x1b'"),
        ("http://dpa\x07.example/", "control or space character"),
        ("http://dpa example/", "control or space character ' '"),
        ("http://dpa\u202e.example/", "control or space character"),
        ("http://dpa\t.example/", "control or space character"),
        ("http://" + "a" * 64 + ".example/", "longer than 63"),
        ("http://" + "abcdefgh." * 30 + "example/", "longer than 253"),
        ("http://xn--zz.example/", "not a valid IDNA label"),
        ("http://" + "ü" * 70 + ".example/", "not a valid international host name"),
        ("http://a..example/", "empty label"),
        ("http://[2001:db8::1/news/", "unclosed '['"),
        ("http://[2001:db8::zz]/", "not an IPv6 address"),
        ("http://[fe80::1%25eth0]/", "zone id"),
        ("http://[2001:db8::1]news/", "after the IPv6 address"),
        ("http://dpa.example\\@evil.example/", "backslash"),
        ("http://1.2.3.4.5/", "not a valid IPv4 address"),
        ("http://256.1.1.1/", "not a valid IPv4 address"),
        ("http://dpa.123/", "not a valid IPv4 address"),
        ("ftp://dpa.example/report.pdf", "not an http(s) URL"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("http:/dpa.example/", "no '//'"),
        ("", "empty"),
    ],
)
def test_each_malformed_url_is_refused_with_its_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidURL) as caught:
        checked_url(raw)
    assert reason in caught.value.reason, caught.value.reason
    message = str(caught.value)
    assert message.startswith("invalid URL ") and "\n" not in message and "\x1b" not in message
    assert len(message) < 400
    with pytest.raises(InvalidURL):  # the key is refused by the same gate
        canonical_url(raw)


def test_invalid_url_is_a_value_error_and_keeps_the_url() -> None:
    with pytest.raises(ValueError, match="more than one") as caught:
        checked_url("http://dpa.example:1:80/")
    assert isinstance(caught.value, InvalidURL) and caught.value.url == "http://dpa.example:1:80/"


def test_split_url_gives_one_reading_of_host_and_port() -> None:
    parts = split_url("https://user:pw@[2001:db8::1]:8443/x?y#z")
    assert (parts.scheme, parts.userinfo, parts.host, parts.port, parts.rest) == (
        "https",
        "user:pw",
        "2001:db8::1",
        8443,
        "/x?y#z",
    )
    assert parts.netloc == "[2001:db8::1]:8443" and parts.effective_port == 8443
    # The last '@' ends the userinfo, as browsers read it.
    assert split_url("http://a@b@dpa.example/").host == "dpa.example"
    assert split_url("http://dpa.example/").effective_port == 80


def test_checked_url_keeps_path_and_query_as_written() -> None:
    assert checked_url("HTTP://CNIL.Example:80/Fr/Actu?b=2&a=1#top") == "http://cnil.example/Fr/Actu?b=2&a=1#top"
    assert checked_url("https://[::1]:8443/a") == "https://[::1]:8443/a"


@pytest.mark.parametrize(
    ("link", "joined"),
    [
        ("/news/1.html", "https://dpa.example/news/1.html"),
        ("2.html", "https://dpa.example/news/2.html"),
        ("//cdn.example/x", "https://cdn.example/x"),
        ("http://[2001:db8::1/x", "http://[2001:db8::1/x"),  # returned as written, for the gate to name
        ("http:///x", "http:///x"),  # not read as a path on the page's host
        ("http://dpa.example:1:80/x", "http://dpa.example:1:80/x"),
        ("mailto:press@dpa.example", "mailto:press@dpa.example"),
        ("  /news/3.html\n", "https://dpa.example/news/3.html"),
    ],
)
def test_join_url_never_raises(link: str, joined: str) -> None:
    assert join_url("https://dpa.example/news/", link) == joined


def test_same_site() -> None:
    assert same_site("https://www.cnil.fr/a", "https://cnil.fr/b")
    assert not same_site("https://cnil.fr.evil.example/", "https://cnil.fr/")
    assert same_site("http://[2001:db8::1]:8080/a", "http://[2001:db8::1]/b")
    assert not same_site("http://cnil.fr:1:80/", "https://cnil.fr/")
