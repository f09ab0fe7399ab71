"""Merged provinces (2025): a unit's pre-merger parts in 2024, the estimate from them, and the
unit as the 2025 edition has it, side by side (a table and a grouped bar chart).

    from ui.merge_view import render_merge
    render_merge(unit_slug, lang)

`unit_slug` is a unit of the 2025 edition; a 2024 province that was merged (e.g. bac-giang)
shows the unit it became, with a note. Every number carries its provenance: official,
published, reconstructed estimate, or estimate from the parts (model/merge.py, rules in
data/sources/merge_rules.csv). Texts in Vietnamese and English (`MERGE_TEXT`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from model import fmt
from model.dataset import Edition, UnknownName
from model.merge import MergeEstimate, estimate_from_parts, side_by_side
from ui import data
from ui.figures import FONT, separators
from ui.scenario_figures import BLUE, DARK, GREY, ORANGE

MERGE_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Tỉnh hợp nhất (2025): {name}",
        "formed": "Từ 1/7/2025, {name} gồm: {parts}. Bảng so sánh kết quả PII {prev} của từng "
        "tỉnh cũ, ước tính từ các tỉnh cũ và kết quả PII {next} của {name}.",
        "single": "{name} không sáp nhập với tỉnh nào; ước tính chỉ là các giá trị {prev} của chính "
        "tỉnh, chấm lại theo ngưỡng min–max {next}.",
        "redirect": "{old} thuộc {new} từ 1/7/2025; đang hiển thị {new}.",
        "unknown": "Không có địa phương «{slug}» trong PII {next}.",
        "level": "Cấp",
        "pii": "PII",
        "input": "Đầu vào",
        "output": "Đầu ra",
        "pillar": "Trụ cột {p}. {name}",
        "pillar_short": "Trụ cột {p}",
        "part_col": "{name} {year}",
        "estimate_col": "Ước tính từ các tỉnh cũ",
        "merged_col": "{name} {year}",
        "rank_of": "hạng {rank}/{n}",
        "metric_estimate": "PII ước tính từ các tỉnh cũ",
        "metric_merged": "PII {year} của {name}",
        "metric_rank": "hạng {rank}/{n}",
        "prov_official": "Chính thức",
        "prov_published": "Đã công bố",
        "prov_reconstructed": "Ước tính tái dựng",
        "prov_estimate_from_parts": "Ước tính từ các tỉnh cũ",
        "prov_not_comparable": "Không so sánh được",
        "legend": "Nguồn của từng số:",
        "chart_axis": "Điểm (0–100)",
        "chart_alt": "Biểu đồ cột nhóm: PII, đầu vào, đầu ra và 7 trụ cột của {parts} năm {prev}, "
        "ước tính từ các tỉnh cũ, và {name} năm {next}.",
        "chart_table": "Bảng số liệu của biểu đồ",
        "rank_note": "Hạng của ước tính: vị trí trong {n} địa phương năm {next} nếu {name} có các "
        "giá trị ước tính, các địa phương khác giữ giá trị năm {next}. Hạng của tỉnh cũ: trong "
        "{n_prev} tỉnh năm {prev}.",
        "how": "Cách ước tính: mỗi chỉ số gộp từ giá trị {prev} của các tỉnh cũ theo quy tắc trong "
        "data/sources/merge_rules.csv (cộng cho số tuyệt đối, bình quân theo dân số cho chỉ số "
        "bình quân đầu người, bình quân theo mẫu số như GRDP hoặc số doanh nghiệp cho tỷ lệ), rồi "
        "chấm điểm theo ngưỡng min–max {next} (giới hạn 0–100). Giá trị {prev} của các tỉnh cũ "
        "phần lớn là ước tính tái dựng, nên ước tính này cũng chỉ là ước tính.",
        "not_comparable": "Không so sánh được (chỉ số đổi định nghĩa giữa {prev} và {next}, bỏ "
        "qua trong ước tính): {codes}.",
        "population": "Dân số: units.csv không có dân số của {parts}; {rest}.",
        "population_equal": "các tỉnh cũ có trọng số bằng nhau",
        "population_mean": "dùng trung bình dân số của các tỉnh còn lại",
        "indicators": "Từng chỉ số: quy tắc gộp và điểm",
        "code": "Mã",
        "indicator": "Chỉ số",
        "rule": "Quy tắc",
        "weight": "Trọng số",
        "rule_sum": "cộng",
        "rule_population_mean": "bình quân theo dân số",
        "rule_denominator_mean": "bình quân theo mẫu số",
        "rule_max": "lớn nhất",
        "rule_min": "nhỏ nhất",
        "w_population": "dân số",
        "w_equal": "bằng nhau (thiếu dân số)",
        "w_grdp": "GRDP",
        "w_firms": "số doanh nghiệp",
        "w_employed": "số lao động",
        "w_new_firms": "số doanh nghiệp mới",
        "w_manufacturing": "giá trị công nghiệp chế biến",
        "w_": "–",
    },
    "en": {
        "title": "Merged province (2025): {name}",
        "formed": "Since 1 July 2025, {name} is made of: {parts}. The table compares each former "
        "province's PII {prev} results, the estimate from the former provinces and {name}'s "
        "PII {next} results.",
        "single": "{name} was not merged; the estimate is just its own {prev} values re-scored "
        "under the {next} min–max goalposts.",
        "redirect": "{old} is part of {new} since 1 July 2025; showing {new}.",
        "unknown": "There is no unit “{slug}” in PII {next}.",
        "level": "Level",
        "pii": "PII",
        "input": "Input",
        "output": "Output",
        "pillar": "Pillar {p}. {name}",
        "pillar_short": "Pillar {p}",
        "part_col": "{name} {year}",
        "estimate_col": "Estimate from the former provinces",
        "merged_col": "{name} {year}",
        "rank_of": "rank {rank}/{n}",
        "metric_estimate": "PII estimated from the former provinces",
        "metric_merged": "{name}'s PII {year}",
        "metric_rank": "rank {rank}/{n}",
        "prov_official": "Official",
        "prov_published": "Published",
        "prov_reconstructed": "Reconstructed estimate",
        "prov_estimate_from_parts": "Estimate from the former provinces",
        "prov_not_comparable": "Not comparable",
        "legend": "Where each number comes from:",
        "chart_axis": "Score (0–100)",
        "chart_alt": "Grouped bar chart: PII, input, output and the 7 pillars of {parts} in "
        "{prev}, the estimate from the former provinces, and {name} in {next}.",
        "chart_table": "The chart's numbers as a table",
        "rank_note": "The estimate's rank: its place among the {n} units of {next} if {name} had "
        "the estimated values, every other unit as in {next}. Former provinces' ranks: among the "
        "{n_prev} provinces of {prev}.",
        "how": "How it is estimated: each indicator is combined from the former provinces' {prev} "
        "values with the rule in data/sources/merge_rules.csv (a sum for absolute amounts, a "
        "population-weighted mean for per-capita rates, a mean weighted by the denominator such "
        "as GRDP or the number of firms for ratios), then scored under the {next} min–max "
        "goalposts (capped to 0–100). The former provinces' {prev} values are mostly "
        "reconstructed estimates, so this is an estimate too.",
        "not_comparable": "Not comparable (the indicator was redefined between {prev} and {next}; "
        "left out of the estimate): {codes}.",
        "population": "Population: units.csv has no population for {parts}; {rest}.",
        "population_equal": "the former provinces weigh equally",
        "population_mean": "the mean of the other provinces' populations is used",
        "indicators": "Each indicator: merge rule and scores",
        "code": "Code",
        "indicator": "Indicator",
        "rule": "Rule",
        "weight": "Weight",
        "rule_sum": "sum",
        "rule_population_mean": "population-weighted mean",
        "rule_denominator_mean": "denominator-weighted mean",
        "rule_max": "maximum",
        "rule_min": "minimum",
        "w_population": "population",
        "w_equal": "equal (no population)",
        "w_grdp": "GRDP",
        "w_firms": "number of firms",
        "w_employed": "employed workers",
        "w_new_firms": "new firms",
        "w_manufacturing": "manufacturing output",
        "w_": "–",
    },
}

# Provenance of a number: symbol and bar colour. The first three match ui.widgets.PROVENANCE.
SYMBOL = {
    "official": "✔",
    "published": "●",
    "reconstructed": "≈",
    "estimate_from_parts": "◇",
    "not_comparable": "∅",
}
PART_COLOURS = (GREY, "#4b5563", "#9ca3af")


def _t(lang: str, key: str, **kw: object) -> str:
    text = MERGE_TEXT.get(lang, MERGE_TEXT["vi"]).get(key) or MERGE_TEXT["vi"][key]
    return text.format(**kw) if kw else text


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
            st.info(_t(lang, "redirect", old=old_name, new=ed_next.name(s, lang)))
            return s
    return None


def _label(row: pd.Series, ed: Edition, lang: str) -> str:
    if row["level"] == "pillar":
        names = ed.framework.pillar_names.get(row["item"], (row["item"], row["item"]))
        return _t(lang, "pillar", p=row["item"], name=names[0 if lang == "vi" else 1])
    return _t(lang, row["level"])


def _cell(value: object, rank: object, n: int, prov: str, lang: str) -> str:
    if value is None or value is pd.NA or value != value:
        return f"– {SYMBOL.get(prov, '')}".strip()
    rank_text = "" if rank is None or rank is pd.NA else f" ({_t(lang, 'rank_of', rank=rank, n=n)})"
    return f"{_n(value, lang)}{rank_text} {SYMBOL.get(prov, '')}"


def _published(years: Sequence[int]) -> pd.DataFrame:
    return pd.concat([data.published(y) for y in years], ignore_index=True)


def render_merge(unit_slug: str, lang: str) -> None:
    """The side-by-side view of a 2025 unit and its pre-merger parts (see the module docstring)."""
    lang = lang if lang in MERGE_TEXT else "vi"
    years = data.editions()
    ed_next = data.edition(max(years))
    ed_prev = data.edition(max(y for y in years if y < ed_next.year))
    unit = _resolve(unit_slug, ed_next, lang)
    if unit is None:
        st.warning(_t(lang, "unknown", slug=unit_slug, next=ed_next.year))
        return
    try:
        est: MergeEstimate = estimate_from_parts(unit, ed_prev, ed_next)
    except UnknownName as exc:  # a part missing from the previous edition
        st.warning(str(exc))
        return
    df = side_by_side(unit, (ed_prev, ed_next), _published((ed_prev.year, ed_next.year)), est)
    name = ed_next.name(unit, lang)
    part_names = [ed_prev.name(p, lang) for p in est.parts]
    kw = {"name": name, "prev": ed_prev.year, "next": ed_next.year}

    st.subheader(_t(lang, "title", name=name))
    if len(est.parts) > 1:
        st.markdown(_t(lang, "formed", parts=", ".join(part_names), **kw))
    else:
        st.markdown(_t(lang, "single", **kw))

    agg = df[df["level"] != "indicator"].reset_index(drop=True)
    pii = agg.iloc[0]
    mcol, pcols = df.attrs["merged_column"], df.attrs["part_columns"]
    c1, c2 = st.columns(2)
    c1.metric(
        _t(lang, "metric_estimate"),
        _n(est.pii, lang),
        _t(lang, "metric_rank", rank=est.rank, n=ed_next.n),
        delta_color="off",
        delta_arrow="off",
    )
    c2.metric(
        _t(lang, "metric_merged", year=ed_next.year, name=name),
        _n(pii[mcol], lang),
        _t(lang, "metric_rank", rank=pii[f"{mcol}_rank"], n=ed_next.n),
        delta_color="off",
        delta_arrow="off",
    )

    # ---- the table ----------------------------------------------------------------------
    headers = [_t(lang, "part_col", name=n, year=ed_prev.year) for n in part_names]
    est_h = _t(lang, "estimate_col")
    merged_h = _t(lang, "merged_col", name=name, year=ed_next.year)
    rows = []
    for _, r in agg.iterrows():
        row = {_t(lang, "level"): _label(r, ed_next, lang)}
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
        _t(lang, "legend") + " " + " · ".join(f"{SYMBOL[k]} {_t(lang, 'prov_' + k)}" for k in kinds)
    )
    st.caption(_t(lang, "rank_note", n=ed_next.n, n_prev=ed_prev.n, **kw))

    # ---- the chart ----------------------------------------------------------------------
    x = [
        _t(lang, "pillar_short", p=r["item"]) if r["level"] == "pillar" else _t(lang, r["level"])
        for _, r in agg.iterrows()
    ]
    fig = go.Figure()
    series = [
        (h, c, PART_COLOURS[k % len(PART_COLOURS)])
        for k, (h, c) in enumerate(zip(headers, pcols, strict=True))
    ]
    series += [(est_h, "estimate", ORANGE), (merged_h, mcol, BLUE)]
    for label, col, colour in series:
        provs = [_t(lang, "prov_" + str(p)) for p in agg[f"{col}_provenance"]]
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
            "title": {"text": _t(lang, "chart_axis"), "font": {"size": 14, "color": DARK}},
        },
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    st.plotly_chart(
        fig,
        width="stretch",
        key=f"merge_chart_{unit}",
        alt=_t(lang, "chart_alt", parts=", ".join(part_names), **kw),
        config={"displayModeBar": False, "scrollZoom": False, "responsive": True},
    )
    st.caption(_t(lang, "chart_alt", parts=", ".join(part_names), **kw))

    # ---- how, and each indicator ----------------------------------------------------------
    st.caption(_t(lang, "how", **kw))
    if est.not_comparable:
        st.caption(_t(lang, "not_comparable", codes=", ".join(est.not_comparable), **kw))
    if est.population_missing:
        missing = ", ".join(ed_prev.name(p, lang) for p in est.population_missing)
        rest = (
            "population_equal"
            if len(est.population_missing) == len(est.parts)
            else "population_mean"
        )
        st.caption(_t(lang, "population", parts=missing, rest=_t(lang, rest)))
    with st.expander(_t(lang, "indicators")):
        ind = df[df["level"] == "indicator"]
        fw = ed_next.framework
        rows = []
        for _, r in ind.iterrows():
            code = r["item"]
            rule = est.rules[code]
            row = {
                _t(lang, "code"): code,
                _t(lang, "indicator"): getattr(fw.indicator(code), f"name_{lang}"),
                _t(lang, "rule"): _t(lang, "rule_" + rule.rule),
                _t(lang, "weight"): _t(lang, "w_" + rule.weight_used),
            }
            for h, c in zip(headers, pcols, strict=True):
                row[h] = _cell(r[c], None, ed_prev.n, r[f"{c}_provenance"], lang)
            row[est_h] = _cell(r["estimate"], None, ed_next.n, r["estimate_provenance"], lang)
            row[merged_h] = _cell(r[mcol], None, ed_next.n, r[f"{mcol}_provenance"], lang)
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
