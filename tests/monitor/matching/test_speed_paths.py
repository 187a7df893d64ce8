"""The matcher's fast paths give what the plain algorithms give.

The scan searches ASCII keys in a boundary projection of the text instead of the text itself, the
fold finds the characters to fold from the UTF-8 bytes instead of a regex, and word counts in ASCII
split the projection instead of running the token regex. Each is compared here with the plain
version it replaced, on texts made to hit its edges: non-ASCII letters and "_" next to a key, keys
that differ only in punctuation, keys at the very start and end, compounds, exact case, characters
that change the length, Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path

import pytest

from monitor.matching import languages, normalize
from monitor.matching.automaton import CHARS_PER_UNSPACED_WORD, Field, TermIndex
from monitor.matching.rules import Term, parse_term

TERMS = [
    "us",
    "=US",
    "eu",
    "data",
    "personal data",
    "data-residency",
    "data residency",
    "u.s.",
    "-language",
    "datenschutz*",
    "*gesetz",
    "straße",
    "数据",
    "跨境",
    "ue",
    "art. 44",
]

TEXTS = [
    "us and US, thus US-based; _us_ and us_ and éus and usé; US",
    "жus usж ΩUS US数 数US «US» us",  # letters that stay non-ASCII next to a key
    "Personal data, personal-data and personal  data; data residency vs data-residency",
    "The U.S. and the u.s. and U.S.A.; a Chinese-language site; -language",
    "Datenschutzgesetz, Bundesdatenschutzgesetz, DATENSCHUTZ und Gesetz; Straße, STRASSE, strasse",
    "数据出境和跨境数据；数据…data…us",
    "que, UE, ue. Art. 44 and art.44 and Art. 445",
    "us",
    "data",
    "",
    "ﬁle datа us\u00adus ee\u0301us",  # ligature, Cyrillic а, soft hyphen, combining accent
]


def _plain_scan(index: TermIndex, fld: Field) -> list[tuple[Term, Hashable, int, int, int, int, str]]:
    """Every key found with str.find in the folded text, then the boundary, compound, case and
    span rules of the scan, in the order the scan promises (text order, longest first; ties in
    the order of one automaton over every key, by end then start)."""
    text, norm = fld.norm.text, fld.norm
    n = len(text)

    unspaced = re.compile(f"[{languages.unspaced_class()}]")

    def word(c: str) -> bool:
        # A Chinese character next to a Latin key is a boundary ("禁用DeepSeek", "欧盟GDPR").
        return (c.isalnum() and not unspaced.match(c)) or c == "_"

    hits = []
    for key in index.keys():
        at = text.find(key)
        while at >= 0:
            hits.append((at + len(key), at, key))
            at = text.find(key, at + 1)
    out = []
    for end, start, key in sorted(hits):
        for term, payload in index._entries[key]:
            s, e = start, end
            if not term.cjk:
                if start > 0 and word(text[start - 1]) and word(text[start]):
                    if not term.open_left:
                        continue
                    while s > 0 and word(text[s - 1]):
                        s -= 1
                if end < n and word(text[end]) and word(text[end - 1]):
                    if not term.open_right:
                        continue
                    while e < n and word(text[e]):
                        e += 1
            if term.exact_case:
                os_, oe = norm.span(start, end)
                if norm.original[os_:oe] != term.text:
                    continue
            os_, oe = norm.span(s, e)
            out.append((term, payload, s, e, os_, oe, norm.original[os_:oe]))
    out.sort(key=lambda m: m[3], reverse=True)
    out.sort(key=lambda m: m[2])
    return out


@pytest.fixture(scope="module")
def index() -> TermIndex:
    built = TermIndex()
    for i, raw in enumerate(TERMS):
        built.add(parse_term(raw), i)
    built.build()
    return built


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("name", ["title", "text"])
def test_the_scan_finds_what_a_plain_search_finds(index: TermIndex, text: str, name: str) -> None:
    fld = Field(name, normalize.normalize(text))
    got = [(m.term, m.payload, m.start, m.end, m.ostart, m.oend, m.surface) for m in index.scan(fld)]
    assert got == _plain_scan(index, fld)


def test_the_edge_cases_are_in_the_texts(index: TermIndex) -> None:
    """The texts above reach the cases the projection must get right (a test of the test)."""
    surfaces = {m.surface for text in TEXTS for m in index.scan(Field("text", normalize.normalize(text)))}
    assert {"us", "US", "Personal data", "data-residency", "data residency", "U.S.", "Datenschutzgesetz"} <= surfaces
    assert "Straße" in surfaces and "数据" in surfaces
    assert not {"éus", "_us_", "жus", "usж"} & surfaces
    glued = index.scan(Field("text", normalize.normalize("US数 数US 禁用DeepSeek")))
    assert {m.start for m in glued if m.surface == "US"} == {0, 5}  # Latin glued to Chinese is a word


FOLD_TEXTS = [
    "Übermittlung an Drittländer, Ärger, Öl, déjà vu, “quotes” – dashes — and € 5",
    "ΣΟΦΟΣ σοφός ς",
    "資料跨境傳輸與數據主權",
    "Straße … ½ ﬁ e\u0301",
    "İstanbul ÇAĞ",
    "plain ascii",
]


@pytest.mark.parametrize("text", FOLD_TEXTS)
def test_the_fold_needs_no_regex_to_find_its_characters(text: str) -> None:
    tables = normalize._tables()
    skip_re = normalize._skip_re(tables.translate, tables.special)
    by_regex = normalize._fold_fast(text, tables, set(skip_re.sub("", text)))
    assert normalize._fold_fast(text, tables) == by_regex
    assert normalize._non_ascii(text) >= set(skip_re.sub("", text))


@pytest.mark.parametrize(
    "text",
    ["data, protection  law", "the_data of 12 U.S. states (and more)", "a-b c.d e'f", "   ", "x" * 50],
)
def test_ascii_word_counts_equal_the_token_regex(text: str) -> None:
    fld = Field("text", normalize.normalize(text))
    assert fld.ascii
    unspaced = languages.unspaced_class()
    token = re.compile(rf"[^\W{unspaced}]+|[{unspaced}]{{1,{CHARS_PER_UNSPACED_WORD}}}")
    for a in range(len(text) + 1):
        for b in range(a + 1, len(text) + 1):
            assert fld.distance(a, b, 40) == len(token.findall(fld.norm.text, a, b)) + 1, (a, b)


@pytest.mark.parametrize(
    "text",
    [
        "网络运营者应当为公安机关、国家安全机关依法维护国家安全和侦查犯罪的活动提供技术支持和协助。" * 3,
        "Die Behörden verlangten die Bestandsdaten — 数据出境 und Datenübermittlung in Drittländer.",
    ],
)
def test_a_non_ascii_word_count_stops_at_the_window_and_is_exact_below_it(text: str) -> None:
    """Counted up to the window only (a gap in a long Chinese law holds hundreds of words), so
    every comparison with the window gives what the full count gives."""
    fld = Field("text", normalize.normalize(text))
    assert not fld.ascii
    unspaced = languages.unspaced_class()
    token = re.compile(rf"[^\W{unspaced}]+|[{unspaced}]{{1,{CHARS_PER_UNSPACED_WORD}}}")
    for window in (1, 3, 10):
        for a in range(0, len(text) + 1, 3):
            for b in range(a + 1, len(text) + 1, 2):
                full = len(token.findall(fld.norm.text, a, b)) + 1
                got = fld.distance(a, b, window)
                assert (got <= window) == (full <= window), (window, a, b)
                if full <= window:
                    assert got == full, (window, a, b)


def _scan_all(index: TermIndex) -> list[list[tuple[object, ...]]]:
    return [
        [
            (m.term, m.payload, m.start, m.end, m.ostart, m.oend, m.surface)
            for m in index.scan(Field(name, normalize.normalize(text)))
        ]
        for text in TEXTS
        for name in ("title", "text")
    ]


def test_automata_built_from_a_cached_plan_scan_as_a_fresh_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.matching import cache

    def built() -> TermIndex:
        fresh = TermIndex()
        for i, raw in enumerate(TERMS):
            fresh.add(parse_term(raw), i)
        fresh.build()
        return fresh

    monkeypatch.setenv(cache.CACHE_ENV, "off")
    expected = _scan_all(built())
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    assert _scan_all(built()) == expected  # plan written
    assert list((tmp_path / "cache").glob("automaton-plan-*.pickle"))
    assert _scan_all(built()) == expected  # plan read


def test_a_keys_metadata_is_made_at_its_first_hit_only() -> None:
    fresh = TermIndex()
    for i, raw in enumerate(TERMS):
        fresh.add(parse_term(raw), i)
    fresh.build()
    assert all(m is None for m in fresh._meta), "nothing is made before a text needs it"
    fresh.scan(Field("text", normalize.normalize("personal data")))
    made = {key for key, m in zip(fresh.keys(), fresh._meta, strict=True) if m is not None}
    assert made == {"personal data", "data"}
