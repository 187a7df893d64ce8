"""Fit the relevance calibration (monitor/matching/relevance.py) on the TUNING part of the real corpus.

Usage::

    python eval/fit_relevance.py [--write] [--folds 5] [--c 1.0]

Every (item, topic) pair whose evidence reaches the topic's ``min_score`` is a candidate; its
features are those of ``relevance.features`` and its label says whether a reader tagged the item
with that topic. A logistic regression (scikit-learn, a dev extra: only needed here) is scored by
cross-validation *within the tuning part* (folds by item) against the hand-set weights, on the
figure that matters: flag precision and recall per item. ``--write`` fits it on the whole tuning
part and writes its coefficients to monitor/matching/data/relevance.json, which the matcher reads at
run time without scikit-learn; the file is ``"active"`` (used instead of the hand-set weights) only
when the learned weights' cross-validated flag F1 beats the hand-set weights' (or with
``--activate``). The test part is never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

import score_real  # noqa: E402

from monitor.matching import Matcher, relevance  # noqa: E402


def tuning_items() -> list[dict]:
    """The tuning part with the gate's own labels: the readings resolved by majority."""
    return [item for item in score_real.load() if item["part"] == "tune"]


Candidate = tuple[int, str, dict[str, float], bool, float]


def candidates(items: list[dict], watchlists: Path) -> list[Candidate]:
    """(item index, topic, features, labelled with the topic, the topic's flag threshold) for every
    candidate topic: the threshold is the topic's own where the watchlist sets one."""
    matcher = Matcher.build(watchlists)
    thresholds = dict(zip(matcher.topics.topic_ids, matcher.topics.thresholds, strict=True))
    matcher.topics.thresholds = [0.0] * len(matcher.topics.thresholds)  # every candidate, scored or not
    rows = []
    for i, item in enumerate(items):
        for hit in score_real.match_item(matcher, item).topics:
            feats = {k: hit.features[k] for k in relevance.FEATURES}
            rows.append((i, hit.topic, feats, hit.topic in item["topics"], thresholds[hit.topic]))
    return rows


def flag_figures(items: list[dict], rows: list[Candidate], scores: list[float]) -> dict[str, float]:
    flagged = {rows[k][0] for k, s in enumerate(scores) if s >= rows[k][4]}
    tp = sum(1 for i, item in enumerate(items) if item["on_topic"] and i in flagged)
    fp = sum(1 for i, item in enumerate(items) if not item["on_topic"] and i in flagged)
    fn = sum(1 for i, item in enumerate(items) if item["on_topic"] and i not in flagged)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3), "tp": tp, "fp": fp, "fn": fn}


def _f1(figures: dict[str, float]) -> float:
    p, r = figures["precision"], figures["recall"]
    return 2 * p * r / (p + r) if p + r else 0.0


def fit(x: list[list[float]], y: list[bool], c: float) -> dict[str, float]:
    """Logistic regression on standardised features, folded back to raw-feature weights."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    xa = np.array(x)
    scaler = StandardScaler().fit(xa)
    scale = np.where(scaler.scale_ == 0, 1.0, scaler.scale_)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=1000).fit((xa - scaler.mean_) / scale, y)
    coef = model.coef_[0] / scale
    bias = float(model.intercept_[0] - float(np.sum(model.coef_[0] * scaler.mean_ / scale)))
    return {"bias": round(bias, 4), **{k: round(float(w), 4) for k, w in zip(relevance.FEATURES, coef, strict=True)}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--watchlists", type=Path, default=ROOT / "config" / "watchlists.yaml")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    ap.add_argument("--write", action="store_true", help=f"write {relevance.LEARNED_PATH.relative_to(ROOT)}")
    ap.add_argument("--activate", action="store_true", help="use the learned weights even if they do not win")
    args = ap.parse_args(argv)
    try:
        from sklearn.model_selection import StratifiedGroupKFold
    except ImportError:
        print("error: scikit-learn is needed to fit: pip install -e '.[dev]'", file=sys.stderr)
        return 2
    items = tuning_items()
    rows = candidates(items, args.watchlists)
    x = [[r[2][k] for k in relevance.FEATURES] for r in rows]
    y = [r[3] for r in rows]
    groups = [r[0] for r in rows]
    hand = [relevance.HAND_MODEL.score(r[2]) for r in rows]
    learned = [0.0] * len(rows)
    for train, test in StratifiedGroupKFold(n_splits=args.folds, shuffle=True, random_state=0).split(x, y, groups):
        model = relevance.Model(fit([x[i] for i in train], [y[i] for i in train], args.c), "fold")
        for i in test:
            learned[i] = model.score(rows[i][2])
    report = {
        "tuning_items": len(items),
        "on_topic": sum(item["on_topic"] for item in items),
        "candidates": len(rows),
        "positive_candidates": sum(y),
        "hand_set": flag_figures(items, rows, hand),
        f"learned_cv{args.folds}": flag_figures(items, rows, learned),
    }
    wins = _f1(report[f"learned_cv{args.folds}"]) > _f1(report["hand_set"])
    print(json.dumps(report, indent=2))
    if args.write:
        weights = fit(x, y, args.c)
        relevance.LEARNED_PATH.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "about": "relevance weights fitted by eval/fit_relevance.py on the tuning part; see relevance.py",
            "active": bool(wins or args.activate),
            "features": list(relevance.FEATURES),
            "weights": weights,
            "fit": {"C": args.c, "class_weight": "balanced", **report},
        }
        relevance.LEARNED_PATH.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        state = "active" if payload["active"] else "inactive: the hand-set weights do better"
        print(f"wrote {relevance.LEARNED_PATH.relative_to(ROOT)} ({state}): {weights}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
