"""What a leader must see beside an estimated number: the ≈ mark, its interval, and a rank
change that passes estimated neighbours as a range of places.

An estimated PII is known to a few points (model/estimates/quality/intervals.py), so a scenario that
moves a province past estimated neighbours cannot claim an exact number of places: each
neighbour's true score lies anywhere in its interval. The places gained are then a range,
from the neighbours surely passed to those possibly passed (published neighbours are exact).
"""

from __future__ import annotations

import math

import numpy as np

MARK = "≈"  # an estimate: never a published number


def estimated(low: float | None) -> bool:
    """Whether a value with this lower interval end is an estimate (published: None / NaN)."""
    return low is not None and not (isinstance(low, float) and math.isnan(low))


def places_range(
    base: np.ndarray, new: np.ndarray, u: int, low: np.ndarray, high: np.ndarray
) -> tuple[int, int]:
    """Places unit `u` gains from `base` to `new` PIIs (both (n,)), as (fewest, most) over
    every true score the others' baseline intervals (`low`, `high`; NaN where published)
    allow. A neighbour v is passed upward when its true score x lies in (base_u, new_u - d_v)
    (d_v: its own change), downward when in (new_u - d_v, base_u)."""
    lo = np.where(np.isnan(low), base, low)
    hi = np.where(np.isnan(high), base, high)
    d = new - base
    up_sure = up_maybe = down_sure = down_maybe = 0
    for v in range(base.shape[0]):
        if v == u:
            continue
        a, b = base[u], new[u] - d[v]  # the band of true scores v can have to be passed
        if b > a:  # u may pass v upward: x in (a, b]
            up_sure += int(lo[v] > a and hi[v] <= b)
            up_maybe += int(hi[v] > a and lo[v] <= b)
        elif b < a:  # v may pass u: x in [b, a)
            down_sure += int(lo[v] >= b and hi[v] < a)
            down_maybe += int(hi[v] >= b and lo[v] < a)
    return up_sure - down_maybe, up_maybe - down_sure


def rank_range_at(
    base: np.ndarray, new: np.ndarray, u: int, low: np.ndarray, high: np.ndarray
) -> tuple[int, int]:
    """The rank `u` can hold with PIIs `new`, every estimated PII (its own too) anywhere in its
    interval moved by its change: (best, worst)."""
    d = new - base
    lo = np.where(np.isnan(low), base, low) + d
    hi = np.where(np.isnan(high), base, high) + d
    others = np.arange(base.shape[0]) != u
    best = 1 + int((others & (lo > hi[u])).sum())
    worst = 1 + int((others & (hi > lo[u])).sum())
    return best, worst


ESTIMATED_CELLS = ("reconstructed",)  # indicator provenances that are estimates


def supported(profile: dict, half: float) -> tuple[list[str], list[str], bool]:
    """A profile's strengths and weaknesses (model.profile) kept only where they do not rest on
    an estimate the interval cannot support: an estimated indicator (± `half`, the indicator
    interval of model/estimates/quality/intervals.py) stays a strength only if its whole interval lies
    above the unit's own PII (the flat profile), a weakness only if it lies below; an estimated
    100 or 0 never (the reconstruction puts each indicator's extremes somewhere). Returns the
    kept strengths, weaknesses and whether the unit has estimated indicators at all."""
    by_code = {i["code"]: i for i in profile["indicators"]}
    ref = float(profile["pii"])
    h = half if not math.isnan(half) else math.inf

    def keep(code: str, strong: bool) -> bool:
        ind = by_code[code]
        if ind["provenance"] not in ESTIMATED_CELLS:
            return True
        if ind["score"] >= 100.0 or ind["score"] <= 0.0:
            return False  # an estimated extreme is where the reconstruction put the anchor
        return ind["score"] - h > ref if strong else ind["score"] + h < ref

    estimated_any = any(i["provenance"] in ESTIMATED_CELLS for i in profile["indicators"])
    return (
        [c for c in profile["strengths"] if keep(c, True)],
        [c for c in profile["weaknesses"] if keep(c, False)],
        estimated_any,
    )
