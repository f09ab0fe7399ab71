"""What a user does on the action plan page: load another province's plan from a CSV, filter
it, record a progress reading, switch to the plan's province. Callbacks leave their message for
the next run in `_plan_flash`; an uploaded plan lives in `_plan_uploaded` (the meeting screen
reads it too).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from model import api, fmt
from model import plan as planmod
from model.dataset import Edition
from model.framework import Framework
from model.scenario import ScenarioError
from model.workspace import Workspace, WorkspaceError
from ui import frame, names
from ui.i18n import _, err, lang, num
from ui.plan_panels import kind_labels, shown_targets
from ui.widgets import md_text


def current(seed: planmod.Plan) -> planmod.Plan:
    """The plan shown: an uploaded one, else the seed plan."""
    return st.session_state.get("_plan_uploaded") or seed


def show_plan_unit(target_unit: str, year: int) -> None:
    """Callback: open the plan's own province and edition."""
    frame._on_context_change()  # the scenario page's sliders restart from the new baseline
    st.session_state["edition"] = year
    st.session_state["unit"] = target_unit


def reset_filters(new: planmod.Plan) -> None:
    """Another plan: the filters and the form start again on its own options."""
    st.session_state["plan_dept"] = ""
    st.session_state["plan_pillar"] = ""
    st.session_state["pr_code"] = new.codes[0]


def use_seed(seed: planmod.Plan) -> None:
    """Callback: back to the seed plan."""
    st.session_state.pop("_plan_uploaded", None)
    st.session_state.pop("_plan_upload_errors", None)
    reset_filters(seed)


def filters_changed(plan: planmod.Plan, ed: Edition) -> None:
    """Callback: preselect the first indicator the filters show in the progress form."""
    d, p = st.session_state.get("plan_dept"), st.session_state.get("plan_pillar")
    shown = shown_targets(plan, ed.framework, d, p)
    if shown:
        st.session_state["pr_code"] = shown[0].code


def _upload(ed: Edition, unit: str) -> None:
    file = st.session_state.get("plan_upload")
    if file is None:
        return
    try:
        new = planmod.parse_plan_csv(file.getvalue(), ed, unit)
    except planmod.PlanFileError as exc:
        st.session_state["_plan_upload_errors"] = [
            _(
                planmod.PROBLEM_IDS[p.kind],
                row=p.row,
                column=p.column or "",
                value=p.value,
                year=ed.year,
            )
            for p in exc.problems
        ]
        return
    st.session_state.pop("_plan_upload_errors", None)
    st.session_state["_plan_uploaded"] = new
    reset_filters(new)
    st.session_state["_plan_flash"] = (
        "success",
        _(
            "plan.upload_ok",
            plan=md_text(new.plan_id),
            n=len(new.targets),
            unit=ed.name(unit, lang()),
        ),
    )


def upload_box(seed: planmod.Plan, ed: Edition, unit: str, unit_name: str) -> None:
    """Another province's plan from a CSV (with the seed plan as a template)."""
    with st.expander(_("plan.upload"), expanded=bool(st.session_state.get("_plan_upload_errors"))):
        st.markdown(
            _(
                "plan.upload_help",
                cols=", ".join(planmod.CSV_COLUMNS),
                unit=unit_name,
                year=ed.year,
            )
        )
        st.file_uploader(
            _("plan.upload_label"),
            type=["csv"],
            key="plan_upload",
            on_change=_upload,
            args=(ed, unit),
        )
        errors = st.session_state.get("_plan_upload_errors")
        if errors:
            st.error(
                _("plan.upload_failed") + "\n\n" + "\n".join(f"- {md_text(e)}" for e in errors)
            )
        st.download_button(
            _("plan.template"),
            planmod.plan_to_csv(seed),
            file_name="plan_bac_giang_2024.csv",
            mime="text/csv",
            on_click="ignore",
            key="plan_template",
        )


def _record(current: planmod.Plan) -> None:
    code = st.session_state.get("pr_code")
    kind = st.session_state.get("pr_kind") or "score"
    value = st.session_state.get("pr_value")
    when = st.session_state.get("pr_date") or dt.date.today()
    if value is None or code is None:
        st.session_state["_plan_flash"] = ("warning", _("plan.r_missing"))
        return
    if code not in current.codes:  # the plan changed under the form
        st.session_state["_plan_flash"] = ("error", _("plan.r_bad", msg=code))
        return
    try:
        base_ed = api.edition(current.edition)
        score = planmod.progress_score(base_ed, code, kind, float(value))
        Workspace().record_progress(
            current.plan_id,
            current.unit,
            code,
            kind=kind,
            value=float(value),
            score=score,
            as_of=when,
            note=str(st.session_state.get("pr_note") or ""),
            author=str(st.session_state.get("pr_who") or ""),
        )
    except ScenarioError as exc:
        st.session_state["_plan_flash"] = ("error", _("plan.r_bad", msg=err(exc)))
        return
    except WorkspaceError as exc:
        st.session_state["_plan_flash"] = ("error", _("plan.r_store", msg=err(exc)))
        return
    st.session_state["pr_value"] = None
    st.session_state["pr_note"] = ""
    st.session_state["_plan_flash"] = (
        "success",
        _("plan.r_ok", code=code, score=num(score), date=fmt.date(when, lang())),
    )


def progress_form(plan: planmod.Plan, fw: Framework) -> None:
    """A reading for one indicator: a score or a raw value, its date, who and a note."""
    codes = plan.codes  # fixed options; a filter change preselects its first indicator
    with st.form("progress_form"):
        r1, r2, r3 = st.columns([3, 2, 2])
        r1.selectbox(
            _("plan.r_indicator"),
            codes,
            key="pr_code",
            format_func={c: f"{c} · {names.indicator(fw, c)}" for c in codes}.get,
        )
        r2.radio(
            _("plan.r_kind"),
            list(planmod.PROGRESS_KINDS),
            key="pr_kind",
            format_func=kind_labels().get,
            horizontal=True,
        )
        r3.number_input(
            _("plan.r_value"),
            value=None,
            key="pr_value",
            format="%.2f",
            help=_("plan.r_value_help", year=plan.edition),
        )
        r4, r5 = st.columns([2, 3])
        r4.date_input(
            _("plan.r_date"),
            value=dt.date.today(),
            max_value=dt.date.today(),
            min_value=dt.date(2020, 1, 1),
            key="pr_date",
            format="DD/MM/YYYY",
        )
        r5.text_input(_("plan.r_who"), key="pr_who", max_chars=120)
        st.text_area(_("plan.r_note"), key="pr_note", max_chars=2000, height=80)
        st.form_submit_button(_("plan.r_submit"), type="primary", on_click=_record, args=(plan,))
