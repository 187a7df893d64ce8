"""The jurisdiction gazetteer: surface forms -> ISO 3166-1 alpha-2 codes (plus ``EU``).

Built from pycountry's English names and their gettext translations in the watchlist languages
(the locales of monitor/matching/languages.py), then the curated additions in watchlists.yaml
(aliases, capitals and metonyms, demonyms, institutions, organisation names that contain a place,
ambiguous surfaces with context rules). Building takes a fraction of a second; callers cache the
result per watchlist file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import NamedTuple

from monitor.matching import languages
from monitor.matching.rules import RuleSyntaxError, Term, parse_term
from monitor.matching.watchlist import CountryLexicon

logger = logging.getLogger(__name__)

# Names in pycountry that are not prose ("Korea, Republic of", "Bolivia (Plurinational State of)").
_NOT_PROSE = re.compile(r"[,()*=|]")


# Not slots=True: a slotted dataclass unpickles through a Python __setstate__ per object, and the
# disk cache (``cache.py``) holds thousands of these; a plain one unpickles in C.
@dataclass(frozen=True)
class Place:
    """Payload of a gazetteer term."""

    code: str | None  # None: a blocked organisation/product name, or resolved by context
    kind: str  # name, alias, place, demonym, institution, law, self (国家: "the state"), block
    capitalized: bool = True  # the original must start with an upper-case letter ("Turkey", not "turkey")
    person: bool = False  # also a personal name (Jordan, Chad): filtered next to other names
    resolver: int = -1  # index into CountryLexicon.resolvers, or -1


class Cue(NamedTuple):
    """A context word of a resolver case. A tuple, so that it is its own key in the table of cues
    (``CountryMatcher.evaluate_parts``)."""

    resolver: int
    case: int


@dataclass(frozen=True, slots=True)
class LanguageNoun:
    """A word that turns a preceding demonym into a language ("German translation")."""


LANGUAGE_NOUN = LanguageNoun()


@dataclass(frozen=True)  # not slots=True: see Place
class SubjectCue:
    """A word of ``countries.subject`` (actors, persons, destinations, not_subject, state_context):
    it decides whether a jurisdiction mentioned next to it is a subject of the story."""

    kind: str


def _pycountry_names() -> list[tuple[str, str]]:
    """(name, alpha_2) for every country in English and the other watchlist languages."""
    # Imported here: the gazetteer is built once and then read from the disk cache, so start-up
    # need not import pycountry and its data.
    import gettext

    import pycountry

    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
        for locale in languages.gettext_locales()
    ]
    out: list[tuple[str, str]] = []
    for country in pycountry.countries:
        english = {country.name}
        for attr in ("official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                english.add(value)
        for name in english:
            out.append((name, country.alpha_2))
            for tr in translations:
                out.append((tr.gettext(name), country.alpha_2))
    return [(n, c) for n, c in out if not _NOT_PROSE.search(n)]


def _capitalized(term: Term) -> bool:
    """A surface written with a capital must be capitalized in the text: "Turkey" is not "turkey",
    "Polish" is not "polish"; lower-case ones ("américain", "chino") match in any case."""
    return term.text[:1].isupper()


def build_gazetteer(lexicon: CountryLexicon) -> list[tuple[Term, object]]:
    """All (Term, payload) pairs for the automaton, curated entries before generated names."""
    items: list[tuple[Term, object]] = []
    resolver_keys: set[str] = set()
    for ri, resolver in enumerate(lexicon.resolvers):
        for term in resolver.surfaces:
            resolver_keys.add(term.key)
            # As for names: a capital in the surface must be one in the text; 布鲁塞尔 has none.
            capitalized = resolver.kind != "demonym" and _capitalized(term)
            items.append((term, Place(None, resolver.kind, capitalized, term.key in lexicon.person_names, ri)))
        for ci, case in enumerate(resolver.cases):
            for term in case.cues:
                items.append((term, Cue(ri, ci)))
    for term in lexicon.block:
        items.append((term, Place(None, "block", False)))
    for term in lexicon.language_nouns:
        items.append((term, LANGUAGE_NOUN))
    for kind, terms in lexicon.subject.items():
        if kind == "state_context":
            continue  # looked up in the text only when it says 国家 (countries.py)
        for term in terms:
            items.append((term, SubjectCue(kind)))

    def add(term: Term, code: str, kind: str) -> None:
        if term.key in resolver_keys or term.key in lexicon.drop_names:
            return
        items.append((term, Place(code, kind, _capitalized(term), term.key in lexicon.person_names)))

    # Curated entries, in this order (it decides which entry a repeated name keeps).
    curated = (
        (lexicon.institutions, "institution"),
        (lexicon.laws, "law"),
        (lexicon.aliases, "alias"),
        (lexicon.places, "place"),
        (lexicon.self_reference, "self"),
    )
    for table, kind in curated:
        for code, terms in table.items():
            for term in terms:
                add(term, code, kind)
    seen: set[tuple[str, str]] = set()
    for name, code in _pycountry_names():
        try:
            term = parse_term(name)
        except RuleSyntaxError:
            continue
        if (term.key, code) not in seen:
            seen.add((term.key, code))
            add(term, code, "name")
    for code, terms in lexicon.demonyms.items():
        for term in terms:
            add(term, code, "demonym")
    logger.debug("gazetteer: %d entries", len(items))
    return items
