"""Merged provinces (2025): a unit's pre-merger parts in 2024, the estimate from them, and the
unit as the 2025 edition has it, side by side (a table and a grouped bar chart).

    from ui.data.merge import render_merge
    render_merge(unit_slug, lang)

`unit_slug` is a unit of the 2025 edition; a 2024 province that was merged (e.g. bac-giang)
shows the unit it became, with a note. Every number carries its provenance: official,
published, reconstructed estimate, or estimate from the parts (model/merge.py, rules in
data/sources/merge_rules.csv). Texts from the catalogues (`merge.*` ids), in the language
passed in.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from model import fmt
from model import i18n as core
from model.index.dataset import Edition, UnknownName
from model.merge import MergeEstimate, estimate_from_parts, side_by_side
from ui import loaders as data
from ui.charts import BLUE, DARK, GREY, ORANGE
from ui.figures import FONT, separators

# Provenance of a number: symbol and bar colour. The first four match ui.widgets.PROVENANCE.
SYMBOL = {
    "official": "✔",
    "published": "●",
    "statistics": "∑",  # computed from official statistics (issue 21)
    "reconstructed": "≈",
    "estimate_from_parts": "◇",
    "not_comparable": "∅",
}
PART_COLOURS = (GREY, "#4b5563", "#9ca3af")


_t = core.gettext  # (lang, id, **params): the view is drawn for a language passed in
LEVELS = {"pii": "merge.pii", "input": "merge.input", "output": "merge.output"}
PROV = {
    "official": "merge.prov_official",
    "published": "merge.prov_published",
    "statistics": "statistics.prov_statistics",
    "reconstructed": "merge.prov_reconstructed",
    "estimate_from_parts": "merge.prov_estimate_from_parts",
    "not_comparable": "merge.prov_not_comparable",
}
RULES = {
    "sum": "merge.rule_sum",
    "population_mean": "merge.rule_population_mean",
    "denominator_mean": "merge.rule_denominator_mean",
    "max": "merge.rule_max",
    "min": "merge.rule_min",
}
WEIGHTS = {
    "": "merge.w_",
    "employed": "merge.w_employed",
    "equal": "merge.w_equal",
    "firms": "merge.w_firms",
    "grdp": "merge.w_grdp",
    "manufacturing": "merge.w_manufacturing",
    "new_firms": "merge.w_new_firms",
    "population": "merge.w_population",
}


def _n(x: object, lang: str, d: int = 2) -> str:
    return fmt.number(None if x is None or x is pd.NA else float(x), lang, d)


def _resolve(slug: str, ed_next: Edition, lang: str) -> str | None:
    """The 2025 unit to show for `slug`: itself, or the unit a merged 2024 province became."""
    if slug in ed_next.slugs:
        return slug
    for s, merged in zip(ed_next.units["slug"], ed_next.units["merged_from"], strict=True):
        if slug in str(merged or "").split(";"):
            old = data.edition(ed_next.year - 1)
            old_name = old.name(slug, lang) if slug in old.slugs else slug
            st.info(_t(lang, "merge.redirect", old=old_name, new=ed_next.name(s, lang)))
            return s
    return None


def _label(row: pd.Series, ed: Edition, lang: str) -> str:
    if row["level"] == "pillar":
        names = ed.framework.pillar_names.get(row["item"], (row["item"], row["item"]))
        return _t(lang, "merge.pillar", p=row["item"], name=names[0 if lang == "vi" else 1])
    return _t(lang, LEVELS[row["level"]])


def _cell(value: object, rank: object, n: int, prov: str, lang: str) -> str:
    if value is None or value is pd.NA or value != value:
        return f"– {SYMBOL.get(prov, '')}".strip()
    rank_text = (
        "" if rank is None or rank is pd.NA else f" ({_t(lang, 'merge.rank_of', rank=rank, n=n)})"
    )
    return f"{_n(value, lang)}{rank_text} {SYMBOL.get(prov, '')}"


def _published(years: Sequence[int]) -> pd.DataFrame:
    return pd.concat([data.published(y) for y in years], ignore_index=True)


def render_merge(unit_slug: str, lang: str) -> None:
    """The side-by-side view of a 2025 unit and its pre-merger parts (see the module docstring)."""
    lang = lang if lang in core.LANGS else "vi"
    years = data.editions()
    ed_next = data.edition(max(years))
    ed_prev = data.edition(max(y for y in years if y < ed_next.year))
    unit = _resolve(unit_slug, ed_next, lang)
    if unit is None:
        st.warning(_t(lang, "merge.unknown", slug=unit_slug, next=ed_next.year))
        return
    try:
        est: MergeEstimate = estimate_from_parts(unit, ed_prev, ed_next)
    except UnknownName as exc:  # a part missing from the previous edition
        st.warning(core.render(exc, lang))
        return
    df = side_by_side(unit, (ed_prev, ed_next), _published((ed_prev.year, ed_next.year)), est)
    name = ed_next.name(unit, lang)
    part_names = [ed_prev.name(p, lang) for p in est.parts]
    kw = {"name": name, "prev": ed_prev.year, "next": ed_next.year}

    st.subheader(_t(lang, "merge.title", name=name))
    if len(est.parts) > 1:
        st.markdown(_t(lang, "merge.formed", parts=", ".join(part_names), **kw))
    else:
        st.markdown(_t(lang, "merge.single", **kw))

    agg = df[df["level"] != "indicator"].reset_index(drop=True)
    pii = agg.iloc[0]
    mcol, pcols = df.attrs["merged_column"], df.attrs["part_columns"]
    c1, c2 = st.columns(2)
    c1.metric(
        _t(lang, "merge.metric_estimate"),
        _n(est.pii, lang),
        _t(lang, "merge.metric_rank", rank=est.rank, n=ed_next.n),
        delta_color="off",
        delta_arrow="off",
    )
    c2.metric(
        _t(lang, "merge.metric_merged", year=ed_next.year, name=name),
        _n(pii[mcol], lang),
        _t(lang, "merge.metric_rank", rank=pii[f"{mcol}_rank"], n=ed_next.n),
        delta_color="off",
        delta_arrow="off",
    )

    # ---- the table ----------------------------------------------------------------------
    headers = [_t(lang, "merge.part_col", name=n, year=ed_prev.year) for n in part_names]
    est_h = _t(lang, "merge.estimate_col")
    merged_h = _t(lang, "merge.merged_col", name=name, year=ed_next.year)
    rows = []
    for _x, r in agg.iterrows():
        row = {_t(lang, "merge.level"): _label(r, ed_next, lang)}
        for h, c in zip(headers, pcols, strict=True):
            row[h] = _cell(r[c], r[f"{c}_rank"], ed_prev.n, r[f"{c}_provenance"], lang)
        row[est_h] = _cell(
            r["estimate"], r["estimate_rank"], ed_next.n, r["estimate_provenance"], lang
        )
        row[merged_h] = _cell(r[mcol], r[f"{mcol}_rank"], ed_next.n, r[f"{mcol}_provenance"], lang)
        rows.append(row)
    table = pd.DataFrame(rows)
    st.table(table, hide_index=True, border="horizontal")
    kinds = sorted(
        {str(v) for c in [*pcols, "estimate", mcol] for v in agg[f"{c}_provenance"]},
        key=list(SYMBOL).index,
    )
    st.caption(
        _t(lang, "merge.legend")
        + " "
        + " · ".join(f"{SYMBOL[k]} {_t(lang, PROV[k])}" for k in kinds)
    )
    st.caption(_t(lang, "merge.rank_note", n=ed_next.n, n_prev=ed_prev.n, **kw))

    # ---- the chart ----------------------------------------------------------------------
    x = [
        _t(lang, "merge.pillar_short", p=r["item"])
        if r["level"] == "pillar"
        else _t(lang, LEVELS[r["level"]])
        for _x, r in agg.iterrows()
    ]
    fig = go.Figure()
    series = [
        (h, c, PART_COLOURS[k % len(PART_COLOURS)])
        for k, (h, c) in enumerate(zip(headers, pcols, strict=True))
    ]
    series += [(est_h, "estimate", ORANGE), (merged_h, mcol, BLUE)]
    for label, col, colour in series:
        provs = [_t(lang, PROV[str(p)]) for p in agg[f"{col}_provenance"]]
        fig.add_bar(
            x=x,
            y=agg[col].astype(float).tolist(),
            name=label,
            marker_color=colour,
            customdata=provs,
            hovertemplate="%{x}<br>" + label + ": <b>%{y:.2f}</b><br>%{customdata}<extra></extra>",
        )
    fig.update_layout(
        barmode="group",
        height=420,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=FONT,
        separators=separators(lang),
        plot_bgcolor="white",
        paper_bgcolor="white",
        yaxis={
            "range": [0, 100],
            "gridcolor": "#e5e7eb",
            "title": {"text": _t(lang, "merge.chart_axis"), "font": {"size": 14, "color": DARK}},
        },
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    st.plotly_chart(
        fig,
        width="stretch",
        key=f"merge_chart_{unit}",
        alt=_t(lang, "merge.chart_alt", parts=", ".join(part_names), **kw),
        config={"displayModeBar": False, "scrollZoom": False, "responsive": True},
    )
    st.caption(_t(lang, "merge.chart_alt", parts=", ".join(part_names), **kw))

    # ---- how, and each indicator ----------------------------------------------------------
    st.caption(_t(lang, "merge.how", **kw))
    if est.not_comparable:
        st.caption(_t(lang, "merge.not_comparable", codes=", ".join(est.not_comparable), **kw))
    if est.population_missing:
        missing = ", ".join(ed_prev.name(p, lang) for p in est.population_missing)
        rest = (
            "merge.population_equal"
            if len(est.population_missing) == len(est.parts)
            else "merge.population_mean"
        )
        st.caption(_t(lang, "merge.population", parts=missing, rest=_t(lang, rest)))
    with st.expander(_t(lang, "merge.indicators")):
        ind = df[df["level"] == "indicator"]
        fw = ed_next.framework
        rows = []
        for _x, r in ind.iterrows():
            code = r["item"]
            rule = est.rules[code]
            row = {
                _t(lang, "merge.code"): code,
                _t(lang, "merge.indicator"): getattr(fw.indicator(code), f"name_{lang}"),
                _t(lang, "merge.rule"): _t(lang, RULES[rule.rule]),
                _t(lang, "merge.weight"): _t(lang, WEIGHTS[rule.weight_used]),
            }
            for h, c in zip(headers, pcols, strict=True):
                row[h] = _cell(r[c], None, ed_prev.n, r[f"{c}_provenance"], lang)
            row[est_h] = _cell(r["estimate"], None, ed_next.n, r["estimate_provenance"], lang)
            row[merged_h] = _cell(r[mcol], None, ed_next.n, r[f"{mcol}_provenance"], lang)
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
