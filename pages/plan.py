"""Action plan: the plan's indicators and targets, each department's PII points at stake,
progress against the targets, another province's plan from a CSV, and the reports."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from model import api, fmt, report
from model import plan as planmod
from model.framework import PILLARS
from model.scenario import Scenario, ScenarioError
from model.workspace import ProgressEntry, Workspace, WorkspaceError
from ui import access, data, frame
from ui.i18n import _, lang, num
from ui.widgets import Metric, big_metrics, md_text, number_styler, report_downloads


def _places(change: int) -> str:
    if change > 0:
        return _("plan.places_up", n=change)
    if change < 0:
        return _("plan.places_down", n=-change)
    return _("plan.places_same")


def _signed(n: int) -> str:
    return num(n, 0, sign=True) if n else "0"


f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
seed = data.plan()
plan: planmod.Plan = st.session_state.get("_plan_uploaded") or seed


# ---- callbacks -------------------------------------------------------------------------------
def _show_plan_unit(target_unit: str, year: int) -> None:
    frame._on_context_change()  # the scenario page's sliders restart from the new baseline
    st.session_state["edition"] = year
    st.session_state["unit"] = target_unit


def _upload() -> None:
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
    _reset_filters(new)
    st.session_state["_plan_flash"] = (
        "success",
        _(
            "plan.upload_ok",
            plan=md_text(new.plan_id),
            n=len(new.targets),
            unit=ed.name(unit, lang()),
        ),
    )


def _filters_changed() -> None:
    """Preselect the first indicator the filters show in the progress form."""
    d, p = st.session_state.get("plan_dept"), st.session_state.get("plan_pillar")
    shown = [
        t.code
        for t in plan.targets
        if (not d or t.lead_unit == d) and (not p or fw.pillar_of(t.code) == p)
    ]
    if shown:
        st.session_state["pr_code"] = shown[0]


def _reset_filters(new: planmod.Plan) -> None:
    """Another plan: the filters and the form start again on its own options."""
    st.session_state["plan_dept"] = ""
    st.session_state["plan_pillar"] = ""
    st.session_state["pr_code"] = new.codes[0]


def _use_seed() -> None:
    st.session_state.pop("_plan_uploaded", None)
    st.session_state.pop("_plan_upload_errors", None)
    _reset_filters(seed)


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
        st.session_state["_plan_flash"] = ("error", _("plan.r_bad", msg=exc))
        return
    except WorkspaceError as exc:
        st.session_state["_plan_flash"] = ("error", _("plan.r_store", msg=exc))
        return
    st.session_state["pr_value"] = None
    st.session_state["pr_note"] = ""
    st.session_state["_plan_flash"] = (
        "success",
        _("plan.r_ok", code=code, score=num(score), date=fmt.date(when, lang())),
    )


# ---- header ----------------------------------------------------------------------------------
def _unit_name(slug: str) -> str:
    if slug in ed.slugs:
        return ed.name(slug, lang())
    units = data.units_table()
    match = units[units["slug"] == slug]
    return str(match.iloc[0][f"name_{lang()}"]) if len(match) else slug


plan_unit_name = _unit_name(plan.unit)
st.subheader(_("plan.title", unit=plan_unit_name))
flash = st.session_state.pop("_plan_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])
if plan is not seed:
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.info(_("plan.uploaded_active", plan=md_text(plan.plan_id)))
    c2.button(_("plan.use_seed"), key="plan_use_seed", on_click=_use_seed)

with st.expander(_("plan.upload"), expanded=bool(st.session_state.get("_plan_upload_errors"))):
    st.markdown(
        _(
            "plan.upload_help",
            cols=", ".join(planmod.CSV_COLUMNS),
            unit=f.unit_name,
            year=ed.year,
        )
    )
    st.file_uploader(_("plan.upload_label"), type=["csv"], key="plan_upload", on_change=_upload)
    errors = st.session_state.get("_plan_upload_errors")
    if errors:
        st.error(_("plan.upload_failed") + "\n\n" + "\n".join(f"- {md_text(e)}" for e in errors))
    st.download_button(
        _("plan.template"),
        planmod.plan_to_csv(seed),
        file_name="plan_bac_giang_2024.csv",
        mime="text/csv",
        on_click="ignore",
        key="plan_template",
    )

if not plan.applies_to(ed, unit):
    if plan.unit != unit:
        st.warning(_("plan.other_unit", plan_unit=plan_unit_name, unit=f.unit_name, year=ed.year))
    else:
        st.warning(_("plan.other_edition", plan_unit=plan_unit_name, year=ed.year))
    year = ed.year if plan.unit in ed.slugs else plan.edition
    st.button(
        _("plan.switch", plan_unit=plan_unit_name, year=year),
        key="plan_switch_unit",
        type="primary",
        on_click=_show_plan_unit,
        args=(plan.unit, year),
    )
    st.stop()

# ---- the model -------------------------------------------------------------------------------
base = Scenario(unit=unit, edition=ed.year, scale=f.scale)
effect = planmod.department_effects(plan, ed, base)
try:
    history = Workspace().progress_history(plan.plan_id)
except WorkspaceError as exc:
    st.error(_("plan.r_store", msg=exc))
    history = []
latest: dict[str, ProgressEntry] = {}
for entry in history:
    latest.setdefault(entry.code, entry)
u = ed.unit_index(unit)
progress_scenario = base.with_targets({c: e.score for c, e in latest.items()})
progress_out = api.run(progress_scenario) if latest else None

st.markdown(_("plan.intro", plan=md_text(plan.plan_id), n=len(plan.targets), year=ed.year))


def _rank(rank: int) -> str:
    return _("plan.rank_line", rank=rank, n=ed.n)


items = [
    Metric(_("plan.baseline"), num(effect.baseline_pii), note=_rank(effect.baseline_rank)),
    Metric(
        _("plan.with_plan"),
        num(effect.pii),
        note=f"{_rank(effect.rank)} · {_places(effect.rank_change)}",
    ),
    Metric(
        _("plan.change"),
        num(effect.delta_pii, sign=True),
        note=_("plan.gap_next", gap=num(effect.gap_to_next)) if effect.gap_to_next else None,
    ),
]
if progress_out is not None:
    pp = progress_out.summary()["scenario"]
    items.append(
        Metric(
            _("plan.with_progress"),
            num(pp["pii"]),
            help=_("plan.help_progress"),
            note=f"{_rank(pp['rank'])} · {_places(effect.baseline_rank - pp['rank'])}",
        )
    )
else:
    items.append(
        Metric(
            _("plan.with_progress"),
            "–",
            help=_("plan.help_progress"),
            note=_("plan.no_progress_yet"),
        )
    )
big_metrics(items, key="plan_metrics", size="2.4rem")

# ---- departments -----------------------------------------------------------------------------
st.markdown(f"#### {_('plan.depts')}")
depts = sorted(effect.departments, key=lambda d: -d.delta_pii)
dept_table = pd.DataFrame(
    {
        _("plan.col_dept"): [planmod.department_label(d.lead_unit, lang()) for d in depts]
        + [_("plan.total")],
        _("plan.col_codes"): [", ".join(d.codes) for d in depts] + [""],
        _("plan.col_dpii"): [d.delta_pii for d in depts] + [effect.delta_pii],
        _("plan.col_pii"): [d.pii for d in depts] + [effect.pii],
        _("plan.col_rank"): [f"{d.rank}/{ed.n}" for d in depts] + [f"{effect.rank}/{ed.n}"],
        _("plan.col_places"): [_signed(d.rank_change) for d in depts]
        + [_signed(effect.rank_change)],
    }
)
st.dataframe(
    number_styler(
        dept_table,
        {_("plan.col_dpii"): 2, _("plan.col_pii"): 2},
        signed=[_("plan.col_dpii")],
        highlight=[False] * len(depts) + [True],
    ),
    hide_index=True,
    key="plan_depts",
    height=38 + 35 * len(dept_table),
)
dsum = sum(d.delta_pii for d in effect.departments)
st.caption(
    _(
        "plan.depts_caption" if f.scale == "frozen" else "plan.depts_caption_renorm",
        sum=num(dsum, sign=True),
        total=num(effect.delta_pii, sign=True),
    )
)

# ---- filters ---------------------------------------------------------------------------------
st.markdown(f"#### {_('plan.filters')}")
c1, c2 = st.columns(2)
at_stake = {d.lead_unit: d.delta_pii for d in effect.departments}
dept_options = ["", *sorted(plan.departments, key=lambda d: -at_stake[d])]
dept = c1.selectbox(
    _("plan.f_dept"),
    dept_options,
    key="plan_dept",
    on_change=_filters_changed,
    format_func={
        d: planmod.department_label(d, lang()) if d else _("plan.all") for d in dept_options
    }.get,
)
pillars_in_plan = [p for p in PILLARS if any(fw.pillar_of(c) == p for c in plan.codes)]
li = 0 if lang() == "vi" else 1
pillar = c2.selectbox(
    _("plan.f_pillar"),
    ["", *pillars_in_plan],
    key="plan_pillar",
    on_change=_filters_changed,
    format_func={
        p: f"{p}. {fw.pillar_names.get(p, (p, p))[li]}" if p else _("plan.all")
        for p in ["", *pillars_in_plan]
    }.get,
)
if dept:
    d = next(x for x in effect.departments if x.lead_unit == dept)
    with st.container(border=True, key="plan_stake"):
        s1, s2 = st.columns([3, 2])
        s1.metric(
            _(
                "plan.stake_label",
                dept=planmod.department_label(dept, lang(), short=True),
                n=len(d.codes),
            ),
            _("plan.stake_value", dpii=num(d.delta_pii, sign=True)),
        )
        s2.metric(_("plan.stake_rank"), _places(d.rank_change))
        st.caption(
            _("plan.stake_rank_note", before=effect.baseline_rank, after=d.rank)
            + (
                " · " + _("plan.gap_next", gap=num(effect.gap_to_next))
                if effect.gap_to_next
                else ""
            )
        )

rows = [
    pt
    for pt in plan.targets
    if (not dept or pt.lead_unit == dept) and (not pillar or fw.pillar_of(pt.code) == pillar)
]

# ---- the plan table --------------------------------------------------------------------------
st.markdown(f"#### {_('plan.table')}")
st.markdown(_("plan.shown", shown=len(rows), n=len(plan.targets)))


def _name(code: str) -> str:
    ind = fw.indicator(code)
    return ind.name_vi if lang() == "vi" else ind.name_en


def _now(code: str) -> float:
    return float(ed.scores[u, fw.index[code]])


other_year = ed.year != plan.edition
table = pd.DataFrame(
    {
        "row": [pt.row for pt in rows],
        "code": [pt.code for pt in rows],
        "indicator": [_name(pt.code) for pt in rows],
        "lead": [planmod.department_label(pt.lead_unit, lang(), short=True) for pt in rows],
        "score_2023": [pt.score_2023 for pt in rows],
        **({"score_now": [_now(pt.code) for pt in rows]} if other_year else {}),
        "target": [pt.target for pt in rows],
        "target_text": [pt.target_text for pt in rows],
        "gap": [max(0.0, pt.target - _now(pt.code)) for pt in rows],
        # Text, so a missing reading reads "–" (a number column would show "None").
        "latest": [num(latest[pt.code].score) if pt.code in latest else "–" for pt in rows],
        "done": [
            100 * planmod.progress_fraction(pt.score_2023, pt.target, latest[pt.code].score)
            if pt.code in latest
            else float("nan")
            for pt in rows
        ],
        "as_of": [
            fmt.date(latest[pt.code].as_of, lang()) if pt.code in latest else "" for pt in rows
        ],
        "pillar": [fw.pillar_of(pt.code) for pt in rows],
        "timeframe": [planmod.timeframe_label(pt.timeframe, lang()) for pt in rows],
        "coord": [pt.coordinating_units for pt in rows],
    }
)
st.dataframe(
    number_styler(
        table,
        {"score_2023": 2, "score_now": 2, "target": 2, "gap": 2},
    ),
    hide_index=True,
    key="plan_table",
    height=38 + 35 * max(1, len(table)),
    column_config={
        "row": st.column_config.NumberColumn(_("plan.col_row"), width=45),
        "code": st.column_config.TextColumn(_("plan.col_code"), width=55),
        "indicator": st.column_config.TextColumn(_("plan.col_indicator"), width=230),
        "lead": st.column_config.TextColumn(_("plan.col_lead"), width=120),
        "score_2023": st.column_config.NumberColumn(_("plan.col_2023"), width=80),
        "score_now": st.column_config.NumberColumn(_("plan.col_now", year=ed.year), width=80),
        "target": st.column_config.NumberColumn(_("plan.col_target"), width=75),
        "target_text": st.column_config.TextColumn(_("plan.col_target_text"), width=70),
        "gap": st.column_config.NumberColumn(_("plan.col_gap"), width=75),
        "latest": st.column_config.TextColumn(_("plan.col_latest"), width=85),
        "done": st.column_config.ProgressColumn(
            _("plan.col_done"), min_value=0.0, max_value=100.0, format="%.0f%%", width=100
        ),
        "as_of": st.column_config.TextColumn(_("plan.col_date"), width=90),
        "pillar": st.column_config.TextColumn(_("plan.col_pillar"), width=60),
        "timeframe": st.column_config.TextColumn(_("plan.col_time"), width=100),
        "coord": st.column_config.TextColumn(_("plan.col_coord"), width=260),
    },
)
st.caption(_("plan.table_caption"))

# ---- record progress -------------------------------------------------------------------------
st.markdown(f"#### {_('plan.record')}")
kind_label = {"score": _("plan.kind_score"), "raw": _("plan.kind_raw")}
codes = plan.codes  # fixed options; a filter change preselects its first indicator
if not access.can_write_user_data():  # read-only meeting mode: the history stays visible
    access.read_only_note()
else:
    with st.form("progress_form"):
        r1, r2, r3 = st.columns([3, 2, 2])
        r1.selectbox(
            _("plan.r_indicator"),
            codes,
            key="pr_code",
            format_func={c: f"{c} · {_name(c)}" for c in codes}.get,
        )
        r2.radio(
            _("plan.r_kind"),
            list(planmod.PROGRESS_KINDS),
            key="pr_kind",
            format_func=kind_label.get,
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

# ---- details per indicator: tasks in full, progress against the target, history -------------
st.markdown(f"#### {_('plan.details')}")
for pt in rows:
    lead_short = planmod.department_label(pt.lead_unit, lang(), short=True)
    with st.expander(f"**{pt.code}** · {md_text(_name(pt.code))} — {md_text(lead_short)}"):
        now = _now(pt.code)
        st.markdown(
            _(
                "plan.d_target",
                text=md_text(pt.target_text),
                score=num(pt.target),
                base=num(now),
                gap=num(max(0.0, pt.target - now)),
            )
            + "  \n"
            + _("plan.d_lead", lead=md_text(planmod.department_label(pt.lead_unit, lang())))
            + (
                f"  \n{_('plan.d_coord', coord=md_text(pt.coordinating_units))}"
                if pt.coordinating_units
                else ""
            )
            + (
                f"  \n{_('plan.d_time', time=md_text(planmod.timeframe_label(pt.timeframe, lang())))}"
                if pt.timeframe
                else ""
            )
        )
        if pt.tasks_vi:
            # The tasks are printed in Vietnamese; an English reader is told so.
            note = "" if lang() == "vi" else f" {_('plan.d_tasks_en')}"
            st.markdown(f"{_('plan.d_tasks')}{note}")
            st.markdown("  \n".join(md_text(line) for line in pt.tasks_vi.splitlines()))
        last = latest.get(pt.code)
        if last is not None:
            frac = planmod.progress_fraction(pt.score_2023, pt.target, last.score)
            st.progress(
                frac,
                text=_(
                    "plan.d_progress",
                    score=num(last.score),
                    date=fmt.date(last.as_of, lang()),
                    pct=f"{num(frac * 100, 0)}%",
                    base=num(pt.score_2023),
                    target=num(pt.target),
                ),
            )
            hist = [e for e in history if e.code == pt.code]
            st.dataframe(
                pd.DataFrame(
                    {
                        _("plan.h_date"): [fmt.date(e.as_of, lang()) for e in hist],
                        _("plan.h_kind"): [kind_label[e.kind] for e in hist],
                        _("plan.h_value"): [num(e.value) for e in hist],
                        _("plan.h_score"): [num(e.score) for e in hist],
                        _("plan.h_note"): [e.note for e in hist],
                        _("plan.h_who"): [e.author for e in hist],
                        _("plan.h_recorded"): [
                            e.recorded_at.astimezone(report.VN_TIME).strftime("%d/%m/%Y %H:%M")
                            for e in hist
                        ],
                    }
                ),
                hide_index=True,
                key=f"plan_hist_{pt.code}",
            )
        else:
            st.caption(_("plan.d_no_progress"))

# ---- reports ---------------------------------------------------------------------------------
st.markdown(f"#### {_('plan.reports')}")
rep = report.build(
    plan.scenario(ed, base),
    label=_("plan.preset_plan") if plan is seed else plan.plan_id,
    lang=lang(),
    plan=plan,
    progress=history,
)
b1, b2 = st.columns(2)
report_downloads(
    rep,
    (b1, b2),
    prefix="plan",
    labels=(_("plan.download_xlsx"), _("plan.download_html")),
    width="stretch",
)
st.caption(_("plan.reports_caption"))
