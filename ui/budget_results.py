"""The budget page's results: the best split for one year against simple rules, the marginal PII
per lever, the path to the horizon and what the plan's targets cost."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import budget as bm
from model.dataset import Edition
from model.plan import Plan
from ui import budget_figures
from ui.budget_levers import lever_name
from ui.i18n import _, lang, num
from ui.widgets import badge_md


def headline(best: bm.Allocation, ed: Edition) -> None:
    """PII, rank and money spent after one year, with the provenance badge."""
    st.markdown(f"#### {_('budget.best', year=ed.year + 1)}")
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
    st.markdown(badge_md("reconstructed", _("budget.prov")))


def allocation_table(a: bm.Assumptions, best: bm.Allocation) -> None:
    st.markdown(f"**{_('budget.alloc_table')}**")
    rows = [r for r in best.levers if r.spend_bn > 0 or abs(r.delta_pii) > 1e-9]
    st.dataframe(
        pd.DataFrame(
            {
                _("budget.col_lever"): [lever_name(a, r.code, 30) for r in rows],
                _("budget.col_spend"): [num(r.spend_bn, 1) for r in rows],
                _("budget.col_dscore"): [num(r.delta_score, 2, sign=True) for r in rows],
                _("budget.col_dpii"): [num(r.delta_pii, 3, sign=True) for r in rows],
            }
        ),
        hide_index=True,
        key="bud_alloc",
    )


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


def path_section(
    a: bm.Assumptions,
    ed: Edition,
    route: bm.BudgetPath,
    equal_route: bm.BudgetPath,
    plan_pii: float | None,
) -> None:
    """PII and rank year by year to the horizon, optimised against an equal split."""
    st.markdown(f"#### {_('budget.path', year=a.horizon_year)}")
    names = {"optimal": _("budget.rule_opt"), "equal": _("budget.rule_equal")}
    fig = budget_figures.path_lines(
        route, equal_route, plan_pii, lang(), names | {"year": _("budget.year")}
    )
    ys, eq = route.years, equal_route.years
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
    st.caption(_("budget.path_note", growth=num(a.budget_growth_pct, 0), plan_year=ed.year))
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


def _indicator_name(fw, code: str) -> str:
    ind = fw.indicator(code)
    return ind.name_vi if lang() == "vi" else ind.name_en


def plan_cost_section(a: bm.Assumptions, ed: Edition, plan: Plan, trend) -> None:
    """What meeting each of the plan's targets costs, the totals and what the money buys."""
    st.markdown(f"#### {_('budget.plan_cost')}")
    pc = bm.plan_cost(a, ed, plan, trend=trend)
    fw = ed.framework
    st.dataframe(
        pd.DataFrame(
            {
                _("budget.col_code"): [r["code"] for r in pc["targets"]],
                _("common.indicator"): [_indicator_name(fw, r["code"]) for r in pc["targets"]],
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
    )
    c = st.columns(2)
    c[0].metric(_("budget.plan_total"), num(pc["total"], 0), border=True)
    c[1].metric(_("budget.plan_joint"), num(pc["joint"], 0), border=True)
    buys = pc["buys"]["moveable_targets"]
    st.markdown(_("budget.plan_buys", pii=num(buys["pii"]), rank=buys["rank"]))
    same = pc["same_money"]["optimised"]
    st.markdown(_("budget.plan_same_money", pii=num(same["pii"]), rank=same["rank"]))
