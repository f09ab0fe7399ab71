"""Named budget assumption sets on the budget page: save the current set, open a saved one.

Saving needs write access (not in read-only meeting mode); opening only replaces the page's
base assumptions in this session. Messages survive the rerun in st.session_state["bud_msg"].
"""

from __future__ import annotations

import streamlit as st

from model.budget import Assumptions
from model.index.scenario import ScenarioError
from model.workspace import NameTaken, Workspace, WorkspaceError
from ui import access, number_input
from ui.i18n import _, err
from ui.widgets import md_text


def opened(unit: str, year: int) -> Assumptions | None:
    """The set the user opened for this unit and edition, if any (edits apply on top of it)."""
    loaded = st.session_state.get("bud_base")
    if loaded is not None and (loaded.unit, loaded.edition) == (unit, year):
        return loaded
    return None


def _load_set(ws: Workspace, name: str) -> None:
    try:
        a = Assumptions.from_json(ws.get_assumptions(name))
    except (WorkspaceError, ScenarioError) as exc:
        st.session_state["bud_msg"] = ("error", err(exc))
        return
    st.session_state["bud_base"] = a
    st.session_state["bud_version"] = st.session_state.get("bud_version", 0) + 1
    number_input.set_value("bud_budget", float(a.budget_bn_per_year))
    number_input.set_value("bud_growth", float(a.budget_growth_pct))
    st.session_state["bud_h"] = int(a.horizon_year)
    st.session_state["bud_peers"] = a.peers.split(":", 1)[0]
    st.session_state["bud_msg"] = ("success", _("budget.loaded", name=md_text(name)))


def _save_set(ws: Workspace, a: Assumptions, unit: str, year: int) -> None:
    name = str(st.session_state.get("bud_set_name") or "")
    try:
        ws.save_assumptions(
            name,
            a.to_json(),
            unit=unit,
            edition=year,
            overwrite=bool(st.session_state.get("bud_set_overwrite")),
        )
        st.session_state["bud_msg"] = ("success", _("budget.saved", name=md_text(name.strip())))
    except NameTaken:
        st.session_state["bud_msg"] = ("error", _("budget.name_taken", name=md_text(name.strip())))
    except WorkspaceError as exc:
        st.session_state["bud_msg"] = ("error", err(exc))


def sets_panel(ws: Workspace, a: Assumptions, unit: str, year: int) -> None:
    """Save form (left) and the saved sets of this unit (right)."""
    st.markdown(f"#### {_('budget.sets')}")
    note = st.session_state.pop("bud_msg", None)
    if note:
        getattr(st, note[0])(note[1])
    sc = st.columns(2, gap="large")
    if access.can_write_user_data():
        with sc[0].form("bud_save"):
            st.text_input(_("budget.set_name"), max_chars=120, key="bud_set_name")
            st.checkbox(_("budget.overwrite"), key="bud_set_overwrite")
            st.form_submit_button(_("budget.save"), on_click=_save_set, args=(ws, a, unit, year))
    else:  # read-only meeting mode: sets can be opened, not saved
        with sc[0]:
            access.read_only_note()
    try:
        names = ws.list_assumptions(unit)
    except WorkspaceError:
        names = []
    if names:
        chosen = sc[1].selectbox(_("budget.open_set"), names, key="bud_set_pick")
        sc[1].button(_("budget.open"), on_click=_load_set, args=(ws, chosen), key="bud_set_open")
    else:
        sc[1].caption(_("budget.no_sets"))
