"""Meeting mode: one clean screen for a projector — PII, rank and change for the baseline, the
plan and the scenario under discussion, the plan's top movers and the departments' shares.

The scenario comes from the link (`?scenario=NAME` for a saved scenario, `?preset=plan-2024`
or `?preset=baseline`), so each meeting has a stable URL such as
`/meeting?unit=bac-giang&edition=2023&preset=plan-2024`. The sidebar is hidden on this page.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from model import plan as planmod
from model import report
from model.scenario import Scenario
from model.workspace import NotFound, Workspace, WorkspaceError
from ui import access, data, frame
from ui.i18n import _, lang, num
from ui.widgets import md_text, report_downloads

CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"],
[data-testid="stHeader"] { display: none !important; }
.block-container { max-width: 100% !important; padding: 1rem 2.5rem 2rem !important; }
.st-key-meet_head [data-testid="stHeadingWithActionElements"] h1 { font-size: 2.1rem;
  line-height: 1.2; padding: 0; margin: 0; }
.st-key-meet_head p { font-size: 1.25rem; margin: 0; color: #111827; }
.st-key-meet_cards [data-testid="stMetricLabel"] p { font-size: 1.35rem; font-weight: 700;
  color: #111827; }
.st-key-meet_cards [data-testid="stMetricValue"] p { font-size: 3.6rem; font-weight: 800;
  line-height: 1.05; color: #111827; }
.st-key-meet_cards [data-testid="stMetricDelta"] p,
.st-key-meet_cards [data-testid="stMetricDelta"] div { font-size: 1.3rem; font-weight: 700; }
[class*="st-key-meet_rank"] p { font-size: 1.4rem; margin: 0; color: #111827; }
.st-key-meet_tables h3 { font-size: 1.3rem; padding: 0 0 0.3rem; color: #111827; }
.st-key-meet_tables table { font-size: 1.08rem; color: #111827; }
.st-key-meet_tables th { font-size: 1rem; color: #111827 !important; font-weight: 700; }
.st-key-meet_tables td, .st-key-meet_tables th { padding: 0.2rem 0.55rem !important;
  line-height: 1.25; }
.st-key-meet_tables td:last-child, .st-key-meet_tables th:last-child { text-align: right; }
.st-key-meet_movers table { table-layout: fixed; width: 100% !important; }
.st-key-meet_movers th:nth-child(1) { width: 54%; }
.st-key-meet_movers th:nth-child(2) { width: 31%; }
.st-key-meet_movers th:nth-child(3) { width: 15%; }
.st-key-meet_movers td { overflow: hidden; }
.st-key-meet_movers td div { display: block !important; width: 100% !important;
  max-width: 100% !important; min-width: 0; overflow: hidden; }
.st-key-meet_movers td p { display: block; white-space: nowrap !important;
  text-wrap-mode: nowrap !important; overflow: hidden; text-overflow: ellipsis; }
.st-key-meet_depts tr:last-child td { font-weight: 700; border-top: 2px solid #111827; }
@media (min-width: 1700px) {
  .block-container { padding: 1.5rem 3.5rem 2rem !important; }
  .st-key-meet_head [data-testid="stHeadingWithActionElements"] h1 { font-size: 3rem; }
  .st-key-meet_head p { font-size: 1.6rem; }
  .st-key-meet_cards [data-testid="stMetricLabel"] p { font-size: 1.8rem; }
  .st-key-meet_cards [data-testid="stMetricValue"] p { font-size: 5.4rem; }
  .st-key-meet_cards [data-testid="stMetricDelta"] p,
  .st-key-meet_cards [data-testid="stMetricDelta"] div { font-size: 1.8rem; }
  [class*="st-key-meet_rank"] p { font-size: 2rem; }
  .st-key-meet_tables h3 { font-size: 1.8rem; }
  .st-key-meet_tables table { font-size: 1.5rem; }
  .st-key-meet_tables th { font-size: 1.3rem; }
  .st-key-meet_tables td, .st-key-meet_tables th { padding: 0.35rem 0.75rem !important; }
}
</style>"""


def _places(change: int) -> str:
    if change > 0:
        return _("meeting.up", n=change)
    if change < 0:
        return _("meeting.down", n=-change)
    return _("meeting.same")


def _switch(unit: str, year: int) -> None:
    frame._on_context_change()
    st.session_state["edition"] = year
    st.session_state["unit"] = unit


f = frame.current()
ed, unit = f.edition, f.unit
st.html(CSS)
uploaded = st.session_state.get("_plan_uploaded")  # a plan loaded on the plan page
plan = uploaded if uploaded is not None and uploaded.applies_to(ed, unit) else data.plan()
plan_here = plan.applies_to(ed, unit)
base = Scenario(unit=unit, edition=ed.year, scale=f.scale)

# ---- which scenario: the link once, then the selector at the bottom -------------------------
if "meet_choice" not in st.session_state:
    link = frame.link_values()
    if link.get("scenario"):
        st.session_state["meet_choice"] = f"saved:{link['scenario']}"
    elif link.get("preset") == "baseline" or not plan_here:
        st.session_state["meet_choice"] = "baseline"
    else:
        st.session_state["meet_choice"] = "plan"
choice = str(st.session_state["meet_choice"])
if choice == "plan" and not plan_here:
    choice = "baseline"

ws = Workspace()
try:
    saved_here = ws.list_scenarios(unit=unit, edition=ed.year)
except WorkspaceError as exc:
    st.error(_("meeting.store_error", msg=exc))
    saved_here = []

scenario, label, saved_name = base, _("meeting.baseline"), None
if choice == "plan":
    scenario, label = plan.scenario(ed, base), _("meeting.plan")
elif choice.startswith("saved:"):
    name = choice.split(":", 1)[1]
    fallback = _("meeting.plan") if plan_here else _("meeting.baseline")
    try:
        sv = ws.get_scenario(name)
    except NotFound:
        st.warning(_("meeting.not_found", name=md_text(name), fallback=fallback))
        sv = None
    except WorkspaceError as exc:
        st.warning(_("meeting.store_error", msg=exc))
        sv = None
    if sv is not None and (sv.unit, sv.edition) != (unit, ed.year):
        other_ed = data.edition(sv.edition) if sv.edition in data.editions() else None
        other = (
            other_ed.name(sv.unit, lang()) if other_ed and sv.unit in other_ed.slugs else sv.unit
        )
        st.warning(_("meeting.saved_other", name=md_text(sv.name), unit=other, year=sv.edition))
        if other_ed is not None and sv.unit in other_ed.slugs:
            st.button(
                _("meeting.switch", unit=other, year=sv.edition),
                on_click=_switch,
                args=(sv.unit, sv.edition),
                key="meet_switch",
                type="primary",
            )
        sv = None
    if sv is not None:
        scenario, label, saved_name = sv.scenario, sv.name, sv.name
    elif plan_here:
        scenario, label = plan.scenario(ed, base), _("meeting.plan")

frame.write_link(
    {
        "scenario": saved_name,
        "preset": None
        if saved_name
        else ("plan-2024" if label == _("meeting.plan") else "baseline"),
    }
)

try:
    progress = ws.progress_history(plan.plan_id) if plan_here else []
except WorkspaceError:
    progress = []
rep = report.build(
    scenario, label=label, lang=lang(), plan=plan if plan_here else None, progress=progress
)

# ---- the screen ------------------------------------------------------------------------------
with st.container(key="meet_head"):
    st.title(_("meeting.title", unit=f.unit_name, year=ed.year), anchor=False)
    st.markdown(_("meeting.subtitle", label=md_text(label)))

heads = report.headline(rep)
names = [_("meeting.baseline")] + ([_("meeting.plan")] if rep.plan_outcome is not None else [])
names += [label] * (len(heads) - len(names))
with st.container(key="meet_cards"):
    cols = st.columns(len(heads), gap="medium")
    for k, (col, h, name) in enumerate(zip(cols, heads, names, strict=True)):
        with col, st.container(border=True, height="stretch"):
            if k == 0:
                st.metric(
                    md_text(name),
                    num(h["pii"]),
                    _("meeting.base_note", year=ed.year),
                    delta_color="off",
                    delta_arrow="off",
                )
            else:
                st.metric(
                    md_text(name),
                    num(h["pii"]),
                    _("meeting.points", d=num(h["delta_pii"], sign=True)),
                )
            rank = _("meeting.rank", rank=h["rank"], n=ed.n)
            with st.container(key=f"meet_rank{k}"):
                st.markdown(rank + ("" if k == 0 else f" · {_places(h['rank_change'])}"))

with st.container(key="meet_tables"):
    left, right = st.columns([1, 1], gap="large")
    with left:
        of_plan = rep.plan_outcome is not None and (rep.is_plan or not scenario.targets)
        source = rep.plan_outcome if of_plan else rep.outcome
        contrib = sorted(source.contributions, key=lambda c: -abs(c.delta_pii))[:8]
        st.subheader(_("meeting.movers") if of_plan else _("meeting.movers_scenario"))
        if contrib:
            fw = ed.framework

            def short(code: str, width: int = 90) -> str:
                ind = fw.indicator(code)
                text = ind.name_vi if lang() == "vi" else ind.name_en
                return text if len(text) <= width else text[: width - 1].rstrip() + "…"

            movers = pd.DataFrame(
                {
                    _("meeting.col_indicator"): [
                        md_text(f"{c.code} {short(c.code)}") for c in contrib
                    ],
                    _("meeting.col_lead"): [
                        md_text(planmod.department_label(plan.lead_of(c.code) or "", lang(), True))
                        if plan_here and plan.lead_of(c.code)
                        else ""
                        for c in contrib
                    ],
                    _("meeting.col_dpii"): [num(c.delta_pii, 2, sign=True) for c in contrib],
                }
            )
            with st.container(key="meet_movers"):
                st.table(movers, hide_index=True, border="horizontal")
        else:
            st.info(_("meeting.no_change"))
    with right:
        st.subheader(_("meeting.depts"))
        rows = report.department_rows(rep)
        if rows and rep.effect is not None:
            depts = pd.DataFrame(
                {
                    _("meeting.col_dept"): [md_text(d["short"]) for d in rows]
                    + [_("meeting.total")],
                    _("meeting.col_n"): [len(d["codes"]) for d in rows]
                    + [sum(len(d["codes"]) for d in rows)],
                    _("meeting.col_dpii"): [num(d["delta_pii"], 2, sign=True) for d in rows]
                    + [num(rep.effect.delta_pii, 2, sign=True)],
                }
            )
            with st.container(key="meet_depts"):
                st.table(depts, hide_index=True, border="horizontal")
        else:
            st.info(_("meeting.no_plan"))

u = ed.unit_index(unit)
# What the numbers rest on, from the cells themselves (an import can make them all official).
kinds = {k: int((ed.provenance[u] == k).sum()) for k in ("official", "published", "reconstructed")}
st.caption(
    _("meeting.note", m=ed.framework.m, **kinds)
    + (" " + _("meeting.note_est") if kinds["reconstructed"] else "")
)

# ---- below the fold: choose the scenario, the link, the reports ------------------------------
d1, d2, d3 = st.columns([1, 1, 1])
report_downloads(
    rep,
    (d1, d2),
    prefix="meet",
    labels=(_("meeting.download_xlsx"), _("meeting.download_html")),
    type="tertiary",
)
d3.page_link("pages/plan.py", label=_("meeting.exit"), icon=":material/close_fullscreen:")
with st.expander(_("meeting.options")):
    options = ["plan"] if plan_here else []
    options += ["baseline"] + [f"saved:{s.name}" for s in saved_here]
    if st.session_state["meet_choice"] not in options:
        options.append(st.session_state["meet_choice"])
    st.selectbox(
        _("meeting.choose"),
        options,
        format_func={
            o: _("meeting.opt_plan")
            if o == "plan"
            else (_("meeting.opt_baseline") if o == "baseline" else o.split(":", 1)[1])
            for o in options
        }.get,
        key="meet_choice",
    )
    params = {"lang": f.lang, "unit": unit, "edition": ed.year}
    if f.scale != "frozen":
        params["scale"] = f.scale
    if access.session_read_only():
        params["mode"] = "meeting"
    if saved_name:
        params["scenario"] = saved_name
    else:
        params["preset"] = "plan-2024" if label == _("meeting.plan") else "baseline"
    base_url = (st.context.url or "").split("?", 1)[0]
    st.markdown(_("meeting.link"))
    st.code(f"{base_url}?{urlencode(params)}", language=None, wrap_lines=True)
    # Read-only for the room: hides every save, edit and delete control in this session.
    forced = access.forced_read_only()
    st.session_state["meet_read_only"] = access.read_only()
    st.toggle(
        _("common.ro_toggle"),
        key="meet_read_only",
        on_change=lambda: access.set_session_read_only(st.session_state["meet_read_only"]),
        disabled=forced,
        help=_("common.ro_forced") if forced else _("common.ro_toggle_help"),
    )
