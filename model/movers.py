"""What moves one unit's PII and rank: movers, the cheapest way to a target rank, attribution.

Points are score-equivalents on the edition's goalposts, the units of `Scenario` targets, so a
result can be turned straight into a scenario (`Reach.targets()`). Everything starts from a
unit's baseline or from any Scenario (its targets, peers and scale).

movers      for every indicator: effective weight, PII gain per point, PII and rank after a
            step (default +10 points) and at the national best, and the points that indicator
            alone needs to overtake the unit just above.
reach       the smallest total gain (optionally cost-weighted) that lifts the unit to rank k,
            a linear programme (scipy.optimize.linprog, HiGHS), checked with the engine.
attribution the scenario's PII change split over its changed indicators: linear contributions
            (frozen) or Shapley values (renormalize; exact up to 12 changes, else Monte Carlo).

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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from .dataset import Edition
from .engine import RANK_DECIMALS, aggregate, rank_desc, renormalise
from .scenario import (
    Scenario,
    ScenarioError,
    _peer_delta,
    check,
    effective_weights_for,
    evaluate_targets,
)

DEFAULT_STEP = 10.0
EXACT_SHAPLEY_MAX = 12  # up to 2**12 = 4,096 coalitions evaluated exactly
HALF_STEP = 0.5 * 10.0**-RANK_DECIMALS  # 0.005: a PII this far above a two-decimal score rounds up
_TINY = 1e-9  # margin above HALF_STEP so that rounding lands on the right side
_LP_MARGIN = 1e-6  # margin for the LP (HiGHS' feasibility tolerance is 1e-7)


class MoversError(ScenarioError):
    """Invalid input to movers, reach or attribution (the CLI shows the message)."""


# --------------------------------------------------------------------------------------------
# The starting point
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _State:
    ed: Edition
    scenario: Scenario
    unit: int
    values: np.ndarray  # (n, m) score-equivalents before normalisation (peers moved, targets set)
    scores: np.ndarray  # (n, m) the scores the engine aggregates
    pii: np.ndarray  # (n,)
    rank: np.ndarray  # (n,)
    weights: np.ndarray  # (n, m) d PII_j / d score_j,i (rows sum to 1)
    start: np.ndarray  # (m,) the unit's starting point, score-equivalents (NaN: no value)
    ceiling: np.ndarray  # (m,) national best: 100 (frozen) or the largest value of any unit
    peer_delta: np.ndarray | None

    @property
    def frozen(self) -> bool:
        return self.scenario.scale == "frozen"

    @property
    def headroom(self) -> np.ndarray:
        """Points each indicator can still rise (0 where the unit has no value)."""
        return np.nan_to_num(np.maximum(self.ceiling - self.start, 0.0), nan=0.0)

    @property
    def slug(self) -> str:
        return self.ed.slugs[self.unit]


def _scenario_of(ed: Edition, target: str | Scenario, scale: str | None) -> Scenario:
    if isinstance(target, Scenario):
        s = target if scale is None or scale == target.scale else replace(target, scale=scale)
    else:
        s = Scenario(unit=str(target), edition=ed.year, scale=scale or "frozen")
    check(s, ed)
    return s


def _prepare(
    ed: Edition, target: str | Scenario, scale: str | None, trend: np.ndarray | None
) -> _State:
    s = _scenario_of(ed, target, scale)
    fw, u = ed.framework, ed.unit_index(s.unit)
    base = ed.scores
    values = base.copy()
    delta = _peer_delta(s, ed, trend)
    if delta is not None:
        others = np.arange(ed.n) != u
        values[others] += delta[others]
    t = np.full(fw.m, np.nan)
    for code, v in s.targets:
        t[fw.index[code]] = v
    values[u] = np.where(np.isnan(t), base[u], t)
    if s.scale == "frozen":
        scores = np.clip(values, 0.0, 100.0)
        start = scores[u].copy()
        ceiling = np.full(fw.m, 100.0)
    else:
        scores = renormalise(values)
        start = values[u].copy()
        with np.errstate(all="ignore"):
            ceiling = np.nanmax(values, axis=0)
    pii = aggregate(fw, scores).pii
    weights = np.broadcast_to(fw.effective_weights(), scores.shape).copy()
    for j in np.flatnonzero(np.isnan(scores).any(axis=1)):
        weights[j] = effective_weights_for(ed, scores[j])
    return _State(ed, s, u, values, scores, pii, rank_desc(pii), weights, start, ceiling, delta)


def _one_indicator(st: _State, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Every unit's PII (k, n) when the unit's indicator idx[k] is set to x[k] (exact)."""
    idx = np.asarray(idx, dtype=np.intp)
    x = np.asarray(x, dtype=float)
    k, u = len(idx), st.unit
    pii = np.broadcast_to(st.pii, (k, st.ed.n)).copy()
    if st.frozen:
        pii[:, u] += st.weights[u, idx] * (np.clip(x, 0.0, 100.0) - st.scores[u, idx])
        return pii
    cols = st.values[:, idx].T.copy()  # (k, n)
    cols[:, u] = x
    new = renormalise(cols[:, :, None])[:, :, 0]
    change = np.nan_to_num(new - st.scores[:, idx].T)
    return pii + st.weights[:, idx].T * change


def _evaluate(st: _State, gains: np.ndarray) -> np.ndarray:
    """Every unit's PII (n,) with the unit's gains (m,) applied, through the full engine."""
    own = st.start + gains  # NaN where the unit has no value: evaluate_targets keeps it missing
    agg, _, _ = evaluate_targets(
        st.ed, st.unit, own[None, :], scale=st.scenario.scale, peer_delta=st.peer_delta
    )
    return agg.pii[0]


def _rounded(pii: np.ndarray) -> np.ndarray:
    return np.round(np.nan_to_num(pii, nan=-np.inf), RANK_DECIMALS)


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
        raise MoversError(f"the step must be a positive number of points, not {step!r}")
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


# --------------------------------------------------------------------------------------------
# Reach a target rank
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gain:
    code: str
    delta_score: float
    from_score: float
    to_score: float


@dataclass(frozen=True)
class Reach:
    """The cheapest set of gains found to lift the unit to `target_rank` (strictly ahead of the
    unit now at that rank, on two-decimal scores)."""

    unit: str
    edition: int
    scale: str
    target_rank: int
    feasible: bool
    gains: tuple[Gain, ...]  # non-zero gains only; empty when infeasible or already there
    pii: float  # the unit's PII with the gains (engine)
    rank: int  # its rank with the gains (engine)
    start_pii: float
    start_rank: int
    required_pii: float  # the PII the last linear programme aimed for
    best_pii: float  # with every allowed indicator at its cap
    best_rank: int
    total_points: float
    cost: float  # the objective: sum of cost x points
    verified: bool  # the engine confirms the rank for the returned gains
    minimal: bool  # provably the cheapest (frozen, or renormalize without min-holding indicators)
    iterations: int

    def targets(self) -> dict[str, float]:
        """The gains as scenario targets (score-equivalents)."""
        return {g.code: g.to_score for g in self.gains}

    def to_dict(self) -> dict:
        d = asdict(self)
        d["gains"] = [asdict(g) for g in self.gains]
        return d


def _strict_rank(pii: np.ndarray, u: int) -> int:
    """1 + the number of other units at or above u's two-decimal score (no shared rank)."""
    r = _rounded(pii)
    return int((r >= r[u]).sum())


def _needed(pii: np.ndarray, u: int, k: int) -> float:
    """The PII u needs to be strictly ahead of the unit now k-th among the others."""
    others = np.delete(_rounded(pii), u)
    return float(np.sort(others)[::-1][k - 1]) + HALF_STEP + _LP_MARGIN


def reach(
    ed: Edition,
    target: str | Scenario,
    rank: int,
    *,
    cap: float | None = None,
    cost: Mapping[str, float] | None = None,
    codes: Sequence[str] | None = None,
    scale: str | None = None,
    trend: np.ndarray | None = None,
    max_iter: int = 25,
) -> Reach:
    """Smallest total gain (sum of cost x points) that lifts the unit to rank `rank`.

    cap: at most this many points per indicator and year (times the scenario's years); every
    indicator is also capped at the national best. cost: points of an indicator cost this much
    (default 1). codes: only these indicators may move.

    Linear programme: min cost . x subject to sum a_i x_i >= required - pii, 0 <= x_i <= cap_i,
    where required is 0.005 above the two-decimal PII of the unit now at the target rank (so the
    rank is reached without sharing it) and a_i the PII gain per point. In frozen mode the other
    units do not move and a_i is the effective weight: the LP is exact. In renormalize mode a_i
    is the exact slope too, except on indicators where the unit holds the national minimum
    (raising it first lifts the minimum: no own gain, the others lose); there a_i is the average
    slope up to the cap. The result is checked with the engine; if the rank is not reached the
    required PII is raised by the shortfall and the LP solved again (`verified`, `iterations`).
    Feasibility itself is exact: every indicator at its cap is the best the unit can do, and
    that is evaluated with the engine first.
    """
    st = _prepare(ed, target, scale, trend)
    fw, u, n = ed.framework, st.unit, ed.n
    if isinstance(rank, bool) or not isinstance(rank, int | np.integer) or not 1 <= rank <= n:
        raise MoversError(f"the target rank must be a whole number between 1 and {n}, not {rank!r}")
    caps = st.headroom.copy()
    if cap is not None:
        if not (isinstance(cap, int | float) and math.isfinite(cap) and cap > 0):
            raise MoversError(f"the cap must be a positive number of points, not {cap!r}")
        caps = np.minimum(caps, float(cap) * st.scenario.years)
    if codes is not None:
        allowed = np.zeros(fw.m, dtype=bool)
        allowed[[_require(fw, c) for c in codes]] = True
        caps[~allowed] = 0.0
    c = np.ones(fw.m)
    for code, value in (cost or {}).items():
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise MoversError(f"the cost of {code} must be a positive number, not {value!r}")
        c[_require(fw, code)] = float(value)

    p0, r0 = float(st.pii[u]), int(st.rank[u])
    best = _evaluate(st, caps)
    common = dict(
        unit=st.slug,
        edition=ed.year,
        scale=st.scenario.scale,
        target_rank=int(rank),
        start_pii=p0,
        start_rank=r0,
        best_pii=float(best[u]),
        best_rank=int(rank_desc(best)[u]),
    )
    if r0 <= rank:  # already there
        return Reach(
            **common,
            feasible=True,
            gains=(),
            pii=p0,
            rank=r0,
            required_pii=p0,
            total_points=0.0,
            cost=0.0,
            verified=True,
            minimal=True,
            iterations=0,
        )
    if _strict_rank(best, u) > rank:
        return Reach(
            **common,
            feasible=False,
            gains=(),
            pii=p0,
            rank=r0,
            required_pii=_needed(st.pii, u, rank),
            total_points=0.0,
            cost=0.0,
            verified=True,
            minimal=True,
            iterations=0,
        )

    if st.frozen:
        slope = st.weights[u].copy()
        exact = True
    else:
        movable = np.flatnonzero(caps > 0)
        slope = np.zeros(fw.m)
        gain = _one_indicator(st, movable, st.start[movable] + caps[movable])[:, u] - p0
        slope[movable] = gain / caps[movable]
        with np.errstate(all="ignore"):
            others_min = np.nanmin(np.delete(st.values, u, axis=0), axis=0)
        exact = not np.any((st.start < others_min) & (caps > 0))
    required = _needed(st.pii, u, rank)
    x, verified, iterations, lp_ok = caps.copy(), False, 0, True
    bounds = list(zip(np.zeros(fw.m), caps, strict=True))
    while iterations < max_iter:
        iterations += 1
        res = linprog(c, A_ub=-slope[None, :], b_ub=[p0 - required], bounds=bounds, method="highs")
        if res.status != 0:  # the linear model cannot get there: every indicator at its cap
            x, lp_ok = caps.copy(), False
        else:
            x = np.clip(res.x, 0.0, caps)
            x[x < 1e-9] = 0.0
        pii = _evaluate(st, x)
        if _strict_rank(pii, u) <= rank:
            verified = True
            break
        if not lp_ok:
            break
        required += max(_needed(pii, u, rank) - pii[u], _LP_MARGIN)
    pii = _evaluate(st, x)
    gains = tuple(
        Gain(fw.codes[i], float(x[i]), float(st.start[i]), float(st.start[i] + x[i]))
        for i in np.flatnonzero(x > 0)
    )
    return Reach(
        **common,
        feasible=True,
        gains=gains,
        pii=float(pii[u]),
        rank=int(rank_desc(pii)[u]),
        required_pii=float(required),
        total_points=float(x.sum()),
        cost=float(c @ x),
        verified=verified,
        minimal=bool(exact and lp_ok and verified and iterations == 1),
        iterations=iterations,
    )


def _require(fw, code: str) -> int:
    try:
        return fw.require(code)
    except KeyError as exc:
        raise MoversError(str(exc.args[0])) from None


# --------------------------------------------------------------------------------------------
# Attribution: linear contributions and Shapley values
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    code: str
    delta_score: float  # target - starting value (score-equivalents)
    delta_pii: float  # this indicator's share of the PII change
    stderr: float  # Monte Carlo standard error (0 when exact)


@dataclass(frozen=True, eq=False)
class Attribution:
    """A scenario's PII change for its unit, split over the indicators it changes.

    total = pii - start_pii = sum of the shares (efficiency), where start_pii is the unit's PII
    with the other units moved as the scenario says but none of its own targets;
    peers_effect = start_pii - the edition's PII (0 with static peers).
    """

    unit: str
    edition: int
    scale: str
    method: str  # linear | shapley-exact | shapley-monte-carlo
    start_pii: float
    pii: float
    total: float
    peers_effect: float
    items: tuple[Share, ...]
    permutations: int = 0  # Monte Carlo only

    def __iter__(self) -> Iterator[Share]:
        return iter(self.items)

    def as_dict(self) -> dict[str, float]:
        return {s.code: s.delta_pii for s in self.items}

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(s) for s in self.items])


@dataclass(frozen=True, eq=False)
class ShapleyValues:
    codes: tuple[str, ...]  # the players, in the order given
    values: np.ndarray  # (k,)
    stderr: np.ndarray  # (k,)
    v_empty: float  # the unit's PII with no change
    v_full: float  # with every change
    method: str  # exact | monte-carlo
    permutations: int


def shapley_values(
    ed: Edition,
    unit: str,
    changes: Sequence[tuple[str, float]],
    *,
    scale: str = "frozen",
    peer_delta: np.ndarray | None = None,
    exact_max: int = EXACT_SHAPLEY_MAX,
    permutations: int = 256,
    seed: int = 2024,
    chunk: int = 512,
) -> ShapleyValues:
    """Shapley values of the unit's PII over `changes` (code, target in score-equivalents).

    The value of a coalition is the unit's PII with those targets set (the others left at their
    start), evaluated with `evaluate_targets` in batches of `chunk` coalitions.

    Up to `exact_max` changes: exact, all 2^k coalitions. Beyond: Monte Carlo over `permutations`
    random orders (half of them the reverses of the other half: antithetic pairs), drawn with
    `seed` after putting the changes in code order, so the estimate does not depend on the order
    given. Each order's marginal contributions add up to the total change, so the estimate is
    efficient exactly; `stderr` is the standard error of each value over the pairs (it is 0 when
    the indicators do not interact, as for the PII under arithmetic means without missing
    values: then every marginal contribution equals the indicator's own effect).
    """
    fw, u = ed.framework, ed.unit_index(unit)
    codes = tuple(str(c) for c, _ in changes)
    if len(set(codes)) != len(codes):
        raise MoversError("each indicator may appear only once among the changes")
    idx = np.array([_require(fw, c) for c in codes], dtype=np.intp)
    vals = np.array([float(v) for _, v in changes])
    k = len(codes)

    def value(member: np.ndarray) -> np.ndarray:  # (N, k) bool -> the unit's PII (N,)
        out = np.empty(len(member))
        for a in range(0, len(member), chunk):
            mb = member[a : a + chunk]
            t = np.full((len(mb), fw.m), np.nan)
            t[:, idx] = np.where(mb, vals, np.nan)
            agg, _, _ = evaluate_targets(ed, u, t, scale=scale, peer_delta=peer_delta)
            out[a : a + chunk] = agg.pii[:, u]
        return out

    ends = value(np.array([[False] * k, [True] * k]))
    if k == 0:
        return ShapleyValues(codes, np.zeros(0), np.zeros(0), ends[0], ends[1], "exact", 0)
    if k <= exact_max:
        masks = np.arange(2**k)
        member = ((masks[:, None] >> np.arange(k)) & 1).astype(bool)
        v = value(member)
        size = member.sum(axis=1)
        fact = np.array([math.factorial(s) for s in range(k + 1)], dtype=float)
        phi = np.empty(k)
        for j in range(k):
            without = masks[~member[:, j]]
            s = size[without]
            w = fact[s] * fact[k - s - 1] / fact[k]
            phi[j] = w @ (v[without | (1 << j)] - v[without])
        return ShapleyValues(codes, phi, np.zeros(k), ends[0], ends[1], "exact", 0)

    order = sorted(range(k), key=lambda j: tuple(int(p) for p in codes[j].split(".")))
    half = max(1, permutations // 2)
    rng = np.random.default_rng(seed)
    perms = np.array([rng.permutation(k) for _ in range(half)])
    perms = np.stack([perms, perms[:, ::-1]], axis=1).reshape(2 * half, k)  # antithetic pairs
    players = np.array(order)[perms]  # (P, k): positions in `codes`
    pos = np.empty_like(players)
    pos[np.arange(len(players))[:, None], players] = np.arange(k)
    # coalition after t players of each order, t = 1..k-1 (t = 0 and k are the ends)
    member = pos[:, None, :] < np.arange(1, k)[None, :, None]  # (P, k-1, k)
    v = value(member.reshape(-1, k)).reshape(len(players), k - 1)
    v = np.concatenate(
        [np.full((len(players), 1), ends[0]), v, np.full((len(players), 1), ends[1])], axis=1
    )
    marg = np.diff(v, axis=1)  # (P, k) in order position
    contrib = np.empty_like(marg)
    contrib[np.arange(len(players))[:, None], players] = marg
    pairs = contrib.reshape(half, 2, k).mean(axis=1)
    phi = pairs.mean(axis=0)
    err = pairs.std(axis=0, ddof=1) / math.sqrt(half) if half > 1 else np.full(k, np.nan)
    return ShapleyValues(codes, phi, err, ends[0], ends[1], "monte-carlo", 2 * half)


def attribution(
    ed: Edition,
    scenario: Scenario,
    *,
    method: str = "auto",
    trend: np.ndarray | None = None,
    exact_max: int = EXACT_SHAPLEY_MAX,
    permutations: int = 256,
    seed: int = 2024,
) -> Attribution:
    """Split the scenario's PII change for its unit over the indicators it changes.

    method: auto (linear in frozen mode, Shapley in renormalize mode), linear or shapley.
    Linear contributions are weight x score change, exact in frozen mode (the PII is linear in
    the unit's own scores and nobody else moves). Shapley values are order-free in any mode.
    """
    if method not in ("auto", "linear", "shapley"):
        raise MoversError(f"method must be auto, linear or shapley, not {method!r}")
    check(scenario, ed)
    st = _prepare(ed, replace(scenario, targets=()), None, trend)
    fw, u = ed.framework, st.unit
    changes = [(c, v) for c, v in scenario.targets if abs(v - ed.scores[u, fw.index[c]]) > 1e-12]
    p_start = float(st.pii[u])
    peers_effect = p_start - float(ed.baseline().pii[u])
    if method == "auto":
        method = "linear" if scenario.scale == "frozen" else "shapley"
    if method == "linear":
        # weight x change of the unit's own score (its score after normalisation)
        idx = np.array([fw.index[c] for c, _ in changes], dtype=np.intp)
        gains = _gains_of(st, changes)
        own = (st.start + gains)[None, :]
        agg, scores, _ = evaluate_targets(
            ed, u, own, scale=scenario.scale, peer_delta=st.peer_delta
        )
        contrib = st.weights[u, idx] * (scores[0, u, idx] - st.scores[u, idx])
        pii = float(agg.pii[0, u])
        items = tuple(
            Share(c, float(gains[i]), float(d), 0.0)
            for (c, _), i, d in zip(changes, idx, contrib, strict=True)
        )
        return Attribution(
            st.slug,
            ed.year,
            scenario.scale,
            "linear",
            p_start,
            pii,
            pii - p_start,
            peers_effect,
            items,
        )
    sv = shapley_values(
        ed,
        scenario.unit,
        changes,
        scale=scenario.scale,
        peer_delta=st.peer_delta,
        exact_max=exact_max,
        permutations=permutations,
        seed=seed,
    )
    items = tuple(
        Share(c, float(v - st.start[fw.index[c]]), float(phi), float(e))
        for (c, v), phi, e in zip(changes, sv.values, sv.stderr, strict=True)
    )
    return Attribution(
        st.slug,
        ed.year,
        scenario.scale,
        f"shapley-{sv.method}",
        float(sv.v_empty),
        float(sv.v_full),
        float(sv.v_full - sv.v_empty),
        peers_effect,
        items,
        sv.permutations,
    )


def _gains_of(st: _State, changes: Sequence[tuple[str, float]]) -> np.ndarray:
    g = np.zeros(st.ed.framework.m)
    for c, v in changes:
        i = st.ed.framework.index[c]
        g[i] = v - st.start[i]
    return g


__all__ = [
    "DEFAULT_STEP",
    "Attribution",
    "Gain",
    "Mover",
    "Movers",
    "MoversError",
    "Reach",
    "Share",
    "ShapleyValues",
    "attribution",
    "movers",
    "movers_frame",
    "reach",
    "shapley_values",
]
