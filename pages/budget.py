"""Budget: what money buys, where it should go, and the path to 2030. Widgets -> model -> render."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import api
from model import budget as bm
from model.scenario import ScenarioError
from model.workspace import NameTaken, Workspace, WorkspaceError
from ui import access, data, frame
from ui.i18n import lang, num, t, tr
from ui.scenario_figures import BLUE, DARK, GREY, GRID, ORANGE, separators
from ui.widgets import badge_md, md_text

T = {
    "vi": {
        "title": "Ngân sách: tiền đầu tư mua được bao nhiêu điểm PII cho {unit}?",
        "intro": "Ngân sách tăng thêm mỗi năm (tỷ đồng) được phân bổ vào các «đòn bẩy» — những chỉ số "
        "mà tiền có thể cải thiện trực tiếp. Mọi chi phí đơn vị là giả định (xem bảng đòn bẩy) trừ các "
        "chỉ số tỷ lệ chi/GRDP, vốn tính chính xác từ GRDP.",
        "no_economy": "Mô hình ngân sách hiện có số liệu kinh tế (GRDP, dân số, số doanh nghiệp) cho "
        "Bắc Giang, năm 2023 và 2024. Chọn Bắc Giang ở thanh bên để dùng trang này.",
        "inputs": "Giả định ngân sách",
        "budget": "Ngân sách tăng thêm năm đầu (tỷ đồng/năm)",
        "growth": "Tăng ngân sách mỗi năm (%)",
        "horizon": "Đến năm",
        "peers": "Các địa phương khác",
        "peers_static": "Giữ nguyên",
        "peers_drift": "Cùng tăng 0,5 điểm/năm",
        "peers_trend": "Theo xu hướng 2023→2024",
        "objective": "Mục tiêu phân bổ",
        "obj_pii": "PII cao nhất",
        "obj_rank": "Đạt hạng với chi phí thấp nhất",
        "target_rank": "Hạng mục tiêu",
        "best": "Phân bổ tối ưu năm {year}",
        "pii": "PII sau 1 năm",
        "rank": "Hạng sau 1 năm",
        "spent": "Đã chi (tỷ đồng)",
        "rules": "So với quy tắc đơn giản cùng số tiền",
        "rule": "Cách phân bổ",
        "rule_opt": "Tối ưu",
        "rule_equal": "Chia đều",
        "rule_single": "Dồn hết vào {code}",
        "alloc_table": "Chi theo đòn bẩy",
        "col_code": "Mã",
        "col_lever": "Đòn bẩy",
        "col_spend": "Chi (tỷ đồng/năm)",
        "col_draw": "Δ giá trị",
        "col_dscore": "Δ điểm",
        "col_dpii": "Δ PII",
        "col_pii": "PII",
        "col_rank": "Hạng",
        "marginal": "PII tăng thêm cho mỗi tỷ đồng, theo đòn bẩy (tại phân bổ tối ưu)",
        "marginal_note": "Đòn bẩy có giá trị cao nhất mua được nhiều điểm PII nhất cho tỷ đồng tiếp theo; "
        "0 khi đã chạm trần thay đổi mỗi năm hoặc mức bão hòa.",
        "path": "Lộ trình PII và hạng đến {year}",
        "path_note": "Ngân sách tăng {growth}%/năm; hiệu ứng có độ trễ theo từng đòn bẩy. "
        "Đường ngang: PII năm {plan_year} nếu đạt đủ 17 mục tiêu Kế hoạch 2024.",
        "year": "Năm",
        "plan_cost": "Chi phí để đạt các mục tiêu Kế hoạch 2024",
        "plan_total": "Tổng (cộng thẳng)",
        "plan_joint": "Tổng (không tính trùng)",
        "plan_buys": "Đạt các mục tiêu có thể mua bằng tiền: PII {pii}, hạng {rank}",
        "plan_same_money": "Cùng số tiền, phân bổ tối ưu trong 1 năm: PII {pii}, hạng {rank}",
        "col_target": "Mục tiêu",
        "col_cost": "Chi phí (tỷ đồng)",
        "col_lead": "Đơn vị chủ trì",
        "not_money": "Tiền không tác động trực tiếp",
        "levers": "Bảng đòn bẩy (giả định, có thể sửa)",
        "levers_note": "Sửa chi phí, trần thay đổi mỗi năm, độ trễ ở bảng dưới; kết quả tính lại ngay. "
        "Nguồn gốc từng dòng ở cột «Căn cứ».",
        "col_cost_item": "Chi phí/đơn vị (triệu đồng)",
        "col_item": "Đơn vị mua",
        "col_cap": "Trần thay đổi/năm",
        "col_lag": "Độ trễ (năm)",
        "col_basis": "Loại",
        "col_note": "Căn cứ",
        "basis_exact": "chính xác",
        "basis_assumed": "giả định",
        "bad_edit": "Giá trị sửa không hợp lệ: {msg}",
        "error": "Không tính được: {msg}",
        "prov": "Chi phí, độ trễ, trần thay đổi là giả định có ghi căn cứ; GRDP Bắc Giang là số đã công bố.",
        "marginal_alt": "Biểu đồ cột ngang: PII tăng thêm cho mỗi tỷ đồng của {n} đòn bẩy; cao nhất: {top}.",
        "path_alt": "Biểu đồ đường: PII theo năm đến {year} với phân bổ tối ưu (từ {first} lên {last}, "
        "hạng {rank}) và với chia đều (đến {equal}).",
        "sets": "Bộ giả định đã lưu",
        "set_name": "Tên bộ giả định",
        "overwrite": "Ghi đè nếu trùng tên",
        "save": "Lưu bộ giả định",
        "saved": "Đã lưu bộ giả định «{name}».",
        "name_taken": "Đã có bộ giả định tên «{name}».",
        "open_set": "Mở bộ giả định",
        "open": "Mở",
        "loaded": "Đã mở bộ giả định «{name}».",
        "no_sets": "Chưa có bộ giả định nào được lưu cho địa phương này.",
    },
    "en": {
        "title": "Budget: how many PII points does money buy for {unit}?",
        "intro": "An extra budget each year (billion VND) is allocated to “levers” — indicators that money "
        "can improve directly. Every unit cost is an assumption (see the lever table) except the "
        "spending-to-GRDP ratios, which follow exactly from GRDP.",
        "no_economy": "The budget model has economic data (GRDP, population, firm counts) for Bắc Giang, "
        "editions 2023 and 2024. Choose Bắc Giang in the sidebar to use this page.",
        "inputs": "Budget assumptions",
        "budget": "Extra budget in the first year (billion VND/year)",
        "growth": "Budget growth per year (%)",
        "horizon": "Until",
        "peers": "Other provinces",
        "peers_static": "Unchanged",
        "peers_drift": "All rise 0.5 points/year",
        "peers_trend": "Their 2023→2024 trend",
        "objective": "Objective",
        "obj_pii": "Highest PII",
        "obj_rank": "Reach a rank at least cost",
        "target_rank": "Target rank",
        "best": "Best allocation for {year}",
        "pii": "PII after 1 year",
        "rank": "Rank after 1 year",
        "spent": "Spent (billion VND)",
        "rules": "Against simple rules with the same money",
        "rule": "Allocation",
        "rule_opt": "Optimised",
        "rule_equal": "Equal split",
        "rule_single": "All on {code}",
        "alloc_table": "Spending by lever",
        "col_code": "Code",
        "col_lever": "Lever",
        "col_spend": "Spend (bn VND/year)",
        "col_draw": "Δ value",
        "col_dscore": "Δ score",
        "col_dpii": "Δ PII",
        "col_pii": "PII",
        "col_rank": "Rank",
        "marginal": "PII gained per extra billion VND, by lever (at the best allocation)",
        "marginal_note": "The lever with the highest value buys the most PII for the next billion; 0 once a "
        "lever reaches its yearly cap or saturation.",
        "path": "PII and rank path to {year}",
        "path_note": "The budget grows {growth}%/year; each lever acts with its own lag. "
        "Horizontal line: PII {plan_year} if all 17 targets of the 2024 plan are met.",
        "year": "Year",
        "plan_cost": "What meeting the 2024 plan's targets costs",
        "plan_total": "Total (plain sum)",
        "plan_joint": "Total (without double counting)",
        "plan_buys": "Meeting the targets money can buy: PII {pii}, rank {rank}",
        "plan_same_money": "The same money, optimised over one year: PII {pii}, rank {rank}",
        "col_target": "Target",
        "col_cost": "Cost (bn VND)",
        "col_lead": "Lead department",
        "not_money": "Money does not move it directly",
        "levers": "Lever table (assumptions, editable)",
        "levers_note": "Edit unit costs, yearly caps and lags below; results recompute at once. Each row's "
        "basis is in the “Basis” column.",
        "col_cost_item": "Cost per item (million VND)",
        "col_item": "Item bought",
        "col_cap": "Max change/year",
        "col_lag": "Lag (years)",
        "col_basis": "Kind",
        "col_note": "Basis",
        "basis_exact": "exact",
        "basis_assumed": "assumed",
        "bad_edit": "Invalid edit: {msg}",
        "error": "Cannot compute: {msg}",
        "prov": "Costs, lags and caps are assumptions with their reasoning; Bắc Giang's GRDP is published.",
        "marginal_alt": "Horizontal bar chart: PII gained per extra billion VND for {n} levers; "
        "highest: {top}.",
        "path_alt": "Line chart: the PII each year to {year} with the best allocation (from {first} "
        "to {last}, rank {rank}) and with an equal split (to {equal}).",
        "sets": "Saved assumption sets",
        "set_name": "Name of the set",
        "overwrite": "Overwrite if the name exists",
        "save": "Save the assumptions",
        "saved": "Saved the assumption set “{name}”.",
        "name_taken": "An assumption set named “{name}” exists.",
        "open_set": "Open an assumption set",
        "open": "Open",
        "loaded": "Opened the assumption set “{name}”.",
        "no_sets": "No assumption set has been saved for this province yet.",
    },
}


def _t(key: str, **kw: object) -> str:
    return tr(T, key, **kw)


f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
vi = lang() == "vi"
st.subheader(_t("title", unit=f.unit_name))
st.caption(_t("intro"))


@st.cache_resource(show_spinner=False)
def _default_assumptions(unit: str, year: int) -> bm.Assumptions:
    return bm.Assumptions.default(unit=unit, edition=year)


try:
    base = _default_assumptions(unit, ed.year)
    base.economy_value("grdp_billion_vnd", ed.year + 1)
except (ScenarioError, KeyError):
    st.info(_t("no_economy"))
    st.stop()
loaded = st.session_state.get("bud_base")
if loaded is not None and (loaded.unit, loaded.edition) == (unit, ed.year):
    base = loaded  # a saved assumption set opened by the user; edits apply on top of it
ws = Workspace()


def _load_set(name: str) -> None:
    try:
        a = bm.Assumptions.from_json(ws.get_assumptions(name))
    except (WorkspaceError, ScenarioError) as exc:
        st.session_state["bud_msg"] = ("error", str(exc))
        return
    st.session_state["bud_base"] = a
    st.session_state["bud_version"] = st.session_state.get("bud_version", 0) + 1
    st.session_state["bud_budget"] = float(a.budget_bn_per_year)
    st.session_state["bud_growth"] = float(a.budget_growth_pct)
    st.session_state["bud_h"] = int(a.horizon_year)
    st.session_state["bud_peers"] = a.peers.split(":", 1)[0]
    st.session_state["bud_msg"] = ("success", _t("loaded", name=md_text(name)))


# ---- assumptions ------------------------------------------------------------------------------
with st.container(border=True):
    st.markdown(f"**{_t('inputs')}**")
    c = st.columns(3)
    budget_bn = c[0].number_input(
        _t("budget"), 0.0, 100_000.0, 50.0, 5.0, format="%.0f", key="bud_budget"
    )
    growth = c[1].number_input(
        _t("growth"), -50.0, 100.0, 10.0, 1.0, format="%.0f", key="bud_growth"
    )
    horizon = (
        c[2].selectbox(
            _t("horizon"),
            list(range(ed.year + 1, 2031)),
            index=None,
            key="bud_h",
            placeholder="2030",
        )
        or 2030
    )
    c = st.columns(2)
    peers = c[0].segmented_control(
        _t("peers"),
        ["static", "drift", "trend"],
        default="static",
        key="bud_peers",
        required=True,
        format_func=lambda k: _t(f"peers_{k}"),
    )
    objective = c[1].segmented_control(
        _t("objective"),
        ["pii", "rank"],
        default="pii",
        key="bud_obj",
        required=True,
        format_func=lambda k: _t(f"obj_{k}"),
    )
    target_rank = None
    if objective == "rank":
        current = int(ed.baseline().rank[ed.unit_index(unit)])
        target_rank = st.number_input(
            _t("target_rank"), 1, ed.n, max(1, current - 1), key="bud_rank"
        )

# ---- lever table (editable) -------------------------------------------------------------------
editor_key = f"bud_levers_edit_{st.session_state.get('bud_version', 0)}"
edits = st.session_state.get(editor_key, {"edited_rows": {}})
moveable = [lv for lv in base.levers if lv.moveable]
assumptions = base
bad_edit = None
for row, change in edits.get("edited_rows", {}).items():
    lv = moveable[int(row)]
    mapping = {
        "cost": "cost_million_vnd_per_item",
        "cap": "max_change_per_year_raw",
        "lag": "lag_years",
    }
    try:
        assumptions = assumptions.with_lever(
            lv.code,
            **{
                mapping[k]: (int(v) if k == "lag" else v) for k, v in change.items() if k in mapping
            },
        )
    except (ScenarioError, TypeError, ValueError) as exc:
        bad_edit = str(exc)
peer_spec = {"static": "static", "drift": "drift:0.5", "trend": "trend"}[peers]
try:
    assumptions = bm.Assumptions.from_dict(
        assumptions.to_dict()
        | {
            "budget_bn_per_year": budget_bn,
            "budget_growth_pct": growth,
            "horizon_year": int(horizon),
            "peers": peer_spec,
        }
    )
    trend = api.trend_for(ed) if peers == "trend" else None
    best = bm.optimize(
        assumptions,
        ed,
        budget_bn=budget_bn,
        objective=objective,
        target_rank=int(target_rank) if target_rank else None,
        trend=trend,
    )
    simple = bm.rules(assumptions, ed, budget_bn, 1, trend)
    marginal = bm.marginal_pii_per_billion(assumptions, ed, best, trend=trend)
    route = bm.path(assumptions, ed, trend=trend)
    equal_route = bm.path(assumptions, ed, allocation="equal", trend=trend)
except ScenarioError as exc:
    st.warning(_t("error", msg=exc))
    st.stop()
if bad_edit:
    st.warning(_t("bad_edit", msg=bad_edit))


def lever_name(code: str, width: int = 44) -> str:
    lv = assumptions.lever(code)
    text = lv.lever_vi if vi else lv.lever_en
    return f"{code} · {text if len(text) <= width else text[: width - 1] + '…'}"


# ---- result: one year -------------------------------------------------------------------------
u = ed.unit_index(unit)
st.markdown(f"#### {_t('best', year=ed.year + 1)}")
m = st.columns(3)
m[0].metric(_t("pii"), num(best.pii), num(best.pii - best.baseline_pii, sign=True), border=True)
moved = best.baseline_rank - best.rank
m[1].metric(
    _t("rank"), f"{best.rank}/{ed.n}", num(moved, 0, sign=True) if moved else None, border=True
)
m[2].metric(_t("spent"), num(best.spent_bn, 1), border=True)
st.markdown(badge_md("reconstructed", _t("prov")))

left, right = st.columns(2, gap="large")
with left:
    st.markdown(f"**{_t('alloc_table')}**")
    rows = [r for r in best.levers if r.spend_bn > 0 or abs(r.delta_pii) > 1e-9]
    st.dataframe(
        pd.DataFrame(
            {
                _t("col_lever"): [lever_name(r.code, 30) for r in rows],
                _t("col_spend"): [num(r.spend_bn, 1) for r in rows],
                _t("col_dscore"): [num(r.delta_score, 2, sign=True) for r in rows],
                _t("col_dpii"): [num(r.delta_pii, 3, sign=True) for r in rows],
            }
        ),
        hide_index=True,
        key="bud_alloc",
    )
    st.markdown(f"**{_t('rules')}**")
    single = max((a for k, a in simple.items() if k.startswith("single:")), key=lambda a: a.pii)
    single_code = next(k for k, a in simple.items() if a is single).split(":", 1)[1]
    comp = [
        (_t("rule_opt"), best),
        (_t("rule_equal"), simple["equal"]),
        (_t("rule_single", code=single_code), single),
    ]
    st.dataframe(
        pd.DataFrame(
            {
                _t("rule"): [name for name, _ in comp],
                _t("col_pii"): [num(a.pii) for _, a in comp],
                _t("col_rank"): [a.rank for _, a in comp],
                _t("col_spend"): [num(a.spent_bn, 1) for _, a in comp],
            }
        ),
        hide_index=True,
        key="bud_rules",
    )
with right:
    st.markdown(f"**{_t('marginal')}**")
    mg = sorted(((c, v) for c, v in marginal.items()), key=lambda cv: cv[1], reverse=True)[:12]
    fig = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [lever_name(c, 28) for c, _ in mg],
                "x": [v for _, v in mg],
                "marker": {"color": BLUE},
                "text": [num(v, 3) for _, v in mg],
                "textposition": "outside",
                "cliponaxis": False,
            }
        ],
        "layout": {
            "height": 60 + 32 * len(mg),
            "separators": separators(lang()),
            "margin": {"l": 10, "r": 40, "t": 10, "b": 10},
            "font": {"size": 14, "color": DARK},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "plot_bgcolor": "white",
            "xaxis": {"tickformat": ".3f", "nticks": 4},
        },
    }
    st.plotly_chart(
        fig,
        config={"displayModeBar": False},
        key="bud_marginal",
        alt=_t(
            "marginal_alt",
            n=len(mg),
            top="; ".join(f"{lever_name(c, 60)} {num(v, 3)}" for c, v in mg[:3]),
        ),
    )
    st.caption(_t("marginal_note"))
    with st.expander(t("chart_data")):
        st.table(
            pd.DataFrame(
                {
                    _t("col_lever"): [lever_name(c, 80) for c, _ in mg],
                    _t("marginal"): [num(v, 3) for _, v in mg],
                }
            ),
            hide_index=True,
            border="horizontal",
        )

# ---- result: the path -------------------------------------------------------------------------
st.markdown(f"#### {_t('path', year=assumptions.horizon_year)}")
plan = data.plan()
plan_pii = None
if plan.unit == unit:
    plan_pii = api.run(api.preset("plan-2024", api.Scenario(unit=unit, edition=ed.year))).summary()[
        "scenario"
    ]["pii"]
years = [y.year for y in route.years]
fig = {
    "data": [
        {
            "type": "scatter",
            "mode": "lines+markers+text",
            "name": _t("rule_opt"),
            "x": years,
            "y": [y.pii for y in route.years],
            "line": {"color": BLUE, "width": 3},
            "text": [f"#{y.rank}" for y in route.years],
            "textposition": "top center",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _t("rule_equal"),
            "x": years,
            "y": [y.pii for y in equal_route.years],
            "line": {"color": GREY, "dash": "dash"},
        },
    ],
    "layout": {
        "height": 360,
        "separators": separators(lang()),
        "font": {"size": 15, "color": DARK},
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.15},
        "xaxis": {"dtick": 1, "title": {"text": _t("year")}},
        "yaxis": {"title": {"text": "PII"}, "gridcolor": GRID},
    },
}
if plan_pii is not None:
    fig["layout"]["shapes"] = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": plan_pii,
            "y1": plan_pii,
            "line": {"color": ORANGE, "dash": "dot"},
        }
    ]
st.plotly_chart(
    fig,
    config={"displayModeBar": False},
    key="bud_path",
    alt=_t(
        "path_alt",
        year=assumptions.horizon_year,
        first=num(route.years[0].pii) if route.years else "–",
        last=num(route.years[-1].pii) if route.years else "–",
        rank=route.years[-1].rank if route.years else "–",
        equal=num(equal_route.years[-1].pii) if equal_route.years else "–",
    ),
)
st.caption(_t("path_note", growth=num(growth, 0), plan_year=ed.year))
with st.expander(t("chart_data")):
    st.dataframe(
        pd.DataFrame(
            {
                _t("year"): years,
                _t("budget"): [num(y.budget_bn, 1) for y in route.years],
                _t("col_pii"): [num(y.pii) for y in route.years],
                _t("col_rank"): [y.rank for y in route.years],
                _t("rule_equal"): [num(y.pii) for y in equal_route.years],
            }
        ),
        hide_index=True,
        key="bud_path_table",
    )

# ---- the plan's cost ---------------------------------------------------------------------------
if plan.unit == unit:
    st.markdown(f"#### {_t('plan_cost')}")
    pc = bm.plan_cost(assumptions, ed, plan, trend=trend)
    st.dataframe(
        pd.DataFrame(
            {
                _t("col_code"): [r["code"] for r in pc["targets"]],
                t("indicator"): [
                    fw.indicator(r["code"]).name_vi if vi else fw.indicator(r["code"]).name_en
                    for r in pc["targets"]
                ],
                _t("col_target"): [num(r["target"]) for r in pc["targets"]],
                _t("col_cost"): [
                    num(r["cost"], 1) if r["cost"] is not None else _t("not_money")
                    for r in pc["targets"]
                ],
                _t("col_lead"): [r["lead_unit"] for r in pc["targets"]],
            }
        ),
        hide_index=True,
        key="bud_plan_cost",
    )
    c = st.columns(2)
    c[0].metric(_t("plan_total"), num(pc["total"], 0), border=True)
    c[1].metric(_t("plan_joint"), num(pc["joint"], 0), border=True)
    buys = pc["buys"]["moveable_targets"]
    st.markdown(_t("plan_buys", pii=num(buys["pii"]), rank=buys["rank"]))
    same = pc["same_money"]["optimised"]
    st.markdown(_t("plan_same_money", pii=num(same["pii"]), rank=same["rank"]))

# ---- the lever table -----------------------------------------------------------------------------
st.markdown(f"#### {_t('levers')}")
st.caption(_t("levers_note"))
table = pd.DataFrame(
    {
        "code": [lv.code for lv in moveable],
        "lever": [lv.lever_vi if vi else lv.lever_en for lv in moveable],
        "basis": [_t(f"basis_{lv.basis}") for lv in moveable],
        "item": [lv.item_vi if vi else lv.item_en for lv in moveable],
        "cost": [lv.cost_million_vnd_per_item for lv in moveable],
        "cap": [lv.max_change_per_year_raw for lv in moveable],
        "lag": [lv.lag_years for lv in moveable],
        "note": [lv.source or lv.note for lv in moveable],
    }
)
st.data_editor(
    table,
    hide_index=True,
    key="bud_levers_edit",
    disabled=["code", "lever", "basis", "item", "note"],
    column_config={
        "code": st.column_config.TextColumn(_t("col_code")),
        "lever": st.column_config.TextColumn(_t("col_lever"), width="medium"),
        "basis": st.column_config.TextColumn(_t("col_basis")),
        "item": st.column_config.TextColumn(_t("col_item")),
        "cost": st.column_config.NumberColumn(_t("col_cost_item"), min_value=0.0001, format="%.4g"),
        "cap": st.column_config.NumberColumn(_t("col_cap"), min_value=0.0, format="%.4g"),
        "lag": st.column_config.NumberColumn(_t("col_lag"), min_value=0, max_value=10, step=1),
        "note": st.column_config.TextColumn(_t("col_note"), width="large"),
    },
)

# ---- named assumption sets ----------------------------------------------------------------------
st.markdown(f"#### {_t('sets')}")
msg = st.session_state.pop("bud_msg", None)
if msg:
    getattr(st, msg[0])(msg[1])


def _save_set() -> None:
    name = str(st.session_state.get("bud_set_name") or "")
    try:
        ws.save_assumptions(
            name,
            assumptions.to_json(),
            unit=unit,
            edition=ed.year,
            overwrite=bool(st.session_state.get("bud_set_overwrite")),
        )
        st.session_state["bud_msg"] = ("success", _t("saved", name=md_text(name.strip())))
    except NameTaken:
        st.session_state["bud_msg"] = ("error", _t("name_taken", name=md_text(name.strip())))
    except WorkspaceError as exc:
        st.session_state["bud_msg"] = ("error", str(exc))


sc = st.columns(2, gap="large")
if access.can_write_user_data():
    with sc[0].form("bud_save"):
        st.text_input(_t("set_name"), max_chars=120, key="bud_set_name")
        st.checkbox(_t("overwrite"), key="bud_set_overwrite")
        st.form_submit_button(_t("save"), on_click=_save_set)
else:  # read-only meeting mode: sets can be opened, not saved
    with sc[0]:
        access.read_only_note()
try:
    names = ws.list_assumptions(unit)
except WorkspaceError:
    names = []
if names:
    chosen = sc[1].selectbox(_t("open_set"), names, key="bud_set_pick")
    sc[1].button(_t("open"), on_click=_load_set, args=(chosen,), key="bud_set_open")
else:
    sc[1].caption(_t("no_sets"))
