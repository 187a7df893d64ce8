"""A second opinion on candidates the rules score just under their threshold.

The rules say *where* a text speaks of a topic; their relevance score (relevance.py) says how much
the text is about it, from where and how densely the evidence sits. On real press, a third of the
on-topic stories that the rules miss do carry evidence, only too little of it: one statement of
the topic in a story told in words no rule anchors on. This module reads the whole text's wording
instead: a linear model over its words and word pairs (Chinese: character pairs), sublinear TF-IDF
as scikit-learn computes it, fitted by ``eval/fit_text_model.py`` on the tuning part of the
real-text corpus, the blind batteries and the hand-written corpus, and shipped as
``data/text_model.json`` (no scikit-learn at run time).

It only ever *adds* a flag, and only to a text whose evidence already reached a topic's
``min_score``: a text with no evidence is never flagged by wording alone, and a flag the rules
give is never taken away. The file's ``rescue`` threshold is chosen by cross-validation on the
tuning part alone (``null``: the model is off). Most texts have no candidate, so the model runs on
a few percent of them and costs no matcher speed.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

PATH = Path(__file__).with_name("data") / "text_model.json"
# The text read: the title twice (a headline says what the story is about) and the start of the
# text, where a story states its subject; bounded, so a long PDF costs what a page costs.
TEXT_CHARS = 3000

_WORD = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


def tokens(title: str, text: str) -> list[str]:
    """Words and adjacent word pairs of already normalised text (normalize.py: case and accents
    folded, Traditional to Simplified); a run of Chinese characters gives its character pairs."""
    read = f"{title}\n{title}\n{text[:TEXT_CHARS]}"
    words: list[str] = _WORD.findall(read)
    if _CJK.search(read):  # most texts have no Chinese: no word-by-word check for them
        split: list[str] = []
        for word in words:
            if len(word) > 1 and _CJK.match(word):
                split.extend(word[k : k + 2] for k in range(len(word) - 1))
            else:
                split.append(word)
        words = split
    return words + list(map(" ".join, zip(words, words[1:], strict=False)))


@dataclass(frozen=True, eq=False)
class TextModel:
    """Weights per term (``coef * idf``), the idf per term and the bias of a logistic regression on
    l2-normalised sublinear TF-IDF vectors; ``rescue``: the probability at which a candidate is
    flagged (None: never)."""

    weights: dict[str, float]
    idf: dict[str, float]
    bias: float
    rescue: float | None

    def probability(self, title: str, text: str) -> float:
        """P(on topic) of a text given its normalised title and text."""
        counts = Counter(tokens(title, text))
        present = self.vocabulary.intersection(counts)
        if not present:
            return _logistic(self.bias)
        # Most terms occur once (tf 1): summed in C; the others one by one.
        once = [t for t in present if counts[t] == 1]
        dot = sum(map(self.weights.__getitem__, once))
        norm = sum(map(self.idf_squared.__getitem__, once))
        for term in present.difference(once):
            tf = 1.0 + math.log(counts[term])
            dot += self.weights[term] * tf
            norm += tf * tf * self.idf_squared[term]
        return _logistic(self.bias + dot / math.sqrt(norm))

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.idf)

    @cached_property
    def idf_squared(self) -> dict[str, float]:
        return {t: v * v for t, v in self.idf.items()}


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def from_dict(data: dict[str, Any]) -> TextModel:
    """Raises ValueError on a file that does not hold a model."""
    try:
        terms: list[str] = [str(t) for t in data["terms"]]
        weights = [float(w) for w in data["weights"]]
        idf = [float(v) for v in data["idf"]]
        rescue = data.get("rescue")
        model = TextModel(
            dict(zip(terms, weights, strict=True)),
            dict(zip(terms, idf, strict=True)),
            float(data["bias"]),
            None if rescue is None else float(rescue),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a text model ({exc!r})") from exc
    if model.rescue is not None and not 0.0 < model.rescue <= 1.0:
        raise ValueError(f"rescue {model.rescue} is not in (0, 1]")
    return model


def to_dict(
    terms: Iterable[str], weights: Iterable[float], idf: Iterable[float], bias: float, **meta: object
) -> dict[str, Any]:
    """The file's layout (eval/fit_text_model.py writes it)."""
    return {**meta, "bias": bias, "terms": list(terms), "weights": list(weights), "idf": list(idf)}


@lru_cache(maxsize=4)
def load(path: Path | None = PATH) -> TextModel | None:
    """The shipped model, or None when it is absent, invalid or switched off (``rescue: null``)."""
    if path is None or not Path(path).exists():
        return None
    try:
        model = from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        logger.warning("ignoring %s (%s): candidates under their threshold stay unflagged", path, exc)
        return None
    return model if model.rescue is not None else None
