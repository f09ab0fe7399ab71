"""Action plan: write a plan for any unit of any edition (new, copy, import, recommend; targets
and owners in a table; saved with revisions), see what it is worth (PII, rank, each
department's points), track progress against it, compare it with the next edition's outcome,
and take it away as a file or a report."""

from __future__ import annotations

import streamlit as st

from model import api, report
from model import plan as planmod
from model.index.framework import PILLARS
from model.index.scenario import Scenario
from model.plan.by_department import target_points
from model.workspace import Workspace, WorkspaceError
from ui import access, frame, names
from ui import loaders as data
from ui import plan_choice as choice
from ui import provenance as prov
from ui.i18n import _, _n, err, lang
from ui.plan import (
    actions as plan_actions,
)
from ui.plan import (
    carried as plan_carried,
)
from ui.plan import (
    editor as plan_editor,
)
from ui.plan import (
    extras as plan_extras,
)
from ui.plan import (
    files as plan_files,
)
from ui.plan import (
    history as plan_history,
)
from ui.plan import (
    panels as plan_panels,
)
from ui.plan import (
    progress as plan_progress,
)
from ui.widgets import md_text, report_downloads

f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
writable = access.can_write_user_data()

# ---- which plan: the unit's stored and built-in plans, and this session's drafts -------------
if writable:
    plan_carried.store_drafts(ed, unit)  # a merged unit's draft from a built-in plan, once
plans = choice.plans_here(ed, unit)
stored_by_key = {p.plan_id: p for p in plans}
drafts = choice.drafts()
unsaved = choice.drafts_here(ed, unit)
keys = list(stored_by_key) + list(unsaved)
key = choice.chosen_key(unit, keys)
linked = choice.link_plan()  # a link's plan= the unit does not have: said once, not ignored
if linked and linked not in keys and not st.session_state.get("_plan_link_said"):
    st.session_state["_plan_link_said"] = True
    st.warning(_("plan.pg_link_not_found", plan=md_text(linked), unit=f.unit_name, year=ed.year))
stored = stored_by_key.get(key) if key else None
draft = drafts.get(key) if key else None
if draft is not None and not draft.applies_to(ed, unit):
    draft = None
plan = draft or stored
if key is not None:
    choice.remember(unit, key)  # the plan shown here is the unit's plan on every page
edited_here = {k: d for k, d in drafts.items() if k in stored_by_key and d.applies_to(ed, unit)}
shown = stored_by_key | edited_here | unsaved  # each key as the session has it now

st.subheader(_("plan.title", unit=f.unit_name))
flash = st.session_state.pop("_plan_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

plan_files.toolbar(unit, keys, shown, key, writable)
action = st.session_state.get(plan_files.ACTION) if writable else None
if action == "new":
    plan_files.new_panel(ed, unit, f.unit_name)
elif action == "copy" and plan is not None:
    plan_files.copy_panel(unit, plan)
elif action == "recommend":
    plan_extras.recommend_panel(ed, unit, plan)
elif action == "delete" and plan is not None:
    plan_files.delete_panel(unit, key, plan, stored)
plan_files.files_box(ed, unit, f.unit_name, plan)
plan_extras.carried_panel(ed, unit, has_own=bool(plans))

if plan is None:  # nothing yet for this unit: write one, or look at the seed's province
    seed = data.plan()
    seed_year = ed.year if seed.unit in ed.slugs else seed.edition
    seed_name = plan_actions.unit_name(ed, seed.unit)
    st.warning(_("plan.pg_no_plan", unit=f.unit_name, year=ed.year, plan_unit=seed_name))
    st.button(  # secondary: writing the unit's own plan (the toolbar) is the way forward
        _("plan.switch", plan_unit=seed_name, year=seed_year),
        key="plan_switch_unit",
        type="secondary",
        on_click=plan_actions.show_plan_unit,
        args=(seed.unit, seed_year),
    )
    st.stop()

# ---- the plan's table: edited (stored or draft plans) or read (built-in, read-only mode) -------
ed_plan = data.edition(plan.edition)  # the targets are scores on its baseline edition's scale
base = Scenario(unit=unit, edition=ed.year, scale=f.scale)
editable = writable and not plan.read_only
source = _(plan_actions.SOURCES.get(plan.source, "plan.pg_source_typed"))
st.markdown(
    _n(
        "plan.pg_intro",
        len(plan.targets),
        name=md_text(choice.label(plan, 90)),
        year=plan.edition,
        target_year=plan.target_year,
        source=source,
    )
)
points = target_points(plan, ed, base)
banner = st.container()  # the unsaved-draft banner, filled once the table has been read
if editable:
    st.markdown(f"#### {_('plan.pg_editor')}")
    st.caption(_("plan.pg_editor_help"))
    options = plan_editor.department_options(plans, plan)
    edited, _problems = plan_editor.editor(key, plan, ed_plan, points, options)  # shown there
    if edited != plan:  # edits not committed yet: the numbers follow the table
        plan, points = edited, target_points(edited, ed, base)
    plan_editor.department_adder(unit)
elif plan.read_only:
    st.info(_("plan.pg_builtin_note"))
if not writable:
    access.read_only_note()

# ---- what the plan is worth ------------------------------------------------------------------
effect = planmod.department_effects(plan, ed, base)
is_stored = stored is not None and (plan.read_only or plan.revision > 0)
try:
    history = Workspace().progress_history(plan.plan_id) if is_stored else []
except WorkspaceError as exc:
    st.error(_("plan.r_store", msg=err(exc)))
    history = []
latest = plan_panels.latest_of([e for e in history if e.code in plan.codes])
progress_out = (
    api.run(base.with_targets({c: e.score for c, e in latest.items()})) if latest else None
)
plan_panels.headline(effect, progress_out, ed.n)
st.markdown(prov.cells_line(ed, unit), help=_("common.prov_badge"))
if effect.departments:
    plan_panels.departments(effect, ed.n, f.scale)
    plan_progress.panel(plan, ed, history, base, effect, points)

if editable:
    dirty = stored is None or plan != stored  # edits in the table or in the session's draft
    plan_editor.unsaved_work(banner, dirty)
    plan_editor.save_form(key, plan, ed_plan, dirty)
    if dirty and stored is not None:
        plan_files.discard_button(key)
if stored is not None and not stored.read_only and stored.revision > 0:
    plan_history.panel(key, stored, writable)  # every revision: who, when, why; compare, restore

if not plan.targets:
    st.stop()

# ---- filters, the plan table with progress, details per indicator ----------------------------
st.markdown(f"#### {_('plan.filters')}")
c1, c2 = st.columns(2)
at_stake = {d.lead_unit: d.delta_pii for d in effect.departments}
dept_options = ["", *sorted(plan.departments, key=lambda d: -at_stake[d])]
pillars_in_plan = [p for p in PILLARS if any(fw.pillar_of(c) == p for c in plan.codes)]
filters = {"plan_dept": dept_options, "plan_pillar": ["", *pillars_in_plan], "pr_code": plan.codes}
plan_actions.keep_options(filters)  # a choice the edited plan no longer has starts again
dept = c1.selectbox(
    _("plan.f_dept"),
    dept_options,
    key="plan_dept",
    on_change=plan_actions.filters_changed,
    args=(plan, ed),
    format_func={d: names.department(d) if d else _("plan.all") for d in dept_options}.get,
)
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
plan_panels.table(rows, plan, ed, unit, latest, points)
st.markdown(f"#### {_('plan.record')}")
if not writable:  # read-only meeting mode: the history stays visible
    access.read_only_note()
elif not is_stored or plan != stored:
    st.caption(_("plan.pg_progress_after_save"))
else:
    plan_actions.progress_form(plan, fw)
plan_panels.details(rows, ed, unit, latest, history)
plan_extras.review_panel(plan)

# ---- reports ---------------------------------------------------------------------------------
st.markdown(f"#### {_('plan.reports')}")
rep = report.build(
    plan.scenario(ed, base), label=choice.label(plan), lang=lang(), plan=plan, progress=history
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
if is_stored and plan == stored:  # a saved plan has a stable meeting link
    st.page_link("pages/meeting.py", label=_("plan.pg_meeting"), icon=":material/co_present:")
    params = {"unit": unit, "edition": ed.year, "plan": plan.plan_id}
    params |= {"lang": lang()} if lang() != "vi" else {}
    st.caption(_("plan.pg_meeting_link"))
    st.code(frame.share_url(params, page="meeting"), language=None, wrap_lines=True)
