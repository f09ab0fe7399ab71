"""The Plan page's history of a stored plan: every revision with who saved it, when (Vietnam
time) and why; what changed between two revisions (targets and lead units first); and a
revision restored as a new revision (nothing is rewritten: the restore is one more revision).

The model lives in model.plan.library (history_of, compare_revisions, restore_plan) and
model.plan.changes (the sentences).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import plan as planmod
from model.plan import library
from model.plan.changes import change_message, describe, owner_and_target_changes, saved_when
from model.workspace import WorkspaceError
from ui import plan_choice as choice
from ui.i18n import _, err, lang
from ui.plan.editor import flash
from ui.plan.files import reset_filters
from ui.widgets import md_text

OPEN = "_plan_history_open"  # the panel stays open across reruns once used


def _keep_open() -> None:
    st.session_state[OPEN] = True


def _restore(key: str, plan_id: str) -> None:
    revision = st.session_state.get("plan_hist_restore")
    if revision is None:
        return
    try:
        saved = library.restore_plan(plan_id, int(revision), lang=lang())
    except WorkspaceError as exc:
        flash("error", _("plan.pg_hist_restore_failed", msg=err(exc)))
        return
    choice.drafts().pop(key, None)  # the restored plan is the plan shown, edits forgotten
    reset_filters()
    st.session_state[OPEN] = True
    flash(
        "success",
        _("plan.pg_hist_restored", old=int(revision), new=saved.revision, name=md_text(saved.name)),
    )


def revisions_table(history: list) -> pd.DataFrame:
    """One row per revision, newest first: number, when, who, why, what changed."""
    return pd.DataFrame(
        {
            _("plan.pg_hist_col_revision"): [r.revision for r in history],
            _("plan.pg_hist_col_at"): [saved_when(r.saved_at) for r in history],
            _("plan.pg_hist_col_author"): [r.author or "–" for r in history],
            _("plan.pg_hist_col_note"): [r.note or "–" for r in history],
            _("plan.pg_hist_col_changes"): [describe(list(r.changes), lang()) for r in history],
        }
    )


def _compare(history: list) -> None:
    numbers = [r.revision for r in history]  # newest first
    c1, c2 = st.columns(2)
    old = c1.selectbox(
        _("plan.pg_hist_from"),
        numbers,
        index=min(1, len(numbers) - 1),
        key="plan_hist_from",
        on_change=_keep_open,
    )
    new = c2.selectbox(
        _("plan.pg_hist_to"), numbers, index=0, key="plan_hist_to", on_change=_keep_open
    )
    changes = library.compare_revisions(history, int(old), int(new))
    if not changes:
        st.caption(_("plan.pg_hist_same", old=old, new=new))
        return
    main = owner_and_target_changes(changes)
    rest = [c for c in changes if c not in main]
    lines = [f"- **{md_text(change_message(c).render(lang()))}**" for c in main]
    lines += [f"- {md_text(change_message(c).render(lang()))}" for c in rest]
    st.markdown(_("plan.pg_hist_changes", old=old, new=new) + "\n\n" + "\n".join(lines))


def panel(key: str, stored: planmod.Plan, writable: bool) -> None:
    """The stored plan's revisions, a comparison of two, and (writable) a restore."""
    try:
        history = library.history_of(stored.plan_id)
    except WorkspaceError as exc:
        st.caption(_("plan.pg_hist_none", msg=err(exc)))
        return
    with st.expander(
        _("plan.pg_hist_title", n=len(history)), expanded=bool(st.session_state.get(OPEN))
    ):
        st.dataframe(revisions_table(history), hide_index=True, key="plan_hist_table")
        if len(history) > 1:
            st.markdown(f"**{_('plan.pg_hist_compare')}**")
            _compare(history)
        if not writable:
            return
        older = [r.revision for r in history if r.revision != stored.revision]
        if not older:
            return
        st.markdown(f"**{_('plan.pg_hist_restore')}**")
        c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
        c1.selectbox(
            _("plan.pg_hist_restore_pick"), older, key="plan_hist_restore", on_change=_keep_open
        )
        c2.button(
            _("plan.pg_hist_restore_make"),
            key="plan_hist_restore_make",
            icon=":material/history:",
            on_click=_restore,
            args=(key, stored.plan_id),
        )
        st.caption(_("plan.pg_hist_restore_help"))
