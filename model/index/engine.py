"""The index engine: normalise, aggregate, rank.

Vectorised over any leading batch dimensions: scores have shape (..., units, indicators), so one
call evaluates one edition or S scenarios at once. Arithmetic means all the way up, as the PII
(and the GII it follows) does; a missing indicator is skipped inside its group and the coverage
is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import i18n
from model.index.framework import Framework

RANK_DECIMALS = 2  # ranks follow the published, two-decimal scores: equal scores share a rank


class EngineError(i18n.LocalizedError, ValueError):
    """Arrays that do not fit the framework (a programming error more than a user's)."""


def normalise(
    values: np.ndarray, lo: np.ndarray, hi: np.ndarray, direction: np.ndarray
) -> np.ndarray:
    """Min-max to 0-100 against goalposts lo/hi (per indicator), respecting direction.

    Not clipped: a value beyond the goalposts gives a score outside 0-100; callers decide
    whether to cap (frozen mode) or to move the goalposts (renormalize mode).
    """
    span = np.where(hi > lo, hi - lo, np.nan)
    up = (values - lo) / span * 100.0
    return np.where(direction > 0, up, 100.0 - up)


def denormalise(
    scores: np.ndarray, lo: np.ndarray, hi: np.ndarray, direction: np.ndarray
) -> np.ndarray:
    """Raw value for a score under goalposts lo/hi (the inverse of `normalise`)."""
    frac = np.where(direction > 0, scores, 100.0 - scores) / 100.0
    return lo + frac * (hi - lo)


def renormalise(values: np.ndarray) -> np.ndarray:
    """Min-max to 0-100 over the units axis (-2), as the Ministry does each edition.

    `values` are on any scale that is affine in the raw values (raw, or scores under fixed
    goalposts), oriented so that higher is better. An indicator with no spread scores 0.
    """
    lo = np.nanmin(values, axis=-2, keepdims=True)
    hi = np.nanmax(values, axis=-2, keepdims=True)
    span = hi - lo
    safe = np.where(span > 0, span, 1.0)
    return np.where(span > 0, (values - lo) / safe * 100.0, 0.0)


@dataclass(frozen=True, eq=False)
class Aggregates:
    """Every level of the tree for a batch; arrays share the leading batch shape."""

    groups: np.ndarray  # (..., n, G)
    pillars: np.ndarray  # (..., n, 7)
    input: np.ndarray  # (..., n)
    output: np.ndarray  # (..., n)
    pii: np.ndarray  # (..., n)
    rank: np.ndarray  # (..., n) 1 = best, ties share the best rank
    coverage: np.ndarray  # (..., n) share of indicators with a value


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """values (..., k) @ weights (k, j) as a weighted mean that skips NaN entries."""
    present = ~np.isnan(values)
    num = np.where(present, values, 0.0) @ weights
    den = present.astype(float) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def aggregate(fw: Framework, scores: np.ndarray) -> Aggregates:
    """Aggregate indicator scores (..., n, m) up the tree and rank the units."""
    scores = np.asarray(scores, dtype=float)
    if scores.shape[-1] != fw.m:
        raise EngineError("engine.err_shape", expected=fw.m, got=int(scores.shape[-1]))
    if np.isnan(scores).any():
        groups = _weighted_mean(scores, fw.w_raw)
        pillars = _weighted_mean(groups, fw.g_raw)
        coverage = (~np.isnan(scores)).mean(axis=-1)
    else:  # the common case: plain matrix products
        groups = scores @ fw.w_group
        pillars = groups @ fw.w_pillar
        coverage = np.ones(scores.shape[:-1])
    inp = pillars[..., :5].mean(axis=-1)
    out = pillars[..., 5:].mean(axis=-1)
    pii = (inp + out) / 2.0
    return Aggregates(groups, pillars, inp, out, pii, rank_desc(pii), coverage)


def rank_desc(values: np.ndarray, decimals: int = RANK_DECIMALS) -> np.ndarray:
    """Competition ranks (1 = highest) along the last axis on values rounded to `decimals`."""
    r = np.round(np.nan_to_num(values, nan=-np.inf), decimals)
    return 1 + (r[..., None, :] > r[..., :, None]).sum(axis=-1)


def percentile_ranks(values: np.ndarray) -> np.ndarray:
    """Percentile rank of each unit per column (..., n, k): share of units at or below it."""
    v = np.asarray(values, dtype=float)
    below_or_equal = (v[..., None, :, :] <= v[..., :, None, :]).sum(axis=-2)
    return below_or_equal / v.shape[-2]
