"""Action plan: the plan's indicators and targets, each department's PII points at stake,
progress against the targets, another province's plan from a CSV, and the reports."""

from __future__ import annotations

import streamlit as st

from model import api, report
from model import plan as planmod
from model.framework import PILLARS
from model.scenario import Scenario
from model.workspace import Workspace, WorkspaceError
from ui import access, data, frame, names, plan_actions, plan_panels
from ui.i18n import _, err, lang
from ui.widgets import md_text, report_downloads

f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
seed = data.plan()
plan = plan_actions.current(seed)


# ---- header ----------------------------------------------------------------------------------
def _unit_name(slug: str) -> str:
    if slug in ed.slugs:
        return ed.name(slug, lang())
    units = data.units_table()
    match = units[units["slug"] == slug]
    return str(match.iloc[0][f"name_{lang()}"]) if len(match) else slug


plan_unit_name = _unit_name(plan.unit)
st.subheader(_("plan.title", unit=plan_unit_name))
flash = st.session_state.pop("_plan_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])
if plan is not seed:
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.info(_("plan.uploaded_active", plan=md_text(plan.plan_id)))
    c2.button(_("plan.use_seed"), key="plan_use_seed", on_click=plan_actions.use_seed, args=(seed,))

plan_actions.upload_box(seed, ed, unit, f.unit_name)

if not plan.applies_to(ed, unit):
    if plan.unit != unit:
        st.warning(_("plan.other_unit", plan_unit=plan_unit_name, unit=f.unit_name, year=ed.year))
    else:
        st.warning(_("plan.other_edition", plan_unit=plan_unit_name, year=ed.year))
    year = ed.year if plan.unit in ed.slugs else plan.edition
    st.button(
        _("plan.switch", plan_unit=plan_unit_name, year=year),
        key="plan_switch_unit",
        type="primary",
        on_click=plan_actions.show_plan_unit,
        args=(plan.unit, year),
    )
    st.stop()

# ---- the model -------------------------------------------------------------------------------
base = Scenario(unit=unit, edition=ed.year, scale=f.scale)
effect = planmod.department_effects(plan, ed, base)
try:
    history = Workspace().progress_history(plan.plan_id)
except WorkspaceError as exc:
    st.error(_("plan.r_store", msg=err(exc)))
    history = []
latest = plan_panels.latest_of(history)
progress_scenario = base.with_targets({c: e.score for c, e in latest.items()})
progress_out = api.run(progress_scenario) if latest else None

st.markdown(_("plan.intro", plan=md_text(plan.plan_id), n=len(plan.targets), year=ed.year))
plan_panels.headline(effect, progress_out, ed.n)
plan_panels.departments(effect, ed.n, f.scale)

# ---- filters ---------------------------------------------------------------------------------
st.markdown(f"#### {_('plan.filters')}")
c1, c2 = st.columns(2)
at_stake = {d.lead_unit: d.delta_pii for d in effect.departments}
dept_options = ["", *sorted(plan.departments, key=lambda d: -at_stake[d])]
dept = c1.selectbox(
    _("plan.f_dept"),
    dept_options,
    key="plan_dept",
    on_change=plan_actions.filters_changed,
    args=(plan, ed),
    format_func={d: names.department(d) if d else _("plan.all") for d in dept_options}.get,
)
pillars_in_plan = [p for p in PILLARS if any(fw.pillar_of(c) == p for c in plan.codes)]
pillar = c2.selectbox(
    _("plan.f_pillar"),
    ["", *pillars_in_plan],
    key="plan_pillar",
    on_change=plan_actions.filters_changed,
    args=(plan, ed),
    format_func={
        p: f"{p}. {names.pillar(fw, p)}" if p else _("plan.all") for p in ["", *pillars_in_plan]
    }.get,
)
if dept:
    plan_panels.stake(effect, dept)
rows = plan_panels.shown_targets(plan, fw, dept, pillar)

# ---- the plan table, progress, details per indicator -----------------------------------------
plan_panels.table(rows, plan, ed, unit, latest)
st.markdown(f"#### {_('plan.record')}")
if not access.can_write_user_data():  # read-only meeting mode: the history stays visible
    access.read_only_note()
else:
    plan_actions.progress_form(plan, fw)
plan_panels.details(rows, ed, unit, latest, history)

# ---- reports ---------------------------------------------------------------------------------
st.markdown(f"#### {_('plan.reports')}")
rep = report.build(
    plan.scenario(ed, base),
    label=_("plan.preset_plan") if plan is seed else plan.plan_id,
    lang=lang(),
    plan=plan,
    progress=history,
)
b1, b2 = st.columns(2)
report_downloads(
    rep,
    (b1, b2),
    prefix="plan",
    labels=(_("plan.download_xlsx"), _("plan.download_html")),
    width="stretch",
)
st.caption(_("plan.reports_caption"))
