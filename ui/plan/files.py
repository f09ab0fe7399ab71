"""The Plan page's choice of plan and what can be done with it: pick among the unit's plans
(built in, stored, and this session's unsaved drafts), new, copy, delete (confirmed), and the
plan as a file: import (CSV or XLSX in any layout, or the official appendix as .docx) and
export (the same layouts and the appendix, download buttons).

Callbacks change session state only (model.plan.library makes the plans; nothing is stored
before the editor's Save, except a delete) and leave their message in `_plan_flash`.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from model import plan as planmod
from model.index.dataset import Edition, UnknownName
from model.index.scenario import ScenarioError
from model.plan import appendix, library
from model.workspace import WorkspaceError
from ui import loaders
from ui import plan_choice as choice
from ui.i18n import _, _n, err, lang
from ui.plan.editor import flash, problem_texts
from ui.widgets import md_text

ACTION = "_plan_action"  # the open panel: new | copy | recommend | delete
IMPORT_ERRORS = "_plan_import_errors"
LAYOUT_NAMES = {
    "full": "plan.pg_layout_full",
    "plan": "plan.pg_layout_plan",
    "seed": "plan.pg_layout_seed",
}
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": appendix.DOCX_MIME,
}


def reset_filters() -> None:
    """Another plan: the filters and the progress form start again on its own options."""
    for key in ("plan_dept", "plan_pillar", "pr_code"):
        st.session_state.pop(key, None)


def _open(unit: str, key: str, plan: planmod.Plan, message: str) -> None:
    """A new draft becomes the plan shown (and chosen on every page)."""
    choice.drafts()[key] = plan
    choice.choose(unit, key)
    st.session_state[ACTION] = None
    reset_filters()
    flash("success", message)


def _picked(unit: str, widget: str) -> None:
    choice.remember(unit, st.session_state.get(widget))
    st.session_state[ACTION] = None
    reset_filters()


def _toggle(action: str) -> None:
    st.session_state[ACTION] = None if st.session_state.get(ACTION) == action else action


def toolbar(
    unit: str,
    keys: list[str],
    plans: dict[str, planmod.Plan],
    key: str | None,
    writable: bool,
) -> None:
    """The plan picker and the buttons that open the new, copy, recommend and delete panels."""
    drafts = choice.drafts()
    if keys:
        widget = choice.picker_key("plan_pick")
        st.selectbox(
            _("plan.pg_pick"),
            keys,
            index=keys.index(key) if key in keys else 0,
            key=widget,
            format_func={k: choice.long_label(plans[k], unsaved=k in drafts) for k in keys}.get,
            on_change=_picked,
            args=(unit, widget),
        )
    if not writable:
        return
    built_in = key is not None and plans[key].read_only  # never deleted (copied instead)
    off = {"copy": key is None, "delete": key is None or built_in}
    with st.container(horizontal=True, key="plan_tools"):
        for action, icon in (
            ("new", ":material/add:"),
            ("copy", ":material/content_copy:"),
            ("recommend", ":material/auto_awesome:"),
            ("delete", ":material/delete:"),
        ):
            st.button(
                _(BUTTONS[action]),
                key=f"plan_btn_{action}",
                icon=icon,
                on_click=_toggle,
                args=(action,),
                disabled=off.get(action, False),
                type="primary" if st.session_state.get(ACTION) == action else "secondary",
            )


BUTTONS = {
    "new": "plan.pg_btn_new",
    "copy": "plan.pg_btn_copy",
    "recommend": "plan.pg_btn_recommend",
    "delete": "plan.pg_btn_delete",
}


# ---- new, copy -------------------------------------------------------------------------------
def _new(ed: Edition, unit: str) -> None:
    name = " ".join(str(st.session_state.get("plan_new_name") or "").split())
    try:
        plan = planmod.new_plan(ed, unit, name, target_year=st.session_state.get("plan_new_year"))
    except (ScenarioError, UnknownName) as exc:
        flash("error", err(exc))
        return
    _open(unit, choice.new_key(), plan, _("plan.pg_new_ok", name=md_text(plan.name)))


def _copy(unit: str, plan: planmod.Plan) -> None:
    name = " ".join(str(st.session_state.get("plan_copy_name") or "").split())
    if not name:
        flash("error", _("plan.pg_name_needed"))
        return
    copy = library.copy_plan(plan, name)  # source "carried", source_ref the original's id
    _open(unit, choice.new_key(), copy, _("plan.pg_copy_ok", name=md_text(name)))


def new_panel(ed: Edition, unit: str, unit_name: str) -> None:
    with st.container(border=True, key="plan_new_box"):
        st.markdown(_("plan.pg_new_title", unit=unit_name, year=ed.year))
        c1, c2 = st.columns([3, 1])
        c1.text_input(_("plan.pg_name"), key="plan_new_name", max_chars=planmod.core.NAME_MAX)
        years = list(range(ed.year + 1, max(planmod.LAST_YEAR, ed.year + 1) + 1))
        c2.selectbox(_("plan.pg_target_year"), years, key="plan_new_year")
        st.button(
            _("plan.pg_new_make"),
            key="plan_new_make",
            type="primary",
            on_click=_new,
            args=(ed, unit),
        )


def copy_panel(unit: str, plan: planmod.Plan) -> None:
    with st.container(border=True, key="plan_copy_box"):
        st.markdown(_("plan.pg_copy_title", name=md_text(choice.label(plan, 80))))
        if "plan_copy_name" not in st.session_state:
            st.session_state["plan_copy_name"] = _("plan.pg_copy_name", name=choice.label(plan))
        st.text_input(_("plan.pg_name"), key="plan_copy_name", max_chars=planmod.core.NAME_MAX)
        st.button(
            _("plan.pg_copy_make"),
            key="plan_copy_make",
            type="primary",
            on_click=_copy,
            args=(unit, plan),
        )


# ---- delete, discard -------------------------------------------------------------------------
def _delete(unit: str, key: str, stored: planmod.Plan | None) -> None:
    if stored is not None:
        try:
            library.delete_plan(stored.plan_id)
        except WorkspaceError as exc:
            flash("error", _("plan.pg_delete_failed", msg=err(exc)))
            return
    name = (choice.drafts().pop(key, None) or stored).name
    choice.choose(unit, None)
    st.session_state[ACTION] = None
    reset_filters()
    flash("success", _("plan.pg_deleted", name=md_text(name)))


def delete_panel(unit: str, key: str, plan: planmod.Plan, stored: planmod.Plan | None) -> None:
    """Deleting needs a second click; a built-in plan cannot be deleted."""
    with st.container(border=True, key="plan_delete_box"):
        if plan.read_only:
            st.info(_("plan.pg_delete_builtin"))
            return
        what = "plan.pg_delete_confirm" if stored is not None else "plan.pg_discard_confirm"
        st.warning(_(what, name=md_text(choice.label(plan, 80))))
        c1, c2 = st.columns([1, 4])
        c1.button(
            _("plan.pg_delete_yes"),
            key="plan_delete_yes",
            type="primary",
            on_click=_delete,
            args=(unit, key, stored),
        )
        c2.button(_("plan.pg_cancel"), key="plan_delete_no", on_click=_toggle, args=("delete",))


def _discard(key: str) -> None:
    choice.drafts().pop(key, None)
    reset_filters()
    flash("info", _("plan.pg_discarded"))


def discard_button(key: str) -> None:
    """Back to the stored plan, forgetting this session's edits."""
    st.button(_("plan.pg_discard"), key="plan_discard", on_click=_discard, args=(key,))


# ---- the plan as a file ----------------------------------------------------------------------
def _import(ed: Edition, unit: str) -> None:
    file = st.session_state.get("plan_upload")
    if file is None:
        return
    name = " ".join(str(st.session_state.get("plan_import_name") or "").split())
    try:  # no name typed: the one the file says (full layout, appendix), else the file's
        plan = library.import_plan(file.getvalue(), ed, unit, name, file_name=file.name)
    except (ScenarioError, UnknownName) as exc:
        st.session_state[IMPORT_ERRORS] = problem_texts(exc, ed.year)
        return
    st.session_state.pop(IMPORT_ERRORS, None)
    if not plan.name:
        plan = dataclasses.replace(plan, name=_("plan.pg_unnamed"))
    name = plan.name
    _open(
        unit,
        choice.new_key(),
        plan,
        _n("plan.pg_import_ok", len(plan.targets), name=md_text(name), file=md_text(file.name)),
    )


def files_box(ed: Edition, unit: str, unit_name: str, plan: planmod.Plan | None) -> None:
    """Import a plan from a file (a draft: nothing is stored until Save), and export the plan
    shown in either layout."""
    errors = st.session_state.get(IMPORT_ERRORS)
    with st.expander(_("plan.pg_files"), expanded=bool(errors)):
        st.markdown(
            _(
                "plan.pg_import_help",
                cols=", ".join(c for c in planmod.PLAN_COLUMNS if c not in ("code", "target")),
                seed=", ".join(planmod.SEED_COLUMNS),
                unit=unit_name,
                year=ed.year,
            )
        )
        c1, c2 = st.columns([2, 3])
        c1.text_input(
            _("plan.pg_import_name"), key="plan_import_name", max_chars=planmod.core.NAME_MAX
        )
        c2.file_uploader(
            _("plan.pg_import_label"),
            type=["csv", "xlsx", "docx"],
            key="plan_upload",
            on_change=_import,
            args=(ed, unit),
        )
        st.caption(_("plan.pg_import_docx_help"))
        if errors:
            st.error(
                _("plan.pg_import_failed") + "\n\n" + "\n".join(f"- {md_text(e)}" for e in errors)
            )
        if plan is not None:
            export_buttons(plan)


def appendix_bytes(plan: planmod.Plan, progress=None) -> bytes:
    """The plan's official appendix (.docx) in the reader's language, the indicators named and
    each target's raw value under its baseline edition (`progress`: appendix.ProgressRow rows
    of the progress-by-department table, none: no such table)."""
    ed_plan = loaders.edition(plan.edition)
    info = appendix.indicator_info(plan, ed_plan, lang())
    return appendix.appendix_docx(plan, info, lang=lang(), progress=progress)


def file_stem(plan: planmod.Plan) -> str:
    return planmod.slugify(plan.name or plan.plan_id) or "plan"


def export_buttons(plan: planmod.Plan) -> None:
    """The plan (as shown, edits included) as CSV or Excel, in the chosen layout (the full
    layout, in the reader's language, by default), and as the official appendix (.docx)."""
    st.markdown(f"**{_('plan.pg_export')}**")
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    layout = c1.radio(
        _("plan.pg_layout"),
        list(planmod.LAYOUTS),
        key="plan_layout",
        format_func={x: _(t) for x, t in LAYOUT_NAMES.items()}.get,
        horizontal=True,
    )
    stem = file_stem(plan)
    ed_plan = loaders.edition(plan.edition)
    files = (
        (c2, "plan.pg_export_csv", "csv", ".csv", ":material/download:",
         lambda: planmod.plan_to_csv(plan, layout, ed=ed_plan, lang=lang()).encode("utf-8-sig")),
        (c3, "plan.pg_export_xlsx", "xlsx", ".xlsx", ":material/download:",
         lambda: planmod.plan_to_xlsx(plan, layout, ed=ed_plan, lang=lang())),
        (c4, "plan.pg_export_docx", "docx", "-phu-luc.docx", ":material/description:",
         lambda: appendix_bytes(plan)),
    )  # fmt: skip
    for col, label, kind, suffix, icon, data in files:  # each file built only when clicked
        col.download_button(
            _(label),
            data,
            file_name=f"{stem}{suffix}",
            mime=MIME[kind],
            on_click="ignore",
            key=f"plan_export_{kind}",
            icon=icon,
            width="stretch",
        )
