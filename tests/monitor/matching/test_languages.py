"""Every language-aware module reads monitor/matching/languages.py: a language added to the registry
reaches all of them, which is what makes "Adding a language" (README) three edits and not nine."""

from __future__ import annotations

import gettext
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pycountry
import pytest

from monitor.dedupe.similarity import words
from monitor.errors import ConfigError
from monitor.extraction.language import detect_language
from monitor.matching import CountryMatcher, Matcher, languages
from monitor.matching.automaton import Field
from monitor.matching.gazetteer import _pycountry_names
from monitor.matching.languages import Language, Script
from monitor.matching.normalize import fold, normalize
from monitor.matching.rules import parse_term
from monitor.matching.watchlist import load_watchlist

# Thai stands in for a new language: unspaced, its own script, its own pycountry catalogue, and
# not registered today. The function word is made up, so that only the registry can supply it.
THAI = Script("Thai", spaced=False, letters=((0x0E00, 0x0E7F),), folded=((0x0E00, 0x0E7F),))
NEW = Language("th", "Thai", (THAI,), watchlist=True, gettext_locales=("th",), function_words=frozenset({"zzfw"}))
THAI_TEXT = "ประเทศไทยออกกฎหมายคุ้มครองข้อมูลส่วนบุคคลฉบับใหม่สำหรับบริษัทต่างชาติ"
WATCHLIST = """
topics:
  personal_data:
    terms:
      th: [คุ้มครองข้อมูล]
"""


@pytest.fixture
def new_language() -> Iterator[Language]:
    languages.register(NEW)
    try:
        yield NEW
    finally:
        languages.unregister(NEW.code)


@pytest.fixture
def thai_watchlist(tmp_path: Path) -> Path:
    path = tmp_path / "watchlists.yaml"
    path.write_text(WATCHLIST, encoding="utf-8")
    return path


def _jordan(watchlists_path: Path) -> list[str]:
    countries = CountryMatcher(load_watchlist(watchlists_path).countries)
    return [c.code for c in countries.match("", "Zzfw Jordan signed the data agreement.")]


def test_no_consumer_knows_the_language_before_it_is_registered(
    thai_watchlist: Path, watchlists_path: Path, eval_score: ModuleType, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="unknown language"):
        load_watchlist(thai_watchlist)
    assert ("ไทย", "TH") not in _pycountry_names()
    assert fold("ข้อมูล") == "ข้อมูล"
    assert not parse_term("ข้อมูล").cjk
    assert Field("text", normalize("ไทยไทยไทย")).distance(0, 9, 10) == 2  # one word
    assert words("ไทยไทย") == ["ไทยไทย"]
    assert detect_language(THAI_TEXT) != "th"
    assert _jordan(watchlists_path) == []  # "Zzfw" read as a first name
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "th-1", "lang": "th", "title": "", "text": "", "topics": [], "countries": []}))
    with pytest.raises(ValueError, match="not a watchlist language"):
        eval_score.load_corpus(corpus)


def test_a_registered_language_reaches_every_consumer(
    new_language: Language, thai_watchlist: Path, watchlists_path: Path, eval_score: ModuleType, tmp_path: Path
) -> None:
    # watchlist.py: its code is a key of terms:
    watchlist = load_watchlist(thai_watchlist)
    # gazetteer.py: its pycountry catalogue
    assert ("ไทย", "TH") in _pycountry_names()
    # normalize.py: its script's blocks are folded (Thai tone marks are combining marks)
    assert fold("ข้อมูล") == "ขอมล"
    # rules.py and automaton.py: an unspaced script, so no word boundaries, two letters a word
    assert parse_term("ข้อมูล").cjk
    assert Field("text", normalize("ไทยไทยไทย")).distance(0, 9, 10) == 6
    # all of it together: a term and a country name inside an unspaced sentence
    from monitor.matching.topics import TopicMatcher

    result = Matcher(TopicMatcher(watchlist), CountryMatcher(watchlist.countries)).match("", THAI_TEXT, "th")
    assert [t.topic for t in result.topics] == ["personal_data"]
    assert [c.code for c in result.countries] == ["TH"]
    # monitor/dedupe: one character a shingle word
    assert words("ไทยไทย") == list("ไทยไทย")
    # monitor/extraction/language.py: the detector may answer it
    assert detect_language(THAI_TEXT) == "th"
    # countries.py: its function words are not first names
    assert _jordan(watchlists_path) == ["JO"]
    # eval/score.py: corpus texts in it
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "th-1", "lang": "th", "title": "", "text": "", "topics": [], "countries": []}))
    assert [item["id"] for item in eval_score.load_corpus(corpus)] == ["th-1"]


def test_unregistering_restores_the_derived_values(new_language: Language) -> None:
    before = (languages.watchlist_codes(), languages.fold_ranges(), languages.unspaced_class())
    languages.unregister(new_language.code)
    try:
        assert "th" not in languages.watchlist_codes() and "th" not in languages.detected_codes()
        assert (languages.watchlist_codes(), languages.fold_ranges(), languages.unspaced_class()) != before
        assert not languages.unspaced_re().search("ไทย")
    finally:
        languages.register(new_language)
    with pytest.raises(ValueError, match="already registered"):
        languages.register(new_language)


def test_the_registry_is_usable_by_its_consumers() -> None:
    codes = languages.detected_codes()
    assert len(codes) == len(set(codes))
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    known = set(LanguageIdentifier.from_model_file(MODEL_FILE).nb_classes)
    assert set(codes) <= known, "the detector cannot answer these"
    for locale in languages.gettext_locales():
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])  # raises when missing
    for language in languages.LANGUAGES:
        assert all(w == w.lower() for w in language.function_words), language.code
        for script in language.scripts:
            assert all(lo <= hi for lo, hi in script.letters + script.folded), script.name
    # The shingler's unspaced scripts today: kana, Han, Hangul (stored signatures depend on them).
    assert languages.unspaced_class() == "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
