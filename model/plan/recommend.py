"""Recommend a draft plan: "reach rank k with the fewest points" (the reach-a-rank linear
programme, model.movers.reach) or "the best plan for B billion VND a year" (the budget
optimiser, model.budget), over the indicators the user allows (model.movers.allowed_codes:
by default those a province can act on).

Each recommended target gets a suggested lead department: the lead unit the plans known to the
project give that indicator (the built-in seed first), named as departments are named in the
recommendation's edition (model.plan.carry's renames); none when no known plan names one. The
result is a draft (source "recommended"), not stored: the caller saves it for the user to edit.
Whether the goal is reached is the engine's verdict on the draft's own scenario, not the
optimiser's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from model import merge
from model.budget import Assumptions
from model.budget.optimise import MAX_BUDGET_BN, optimize, reach_rank
from model.i18n import LocalizedError, gettext, ngettext
from model.index.dataset import Edition
from model.index.scenario import Scenario, ScenarioError, simulate
from model.movers import WITHIN, allowed_codes, reach
from model.movers.reach import REACH_CAP
from model.plan import BUILTIN, Plan, PlanError, auto_text, library, new_target
from model.plan.carry import rename_departments
from model.workspace import Workspace

GOALS = ("rank", "budget", "rank_budget")
DECIMALS = 2  # targets are rounded up to this many decimals (up: never below what reaches)


@dataclass(frozen=True)
class Recommendation:
    """A recommended draft and what it does (engine-checked)."""

    plan: Plan  # the draft (not stored): source "recommended"
    goal: str  # a key of GOALS
    within: str
    target_rank: int | None
    budget_bn: float | None  # billion VND a year
    reached: bool  # the goal is met by the draft's own scenario (engine)
    pii0: float
    rank0: int
    pii: float
    rank: int
    points: float  # score points the targets add over the baseline
    spent_bn: float | None  # the budget routes: billion VND a year the allocation spends
    allowed: tuple[str, ...]  # the indicators the recommender could raise
    lead_from: dict[str, str] = field(default_factory=dict)  # code -> id of the plan it came from
    problem: LocalizedError | None = None  # why the goal is out of reach (None when reached)

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "goal": self.goal,
            "within": self.within,
            "target_rank": self.target_rank,
            "budget": self.budget_bn,
            "reached": self.reached,
            "pii0": self.pii0,
            "rank0": self.rank0,
            "pii": self.pii,
            "rank": self.rank,
            "points": self.points,
            "spent": self.spent_bn,
            "allowed": list(self.allowed),
            "lead_from": dict(self.lead_from),
            "problem": None if self.problem is None else self.problem.render(lang),
        }


# --------------------------------------------------------------------------------------------
# Suggested leads
# --------------------------------------------------------------------------------------------


def suggested_leads(
    codes: Iterable[str],
    known: Sequence[Plan],
    ed: Edition,
    editions: Mapping[int, Edition] | None = None,
) -> dict[str, tuple[str, str]]:
    """code -> (lead unit, id of the plan it comes from) for the codes a known plan gives a
    lead: the first plan naming one wins (pass the built-in plans first); the name is renamed
    for departments reorganised by `ed`'s year. With `editions` (year -> Edition), a plan of
    another edition is skipped for a code that means another indicator there."""
    same = _same_indicator(ed, editions or {})
    out: dict[str, tuple[str, str]] = {}
    for code in codes:
        for p in known:
            t = p.target_of(code)
            if t is not None and t.lead_unit.strip() and same(p.edition, code):
                lead = rename_departments(t.lead_unit, ed.year, p.unit).new
                out[code] = (lead, p.plan_id)
                break
    return out


def _same_indicator(ed: Edition, editions: Mapping[int, Edition]):
    """(edition, code) -> whether `code` of that edition is `ed`'s indicator (True when the
    edition is not known: nothing to compare with)."""
    cache: dict[int, dict] = {}

    def same(year: int, code: str) -> bool:
        if year == ed.year or year not in editions:
            return True
        if year not in cache:
            cache[year] = merge.comparability(editions[year], ed)
        return cache[year].get(code) is None

    return same


def known_plans(unit: str, *, ws: Workspace | None = None) -> list[Plan]:
    """The plans whose leads a recommendation for `unit` suggests: the built-in ones first
    (official documents), then the unit's stored plans, last saved first."""
    builtin = [library.builtin(pid) for pid in BUILTIN]  # every unit's: their leads count
    return builtin + [p for p in library.list_plans(unit, ws=ws) if not p.read_only]


# --------------------------------------------------------------------------------------------
# The draft
# --------------------------------------------------------------------------------------------


def _round_up(x: float) -> float:
    step = 10.0**DECIMALS
    return float(min(100.0, math.ceil(x * step - 1e-9) / step))


def _draft(
    ed: Edition,
    unit: str,
    scores: dict[str, float],
    name: str,
    known: Sequence[Plan],
    editions: Mapping[int, Edition] | None,
    source_ref: str,
    note: str,
) -> tuple[Plan, dict[str, str]]:
    leads = suggested_leads(scores, known, ed, editions)
    rows = []
    for k, (code, score) in enumerate(scores.items(), 1):
        value = _round_up(score)
        lead = leads.get(code, ("", ""))[0]
        rows.append(new_target(ed, unit, code, value, row=k, target_text=auto_text(value),
                               lead_unit=lead))  # fmt: skip
    plan = Plan(
        plan_id="",
        unit=unit,
        edition=ed.year,
        targets=tuple(rows),
        name=name[:120],
        status="draft",
        source="recommended",
        source_ref=source_ref,
        note=note,
    )
    return plan, {c: pid for c, (_lead, pid) in leads.items()}


def _evaluate(ed: Edition, plan: Plan, base: Scenario) -> tuple[float, int, float, int]:
    """(pii0, rank0, pii, rank) of the draft's scenario (engine)."""
    out = simulate(ed, plan.scenario(ed, base))
    u = ed.unit_index(plan.unit)
    return (float(out.baseline.pii[u]), int(out.baseline.rank[u]), float(out.result.pii[u]),
            int(out.result.rank[u]))  # fmt: skip


def _name(lang: str, goal: str, rank: int | None, budget: float | None, year: int) -> str:
    if goal == "rank":
        return gettext(lang, "plan.rec_name_rank", rank=rank, year=year)
    if goal == "budget":
        return gettext(lang, "plan.rec_name_budget", budget=budget, year=year)
    return gettext(lang, "plan.rec_name_rank_budget", rank=rank, budget=budget, year=year)


def _restricted(a: Assumptions, allowed: Iterable[str]) -> Assumptions:
    """The assumptions with only the allowed indicators' levers moveable."""
    keep = set(allowed)
    levers = tuple(
        lv if lv.code in keep or not lv.moveable else replace(lv, moveable=False, basis="none")
        for lv in a.levers
    )
    return replace(a, levers=levers)


def _check_goal(rank: int | None, budget_bn: float | None) -> str:
    if rank is None and budget_bn is None:
        raise PlanError("plan.rec_err_goal")
    if budget_bn is not None and (
        isinstance(budget_bn, bool)
        or not isinstance(budget_bn, int | float)
        or not 0 < budget_bn <= MAX_BUDGET_BN  # NaN fails too
    ):
        raise PlanError("plan.rec_err_budget", value=str(budget_bn), max=float(MAX_BUDGET_BN))
    if rank is None:
        return "budget"
    return "rank" if budget_bn is None else "rank_budget"


def recommend(
    ed: Edition,
    unit: str,
    *,
    rank: int | None = None,
    budget_bn: float | None = None,
    within: str = "actionable",
    codes: Sequence[str] | None = None,
    plan: Plan | None = None,
    known: Sequence[Plan] = (),
    editions: Mapping[int, Edition] | None = None,
    name: str | None = None,
    assumptions: Assumptions | None = None,
    years: int = 1,
    lang: str = "vi",
    cap: float | None = REACH_CAP,
    scale: str = "frozen",
) -> Recommendation:
    """A draft plan for `unit` on edition `ed`.

    rank only: the fewest score points that lift the unit to `rank` (reach-a-rank LP); out of
    reach: every allowed indicator at the best the unit can get (the closest it can come).
    budget only: the allocation of `budget_bn` billion VND a year with the most PII after
    `years` years (budget optimiser). Both: the cheapest allocation within the budget that
    reaches the rank, else the most PII within it. `within`/`codes`/`plan`: the indicators
    allowed (allowed_codes). `known`: plans whose lead units are suggested (built-in first);
    `editions`: their editions, to skip a lead given to a code that meant another indicator.
    `assumptions`: the budget's (default: the unit's lever table and economy).
    `cap`: at most this many score points per indicator (the rank goal; the Movers page's
    reach default, model.movers.reach.REACH_CAP; None: up to the national best); `scale`: the
    goalposts' mode, as the Movers page's reach takes it from the frame (frozen/renormalize).
    With the same goal, indicators, cap and scale, the targets are the Movers page's reach.
    """
    goal = _check_goal(rank, budget_bn)
    ed.unit_index(unit)
    allowed = allowed_codes(ed, within, plan=plan, codes=codes)
    base = Scenario(unit=unit, edition=ed.year, scale=scale)
    if goal == "rank":
        scores, problem, spent = _by_points(ed, base, rank, allowed, cap)
    else:
        scores, problem, spent = _by_money(ed, unit, rank, budget_bn, allowed, assumptions, years)
    ref = f"goal={goal}; rank={rank}; budget={budget_bn}; within={within}; edition={ed.year}"
    draft, lead_from = _draft(
        ed, unit, scores, name or _name(lang, goal, rank, budget_bn, ed.year), known, editions,
        ref,
        ngettext(lang, "plan.rec_note", len(allowed), within=within),
    )  # fmt: skip
    pii0, rank0, pii, rank_now = _evaluate(ed, draft, base)
    if rank is not None:
        reached = rank_now <= rank
    else:  # the best plan for the money: reached when the money buys something
        reached = bool(draft.targets)
        if not reached:
            problem = PlanError("plan.rec_err_nothing_bought", budget=budget_bn, within=within)
    if reached:
        problem = None
    base = {t.code: t.baseline for t in draft.targets}
    points = float(sum(t.target - base[t.code] for t in draft.targets))
    return Recommendation(
        plan=draft,
        goal=goal,
        within=within,
        target_rank=rank,
        budget_bn=budget_bn,
        reached=bool(reached),
        pii0=pii0,
        rank0=rank0,
        pii=pii,
        rank=rank_now,
        points=points,
        spent_bn=spent,
        allowed=allowed,
        lead_from=lead_from,
        problem=problem,
    )


def _by_points(
    ed: Edition, base: Scenario, rank: int, allowed: Sequence[str], cap: float | None
) -> tuple[dict[str, float], LocalizedError | None, None]:
    """Targets from the reach-a-rank LP, each gain at most `cap` points (every allowed indicator
    at its best within the cap when out of reach: the closest the unit can come)."""
    r = reach(ed, base, rank, codes=allowed, cap=cap)
    if r.feasible:
        return {g.code: g.to_score for g in r.gains}, None, None
    u = ed.unit_index(base.unit)
    fw = ed.framework
    best = {}
    for code in allowed:
        i = fw.index[code]
        now, top = float(ed.scores[u, i]), float(np.nanmax(ed.scores[:, i]))
        if math.isfinite(now) and top > now:
            best[code] = top if cap is None else min(top, now + cap)
    return best, r.out_of_reach(), None


def _by_money(
    ed: Edition,
    unit: str,
    rank: int | None,
    budget_bn: float | None,
    allowed: Sequence[str],
    assumptions: Assumptions | None,
    years: int,
) -> tuple[dict[str, float], LocalizedError | None, float]:
    """Targets from the budget optimiser: each lever's score change after `years` years."""
    a = _restricted(assumptions or Assumptions.default(unit, ed.year), allowed)
    if a.unit != unit:
        raise ScenarioError("budget.err_unit")
    problem = None
    if rank is None:
        alloc = optimize(a, ed, budget_bn=budget_bn, years=years)
    else:
        rr = reach_rank(a, ed, rank, budget_bn=budget_bn, years=years)
        alloc, problem = rr.best, rr.problem()
    u = ed.unit_index(unit)
    fw = ed.framework
    scores = {}
    for lv in alloc.levers:
        if lv.delta_score > 1e-9:
            scores[lv.code] = float(ed.scores[u, fw.index[lv.code]]) + lv.delta_score
    ordered = {c: scores[c] for c in fw.codes if c in scores}
    return ordered, problem, float(alloc.spent_bn)


__all__ = ["GOALS", "WITHIN", "Recommendation", "known_plans", "recommend", "suggested_leads"]
