"""Meeting mode: one clean screen for a projector — PII, rank and change for the baseline, the
plan and the scenario under discussion, the plan's top movers and the departments' shares.

The scenario comes from the link (`?scenario=NAME` for a saved scenario, `?preset=plan-2024`
or `?preset=baseline`), so each meeting has a stable URL such as
`/meeting?unit=bac-giang&edition=2023&preset=plan-2024`. The sidebar is hidden on this page.
"""

from __future__ import annotations

import streamlit as st

from model import report
from model.scenario import Scenario
from model.workspace import Workspace, WorkspaceError
from ui import data, frame
from ui import meeting_blocks as blocks
from ui.i18n import _, lang
from ui.widgets import report_downloads

f = frame.current()
ed, unit = f.edition, f.unit
st.html(blocks.CSS)
uploaded = st.session_state.get("_plan_uploaded")  # a plan loaded on the plan page
plan = uploaded if uploaded is not None and uploaded.applies_to(ed, unit) else data.plan()
plan_here = plan.applies_to(ed, unit)
base = Scenario(unit=unit, edition=ed.year, scale=f.scale)

# ---- which scenario: the link once, then the selector at the bottom -------------------------
blocks.initial_choice(plan_here)
ws = Workspace()
saved_here = blocks.saved_here(ws, ed, unit)
choice = blocks.choose(ws, plan, plan_here, ed, base)
frame.write_link(blocks.link_params(choice))

try:
    progress = ws.progress_history(plan.plan_id) if plan_here else []
except WorkspaceError:
    progress = []
rep = report.build(
    choice.scenario,
    label=choice.label,
    lang=lang(),
    plan=plan if plan_here else None,
    progress=progress,
)

# ---- the screen ------------------------------------------------------------------------------
blocks.header(f.unit_name, ed.year, choice.label)
blocks.cards(rep, choice.label)
with st.container(key="meet_tables"):
    left, right = st.columns([1, 1], gap="large")
    with left:
        blocks.movers(rep, choice.scenario, plan, plan_here)
    with right:
        blocks.departments(rep)
blocks.provenance_note(ed, unit)

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
blocks.options(choice, saved_here, plan_here, f)
