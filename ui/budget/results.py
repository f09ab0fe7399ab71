"""The budget page's results: the best split for one year against simple rules, the marginal PII
per lever, the path to the horizon and what the plan's targets cost."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model import budget as bm
from model.index.dataset import Edition
from model.plan import SEED_ID, Plan
from ui import names, number_input, plan_choice
from ui.budget import figures as budget_figures
from ui.budget.levers import lever_name
from ui.i18n import _, _n, err, lang, num
from ui.widgets import badge_md


def headline(best: bm.Allocation, ed: Edition, reach: bm.RankReach | None = None) -> None:
    """PII, rank and money spent after one year, with the provenance badge."""
    year = ed.year + 1
    if reach is None:
        title = _("budget.best", year=year)
    elif reach.reached:
        title = _("budget.best_rank", rank=reach.target_rank, year=year)
    else:
        title = _("budget.best_within", year=year)
    st.markdown(f"#### {title}")
    m = st.columns(3)
    m[0].metric(
        _("budget.pii"), num(best.pii), num(best.pii - best.baseline_pii, sign=True), border=True
    )
    moved = best.baseline_rank - best.rank
    m[1].metric(
        _("budget.rank"),
        f"{best.rank}/{ed.n}",
        num(moved, 0, sign=True) if moved else None,
        border=True,
    )
    m[2].metric(_("budget.spent"), num(best.spent_bn, 1), border=True)
    st.markdown(badge_md("reconstructed", _("budget.prov", unit=ed.name(best.unit, lang()))))


def _raise_ceiling(ceiling: int) -> None:
    number_input.set_value("bud_budget", float(ceiling))


def reach_note(reach: bm.RankReach, budget_max: float) -> None:
    """When the target rank is beyond the ceiling: what the ceiling buys and what the rank takes
    (the rest of the page shows the best result within the ceiling)."""
    if reach.reached:
        return
    best = reach.best
    if reach.ceiling_bn is None:  # no amount of money reaches the rank in time
        st.warning(_("budget.error", msg=err(reach.problem())))
        free = reach.unbounded
        st.info(
            _(
                "budget.rank_no_budget",
                rank=reach.target_rank,
                years=reach.years,
                best_rank=free.rank,
                best_pii=num(free.pii),
                spent=num(free.spent_bn, 1),
            )
        )
        return
    st.warning(
        _(
            "budget.rank_beyond_ceiling",
            rank=reach.target_rank,
            need=num(reach.need_pii),
            budget=num(reach.budget_bn, 0),
            ceiling=num(math.ceil(reach.ceiling_bn * 10) / 10, 1),
            best_rank=best.rank,
            best_pii=num(best.pii),
        )
    )
    ceiling = math.ceil(reach.ceiling_bn)
    if ceiling <= budget_max:
        st.button(
            _("budget.use_ceiling", ceiling=num(ceiling, 0)),
            key="bud_use_ceiling",
            on_click=_raise_ceiling,
            args=(ceiling,),
        )


def _lever_text(a: bm.Assumptions, code: str) -> str:
    lv = a.lever(code)
    return lv.lever_vi if lang() == "vi" else lv.lever_en


def _codes(codes: list[str], most: int = 4) -> str:
    return ", ".join(codes[:most]) + (", …" if len(codes) > most else "")


def _alloc_note(a: bm.Assumptions, best: bm.Allocation, r: bm.LeverResult, year: int) -> str:
    """Why a row's change is what it is: its lag, and spending that counts in other rows."""
    lv, parts = a.lever(r.code), []
    into = [c for c in lv.also_counts_in if a.lever(c).moveable]
    if r.spend_bn > 0 and lv.lag_years > 0:  # Δ +0.00 here: say when, and where it shows now
        parts.append(_("budget.note_lag", year=year + lv.lag_years))
        if into:
            parts.append(_("budget.note_counts_in", codes=", ".join(into)))
    sources = [
        x.code
        for x in best.levers
        if x.spend_bn > 0 and x.code != r.code and r.code in a.lever(x.code).also_counts_in
    ]
    if sources and r.delta_score > 1e-9:
        parts.append(_("budget.note_raised_by", codes=_codes(sources)))
    return "; ".join(parts)


def allocation_table(a: bm.Assumptions, best: bm.Allocation, ed: Edition) -> None:
    """Spending and the change it buys per lever, with each lever's lag and where money that
    also counts as S&T spending shows (key columns first, pinned: visible at 1280 px)."""
    st.markdown(f"**{_('budget.alloc_table')}**")
    year = ed.year + best.years
    rows = [r for r in best.levers if r.spend_bn > 0 or abs(r.delta_pii) > 1e-9]
    cols = {
        "code": ("budget.col_code", [r.code for r in rows]),
        "lever": ("budget.col_lever", [_lever_text(a, r.code) for r in rows]),
        "spend": ("budget.col_spend", [num(r.spend_bn, 1) for r in rows]),
        "lag": ("budget.col_lag", [a.lever(r.code).lag_years for r in rows]),
        "dscore": ("budget.col_dscore", [num(r.delta_score, 2, sign=True) for r in rows]),
        "dpii": ("budget.col_dpii", [num(r.delta_pii, 3, sign=True) for r in rows]),
        "note": ("budget.col_alloc_note", [_alloc_note(a, best, r, ed.year + 1) for r in rows]),
    }
    label = {k: _(msg_id) for k, (msg_id, _v) in cols.items()}
    widths = {"code": 56, "lever": 160, "spend": 130, "lag": 90, "dscore": 72, "dpii": 72}
    config = {label[k]: st.column_config.Column(width=w) for k, w in widths.items()}
    config[label["code"]] = st.column_config.Column(width=56, pinned=True)
    config[label["note"]] = st.column_config.Column(width="large")
    st.dataframe(
        pd.DataFrame({label[k]: v for k, (_m, v) in cols.items()}),
        hide_index=True,
        key="bud_alloc",
        column_config=config,
    )
    st.caption(_("budget.alloc_lag_note", year=year, n=best.years))


def rules_table(best: bm.Allocation, simple: dict[str, bm.Allocation]) -> None:
    """The optimum against an equal split and the best all-on-one-lever rule."""
    st.markdown(f"**{_('budget.rules')}**")
    single = max((x for k, x in simple.items() if k.startswith("single:")), key=lambda x: x.pii)
    single_code = next(k for k, x in simple.items() if x is single).split(":", 1)[1]
    comp = [
        (_("budget.rule_opt"), best),
        (_("budget.rule_equal"), simple["equal"]),
        (_("budget.rule_single", code=single_code), single),
    ]
    st.dataframe(
        pd.DataFrame(
            {
                _("budget.rule"): [name for name, _x in comp],
                _("budget.col_pii"): [num(x.pii) for _x, x in comp],
                _("budget.col_rank"): [x.rank for _x, x in comp],
                _("budget.col_spend"): [num(x.spent_bn, 1) for _x, x in comp],
            }
        ),
        hide_index=True,
        key="bud_rules",
    )


def marginal_chart(a: bm.Assumptions, marginal: dict[str, float]) -> None:
    """The 12 levers that buy the most PII for the next billion, with the chart's data."""
    st.markdown(f"**{_('budget.marginal')}**")
    mg = sorted(marginal.items(), key=lambda cv: cv[1], reverse=True)[:12]
    fig = budget_figures.marginal_bars(
        [lever_name(a, c, 28) for c, _x in mg], [v for _x, v in mg], lang()
    )
    st.plotly_chart(
        fig,
        config={"displayModeBar": False},
        key="bud_marginal",
        alt=_(
            "budget.marginal_alt",
            n=len(mg),
            top="; ".join(f"{lever_name(a, c, 60)} {num(v, 3)}" for c, v in mg[:3]),
        ),
    )
    st.caption(_("budget.marginal_note"))
    with st.expander(_("common.chart_data")):
        st.table(
            pd.DataFrame(
                {
                    _("budget.col_lever"): [lever_name(a, c, 80) for c, _x in mg],
                    _("budget.marginal"): [num(v, 3) for _x, v in mg],
                }
            ),
            hide_index=True,
            border="horizontal",
        )


def _path_gap(a: bm.Assumptions, route: bm.BudgetPath, best: bm.Allocation) -> str | None:
    """Why the path's first year is below the best for that year alone, or None if it is not."""
    first = route.years[0]
    if num(first.pii) == num(best.pii):
        return None
    alone = best.spend_map()
    later = [
        code
        for code, v in first.spend_bn.items()
        if v > alone.get(code, 0.0) + 0.05
        and (a.lever(code).lag_years > 0 or not a.lever(code).flow)
    ]
    return _(
        "budget.path_gap",
        year=first.year,
        first=num(first.pii),
        best=num(best.pii),
        codes=_codes(sorted(later), 5) or "–",
    )


def path_section(
    a: bm.Assumptions,
    ed: Edition,
    route: bm.BudgetPath,
    equal_route: bm.BudgetPath,
    plan_pii: float | None,
    best: bm.Allocation | None = None,
    plan: Plan | None = None,
) -> None:
    """PII and rank year by year to the horizon, optimised over all its years against an equal
    split; `best` (the most PII for the first year alone, shown above) is marked on the chart,
    and a caption says why the path starts lower when it does."""
    st.markdown(f"#### {_('budget.path', year=a.horizon_year)}")
    ys, eq = route.years, equal_route.years
    names = {
        "optimal": _("budget.path_best", start=ed.year + 1, end=a.horizon_year),
        "equal": _("budget.rule_equal"),
        "year": _("budget.year"),
        "one_year": _("budget.path_one_year", year=ed.year + 1),
    }
    one_year = best.pii if best is not None and best.years == 1 else None
    fig = budget_figures.path_lines(route, equal_route, plan_pii, lang(), names, one_year)
    st.plotly_chart(
        fig,
        config={"displayModeBar": False},
        key="bud_path",
        alt=_(
            "budget.path_alt",
            year=a.horizon_year,
            first=num(ys[0].pii) if ys else "–",
            last=num(ys[-1].pii) if ys else "–",
            rank=ys[-1].rank if ys else "–",
            equal=num(eq[-1].pii) if eq else "–",
        ),
    )
    gap = _path_gap(a, route, best) if one_year is not None and ys else None
    if gap:
        st.caption(gap)
    growth = num(a.budget_growth_pct, 0)
    if plan is None or plan.plan_id == SEED_ID:
        st.caption(_("budget.path_note", growth=growth, plan_year=ed.year))
    else:  # the horizontal line is this plan's PII
        name = plan_choice.label(plan, 80)
        n = len(plan.targets)
        st.caption(_n("plan.pg_budget_path_note", n, growth=growth, plan_year=ed.year, name=name))
    with st.expander(_("common.chart_data")):
        st.dataframe(
            pd.DataFrame(
                {
                    _("budget.year"): [y.year for y in route.years],
                    _("budget.budget"): [num(y.budget_bn, 1) for y in route.years],
                    _("budget.col_pii"): [num(y.pii) for y in route.years],
                    _("budget.col_rank"): [y.rank for y in route.years],
                    _("budget.rule_equal"): [num(y.pii) for y in equal_route.years],
                }
            ),
            hide_index=True,
            key="bud_path_table",
        )


def plan_cost_section(
    a: bm.Assumptions, ed: Edition, plan: Plan, trend, plans: list[Plan] | None = None
) -> None:
    """What meeting each of the plan's targets costs, the totals and what the money buys; the
    unit's other plans can be picked (the pick is the plan of every page)."""
    seed = plan.plan_id == SEED_ID
    title = (
        _("budget.plan_cost") if seed else _("plan.pg_budget_cost", name=plan_choice.label(plan))
    )
    st.markdown(f"#### {title}")
    if plans is not None and len(plans) > 1:
        plan = plan_choice.picker(ed, a.unit, plans, key="bud_plan", where=st.columns(2)[0]) or plan
    else:
        st.caption(_("plan.pg_budget_plan", name=plan_choice.label(plan, 90)))
    pc = bm.plan_cost(a, ed, plan, trend=trend)
    fw = ed.framework
    st.dataframe(
        pd.DataFrame(
            {
                _("budget.col_code"): [r["code"] for r in pc["targets"]],
                _("common.indicator"): [names.indicator(fw, r["code"]) for r in pc["targets"]],
                _("budget.col_target"): [num(r["target"]) for r in pc["targets"]],
                _("budget.col_cost"): [
                    num(r["cost"], 1) if r["cost"] is not None else _("budget.not_money")
                    for r in pc["targets"]
                ],
                _("budget.col_lead"): [r["lead_unit"] for r in pc["targets"]],
            }
        ),
        hide_index=True,
        key="bud_plan_cost",
        column_config={  # cost and lead department visible at 1280 px
            _("common.indicator"): st.column_config.Column(width=330),
            _("budget.col_cost"): st.column_config.Column(width=150),
        },
    )
    c = st.columns(2)
    c[0].metric(_("budget.plan_total"), num(pc["total"], 0), border=True)
    c[1].metric(_("budget.plan_joint"), num(pc["joint"], 0), border=True)
    buys = pc["buys"]["moveable_targets"]
    st.markdown(_("budget.plan_buys", pii=num(buys["pii"]), rank=buys["rank"]))
    same = pc["same_money"]["optimised"]
    st.markdown(_("budget.plan_same_money", pii=num(same["pii"]), rank=same["rank"]))
