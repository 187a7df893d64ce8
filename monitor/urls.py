"""URLs: the one gate every link passes before it is fetched, and the canonical key of an article.

``checked_url`` is that gate. A link found in a feed, listing, sitemap or robots.txt, given on the
command line or configured for a source is fetched only in the form it returns, so one parser
decides the scheme, host and port for the address check, the HTTP client and the stored key alike.
A link it cannot read one way only (a double port, a percent-encoded or empty host, a backslash in
the authority, an unclosed IPv6 bracket, ...) raises ``InvalidURL`` with the reason: the caller
refuses that one link and goes on with the others.

``canonical_url`` is the key that makes an article unique, so tracking parameters must not split it.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import idna
from w3lib.url import canonicalize_url, url_query_cleaner

# Parameters that say where a reader came from, never what they read.
TRACKING_PARAMETERS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "utm_id",
    "utm_name",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "igshid",
    "yclid",
    "ref_src",
    "cmpid",
    "at_medium",
    "at_campaign",
    "xtor",
    "wt_mc",
    "ito",
    "sr_share",
)
TRACKING_PREFIXES = re.compile(r"^(utm_|pk_|mtm_|at_|ga_)", re.IGNORECASE)

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters of an error message's URL: a hostile link must not put a newline or an escape
# sequence into the one line that names it.
SHOWN_CHARS = 200
REASON_CHARS = 40
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# What a registered name may hold once IDNA-encoded: letters, digits, hyphen and (as in many real
# host names, and as browsers accept) underscore.
_ASCII_LABEL = re.compile(r"^[a-z0-9_-]+$")
_HEX_NUMBER = re.compile(r"^0[xX][0-9A-Fa-f]*$")
MAX_LABEL = 63
MAX_HOST = 253
# Leading/trailing characters a URL parser ignores (C0 controls and space), as WHATWG's does.
_EDGES = "".join(chr(code) for code in range(0x21))
_TAB_NEWLINE = str.maketrans("", "", "\t\n\r")


class InvalidURL(ValueError):
    """A link that cannot be fetched as written; ``reason`` says why in a few words."""

    def __init__(self, url: object, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"invalid URL {shown(url)}: {reason}")


def shown(url: object) -> str:
    """The URL quoted for a one-line message: control characters escaped, cut when very long."""
    text = url if isinstance(url, str) else repr(url)
    quoted = ascii(text[:SHOWN_CHARS]) if not text.isprintable() else f"'{text[:SHOWN_CHARS]}'"
    return quoted + ("..." if len(text) > SHOWN_CHARS else "")


def _cut(part: str) -> str:
    """A piece of the URL quoted inside a reason: escaped, and short (the URL itself is shown once)."""
    return ascii(part) if len(part) <= REASON_CHARS else ascii(part[:REASON_CHARS]) + "..."


@dataclass(frozen=True)
class URLParts:
    """A checked http(s) URL: ``host`` is lower-case ASCII (IDNA-encoded; an IPv6 literal without
    its brackets, an IPv4 one in dotted form); ``port`` is None for the scheme's default."""

    scheme: str
    userinfo: str | None
    host: str
    port: int | None
    rest: str  # path, query and fragment, as written

    @property
    def is_ipv6(self) -> bool:
        return ":" in self.host

    @property
    def netloc(self) -> str:
        """Host (bracketed when IPv6) and non-default port, without userinfo."""
        host = f"[{self.host}]" if self.is_ipv6 else self.host
        return f"{host}:{self.port}" if self.port is not None else host

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else DEFAULT_PORTS[self.scheme]

    def geturl(self) -> str:
        userinfo = f"{self.userinfo}@" if self.userinfo is not None else ""
        return f"{self.scheme}://{userinfo}{self.netloc}{self.rest}"


def split_url(url: str) -> URLParts:
    """Parse an absolute http(s) URL, or raise ``InvalidURL`` saying what is wrong with it."""
    if not isinstance(url, str):
        raise InvalidURL(url, f"not a string ({type(url).__name__})")
    text = url.strip(_EDGES)
    if not text:
        raise InvalidURL(url, "empty")
    scheme_match = _SCHEME.match(text)
    if scheme_match is None:
        if text.startswith(("//", "\\\\", "/\\", "\\/")):
            raise InvalidURL(url, "no scheme: a protocol-relative link")
        raise InvalidURL(url, "no scheme: not an absolute URL")
    scheme = scheme_match.group(1).lower()
    if scheme not in SCHEMES:
        raise InvalidURL(url, f"scheme {_cut(scheme)}: not an http(s) URL")
    after = text[scheme_match.end() :]
    if not after.startswith("//"):
        raise InvalidURL(url, "no '//' after the scheme")
    after = after[2:]
    end = min((index for index in (after.find(c) for c in "/?#") if index != -1), default=len(after))
    authority, rest = after[:end], after[end:]
    if "\\" in authority:
        raise InvalidURL(url, "backslash in the host part (browsers read it as '/')")
    userinfo: str | None = None
    if "@" in authority:
        userinfo, _, authority = authority.rpartition("@")
    host, port_text = _split_host_port(url, authority)
    # Tabs and newlines inside a path are dropped, as browsers and ``urlsplit`` drop them (in the
    # host they are refused, see ``_host``: a host is never read two ways).
    rest = rest.translate(_TAB_NEWLINE)
    return URLParts(scheme, userinfo, _host(url, host), _port(url, port_text, scheme), rest)


def _split_host_port(url: str, hostport: str) -> tuple[str, str | None]:
    if hostport.startswith("["):
        close = hostport.find("]")
        if close == -1:
            raise InvalidURL(url, "unclosed '[' in the host")
        literal, tail = hostport[1:close], hostport[close + 1 :]
        if tail and not tail.startswith(":"):
            raise InvalidURL(url, f"{_cut(tail)} after the IPv6 address")
        return f"[{literal}]", tail[1:] if tail else None
    if hostport.count(":") > 1:
        raise InvalidURL(url, f"more than one ':' in {_cut(hostport)} (a double port, or an IPv6 address without [])")
    host, colon, port = hostport.partition(":")
    return host, port if colon else None


def _port(url: str, text: str | None, scheme: str) -> int | None:
    if not text:  # "host:" means the default port
        return None
    if not re.fullmatch(r"[0-9]+", text):
        raise InvalidURL(url, f"port {_cut(text)} is not a number")
    digits = text.lstrip("0") or "0"
    port = int(digits) if len(digits) <= 5 else 0x10000
    if not 1 <= port <= 65535:
        raise InvalidURL(url, f"port {_cut(text)} is out of range (1-65535)")
    return None if port == DEFAULT_PORTS[scheme] else port


def _host(url: str, host: str) -> str:
    if not host:
        raise InvalidURL(url, "no host")
    if host.startswith("["):
        literal = host[1:-1]
        if "%" in literal:
            raise InvalidURL(url, "an IPv6 zone id is not allowed in a link")
        try:
            return ipaddress.IPv6Address(literal).compressed
        except ValueError:
            raise InvalidURL(url, f"{_cut(literal)} is not an IPv6 address") from None
    if "%" in host:
        raise InvalidURL(url, "percent-encoded host")
    bad = next((c for c in host if not c.isprintable() or c.isspace()), None)
    if bad is not None:
        raise InvalidURL(url, f"control or space character {bad!r} in the host")
    if "[" in host or "]" in host:
        raise InvalidURL(url, "'[' or ']' in a host that is not an IPv6 address")
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise InvalidURL(url, f"not a valid international host name ({exc})") from None
    host = host.lower()
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if _is_number(labels[-1]):
        return _ipv4(url, labels)
    if len(name) > MAX_HOST:
        raise InvalidURL(url, f"host longer than {MAX_HOST} characters")
    for label in labels:
        _check_label(url, label)
    return host


def _check_label(url: str, label: str) -> None:
    if not label:
        raise InvalidURL(url, "empty label in the host ('..' or a leading '.')")
    if len(label) > MAX_LABEL:
        raise InvalidURL(url, f"host label longer than {MAX_LABEL} characters")
    if not _ASCII_LABEL.match(label):
        bad = next(c for c in label if not _ASCII_LABEL.match(c))
        raise InvalidURL(url, f"{bad!r} in the host")
    if label.startswith("xn--"):
        try:
            idna.decode(label)
        except (idna.IDNAError, UnicodeError) as exc:
            raise InvalidURL(url, f"{_cut(label)} is not a valid IDNA label ({exc})") from None


def _is_number(label: str) -> bool:
    return bool(label) and (label.isdigit() and label.isascii() or bool(_HEX_NUMBER.match(label)))


def _ipv4(url: str, labels: list[str]) -> str:
    """A host whose last label is a number is an IPv4 address in any of the spellings browsers and
    ``inet_aton`` accept (``127.1``, ``0x7f.0.0.1``, ``2130706433``): read it as they do, into the
    dotted form, so the address check and the client see the same address."""
    try:
        if len(labels) > 4:
            raise ValueError
        numbers = [_ipv4_number(label) for label in labels]
        *head, last = numbers
        if any(part > 255 for part in head) or last >= 256 ** (5 - len(numbers)):
            raise ValueError
    except ValueError:
        raise InvalidURL(url, f"{_cut('.'.join(labels))} is not a valid IPv4 address") from None
    value = sum(part << (8 * (3 - index)) for index, part in enumerate(head)) + last
    return str(ipaddress.IPv4Address(value))


def _ipv4_number(label: str) -> int:
    if _HEX_NUMBER.match(label):
        return int(label[2:] or "0", 16)
    if not (label.isascii() and label.isdigit()):
        raise ValueError(label)
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8)
    if len(label) > 10:
        raise ValueError(label)
    return int(label)


def checked_url(url: str) -> str:
    """The URL to fetch for ``url``: scheme and host normalised (IDNA, brackets kept for IPv6,
    default port dropped), path and query as written. Raises ``InvalidURL``."""
    return split_url(url).geturl()


def join_url(base: str, link: str) -> str:
    """``link`` resolved against the page ``base`` it was found on, never raising.

    A link with its own authority (``http://...``, ``//host/...``) is not joined but returned
    absolute and unchecked, so the gate names what is wrong with it: Python's ``urljoin`` would
    raise on an unclosed IPv6 bracket, and read ``http:///x`` as a path on the page's own host
    where a browser reads host ``x``.
    """
    link = link.strip(_EDGES)
    scheme_match = _SCHEME.match(link)
    if scheme_match is not None:
        after = link[scheme_match.end() :]
        if scheme_match.group(1).lower() not in SCHEMES or after.startswith(("//", "\\")):
            return link
    elif link.startswith(("//", "\\\\", "/\\", "\\/")):
        base_scheme = _SCHEME.match(base)
        return f"{base_scheme.group(1).lower() if base_scheme else 'http'}:{link}"
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def is_tracking_parameter(name: str) -> bool:
    """A query parameter that says where a reader came from (``utm_source``, ``fbclid``, ...)."""
    return name in TRACKING_PARAMETERS or bool(TRACKING_PREFIXES.match(name))


def request_url(url: str) -> str:
    """The form of ``url`` a crawl requests: ``checked_url``'s, without its fragment and tracking
    parameters, the other parameters as written and in their order.

    Applied before a request is made, so ``/a?utm_source=x`` and ``/a#top`` are one request, for
    one URL, as they are one article (``canonical_url``). Not sorted or re-encoded: a server may
    read its query in order. Raises ``InvalidURL``.
    """
    parts = split_url(url)
    rest = parts.rest.split("#", 1)[0]
    path, question, query = rest.partition("?")
    if question:
        kept = [
            pair for pair in query.split("&") if pair and not is_tracking_parameter(unquote_plus(pair.split("=", 1)[0]))
        ]
        rest = f"{path}?{'&'.join(kept)}" if kept else path
    return URLParts(parts.scheme, parts.userinfo, parts.host, parts.port, rest).geturl()


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted query.

    Raises ``InvalidURL`` for a URL that ``checked_url`` refuses.
    """
    parts = split_url(url)
    cleaned = urlsplit(url_query_cleaner(parts.geturl(), TRACKING_PARAMETERS, remove=True, keep_fragments=False))
    query = "&".join(
        pair for pair in cleaned.query.split("&") if pair and not TRACKING_PREFIXES.match(pair.split("=", 1)[0])
    )
    netloc = parts.netloc
    if parts.userinfo is not None:
        netloc = f"{parts.userinfo.split(':', 1)[0]}@{netloc}"
    return canonicalize_url(urlunsplit((parts.scheme, netloc, cleaned.path or "/", query, "")))


def host_of(url: str) -> str | None:
    """The checked host of ``url`` (see ``URLParts.host``), or None when the gate refuses the URL."""
    try:
        return split_url(url).host
    except InvalidURL:
        return None


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on one host (a leading ``www.`` ignored); False when either is invalid."""
    first = (host_of(url) or "").removeprefix("www.")
    second = (host_of(other) or "").removeprefix("www.")
    return bool(first) and first == second
