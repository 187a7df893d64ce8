"""config/watchlists.yaml -> typed, validated rules (topics and country-lexicon additions).

Every problem is a ConfigError naming the file, the key path and the offending rule, so an analyst
who mistypes ``NEAR/8`` as ``NEAR 8`` gets one line that says where and what.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.config.loader import read_yaml
from monitor.errors import ConfigError
from monitor.matching import languages, relevance
from monitor.matching.rules import Rule, RuleSyntaxError, Term, parse_operand, parse_rule, parse_term

logger = logging.getLogger(__name__)

# A topic's ``terms:`` are keyed by a watchlist language of monitor/matching/languages.py, or by this.
ANY_LANGUAGE = "any"
# A single weight-1 rule flags a topic; weaker evidence (bare acronyms) is given weight 0.5 in
# the watchlist so that it needs a second, independent hit.
DEFAULT_MIN_SCORE = 1.0
# Exclusions (sovereign debt, transfer window ...) veto anchors within this many words: wide
# enough for "the transfer of the striker during the summer window", narrow enough that a story
# that mentions sovereign debt in another paragraph still counts.
DEFAULT_EXCLUDE_WINDOW = 10
_TOPIC_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^(?:[A-Z]{2}|EU)$")


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    rules: tuple[Rule, ...]
    exclude: tuple[Term, ...] = ()
    exclude_window: int = DEFAULT_EXCLUDE_WINDOW
    min_score: float = DEFAULT_MIN_SCORE  # evidence mass needed before relevance is scored at all
    threshold: float | None = None  # relevance score to flag; None: the watchlist's threshold


@dataclass(frozen=True)
class ResolveCase:
    code: str | None
    cues: tuple[Term, ...] = ()
    window: int | None = None  # None: a cue anywhere in title or text
    if_mentioned: str | None = None  # another, unambiguous mention of this code


@dataclass(frozen=True)
class Resolver:
    """Context rule for an ambiguous surface (Georgia, Brussels, =AP, ICO ...)."""

    surfaces: tuple[Term, ...]
    default: str | None
    kind: str
    cases: tuple[ResolveCase, ...]


@dataclass(frozen=True)
class CountryLexicon:
    aliases: dict[str, tuple[Term, ...]] = field(default_factory=dict)
    demonyms: dict[str, tuple[Term, ...]] = field(default_factory=dict)
    institutions: dict[str, tuple[Term, ...]] = field(default_factory=dict)
    block: tuple[Term, ...] = ()
    drop_names: tuple[str, ...] = ()  # folded pycountry names not to use (too ambiguous)
    person_names: tuple[str, ...] = ()  # folded names that are also personal names
    language_nouns: tuple[Term, ...] = ()
    language_preps: tuple[str, ...] = ()
    caps_unsafe: tuple[str, ...] = ()
    resolvers: tuple[Resolver, ...] = ()
    laws: dict[str, tuple[Term, ...]] = field(default_factory=dict)  # GDPR -> EU: a frame, weaker than an actor
    places: dict[str, tuple[Term, ...]] = field(default_factory=dict)  # cities, regions: weaker than a name
    subject: dict[str, tuple[Term, ...]] = field(default_factory=dict)  # cue kind -> words (countries.SUBJECT_CUES)
    self_reference: dict[str, tuple[Term, ...]] = field(default_factory=dict)  # 国家 -> CN when nothing else is named


@dataclass(frozen=True)
class Relevance:
    """``relevance:``: when a topic's evidence makes the text about it (monitor/matching/relevance.py)."""

    threshold: float = relevance.DEFAULT_THRESHOLD
    policy_context: tuple[Term, ...] = ()  # law, regulator, court, ministry ... in every language
    # malware, exploit, ransomware ...: the vocabulary of a threat report (relevance "threat")
    threat_context: tuple[Term, ...] = ()
    # "we're excited to announce", hackathon, call for papers, booth ...: a vendor's or a
    # project's own launch, release or event notice (relevance "promo")
    promo_context: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Watchlist:
    path: str
    topics: tuple[Topic, ...]
    countries: CountryLexicon
    relevance: Relevance = field(default_factory=Relevance)


def _fail(path: Path, key: str, problem: str) -> ConfigError:
    return ConfigError(str(path), key, problem)


def _as_list(path: Path, key: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(path, key, f"expected a list, got {type(value).__name__}")
    return value


def _as_map(path: Path, key: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail(path, key, f"expected a mapping, got {type(value).__name__}")
    return value


def _term(path: Path, key: str, raw: Any) -> Term:
    if not isinstance(raw, str):
        raise _fail(path, key, f"expected a term string, got {raw!r}")
    try:
        return parse_term(raw)
    except RuleSyntaxError as exc:
        raise _fail(path, key, f"{exc} (in {raw!r})") from exc


def _terms(path: Path, key: str, raw: Any, groups: dict[str, str] | None = None) -> tuple[Term, ...]:
    """Phrases, ``(a | b)`` alternations and, where ``groups`` is given, ``@group`` names."""
    out: list[Term] = []
    for i, item in enumerate(_as_list(path, key, raw)):
        if groups is not None and isinstance(item, str) and item.strip().startswith("@"):
            item = _expand_groups(path, f"{key}[{i}]", item.strip(), groups)
        if isinstance(item, str) and item.strip().startswith("("):
            try:
                out.extend(parse_operand(item).terms)
            except RuleSyntaxError as exc:
                raise _fail(path, f"{key}[{i}]", f"{exc} (in {item!r})") from exc
        else:
            out.append(_term(path, f"{key}[{i}]", item))
    return tuple(out)


_GROUP_REF = re.compile(r"@([a-z][a-z0-9_]*)")


def _expand_groups(path: Path, key: str, text: str, groups: dict[str, str]) -> str:
    """Replace ``@name`` by the group's ``(term | term ...)`` text."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in groups:
            raise _fail(path, key, f"unknown group @{name} (in rule {text!r}); define it under 'groups'")
        before = text[: m.start()]
        inside = before.count("(") > before.count(")")
        return groups[name][1:-1] if inside else groups[name]

    return _GROUP_REF.sub(sub, text)


def _rule(path: Path, key: str, rule_id: str, raw: Any, groups: dict[str, str] | None = None) -> Rule:
    weight = 1.0
    if isinstance(raw, dict):
        unknown = set(raw) - {"rule", "weight"}
        if unknown or "rule" not in raw:
            raise _fail(path, key, "a rule mapping has 'rule' and optional 'weight'")
        weight = raw.get("weight", 1.0)
        if not isinstance(weight, int | float) or isinstance(weight, bool):
            raise _fail(path, key, f"weight must be a number, got {weight!r}")
        raw = raw["rule"]
    if not isinstance(raw, str):
        raise _fail(path, key, f"a rule is a string, got {raw!r}")
    if "@" in raw:
        raw = _expand_groups(path, key, raw, groups or {})
    try:
        return parse_rule(raw, rule_id, weight)
    except RuleSyntaxError as exc:
        raise _fail(path, key, f"{exc} (in rule {raw!r})") from exc


def _groups(path: Path, raw: Any) -> dict[str, str]:
    """Named alternations reused by many rules: ``groups: {privacy_law: [GDPR, DSGVO, ...]}``."""
    out: dict[str, str] = {}
    for name, terms in _as_map(path, "groups", raw).items():
        key = f"groups.{name}"
        if not _TOPIC_ID.match(str(name)):
            raise _fail(path, key, "group names are lower_snake_case")
        items = _as_list(path, key, terms)
        if not items:
            raise _fail(path, key, "a group needs at least one term")
        for i, item in enumerate(items):
            _term(path, f"{key}[{i}]", item)
        out[str(name)] = "(" + " | ".join(items) + ")"
    return out


def _topic(path: Path, topic_id: str, raw: Any, groups: dict[str, str]) -> Topic:
    key = f"topics.{topic_id}"
    if not _TOPIC_ID.match(str(topic_id)):
        raise _fail(path, key, "topic ids are lower_snake_case")
    spec = _as_map(path, key, raw)
    unknown = set(spec) - {
        "label",
        "description",
        "terms",
        "rules",
        "exclude",
        "exclude_window",
        "min_score",
        "threshold",
    }
    if unknown:
        raise _fail(path, f"{key}.{sorted(unknown)[0]}", "unknown key")
    rules: list[Rule] = []
    for lang, entries in _as_map(path, f"{key}.terms", spec.get("terms")).items():
        allowed = (*languages.watchlist_codes(), ANY_LANGUAGE)
        if lang not in allowed:
            raise _fail(path, f"{key}.terms.{lang}", f"unknown language; use one of {', '.join(allowed)}")
        for i, entry in enumerate(_as_list(path, f"{key}.terms.{lang}", entries)):
            rules.append(_rule(path, f"{key}.terms.{lang}[{i}]", f"{topic_id}:{lang}:{i}", entry, groups))
    for i, entry in enumerate(_as_list(path, f"{key}.rules", spec.get("rules"))):
        rules.append(_rule(path, f"{key}.rules[{i}]", f"{topic_id}:rule:{i}", entry, groups))
    if not rules:
        raise _fail(path, key, "a topic needs at least one term or rule")
    window = spec.get("exclude_window", DEFAULT_EXCLUDE_WINDOW)
    if not isinstance(window, int) or window < 1:
        raise _fail(path, f"{key}.exclude_window", "a positive integer")
    min_score = spec.get("min_score", DEFAULT_MIN_SCORE)
    if not isinstance(min_score, int | float) or min_score <= 0:
        raise _fail(path, f"{key}.min_score", "a positive number")
    threshold = spec.get("threshold")
    if threshold is not None:
        threshold = _threshold(path, f"{key}.threshold", threshold)
    return Topic(
        id=topic_id,
        label=str(spec.get("label", topic_id)),
        rules=tuple(rules),
        exclude=_terms(path, f"{key}.exclude", spec.get("exclude"), groups),
        exclude_window=window,
        min_score=float(min_score),
        threshold=threshold,
    )


def _threshold(path: Path, key: str, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value < 1:
        raise _fail(path, key, f"a relevance score between 0 and 1 (exclusive), got {value!r}")
    return float(value)


def _relevance(path: Path, raw: Any) -> Relevance:
    """``relevance: {threshold: 0.5, policy_context: {en: [law, regulator], de: [Gesetz*]},
    threat_context: {en: [malware, ransomware]}, promo_context: {en: [hackathon]}}``."""
    spec = _as_map(path, "relevance", raw)
    known = ("threshold", "policy_context", "threat_context", "promo_context")
    unknown = set(spec) - set(known)
    if unknown:
        raise _fail(path, f"relevance.{sorted(unknown)[0]}", f"unknown key; expected {', '.join(known)}")
    allowed = (*languages.watchlist_codes(), ANY_LANGUAGE)
    by_kind: dict[str, tuple[Term, ...]] = {}
    for kind in known[1:]:
        terms: list[Term] = []
        for lang, entries in _as_map(path, f"relevance.{kind}", spec.get(kind)).items():
            if lang not in allowed:
                raise _fail(path, f"relevance.{kind}.{lang}", f"unknown language; use one of {', '.join(allowed)}")
            terms.extend(_terms(path, f"relevance.{kind}.{lang}", entries))
        by_kind[kind] = tuple(terms)
    threshold = spec.get("threshold", relevance.DEFAULT_THRESHOLD)
    return Relevance(
        _threshold(path, "relevance.threshold", threshold),
        by_kind["policy_context"],
        by_kind["threat_context"],
        by_kind["promo_context"],
    )


def _code(path: Path, key: str, code: Any, allow_none: bool = False) -> str | None:
    if code is None and allow_none:
        return None
    if not isinstance(code, str) or not _CODE.match(code):
        raise _fail(path, key, f"expected an ISO 3166-1 alpha-2 code or EU, got {code!r}")
    return code


def _by_code(path: Path, key: str, raw: Any) -> dict[str, tuple[Term, ...]]:
    out: dict[str, tuple[Term, ...]] = {}
    for code, terms in _as_map(path, key, raw).items():
        _code(path, f"{key}.{code}", code)
        out[code] = _terms(path, f"{key}.{code}", terms)
    return out


def _resolver(path: Path, key: str, raw: Any) -> Resolver:
    spec = _as_map(path, key, raw)
    kind = spec.get("kind", "alias")
    if kind not in ("alias", "demonym", "institution"):
        raise _fail(path, f"{key}.kind", "one of alias, demonym, institution")
    cases = []
    for i, case in enumerate(_as_list(path, f"{key}.when", spec.get("when"))):
        ckey = f"{key}.when[{i}]"
        case = _as_map(path, ckey, case)
        window = case.get("window")
        if window is not None and (not isinstance(window, int) or window < 1):
            raise _fail(path, f"{ckey}.window", "a positive integer")
        if_mentioned = case.get("if_mentioned")
        if if_mentioned is not None:
            _code(path, f"{ckey}.if_mentioned", if_mentioned)
        cues = _terms(path, f"{ckey}.cues", case.get("cues"))
        if not cues and if_mentioned is None:
            raise _fail(path, ckey, "a case needs cues or if_mentioned")
        cases.append(ResolveCase(_code(path, f"{ckey}.code", case.get("code"), True), cues, window, if_mentioned))
    surfaces = _terms(path, f"{key}.surfaces", spec.get("surfaces"))
    if not surfaces:
        raise _fail(path, f"{key}.surfaces", "at least one surface")
    default = _code(path, f"{key}.default", spec.get("default"), True)
    return Resolver(surfaces, default, kind, tuple(cases))


def _countries(path: Path, raw: Any) -> CountryLexicon:
    spec = _as_map(path, "countries", raw)
    known = {
        "aliases",
        "demonyms",
        "institutions",
        "block",
        "drop_names",
        "person_names",
        "language_nouns",
        "language_preps",
        "caps_unsafe",
        "resolve",
        "laws",
        "places",
        "subject",
        "self_reference",
    }
    unknown = set(spec) - known
    if unknown:
        raise _fail(path, f"countries.{sorted(unknown)[0]}", "unknown key")
    return CountryLexicon(
        aliases=_by_code(path, "countries.aliases", spec.get("aliases")),
        demonyms=_by_code(path, "countries.demonyms", spec.get("demonyms")),
        institutions=_by_code(path, "countries.institutions", spec.get("institutions")),
        block=_terms(path, "countries.block", spec.get("block")),
        drop_names=tuple(t.key for t in _terms(path, "countries.drop_names", spec.get("drop_names"))),
        person_names=tuple(t.key for t in _terms(path, "countries.person_names", spec.get("person_names"))),
        language_nouns=_terms(path, "countries.language_nouns", spec.get("language_nouns")),
        language_preps=tuple(t.key for t in _terms(path, "countries.language_preps", spec.get("language_preps"))),
        caps_unsafe=tuple(str(x) for x in _as_list(path, "countries.caps_unsafe", spec.get("caps_unsafe"))),
        resolvers=tuple(
            _resolver(path, f"countries.resolve[{i}]", r)
            for i, r in enumerate(_as_list(path, "countries.resolve", spec.get("resolve")))
        ),
        laws=_by_code(path, "countries.laws", spec.get("laws")),
        places=_by_code(path, "countries.places", spec.get("places")),
        subject=_subject(path, spec.get("subject")),
        self_reference=_by_code(path, "countries.self_reference", spec.get("self_reference")),
    )


# The cue kinds of ``countries.subject``: which words make a mentioned jurisdiction a subject of
# the story, or not (monitor/matching/countries.py reads them).
SUBJECT_CUE_KINDS = ("actors", "persons", "destinations", "locations", "not_subject", "state_context")


def _subject(path: Path, raw: Any) -> dict[str, tuple[Term, ...]]:
    spec = _as_map(path, "countries.subject", raw)
    unknown = set(spec) - set(SUBJECT_CUE_KINDS)
    if unknown:
        expected = ", ".join(SUBJECT_CUE_KINDS)
        raise _fail(path, f"countries.subject.{sorted(unknown)[0]}", f"unknown key; expected {expected}")
    return {kind: _terms(path, f"countries.subject.{kind}", spec.get(kind)) for kind in SUBJECT_CUE_KINDS}


def load_watchlist(path: Path) -> Watchlist:
    """Read the file as every config file is read (``read_yaml``), then validate it.

    The parsed result is kept in the matcher cache (``monitor.matching.cache``), keyed by the
    file's bytes and the registered languages; a file that does not parse is never cached.
    """
    from monitor.matching.cache import cached

    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError:
        return parse_watchlist(read_yaml(path), path)  # read_yaml says what is wrong with the file
    key = b"\0".join(
        [
            str(path).encode(),
            repr(languages.fold_ranges()).encode(),
            repr(languages.watchlist_codes()).encode(),
            content,
        ]
    )
    return cached("watchlist", key, lambda: parse_watchlist(read_yaml(path), path))


def parse_watchlist(parsed: object, path: Path) -> Watchlist:
    """Validate the parsed content of ``path``; each problem is a ConfigError naming the key path."""
    data = _as_map(path, "", parsed)
    unknown = set(data) - {"version", "groups", "topics", "countries", "relevance"}
    if unknown:
        raise _fail(path, sorted(unknown)[0], "unknown key; expected version, groups, topics, relevance, countries")
    topics_raw = _as_map(path, "topics", data.get("topics"))
    if not topics_raw:
        raise _fail(path, "topics", "no topics defined")
    groups = _groups(path, data.get("groups"))
    topics = tuple(_topic(path, str(tid), spec, groups) for tid, spec in topics_raw.items())
    wl = Watchlist(str(path), topics, _countries(path, data.get("countries")), _relevance(path, data.get("relevance")))
    logger.debug("watchlist %s: %d topics, %d rules", path, len(topics), sum(len(t.rules) for t in topics))
    return wl
