"""Budget: what money buys, where it should go, and the path to 2030. Widgets -> model -> render.

The panels live in ui/budget/levers.py (the lever table), ui/budget/results.py (results) and
ui/budget/sets.py (named assumption sets); this file lays them out.
"""

from __future__ import annotations

import streamlit as st

from model import api
from model import budget as bm
from model.index.scenario import ScenarioError
from model.workspace import Workspace
from ui import frame, number_input, plan_choice
from ui.budget import economy as budget_economy
from ui.budget import levers as budget_levers
from ui.budget import results as budget_results
from ui.budget import sets as budget_sets
from ui.i18n import _, err
from ui.state import DEFAULT_DRIFT

f = frame.current()
ed, unit = f.edition, f.unit
st.subheader(_("budget.title", unit=f.unit_name))
st.caption(_("budget.intro"))


@st.cache_resource(show_spinner=False)
def _default_assumptions(unit: str, year: int, _ed: object) -> bm.Assumptions:
    # every unit of every edition: NSO statistics and labelled estimates (model.budget.economy)
    return bm.Assumptions.default(unit=unit, edition=year, ed=_ed)


try:
    base = _default_assumptions(unit, ed.year, ed)
    base.economy_value("grdp_billion_vnd", ed.year + 1)
except (ScenarioError, KeyError):
    st.info(_("budget.no_economy"))
    st.stop()
base = budget_sets.opened(unit, ed.year) or base  # a saved set the user opened; edits on top
ws = Workspace()

# ---- assumptions ------------------------------------------------------------------------------
with st.container(border=True):
    st.markdown(f"**{_('budget.inputs')}**")
    c = st.columns(3)
    # Money and growth in the reader's format (12,5 billion in Vietnamese is 12.5, not 125);
    # a value that cannot be read or is out of range says why, and the last good one is used.
    budget_bn = number_input.number_entry(
        _("budget.budget"),
        "bud_budget",
        value=50.0,
        min_value=0.0,
        max_value=bm.MAX_BUDGET_BN,
        decimals=1,
        place=c[0],
    )
    growth = number_input.number_entry(
        _("budget.growth"),
        "bud_growth",
        value=10.0,
        min_value=-50.0,
        max_value=100.0,
        decimals=1,
        unit="%",
        place=c[1],
    )
    budget_bn = 50.0 if budget_bn is None else budget_bn  # a cleared box: the default
    growth = 10.0 if growth is None else growth
    horizon = (
        c[2].selectbox(
            _("budget.horizon"),
            list(range(ed.year + 1, 2031)),
            index=None,
            key="bud_h",
            placeholder="2030",
        )
        or 2030
    )
    c = st.columns([3, 2])
    peers = c[0].segmented_control(
        _("budget.peers"),
        ["static", "drift", "trend"],
        default="static",
        key="bud_peers",
        required=True,
        format_func={
            "static": _("budget.peers_static"),
            "drift": _("budget.peers_drift"),
            "trend": _("budget.peers_trend"),
        }.get,
    )
    objective = c[1].segmented_control(
        _("budget.objective"),
        ["pii", "rank"],
        default="pii",
        key="bud_obj",
        required=True,
        format_func={"pii": _("budget.obj_pii"), "rank": _("budget.obj_rank")}.get,
    )
    target_rank = None
    if objective == "rank":
        current = int(ed.baseline().rank[ed.unit_index(unit)])
        target_rank = st.number_input(
            _("budget.target_rank"), 1, ed.n, max(1, current - 1), key="bud_rank"
        )
        st.caption(_("budget.ceiling_note"))

# ---- the model ---------------------------------------------------------------------------------
assumptions, bad_edit = budget_levers.apply_edits(base)
assumptions = budget_economy.panel(assumptions, ed)  # the province's economy, editable
peer_spec = {"static": "static", "drift": f"drift:{DEFAULT_DRIFT:g}", "trend": "trend"}[peers]
reach = None  # rank mode: the cheapest way to the rank, or the best within the ceiling
try:
    assumptions = bm.Assumptions.from_dict(
        assumptions.to_dict()
        | {
            "budget_bn_per_year": budget_bn,
            "budget_growth_pct": growth,
            "horizon_year": int(horizon),
            "peers": peer_spec,
        }
    )
    trend = api.trend_for(ed) if peers == "trend" else None
    if objective == "rank":
        reach = bm.reach_rank(assumptions, ed, int(target_rank), budget_bn=budget_bn, trend=trend)
        best = reach.best
    else:
        best = bm.optimize(assumptions, ed, budget_bn=budget_bn, trend=trend)
    # the same money as the result spends: the ceiling is not always spent in rank mode
    simple = bm.rules(assumptions, ed, best.spent_bn if reach else budget_bn, 1, trend)
    marginal = bm.marginal_pii_per_billion(assumptions, ed, best, trend=trend)
    route = bm.path(assumptions, ed, trend=trend)
    equal_route = bm.path(assumptions, ed, allocation="equal", trend=trend)
except ScenarioError as exc:
    st.warning(_("budget.error", msg=err(exc)))
    st.stop()
if bad_edit:
    st.warning(_("budget.bad_edit", msg=err(bad_edit)))

# ---- result: one year -------------------------------------------------------------------------
if reach is not None:
    budget_results.reach_note(reach, bm.MAX_BUDGET_BN)
budget_results.headline(best, ed, reach)
budget_results.allocation_table(assumptions, best, ed)
left, right = st.columns(2, gap="large")
with left:
    budget_results.rules_table(best, simple)
with right:
    budget_results.marginal_chart(assumptions, marginal)

# ---- result: the path -------------------------------------------------------------------------
plans = plan_choice.plans_here(ed, unit)
plan = plan_choice.chosen(ed, unit, plans)  # the plan picked on any page (default: the first)
plan_pii = None
if plan is not None:
    plan_run = api.run(plan.scenario(ed, api.Scenario(unit=unit, edition=ed.year)))
    plan_pii = plan_run.summary()["scenario"]["pii"]
# the card's result is the most PII for next year alone unless a reached rank cost less
most = best if reach is None or not reach.reached else None
budget_results.path_section(assumptions, ed, route, equal_route, plan_pii, most, plan)

# ---- the plan's cost, the levers, the saved sets -----------------------------------------------
if plan is not None:
    budget_results.plan_cost_section(assumptions, ed, plan, trend, plans)
budget_levers.lever_editor(base)
budget_sets.sets_panel(ws, assumptions, unit, ed.year)
