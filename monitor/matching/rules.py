"""Parser for the watchlist rule language (documented in README.md, "Topic rules", and watchlists.yaml).

Grammar, informally::

    rule     := operand ( condition )*
    condition:= "NEAR/" N operand          -- operand within N words of the anchor (required)
              | "NOT NEAR/" N operand      -- the anchor does not count with operand within N words
    operand  := term | "(" term ( "|" term )* ")"
    term     := ["="] ["*"] phrase ["*"]   -- "=" exact case; "*" open end (compounds)

The first operand is the *anchor*: it is what the rule reports as evidence, and every condition is
measured from it. Parsing is pure and raises :class:`RuleSyntaxError`; the watchlist loader turns
that into a ConfigError naming the file and the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from monitor.matching import languages
from monitor.matching.normalize import fold

# A term shorter than this (after folding) matches inside too many words to be useful evidence;
# two characters are allowed because CJK terms (法案) and acronyms (=EU) are that short.
MIN_TERM_CHARS = 2
# Windows larger than this are "anywhere in the same field" in practice; cap to catch typos
# such as NEAR/800.
MAX_WINDOW = 200

_OPERATOR = re.compile(r"\s+(NOT\s+NEAR/\d+|NEAR/\d+)\s+")
_BAD_OPERATOR = re.compile(r"\b(NEAR|NOT)\b(?!/\d)|NEAR/(?!\d)|\bAND\b|\bOR\b|(?i:\bnear/\d)")
_FORBIDDEN = set('()|"')


class RuleSyntaxError(ValueError):
    """A rule string does not follow the grammar; the message says what is wrong."""


@dataclass(frozen=True)
class Term:
    """One literal the automaton looks for."""

    text: str  # as written by the analyst, markers removed
    key: str  # folded form, the automaton key
    exact_case: bool = False  # "=DSA": the original surface must match case-sensitively
    open_left: bool = False  # "*schutzrahmen": may end a compound
    open_right: bool = False  # "datenlokalisierung*": may start a compound
    cjk: bool = False  # in an unspaced script (Chinese, Japanese, Korean): no word boundaries to check

    def __str__(self) -> str:
        return (
            ("=" if self.exact_case else "")
            + ("*" if self.open_left else "")
            + self.text
            + ("*" if self.open_right else "")
        )


@dataclass(frozen=True)
class Operand:
    """A term or an alternation of terms."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Condition:
    negated: bool
    window: int
    operand: Operand


@dataclass(frozen=True)
class Rule:
    """A parsed rule: an anchor operand plus proximity conditions relative to it."""

    id: str
    text: str
    anchor: Operand
    conditions: tuple[Condition, ...] = ()
    weight: float = 1.0

    def all_terms(self) -> list[Term]:
        out = list(self.anchor.terms)
        for cond in self.conditions:
            out.extend(cond.operand.terms)
        return out


def parse_term(raw: str) -> Term:
    """Parse one term with its ``=`` and ``*`` markers. Terms are immutable, and a watchlist names
    the same one in many rules ("data" in dozens): each distinct term is one shared object, which
    halves what the watchlist cache stores and reads at every start-up."""
    return _parse_term(raw.strip(), languages.generation())


@lru_cache(maxsize=1 << 16)
def _parse_term(text: str, _languages: int) -> Term:
    """``_languages``: the language registry's generation (folding and scripts depend on it)."""
    raw = text
    if not text:
        raise RuleSyntaxError("empty term")
    exact = text.startswith("=")
    if exact:
        text = text[1:]
    open_left = text.startswith("*")
    if open_left:
        text = text[1:]
    open_right = text.endswith("*")
    if open_right:
        text = text[:-1]
    text = text.strip()
    if "*" in text:
        raise RuleSyntaxError(f"'*' only at the start or end of a term: {raw!r}")
    if "=" in text:
        raise RuleSyntaxError(f"'=' only at the start of a term: {raw!r}")
    bad = _FORBIDDEN.intersection(text)
    if bad:
        raise RuleSyntaxError(f"unexpected {''.join(sorted(bad))!r} in term {raw!r}")
    key = " ".join(fold(text).split())
    if len(key) < MIN_TERM_CHARS:
        raise RuleSyntaxError(f"term too short: {raw!r}")
    return Term(text, key, exact, open_left, open_right, bool(languages.unspaced_re().search(key)))


def parse_operand(raw: str) -> Operand:
    """Parse ``term`` or ``(term | term ...)``."""
    text = raw.strip()
    if text.startswith("("):
        if not text.endswith(")") or text.count("(") != 1 or text.count(")") != 1:
            raise RuleSyntaxError(f"unbalanced parentheses in {text!r}")
        parts = text[1:-1].split("|")
        if any(not p.strip() for p in parts):
            raise RuleSyntaxError(f"empty alternative in {text!r}")
        return Operand(tuple(parse_term(p) for p in parts))
    if "|" in text:
        raise RuleSyntaxError(f"alternatives need parentheses: ({text})")
    return Operand((parse_term(text),))


def parse_rule(text: str, rule_id: str = "", weight: float = 1.0) -> Rule:
    """Parse a whole rule string; raise RuleSyntaxError with a message an analyst can act on."""
    if not isinstance(text, str) or not text.strip():
        raise RuleSyntaxError("empty rule")
    parts = _OPERATOR.split(" " + text.strip() + " ")
    operands = [p for p in parts[0::2]]
    operators = parts[1::2]
    for operand in operands:
        if _BAD_OPERATOR.search(operand):
            raise RuleSyntaxError(
                "operators are NEAR/<n> and NOT NEAR/<n> (upper case, spaces around them); "
                f"cannot parse {operand.strip()!r}"
            )
    if any(not o.strip() for o in operands):
        raise RuleSyntaxError("an operator is missing an operand")
    anchor = parse_operand(operands[0])
    conditions = []
    for op, operand in zip(operators, operands[1:], strict=True):
        window = int(op.rsplit("/", 1)[1])
        if not 1 <= window <= MAX_WINDOW:
            raise RuleSyntaxError(f"NEAR window must be 1..{MAX_WINDOW}, got {window}")
        conditions.append(Condition(op.startswith("NOT"), window, parse_operand(operand)))
    if weight <= 0:
        raise RuleSyntaxError(f"weight must be positive, got {weight}")
    return Rule(rule_id or text.strip(), text.strip(), anchor, tuple(conditions), float(weight))
