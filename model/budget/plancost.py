"""What the plan's targets cost: each target in year edition + 1, the plain and the joint total,
what meeting them buys, and what the same money buys when optimised or split equally."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from model.index.dataset import Edition
from model.index.scenario import ScenarioError, evaluate_targets

from ..i18n import gettext
from ..plan import Plan
from .assumptions import Assumptions
from .levers import ECONOMY_FILE, LEVERS_FILE
from .optimise import optimize, rules
from .response import Model, peer_delta, prepare


def _spend_for(md: Model, i: int, delta_base_raw: float) -> float | None:
    """Effective spending (billion VND) that buys delta_base_raw; None beyond saturation."""
    left, spend = delta_base_raw, 0.0
    for length, slope in zip(md.length[i], md.slope[i], strict=True):
        if left <= 1e-12 or slope <= 0:
            break
        take = min(left, length * slope)
        spend, left = spend + take / slope, left - take
    return None if left > 1e-9 else spend


# "bottleneck" stays English (the JSON of `plan-cost`); "bottleneck_vi" is the same in Vietnamese.
_WHY = {"bottleneck": "en", "bottleneck_vi": "vi"}


def _why(text_in: Callable[[str], str] | None) -> dict[str, str | None]:
    """Why money cannot buy a target, in both languages (None: it can)."""
    return {key: None if text_in is None else text_in(lang) for key, lang in _WHY.items()}


def _catalogue(msg_id: str) -> Callable[[str], str]:
    return lambda lang: gettext(lang, msg_id)


def _target_cost(md: Model, code: str, target: float) -> dict:
    fw, u = md.ed.framework, md.u
    i_fw = fw.index[code]
    score = float(md.ed.scores[u, i_fw])
    goal = max(target, score)  # "≥ target": never below today's score
    span = md.ed.hi[i_fw] - md.ed.lo[i_fw]
    delta_raw = (goal - score) / 100.0 * span
    row = {"code": code, "score": score, "target": target, "delta_score": goal - score}
    row |= {"delta_raw": delta_raw * fw.direction[i_fw]}
    lv = next((x for x in md.a.levers if x.code == code), None)
    if lv is None or not lv.moveable or code not in md.codes:
        why = _catalogue("budget.bottleneck_no_lever") if lv is None else lv.note
        return row | {"moveable": False, "cost": None} | _why(why)
    i = md.codes.index(code)
    deflated = _spend_for(md, i, delta_raw) if delta_raw > 0 else 0.0
    cost = None if deflated is None else deflated / md.rho[i, 0]
    cap = lv.max_change_per_year_raw
    steps = 1 if not cap or delta_raw <= 0 else max(1, math.ceil(delta_raw / cap - 1e-9))
    return row | {
        "moveable": True,
        "cost": cost,
        "reachable": cost is not None,
        "persistence": lv.persistence,
        "lag_years": lv.lag_years,
        "years_needed": lv.lag_years + steps,
        **_why(_catalogue("budget.bottleneck_saturation") if cost is None else None),
    }


def _overlap_bn(md: Model, rows: list[dict]) -> float:
    """Money counted twice in the plain sum: spending on S&T levers already lifts 2.2.2."""
    cost = {r["code"]: r["cost"] for r in rows if r.get("cost")}
    overlap = 0.0
    for c, own in cost.items():
        side = sum(v for k, v in cost.items() if c in md.a.lever(k).also_counts_in)
        overlap += min(own, side)
    return overlap


def plan_cost(a: Assumptions, ed: Edition, plan: Plan, trend: np.ndarray | None = None) -> dict:
    """Cost of meeting each plan target (year edition + 1 denominators), the plain total, the
    joint cost without double counting, what meeting the targets buys, and what the same money
    buys when optimised or split equally (one year, caps and lags honoured)."""
    if plan.unit != a.unit:
        raise ScenarioError(
            "budget.err_plan_unit", plan=plan.plan_id, plan_unit=plan.unit, unit=a.unit
        )
    md = prepare(a, ed, 1)
    rows = []
    for t in plan.targets:
        row = _target_cost(md, t.code, t.target)
        rows.append({"row": t.row, "lead_unit": t.lead_unit, **row})
    total = float(sum(r["cost"] for r in rows if r.get("cost") is not None))
    overlap = _overlap_bn(md, rows)
    return {
        "unit": a.unit,
        "edition": ed.year,
        "plan": plan.plan_id,
        "year": ed.year + 1,
        "targets": rows,
        "total": total,
        "overlap": overlap,
        "joint": total - overlap,
        "buys": _plan_buys(md, rows, trend),
        "same_money": _same_money(a, ed, total - overlap, trend),
        "assumptions": _assumption_summary(md),
        "units": {"cost": "billion VND (flow: per year; stock: once)", "delta_raw": "own unit"},
    }


def _plan_buys(md: Model, rows: list[dict], trend) -> dict:
    fw, m = md.ed.framework, md.ed.framework.m
    T = np.full((2, m), np.nan)
    for r in rows:
        goal = r["score"] + r["delta_score"]
        T[1, fw.index[r["code"]]] = goal
        if r["moveable"] and r["cost"] is not None:
            T[0, fw.index[r["code"]]] = goal
    agg, _, _ = evaluate_targets(md.ed, md.u, T, peer_delta=peer_delta(md, 1, trend))
    return {
        "moveable_targets": {"pii": float(agg.pii[0, md.u]), "rank": int(agg.rank[0, md.u])},
        "all_targets": {"pii": float(agg.pii[1, md.u]), "rank": int(agg.rank[1, md.u])},
    }


def _same_money(a: Assumptions, ed: Edition, budget_bn: float, trend) -> dict:
    best = optimize(a, ed, budget_bn=budget_bn, years=1, trend=trend)
    eq = rules(a, ed, budget_bn, 1, trend)["equal"]
    return {
        "budget": budget_bn,
        "optimised": {"pii": best.pii, "rank": best.rank},
        "equal_split": {"pii": eq.pii, "rank": eq.rank},
    }


def _assumption_summary(md: Model) -> dict:
    a, year = md.a, md.ed.year + 1
    needed = sorted({lv.denominator for lv in md.levers if lv.denominator})
    given = {(f.item, f.year): f for f in a.economy}
    economy = []
    for item in needed:
        f = given.get((item, year))
        economy.append(
            {
                "item": item,
                "year": year,
                "value": a.economy_value(item, year),
                "provenance": f.provenance if f else "projected",  # by the growth rows
            }
        )
    return {
        "economy": economy,
        "levers_file": f"data/sources/{LEVERS_FILE}",
        "economy_file": f"data/sources/{ECONOMY_FILE}",
        "statistics_file": "data/sources/statistics.csv",  # every unit's economy (issue 21)
        "exact": [lv.code for lv in md.levers if lv.basis == "exact"],
        "assumed": [lv.code for lv in md.levers if lv.basis == "assumed"],
        "not_moveable": [lv.code for lv in a.levers if not lv.moveable],
    }
