"""Which indicators move the ranking most: movers, reach a rank, attribution, uncertainty."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import api
from model import movers as mv
from model import uncertainty as unc
from model.framework import OUTPUT_PILLARS
from model.scenario import Scenario, ScenarioError
from ui import data, frame
from ui import scenario_state as state
from ui.i18n import lang, num, tr
from ui.scenario_figures import BLUE, DARK, GRID, ORANGE, separators
from ui.widgets import badge_md, number_styler

T = {
    "vi": {
        "title": "Chỉ số nào tác động mạnh nhất đến PII và hạng của {unit}?",
        "basis": "Tính trên",
        "basis_baseline": "Hiện trạng",
        "basis_scenario": "Kịch bản đang xem",
        "no_scenario": "Kịch bản đang xem chưa đổi chỉ số nào; đang tính trên hiện trạng.",
        "step": "Bước tăng (điểm)",
        "headline": "Tăng **{code} {name}** thêm {step} điểm cộng **{gain} điểm PII** — mức tăng lớn "
        "nhất của một chỉ số đơn lẻ{tie}{why}.",
        "tie": " (ngang với {codes})",
        "why_output": ", vì chỉ số này thuộc trụ cột đầu ra: mỗi trụ cột đầu ra nặng gấp 2,5 lần một trụ "
        "cột đầu vào (PII = ½ đầu vào + ½ đầu ra; đầu vào có 5 trụ cột, đầu ra 2)",
        "why_input": ", nhờ trọng số hiệu dụng {weight} của nó trong PII",
        "next_unit": "Đơn vị ngay trên: {name} ({pii} điểm, cách {gap} điểm).",
        "tornado": "PII tăng thêm khi từng chỉ số tăng {step} điểm (15 chỉ số lớn nhất)",
        "plan_legend": "Chỉ số trong Kế hoạch 2024",
        "tornado_alt": "Biểu đồ cột ngang: PII tăng thêm khi từng chỉ số tăng {step} điểm, {n} chỉ số "
        "lớn nhất; cao nhất: {top}. Bảng đầy đủ ở ngay dưới.",
        "other_legend": "Chỉ số khác",
        "table": "Tất cả 52 chỉ số (bấm tiêu đề cột để sắp xếp)",
        "col_code": "Mã",
        "col_name": "Chỉ số",
        "col_lead": "Đơn vị chủ trì (KH 2024)",
        "col_score": "Điểm",
        "col_weight": "Trọng số hiệu dụng (%)",
        "col_per_point": "ΔPII/điểm",
        "col_pii_step": "PII khi +bước",
        "col_rank_step": "Hạng khi +bước",
        "col_rank_best": "Hạng khi đạt tối đa",
        "col_to_next": "Điểm cần để vượt đơn vị trên",
        "reach": "Cần gì để đạt hạng mục tiêu?",
        "reach_rank": "Hạng mục tiêu",
        "reach_cap": "Tăng tối đa mỗi chỉ số (điểm)",
        "reach_go": "Tìm phương án ít điểm nhất",
        "reach_ok": "Đạt hạng {rank} với tổng {points} điểm tăng trên {n} chỉ số: PII {pii}.",
        "reach_no": "Không thể đạt hạng {target} khi mỗi chỉ số tăng tối đa {cap} điểm (tốt nhất: hạng {best}).",
        "reach_there": "Đã ở hạng {rank}: không cần tăng thêm.",
        "reach_apply": "Mở phương án này trong trang Kịch bản",
        "col_gain": "Tăng (điểm)",
        "col_to": "Đạt",
        "attribution": "Đóng góp của từng chỉ số vào thay đổi PII của kịch bản đang xem",
        "attr_linear": "Chính xác (tuyến tính, chế độ giữ nguyên min–max).",
        "attr_shapley": "Giá trị Shapley: không phụ thuộc thứ tự áp dụng các chỉ số (chế độ tính lại min–max).",
        "col_share": "Đóng góp ΔPII",
        "uncertainty": "Độ bất định của hạng (Monte Carlo kiểu GII/JRC)",
        "unc_note": "Mỗi lần chạy: trọng số trụ cột nhân ngẫu nhiên trong ±{spread}%, gộp bằng trung bình "
        "cộng hoặc nhân, có/không xử lý ngoại lai; hạt giống cố định nên kết quả lặp lại được.",
        "runs": "Số lần chạy",
        "spread": "Biên độ trọng số (±%)",
        "run_unc": "Chạy phân tích",
        "col_unit": "Địa phương",
        "col_nominal": "Hạng",
        "col_median": "Hạng trung vị",
        "col_p5": "P5",
        "col_p95": "P95",
        "download": "Tải tham số từng lần chạy (CSV)",
        "error": "Không tính được: {msg}",
        "prov": "Tính từ số liệu chỉ số ước tính tái dựng (trừ số chính thức, số đã công bố).",
        "prov_official": "Tính từ số liệu chính thức của cả {m} chỉ số của địa phương.",
    },
    "en": {
        "title": "Which indicators move {unit}'s PII and rank most?",
        "basis": "Computed on",
        "basis_baseline": "Baseline",
        "basis_scenario": "Current scenario",
        "no_scenario": "The current scenario changes no indicator yet; showing the baseline.",
        "step": "Step (points)",
        "headline": "Raising **{code} {name}** by {step} points adds **{gain} PII points** — the "
        "largest single gain{tie}{why}.",
        "tie": " (tied with {codes})",
        "why_output": ", because it sits in an output pillar: an output pillar weighs 2.5 times an input "
        "pillar (PII = ½ input + ½ output; 5 input pillars, 2 output pillars)",
        "why_input": ", thanks to its effective weight of {weight} in the PII",
        "next_unit": "Next unit above: {name} ({pii} points, {gap} points ahead).",
        "tornado": "PII gained when each indicator rises by {step} points (top 15)",
        "plan_legend": "In the 2024 plan",
        "tornado_alt": "Horizontal bar chart: the PII gained when each indicator rises by {step} "
        "points, top {n}; highest: {top}. The full table follows.",
        "other_legend": "Other indicators",
        "table": "All 52 indicators (click a column header to sort)",
        "col_code": "Code",
        "col_name": "Indicator",
        "col_lead": "Lead department (2024 plan)",
        "col_score": "Score",
        "col_weight": "Effective weight (%)",
        "col_per_point": "ΔPII/point",
        "col_pii_step": "PII at +step",
        "col_rank_step": "Rank at +step",
        "col_rank_best": "Rank at the maximum",
        "col_to_next": "Points to overtake the unit above",
        "reach": "What does a target rank take?",
        "reach_rank": "Target rank",
        "reach_cap": "Largest gain per indicator (points)",
        "reach_go": "Find the fewest points",
        "reach_ok": "Rank {rank} with {points} points gained over {n} indicators: PII {pii}.",
        "reach_no": "Rank {target} cannot be reached with at most {cap} points per indicator (best: rank {best}).",
        "reach_there": "Already at rank {rank}: nothing to add.",
        "reach_apply": "Open this in the Scenario page",
        "col_gain": "Gain (points)",
        "col_to": "To",
        "attribution": "Each indicator's contribution to the current scenario's PII change",
        "attr_linear": "Exact (linear, frozen min–max mode).",
        "attr_shapley": "Shapley values: independent of the order indicators are applied (recomputed min–max).",
        "col_share": "Contribution ΔPII",
        "uncertainty": "How certain is the rank? (GII/JRC-style Monte Carlo)",
        "unc_note": "Each run: pillar weights multiplied at random within ±{spread}%, arithmetic or geometric "
        "aggregation, outlier treatment on or off; a fixed seed makes the result repeatable.",
        "runs": "Runs",
        "spread": "Weight spread (±%)",
        "run_unc": "Run the analysis",
        "col_unit": "Province",
        "col_nominal": "Rank",
        "col_median": "Median rank",
        "col_p5": "P5",
        "col_p95": "P95",
        "download": "Download every run's parameters (CSV)",
        "error": "Cannot compute: {msg}",
        "prov": "Computed from reconstructed indicator estimates (except official and published values).",
        "prov_official": "Computed from the official values of all the province's {m} indicators.",
    },
}


def _t(key: str, **kw: object) -> str:
    return tr(T, key, **kw)


f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
vi = lang() == "vi"
plan = data.plan()
leads = {pt.code: pt.lead_unit for pt in plan.targets} if plan.unit == unit else {}


def name_of(code: str) -> str:
    ind = fw.indicator(code)
    return ind.name_vi if vi else ind.name_en


st.subheader(_t("title", unit=f.unit_name))
scenario = state.current(ed, unit, f.scale)
c = st.columns([2, 1, 3])
basis = c[0].segmented_control(
    _t("basis"),
    ["baseline", "scenario"],
    default="baseline",
    key="mv_basis",
    required=True,
    format_func=lambda b: _t(f"basis_{b}"),
)
step = c[1].number_input(_t("step"), 1, 100, 10, 1, key="mv_step")
target: str | Scenario = unit
if basis == "scenario":
    if scenario.targets:
        target = scenario
    else:
        c[2].caption(_t("no_scenario"))
if (ed.provenance[ed.unit_index(unit)] == "official").all():  # an imported profile
    st.markdown(badge_md("official", _t("prov_official", m=fw.m)))
else:
    st.markdown(badge_md("reconstructed", _t("prov")))

try:
    trend = api.trend_for(ed) if scenario.peers == "trend" else None
    res = mv.movers(ed, target, step=float(step), scale=f.scale, trend=trend)
except ScenarioError as exc:
    st.warning(_t("error", msg=exc))
    st.stop()

items = sorted(res.items, key=lambda m: m.delta_pii_at_step, reverse=True)
top = items[0]
pillar = fw.indicator(top.code).pillar
why = (
    _t("why_output")
    if pillar in OUTPUT_PILLARS
    else _t("why_input", weight=num(100 * top.weight, 2) + "%")
)
# Equal weights often give several indicators the same gain: name them, do not crown one.
tied = [m.code for m in items[1:] if abs(m.delta_pii_at_step - top.delta_pii_at_step) < 0.005]
st.markdown(
    _t(
        "headline",
        code=top.code,
        name=name_of(top.code),
        step=num(step, 0),
        gain=num(top.delta_pii_at_step, 2),
        tie=_t("tie", codes=", ".join(tied)) if tied else "",
        why=why,
    )
)
if res.next_units:
    above = ed.name(res.next_units[0], lang())
    st.caption(_t("next_unit", name=above, pii=num(res.next_pii), gap=num(res.next_pii - res.pii)))

# ---- tornado ----------------------------------------------------------------------------------
shown = items[:15]
colors = [ORANGE if m.code in leads else BLUE for m in shown]
labels = [f"{m.code} · {name_of(m.code)[:48]}" for m in shown]
fig = {
    "data": [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": [m.delta_pii_at_step for m in shown],
            "marker": {"color": colors},
            "text": [num(m.delta_pii_at_step, 2, sign=True) for m in shown],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertext": [leads.get(m.code, "") for m in shown],
            "hoverinfo": "x+y+text",
        }
    ],
    "layout": {
        "height": 80 + 30 * len(shown),
        "separators": separators(lang()),
        "font": {"size": 14, "color": DARK},
        "margin": {"l": 10, "r": 50, "t": 10, "b": 10},
        "plot_bgcolor": "white",
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"gridcolor": GRID},
    },
}
st.markdown(
    f"**{_t('tornado', step=num(step, 0))}** — "
    f":orange[■] {_t('plan_legend')} · :blue[■] {_t('other_legend')}"
)
st.plotly_chart(
    fig,
    config={"displayModeBar": False},
    key="mv_tornado",
    alt=_t(
        "tornado_alt",
        step=num(step, 0),
        n=len(shown),
        top="; ".join(f"{m.code} {num(m.delta_pii_at_step, 2, sign=True)}" for m in shown[:3]),
    ),
)

st.markdown(f"**{_t('table')}**")
table = pd.DataFrame(
    {
        _t("col_code"): [m.code for m in items],
        _t("col_name"): [name_of(m.code) for m in items],
        _t("col_lead"): [leads.get(m.code, "") for m in items],
        _t("col_score"): [m.score for m in items],
        _t("col_weight"): [100 * m.weight for m in items],
        _t("col_per_point"): [m.delta_pii_per_point for m in items],
        _t("col_pii_step"): [m.pii_at_step for m in items],
        _t("col_rank_step"): [m.rank_at_step for m in items],
        _t("col_rank_best"): [m.rank_at_best for m in items],
        _t("col_to_next"): [m.points_to_next_rank for m in items],
    }
)
st.dataframe(
    number_styler(
        table,
        {
            _t("col_score"): 2,
            _t("col_weight"): 2,
            _t("col_per_point"): 4,
            _t("col_pii_step"): 2,
            _t("col_to_next"): 1,
        },
        highlight=[m.code in leads for m in items],
    ),
    hide_index=True,
    key="mv_table",
)

# ---- reach a rank -----------------------------------------------------------------------------
st.markdown(f"#### {_t('reach')}")
rc = st.columns([1, 1, 2])
current_rank = int(res.rank)
k = rc[0].number_input(_t("reach_rank"), 1, ed.n, max(1, current_rank - 3), key="mv_rank")
cap = rc[1].number_input(_t("reach_cap"), 1, 100, 30, 5, key="mv_cap")
try:
    rr = mv.reach(ed, target, int(k), cap=float(cap), scale=f.scale, trend=trend)
except ScenarioError as exc:
    st.warning(_t("error", msg=exc))
    rr = None
if rr is not None:
    if not rr.feasible:
        st.warning(_t("reach_no", target=k, cap=num(cap, 0), best=rr.best_rank))
    elif not rr.gains:
        st.success(_t("reach_there", rank=rr.rank))
    else:
        st.success(
            _t(
                "reach_ok",
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
                        _t("col_code"): [g.code for g in rr.gains],
                        _t("col_name"): [name_of(g.code) for g in rr.gains],
                        _t("col_gain"): [g.delta_score for g in rr.gains],
                        _t("col_to"): [g.to_score for g in rr.gains],
                    }
                ),
                {_t("col_gain"): 2, _t("col_to"): 2},
            ),
            hide_index=True,
            key="mv_reach",
        )

        def _apply_reach() -> None:
            base = Scenario(
                unit=unit,
                edition=ed.year,
                peers=scenario.peers,
                scale=f.scale,
                target_year=scenario.target_year,
            )
            state.apply(base.with_targets(rr.targets()), ed)

        if st.button(_t("reach_apply"), on_click=_apply_reach, key="mv_apply"):
            st.switch_page("pages/scenario.py")

# ---- attribution of the current scenario -------------------------------------------------------
if scenario.targets:
    st.markdown(f"#### {_t('attribution')}")
    try:
        att = mv.attribution(ed, scenario, trend=trend)
        st.caption(_t("attr_linear") if att.method == "linear" else _t("attr_shapley"))
        st.dataframe(
            number_styler(
                pd.DataFrame(
                    {
                        _t("col_code"): [s.code for s in att.items],
                        _t("col_name"): [name_of(s.code) for s in att.items],
                        _t("col_share"): [s.delta_pii for s in att.items],
                    }
                ),
                {_t("col_share"): 3},
                signed=[_t("col_share")],
            ),
            hide_index=True,
            key="mv_attr",
        )
    except ScenarioError as exc:
        st.warning(_t("error", msg=exc))

# ---- uncertainty -------------------------------------------------------------------------------
st.markdown(f"#### {_t('uncertainty')}")
uc = st.columns([1, 1, 2])
runs = uc[0].number_input(_t("runs"), 100, 20_000, 1000, 100, key="mv_runs")
spread = uc[1].number_input(_t("spread"), 0, 90, 20, 5, key="mv_spread")
st.caption(_t("unc_note", spread=spread))
if st.button(_t("run_unc"), key="mv_run_unc", type="primary"):
    try:
        st.session_state["mv_unc"] = unc.uncertainty(
            ed,
            scenario if scenario.targets else unit,
            runs=int(runs),
            spread=spread / 100.0,
            trend=trend,
        )
    except ScenarioError as exc:
        st.warning(_t("error", msg=exc))
result = st.session_state.get("mv_unc")
if result is not None and result.edition == ed.year and unit in result.slugs:
    u = result.slugs.index(unit)
    if result.scenario_ranks is not None and result.unit == unit:
        st.info(result.verdict(unit, lang()))
    order = sorted(range(len(result.slugs)), key=lambda i: result.nominal[i])
    pos = order.index(u)
    window = order[max(0, pos - 5) : pos + 6]
    st.dataframe(
        pd.DataFrame(
            {
                _t("col_unit"): [
                    ("➤ " if i == u else "") + ed.name(result.slugs[i], lang()) for i in window
                ],
                _t("col_nominal"): [int(result.nominal[i]) for i in window],
                _t("col_median"): [int(result.median[i]) for i in window],
                _t("col_p5"): [int(result.p5[i]) for i in window],
                _t("col_p95"): [int(result.p95[i]) for i in window],
            }
        ),
        hide_index=True,
        key="mv_unc_table",
    )
    st.download_button(
        _t("download"),
        result.parameters.to_csv(index=False).encode("utf-8"),
        file_name=f"pii-uncertainty-{unit}-{ed.year}.csv",
        mime="text/csv",
        on_click="ignore",
        key="mv_download",
    )
