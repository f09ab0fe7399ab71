"""What a user does on the action plan page besides writing the plan: filter it, record a
progress reading, switch to another province. Callbacks leave their message for the next run in
`_plan_flash`. (Choosing, writing and saving plans: ui.plan_choice, ui.plan.files,
ui.plan.editor.)
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from model import api, fmt
from model import plan as planmod
from model.index.dataset import Edition
from model.index.framework import Framework
from model.index.scenario import ScenarioError
from model.workspace import Workspace, WorkspaceError
from ui import frame, names, number_input
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


def _refused(exc: ScenarioError | WorkspaceError) -> None:
    """A reading refused: a value out of range, or a store that did not take it."""
    key = "plan.r_bad" if isinstance(exc, ScenarioError) else "plan.r_store"
    st.session_state["_plan_flash"] = ("error", _(key, msg=err(exc)))


def _record(current: planmod.Plan) -> None:
    code = st.session_state.get("pr_code")
    kind = st.session_state.get("pr_kind") or "score"
    value, problem = number_input.read("pr_value")  # the reader's decimal mark: 0,45 is 0.45
    when = st.session_state.get("pr_date") or fmt.today()
    if problem:
        st.session_state["_plan_flash"] = ("error", _("plan.r_bad", msg=problem))
        return
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
    except (ScenarioError, WorkspaceError) as exc:
        _refused(exc)
        return
    number_input.set_value("pr_value", None)
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
        number_input.number_entry(
            _("plan.r_value"),
            "pr_value",
            help=_("plan.r_value_help", year=plan.edition),
            place=r3,
            show_error=False,  # said once, by _record, after the form is sent
        )
        r4, r5 = st.columns([2, 3])
        r4.date_input(
            _("plan.r_date"),
            value=fmt.today(),
            max_value=fmt.today(),
            min_value=dt.date(2020, 1, 1),
            key="pr_date",
            format="DD/MM/YYYY",
        )
        r5.text_input(_("plan.r_who"), key="pr_who", max_chars=120)
        st.text_area(_("plan.r_note"), key="pr_note", max_chars=2000, height=80)
        st.form_submit_button(_("plan.r_submit"), type="primary", on_click=_record, args=(plan,))
    progress_fix(plan)


# ---- correct or withdraw a reading (kept in the history) ---------------------------------------
def _fix_reading(plan: planmod.Plan, withdraw: bool) -> None:
    """Callback: a correction (the reading's kind, a new value, checked as a new reading is)
    or a withdrawal of the reading picked; both are new rows, the first reading stays."""
    ws = Workspace()
    entry = next(
        (e for e in ws.progress_history(plan.plan_id) if e.id == st.session_state.get("pr_fix")),
        None,
    )
    note, who = (
        str(st.session_state.get("pr_fix_note") or ""),
        str(st.session_state.get("pr_who") or ""),
    )
    if entry is None:
        st.session_state["_plan_flash"] = ("warning", _("plan.r_fix_none"))
        return
    try:
        if withdraw:
            ws.withdraw_progress(entry.id, note=note, author=who)
            done = _("plan.r_withdraw_ok", code=entry.code, date=fmt.date(entry.as_of, lang()))
        else:
            value, problem = number_input.read("pr_fix_value")
            if problem or value is None:
                st.session_state["_plan_flash"] = ("error", problem or _("plan.r_missing"))
                return
            score = planmod.progress_score(api.edition(plan.edition), entry.code, entry.kind, value)
            ws.correct_progress(
                entry.id, kind=entry.kind, value=value, score=score, as_of=entry.as_of,
                note=note, author=who,
            )  # fmt: skip
            done = _("plan.r_fix_ok", code=entry.code, score=num(score))
    except (ScenarioError, WorkspaceError) as exc:
        _refused(exc)
        return
    number_input.set_value("pr_fix_value", None)
    st.session_state["pr_fix_note"] = ""
    st.session_state["_plan_flash"] = ("success", done)


def _reading_label(e) -> str:
    return _(
        "plan.r_fix_option",
        id=e.id,
        code=e.code,
        date=fmt.date(e.as_of, lang()),
        value=fmt.entry_text(e.value, lang(), 4),
        score=num(e.score),
    )


def _status(e) -> str:
    if e.withdrawn:
        return _("plan.r_st_withdrawal", id=e.replaces)
    if e.superseded:
        return _("plan.r_st_replaced")
    if e.replaces is not None:
        return _("plan.r_st_correction", id=e.replaces)
    return _("plan.r_st_current")


def progress_fix(plan: planmod.Plan) -> None:
    """Correct or withdraw a reading, and the whole log: every reading as first recorded,
    each correction and withdrawal beside it."""
    try:
        log = Workspace().progress_log(plan.plan_id)
    except WorkspaceError as exc:
        st.error(_("plan.r_store", msg=err(exc)))
        return
    live = [e for e in log if not e.superseded and not e.withdrawn and e.code in plan.codes]
    if not log:
        return
    with st.expander(_("plan.r_fix_title")):
        if live:
            with st.form("progress_fix_form"):
                st.selectbox(
                    _("plan.r_fix_pick"),
                    [e.id for e in live],
                    key="pr_fix",
                    format_func={e.id: _reading_label(e) for e in live}.get,
                )
                c1, c2 = st.columns(2)
                number_input.number_entry(
                    _("plan.r_fix_value"), "pr_fix_value", place=c1, show_error=False
                )
                c2.text_input(_("plan.r_note"), key="pr_fix_note", max_chars=2000)
                b1, b2 = st.columns(2)
                b1.form_submit_button(
                    _("plan.r_fix_save"), on_click=_fix_reading, args=(plan, False)
                )
                b2.form_submit_button(
                    _("plan.r_fix_withdraw"), on_click=_fix_reading, args=(plan, True)
                )
        kind_label = kind_labels()
        st.markdown(f"**{_('plan.r_log_title')}**")
        st.dataframe(
            pd.DataFrame(
                {
                    _("plan.r_log_id"): [e.id for e in log],
                    _("plan.r_fix_code"): [e.code for e in log],
                    _("plan.h_date"): [fmt.date(e.as_of, lang()) for e in log],
                    _("plan.h_kind"): [kind_label[e.kind] for e in log],
                    _("plan.h_value"): [fmt.entry_text(e.value, lang(), 4) for e in log],
                    _("plan.h_score"): [num(e.score) for e in log],
                    _("plan.r_log_status"): [_status(e) for e in log],
                    _("plan.h_note"): [e.note for e in log],
                    _("plan.h_who"): [e.author for e in log],
                }
            ),
            hide_index=True,
            key="plan_progress_log",
        )
