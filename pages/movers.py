"""Which indicators move the ranking most: movers, reach a rank, attribution, uncertainty."""

from __future__ import annotations

import streamlit as st

from model import api
from model import movers as mv
from model.index.scenario import Scenario, ScenarioError
from model.movers import uncertainty as unc
from model.movers.reach import REACH_CAP
from ui import frame, plan_choice, state
from ui.i18n import _, err
from ui.movers import panels
from ui.provenance import unit_all_official
from ui.widgets import badge_md

f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
plans = plan_choice.plans_here(ed, unit)

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
if unit_all_official(ed, unit):  # an imported profile
    st.markdown(badge_md("official", _("movers.prov_official", m=fw.m)))
else:
    st.markdown(badge_md("reconstructed", _("movers.prov")))

try:
    trend = api.trend_for(ed) if scenario.peers == "trend" else None
    res = mv.movers(ed, target, step=float(step), scale=f.scale, trend=trend)
except ScenarioError as exc:
    st.warning(_("movers.error", msg=err(exc)))
    st.stop()

items = panels.ranked(res)
panels.headline(ed, res, step)
plan = panels.highlighted_plan(ed, unit, plans)  # its indicators are marked (orange, lead)
leads = panels.leads_of(plan, unit)
panels.tornado(ed, items, leads, step, panels.plan_legend(plan))
panels.table(ed, items, leads, step)

# ---- reach a rank -----------------------------------------------------------------------------
st.markdown(f"#### {_('movers.reach')}")
rc = st.columns([1, 1, 2])
current_rank = int(res.rank)
k = rc[0].number_input(_("movers.reach_rank"), 1, ed.n, max(1, current_rank - 3), key="mv_rank")
cap = rc[1].number_input(_("movers.reach_cap"), 1, 100, int(REACH_CAP), 5, key="mv_cap")
rr = None
try:  # only the indicators the user lets move (default: those a province can act on)
    allowed = panels.reach_within(ed, plan, unit, rc[2])
    if allowed is not None:
        panels.not_actionable(ed, allowed)
        rr = mv.reach(ed, target, int(k), cap=float(cap), codes=allowed, scale=f.scale, trend=trend)
except ScenarioError as exc:
    st.warning(_("movers.error", msg=err(exc)))
if rr is not None and panels.reach_result(ed, rr, int(k), float(cap)):

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
        frame.switch_page("pages/scenario.py")

# ---- attribution of the current scenario -------------------------------------------------------
if scenario.targets:
    st.markdown(f"#### {_('movers.attribution')}")
    try:
        panels.attribution(ed, mv.attribution(ed, scenario, trend=trend))
    except ScenarioError as exc:
        st.warning(_("movers.error", msg=err(exc)))

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
        st.warning(_("movers.error", msg=err(exc)))
result = st.session_state.get("mv_unc")
if result is not None and result.edition == ed.year and unit in result.slugs:
    panels.uncertainty(ed, unit, result)
