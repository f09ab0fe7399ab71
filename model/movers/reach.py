"""Reach a target rank: the smallest (optionally cost-weighted) total gain that lifts a unit to
rank k, a linear programme (scipy.optimize.linprog, HiGHS) checked with the engine."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import linprog

from model.budget.levers import Lever, load_levers
from model.index.dataset import Edition
from model.index.engine import rank_desc
from model.index.scenario import Scenario
from model.movers.core import (
    _LP_MARGIN,
    HALF_STEP,
    MoversError,
    _evaluate,
    _one_indicator,
    _prepare,
    _require,
    _rounded,
)

# Which indicators may move: the ones a province can act on (actionable.csv, the default), the
# plan's, the budget's moveable levers, every indicator, or a list the user gives.
WITHIN = ("actionable", "plan", "levers", "all", "custom")
# At most this many score points per indicator and year: the Movers page's default and the
# plan recommender's, so both answer the same question the same way (no target pushed to the
# national best only because its weight is the largest).
REACH_CAP = 30.0


def allowed_codes(
    ed: Edition,
    within: str = "actionable",
    plan: object | None = None,
    codes: Iterable[str] | None = None,
    levers: Sequence[Lever] | None = None,
) -> tuple[str, ...]:
    """The indicators `reach` may raise (its `codes=`), in framework order.

    within: "actionable" (the framework's flag, actionable.csv), "plan" (`plan`: a
    model.plan.Plan or anything with `.codes`, or the codes themselves), "levers" (the moveable
    levers of `levers`, default budget_levers.csv), "all", or "custom" (`codes`, at least one).
    An unknown choice or code, a missing plan or list: MoversError.
    """
    fw = ed.framework
    if within not in WITHIN:
        raise MoversError("movers.err_within", value=str(within), valid=", ".join(WITHIN))
    if codes is not None and within != "custom":
        raise MoversError("movers.err_within_codes", within=within)
    if within == "all":
        chosen: Iterable[str] = fw.codes
    elif within == "actionable":
        chosen = fw.actionable_codes()
        if not chosen:
            raise MoversError("movers.err_no_actionable", edition=ed.year)
    elif within == "plan":
        if plan is None:
            raise MoversError("movers.err_within_plan")
        chosen = getattr(plan, "codes", plan)  # duck-typed: no import of model.plan here
    elif within == "levers":
        levers = load_levers() if levers is None else levers
        chosen = [lv.code for lv in levers if lv.moveable and lv.code in fw.index]
    else:
        chosen = list(codes or ())
        if not chosen:
            raise MoversError("movers.err_no_codes")
    picked = {_require(fw, str(c).strip()) for c in chosen}
    return tuple(fw.codes[i] for i in sorted(picked))


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

    def out_of_reach(self) -> MoversError | None:
        """Why the target rank cannot be reached (None when it can): the rank and the PII of the
        unit now holding it, and the best the unit can do with every allowed indicator at its cap."""
        if self.feasible:
            return None
        return MoversError(
            "movers.err_out_of_reach",
            rank=self.target_rank,
            pii=round(self.required_pii - HALF_STEP, 2),
            best_rank=self.best_rank,
            best_pii=round(self.best_pii, 2),
        )

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
        raise MoversError("movers.err_rank", n=n, value=str(rank))
    caps = st.headroom.copy()
    if cap is not None:
        if not (isinstance(cap, int | float) and math.isfinite(cap) and cap > 0):
            raise MoversError("movers.err_cap", value=str(cap))
        caps = np.minimum(caps, float(cap) * st.scenario.years)
    if codes is not None:
        allowed = np.zeros(fw.m, dtype=bool)
        allowed[[_require(fw, c) for c in codes]] = True
        caps[~allowed] = 0.0
    c = np.ones(fw.m)
    for code, value in (cost or {}).items():
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise MoversError("movers.err_cost", code=str(code), value=str(value))
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
