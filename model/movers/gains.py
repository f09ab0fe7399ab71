"""What moves one unit's PII and rank: movers, the cheapest way to a target rank, attribution.

Points are score-equivalents on the edition's goalposts, the units of `Scenario` targets, so a
result can be turned straight into a scenario (`Reach.targets()`). Everything starts from a
unit's baseline or from any Scenario (its targets, peers and scale).

movers      for every indicator: effective weight, PII gain per point, PII and rank after a
            step (default +10 points) and at the national best, and the points that indicator
            alone needs to overtake the unit just above (this module).
reach       the smallest total gain (optionally cost-weighted) that lifts the unit to rank k,
            a linear programme (scipy.optimize.linprog, HiGHS), checked with the engine
            (model.movers.reach); `allowed_codes` says which indicators may move (those a
            province can act on, the plan's, the budget levers, all, or a list).
attribution the scenario's PII change split over its changed indicators: linear contributions
            (frozen) or Shapley values (renormalize; exact up to 12 changes, else Monte Carlo)
            (model.movers.attribution).

The starting point they share is in model.movers.core; every public name is importable from
model.movers (the face).

Exactness of the one-indicator variants. Min-max normalisation works column by column and the
PII is linear in the scores with each unit's effective weights (arithmetic means, missing values
skipped), so when only the unit's indicator i changes, every unit's PII changes by
weight[j, i] x (its new score on i - its old one). `_one_indicator` evaluates all variants that
way in one vectorised call: the same numbers as `evaluate_targets` (the tests check every
indicator in both scale modes) at a fraction of the cost of re-aggregating (n, m) per variant.

Scale modes. frozen: the unit's score moves, capped at 100, nobody else moves. renormalize: the
unit's value moves in score-equivalents; min and max are recomputed over all units; the national
best (the cap) is the largest value any unit has, so the maximum never moves, but raising a unit
that holds the minimum lifts the minimum and lowers everyone else's score on that indicator.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from model.index.dataset import Edition
from model.index.engine import rank_desc
from model.index.scenario import Scenario
from model.movers.core import (
    _TINY,
    DEFAULT_STEP,
    HALF_STEP,
    MoversError,
    _one_indicator,
    _prepare,
    _rounded,
    _State,
)

# --------------------------------------------------------------------------------------------
# Movers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mover:
    """One indicator's leverage on the unit's PII and rank."""

    code: str
    score: float  # the unit's starting point (score-equivalents; NaN: no value)
    weight: float  # effective weight in the unit's PII (the unit's weights sum to 1)
    delta_pii_per_point: float  # PII gain of the next point (0 at the national best)
    step: float  # points actually added: the chosen step, capped at the national best
    pii_at_step: float
    delta_pii_at_step: float
    rank_at_step: int
    best_gain: float  # points up to the national best
    pii_at_best: float
    rank_at_best: int
    points_to_next_rank: float | None  # points this indicator alone needs to overtake next_units


@dataclass(frozen=True, eq=False)
class Movers:
    """Movers for one unit: a Mover per indicator, in framework order, and the context."""

    unit: str
    edition: int
    scale: str
    step: float
    pii: float
    rank: int
    next_units: tuple[str, ...]  # the unit(s) just above (empty for the leader)
    next_pii: float | None  # their two-decimal PII
    items: tuple[Mover, ...]

    def __iter__(self) -> Iterator[Mover]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def get(self, code: str) -> Mover:
        for m in self.items:
            if m.code == code:
                return m
        raise KeyError(code)

    def frame(self) -> pd.DataFrame:
        """One row per indicator; points_to_next_rank is NaN where unreachable within 100."""
        df = pd.DataFrame([asdict(m) for m in self.items])
        df["points_to_next_rank"] = pd.to_numeric(df["points_to_next_rank"]).astype(float)
        return df


def movers(
    ed: Edition,
    target: str | Scenario,
    *,
    step: float = DEFAULT_STEP,
    scale: str | None = None,
    trend: np.ndarray | None = None,
) -> Movers:
    """Movers for a unit (slug: its baseline) or a Scenario (starting from its scores).

    `scale` defaults to the scenario's (frozen for a slug); `trend` is needed for peers='trend'.
    """
    if not (isinstance(step, int | float) and math.isfinite(step) and step > 0):
        raise MoversError("movers.err_step", value=str(step))
    st = _prepare(ed, target, scale, trend)
    fw, u = ed.framework, st.unit
    idx = np.flatnonzero(~np.isnan(st.start))
    k = len(idx)
    start, head = st.start[idx], st.headroom[idx]
    d_step, d_one = np.minimum(step, head), np.minimum(1.0, head)
    pii_all = _one_indicator(
        st,
        np.concatenate([idx, idx, idx]),
        np.concatenate([start + d_step, start + head, start + d_one]),
    )
    ranks = rank_desc(pii_all)[:, u]
    p0 = st.pii[u]
    at_step, at_best, at_one = pii_all[:k, u], pii_all[k : 2 * k, u], pii_all[2 * k :, u]
    if st.frozen:
        per_point = np.where(head > 0, st.weights[u, idx], 0.0)
    else:
        per_point = np.divide(at_one - p0, d_one, out=np.zeros(k), where=d_one > 0)
    nxt, who = _next_above(st.pii, u)
    points = _points_to_next(st, idx, head, nxt, who)

    items = {}
    for j, i in enumerate(idx):
        items[i] = Mover(
            code=fw.codes[i],
            score=float(start[j]),
            weight=float(st.weights[u, i]),
            delta_pii_per_point=float(per_point[j]),
            step=float(d_step[j]),
            pii_at_step=float(at_step[j]),
            delta_pii_at_step=float(at_step[j] - p0),
            rank_at_step=int(ranks[j]),
            best_gain=float(head[j]),
            pii_at_best=float(at_best[j]),
            rank_at_best=int(ranks[k + j]),
            points_to_next_rank=None if np.isnan(points[j]) else float(points[j]),
        )
    rank0 = int(st.rank[u])
    for i in np.flatnonzero(np.isnan(st.start)):  # no value: nothing to raise
        items[i] = Mover(fw.codes[i], math.nan, 0.0, 0.0, 0.0, p0, 0.0, rank0, 0.0, p0, rank0, None)
    return Movers(
        unit=st.slug,
        edition=ed.year,
        scale=st.scenario.scale,
        step=float(step),
        pii=float(p0),
        rank=rank0,
        next_units=tuple(ed.slugs[j] for j in who),
        next_pii=None if nxt is None else float(nxt),
        items=tuple(items[i] for i in range(fw.m)),
    )


def movers_frame(ed: Edition, target: str | Scenario, **kwargs) -> pd.DataFrame:
    """`movers(...)` as a DataFrame, with indicator names and pillars."""
    mv = movers(ed, target, **kwargs)
    df = mv.frame()
    fw = ed.framework
    df.insert(1, "name_vi", [fw.indicator(c).name_vi for c in df["code"]])
    df.insert(2, "name_en", [fw.indicator(c).name_en for c in df["code"]])
    df.insert(3, "pillar", [fw.indicator(c).pillar for c in df["code"]])
    return df


def _next_above(pii: np.ndarray, u: int) -> tuple[float | None, np.ndarray]:
    """The two-decimal PII of the unit(s) just above u, and who they are."""
    r = _rounded(pii)
    above = r > r[u]
    if not above.any():
        return None, np.array([], dtype=np.intp)
    p = float(r[above].min())
    return p, np.flatnonzero(r == p)


def _overtakes(pii: np.ndarray, u: int, who: np.ndarray) -> np.ndarray:
    r = _rounded(pii)
    return r[:, u] > r[:, who].max(axis=1)


def _points_to_next(
    st: _State, idx: np.ndarray, head: np.ndarray, nxt: float | None, who: np.ndarray
) -> np.ndarray:
    """Smallest rise of each indicator alone that overtakes `who` (NaN: not within the cap)."""
    k, u = len(idx), st.unit
    out = np.full(k, np.nan)
    if nxt is None or k == 0:
        return out
    start = st.start[idx]
    at_head = _one_indicator(st, idx, start + head)
    can = _overtakes(at_head, u, who) & (head > 0)
    if not can.any():
        return out
    sel, s0, h = idx[can], start[can], head[can]
    # Linear first: the PII gain is linear in the points (frozen; renormalize unless the unit
    # holds the national minimum), so it crosses the next two-decimal score at
    # d = (next + 0.005 - pii) / slope; a nudge guards against floats rounding the wrong way.
    slope = (at_head[can, u] - st.pii[u]) / h
    d = np.minimum((nxt + HALF_STEP + _TINY - st.pii[u]) / slope, h)
    for _ in range(8):
        bad = ~_overtakes(_one_indicator(st, sel, s0 + d), u, who)
        if not bad.any():
            break
        d = np.where(bad, np.minimum(d + 1e-9 * (1.0 + d), h), d)
    # Where the linear answer does not hold or is not the smallest (the unit holds the minimum:
    # no own gain at first while the others lose), bisect: the overtaking is monotone in d.
    less = np.maximum(d - 1e-7 * (1.0 + d), 0.0)
    fix = bad | _overtakes(_one_indicator(st, sel, s0 + less), u, who)
    if fix.any():  # a 64-point grid per round narrows [lo, hi] 64-fold: 7 rounds for 1e-10
        f_sel, f_s0 = sel[fix], s0[fix]
        lo, hi = np.zeros(fix.sum()), h[fix].copy()
        grid = np.linspace(0.0, 1.0, 65)[1:]
        while (hi - lo).max() > 1e-9:
            pts = lo[:, None] + (hi - lo)[:, None] * grid  # (f, 64)
            pts[:, -1] = hi  # known to overtake
            ok = _overtakes(
                _one_indicator(st, np.repeat(f_sel, 64), (f_s0[:, None] + pts).ravel()), u, who
            ).reshape(-1, 64)
            first = ok.argmax(axis=1)  # monotone: the first grid point that overtakes
            hi_new = pts[np.arange(len(pts)), first]
            lo = np.where(first > 0, pts[np.arange(len(pts)), first - 1], lo)
            hi = hi_new
        d[fix] = hi
    out[can] = d
    return out
