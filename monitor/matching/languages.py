"""The languages news-monitor knows, in one table that every language-aware module reads.

Adding a language to the matchers touches three places (README, "Adding a language"): its entry
here with ``watchlist=True``, its terms in config/watchlists.yaml and its texts in
eval/corpus.jsonl. Everything else is derived from this table:

- the watchlist's ``terms:`` keys (``watchlist.py``) and the eval's ``lang`` values (``eval/score.py``);
- the pycountry translations of country names (``gazetteer.py``);
- the code points the normalizer folds (``normalize.py``);
- what an unspaced script is: terms without word boundaries (``rules.py``), two characters a word
  in NEAR windows (``automaton.py``), one character a word in shingles (``monitor/dedupe``);
- the words the person-name filter does not take for a first name (``countries.py``);
- the languages the detector may answer (``monitor/extraction/language.py``), a superset.

This module imports nothing of the project, so that extraction and dedupe can read it cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

CodeRange = tuple[int, int]  # inclusive code-point range


@dataclass(frozen=True)
class Script:
    name: str
    # False: words are not separated by spaces, so terms match without word boundaries and each
    # character counts as (part of) a word.
    spaced: bool
    letters: tuple[CodeRange, ...]  # what counts as this script in a text
    # The blocks the normalizer folds for a watchlist language in this script: its letters plus its
    # marks, punctuation and compatibility forms.
    folded: tuple[CodeRange, ...]


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1: what the detector answers and the key under a topic's ``terms:``
    name: str
    scripts: tuple[Script, ...]
    # True: the watchlists, the gazetteer and the eval cover it. False: detected only (a page in it
    # is still matched against every term: instrument names and English terms occur everywhere).
    watchlist: bool = False
    # pycountry iso3166-1 gettext catalogues of its country names (English is pycountry's own).
    gettext_locales: tuple[str, ...] = ()
    # Lower-case words that start sentences and headlines before a place that is also a first name
    # ("In Jordan", "For Chad"), so the person-name filter does not read them as a first name.
    function_words: frozenset[str] = frozenset()


LATIN = Script(
    "Latin",
    spaced=True,
    letters=((0x0041, 0x005A), (0x0061, 0x007A), (0x00C0, 0x024F), (0x1E00, 0x1EFF)),
    folded=(
        (0x0080, 0x024F),  # Latin-1 Supplement, Latin Extended-A/B: the accents
        (0x0300, 0x036F),  # combining diacritics (decomposed input)
        (0x1E00, 0x1EFF),  # Latin Extended Additional
        (0xFB00, 0xFB06),  # ligatures (ﬁ, ﬂ, ﬆ)
    ),
)
HAN = Script(
    "Han",
    spaced=False,
    letters=((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)),
    folded=(
        (0x3000, 0x303F),  # CJK punctuation (ideographic space, brackets)
        (0x3400, 0x4DBF),  # CJK Extension A
        (0x4E00, 0x9FFF),  # CJK Unified Ideographs: Traditional -> Simplified
        (0xF900, 0xFAFF),  # CJK compatibility ideographs
        (0xFE30, 0xFE6F),  # CJK compatibility forms, small forms
    ),
)
KANA = Script("Kana", spaced=False, letters=((0x3040, 0x30FF),), folded=((0x3040, 0x30FF),))
# Korean puts spaces between phrases that carry their particles (데이터를: "data" + object marker),
# so, as for Chinese, a term matches inside them and a character counts as a word.
HANGUL = Script("Hangul", spaced=False, letters=((0xAC00, 0xD7AF),), folded=((0xAC00, 0xD7AF),))
GREEK = Script("Greek", spaced=True, letters=((0x0370, 0x03FF), (0x1F00, 0x1FFF)), folded=((0x0370, 0x03FF),))
CYRILLIC = Script("Cyrillic", spaced=True, letters=((0x0400, 0x052F),), folded=((0x0400, 0x052F),))
ARABIC = Script("Arabic", spaced=True, letters=((0x0600, 0x06FF),), folded=((0x0600, 0x06FF),))
DEVANAGARI = Script("Devanagari", spaced=True, letters=((0x0900, 0x097F),), folded=((0x0900, 0x097F),))

_ENGLISH_FUNCTION_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with after before under over between while "
    "across about against amid says said kingdom republic state government president king queen "
    "minister ministry court new north south east west central".split()
)

# Watchlist languages first, then the ones regulators publish in: the detector is restricted to
# these, which avoids rare-language false positives on short texts.
LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", (LATIN,), watchlist=True, function_words=_ENGLISH_FUNCTION_WORDS),
    Language("de", "German", (LATIN,), watchlist=True, gettext_locales=("de",)),
    Language("fr", "French", (LATIN,), watchlist=True, gettext_locales=("fr",)),
    Language("nl", "Dutch", (LATIN,), watchlist=True, gettext_locales=("nl",)),
    Language("es", "Spanish", (LATIN,), watchlist=True, gettext_locales=("es",)),
    Language("it", "Italian", (LATIN,), watchlist=True, gettext_locales=("it",)),
    # pt_BR: Brazilian spellings.
    Language("pt", "Portuguese", (LATIN,), watchlist=True, gettext_locales=("pt", "pt_BR")),
    # zh_TW gives Traditional names, which the normalizer folds to the Simplified ones.
    Language("zh", "Chinese", (HAN,), watchlist=True, gettext_locales=("zh_CN", "zh_TW")),
    Language("ja", "Japanese", (HAN, KANA)),
    Language("ko", "Korean", (HANGUL,)),
    Language("pl", "Polish", (LATIN,)),
    Language("sv", "Swedish", (LATIN,)),
    Language("da", "Danish", (LATIN,)),
    Language("fi", "Finnish", (LATIN,)),
    Language("cs", "Czech", (LATIN,)),
    Language("el", "Greek", (GREEK,)),
    Language("hu", "Hungarian", (LATIN,)),
    Language("ro", "Romanian", (LATIN,)),
    Language("ru", "Russian", (CYRILLIC,)),
    Language("ar", "Arabic", (ARABIC,)),
    Language("hi", "Hindi", (DEVANAGARI,)),
    Language("ga", "Irish", (LATIN,)),
)


def register(language: Language) -> None:
    """Add a language at run time (tests); the derived values below follow."""
    global LANGUAGES
    if any(lang.code == language.code for lang in LANGUAGES):
        raise ValueError(f"language {language.code!r} is already registered")
    LANGUAGES = (*LANGUAGES, language)
    _clear()


def unregister(code: str) -> None:
    global LANGUAGES
    LANGUAGES = tuple(lang for lang in LANGUAGES if lang.code != code)
    _clear()


@cache
def watchlist_codes() -> tuple[str, ...]:
    """The languages of watchlists.yaml's ``terms:`` and of eval/corpus.jsonl."""
    return tuple(lang.code for lang in LANGUAGES if lang.watchlist)


@cache
def detected_codes() -> tuple[str, ...]:
    """Every language the detector may answer: the watchlist languages and more."""
    return tuple(lang.code for lang in LANGUAGES)


@cache
def gettext_locales() -> tuple[str, ...]:
    return tuple(locale for lang in LANGUAGES if lang.watchlist for locale in lang.gettext_locales)


@cache
def function_words() -> frozenset[str]:
    return frozenset().union(*(lang.function_words for lang in LANGUAGES if lang.watchlist))


@cache
def fold_ranges() -> tuple[CodeRange, ...]:
    """Merged code-point ranges of the watchlist languages' scripts, for the normalizer's tables."""
    return _merge(r for lang in LANGUAGES if lang.watchlist for script in lang.scripts for r in script.folded)


@cache
def unspaced_class() -> str:
    """Regex character-class body (no brackets) of every registered unspaced script's letters."""
    ranges = _merge(r for lang in LANGUAGES for s in lang.scripts if not s.spaced for r in s.letters)
    return "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges)


@cache
def unspaced_re() -> re.Pattern[str]:
    """One character of an unspaced script."""
    return re.compile(f"[{unspaced_class()}]")


def _merge(ranges: Iterable[CodeRange]) -> tuple[CodeRange, ...]:
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)


_generation = 0


def generation() -> int:
    """How many times the registry changed: caches of values derived from it key on this."""
    return _generation


def _clear() -> None:
    global _generation
    _generation += 1
    for derived in (
        watchlist_codes,
        detected_codes,
        gettext_locales,
        function_words,
        fold_ranges,
        unspaced_class,
        unspaced_re,
    ):
        derived.cache_clear()
