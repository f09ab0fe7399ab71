"""The action plan page's panels: the headline numbers, the departments' PII points at stake,
one department's stake, the plan table with progress, and each indicator's details and history.
Each takes the model's results (model.plan's PlanEffect, the workspace's progress entries).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from model import api, fmt, report
from model import plan as planmod
from model.estimates.quality import intervals as est_intervals
from model.estimates.quality import marks
from model.estimates.quality.marks import MARK
from model.index.dataset import Edition, raw_text
from model.index.framework import Framework
from model.index.scenario import Outcome
from model.workspace import ProgressEntry
from ui import names, plan_choice
from ui.i18n import _, lang, num
from ui.widgets import Metric, big_metrics, md_text, number_styler, places


def _signed(n: int) -> str:
    return num(n, 0, sign=True) if n else "0"


def kind_labels() -> dict[str, str]:
    return {"score": _("plan.kind_score"), "raw": _("plan.kind_raw")}


def latest_of(history: Sequence[ProgressEntry]) -> dict[str, ProgressEntry]:
    """Each indicator's latest reading (the history comes newest first)."""
    latest: dict[str, ProgressEntry] = {}
    for entry in history:
        latest.setdefault(entry.code, entry)
    return latest


def shown_targets(
    plan: planmod.Plan, fw: Framework, dept: str | None, pillar: str | None
) -> list[planmod.PlanTarget]:
    """The plan's targets the filters keep (an empty filter keeps all)."""
    return [
        t
        for t in plan.targets
        if (not dept or t.lead_unit == dept) and (not pillar or fw.pillar_of(t.code) == pillar)
    ]


def score_now(ed: Edition, unit: str, code: str) -> float:
    """The unit's score of `code` in the edition shown."""
    return float(ed.scores[ed.unit_index(unit), ed.framework.index[code]])


def headline(effect: planmod.PlanEffect, progress_out: Outcome | None, n: int) -> None:
    """Baseline, with the plan, the change, and the PII if every reading held."""

    def rank(r: int) -> str:
        return _("plan.rank_line", rank=r, n=n)

    est = _estimate(effect)  # ≈ and intervals where the unit's PII is an estimate
    mark = f"{MARK} " if est else ""
    items = [
        Metric(
            _("plan.baseline"),
            mark + num(effect.baseline_pii),
            note=rank(effect.baseline_rank) + (f"  \n{est['base']}" if est else ""),
        ),
        Metric(
            _("plan.with_plan"),
            mark + num(effect.pii),
            note=f"{rank(effect.rank)} · {est['places'] if est else places(effect.rank_change)}"
            + (f"  \n{est['plan']}" if est else ""),
        ),
        Metric(
            _("plan.change"),
            num(effect.delta_pii, sign=True),
            note=(  # from the plan's PII, not the baseline's: what the plan still needs
                _("plan.gap_next", gap=num(effect.plan_gap_to_next))
                if effect.plan_gap_to_next
                else None
            ),
        ),
    ]
    if progress_out is not None:
        pp = progress_out.summary()["scenario"]
        items.append(
            Metric(
                _("plan.with_progress"),
                num(pp["pii"]),
                help=_("plan.help_progress"),
                note=f"{rank(pp['rank'])} · {places(effect.baseline_rank - pp['rank'])}",
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


def _estimate(effect: planmod.PlanEffect) -> dict[str, str] | None:
    """The headline's ≈ lines for a unit whose PII is estimated (None when published): the
    interval and rank range of the baseline and of the plan (moved by the plan's change), and
    the places gained as a range where estimated neighbours are passed (other units held at
    their baseline, as the plan's default scenario does)."""
    ed = api.edition(effect.edition)
    iv = est_intervals.for_edition(ed, api.store.published(effect.edition))
    u = ed.unit_index(effect.unit)
    if not marks.estimated(float(iv.pii_low[u])):
        return None
    base = ed.baseline().pii
    new = base.copy()
    new[u] = effect.pii
    d = effect.pii - effect.baseline_pii

    def line(lo: float, hi: float, r: tuple[int, int]) -> str:
        return _(
            "reconstruct.plan_headline",
            low=num(lo, 1),
            high=num(hi, 1),
            rank_low=r[0],
            rank_high=r[1],
        )

    r0 = (int(iv.rank_low[u]) or effect.baseline_rank, int(iv.rank_high[u]) or effect.baseline_rank)
    r1 = marks.rank_range_at(base, new, u, iv.pii_low, iv.pii_high)
    lo, hi = marks.places_range(base, new, u, iv.pii_low, iv.pii_high)
    moved = places(effect.rank_change, lo, hi)
    return {
        "base": line(iv.pii_low[u], iv.pii_high[u], r0),
        "plan": line(iv.pii_low[u] + d, iv.pii_high[u] + d, r1),
        "places": moved,
    }


def departments(effect: planmod.PlanEffect, n: int, scale: str) -> None:
    """Each department's targets and the PII points they are worth, with the total."""
    st.markdown(f"#### {_('plan.depts')}")
    depts = sorted(effect.departments, key=lambda d: -d.delta_pii)
    table = pd.DataFrame(
        {
            _("plan.col_dept"): [names.department(d.lead_unit) for d in depts] + [_("plan.total")],
            _("plan.col_codes"): [", ".join(d.codes) for d in depts] + [""],
            _("plan.col_dpii"): [d.delta_pii for d in depts] + [effect.delta_pii],
            _("plan.col_pii"): [d.pii for d in depts] + [effect.pii],
            _("plan.col_rank"): [f"{d.rank}/{n}" for d in depts] + [f"{effect.rank}/{n}"],
            _("plan.col_places"): [_signed(d.rank_change) for d in depts]
            + [_signed(effect.rank_change)],
        }
    )
    st.dataframe(
        number_styler(
            table,
            {_("plan.col_dpii"): 2, _("plan.col_pii"): 2},
            signed=[_("plan.col_dpii")],
            highlight=[False] * len(depts) + [True],
        ),
        hide_index=True,
        key="plan_depts",
        height=38 + 35 * len(table),
    )
    dsum = sum(d.delta_pii for d in effect.departments)
    st.caption(
        _(
            "plan.depts_caption" if scale == "frozen" else "plan.depts_caption_renorm",
            sum=num(dsum, sign=True),
            total=num(effect.delta_pii, sign=True),
        )
    )


def stake(effect: planmod.PlanEffect, dept: str) -> None:
    """One department's points at stake and the places they buy alone."""
    d = next(x for x in effect.departments if x.lead_unit == dept)
    with st.container(border=True, key="plan_stake"):
        s1, s2 = st.columns([3, 2])
        s1.metric(
            _("plan.stake_label", dept=names.department(dept, short=True), n=len(d.codes)),
            _("plan.stake_value", dpii=num(d.delta_pii, sign=True)),
        )
        s2.metric(_("plan.stake_rank"), places(d.rank_change))
        st.caption(
            _("plan.stake_rank_note", before=effect.baseline_rank, after=d.rank)
            + (
                " · " + _("plan.gap_next", gap=num(effect.gap_to_next))
                if effect.gap_to_next
                else ""
            )
        )


def _columns(year: int, plan_year: int) -> dict[str, object]:
    col = st.column_config
    return {
        "row": col.NumberColumn(_("plan.col_row"), width=45),
        "code": col.TextColumn(_("plan.col_code"), width=55),
        "indicator": col.TextColumn(_("plan.col_indicator"), width=230),
        "lead": col.TextColumn(_("plan.col_lead"), width=120),
        "score_2023": col.NumberColumn(
            _("plan.col_2023") if plan_year == 2023 else _("plan.col_now", year=plan_year),
            width=80,
        ),
        "score_now": col.NumberColumn(_("plan.col_now", year=year), width=80),
        "target": col.NumberColumn(_("plan.col_target"), width=75),
        "target_text": col.TextColumn(_("plan.col_target_text"), width=70),
        "raw": col.TextColumn(_("plan.pg_col_raw"), width=110),
        "points": col.TextColumn(_("plan.pg_col_points"), width=80, help=_("plan.pg_points_help")),
        "gap": col.NumberColumn(_("plan.col_gap"), width=75),
        "latest": col.TextColumn(_("plan.col_latest"), width=85),
        "done": col.ProgressColumn(
            _("plan.col_done"), min_value=0.0, max_value=100.0, format="%.0f%%", width=100
        ),
        "as_of": col.TextColumn(_("plan.col_date"), width=90),
        "pillar": col.TextColumn(_("plan.col_pillar"), width=60),
        "timeframe": col.TextColumn(_("plan.col_time"), width=100),
        "coord": col.TextColumn(_("plan.col_coord"), width=260),
    }


def table(
    rows: Sequence[planmod.PlanTarget],
    plan: planmod.Plan,
    ed: Edition,
    unit: str,
    latest: Mapping[str, ProgressEntry],
    points: Mapping[str, float] | None = None,
) -> None:
    """The plan's targets (as filtered), each with the raw value it means, the PII points it is
    worth on its own (`points`, when given), its latest reading and the way done."""
    fw = ed.framework
    ed_plan = api.edition(plan.edition)
    st.markdown(f"#### {_('plan.table')}")
    st.markdown(_("plan.shown", shown=len(rows), n=len(plan.targets)))
    now = {pt.code: score_now(ed, unit, pt.code) for pt in rows}
    other_year = ed.year != plan.edition
    view = pd.DataFrame(
        {
            "row": [pt.row for pt in rows],
            "code": [pt.code for pt in rows],
            "indicator": [names.indicator(fw, pt.code) for pt in rows],
            "lead": [names.department(pt.lead_unit, short=True) for pt in rows],
            "score_2023": [pt.baseline for pt in rows],
            **({"score_now": [now[pt.code] for pt in rows]} if other_year else {}),
            "target": [pt.target for pt in rows],
            "target_text": [plan_choice.target_text(pt) for pt in rows],
            "raw": [raw_target(plan, ed_plan, pt.code) for pt in rows],
            **(
                {"points": [num(points.get(pt.code, 0.0), 3, sign=True) for pt in rows]}
                if points is not None
                else {}
            ),
            "gap": [max(0.0, pt.target - now[pt.code]) for pt in rows],
            # Text, so a missing reading reads "–" (a number column would show "None").
            "latest": [num(latest[pt.code].score) if pt.code in latest else "–" for pt in rows],
            "done": [
                100 * planmod.progress_fraction(pt.baseline, pt.target, latest[pt.code].score)
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
        number_styler(view, {"score_2023": 2, "score_now": 2, "target": 2, "gap": 2}),
        hide_index=True,
        key="plan_table",
        height=38 + 35 * max(1, len(view)),
        column_config=_columns(ed.year, plan.edition),
    )
    st.caption(_("plan.table_caption", year=plan.edition))


def raw_target(plan: planmod.Plan, ed_plan: Edition, code: str) -> str:
    """The raw value a target means under its baseline edition's goalposts, with the unit."""
    value = plan.raw_target(ed_plan, code)
    if value is None:
        return "–"
    unit = names.indicator_unit(ed_plan.framework, code)
    return f"{raw_text(ed_plan, code, value, lang())} {unit}".strip()


def _target_text(pt: planmod.PlanTarget, now: float) -> str:
    return (
        _(
            "plan.d_target",
            text=md_text(pt.target_text),
            score=num(pt.target),
            base=num(now),
            gap=num(max(0.0, pt.target - now)),
        )
        + "  \n"
        + _("plan.d_lead", lead=md_text(names.department(pt.lead_unit)))
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


def _history(pt: planmod.PlanTarget, last: ProgressEntry, history: Sequence[ProgressEntry]):
    frac = planmod.progress_fraction(pt.baseline, pt.target, last.score)
    st.progress(
        frac,
        text=_(
            "plan.d_progress",
            score=num(last.score),
            date=fmt.date(last.as_of, lang()),
            pct=f"{num(frac * 100, 0)}%",
            base=num(pt.baseline),
            target=num(pt.target),
        ),
    )
    hist = [e for e in history if e.code == pt.code]
    kind_label = kind_labels()
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


def details(
    rows: Sequence[planmod.PlanTarget],
    ed: Edition,
    unit: str,
    latest: Mapping[str, ProgressEntry],
    history: Sequence[ProgressEntry],
) -> None:
    """Per indicator: the target, the tasks in full, progress against the target, history."""
    fw = ed.framework
    st.markdown(f"#### {_('plan.details')}")
    for pt in rows:
        lead_short = names.department(pt.lead_unit, short=True)
        title = f"**{pt.code}** · {md_text(names.indicator(fw, pt.code))} — {md_text(lead_short)}"
        with st.expander(title):
            st.markdown(_target_text(pt, score_now(ed, unit, pt.code)))
            if pt.tasks:
                # The tasks are printed in Vietnamese; an English reader is told so.
                note = "" if lang() == "vi" else f" {_('plan.d_tasks_en')}"
                st.markdown(f"{_('plan.d_tasks')}{note}")
                st.markdown("  \n".join(md_text(line) for line in pt.tasks.splitlines()))
            last = latest.get(pt.code)
            if last is not None:
                _history(pt, last, history)
            else:
                st.caption(_("plan.d_no_progress"))
