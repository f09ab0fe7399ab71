"""The scenario page's result column: the PII and rank it buys, what the numbers rest on, the
contributions, the pillars before and after, the ranking around the unit and a shareable link.
Each block takes the model's Outcome and draws it. An estimated baseline (PII, rank) carries its
estimate range (model.estimates.quality.intervals); a published one has none.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model.estimates.quality import intervals, marks
from model.index.dataset import Edition
from model.index.framework import PILLARS
from model.index.scenario import Outcome, Scenario
from ui import frame, names, plan_choice, state
from ui import loaders as data
from ui.charts import contribution_waterfall, pillars_before_after
from ui.i18n import _, _n, err, lang, name_of, num
from ui.provenance import cells_line, rank_span, span
from ui.widgets import places


def _delta(new: float, old: float) -> str | None:
    return num(new - old, sign=True) if abs(new - old) >= 0.005 else None


def baseline_intervals(ed: Edition) -> intervals.Intervals:
    """The estimate ranges of the edition's baseline (NaN / 0 where published), computed once
    per edition and published table by model.estimates.quality.intervals.for_edition."""
    return intervals.for_edition(ed, data.published(ed.year))


def metrics(out: Outcome) -> None:
    """PII, rank, input and output of the scenario, each against the baseline; under PII and
    rank, the baseline's estimate range when the baseline is an estimate."""
    s = out.summary()
    b, r, n = s["baseline"], s["scenario"], out.edition.n
    iv = baseline_intervals(out.edition).of(out.unit_index)
    m = st.columns(2) + st.columns(2)
    m[0].metric(_("scenario.pii_delta"), num(r["pii"]), _delta(r["pii"], b["pii"]), border=True)
    if pii_range := span(iv["pii_low"], iv["pii_high"], glue=True):
        m[0].caption(_("scenario.interval_pii", range=pii_range), help=_("common.interval_help"))
    moved = b["rank"] - r["rank"]
    m[1].metric(
        _("scenario.rank_delta"),
        f"{r['rank']}/{n}",
        _("scenario.ranks_up", n=num(moved, 0, sign=True)) if moved else None,
        border=True,
    )
    # Places gained past provinces whose scores are estimated: a range, not a bare count
    every = baseline_intervals(out.edition)
    low, high = marks.places_range(
        out.baseline.pii, out.result.pii, out.unit_index, every.pii_low, every.pii_high
    )
    if low != high:
        m[1].caption(places(moved, low, high))
    if rank_range := rank_span(iv["rank_low"], iv["rank_high"], glue=True):
        m[1].caption(_("scenario.interval_rank", range=rank_range), help=_("common.interval_help"))
    m[2].metric(_("common.input"), num(r["input"]), _delta(r["input"], b["input"]), border=True)
    m[3].metric(_("common.output"), num(r["output"]), _delta(r["output"], b["output"]), border=True)


def provenance(out: Outcome, unit_name: str) -> None:
    """What the numbers rest on, the next edition's published result, capped targets."""
    ed, unit = out.edition, out.scenario.unit
    st.markdown(cells_line(ed, unit), help=_("common.prov_badge"))
    nxt = data.next_published(unit, ed.year)
    if nxt and nxt["pii"] is not None:
        st.caption(
            _(
                "scenario.vs_published",
                year=nxt["edition"],
                unit=unit_name,
                pii=num(nxt["pii"]),
                rank=nxt["rank"],
            )
        )
    if out.notices:  # targets beyond the national range: capped, or the goalposts move
        st.warning("  \n".join(err(m) for m in out.notices))


# What a held value beyond the national range does, by scale and side (a short phrase).
SIDES = {
    ("frozen", "high"): "scenario.side_capped_high",
    ("frozen", "low"): "scenario.side_capped_low",
    ("renormalize", "high"): "scenario.side_new_max",
    ("renormalize", "low"): "scenario.side_new_min",
}


def outside_items(ed: Edition, outside: list[tuple[str, float, str]], scale: str) -> str:
    """Each held value beyond the range, raw and with its side: 2.2.3 = 10,000 % GRDP
    (chặn ở 100), …"""
    fw = ed.framework
    return ", ".join(
        f"{code} = {num(float(ed.score_to_raw(code, v)), ed.raw_decimals(code))} "
        f"{names.indicator_unit(fw, code)} ({_(SIDES[(scale, side)])})"
        for code, v, side in outside
    )


def _no_change(out: Outcome) -> None:
    """Nothing changed yet: how to change something, naming a plan button only when the unit
    has one (the seed's «Kế hoạch 2024» is Bắc Giang's, not every province's)."""
    plans = plan_choice.plans_here(out.edition, out.scenario.unit)
    if plans:
        st.info(_("scenario.fx_no_change_plan", plan=plan_choice.label(plans[0])))
    else:
        st.info(_("scenario.fx_no_change"))


def waterfall(out: Outcome) -> None:
    """The change from the baseline PII, indicator by indicator, with its table."""
    fw = out.edition.framework
    s = out.summary()
    base, total = s["baseline"]["pii"], s["scenario"]["pii"]
    contrib = pd.DataFrame(s["contributions"], columns=["code", "delta_score", "delta_pii"])
    st.markdown(f"**{_('scenario.waterfall')}**")
    if contrib.empty:
        _no_change(out)
        return
    contrib = contrib.sort_values("delta_pii", key=abs, ascending=False)
    contrib["label"] = contrib["code"]
    fig = contribution_waterfall(
        contrib,
        base,
        _("scenario.after"),
        _("scenario.before"),
        fmt=lambda v: num(v, 2, sign=True),
        lang=lang(),
        others_label=lambda n: _n("scenario.others_bar", n, n=n),
    )
    top = ", ".join(
        f"{c} {num(v, 2, sign=True)}"
        for c, v in contrib[["code", "delta_pii"]].head(3).itertuples(index=False)
    )
    st.plotly_chart(
        fig,
        config={"displayModeBar": False},
        key="waterfall",
        alt=_("scenario.waterfall_alt", base=num(base), total=num(total), n=len(contrib), top=top),
    )
    st.caption(_("scenario.waterfall_note"))
    with st.expander(_("common.chart_data")):
        st.dataframe(
            pd.DataFrame(
                {
                    _("scenario.col_code"): contrib["code"],
                    _("common.indicator"): [names.indicator(fw, c) for c in contrib["code"]],
                    "Δ " + _("common.score"): [
                        num(v, 2, sign=True) for v in contrib["delta_score"]
                    ],
                    "Δ PII": [num(v, 3, sign=True) for v in contrib["delta_pii"]],
                }
            ),
            hide_index=True,
        )


def pillars(out: Outcome) -> None:
    """The seven pillars before and after, as bars and as a table."""
    fw = out.edition.framework
    u = out.unit_index
    before, after = out.baseline.pillars[u], out.result.pillars[u]
    st.markdown(f"**{_('scenario.pillars_chart')}**")
    pnames = [f"{p}. {names.pillar(fw, p)}" for p in PILLARS]
    st.plotly_chart(
        pillars_before_after(
            pnames,
            before,
            after,
            (_("scenario.before"), _("scenario.after")),
            fmt=lambda v: num(v),
            lang=lang(),
        ),
        config={"displayModeBar": False},
        key="pillars",
        alt=_(
            "scenario.pillars_alt",
            values="; ".join(
                f"{name}: {num(before[k])} → {num(after[k])}" for k, name in enumerate(pnames)
            ),
        ),
    )
    with st.expander(_("common.chart_data")):
        st.table(
            pd.DataFrame(
                {
                    _("common.pillar"): pnames,
                    _("scenario.before"): [num(v) for v in before],
                    _("scenario.after"): [num(v) for v in after],
                    "Δ": [num(y - x, sign=True) for x, y in zip(before, after, strict=True)],
                }
            ),
            hide_index=True,
            border="horizontal",
        )


def window(order: list[int], u: int, k: int = 5) -> list[int]:
    """The `k` entries before and after `u` in `order` (fewer at either end)."""
    pos = order.index(u)
    return order[max(0, pos - k) : pos + k + 1]


def ranking_around(out: Outcome, unit_name: str) -> None:
    """The units ranked around the unit after the scenario, with how each moved and the
    estimate range of each estimated baseline PII."""
    ed, u = out.edition, out.unit_index
    b, r = out.baseline, out.result
    iv = baseline_intervals(ed)
    range_col, interval_help = _("scenario.col_range0"), _("common.interval_help")
    st.markdown(f"**{_('scenario.ranking_around', unit=unit_name)}**")
    rows = window(sorted(range(ed.n), key=lambda k: (r.rank[k], ed.slugs[k])), u)
    unit_names = ed.units.apply(name_of, axis=1).to_list()

    def _move(k: int) -> str:
        d = int(b.rank[k] - r.rank[k])
        return f"▲ {d}" if d > 0 else (f"▼ {-d}" if d < 0 else "–")

    around = pd.DataFrame(
        {
            _("scenario.col_rank"): [int(r.rank[k]) for k in rows],
            _("scenario.col_move"): [_move(k) for k in rows],
            _("scenario.col_unit"): [("➤ " if k == u else "") + unit_names[k] for k in rows],
            _("scenario.col_pii"): [num(r.pii[k]) for k in rows],
            _("scenario.col_pii0"): [num(b.pii[k]) for k in rows],
            range_col: [span(iv.pii_low[k], iv.pii_high[k]) for k in rows],
        }
    )
    # Narrow columns so that the estimate range fits the result column at 1280 px.
    widths = dict(zip(around.columns, (42, 56, 104, 74, 58, 86), strict=True))
    st.dataframe(
        around,
        hide_index=True,
        key="around",
        height=38 + 35 * len(around),  # every row visible, no inner scroll
        column_config={  # a header cut short by its width shows in full in its tooltip
            c: st.column_config.Column(width=w, help=c) for c, w in widths.items()
        }
        | {range_col: st.column_config.Column(width=widths[range_col], help=interval_help)},
    )
    if around[range_col].any():
        st.caption(_("scenario.around_caption"), help=interval_help)


def share(scenario: Scenario, frame_lang: str) -> None:
    """A link that reopens this scenario (language-neutral values)."""
    st.markdown(f"**{_('scenario.share')}**")
    params: dict[str, object] = {
        "lang": frame_lang,
        "edition": scenario.edition,
        "unit": scenario.unit,
        "scale": scenario.scale,
        **state.link_assumptions(scenario),
        "t": state.encode_targets(scenario),
    }
    st.code(frame.share_url(params), language=None, wrap_lines=True)
    st.caption(_("scenario.share_help"))


def headline(out: Outcome) -> None:
    """The top of the result column: the PII and rank. The page draws it before the sliders,
    so that a moved slider's new rank reaches the browser first."""
    st.subheader(_("scenario.results"))
    metrics(out)


def details(out: Outcome, unit_name: str, frame_lang: str) -> None:
    """The rest of the result column, under the headline."""
    provenance(out, unit_name)
    waterfall(out)
    pillars(out)
    ranking_around(out, unit_name)
    share(out.scenario, frame_lang)


def render(out: Outcome, unit_name: str, frame_lang: str) -> None:
    """The whole result column, in the page's order."""
    headline(out)
    details(out, unit_name, frame_lang)
