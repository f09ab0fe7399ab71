"""Budget: what money buys, where it should go, and the path to 2030. Widgets -> model -> render."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import api
from model import budget as bm
from model.scenario import ScenarioError
from model.workspace import NameTaken, Workspace, WorkspaceError
from ui import access, data, frame
from ui.i18n import _, lang, num
from ui.scenario_figures import BLUE, DARK, GREY, GRID, ORANGE, separators
from ui.widgets import badge_md, md_text

f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
vi = lang() == "vi"
st.subheader(_("budget.title", unit=f.unit_name))
st.caption(_("budget.intro"))


@st.cache_resource(show_spinner=False)
def _default_assumptions(unit: str, year: int) -> bm.Assumptions:
    return bm.Assumptions.default(unit=unit, edition=year)


try:
    base = _default_assumptions(unit, ed.year)
    base.economy_value("grdp_billion_vnd", ed.year + 1)
except (ScenarioError, KeyError):
    st.info(_("budget.no_economy"))
    st.stop()
loaded = st.session_state.get("bud_base")
if loaded is not None and (loaded.unit, loaded.edition) == (unit, ed.year):
    base = loaded  # a saved assumption set opened by the user; edits apply on top of it
ws = Workspace()


def _load_set(name: str) -> None:
    try:
        a = bm.Assumptions.from_json(ws.get_assumptions(name))
    except (WorkspaceError, ScenarioError) as exc:
        st.session_state["bud_msg"] = ("error", str(exc))
        return
    st.session_state["bud_base"] = a
    st.session_state["bud_version"] = st.session_state.get("bud_version", 0) + 1
    st.session_state["bud_budget"] = float(a.budget_bn_per_year)
    st.session_state["bud_growth"] = float(a.budget_growth_pct)
    st.session_state["bud_h"] = int(a.horizon_year)
    st.session_state["bud_peers"] = a.peers.split(":", 1)[0]
    st.session_state["bud_msg"] = ("success", _("budget.loaded", name=md_text(name)))


# ---- assumptions ------------------------------------------------------------------------------
with st.container(border=True):
    st.markdown(f"**{_('budget.inputs')}**")
    c = st.columns(3)
    budget_bn = c[0].number_input(
        _("budget.budget"), 0.0, 100_000.0, 50.0, 5.0, format="%.0f", key="bud_budget"
    )
    growth = c[1].number_input(
        _("budget.growth"), -50.0, 100.0, 10.0, 1.0, format="%.0f", key="bud_growth"
    )
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
    c = st.columns(2)
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

# ---- lever table (editable) -------------------------------------------------------------------
editor_key = f"bud_levers_edit_{st.session_state.get('bud_version', 0)}"
edits = st.session_state.get(editor_key, {"edited_rows": {}})
moveable = [lv for lv in base.levers if lv.moveable]
assumptions = base
bad_edit = None
for row, change in edits.get("edited_rows", {}).items():
    lv = moveable[int(row)]
    mapping = {
        "cost": "cost_million_vnd_per_item",
        "cap": "max_change_per_year_raw",
        "lag": "lag_years",
    }
    try:
        assumptions = assumptions.with_lever(
            lv.code,
            **{
                mapping[k]: (int(v) if k == "lag" else v) for k, v in change.items() if k in mapping
            },
        )
    except (ScenarioError, TypeError, ValueError) as exc:
        bad_edit = str(exc)
peer_spec = {"static": "static", "drift": "drift:0.5", "trend": "trend"}[peers]
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
    best = bm.optimize(
        assumptions,
        ed,
        budget_bn=budget_bn,
        objective=objective,
        target_rank=int(target_rank) if target_rank else None,
        trend=trend,
    )
    simple = bm.rules(assumptions, ed, budget_bn, 1, trend)
    marginal = bm.marginal_pii_per_billion(assumptions, ed, best, trend=trend)
    route = bm.path(assumptions, ed, trend=trend)
    equal_route = bm.path(assumptions, ed, allocation="equal", trend=trend)
except ScenarioError as exc:
    st.warning(_("budget.error", msg=exc))
    st.stop()
if bad_edit:
    st.warning(_("budget.bad_edit", msg=bad_edit))


def lever_name(code: str, width: int = 44) -> str:
    lv = assumptions.lever(code)
    text = lv.lever_vi if vi else lv.lever_en
    return f"{code} · {text if len(text) <= width else text[: width - 1] + '…'}"


# ---- result: one year -------------------------------------------------------------------------
u = ed.unit_index(unit)
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

left, right = st.columns(2, gap="large")
with left:
    st.markdown(f"**{_('budget.alloc_table')}**")
    rows = [r for r in best.levers if r.spend_bn > 0 or abs(r.delta_pii) > 1e-9]
    st.dataframe(
        pd.DataFrame(
            {
                _("budget.col_lever"): [lever_name(r.code, 30) for r in rows],
                _("budget.col_spend"): [num(r.spend_bn, 1) for r in rows],
                _("budget.col_dscore"): [num(r.delta_score, 2, sign=True) for r in rows],
                _("budget.col_dpii"): [num(r.delta_pii, 3, sign=True) for r in rows],
            }
        ),
        hide_index=True,
        key="bud_alloc",
    )
    st.markdown(f"**{_('budget.rules')}**")
    single = max((a for k, a in simple.items() if k.startswith("single:")), key=lambda a: a.pii)
    single_code = next(k for k, a in simple.items() if a is single).split(":", 1)[1]
    comp = [
        (_("budget.rule_opt"), best),
        (_("budget.rule_equal"), simple["equal"]),
        (_("budget.rule_single", code=single_code), single),
    ]
    st.dataframe(
        pd.DataFrame(
            {
                _("budget.rule"): [name for name, _x in comp],
                _("budget.col_pii"): [num(a.pii) for _x, a in comp],
                _("budget.col_rank"): [a.rank for _x, a in comp],
                _("budget.col_spend"): [num(a.spent_bn, 1) for _x, a in comp],
            }
        ),
        hide_index=True,
        key="bud_rules",
    )
with right:
    st.markdown(f"**{_('budget.marginal')}**")
    mg = sorted(((c, v) for c, v in marginal.items()), key=lambda cv: cv[1], reverse=True)[:12]
    fig = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [lever_name(c, 28) for c, _x in mg],
                "x": [v for _x, v in mg],
                "marker": {"color": BLUE},
                "text": [num(v, 3) for _x, v in mg],
                "textposition": "outside",
                "cliponaxis": False,
            }
        ],
        "layout": {
            "height": 60 + 32 * len(mg),
            "separators": separators(lang()),
            "margin": {"l": 10, "r": 40, "t": 10, "b": 10},
            "font": {"size": 14, "color": DARK},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "plot_bgcolor": "white",
            "xaxis": {"tickformat": ".3f", "nticks": 4},
        },
    }
    st.plotly_chart(
        fig,
        config={"displayModeBar": False},
        key="bud_marginal",
        alt=_(
            "budget.marginal_alt",
            n=len(mg),
            top="; ".join(f"{lever_name(c, 60)} {num(v, 3)}" for c, v in mg[:3]),
        ),
    )
    st.caption(_("budget.marginal_note"))
    with st.expander(_("common.chart_data")):
        st.table(
            pd.DataFrame(
                {
                    _("budget.col_lever"): [lever_name(c, 80) for c, _x in mg],
                    _("budget.marginal"): [num(v, 3) for _x, v in mg],
                }
            ),
            hide_index=True,
            border="horizontal",
        )

# ---- result: the path -------------------------------------------------------------------------
st.markdown(f"#### {_('budget.path', year=assumptions.horizon_year)}")
plan = data.plan()
plan_pii = None
if plan.unit == unit:
    plan_pii = api.run(api.preset("plan-2024", api.Scenario(unit=unit, edition=ed.year))).summary()[
        "scenario"
    ]["pii"]
years = [y.year for y in route.years]
fig = {
    "data": [
        {
            "type": "scatter",
            "mode": "lines+markers+text",
            "name": _("budget.rule_opt"),
            "x": years,
            "y": [y.pii for y in route.years],
            "line": {"color": BLUE, "width": 3},
            "text": [f"#{y.rank}" for y in route.years],
            "textposition": "top center",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("budget.rule_equal"),
            "x": years,
            "y": [y.pii for y in equal_route.years],
            "line": {"color": GREY, "dash": "dash"},
        },
    ],
    "layout": {
        "height": 360,
        "separators": separators(lang()),
        "font": {"size": 15, "color": DARK},
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.15},
        "xaxis": {"dtick": 1, "title": {"text": _("budget.year")}},
        "yaxis": {"title": {"text": "PII"}, "gridcolor": GRID},
    },
}
if plan_pii is not None:
    fig["layout"]["shapes"] = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": plan_pii,
            "y1": plan_pii,
            "line": {"color": ORANGE, "dash": "dot"},
        }
    ]
st.plotly_chart(
    fig,
    config={"displayModeBar": False},
    key="bud_path",
    alt=_(
        "budget.path_alt",
        year=assumptions.horizon_year,
        first=num(route.years[0].pii) if route.years else "–",
        last=num(route.years[-1].pii) if route.years else "–",
        rank=route.years[-1].rank if route.years else "–",
        equal=num(equal_route.years[-1].pii) if equal_route.years else "–",
    ),
)
st.caption(_("budget.path_note", growth=num(growth, 0), plan_year=ed.year))
with st.expander(_("common.chart_data")):
    st.dataframe(
        pd.DataFrame(
            {
                _("budget.year"): years,
                _("budget.budget"): [num(y.budget_bn, 1) for y in route.years],
                _("budget.col_pii"): [num(y.pii) for y in route.years],
                _("budget.col_rank"): [y.rank for y in route.years],
                _("budget.rule_equal"): [num(y.pii) for y in equal_route.years],
            }
        ),
        hide_index=True,
        key="bud_path_table",
    )

# ---- the plan's cost ---------------------------------------------------------------------------
if plan.unit == unit:
    st.markdown(f"#### {_('budget.plan_cost')}")
    pc = bm.plan_cost(assumptions, ed, plan, trend=trend)
    st.dataframe(
        pd.DataFrame(
            {
                _("budget.col_code"): [r["code"] for r in pc["targets"]],
                _("common.indicator"): [
                    fw.indicator(r["code"]).name_vi if vi else fw.indicator(r["code"]).name_en
                    for r in pc["targets"]
                ],
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

# ---- the lever table -----------------------------------------------------------------------------
st.markdown(f"#### {_('budget.levers')}")
st.caption(_("budget.levers_note"))
basis = {"exact": _("budget.basis_exact"), "assumed": _("budget.basis_assumed")}
table = pd.DataFrame(
    {
        "code": [lv.code for lv in moveable],
        "lever": [lv.lever_vi if vi else lv.lever_en for lv in moveable],
        "basis": [basis[lv.basis] for lv in moveable],
        "item": [lv.item_vi if vi else lv.item_en for lv in moveable],
        "cost": [lv.cost_million_vnd_per_item for lv in moveable],
        "cap": [lv.max_change_per_year_raw for lv in moveable],
        "lag": [lv.lag_years for lv in moveable],
        "note": [lv.source or lv.note for lv in moveable],
    }
)
st.data_editor(
    table,
    hide_index=True,
    key="bud_levers_edit",
    disabled=["code", "lever", "basis", "item", "note"],
    column_config={
        "code": st.column_config.TextColumn(_("budget.col_code")),
        "lever": st.column_config.TextColumn(_("budget.col_lever"), width="medium"),
        "basis": st.column_config.TextColumn(_("budget.col_basis")),
        "item": st.column_config.TextColumn(_("budget.col_item")),
        "cost": st.column_config.NumberColumn(
            _("budget.col_cost_item"), min_value=0.0001, format="%.4g"
        ),
        "cap": st.column_config.NumberColumn(_("budget.col_cap"), min_value=0.0, format="%.4g"),
        "lag": st.column_config.NumberColumn(
            _("budget.col_lag"), min_value=0, max_value=10, step=1
        ),
        "note": st.column_config.TextColumn(_("budget.col_note"), width="large"),
    },
)

# ---- named assumption sets ----------------------------------------------------------------------
st.markdown(f"#### {_('budget.sets')}")
msg = st.session_state.pop("bud_msg", None)
if msg:
    getattr(st, msg[0])(msg[1])


def _save_set() -> None:
    name = str(st.session_state.get("bud_set_name") or "")
    try:
        ws.save_assumptions(
            name,
            assumptions.to_json(),
            unit=unit,
            edition=ed.year,
            overwrite=bool(st.session_state.get("bud_set_overwrite")),
        )
        st.session_state["bud_msg"] = ("success", _("budget.saved", name=md_text(name.strip())))
    except NameTaken:
        st.session_state["bud_msg"] = ("error", _("budget.name_taken", name=md_text(name.strip())))
    except WorkspaceError as exc:
        st.session_state["bud_msg"] = ("error", str(exc))


sc = st.columns(2, gap="large")
if access.can_write_user_data():
    with sc[0].form("bud_save"):
        st.text_input(_("budget.set_name"), max_chars=120, key="bud_set_name")
        st.checkbox(_("budget.overwrite"), key="bud_set_overwrite")
        st.form_submit_button(_("budget.save"), on_click=_save_set)
else:  # read-only meeting mode: sets can be opened, not saved
    with sc[0]:
        access.read_only_note()
try:
    names = ws.list_assumptions(unit)
except WorkspaceError:
    names = []
if names:
    chosen = sc[1].selectbox(_("budget.open_set"), names, key="bud_set_pick")
    sc[1].button(_("budget.open"), on_click=_load_set, args=(chosen,), key="bud_set_open")
else:
    sc[1].caption(_("budget.no_sets"))
