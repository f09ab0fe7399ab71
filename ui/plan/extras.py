"""The Plan page's tools beyond writing: a recommended draft ("reach rank k with the fewest
points", "the best plan for B billion VND"), the drafts a merged unit gets from its former
provinces' plans, the province's own plan documents, and the plan against the outcome of the
next edition.

The model lives in model.plan.recommend, model.plan.carry and model.plan.review.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from model import api, fmt
from model import plan as planmod
from model.budget import MAX_BUDGET_BN
from model.estimates.sources import EDITION_MAP
from model.index.dataset import Edition, UnknownName, raw_text
from model.index.scenario import ScenarioError
from model.movers.reach import REACH_CAP
from model.official import store
from model.plan import carry as carry_mod
from model.plan import recommend as rec_mod
from model.plan import review as review_mod
from model.workspace import WorkspaceError
from ui import frame, names, number_input
from ui import plan_choice as choice
from ui.i18n import _, _n, err, lang, num
from ui.movers import panels as movers_panels
from ui.plan.editor import flash
from ui.plan.files import ACTION, reset_filters
from ui.widgets import md_text, prov_text

GOALS = {"rank": "plan.pg_rec_goal_rank", "budget": "plan.pg_rec_goal_budget"}
MET = {True: "plan.pg_met_yes", False: "plan.pg_met_no", None: "plan.pg_met_unknown"}


# ---- recommend -------------------------------------------------------------------------------
def _recommend(ed: Edition, unit: str, plan: planmod.Plan | None, scale: str) -> None:
    get = st.session_state.get
    goal = get("plan_rec_goal") or "rank"
    within = get("plan_rec_within") or "actionable"
    budget = None
    if goal == "budget":
        limits = {"min_value": 1.0, "max_value": MAX_BUDGET_BN, "decimals": 1}
        budget, problem = number_input.read("plan_rec_budget", **limits)
        if budget is None:
            flash(
                "error", problem or number_input.check("", **limits)[1] or _("plan.pg_rec_budget")
            )
            return
    try:
        rec = rec_mod.recommend(
            ed,
            unit,
            rank=int(get("plan_rec_rank")) if goal == "rank" else None,
            budget_bn=budget,
            within=within,
            plan=plan if within == "plan" else None,
            known=rec_mod.known_plans(unit),
            editions={y: api.edition(y) for y in store.editions()},
            lang=lang(),
            scale=scale,  # the frame's, as the Movers page's reach (and its default cap)
        )
    except (ScenarioError, UnknownName, WorkspaceError) as exc:
        flash("error", _("plan.pg_rec_failed", msg=err(exc)))
        return
    key = choice.new_key()
    choice.drafts()[key] = rec.plan
    choice.choose(unit, key)
    st.session_state[ACTION] = None
    reset_filters()
    if rec.reached:
        text = _n("plan.pg_rec_ok", len(rec.plan.targets), pii=num(rec.pii), rank=rec.rank)
        flash("success", text)
    else:
        why = err(rec.problem) if rec.problem is not None else ""
        flash("warning", _("plan.pg_rec_short", rank=rec.rank, pii=num(rec.pii), why=why))


def recommend_panel(ed: Edition, unit: str, plan: planmod.Plan | None) -> None:
    """The goal, the indicators allowed, and a draft made for the user to edit and save."""
    now = int(ed.baseline().rank[ed.unit_index(unit)])
    within = ["actionable", "levers", "all"] + (["plan"] if plan is not None else [])
    with st.container(border=True, key="plan_rec_box"):
        st.markdown(_("plan.pg_rec_title"))
        # outside the form: picking a goal reruns the page, so the form shows only its input
        goal = st.radio(
            _("plan.pg_rec_goal"),
            list(GOALS),
            key="plan_rec_goal",
            format_func={g: _(t) for g, t in GOALS.items()}.get,
            horizontal=True,
        )
        _recommend_form(ed, unit, plan, goal, now, within)


def _recommend_form(
    ed: Edition, unit: str, plan: planmod.Plan | None, goal: str, now: int, within: list[str]
) -> None:
    fw = ed.framework
    with st.form("plan_rec_form", border=False):
        if goal == "rank":
            st.number_input(_("plan.pg_rec_rank"), 1, ed.n, max(1, now - 3), key="plan_rec_rank")
            st.caption(_("plan.fx_rec_cap", cap=num(REACH_CAP, 0)))
        else:
            # Money in the reader's format (vi "12,5" is twelve and a half billion): read on submit
            number_input.number_entry(
                _("plan.pg_rec_budget"),
                "plan_rec_budget",
                value=50.0,
                min_value=1.0,
                max_value=MAX_BUDGET_BN,
                decimals=1,
                show_error=False,
            )
        st.selectbox(
            _("plan.pg_rec_within"),
            within,
            key="plan_rec_within",
            format_func={w: _(movers_panels.WITHIN_LABELS[w], m=fw.m) for w in within}.get,
        )
        st.caption(_("plan.pg_rec_note"))
        st.form_submit_button(
            _("plan.pg_rec_make"),
            type="primary",
            on_click=_recommend,
            args=(ed, unit, plan, frame.current().scale),  # read in the run, not the callback
        )


# ---- carried drafts and the province's own documents -------------------------------------------
def _open_carried(unit: str, plan: planmod.Plan) -> None:
    key = choice.new_key()
    choice.drafts()[key] = plan
    choice.choose(unit, key)
    reset_filters()
    flash("success", _("plan.pg_carried_opened", name=md_text(plan.name)))


def _carry_table(ed: Edition, carry) -> pd.DataFrame:
    status = carry_mod.STATUS_TEXT
    return pd.DataFrame(
        {
            _("plan.pg_col_code"): [r.code for r in carry.rows],
            _("plan.pg_carry_status"): [
                _(status[r.status]) if r.status in status else r.status for r in carry.rows
            ],
            _("plan.pg_carry_from", year=carry.edition_from): [
                num(r.target_from) for r in carry.rows
            ],
            _("plan.pg_carry_to", year=carry.edition_to): [
                num(r.target_to) if r.target_to is not None else "–" for r in carry.rows
            ],
            _("plan.pg_col_lead"): [names.department(r.lead_to, short=True) for r in carry.rows],
            _("plan.pg_carry_notes"): [
                "; ".join(m.render(lang()) for m in r.notes) for r in carry.rows
            ],
        }
    )


def carried_panel(ed: Edition, unit: str, has_own: bool) -> None:
    """A merged unit: the drafts carried from its former provinces' plans, each row saying what
    became of its target; and the unit's own plan documents found in the sources."""
    merged = ed.units.loc[ed.units["slug"] == unit, "merged_from"].fillna("")
    docs = [
        d
        for d in carry_mod.plan_documents(unit, EDITION_MAP[ed.year])
        if d.edition in (None, ed.year)
    ]
    carried = ()
    if len(merged) and str(merged.iloc[0]).strip():
        try:
            carried = carry_mod.beside_for(unit, ed.year, lang()).carried
        except (ScenarioError, UnknownName, WorkspaceError) as exc:
            st.warning(_("plan.pg_carry_failed", msg=err(exc)))
    if not carried and not docs:
        return
    with st.expander(_("plan.pg_carried_title"), expanded=not has_own):
        for k, c in enumerate(carried):
            st.markdown(
                _n(
                    "plan.pg_carried_line",
                    len(c.rows),
                    name=md_text(c.original.name or c.original.plan_id),
                    year=c.edition_from,
                    to=c.edition_to,
                    carried=c.n_carried,
                )
            )
            st.dataframe(_carry_table(ed, c), hide_index=True, key=f"plan_carry_{k}")
            st.button(
                _("plan.pg_carried_open"),
                key=f"plan_carry_open_{k}",
                on_click=_open_carried,
                args=(unit, c.plan),
            )
        for d in docs:
            found = "plan.pg_doc_table" if d.table_found else "plan.pg_doc_no_table"
            st.caption(
                _("plan.pg_doc_line", doc=md_text(d.document), date=md_text(_doc_date(d.date)))
                + f" — {_(found)} · [{_('plan.pg_doc_source')}]({d.source})"
            )


def _doc_date(text: str) -> str:
    """A document's date as the reader writes dates (dd/mm/yyyy); other text as it is."""
    try:
        return fmt.date(dt.date.fromisoformat(str(text).strip()), lang())
    except ValueError:
        return str(text)


# ---- the plan against the outcome --------------------------------------------------------------
def review_panel(plan: planmod.Plan) -> None:
    """Each target beside what the next edition shows, the planned PII and rank beside the
    actual ones (published where published; estimates said to be estimates)."""
    if not plan.targets:
        return
    nxt = review_mod.next_edition(plan, store.editions())
    if nxt is None:
        return
    try:
        rv = review_mod.review_plan(plan)
    except (ScenarioError, UnknownName) as exc:
        st.caption(_("plan.pg_review_none", msg=err(exc)))
        return
    ed0, ed1 = api.edition(rv.edition), api.edition(rv.next_edition)
    with st.expander(_("plan.pg_review_title", year=rv.next_edition)):
        actual = _(review_mod.ACTUAL_TEXT.get(rv.actual_provenance, "plan.review_actual_estimate"))
        c = st.columns(2)
        c[0].metric(
            _("plan.pg_review_planned", year=rv.edition),
            num(rv.pii_planned),
            _("plan.pg_review_rank", rank=rv.rank_planned, n=rv.n_units),
            delta_color="off",
            border=True,
        )
        c[1].metric(
            _("plan.pg_review_actual", year=rv.next_edition, kind=actual),
            num(rv.pii_actual) if rv.pii_actual is not None else "–",
            _("plan.pg_review_rank", rank=rv.rank_actual, n=rv.n_units_next)
            if rv.rank_actual is not None
            else None,
            delta_color="off",
            border=True,
        )
        st.dataframe(
            pd.DataFrame(
                {
                    _("plan.pg_col_code"): [t.code for t in rv.targets],
                    _("plan.pg_col_target"): [num(t.target) for t in rv.targets],
                    _("plan.pg_review_raw_target"): [
                        raw_text(ed0, t.code, t.raw_target, lang()) for t in rv.targets
                    ],
                    _("plan.pg_review_raw_actual"): [
                        raw_text(ed1, t.code, t.actual_raw, lang()) if t.comparable else "–"
                        for t in rv.targets
                    ],
                    _("plan.pg_review_score", year=rv.next_edition): [
                        num(t.actual) if t.actual is not None else "–" for t in rv.targets
                    ],
                    _("plan.pg_review_met"): [_(MET[t.met]) for t in rv.targets],
                    _("plan.pg_review_prov"): [
                        prov_text(t.provenance) if t.provenance else "–" for t in rv.targets
                    ],
                }
            ),
            hide_index=True,
            key="plan_review_table",
        )
        for note in rv.notes:
            st.caption(note.render(lang()))
