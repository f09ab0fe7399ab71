"""The Plan page's table editor: a plan's targets and owners in `st.data_editor`, each row with
its baseline, the raw value the target means (in the indicator's unit) and the PII points the
target is worth; departments picked from a list the user can extend; saving with who and why.

How an edit travels. The editor shows a table built from the plan (`base_table`); the widget
keeps the user's edits as a delta against it. Each run reads the edited table back into a plan
through model.plan.files.plan_from_table, so the plan's PII and rank follow the table; a cell
that cannot be read is named by row and column, in the reader's language, and the last good
plan stays in use (nothing of the bad table is kept). When an edit is committed (the editor's
on_change, and first thing on Save) the good table becomes the session's draft and the editor
starts again from it (a new widget key), so the computed columns are fresh.

Session state: `_plan_ed_v` {key: version of the editor}, `_plan_ed_base` {key: (widget key,
table shown)}, `_plan_depts_added` (departments the user added), `_plan_flash`, `_plan_author`
(the name last typed in "Người lưu": this session's later saves start from it).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from model import plan as planmod
from model.index.dataset import Edition, UnknownName
from model.index.scenario import ScenarioError
from model.plan import library
from model.plan.departments import department_options as department_list_options
from model.workspace import Workspace, WorkspaceError
from ui import names, provenance
from ui import plan_choice as choice
from ui.i18n import _, _n, err, lang, num
from ui.plan import panels as plan_panels
from ui.widgets import md_text, vi_sort_key

# The editor's columns and the plan file's names of the editable ones.
COLUMNS = ("code", "baseline", "target", "raw", "points", "lead", "coord", "text", "time", "tasks")
TO_FILE = {
    "code": "code",
    "target": "target",
    "text": "target_text",
    "lead": "lead_unit",
    "coord": "coordinating_units",
    "time": "timeframe",
    "tasks": "tasks",
}
HEADERS = {  # literal ids, for the extractor
    "code": "plan.pg_col_code",
    "baseline": "plan.pg_col_baseline",
    "target": "plan.pg_col_target",
    "raw": "plan.pg_col_raw",
    "points": "plan.pg_col_points",
    "lead": "plan.pg_col_lead",
    "coord": "plan.pg_col_coord",
    "text": "plan.pg_col_text",
    "time": "plan.pg_col_time",
    "tasks": "plan.pg_col_tasks",
}
DEPT_MAX = 200  # characters of a department's name
VERSION, BASE, ADDED = "_plan_ed_v", "_plan_ed_base", "_plan_depts_added"
AUTHOR = "_plan_author"
BELOW_STYLE = "background-color: #fde2e1; color: #8a1c14; font-weight: 600"  # a target < baseline


def flash(kind: str, text: str) -> None:
    st.session_state["_plan_flash"] = (kind, text)


def score_text(value: float | None) -> str:
    """A score as the editor's text cell shows it: up to 10 significant digits (nothing lost
    when it is read back), the language's decimal mark (12,5 in Vietnamese)."""
    if value is None:
        return ""
    text = format(float(value), ".10g")
    return text.replace(".", ",") if lang() == "vi" else text


def below_baseline(plan: planmod.Plan) -> list[int]:
    """Rows (from 1) whose target is below the baseline: "at least" keeps the baseline's score,
    so such a target is worth nothing and most likely a typing slip."""
    return [k for k, t in enumerate(plan.targets, 1) if t.target < t.baseline - 1e-9]


def _below_styler(table: pd.DataFrame, rows: list[int]):
    """The table with its computed cells coloured on rows below the baseline (Streamlit styles
    only the non-editable columns of an editor)."""
    marked = {r - 1 for r in rows}
    computed = ("baseline", "raw", "points")

    def style(row: pd.Series) -> list[str]:
        hit = row.name in marked
        return [BELOW_STYLE if hit and c in computed else "" for c in row.index]

    return table.style.apply(style, axis=1)


def below_note(plan: planmod.Plan, rows: list[int]) -> str:
    """What a target below the baseline means, row by row."""
    lines = [
        _(
            "plan.fx_below_row",
            row=k,
            code=plan.targets[k - 1].code,
            target=num(plan.targets[k - 1].target),
            base=num(plan.targets[k - 1].baseline),
        )
        for k in rows
    ]
    return _("plan.fx_below_note") + "\n\n" + "\n".join(f"- {line}" for line in lines)


def base_table(plan: planmod.Plan, ed_plan: Edition, points: dict[str, float]) -> pd.DataFrame:
    """The editor's rows: the plan's targets with their computed columns (as text)."""

    def stat(code: str) -> bool:
        return code in ed_plan.framework.index and provenance.is_statistics(
            ed_plan, plan.unit, code
        )

    rows = [
        {
            "code": t.code,
            # ∑: the baseline is computed from official statistics (the legend is below)
            "baseline": num(t.baseline) + (" ∑" if stat(t.code) else ""),
            "target": score_text(t.target),
            "raw": plan_panels.raw_target(plan, ed_plan, t.code),
            "points": num(points.get(t.code, 0.0), 3, sign=True),
            "lead": t.lead_unit or None,
            "coord": t.coordinating_units,
            "text": t.target_text,
            "time": t.timeframe,
            "tasks": t.tasks,
        }
        for t in plan.targets
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(object)


def department_options(plans: list[planmod.Plan], plan: planmod.Plan) -> list[str]:
    """Departments to pick from (model.plan.departments): those of the plan's edition and
    province (a 2025 plan: the departments after the 2025 reorganisation, no district body,
    no other province's bank branch), the unit's own entries (kept in the store, added in
    this session, named by its plans of this edition), and the plan's own leads."""
    own = kept_departments(plan.unit)
    own += st.session_state.get(ADDED, {}).get(plan.unit, [])
    own += [t.lead_unit for p in plans if p.edition == plan.edition for t in p.targets]
    names_ = department_list_options(plan.unit, plan.edition, own, plan.departments)
    return sorted(names_, key=vi_sort_key)


def kept_departments(unit: str) -> list[str]:
    """The departments users added for `unit` (the store's list; none when it is unreadable)."""
    try:
        return Workspace().unit_departments(unit)
    except WorkspaceError:
        return []


def _add_department(unit: str) -> None:
    text = " ".join(str(st.session_state.get("plan_dept_new") or "").split())
    if not text:
        flash("warning", _("plan.pg_dept_empty"))
        return
    if len(text) > DEPT_MAX or any(ord(ch) < 32 for ch in text):
        flash("error", _("plan.pg_dept_bad", limit=DEPT_MAX))
        return
    added = st.session_state.setdefault(ADDED, {}).setdefault(unit, [])
    if text not in added:
        added.append(text)
    st.session_state["plan_dept_new"] = ""
    try:  # kept for the unit: every plan of it, every session, every server
        Workspace().add_unit_department(unit, text)
    except WorkspaceError as exc:
        flash("warning", _("plan.pg_dept_not_kept", dept=md_text(text), msg=err(exc)))
        return
    flash("success", _("plan.pg_dept_added", dept=md_text(text)))


def department_adder(unit: str) -> None:
    """A text field that adds a department to the unit's list of lead units."""
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    c1.text_input(_("plan.pg_dept_new"), key="plan_dept_new", max_chars=DEPT_MAX)
    c2.button(_("plan.pg_dept_add"), key="plan_dept_add", on_click=_add_department, args=(unit,))


# ---- the edited table back to a plan ---------------------------------------------------------
def apply_delta(base: pd.DataFrame, state: dict | None) -> pd.DataFrame:
    """The table the editor shows: `base` with the widget's edits (as Streamlit applies them:
    cell edits, then added rows, then deleted rows by position)."""
    df = base.copy().reset_index(drop=True)
    state = state or {}
    for row, changes in (state.get("edited_rows") or {}).items():
        for col, value in changes.items():
            if col in df.columns and int(row) < len(df):
                df.at[int(row), col] = value
    added = [r for r in state.get("added_rows") or [] if isinstance(r, dict)]
    if added:
        extra = pd.DataFrame(added, columns=df.columns).astype(object)
        df = pd.concat([df, extra], ignore_index=True)
    gone = {int(i) for i in state.get("deleted_rows") or []}
    return df.drop(index=[i for i in gone if i < len(df)]).reset_index(drop=True)


def problem_texts(exc: Exception, year: int, *, table: bool = False) -> list[str]:
    """Every problem of a file (its own column names) or of the editor's table (`table`: the
    columns as its headers name them), by row and column, in the reader's language."""
    if not isinstance(exc, planmod.PlanFileError):
        return [err(exc)]
    back = {v: k for k, v in TO_FILE.items()} if table else {}
    out = []
    for p in exc.problems:
        col = back.get(p.column or "")
        column = _(HEADERS[col]) if col else (p.column or "")
        out.append(
            _(
                planmod.PROBLEM_IDS.get(p.kind, "plan.err_empty"),
                row=p.row,
                column=column,
                value=p.value,
                year=year,
            )
        )
    return out


def read_table(
    plan: planmod.Plan, ed_plan: Edition, table: pd.DataFrame
) -> tuple[planmod.Plan | None, list[str]]:
    """The plan the edited table describes, or None and every problem in it."""
    frame_ = table.rename(columns=TO_FILE)[list(TO_FILE.values())]
    try:
        return planmod.plan_from_table(plan, ed_plan, frame_), []
    except (ScenarioError, UnknownName) as exc:
        return None, problem_texts(exc, ed_plan.year, table=True)


def widget_key(key: str) -> str:
    return f"plan_edit_{key}_{st.session_state.setdefault(VERSION, {}).get(key, 0)}"


def commit(key: str, ed_plan: Edition) -> tuple[planmod.Plan | None, list[str]]:
    """The editor's pending edits into the session's draft (the editor starts again from it);
    (None, problems) and nothing changed when the table cannot be read."""
    shown = st.session_state.get(BASE, {}).get(key)
    if shown is None:
        return choice.drafts().get(key), []
    wkey, base, plan = shown  # the table as shown, and the plan it was made from
    new, problems = read_table(plan, ed_plan, apply_delta(base, st.session_state.get(wkey)))
    if new is None:
        return None, problems
    if new != plan:  # the editor starts again from the new draft (fresh computed columns);
        choice.drafts()[key] = new  # an edit that changes nothing (a blank row) stays as typed
        versions = st.session_state.setdefault(VERSION, {})
        versions[key] = versions.get(key, 0) + 1
    return new, []


def editor(
    key: str,
    plan: planmod.Plan,
    ed_plan: Edition,
    points: dict[str, float],
    departments: list[str],
    *,
    disabled: bool = False,
) -> tuple[planmod.Plan, list[str]]:
    """The table editor; returns the plan it now describes (the last good one when a cell
    cannot be read) and the problems, already shown."""
    fw = ed_plan.framework
    col = st.column_config
    base = base_table(plan, ed_plan, points)
    wkey = widget_key(key)
    st.session_state.setdefault(BASE, {})[key] = (wkey, base, plan)
    config = {
        "code": col.SelectboxColumn(
            _(HEADERS["code"]),
            options=list(fw.codes),
            required=True,
            width=250,
            pinned=True,
            format_func=lambda c: f"{c} · {names.indicator(fw, c, 40)}" if c in fw.index else c,
        ),
        "baseline": col.TextColumn(_(HEADERS["baseline"]), disabled=True, width=80),
        "target": col.TextColumn(
            _(HEADERS["target"]), width=90, help=_("plan.pg_target_help"), required=True
        ),
        "raw": col.TextColumn(
            _(HEADERS["raw"]), disabled=True, width=130, help=_("plan.pg_raw_help")
        ),
        "points": col.TextColumn(
            _(HEADERS["points"]), disabled=True, width=90, help=_("plan.pg_points_help")
        ),
        "lead": col.SelectboxColumn(
            _(HEADERS["lead"]),
            options=departments,
            width=220,
            format_func=lambda d: names.department(d, short=True) if d else "",
        ),
        "coord": col.TextColumn(_(HEADERS["coord"]), width=200, max_chars=planmod.core.TEXT_MAX),
        "text": col.TextColumn(_(HEADERS["text"]), width=110, max_chars=planmod.core.TEXT_MAX),
        "time": col.TextColumn(_(HEADERS["time"]), width=100, max_chars=planmod.core.TEXT_MAX),
        "tasks": col.TextColumn(_(HEADERS["tasks"]), width=260, max_chars=planmod.core.TEXT_MAX),
    }
    below = below_baseline(plan)
    table = st.data_editor(
        _below_styler(base, below) if below else base,
        key=wkey,
        num_rows="fixed" if disabled else "dynamic",
        disabled=True if disabled else ["baseline", "raw", "points"],
        hide_index=True,
        column_config=config,
        on_change=commit,
        args=(key, ed_plan),
        height=38 + 35 * (len(base) + (1 if disabled else 2)),  # room for a row being added
        alt=_n("plan.pg_editor_alt", len(base)),
        placeholder="",  # an empty cell reads empty, not "None"
    )
    if base["baseline"].astype(str).str.endswith(" ∑").any():
        st.caption(_("statistics.plan_table_legend"))
    new, problems = read_table(plan, ed_plan, table)
    if problems:
        st.error(_("plan.pg_table_bad") + "\n\n" + "\n".join(f"- {md_text(p)}" for p in problems))
    shown = new if new is not None else plan
    if below_baseline(shown):  # also a row typed in this run (not coloured until committed)
        st.warning(below_note(shown, below_baseline(shown)), icon=":material/arrow_downward:")
    return shown, problems


# ---- unsaved work ----------------------------------------------------------------------------
# A draft lives only in the server's session: a reload or a closed tab loses it, and Streamlit
# cannot stop a reload. So the page says so in a banner, and while the session holds unsaved
# work the browser asks before leaving (its own "Leave site?" dialog, on beforeunload).
_LEAVE_GUARD = """<script>
window.__piiUnsaved = %s;
if (!window.__piiGuard) {
  window.__piiGuard = true;
  window.addEventListener("beforeunload", (e) => {
    if (window.__piiUnsaved) { e.preventDefault(); e.returnValue = ""; }
  });
}
</script>"""


def unsaved_work(where, dirty: bool) -> None:
    """The banner (in `where`, a container above the table) and the browser's leave guard."""
    if dirty:
        where.warning(_("plan.fx_draft_banner"), icon=":material/edit_note:")
    st.html(
        _LEAVE_GUARD % ("true" if dirty or choice.drafts() else "false"),
        unsafe_allow_javascript=True,
    )


# ---- saving ----------------------------------------------------------------------------------
def _meta_key(name: str, key: str, plan: planmod.Plan) -> str:
    return f"pm_{name}_{key}_{plan.revision}"


def _below_key(key: str, plan: planmod.Plan, rows: list[int]) -> str:
    """The confirmation's key: other rows below the baseline need a new confirmation."""
    return _meta_key("below_ok_" + "-".join(map(str, rows)), key, plan)


def _save(key: str, ed_plan: Edition, unit: str) -> None:
    plan, problems = commit(key, ed_plan)
    if problems or plan is None:
        flash("error", _("plan.pg_save_bad_table") + " " + " ".join(problems))
        return
    get = st.session_state.get
    name = " ".join(str(get(_meta_key("name", key, plan)) or "").split())
    who = str(get(_meta_key("who", key, plan)) or "").strip()
    if who:  # remembered for this session's later saves
        st.session_state[AUTHOR] = who
    if not name:
        flash("error", _("plan.pg_name_needed"))
        return
    if not plan.targets:  # an empty plan would be listed on every page and mean nothing
        flash("error", _("plan.fx_empty"))
        return
    below = below_baseline(plan)
    if below and not get(_below_key(key, plan, below)):
        flash("error", _("plan.fx_below_unconfirmed", rows=", ".join(map(str, below))))
        return
    try:
        plan = dataclasses.replace(
            plan,
            name=name,
            target_year=int(get(_meta_key("year", key, plan)) or plan.target_year),
            status=str(get(_meta_key("status", key, plan)) or plan.status),
            note=str(get(_meta_key("note", key, plan)) or ""),
            author=plan.author or who,
        )
        stored = library.save_plan(
            plan,
            author=who,
            note=str(get(_meta_key("why", key, plan)) or ""),
            base_revision=plan.revision if plan.plan_id else None,
        )
    except (ScenarioError, WorkspaceError) as exc:
        flash("error", _("plan.pg_save_failed", msg=err(exc)))
        return
    choice.drafts().pop(key, None)
    choice.choose(unit, stored.plan_id)
    flash("success", _("plan.pg_saved", name=md_text(stored.name), rev=stored.revision))


def save_form(key: str, plan: planmod.Plan, ed_plan: Edition, dirty: bool) -> None:
    """Name, target year, status and note of the plan, who saves and why: a new revision."""
    years = list(range(plan.edition + 1, max(planmod.LAST_YEAR, plan.edition + 1) + 1))
    with st.form(f"plan_save_{key}", border=True):
        st.markdown(f"**{_('plan.pg_save_title')}**")
        if dirty:
            st.caption(_("plan.pg_unsaved_note"))
        c1, c2, c3 = st.columns([3, 1, 2])
        c1.text_input(
            _("plan.pg_name"), value=plan.name, key=_meta_key("name", key, plan), max_chars=120
        )
        c2.selectbox(
            _("plan.pg_target_year"),
            years,
            index=years.index(plan.target_year) if plan.target_year in years else 0,
            key=_meta_key("year", key, plan),
        )
        c3.radio(
            _("plan.pg_status"),
            list(planmod.STATUSES),
            index=list(planmod.STATUSES).index(plan.status),
            key=_meta_key("status", key, plan),
            format_func={s: _(choice.STATUS[s]) for s in planmod.STATUSES}.get,
            horizontal=True,
        )
        st.text_area(
            _("plan.pg_note"), value=plan.note, key=_meta_key("note", key, plan), height=68
        )
        c4, c5 = st.columns([2, 3])
        who_key = _meta_key("who", key, plan)
        if who_key not in st.session_state:  # the name this session last saved with
            st.session_state[who_key] = st.session_state.get(AUTHOR, "")
        c4.text_input(_("plan.pg_who"), key=who_key, max_chars=120)
        c5.text_input(_("plan.pg_why"), key=_meta_key("why", key, plan), max_chars=2000)
        below = below_baseline(plan)
        if below:  # saved only once the user says these rows are meant
            st.checkbox(
                _("plan.fx_below_confirm", rows=", ".join(map(str, below))),
                key=_below_key(key, plan, below),
            )
        st.form_submit_button(
            _("plan.pg_save"),
            type="primary",
            on_click=_save,
            args=(key, ed_plan, plan.unit),
        )
