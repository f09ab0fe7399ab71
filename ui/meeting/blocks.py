"""The meeting screen's blocks: the result cards, the top movers, the departments' shares,
what the numbers rest on, and the options below the fold (which scenario: ui.meeting.choice).
Each block draws a model.report Report (the same numbers the downloaded reports hold).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import plan as planmod
from model import report
from model.estimates.quality.marks import MARK
from model.index.dataset import Edition
from model.index.scenario import Scenario
from model.workspace import SavedScenario, Workspace, WorkspaceError
from ui import access, frame, names, plan_choice
from ui.i18n import _, err, num
from ui.meeting.choice import BASELINE, CURRENT, PLAN, SAVED, Choice, link_params
from ui.provenance import cell_counts
from ui.widgets import md_text, places

# Projector sizes: the rank's number as large as the PII (--meet-big), indicator names wrapped
# in full (the indicator column takes most of the width, the lead department wraps beside it),
# the footnote at 17 px (1280) and 21 px (1920). tests/browser/test_meeting.py measures them.
CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"],
[data-testid="stHeader"] { display: none !important; }
.block-container { max-width: 100% !important; padding: 1rem 2.5rem 2rem !important;
  --meet-big: 3.6rem; }
.st-key-meet_head [data-testid="stHeadingWithActionElements"] h1 { font-size: 2.1rem;
  line-height: 1.2; padding: 0; margin: 0; }
.st-key-meet_head p { font-size: 1.25rem; margin: 0; color: #111827; }
.st-key-meet_cards [data-testid="stVerticalBlockBorderWrapper"] [data-testid="stVerticalBlock"]
  { gap: 0.35rem; }
.st-key-meet_cards [data-testid="stMetricLabel"] p { font-size: 1.35rem; font-weight: 700;
  color: #111827; }
.st-key-meet_cards [data-testid="stMetricValue"] p { font-size: var(--meet-big);
  font-weight: 800; line-height: 1.05; color: #111827; }
.st-key-meet_cards [data-testid="stMetricDelta"] p,
.st-key-meet_cards [data-testid="stMetricDelta"] div { font-size: 1.3rem; font-weight: 700; }
[class*="st-key-meet_rank"] p { font-size: 1.4rem; margin: 0; color: #111827;
  line-height: 1.05; }
[class*="st-key-meet_rank"] p strong { font-size: var(--meet-big); font-weight: 800; }
.st-key-meet_tables h3 { font-size: 1.3rem; padding: 0 0 0.3rem; color: #111827; }
.st-key-meet_tables table { font-size: 1rem; color: #111827; }
.st-key-meet_tables th { font-size: 0.95rem; color: #111827 !important; font-weight: 700; }
.st-key-meet_tables td, .st-key-meet_tables th { padding: 0.2rem 0.5rem !important;
  line-height: 1.2; vertical-align: top; }
.st-key-meet_tables td:last-child, .st-key-meet_tables th:last-child { text-align: right; }
.st-key-meet_tables td:last-child *, .st-key-meet_tables th:last-child * {
  white-space: nowrap !important; }
.st-key-meet_movers table { table-layout: fixed; width: 100% !important; }
.st-key-meet_movers th:nth-child(1) { width: 62%; }
.st-key-meet_movers th:nth-child(2) { width: 27%; }
.st-key-meet_movers th:nth-child(3) { width: 11%; }
.st-key-meet_movers td div { display: block !important; width: 100% !important;
  max-width: 100% !important; min-width: 0; }
.st-key-meet_movers td p { white-space: normal !important; overflow-wrap: break-word; }
.st-key-meet_depts tr:last-child td { font-weight: 700; border-top: 2px solid #111827; }
.st-key-meet_note [data-testid="stCaptionContainer"],
.st-key-meet_note [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
@media (min-width: 1700px) {
  .block-container { padding: 1.5rem 3.5rem 2rem !important; --meet-big: 5.4rem; }
  .st-key-meet_head [data-testid="stHeadingWithActionElements"] h1 { font-size: 3rem; }
  .st-key-meet_head p { font-size: 1.6rem; }
  .st-key-meet_cards [data-testid="stMetricLabel"] p { font-size: 1.8rem; }
  .st-key-meet_cards [data-testid="stMetricDelta"] p,
  .st-key-meet_cards [data-testid="stMetricDelta"] div { font-size: 1.8rem; }
  [class*="st-key-meet_rank"] p { font-size: 2rem; }
  .st-key-meet_tables h3 { font-size: 1.8rem; }
  .st-key-meet_tables table { font-size: 1.45rem; }
  .st-key-meet_tables th { font-size: 1.3rem; }
  .st-key-meet_tables td, .st-key-meet_tables th { padding: 0.3rem 0.7rem !important; }
  .st-key-meet_note [data-testid="stCaptionContainer"],
  .st-key-meet_note [data-testid="stCaptionContainer"] p { font-size: 1.3rem; }
  [class*="st-key-meet_interval"] p, .st-key-meet_estimate_note p { font-size: 1.15rem; }
}
/* A wall screen (1920×1080 and up) with short tables (a plan of a few targets or departments):
   the tables grow to use the height the screen would otherwise leave empty. Long tables keep
   the sizes above, so the department total still fits (tests/browser/test_meeting.py). */
@media (min-width: 1700px) and (min-height: 900px) {
  .st-key-meet_tables:not(:has(tbody tr:nth-child(6))) h3 { font-size: 2.2rem; }
  .st-key-meet_tables:not(:has(tbody tr:nth-child(6))) table { font-size: 2rem; }
  .st-key-meet_tables:not(:has(tbody tr:nth-child(6))) th { font-size: 1.6rem; }
  .st-key-meet_tables:not(:has(tbody tr:nth-child(6))) td,
  .st-key-meet_tables:not(:has(tbody tr:nth-child(6))) th {
    padding: 0.6rem 0.8rem !important; }
}
</style>"""


def saved_here(ws: Workspace, ed: Edition, unit: str) -> list[SavedScenario]:
    try:
        return ws.list_scenarios(unit=unit, edition=ed.year)
    except WorkspaceError as exc:
        st.error(_("meeting.store_error", msg=err(exc)))
        return []


def header(unit_name: str, year: int, label: str) -> None:
    with st.container(key="meet_head"):
        st.title(_("meeting.title", unit=unit_name, year=year), anchor=False)
        st.markdown(_("meeting.subtitle", label=md_text(label)))


def cards(rep: report.Report, label: str, plan_label: str | None = None) -> None:
    """Baseline, plan and the scenario: PII, the change and the rank, large."""
    ed = rep.edition
    heads = report.headline(rep)
    plan_title = plan_label or _("meeting.plan")
    titles = [_("meeting.baseline")] + ([plan_title] if rep.plan_outcome is not None else [])
    titles += [label] * (len(heads) - len(titles))
    with st.container(key="meet_cards"):
        cols = st.columns(len(heads), gap="medium")
        for k, (col, h, title) in enumerate(zip(cols, heads, titles, strict=True)):
            with col, st.container(border=True, height="stretch"):
                if k == 0:
                    st.metric(
                        md_text(title),
                        _pii_value(h),
                        _("meeting.base_note", year=ed.year),
                        delta_color="off",
                        delta_arrow="off",
                    )
                else:
                    st.metric(
                        md_text(title),
                        _pii_value(h),
                        _("meeting.points", d=num(h["delta_pii"], sign=True)),
                    )
                rank = _("meeting.rank", rank=_rank_value(h), n=ed.n)
                with st.container(key=f"meet_rank{k}"):
                    st.markdown(rank + ("" if k == 0 else f" · {_places(h)}"))
                if h.get("pii_estimated"):
                    with st.container(key=f"meet_interval{k}"):
                        st.caption(_interval(h))
    if heads and (heads[0].get("pii_estimated") or heads[0].get("rank_estimated")):
        with st.container(key="meet_estimate_note"):
            st.caption(_("reconstruct.meeting_note", unit=rep.unit_name))


def _pii_value(h: dict) -> str:
    """A PII card's number: "≈ 39,77" for an estimate (model/estimates/quality/marks.py)."""
    return f"{MARK} {num(h['pii'])}" if h.get("pii_estimated") else num(h["pii"])


def _rank_value(h: dict) -> str:
    """A card's rank: "≈ 17 (14–45)" for an estimate, the bare number when published."""
    if not h.get("rank_estimated") or h.get("rank_low") is None:
        return str(h["rank"])
    return _("reconstruct.approx_rank", rank=h["rank"], low=h["rank_low"], high=h["rank_high"])


def _interval(h: dict) -> str:
    return _(
        "reconstruct.approx_range",
        value=num(h["pii"]),
        low=num(h["pii_low"], 1),
        high=num(h["pii_high"], 1),
    )


def _places(h: dict) -> str:
    """Places gained; a range with its reason where estimated neighbours are passed."""
    return places(h["rank_change"], h.get("places_low"), h.get("places_high"))


def movers(
    rep: report.Report, scenario: Scenario, plan: planmod.Plan | None, plan_here: bool
) -> None:
    """The eight largest contributions: the plan's, or the scenario's own when it has targets."""
    of_plan = rep.plan_outcome is not None and (rep.is_plan or not scenario.targets)
    source = rep.plan_outcome if of_plan else rep.outcome
    contrib = sorted(source.contributions, key=lambda c: -abs(c.delta_pii))[:8]
    st.subheader(_("meeting.movers") if of_plan else _("meeting.movers_scenario"))
    if not contrib:
        st.info(_("meeting.no_change"))
        return
    fw = rep.edition.framework

    def lead(code: str) -> str:
        name = plan.lead_of(code) if plan_here and plan is not None else None
        return md_text(names.department(name, short=True)) if name else ""

    table = pd.DataFrame(
        {
            _("meeting.col_indicator"): [
                md_text(f"{c.code} {names.indicator(fw, c.code)}") for c in contrib
            ],
            _("meeting.col_lead"): [lead(c.code) for c in contrib],
            _("meeting.col_dpii"): [num(c.delta_pii, 2, sign=True) for c in contrib],
        }
    )
    with st.container(key="meet_movers"):
        st.table(table, hide_index=True, border="horizontal")


def departments(rep: report.Report) -> None:
    """Each department's targets and PII points, with the plan's total."""
    st.subheader(_("meeting.depts"))
    rows = report.department_rows(rep)
    if not rows or rep.effect is None:
        st.info(_("meeting.no_plan"))
        return
    table = pd.DataFrame(
        {
            _("meeting.col_dept"): [md_text(d["short"]) for d in rows] + [_("meeting.total")],
            _("meeting.col_n"): [len(d["codes"]) for d in rows]
            + [sum(len(d["codes"]) for d in rows)],
            _("meeting.col_dpii"): [num(d["delta_pii"], 2, sign=True) for d in rows]
            + [num(rep.effect.delta_pii, 2, sign=True)],
        }
    )
    with st.container(key="meet_depts"):
        st.table(table, hide_index=True, border="horizontal")


def provenance_note(ed: Edition, unit: str) -> None:
    """What the numbers rest on, from the cells themselves (an import can make them official)."""
    kinds = cell_counts(ed, unit)
    with st.container(key="meet_note"):
        st.caption(
            _("meeting.note", m=ed.framework.m, **kinds)
            # the indicators computed from official statistics, counted apart (issue 21)
            + (
                " ∑ " + _("statistics.prov_count", n=kinds["statistics"])
                if kinds["statistics"]
                else ""
            )
            + (" " + _("meeting.note_est") if kinds["reconstructed"] else "")
        )


def options(
    c: Choice,
    work: Choice | None,
    refs: list[Choice],
    frame_: frame.Frame,
    plans: list[planmod.Plan] = (),
) -> None:
    """Below the fold: which of the unit's plans, the scenario selector, the meeting's link,
    the read-only switch."""
    with st.expander(_("meeting.options")):
        plan_choice.picker(frame_.edition, frame_.unit, list(plans), key="meet_plan")
        labels = {r.key: r.label for r in refs}
        if work is not None and work.key == CURRENT:
            labels = {CURRENT: _("meeting.opt_current", label=work.label)} | labels
        seed = any(r.is_plan and r.scenario.name == planmod.SEED_ID for r in refs)
        shown = ((PLAN, _("meeting.opt_plan")),) if seed else ()
        for key, text in (*shown, (BASELINE, _("meeting.opt_baseline"))):
            if key in labels:
                labels[key] = text
        choice = str(st.session_state["meet_choice"])
        if choice not in labels:
            labels[choice] = choice.removeprefix(SAVED)
        st.selectbox(_("meeting.choose"), list(labels), format_func=labels.get, key="meet_choice")
        params = {"lang": frame_.lang, "unit": frame_.unit, "edition": frame_.edition.year}
        if frame_.scale != "frozen":
            params["scale"] = frame_.scale
        if access.session_read_only():
            params["mode"] = "meeting"
        params |= link_params(c)
        st.markdown(_("meeting.link"))
        st.code(frame.share_url(params), language=None, wrap_lines=True)
        # Read-only for the room: hides every save, edit and delete control in this session.
        forced = access.forced_read_only()
        st.session_state["meet_read_only"] = access.read_only()
        st.toggle(
            _("common.ro_toggle"),
            key="meet_read_only",
            on_change=lambda: access.set_session_read_only(st.session_state["meet_read_only"]),
            disabled=forced,
            help=_("common.ro_forced") if forced else _("common.ro_toggle_help"),
        )
