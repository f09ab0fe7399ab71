"""The drafts a merged unit gets from the built-in plans without asking (model.plan.carry's
auto_drafts): stored the first time a session opens the unit's Plan page, so that the merged
Bắc Ninh's 2025 draft carried from Bắc Giang's plan is in its list like any saved plan."""

from __future__ import annotations

import streamlit as st

from model.index.dataset import Edition, UnknownName
from model.index.scenario import ScenarioError
from model.plan import carry
from model.workspace import WorkspaceError

DONE = "_plan_auto_carried"  # (unit, year) pairs this session has checked


def store_drafts(ed: Edition, unit: str) -> None:
    """Store the unit's carried drafts once per session (the caller checks it may write). A
    store that cannot be written leaves the page as it is: the carried-drafts panel still
    offers the same draft, made on demand."""
    done = st.session_state.setdefault(DONE, set())
    if (unit, ed.year) in done:
        return
    done.add((unit, ed.year))
    try:
        carry.auto_drafts(unit, ed.year)
    except (WorkspaceError, ScenarioError, UnknownName):
        return
