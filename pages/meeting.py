"""Meeting mode: one clean screen for a projector — PII, rank and change for the baseline, the
plan and the scenario under discussion, the plan's top movers and the departments' shares.

The screen shows the scenario the user is working on (ui.meeting.choice), under its true name.
A link can name it too, so each meeting has a stable URL: `?scenario=NAME` for a saved
scenario, `?plan=ID` for any plan of the unit (`?preset=plan-2024` for the built-in one),
`?preset=baseline`, or the targets themselves (`?t=…`, as the scenario page writes them), e.g.
`/meeting?unit=bac-giang&edition=2023&preset=plan-2024` or
`/meeting?unit=khanh-hoa&edition=2024&plan=khanh-hoa-ke-hoach-pii-2025`.
The sidebar is hidden on this page.
"""

from __future__ import annotations

import streamlit as st

from model import report
from model.workspace import Workspace, WorkspaceError
from ui import frame, plan_choice
from ui.i18n import _, lang
from ui.meeting import blocks
from ui.meeting import choice as choosing
from ui.widgets import report_downloads

f = frame.current()
ed, unit = f.edition, f.unit
st.html(blocks.CSS)
plans = plan_choice.plans_here(ed, unit)  # the unit's plans, built in and saved

# ---- which scenario: the one being worked on, unless the selector at the bottom says -------
ws = Workspace()
saved_here = blocks.saved_here(ws, ed, unit)
plan_choice.apply_opening_link(ed, unit, plans, f.scale)
plan = plan_choice.chosen(ed, unit, plans)  # picked on any page, or named by the link
plan_here = plan is not None
now = choosing.working(ed, unit, f.scale)
base = choosing.base_like(ed, unit, f.scale, now)
refs = choosing.references(plan, ed, base, saved_here)
work = None if now is None else choosing.named(now, refs, ed)
choosing.pick(work, plan_here)
choice = choosing.choose(ws, refs, work, ed)
choosing.write_address(choice)

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
blocks.cards(rep, choice.label, choosing.plan_label(plan) if plan_here else None)
with st.container(key="meet_tables"):
    left, right = st.columns([3, 2], gap="large")  # the indicators' names need the room
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
d3.page_link(frame.came_from(), label=_("meeting.exit"), icon=":material/close_fullscreen:")
blocks.options(choice, work, refs, f, plans)
choosing.remember(work)
