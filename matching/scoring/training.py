"""Learning weights from outcomes, and the rule for adopting them.

A logistic regression on the same features; negative coefficients are clipped to zero and the
rest scaled to the baseline's total, so the learned model is still ``sum(weight * feature)``
and the explanations stay honest. What is evaluated is exactly what would serve: the clipped,
scaled weights. Nobody is filtered by the model: it only re-weights ranking.

The adoption rule (docs/decisions/learning-safeguards.md) has three parts, and ``matching.services``
applies them: only real outcomes count, and at least ``min_outcomes`` of them; the new weights must
beat the weights now serving on BOTH held-out ROC AUC and mean NDCG@10 per seeker; and no factor may
fall below its floor (``below_floor``) unless a person approves it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import ndcg_score, roc_auc_score
from sklearn.model_selection import GroupShuffleSplit

from . import features as F
from . import pairwise, synthetic
from .pairwise import RegisterStats

MIN_OUTCOMES = 40  # the least any training run needs (adoption needs more: settings.MATCHING_MIN_REAL_OUTCOMES)
DEFAULT_FLOOR = 0.5  # each factor keeps at least this share of its hand-set weight (settings.MATCHING_WEIGHT_FLOOR)


def below_floor(weights: dict[str, float], floor: float = DEFAULT_FLOOR) -> list[str]:
    """Factors whose share of the total weight fell below ``floor`` times their share in the hand-set
    weights (shares, so a model scaled up or down as a whole is judged the same)."""
    total = sum(weights.values())
    baseline = sum(F.DEFAULT_WEIGHTS.values())
    if total <= 0:
        return list(F.FACTORS)
    return [f for f in F.FACTORS if weights[f] / total < floor * F.DEFAULT_WEIGHTS[f] / baseline - 1e-12]


@dataclass
class Example:
    seeker_key: str
    features: dict[str, float]
    label: float


@dataclass
class TrainResult:
    weights: dict[str, float] | None
    metrics: dict
    adopt: bool
    decision: str


def _matrix(examples):
    X = np.array([[float(e.features.get(f, 0.0)) for f in F.FACTORS] for e in examples])
    y = np.array([float(e.label) for e in examples])
    return X, y, np.array([e.seeker_key for e in examples])


def evaluate(weights: dict[str, float], X, y, groups) -> dict[str, float]:
    scores = X @ np.array([weights[f] for f in F.FACTORS])
    binary = (y >= 0.5).astype(int)
    auc = float(roc_auc_score(binary, scores)) if len(set(binary)) == 2 else float("nan")
    ndcgs = []
    for key in np.unique(groups):
        mask = groups == key
        if mask.sum() >= 2 and y[mask].sum() > 0:
            ndcgs.append(ndcg_score([y[mask]], [scores[mask]], k=10))
    return {"roc_auc": round(auc, 4), "ndcg_at_10": round(float(np.mean(ndcgs)) if ndcgs else float("nan"), 4)}


def fit_weights(X, y, baseline: dict[str, float]) -> dict[str, float]:
    model = LogisticRegression(C=1.0, max_iter=2000).fit(X, (y >= 0.5).astype(int))
    coef = np.clip(model.coef_[0], 0.0, None)
    if coef.sum() <= 0:
        return dict(baseline)
    coef = coef * (sum(baseline.values()) / coef.sum())
    return {f: round(float(w), 6) for f, w in zip(F.FACTORS, coef, strict=True)}


def train(
    examples: list[Example], *, serving: dict[str, float], seed: int = 0, min_outcomes: int = MIN_OUTCOMES
) -> TrainResult:
    """Fit on 70% of the seekers and compare with ``serving`` on the other 30%. ``adopt`` says only
    that it won there; the caller adds the other parts of the rule."""
    X, y, groups = _matrix(examples)
    binary = (y >= 0.5).astype(int)
    min_outcomes = max(min_outcomes, MIN_OUTCOMES)
    if len(examples) < min_outcomes or len(set(binary)) < 2 or len(set(groups)) < 4:
        return TrainResult(
            None,
            {"outcomes": len(examples)},
            False,
            f"Not trained: it needs at least {min_outcomes} outcomes from 4 or more seekers, with both good and poor outcomes.",
        )
    train_idx, test_idx = next(GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=seed).split(X, y, groups))
    if len(set(binary[train_idx])) < 2 or len(set(binary[test_idx])) < 2:
        return TrainResult(
            None, {"outcomes": len(examples)}, False, "Not trained: the held-out split lacks good or poor outcomes."
        )
    weights = fit_weights(X[train_idx], y[train_idx], serving)
    held_out = (X[test_idx], y[test_idx], groups[test_idx])
    metrics = {
        "outcomes": len(examples),
        "held_out": len(test_idx),
        "model": evaluate(weights, *held_out),
        "serving": evaluate(serving, *held_out),
    }
    better = [metrics["model"][m] > metrics["serving"][m] for m in ("roc_auc", "ndcg_at_10")]
    adopt = all(better)
    decision = (
        "Better than the weights now serving on both ROC AUC and NDCG@10 on held-out outcomes."
        if adopt
        else "Recorded but not adopted: it was not better than the weights now serving on both ROC AUC and NDCG@10."
    )
    return TrainResult(weights, metrics, adopt, decision)


def synthetic_examples(
    n: int, *, seed: int = 7, preference: dict[str, float] | None = None, noise: float = 0.15
) -> list[Example]:
    """Outcomes for demos and tests: what seekers in a seeded register were shown, labelled by a
    hidden preference (by default one that cares more about distance and language than the baseline).
    With ``noise=0`` the top three shown to each seeker under ``preference`` are the good outcomes."""
    preference = preference or {**dict.fromkeys(F.FACTORS, 0.2), "locality": 4.0, "languages": 3.0, "availability": 2.0}
    rng = random.Random(seed)
    register = synthetic.candidates(800, seed, n_towns=8)
    stats = RegisterStats.of(register)
    examples: list[Example] = []
    for i, query in enumerate(
        synthetic.queries(max(1, n // 10 + 1), seed + 1, register_seed=seed, register_size=800, n_towns=8)
    ):
        shown = _shown(query, register, stats)
        scored = sorted(((pairwise.total(f, preference) + rng.gauss(0, noise), f) for f in shown), key=lambda p: -p[0])
        for rank, (_, feats) in enumerate(scored):
            examples.append(Example(f"synthetic:{seed}:{i}", feats, 1.0 if rank < 3 else 0.0))
        if len(examples) >= n:
            break
    return examples[:n]


def _shown(query, register, stats) -> list[dict[str, float]]:
    """Feature vectors of everyone who passes the query's filters, nearest first, at most 12."""
    query = replace(query, must=frozenset())
    rows = []
    for c in register:
        d = pairwise.distance_km(query, c)
        if pairwise.passes(query, c, d):
            rows.append((d, c.ref, pairwise.feature_vector(query, c, d, stats)))
    return [f for _, _, f in sorted(rows)[:12]]
