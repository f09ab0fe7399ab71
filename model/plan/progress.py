"""Progress: a measured value as a score on the plan's scale, and how far it is along the way."""

from __future__ import annotations

import math

from model.index.dataset import Edition
from model.index.scenario import TARGET_LIMITS, ScenarioError, check_raw

PROGRESS_KINDS = ("score", "raw")
# A raw reading is a measurement, not a wish: it may lie up to one national range beyond
# either goalpost (score-equivalent -100 to 200; R&D at 1.99 % of GRDP where the range is
# 0.01-1 %), never below 0 for a share, count or amount. 45 % of GRDP is a mistyped 0,45.
READING_LIMITS = (-100.0, 200.0)


def progress_score(
    ed: Edition, code: str, kind: str, value: float, limits: tuple[float, float] = READING_LIMITS
) -> float:
    """The score-equivalent of a progress reading (a score as is; a raw value through the
    edition's goalposts, not clipped, within `limits` as score-equivalents: see
    READING_LIMITS). ScenarioError for anything that is not a usable number."""
    if kind not in PROGRESS_KINDS:
        raise ScenarioError("plan.err_progress_kind", kind=str(kind))
    if code not in ed.framework.index:
        raise ScenarioError("plan.err_progress_code", code=str(code), year=ed.year)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ScenarioError("plan.err_progress_value", value=str(value)) from None
    if not math.isfinite(v):
        raise ScenarioError("plan.err_progress_finite", value=str(value))
    if kind == "raw":
        check_raw(ed, code, v, limits)
    score = v if kind == "score" else float(ed.raw_to_score(code, v))
    if kind == "score" and not 0.0 <= score <= 100.0:
        raise ScenarioError("plan.err_score_range", value=v)
    if not TARGET_LIMITS[0] <= score <= TARGET_LIMITS[1]:
        raise ScenarioError("plan.err_far_outside", value=v, code=code)
    return score


def progress_fraction(baseline: float, target: float, score: float) -> float:
    """How far `score` has come from the plan's baseline towards its target, 0..1."""
    if target <= baseline:
        return 1.0 if score >= target else 0.0
    return float(min(1.0, max(0.0, (score - baseline) / (target - baseline))))


def target_from_raw(ed: Edition, code: str, raw: float) -> float:
    """The target score a raw value means under `ed`'s goalposts, within 0..100 (a raw value
    beyond the national maximum is the best score, 100)."""
    score = progress_score(ed, code, "raw", raw, TARGET_LIMITS)  # a target, not a reading
    return float(min(100.0, max(0.0, score)))
