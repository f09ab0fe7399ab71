"""Which indicators move the ranking most: movers, reach a rank, attribution, uncertainty."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import api
from model import movers as mv
from model import uncertainty as unc
from model.framework import OUTPUT_PILLARS
from model.scenario import Scenario, ScenarioError
from ui import data, frame
from ui import scenario_state as state
from ui.i18n import _, lang, num
from ui.scenario_figures import BLUE, DARK, GRID, ORANGE, separators
from ui.widgets import badge_md, number_styler

f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
vi = lang() == "vi"
plan = data.plan()
leads = {pt.code: pt.lead_unit for pt in plan.targets} if plan.unit == unit else {}


def name_of(code: str) -> str:
    ind = fw.indicator(code)
    return ind.name_vi if vi else ind.name_en


st.subheader(_("movers.title", unit=f.unit_name))
scenario = state.current(ed, unit, f.scale)
c = st.columns([2, 1, 3])
basis = c[0].segmented_control(
    _("movers.basis"),
    ["baseline", "scenario"],
    default="baseline",
    key="mv_basis",
    required=True,
    format_func={
        "baseline": _("movers.basis_baseline"),
        "scenario": _("movers.basis_scenario"),
    }.get,
)
step = c[1].number_input(_("movers.step"), 1, 100, 10, 1, key="mv_step")
target: str | Scenario = unit
if basis == "scenario":
    if scenario.targets:
        target = scenario
    else:
        c[2].caption(_("movers.no_scenario"))
if (ed.provenance[ed.unit_index(unit)] == "official").all():  # an imported profile
    st.markdown(badge_md("official", _("movers.prov_official", m=fw.m)))
else:
    st.markdown(badge_md("reconstructed", _("movers.prov")))

try:
    trend = api.trend_for(ed) if scenario.peers == "trend" else None
    res = mv.movers(ed, target, step=float(step), scale=f.scale, trend=trend)
except ScenarioError as exc:
    st.warning(_("movers.error", msg=exc))
    st.stop()

items = sorted(res.items, key=lambda m: m.delta_pii_at_step, reverse=True)
top = items[0]
pillar = fw.indicator(top.code).pillar
why = (
    _("movers.why_output")
    if pillar in OUTPUT_PILLARS
    else _("movers.why_input", weight=num(100 * top.weight, 2) + "%")
)
# Equal weights often give several indicators the same gain: name them, do not crown one.
tied = [m.code for m in items[1:] if abs(m.delta_pii_at_step - top.delta_pii_at_step) < 0.005]
st.markdown(
    _(
        "movers.headline",
        code=top.code,
        name=name_of(top.code),
        step=num(step, 0),
        gain=num(top.delta_pii_at_step, 2),
        tie=_("movers.tie", codes=", ".join(tied)) if tied else "",
        why=why,
    )
)
if res.next_units:
    above = ed.name(res.next_units[0], lang())
    st.caption(
        _("movers.next_unit", name=above, pii=num(res.next_pii), gap=num(res.next_pii - res.pii))
    )

# ---- tornado ----------------------------------------------------------------------------------
shown = items[:15]
colors = [ORANGE if m.code in leads else BLUE for m in shown]
labels = [f"{m.code} · {name_of(m.code)[:48]}" for m in shown]
fig = {
    "data": [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": [m.delta_pii_at_step for m in shown],
            "marker": {"color": colors},
            "text": [num(m.delta_pii_at_step, 2, sign=True) for m in shown],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertext": [leads.get(m.code, "") for m in shown],
            "hoverinfo": "x+y+text",
        }
    ],
    "layout": {
        "height": 80 + 30 * len(shown),
        "separators": separators(lang()),
        "font": {"size": 14, "color": DARK},
        "margin": {"l": 10, "r": 50, "t": 10, "b": 10},
        "plot_bgcolor": "white",
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"gridcolor": GRID},
    },
}
st.markdown(
    f"**{_('movers.tornado', step=num(step, 0))}** — "
    f":orange[■] {_('movers.plan_legend')} · :blue[■] {_('movers.other_legend')}"
)
st.plotly_chart(
    fig,
    config={"displayModeBar": False},
    key="mv_tornado",
    alt=_(
        "movers.tornado_alt",
        step=num(step, 0),
        n=len(shown),
        top="; ".join(f"{m.code} {num(m.delta_pii_at_step, 2, sign=True)}" for m in shown[:3]),
    ),
)

st.markdown(f"**{_('movers.table')}**")
table = pd.DataFrame(
    {
        _("movers.col_code"): [m.code for m in items],
        _("movers.col_name"): [name_of(m.code) for m in items],
        _("movers.col_lead"): [leads.get(m.code, "") for m in items],
        _("movers.col_score"): [m.score for m in items],
        _("movers.col_weight"): [100 * m.weight for m in items],
        _("movers.col_per_point"): [m.delta_pii_per_point for m in items],
        _("movers.col_pii_step"): [m.pii_at_step for m in items],
        _("movers.col_rank_step"): [m.rank_at_step for m in items],
        _("movers.col_rank_best"): [m.rank_at_best for m in items],
        _("movers.col_to_next"): [m.points_to_next_rank for m in items],
    }
)
st.dataframe(
    number_styler(
        table,
        {
            _("movers.col_score"): 2,
            _("movers.col_weight"): 2,
            _("movers.col_per_point"): 4,
            _("movers.col_pii_step"): 2,
            _("movers.col_to_next"): 1,
        },
        highlight=[m.code in leads for m in items],
    ),
    hide_index=True,
    key="mv_table",
)

# ---- reach a rank -----------------------------------------------------------------------------
st.markdown(f"#### {_('movers.reach')}")
rc = st.columns([1, 1, 2])
current_rank = int(res.rank)
k = rc[0].number_input(_("movers.reach_rank"), 1, ed.n, max(1, current_rank - 3), key="mv_rank")
cap = rc[1].number_input(_("movers.reach_cap"), 1, 100, 30, 5, key="mv_cap")
try:
    rr = mv.reach(ed, target, int(k), cap=float(cap), scale=f.scale, trend=trend)
except ScenarioError as exc:
    st.warning(_("movers.error", msg=exc))
    rr = None
if rr is not None:
    if not rr.feasible:
        st.warning(_("movers.reach_no", target=k, cap=num(cap, 0), best=rr.best_rank))
    elif not rr.gains:
        st.success(_("movers.reach_there", rank=rr.rank))
    else:
        st.success(
            _(
                "movers.reach_ok",
                rank=rr.rank,
                points=num(rr.total_points, 1),
                n=len(rr.gains),
                pii=num(rr.pii),
            )
        )
        st.dataframe(
            number_styler(
                pd.DataFrame(
                    {
                        _("movers.col_code"): [g.code for g in rr.gains],
                        _("movers.col_name"): [name_of(g.code) for g in rr.gains],
                        _("movers.col_gain"): [g.delta_score for g in rr.gains],
                        _("movers.col_to"): [g.to_score for g in rr.gains],
                    }
                ),
                {_("movers.col_gain"): 2, _("movers.col_to"): 2},
            ),
            hide_index=True,
            key="mv_reach",
        )

        def _apply_reach() -> None:
            base = Scenario(
                unit=unit,
                edition=ed.year,
                peers=scenario.peers,
                scale=f.scale,
                target_year=scenario.target_year,
            )
            state.apply(base.with_targets(rr.targets()), ed)

        if st.button(_("movers.reach_apply"), on_click=_apply_reach, key="mv_apply"):
            st.switch_page("pages/scenario.py")

# ---- attribution of the current scenario -------------------------------------------------------
if scenario.targets:
    st.markdown(f"#### {_('movers.attribution')}")
    try:
        att = mv.attribution(ed, scenario, trend=trend)
        st.caption(_("movers.attr_linear") if att.method == "linear" else _("movers.attr_shapley"))
        st.dataframe(
            number_styler(
                pd.DataFrame(
                    {
                        _("movers.col_code"): [s.code for s in att.items],
                        _("movers.col_name"): [name_of(s.code) for s in att.items],
                        _("movers.col_share"): [s.delta_pii for s in att.items],
                    }
                ),
                {_("movers.col_share"): 3},
                signed=[_("movers.col_share")],
            ),
            hide_index=True,
            key="mv_attr",
        )
    except ScenarioError as exc:
        st.warning(_("movers.error", msg=exc))

# ---- uncertainty -------------------------------------------------------------------------------
st.markdown(f"#### {_('movers.uncertainty')}")
uc = st.columns([1, 1, 2])
runs = uc[0].number_input(_("movers.runs"), 100, 20_000, 1000, 100, key="mv_runs")
spread = uc[1].number_input(_("movers.spread"), 0, 90, 20, 5, key="mv_spread")
st.caption(_("movers.unc_note", spread=spread))
if st.button(_("movers.run_unc"), key="mv_run_unc", type="primary"):
    try:
        st.session_state["mv_unc"] = unc.uncertainty(
            ed,
            scenario if scenario.targets else unit,
            runs=int(runs),
            spread=spread / 100.0,
            trend=trend,
        )
    except ScenarioError as exc:
        st.warning(_("movers.error", msg=exc))
result = st.session_state.get("mv_unc")
if result is not None and result.edition == ed.year and unit in result.slugs:
    u = result.slugs.index(unit)
    if result.scenario_ranks is not None and result.unit == unit:
        st.info(result.verdict(unit, lang()))
    order = sorted(range(len(result.slugs)), key=lambda i: result.nominal[i])
    pos = order.index(u)
    window = order[max(0, pos - 5) : pos + 6]
    st.dataframe(
        pd.DataFrame(
            {
                _("movers.col_unit"): [
                    ("➤ " if i == u else "") + ed.name(result.slugs[i], lang()) for i in window
                ],
                _("movers.col_nominal"): [int(result.nominal[i]) for i in window],
                _("movers.col_median"): [int(result.median[i]) for i in window],
                _("movers.col_p5"): [int(result.p5[i]) for i in window],
                _("movers.col_p95"): [int(result.p95[i]) for i in window],
            }
        ),
        hide_index=True,
        key="mv_unc_table",
    )
    st.download_button(
        _("movers.download"),
        result.parameters.to_csv(index=False).encode("utf-8"),
        file_name=f"pii-uncertainty-{unit}-{ed.year}.csv",
        mime="text/csv",
        on_click="ignore",
        key="mv_download",
    )
