"""The data page's versions tab: every dataset version, a comparison of two, and the rollback
(behind the admin gate opened on the import tab; it asks for a confirmation first, and a
rollback to the data already current says so and writes nothing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from model import fmt
from model.index.dataset import Edition
from model.official import versions
from model.workspace import WorkspaceError
from ui import access
from ui.data.tables import changes_table
from ui.i18n import _, err, lang
from ui.widgets import md_text

if TYPE_CHECKING:
    from model.workspace import DatasetVersion


def when(v: DatasetVersion) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time (the store keeps UTC)."""
    return fmt.date_time(v.created_at, lang())


def what(v: DatasetVersion, markdown: bool = True) -> str:
    """A version in words: the import of a file, or the rollback to another version."""
    if v.kind == "import":
        name = md_text(v.file_name) if markdown else v.file_name
        return _("data.what_import", edition=v.edition, file=name)
    return _("data.what_rollback", target=v.restores)


def _table(all_versions: Sequence[DatasetVersion], head: int) -> None:
    rows = []
    for v in reversed(all_versions):
        rep = versions.report_of(v)
        rows.append(
            {
                _("data.col_current"): "★" if v.id == head else "",
                _("data.col_id"): v.id,
                _("data.col_when"): when(v),
                _("data.col_kind"): _("data.kind_import")
                if v.kind == "import"
                else _("data.kind_rollback", target=v.restores),
                # One type per column (Arrow): a rollback has no edition of its own.
                _("data.col_edition"): "" if v.edition is None else str(v.edition),
                _("data.col_author"): v.author,
                _("data.col_file"): v.file_name,
                _("data.col_checksum"): v.checksum[:12],
                _("data.col_facts"): f"{rep['met']}/{rep['constraints']}" if "met" in rep else "",
                _("data.col_note"): v.note,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def versions_panel(
    ed: Edition, all_versions: Sequence[DatasetVersion], head: int, names: Mapping[str, str]
) -> None:
    if not all_versions:
        st.info(_("data.versions_none"))
    else:
        by_id = {v.id: v for v in all_versions}
        ids = [0] + [v.id for v in all_versions]

        def label(i: int) -> str:
            return _("data.embedded") if i == 0 else f"{i} · {what(by_id[i], markdown=False)}"

        _table(all_versions, head)
        _compare(ed, ids, head, label, names)
        if not access.read_only():
            _rollback(ids, head, label)
    if flash := st.session_state.pop("_dt_flash_rb", None):
        st.success(flash)


def _compare(ed: Edition, ids: list[int], head: int, label, names: Mapping[str, str]) -> None:
    st.markdown(f"**{_('data.compare')}**")
    c = st.columns(2)
    a = c[0].selectbox(_("data.version_a"), ids, index=0, key="dt_va", format_func=label)
    b = c[1].selectbox(
        _("data.version_b"), ids, index=ids.index(head), key="dt_vb", format_func=label
    )
    diff = versions.compare(int(a), int(b), ed.year)
    if len(diff) == 0:
        st.caption(_("data.diff_none", edition=ed.year))
    else:
        st.caption(_("data.diff_n", n=len(diff), edition=ed.year))
        changes_table(diff, names, ed)


def _rollback(ids: list[int], head: int, label) -> None:
    """Pick a version, then confirm (or cancel) before the new version is written."""
    st.markdown(f"**{_('data.rollback')}**")
    if not st.session_state.get("_admin_ok"):
        st.caption(_("data.gate_elsewhere"))
        return
    with st.form("dt_rollback", border=False):
        target = st.selectbox(
            _("data.rollback_to"),
            [i for i in ids if i != head],
            key="dt_rb_target",
            format_func=label,
        )
        if st.form_submit_button(_("data.do_rollback")):
            st.session_state["_dt_rb_pending"] = int(target)
    pending = st.session_state.get("_dt_rb_pending")
    if pending is None:
        return
    if versions.same_state(pending, head):
        st.session_state.pop("_dt_rb_pending", None)
        st.info(_("data.rollback_current", target=pending))
        return
    st.warning(_("data.rollback_ask", target=pending, head=head))
    c = st.columns([1, 1, 4])
    go = c[0].button(_("data.rollback_confirm"), type="primary", key="dt_rb_confirm")
    if c[1].button(_("data.rollback_cancel"), key="dt_rb_cancel"):
        st.session_state.pop("_dt_rb_pending", None)
        st.rerun()
    if go:
        _do_rollback(pending)


def _do_rollback(target: int) -> None:
    st.session_state.pop("_dt_rb_pending", None)
    try:
        who = st.session_state.get("dt_author") or ""
        rb = versions.rollback(target, author=who)
    except versions.AlreadyCurrent:
        st.info(_("data.rollback_current", target=target))
    except (versions.DataChangeError, WorkspaceError) as exc:
        st.error(_("data.rollback_failed", msg=md_text(err(exc))))
    else:
        st.session_state["_dt_flash_rb"] = _("data.rolled", id=rb.id, target=target)
        st.rerun()
