"""One year (or a constant allocation over a few years): the best split of a budget, reaching a
rank at least cost, simple rules for the same money, the marginal PII of each lever and the
lever table's unit costs. Every reported PII and rank is recomputed by the engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from model.index.dataset import Edition
from model.index.scenario import ScenarioError, evaluate_targets

from ..i18n import msg
from .assumptions import Assumptions
from .levers import MILLION_PER_BILLION, finite
from .lp import max_pii, min_cost
from .response import Model, evaluate, forward, peer_delta, prepare

OBJECTIVES = ("pii", "rank")


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeverResult:
    code: str
    lever_vi: str
    lever_en: str
    spend_bn: float  # billion VND a year
    delta_raw: float  # in the indicator's unit, final year
    delta_score: float  # score points that count (capped at 100), final year
    delta_pii: float


@dataclass(frozen=True)
class Allocation:
    """A constant yearly allocation and what it buys at the end of `years` (engine-evaluated)."""

    unit: str
    edition: int
    years: int
    objective: str  # pii | rank | rule name
    budget_bn: float | None  # billion VND a year; None: no ceiling
    target_rank: int | None
    levers: tuple[LeverResult, ...]  # levers with spending or a change
    spent_bn: float  # billion VND a year
    pii: float
    rank: int
    baseline_pii: float
    baseline_rank: int

    def spend_map(self) -> dict[str, float]:
        return {r.code: r.spend_bn for r in self.levers if r.spend_bn > 0}

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "edition": self.edition,
            "years": self.years,
            "objective": self.objective,
            "budget": self.budget_bn,
            "target_rank": self.target_rank,
            "allocation": [
                {
                    "code": r.code,
                    "lever": r.lever_en,
                    "spend": r.spend_bn,
                    "delta_raw": r.delta_raw,
                    "delta_score": r.delta_score,
                    "delta_pii": r.delta_pii,
                }
                for r in self.levers
            ],
            "spent": self.spent_bn,
            "unspent": None if self.budget_bn is None else max(self.budget_bn - self.spent_bn, 0),
            "pii": self.pii,
            "rank": self.rank,
            "baseline": {"pii": self.baseline_pii, "rank": self.baseline_rank},
            "units": {
                "spend": "billion VND per year",
                "budget": "billion VND per year",
                "delta_raw": "indicator's own unit",
                "delta_score": "score points (0-100)",
            },
        }


def _lever_results(md: Model, X: np.ndarray, D: np.ndarray, t: int) -> tuple[LeverResult, ...]:
    """Per lever: spending of year 1 (constant allocations) and the change in year t."""
    direction = md.ed.framework.direction[md.fw_ix]
    score = np.minimum(D[:, t] * md.k, md.head)
    out = []
    for i, lv in enumerate(md.levers):
        if X[i, 0] <= 0 and D[i, t] <= 1e-12:
            continue
        out.append(
            LeverResult(
                lv.code,
                lv.lever_vi,
                lv.lever_en,
                float(X[i, 0]),
                float(D[i, t] * direction[i]),
                float(score[i]),
                float(md.w[i] * score[i]),
            )
        )
    return tuple(out)


def allocations(
    md: Model,
    Xs: np.ndarray,
    objective: Sequence[str],
    budget_bn: float | None,
    target_rank: int | None,
    trend: np.ndarray | None,
) -> list[Allocation]:
    """Evaluate S constant allocations Xs (S, L, H) at the final year, in one engine call."""
    D = forward(md, Xs)
    pii, rank = evaluate(md, D, trend, years=[md.H - 1])
    b = md.ed.baseline()
    return [
        Allocation(
            unit=md.a.unit,
            edition=md.ed.year,
            years=md.H,
            objective=objective[s],
            budget_bn=budget_bn,
            target_rank=target_rank,
            levers=_lever_results(md, Xs[s], D[s], md.H - 1),
            spent_bn=float(Xs[s, :, 0].sum()),
            pii=float(pii[s, 0]),
            rank=int(rank[s, 0]),
            baseline_pii=float(b.pii[md.u]),
            baseline_rank=int(b.rank[md.u]),
        )
        for s in range(Xs.shape[0])
    ]


# --------------------------------------------------------------------------------------------
# Checked inputs
# --------------------------------------------------------------------------------------------


def check_years(years: int) -> int:
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 20:
        raise ScenarioError("budget.err_years", value=repr(years))
    return years


MAX_BUDGET_BN = 100_000.0  # billion VND a year: the most the pages, plans and CLI accept


def check_budget(budget_bn: float | None) -> float | None:
    """A money amount (billion VND a year): finite and not negative; None stays None."""
    if budget_bn is None:
        return None
    b = finite(budget_bn, msg("budget.what_budget"))
    if b < 0:
        raise ScenarioError("budget.err_budget_negative")
    return b


def _last_year_only(H: int) -> np.ndarray:
    weights = np.zeros(H)
    weights[-1] = 1.0
    return weights


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def rank_threshold(
    a: Assumptions, ed: Edition, target_rank: int, years: int = 1, trend=None
) -> float:
    """The PII (2 decimals, as ranks are computed) the unit needs for `target_rank` in year
    `years`, given how the other units move."""
    md = prepare(a, ed, check_years(years))
    if isinstance(target_rank, bool) or not isinstance(target_rank, int):
        raise ScenarioError("budget.err_rank_int")
    if not 1 <= target_rank <= ed.n - 1:
        raise ScenarioError("budget.err_rank_range", last=ed.n - 1)
    t = np.full((1, ed.framework.m), np.nan)
    agg, _, _ = evaluate_targets(ed, md.u, t, peer_delta=peer_delta(md, years, trend))
    others = np.delete(agg.pii[0], md.u)
    return float(np.round(np.sort(others)[::-1][target_rank - 1], 2))


def optimize(
    a: Assumptions,
    ed: Edition,
    *,
    budget_bn: float | None = None,
    years: int = 1,
    objective: str = "pii",
    target_rank: int | None = None,
    trend: np.ndarray | None = None,
) -> Allocation:
    """The best constant yearly allocation over `years` (effects measured in the last year).

    objective "pii": maximise the PII under `budget_bn` a year (default: the assumptions').
    objective "rank": reach `target_rank` at least cost; `budget_bn` (optional) is a ceiling.
    """
    if objective not in OBJECTIVES:
        raise ScenarioError("budget.err_objective", valid=", ".join(OBJECTIVES))
    md = prepare(a, ed, check_years(years))
    P = np.ones((md.H, 1))  # the same spending every year
    if objective == "pii":
        budget = check_budget(a.budget_bn_per_year if budget_bn is None else budget_bn)
        return _best_within(md, P, budget, trend)
    if target_rank is None:
        raise ScenarioError("budget.err_rank_needed")
    budget = check_budget(budget_bn)
    need, now = _need_and_now(md, target_rank, budget, trend)
    found = _cheapest(md, P, budget, target_rank, need, now, trend)
    if found is None:
        best = _best_within(md, P, budget, trend)
        raise _out_of_reach(target_rank, need, md.H, budget, best)
    return found


@dataclass(frozen=True)
class RankReach:
    """Reaching a rank at least cost under a yearly ceiling, and what the rank takes when the
    ceiling is too low (so a page can show the best result within it and the ceiling needed)."""

    target_rank: int
    need_pii: float  # the PII the rank needs (2 decimals, as ranks are computed)
    years: int
    budget_bn: float | None  # the ceiling, billion VND a year; None: none
    reached: bool
    best: Allocation  # the cheapest allocation reaching the rank, else the most PII within it
    ceiling_bn: float | None  # least money a year that reaches the rank; None: no amount does
    unbounded: Allocation  # without a ceiling: the cheapest reaching it, else the most PII

    def problem(self) -> ScenarioError | None:
        """The error `optimize` raises for the same question (None when the rank is reached)."""
        if self.reached:
            return None
        best = self.best if self.budget_bn is not None else self.unbounded
        return _out_of_reach(self.target_rank, self.need_pii, self.years, self.budget_bn, best)


def reach_rank(
    a: Assumptions,
    ed: Edition,
    target_rank: int,
    *,
    budget_bn: float | None = None,
    years: int = 1,
    trend: np.ndarray | None = None,
) -> RankReach:
    """Reach `target_rank` at least cost within `budget_bn` a year; when out of reach, the most
    PII within the ceiling and the least money a year that reaches the rank (if any does)."""
    md = prepare(a, ed, check_years(years))
    P = np.ones((md.H, 1))
    budget = check_budget(budget_bn)
    need, now = _need_and_now(md, target_rank, budget, trend)
    found = _cheapest(md, P, budget, target_rank, need, now, trend)
    fields = {"target_rank": target_rank, "need_pii": need, "years": md.H, "budget_bn": budget}
    if found is not None:
        return RankReach(**fields, reached=True, best=found, ceiling_bn=found.spent_bn,
                         unbounded=found)  # fmt: skip
    best = _best_within(md, P, budget, trend)
    free = None if budget is None else _cheapest(md, P, None, target_rank, need, now, trend)
    if free is None:  # no amount of money reaches the rank in time (caps and lags)
        unbounded = best if budget is None else _best_within(md, P, None, trend)
        return RankReach(**fields, reached=False, best=best, ceiling_bn=None, unbounded=unbounded)
    return RankReach(**fields, reached=False, best=best, ceiling_bn=free.spent_bn, unbounded=free)


def _need_and_now(
    md: Model, target_rank: int, budget: float | None, trend
) -> tuple[float, Allocation]:
    """The PII the rank needs, and the unit with no extra money."""
    need = rank_threshold(md.a, md.ed, target_rank, md.H, trend)
    zero = np.zeros((1, md.L, md.H))
    return need, allocations(md, zero, ["rank"], budget, target_rank, trend)[0]


def _cheapest(
    md: Model,
    P: np.ndarray,
    budget: float | None,
    target_rank: int,
    need: float,
    now: Allocation,
    trend,
) -> Allocation | None:
    """The cheapest allocation within the ceiling that reaches the rank; None: out of reach."""
    if now.rank <= target_rank:
        return now
    budgets = None if budget is None else np.full(md.H, budget)
    # a hair above the threshold so the engine's own rounding agrees
    X = min_cost(md, P, budgets, need - now.pii + 1e-6)
    if X is None:
        return None
    return allocations(md, X[None], ["rank"], budget, target_rank, trend)[0]


def _best_within(md: Model, P: np.ndarray, budget: float | None, trend) -> Allocation:
    """The most PII within the ceiling (none: 10 million billion VND), spending the least."""
    ceiling = np.full(md.H, 1e7 if budget is None else budget)
    X = max_pii(md, P, ceiling, _last_year_only(md.H))
    return allocations(md, X[None], ["pii"], budget, None, trend)[0]


def _out_of_reach(
    target_rank: int, need: float, years: int, budget: float | None, best: Allocation
) -> ScenarioError:
    reach = {"rank": target_rank, "need": need, "years": years}
    reach |= {"best_rank": best.rank, "best_pii": best.pii}
    if budget is None:
        return ScenarioError("budget.err_out_of_reach", **reach)
    return ScenarioError("budget.err_out_of_reach_budget", budget=budget, **reach)


def evaluate_allocation(
    a: Assumptions,
    ed: Edition,
    spend_bn: Mapping[str, float],
    *,
    years: int = 1,
    trend: np.ndarray | None = None,
) -> Allocation:
    """What a given constant allocation (billion VND a year per lever code) buys."""
    md = prepare(a, ed, check_years(years))
    X = np.zeros((1, md.L, md.H))
    for code, v in spend_bn.items():
        X[0, md.lever_ix(code)] = check_budget(v)
    return allocations(md, X, ["given"], None, None, trend)[0]


def eligible_levers(a: Assumptions, ed: Edition, years: int = 1) -> list[str]:
    """Moveable levers whose effect shows within `years` (lag < years)."""
    md = prepare(a, ed, check_years(years))
    return [lv.code for lv in md.levers if lv.lag_years < years]


def rules(
    a: Assumptions,
    ed: Edition,
    budget_bn: float | None = None,
    years: int = 1,
    trend: np.ndarray | None = None,
) -> dict[str, Allocation]:
    """Simple rules for the same money: 'equal' split over the eligible levers, and
    'single:CODE' (everything on one lever) for each of them."""
    md = prepare(a, ed, check_years(years))
    budget = check_budget(a.budget_bn_per_year if budget_bn is None else budget_bn)
    ix = [j for j, lv in enumerate(md.levers) if lv.lag_years < years]
    if not ix:
        raise ScenarioError("budget.err_no_effect", years=years)
    Xs = np.zeros((len(ix) + 1, md.L, md.H))
    Xs[0, ix] = budget / len(ix)
    for s, j in enumerate(ix, start=1):
        Xs[s, j] = budget
    names = ["equal"] + [f"single:{md.levers[j].code}" for j in ix]
    return dict(zip(names, allocations(md, Xs, names, budget, None, trend), strict=True))


def marginal_pii_per_billion(
    a: Assumptions,
    ed: Edition,
    spend_bn: Mapping[str, float] | Allocation | None = None,
    *,
    years: int = 1,
    step_bn: float = 1e-3,
    trend: np.ndarray | None = None,
) -> dict[str, float]:
    """PII gained per extra billion VND a year on each lever, at a constant allocation
    (right derivative: 0 where a cap, the saturation or a score of 100 binds)."""
    if isinstance(spend_bn, Allocation):
        spend_bn = spend_bn.spend_map()
    md = prepare(a, ed, check_years(years))
    X = np.zeros((md.L + 1, md.L, md.H))
    for code, v in (spend_bn or {}).items():
        X[:, md.lever_ix(code)] = check_budget(v)
    X[1 + np.arange(md.L), np.arange(md.L)] += step_bn
    pii, _ = evaluate(md, forward(md, X), trend, years=[md.H - 1])
    return {lv.code: float((pii[1 + j, 0] - pii[0, 0]) / step_bn) for j, lv in enumerate(md.levers)}


def lever_table(a: Assumptions, ed: Edition) -> list[dict]:
    """Every lever with its cost for this unit in year 1 (edition + 1): million VND per raw
    unit and per score point, and PII per billion VND for the first billion (no lag or cap)."""
    md = prepare(a, ed, 1)
    out = []
    for lv in a.levers:
        row = {"code": lv.code, "lever_vi": lv.lever_vi, "lever_en": lv.lever_en}
        row |= {"moveable": lv.moveable, "basis": lv.basis}
        row |= {"note_vi": lv.note_vi, "note_en": lv.note_en}
        if lv.moveable and lv.code in md.codes:
            i = md.codes.index(lv.code)
            per_raw = md.cost0[i] / md.rho[i, 0]
            row |= {
                "unit_cost_million_vnd_per_raw": float(per_raw),
                "million_vnd_per_score_point": float(per_raw / md.k[i]),
                "pii_per_billion_first": float(md.w[i] * md.k[i] * MILLION_PER_BILLION / per_raw),
                "lag_years": lv.lag_years,
                "max_change_per_year_raw": lv.max_change_per_year_raw,
                "persistence": lv.persistence,
                "response": lv.response,
            }
        out.append(row)
    return out
