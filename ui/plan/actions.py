"""What a user does on the action plan page besides writing the plan: filter it, record a
progress reading, switch to another province. Callbacks leave their message for the next run in
`_plan_flash`. (Choosing, writing and saving plans: ui.plan_choice, ui.plan.files,
ui.plan.editor.)
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from model import api, fmt
from model import plan as planmod
from model.index.dataset import Edition
from model.index.framework import Framework
from model.index.scenario import ScenarioError
from model.workspace import Workspace, WorkspaceError
from ui import frame, names
from ui import loaders as data
from ui.i18n import _, err, lang, num
from ui.plan.panels import kind_labels, shown_targets

SOURCES = {  # where a plan came from (literal ids, for the extractor)
    "typed": "plan.pg_source_typed",
    "imported": "plan.pg_source_imported",
    "recommended": "plan.pg_source_recommended",
    "carried": "plan.pg_source_carried",
    "seed": "plan.pg_source_seed",
}


def unit_name(ed: Edition, slug: str) -> str:
    """A unit's name in the reader's language, also for a unit of another map."""
    if slug in ed.slugs:
        return ed.name(slug, lang())
    units = data.units_table()
    match = units[units["slug"] == slug]
    return str(match.iloc[0][f"name_{lang()}"]) if len(match) else slug


def show_plan_unit(target_unit: str, year: int) -> None:
    """Callback: open the plan's own province and edition."""
    frame._on_context_change()  # the scenario page's sliders restart from the new baseline
    st.session_state["edition"] = year
    st.session_state["unit"] = target_unit


def keep_options(options: dict[str, list]) -> None:
    """Selections the plan no longer offers (its targets were edited) start again."""
    for key, values in options.items():
        if key in st.session_state and st.session_state[key] not in values:
            del st.session_state[key]


def filters_changed(plan: planmod.Plan, ed: Edition) -> None:
    """Callback: preselect the first indicator the filters show in the progress form."""
    d, p = st.session_state.get("plan_dept"), st.session_state.get("plan_pillar")
    shown = shown_targets(plan, ed.framework, d, p)
    if shown:
        st.session_state["pr_code"] = shown[0].code


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
