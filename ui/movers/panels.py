"""The movers page's panels: the headline, the tornado and table of every indicator's gain, the
fewest points to a target rank, the attribution of a scenario and the rank's uncertainty.
Each takes a model.movers / model.movers.uncertainty result and draws it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from model import movers as mv
from model import plan as planmod
from model.index.dataset import Edition
from model.index.framework import OUTPUT_PILLARS
from model.movers import uncertainty as unc
from model.spreadsheet import frame_csv
from ui import names, plan_choice
from ui.charts import movers_tornado
from ui.i18n import _, _n, lang, num
from ui.scenario.results import window
from ui.widgets import number_styler


def leads_of(plan, unit: str) -> dict[str, str]:
    """Indicator code -> the plan's lead department (as written), when the plan is the unit's
    (none without a plan)."""
    if plan is None or plan.unit != unit:
        return {}
    return {pt.code: pt.lead_unit for pt in plan.targets}


def highlighted_plan(ed: Edition, unit: str, plans: Sequence) -> object | None:
    """Which of the unit's plans the orange bars and the plan column mark: a picker when the
    unit has several (the pick is the plan of every page), else a line naming the plan."""
    if len(plans) > 1:
        return plan_choice.picker(ed, unit, list(plans), key="mv_plan", where=st.columns(2)[0])
    plan = plan_choice.chosen(ed, unit, list(plans))
    if plan is not None:
        st.caption(_("plan.pg_movers_plan", name=plan_choice.label(plan, 90)))
    return plan


def _lead(leads: Mapping[str, str], code: str) -> str:
    return names.department(leads[code]) if code in leads else ""


def ranked(res: mv.Movers) -> list[mv.Mover]:
    """Largest gain at the step first."""
    return sorted(res.items, key=lambda m: m.delta_pii_at_step, reverse=True)


def headline(ed: Edition, res: mv.Movers, step: float) -> None:
    """Which indicator buys most at the step, and why (its weight, or an output pillar)."""
    fw = ed.framework
    items = ranked(res)
    top = items[0]
    why = (
        _("movers.why_output")
        if fw.indicator(top.code).pillar in OUTPUT_PILLARS
        else _("movers.why_input", weight=num(100 * top.weight, 2) + "%")
    )
    # Equal weights often give several indicators the same gain: name them, do not crown one.
    tied = [m.code for m in items[1:] if abs(m.delta_pii_at_step - top.delta_pii_at_step) < 0.005]
    st.markdown(
        _(
            "movers.headline",
            code=top.code,
            name=names.indicator(fw, top.code),
            step=num(step, 0),
            gain=num(top.delta_pii_at_step, 2),
            tie=_("movers.tie", codes=", ".join(tied)) if tied else "",
            why=why,
        )
    )
    _actionable_note(ed, items, [top.code, *tied], step)
    if res.next_units:
        above = ed.name(res.next_units[0], lang())
        st.caption(
            _(
                "movers.next_unit",
                name=above,
                pii=num(res.next_pii),
                gap=num(res.next_pii - res.pii),
            )
        )


def _actionable_note(ed: Edition, items: Sequence[mv.Mover], named: list[str], step: float) -> None:
    """When the headline's indicators are ones a province cannot act on (outcomes such as 7.3.1,
    actionable.csv), say so and name the biggest lever it can act on."""
    fw = ed.framework
    cannot = [c for c in named if fw.indicator(c).actionable is False]
    if not cannot:
        return
    best = next((m for m in items if fw.indicator(m.code).actionable), None)
    text = _n("movers.fx_not_actionable", len(cannot), codes=", ".join(cannot))
    if best is not None:
        tied = [
            m.code
            for m in items
            if m.code != best.code
            and fw.indicator(m.code).actionable
            and abs(m.delta_pii_at_step - best.delta_pii_at_step) < 0.005
        ]
        text += " " + _(
            "movers.fx_best_actionable",
            code=best.code,
            name=names.indicator(fw, best.code),
            tie=_("movers.tie", codes=", ".join(tied)) if tied else "",
            step=num(step, 0),
            gain=num(best.delta_pii_at_step, 2),
        )
    st.info(text, icon=":material/pan_tool:")


def plan_legend(plan) -> str:
    """What the orange bars are: the built-in plan's indicators, or the named plan's."""
    if plan is None or plan.plan_id == planmod.SEED_ID:
        return _("movers.plan_legend")
    return _("plan.pg_movers_legend", name=plan_choice.label(plan, 60))


def tornado(
    ed: Edition,
    items: Sequence[mv.Mover],
    leads: Mapping[str, str],
    step: float,
    legend: str | None = None,
):
    """The 15 largest gains as bars, the plan's indicators in orange."""
    fw = ed.framework
    shown = list(items[:15])
    fig = movers_tornado(
        [f"{m.code} · {names.indicator(fw, m.code)[:48]}" for m in shown],
        [m.delta_pii_at_step for m in shown],
        [m.code in leads for m in shown],
        [_lead(leads, m.code) for m in shown],
        fmt=lambda v: num(v, 2, sign=True),
        lang=lang(),
    )
    st.markdown(
        f"**{_('movers.tornado', step=num(step, 0))}** — "
        f":orange[■] {legend or _('movers.plan_legend')} · :blue[■] {_('movers.other_legend')}"
    )
    st.plotly_chart(
        fig,
        config={"displayModeBar": False},
        key="mv_tornado",
        alt=_(
            "movers.tornado_alt",
            step=num(step, 0),
            n=len(shown),
            top="; ".join(f"{m.code} {num(m.delta_pii_at_step, 2, sign=True)}" for m in shown[:3]),
        ),
    )


def table(ed: Edition, items: Sequence[mv.Mover], leads: Mapping[str, str], step: float) -> None:
    """Every indicator: the gain at the step first (code, name and gain stay in view at 1280 px,
    pinned while the rest scrolls), then rank, weight, gain per point, PII and rank at best."""
    fw = ed.framework
    st.markdown(f"**{_('movers.table')}**")
    code, name = _("movers.col_code"), _("movers.col_name")
    gain = _("movers.col_gain_step", step=num(step, 0))
    view = pd.DataFrame(
        {
            code: [m.code for m in items],
            name: [names.indicator(fw, m.code) for m in items],
            gain: [m.delta_pii_at_step for m in items],
            _("movers.col_rank_step"): [m.rank_at_step for m in items],
            _("movers.col_score"): [m.score for m in items],
            _("movers.col_weight"): [100 * m.weight for m in items],
            _("movers.col_per_point"): [m.delta_pii_per_point for m in items],
            _("movers.col_pii_step"): [m.pii_at_step for m in items],
            _("movers.col_rank_best"): [m.rank_at_best for m in items],
            _("movers.col_to_next"): [m.points_to_next_rank for m in items],
            _("movers.col_lead"): [_lead(leads, m.code) for m in items],
        }
    )
    col = st.column_config
    st.dataframe(
        number_styler(
            view,
            {
                gain: 2,
                _("movers.col_score"): 2,
                _("movers.col_weight"): 2,
                _("movers.col_per_point"): 4,
                _("movers.col_pii_step"): 2,
                _("movers.col_to_next"): 1,
            },
            signed=[gain],
            highlight=[m.code in leads for m in items],
        ),
        hide_index=True,
        key="mv_table",
        column_config={
            code: col.TextColumn(code, width=56, pinned=True),
            name: col.TextColumn(name, width=300, pinned=True),
            gain: col.Column(gain, width=110, pinned=True),
        },
    )


WITHIN_LABELS = {
    "actionable": "movers.within_actionable",
    "plan": "movers.within_plan",
    "levers": "movers.within_levers",
    "all": "movers.within_all",
    "custom": "movers.within_custom",
}


def reach_within(ed: Edition, plan, unit: str, where) -> tuple[str, ...] | None:
    """The indicators reach may raise, as chosen in `where` (model.movers.allowed_codes); None
    when a custom list is empty (said on screen). The plan's are offered for the plan's unit."""
    fw = ed.framework
    options = [w for w in mv.WITHIN if w != "plan" or (plan and plan.applies_to(ed, unit))]
    within = where.selectbox(
        _("movers.reach_within"),
        options,
        format_func=lambda w: _(WITHIN_LABELS[w], m=fw.m),
        key="mv_within",
    )
    if within != "custom":
        return mv.allowed_codes(ed, within, plan=plan if within == "plan" else None)
    picked = st.multiselect(
        _("movers.codes_pick"),
        fw.codes,
        format_func=lambda c: f"{c} · {names.indicator(fw, c, 60)}",
        key="mv_codes",
        placeholder=_("movers.codes_placeholder"),
    )
    if not picked:
        st.info(_("movers.codes_none"))
        return None
    return mv.allowed_codes(ed, "custom", codes=picked)


def not_actionable(ed: Edition, allowed: Sequence[str]) -> None:
    """How many indicators may move, and which ones a province cannot move directly, and why."""
    fw = ed.framework
    st.caption(_n("movers.within_count", len(allowed), n=len(allowed)))
    out = [i for i in fw.indicators if i.actionable is False]
    with st.expander(_("movers.excluded_title", n=len(out))):
        st.markdown(
            "\n".join(
                f"- **{i.code}** {names.indicator(fw, i.code)} — {i.actionable_reason(lang())}"
                for i in out
            )
        )


def reach_result(ed: Edition, rr: mv.Reach, k: int, cap: float) -> bool:
    """The verdict and the gains that reach rank `k`, with a word on gains a province cannot
    make directly (outcomes, when the user let them move); True when there are gains to apply."""
    if not rr.feasible:
        st.warning(_("movers.reach_no", target=k, cap=num(cap, 0), best=rr.best_rank))
        return False
    if not rr.gains:
        st.success(_("movers.reach_there", rank=rr.rank))
        return False
    st.success(
        _(
            "movers.reach_ok",
            rank=rr.rank,
            points=num(rr.total_points, 1),
            n=len(rr.gains),
            pii=num(rr.pii),
        )
    )
    st.dataframe(
        number_styler(
            pd.DataFrame(
                {
                    _("movers.col_code"): [g.code for g in rr.gains],
                    _("movers.col_name"): [names.indicator(ed.framework, g.code) for g in rr.gains],
                    _("movers.col_gain"): [g.delta_score for g in rr.gains],
                    _("movers.col_to"): [g.to_score for g in rr.gains],
                }
            ),
            {_("movers.col_gain"): 2, _("movers.col_to"): 2},
        ),
        hide_index=True,
        key="mv_reach",
    )
    outcomes = [g.code for g in rr.gains if ed.framework.indicator(g.code).actionable is False]
    if outcomes:
        st.warning(_("movers.reach_outcomes", codes=", ".join(outcomes)))
    return True


def attribution(ed: Edition, att: mv.Attribution) -> None:
    """Each target's share of the scenario's PII change."""
    st.caption(_("movers.attr_linear") if att.method == "linear" else _("movers.attr_shapley"))
    st.dataframe(
        number_styler(
            pd.DataFrame(
                {
                    _("movers.col_code"): [s.code for s in att.items],
                    _("movers.col_name"): [
                        names.indicator(ed.framework, s.code) for s in att.items
                    ],
                    _("movers.col_share"): [s.delta_pii for s in att.items],
                }
            ),
            {_("movers.col_share"): 3},
            signed=[_("movers.col_share")],
        ),
        hide_index=True,
        key="mv_attr",
    )


def draws_table(params: pd.DataFrame) -> pd.DataFrame:
    """The draws for the download, in the reader's language: headers and values (the model keeps
    English keys, as the CLI's JSON does); weights rounded to 4 decimals."""
    names = {"run": _("movers.csv_run"), "aggregation": _("movers.csv_aggregation")}
    names |= {"outliers": _("movers.csv_outliers"), "rank_baseline": _("movers.csv_rank_base")}
    names["rank_scenario"] = _("movers.csv_rank_scenario")
    out = params.copy()
    agg = {"arithmetic": _("movers.csv_arithmetic"), "geometric": _("movers.csv_geometric")}
    out["aggregation"] = out["aggregation"].map(agg)
    out["outliers"] = out["outliers"].map({True: _("movers.csv_yes"), False: _("movers.csv_no")})
    for col in out.columns:
        kind, _sep, tail = col.partition("_")
        if kind in ("pillar", "indicator") and tail:
            names[col] = _("movers.csv_weight", item=tail)
            out[col] = out[col].round(4)
    return out.rename(columns=names)


def uncertainty(ed: Edition, unit: str, result: unc.Uncertainty) -> None:
    """The verdict and the ranks' intervals of the units around the unit, with the draws."""
    u = result.slugs.index(unit)
    if result.scenario_ranks is not None and result.unit == unit:
        st.info(result.verdict(unit, lang()))
    rows = window(sorted(range(len(result.slugs)), key=lambda i: result.nominal[i]), u)
    st.dataframe(
        pd.DataFrame(
            {
                _("movers.col_unit"): [
                    ("➤ " if i == u else "") + ed.name(result.slugs[i], lang()) for i in rows
                ],
                _("movers.col_nominal"): [int(result.nominal[i]) for i in rows],
                _("movers.col_median"): [int(result.median[i]) for i in rows],
                _("movers.col_p5"): [int(result.p5[i]) for i in rows],
                _("movers.col_p95"): [int(result.p95[i]) for i in rows],
            }
        ),
        hide_index=True,
        key="mv_unc_table",
    )
    st.download_button(
        _("movers.download"),
        frame_csv(draws_table(result.parameters), bom=False),
        file_name=f"pii-uncertainty-{unit}-{ed.year}.csv",
        mime="text/csv",
        on_click="ignore",
        key="mv_download",
    )
