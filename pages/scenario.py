"""Scenario: set targets, see the PII and rank they buy. Widgets -> Scenario -> model -> render."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from model import api, fmt
from model.framework import PILLARS
from model.scenario import Scenario, ScenarioError
from model.workspace import NameTaken, NotFound, Workspace, WorkspaceError
from ui import access, data, frame
from ui import scenario_state as state
from ui.i18n import lang, name_of, num, t, tr
from ui.scenario_figures import contribution_waterfall, pillars_before_after
from ui.widgets import badge_md, md_text

T = {
    "vi": {
        "title": "Kịch bản: nếu đạt các mục tiêu này, {unit} đứng ở đâu?",
        "baseline_note": "Gốc: PII {year} của {unit}. Kéo thanh trượt rồi thả để tính lại.",
        "presets": "Kịch bản có sẵn",
        "preset_baseline": "Hiện trạng",
        "preset_plan": "Kế hoạch 2024",
        "preset_plan_help": "Đặt 17 chỉ số của Kế hoạch nâng cao PII của tỉnh Bắc Giang ở mức mục tiêu 2024.",
        "plan_other_unit": "Kế hoạch 2024 là của Bắc Giang; chọn Bắc Giang (năm 2023 hoặc 2024) để dùng.",
        "plan_section": "17 chỉ số trong Kế hoạch 2024 (đơn vị chủ trì)",
        "other_section": "Các chỉ số khác, theo trụ cột",
        "slider_help": "Điểm chuẩn hóa 0–100 (min–max toàn quốc). Gốc: {base}.",
        "raw_caption": "≈ {raw} {unit} · gốc {base} điểm",
        "raw_caption_plan": "≈ {raw} {unit} · gốc {base} · mục tiêu {target}",
        "type_raw": "Nhập giá trị thực",
        "type_raw_help": "Nhập giá trị theo đơn vị gốc của chỉ số; có thể vượt min–max toàn quốc.",
        "raw_indicator": "Chỉ số",
        "raw_value": "Giá trị thực",
        "apply": "Áp dụng",
        "overrides": "Giá trị nhập ngoài khoảng min–max: {items}",
        "clear_overrides": "Bỏ các giá trị nhập",
        "assumptions": "Giả định",
        "peers": "Các địa phương khác",
        "peers_static": "Giữ nguyên",
        "peers_drift": "Cùng tăng đều",
        "peers_trend": "Theo xu hướng 2023→2024",
        "drift": "Mức tăng đều (điểm/năm)",
        "year": "Năm mục tiêu",
        "results": "Kết quả",
        "pii_delta": "PII kịch bản",
        "rank_delta": "Hạng kịch bản",
        "ranks_up": "{n} bậc",
        "vs_published": "So sánh: PII {year} đã công bố của {unit} là {pii} điểm, hạng {rank}. "
        "(Hai năm dùng ngưỡng min–max khác nhau nên chỉ so sánh tham khảo.)",
        "pillars_chart": "Trụ cột trước và sau",
        "before": "Gốc",
        "after": "Kịch bản",
        "waterfall": "Đóng góp của từng chỉ số vào thay đổi PII",
        "waterfall_note": "Đóng góp = trọng số hiệu dụng × thay đổi điểm; cộng lại đúng bằng thay đổi PII.",
        "no_change": "Chưa có chỉ số nào thay đổi: kéo một thanh trượt hoặc chọn «Kế hoạch 2024».",
        "ranking_around": "Bảng xếp hạng quanh {unit}",
        "col_rank": "Hạng",
        "col_move": "Thay đổi",
        "col_unit": "Địa phương",
        "col_pii": "PII kịch bản",
        "col_pii0": "PII gốc",
        "share": "Chia sẻ kịch bản",
        "share_help": "Đường dẫn này mở lại đúng kịch bản (địa phương, năm, mục tiêu, giả định).",
        "saved": "Kịch bản đã lưu",
        "save_name": "Tên kịch bản",
        "save_note": "Ghi chú",
        "save": "Lưu",
        "overwrite": "Ghi đè nếu trùng tên",
        "saved_ok": "Đã lưu «{name}».",
        "name_taken": "Đã có kịch bản tên «{name}». Chọn tên khác hoặc đánh dấu ghi đè.",
        "not_found": "Không tìm thấy kịch bản «{name}».",
        "store_error": "Không lưu được: {msg}",
        "load": "Mở",
        "rename": "Đổi tên",
        "new_name": "Tên mới",
        "delete": "Xóa",
        "deleted": "Đã xóa «{name}».",
        "none_saved": "Chưa có kịch bản nào được lưu cho địa phương và năm này.",
        "compare": "So sánh hai kịch bản",
        "compare_a": "Kịch bản A",
        "compare_b": "Kịch bản B",
        "current": "Kịch bản đang xem",
        "measure": "Chỉ tiêu",
        "scenario_error": "Không tính được kịch bản: {msg}",
        "capped": "Một số mục tiêu vượt khoảng min–max của năm gốc nên bị chặn ở 100 (chế độ giữ nguyên min–max): {codes}",
        "prov_scenario": "Tính từ 52 chỉ số của địa phương: {official} chính thức, {published} đã công bố, "
        "{reconstructed} ước tính tái dựng.",
        "pillar_pick_help": "Chọn trụ cột để chỉnh các chỉ số của nó; giá trị đã chỉnh ở trụ cột khác vẫn được giữ.",
        "changed_elsewhere": "Đã thay đổi (ngoài Kế hoạch): {codes}",
        "waterfall_alt": "Biểu đồ thác nước: PII đi từ {base} (gốc) đến {total} (kịch bản) qua {n} "
        "chỉ số đã thay đổi; đóng góp lớn nhất: {top}.",
        "pillars_alt": "Biểu đồ cột ngang: điểm 7 trụ cột trước và sau kịch bản. {values}",
    },
    "en": {
        "title": "Scenario: if these targets are met, where does {unit} stand?",
        "baseline_note": "Baseline: {unit}'s PII {year}. Drag a slider and release it to recompute.",
        "presets": "Presets",
        "preset_baseline": "Baseline",
        "preset_plan": "2024 plan",
        "preset_plan_help": "Sets the 17 indicators of Bắc Giang's PII improvement plan to their 2024 targets.",
        "plan_other_unit": "The 2024 plan is Bắc Giang's; choose Bắc Giang (edition 2023 or 2024) to use it.",
        "plan_section": "The 17 indicators of the 2024 plan (lead department)",
        "other_section": "Other indicators, by pillar",
        "slider_help": "Normalised score 0–100 (national min–max). Baseline: {base}.",
        "raw_caption": "≈ {raw} {unit} · baseline {base} points",
        "raw_caption_plan": "≈ {raw} {unit} · baseline {base} · target {target}",
        "type_raw": "Type a raw value",
        "type_raw_help": "Enter a value in the indicator's own unit; it may lie beyond the national min–max.",
        "raw_indicator": "Indicator",
        "raw_value": "Raw value",
        "apply": "Apply",
        "overrides": "Typed values beyond the min–max range: {items}",
        "clear_overrides": "Clear typed values",
        "assumptions": "Assumptions",
        "peers": "Other provinces",
        "peers_static": "Unchanged",
        "peers_drift": "Uniform drift",
        "peers_trend": "Their 2023→2024 trend",
        "drift": "Drift (points per year)",
        "year": "Target year",
        "results": "Result",
        "pii_delta": "Scenario PII",
        "rank_delta": "Scenario rank",
        "ranks_up": "{n} places",
        "vs_published": "For comparison: {unit}'s published PII {year} is {pii} points, rank {rank}. "
        "(The editions use different min–max goalposts, so this is indicative only.)",
        "pillars_chart": "Pillars before and after",
        "before": "Baseline",
        "after": "Scenario",
        "waterfall": "Each indicator's contribution to the PII change",
        "waterfall_note": "Contribution = effective weight × score change; they add up exactly to the PII change.",
        "no_change": "No indicator has changed yet: drag a slider or choose “2024 plan”.",
        "ranking_around": "Ranking around {unit}",
        "col_rank": "Rank",
        "col_move": "Change",
        "col_unit": "Province",
        "col_pii": "Scenario PII",
        "col_pii0": "Baseline PII",
        "share": "Share this scenario",
        "share_help": "This link reopens exactly this scenario (province, edition, targets, assumptions).",
        "saved": "Saved scenarios",
        "save_name": "Scenario name",
        "save_note": "Note",
        "save": "Save",
        "overwrite": "Overwrite if the name exists",
        "saved_ok": "Saved “{name}”.",
        "name_taken": "A scenario named “{name}” exists. Choose another name or tick overwrite.",
        "not_found": "Scenario “{name}” was not found.",
        "store_error": "Could not save: {msg}",
        "load": "Open",
        "rename": "Rename",
        "new_name": "New name",
        "delete": "Delete",
        "deleted": "Deleted “{name}”.",
        "none_saved": "No scenario has been saved for this province and edition yet.",
        "compare": "Compare two scenarios",
        "compare_a": "Scenario A",
        "compare_b": "Scenario B",
        "current": "Current scenario",
        "measure": "Measure",
        "scenario_error": "The scenario cannot be computed: {msg}",
        "capped": "Some targets lie beyond the baseline's min–max range and are capped at 100 (frozen mode): {codes}",
        "prov_scenario": "Computed from the province's 52 indicators: {official} official, {published} "
        "published, {reconstructed} reconstructed estimates.",
        "pillar_pick_help": "Choose a pillar to adjust its indicators; changes made in other pillars are kept.",
        "changed_elsewhere": "Changed (outside the plan): {codes}",
        "waterfall_alt": "Waterfall chart: the PII goes from {base} (baseline) to {total} "
        "(scenario) through {n} changed indicators; the largest contributions: {top}.",
        "pillars_alt": "Horizontal bar chart: the 7 pillar scores before and after the scenario. "
        "{values}",
    },
}


def _t(key: str, **kw: object) -> str:
    return tr(T, key, **kw)


f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
u = ed.unit_index(unit)
plan = data.plan()
plan_here = plan.unit == unit and unit in ed.slugs and ed.year in (2023, 2024)
plan_codes = plan.codes if plan_here else []

st.subheader(_t("title", unit=f.unit_name))
st.caption(_t("baseline_note", unit=f.unit_name, year=ed.year))


def _preset(name: str) -> None:
    base = Scenario(
        unit=unit,
        edition=ed.year,
        peers=state.peers_spec(),
        scale=f.scale,
        target_year=state.target_year(ed),
    )
    state.apply(api.preset(name, base), ed)


def _load_saved(name: str) -> None:
    try:
        saved = Workspace().get_scenario(name)
    except WorkspaceError as exc:
        st.session_state["_flash"] = ("error", str(exc))
        return
    state.apply(saved.scenario, ed)


flash = st.session_state.pop("_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

# ---- presets ---------------------------------------------------------------------------------
cols = st.columns([1, 1, 3])
cols[0].button(
    _t("preset_baseline"),
    on_click=_preset,
    args=("baseline",),
    key="preset_baseline",
    width="stretch",
)
cols[1].button(
    _t("preset_plan"),
    on_click=_preset,
    args=("plan-2024",),
    key="preset_plan",
    type="primary",
    disabled=not plan_here,
    help=_t("preset_plan_help"),
    width="stretch",
)
if not plan_here:
    cols[2].caption(_t("plan_other_unit"))

left, right = st.columns([5, 6], gap="large")


# ---- sliders ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _label(value: float, language: str) -> str:
    return fmt.number(value, language, 2)


def _slider(code: str) -> None:
    ind = fw.indicator(code)
    base = state.baseline_value(ed, unit, code)
    name = ind.name_vi if lang() == "vi" else ind.name_en
    lead = plan.lead_of(code) if code in plan_codes else None
    # Plain text: the label is also the slider's accessible name, read aloud without markup.
    label = f"{code} · {name}" + (f" — {lead}" if lead else "")
    language = lang()
    value = st.select_slider(
        label,
        state.options(base),
        value=base,
        key=state.slider_key(code),
        format_func=lambda v: _label(v, language),
        persist_state="session",
        on_change=state.overrides().pop,
        args=(code, None),
        help=_t("slider_help", base=num(base)),
    )
    over = state.overrides().get(code)
    shown = over if over is not None else value
    raw = float(ed.score_to_raw(code, shown))
    unit_label = ind.unit_vi if lang() == "vi" else ind.unit_en
    target = plan.target_of(code) if lead else None
    if target:
        st.caption(
            _t(
                "raw_caption_plan",
                raw=num(raw),
                unit=unit_label,
                base=num(base),
                target=target.target_text,
            )
        )
    else:
        st.caption(_t("raw_caption", raw=num(raw), unit=unit_label, base=num(base)))


def _apply_raw() -> None:
    raw = st.session_state.get("raw_value")
    if raw is None:
        return
    err = state.set_raw(ed, unit, st.session_state["raw_code"], float(raw))
    if err:
        st.session_state["_flash"] = ("error", err)


def _clear_overrides() -> None:
    for code in list(state.overrides()):
        state.overrides().pop(code)
        st.session_state[state.slider_key(code)] = state.baseline_value(ed, unit, code)


def scenario_codes() -> set[str]:
    return {c for c, _ in state.current(ed, unit, f.scale).targets}


# A link's targets (and preset) are applied once, before the sliders exist.
if not st.session_state.get("_t_link_applied"):
    st.session_state["_t_link_applied"] = True
    link = frame.link_values()
    for key in ("peers", "drift", "year"):
        if key in link:
            st.session_state[key] = link[key]
    if link.get("preset") == "plan-2024" and plan_here:
        _preset("plan-2024")
    elif "t" in link:
        state.apply_link(ed, unit, str(link["t"]))

with left:
    # The sliders scroll inside their own box so the result stays in view beside them.
    with st.container(height=640, border=False, key="sliders_box"):
        if plan_codes:
            st.subheader(_t("plan_section"))
            for code in plan_codes:
                _slider(code)
        st.subheader(_t("other_section"))
        # One pillar's sliders at a time: the others keep their values (persist_state).
        pillar = st.segmented_control(
            t("pillar"),
            list(PILLARS),
            default="1",
            key="pillar_shown",
            required=True,
            format_func=lambda p: f"{p}",
            help=_t("pillar_pick_help"),
        )
        pname = fw.pillar_names.get(pillar, (pillar, pillar))[0 if lang() == "vi" else 1]
        targeted = scenario_codes()
        changed = [c for c in fw.codes if c not in plan_codes and c in targeted]
        st.markdown(f"**{t('pillar')} {pillar} · {pname}**")
        for group in [g for g in fw.groups if g.startswith(f"{pillar}.")]:
            codes = [c for c in fw.codes_in(group=group) if c not in plan_codes]
            if not codes:
                continue
            gname = fw.group_names.get(group, (group, group))[0 if lang() == "vi" else 1]
            with st.expander(f"{t('group')} {group} · {gname}", expanded=True):
                for code in codes:
                    _slider(code)
        if changed:
            st.caption(_t("changed_elsewhere", codes=", ".join(changed)))

    with st.expander(_t("type_raw")):
        with st.form("raw_form", border=False):
            st.selectbox(
                _t("raw_indicator"),
                fw.codes,
                key="raw_code",
                format_func=lambda c: (
                    f"{c} · {fw.indicator(c).name_vi if lang() == 'vi' else fw.indicator(c).name_en}"
                ),
            )
            st.number_input(
                _t("raw_value"),
                value=None,
                key="raw_value",
                help=_t("type_raw_help"),
                format="%.4f",
            )
            st.form_submit_button(_t("apply"), on_click=_apply_raw)
    if state.overrides():
        items = ", ".join(f"{c} = {num(v)}" for c, v in state.overrides().items())
        st.info(_t("overrides", items=items))
        st.button(_t("clear_overrides"), key="clear_overrides", on_click=_clear_overrides)

    with st.expander(_t("assumptions"), expanded=False):
        kind = st.segmented_control(
            _t("peers"),
            list(state.PEERS),
            default="static",
            key="peers",
            format_func=lambda k: _t(f"peers_{k}"),
            required=True,
        )
        if kind == "drift":
            st.number_input(
                _t("drift"),
                -20.0,
                20.0,
                value=state.DEFAULT_DRIFT,
                step=0.1,
                key="drift",
            )
        years = list(range(ed.year + 1, 2031))
        if st.session_state.get("year") not in years:
            st.session_state["year"] = years[0]
        st.selectbox(_t("year"), years, key="year")

# ---- result ----------------------------------------------------------------------------------
scenario = state.current(ed, unit, f.scale)
try:
    out = api.run(scenario)
except ScenarioError as exc:
    right.warning(_t("scenario_error", msg=exc))
    st.stop()

frame.write_link(
    {
        "t": state.encode_targets(scenario) or None,
        "peers": None if scenario.peers == "static" else scenario.peers.split(":", 1)[0],
        "drift": scenario.drift or None,
        "year": None if scenario.target_year == ed.year + 1 else scenario.target_year,
        "preset": None,
    }
)

b, r = out.baseline, out.result
with right:
    st.subheader(_t("results"))
    m = st.columns(2) + st.columns(2)

    def _delta(new: float, old: float) -> str | None:
        return num(new - old, sign=True) if abs(new - old) >= 0.005 else None

    m[0].metric(_t("pii_delta"), num(r.pii[u]), _delta(r.pii[u], b.pii[u]), border=True)
    moved = int(b.rank[u] - r.rank[u])
    m[1].metric(
        _t("rank_delta"),
        f"{int(r.rank[u])}/{ed.n}",
        _t("ranks_up", n=num(moved, 0, sign=True)) if moved else None,
        border=True,
    )
    m[2].metric(t("input"), num(r.input[u]), _delta(r.input[u], b.input[u]), border=True)
    m[3].metric(t("output"), num(r.output[u]), _delta(r.output[u], b.output[u]), border=True)
    kinds = {
        k: int((ed.provenance[u] == k).sum()) for k in ("official", "published", "reconstructed")
    }
    st.markdown(
        badge_md("reconstructed" if kinds["reconstructed"] else "official")
        + " "
        + _t("prov_scenario", **kinds),
        help=t("prov_badge"),
    )
    nxt = data.next_published(unit, ed.year)
    if nxt and nxt["pii"] is not None:
        st.caption(
            _t(
                "vs_published",
                year=nxt["edition"],
                unit=f.unit_name,
                pii=num(nxt["pii"]),
                rank=nxt["rank"],
            )
        )
    capped = [c.code for c in out.contributions if c.capped]
    if capped and scenario.scale == "frozen":
        st.warning(_t("capped", codes=", ".join(capped)))

    contrib = pd.DataFrame(
        [
            {"code": c.code, "delta_score": c.delta_score, "delta_pii": c.delta_pii}
            for c in out.contributions
        ]
    )
    st.markdown(f"**{_t('waterfall')}**")
    if contrib.empty:
        st.info(_t("no_change"))
    else:
        contrib = contrib.sort_values("delta_pii", key=abs, ascending=False)
        contrib["label"] = contrib["code"]
        fig = contribution_waterfall(
            contrib,
            float(b.pii[u]),
            _t("after"),
            _t("before"),
            fmt=lambda v: num(v, 2, sign=True),
            lang=lang(),
        )
        top = ", ".join(
            f"{c} {num(v, 2, sign=True)}"
            for c, v in contrib[["code", "delta_pii"]].head(3).itertuples(index=False)
        )
        st.plotly_chart(
            fig,
            config={"displayModeBar": False},
            key="waterfall",
            alt=_t(
                "waterfall_alt",
                base=num(b.pii[u]),
                total=num(r.pii[u]),
                n=len(contrib),
                top=top,
            ),
        )
        st.caption(_t("waterfall_note"))
        with st.expander(t("chart_data")):
            st.dataframe(
                pd.DataFrame(
                    {
                        "Mã" if lang() == "vi" else "Code": contrib["code"],
                        t("indicator"): [
                            fw.indicator(c).name_vi if lang() == "vi" else fw.indicator(c).name_en
                            for c in contrib["code"]
                        ],
                        "Δ " + t("score"): [num(v, 2, sign=True) for v in contrib["delta_score"]],
                        "Δ PII": [num(v, 3, sign=True) for v in contrib["delta_pii"]],
                    }
                ),
                hide_index=True,
            )

    st.markdown(f"**{_t('pillars_chart')}**")
    pnames = [f"{p}. {fw.pillar_names.get(p, (p, p))[0 if lang() == 'vi' else 1]}" for p in PILLARS]
    st.plotly_chart(
        pillars_before_after(
            pnames,
            b.pillars[u],
            r.pillars[u],
            (_t("before"), _t("after")),
            fmt=lambda v: num(v),
            lang=lang(),
        ),
        config={"displayModeBar": False},
        key="pillars",
        alt=_t(
            "pillars_alt",
            values="; ".join(
                f"{name}: {num(b.pillars[u][k])} → {num(r.pillars[u][k])}"
                for k, name in enumerate(pnames)
            ),
        ),
    )
    with st.expander(t("chart_data")):
        st.table(
            pd.DataFrame(
                {
                    t("pillar"): pnames,
                    _t("before"): [num(v) for v in b.pillars[u]],
                    _t("after"): [num(v) for v in r.pillars[u]],
                    "Δ": [
                        num(y - x, sign=True)
                        for x, y in zip(b.pillars[u], r.pillars[u], strict=True)
                    ],
                }
            ),
            hide_index=True,
            border="horizontal",
        )

    st.markdown(f"**{_t('ranking_around', unit=f.unit_name)}**")
    order = sorted(range(ed.n), key=lambda k: (r.rank[k], ed.slugs[k]))
    pos = order.index(u)
    window = order[max(0, pos - 5) : pos + 6]
    names = ed.units.apply(name_of, axis=1).to_list()

    def _move(k: int) -> str:
        d = int(b.rank[k] - r.rank[k])
        return f"▲ {d}" if d > 0 else (f"▼ {-d}" if d < 0 else "–")

    around = pd.DataFrame(
        {
            _t("col_rank"): [int(r.rank[k]) for k in window],
            _t("col_move"): [_move(k) for k in window],
            _t("col_unit"): [("➤ " if k == u else "") + names[k] for k in window],
            _t("col_pii"): [num(r.pii[k]) for k in window],
            _t("col_pii0"): [num(b.pii[k]) for k in window],
        }
    )
    st.dataframe(around, hide_index=True, key="around")

    # ---- share -------------------------------------------------------------------------------
    st.markdown(f"**{_t('share')}**")
    params = {"lang": f.lang, "edition": ed.year, "unit": unit, "scale": f.scale}
    if scenario.peers != "static":
        params["peers"] = scenario.peers.split(":", 1)[0]
        if scenario.drift:
            params["drift"] = scenario.drift
    params["year"] = state.target_year(ed)
    if scenario.targets:
        params["t"] = state.encode_targets(scenario)
    base_url = (st.context.url or "").split("?", 1)[0]
    st.code(f"{base_url}?{urlencode(params)}", language=None, wrap_lines=True)
    st.caption(_t("share_help"))

# ---- saved scenarios -------------------------------------------------------------------------
st.divider()
st.subheader(_t("saved"))
ws = Workspace()


def _save(current: Scenario) -> None:
    name = str(st.session_state.get("save_name") or "")
    try:
        ws.save_scenario(
            name,
            current,
            note=str(st.session_state.get("save_note") or ""),
            overwrite=bool(st.session_state.get("save_overwrite")),
        )
        st.session_state["_save_msg"] = ("success", _t("saved_ok", name=md_text(name.strip())))
    except NameTaken:
        st.session_state["_save_msg"] = ("error", _t("name_taken", name=md_text(name.strip())))
    except WorkspaceError as exc:
        st.session_state["_save_msg"] = ("error", _t("store_error", msg=exc))


writable = access.can_write_user_data()  # read-only meeting mode: open and compare only
scol, lcol = st.columns([2, 3], gap="large")
with scol:
    if not writable:
        access.read_only_note()
    else:
        with st.form("save_form"):
            st.text_input(_t("save_name"), max_chars=120, key="save_name")
            st.text_area(_t("save_note"), max_chars=1000, key="save_note", height=80)
            st.checkbox(_t("overwrite"), key="save_overwrite")
            st.form_submit_button(_t("save"), type="primary", on_click=_save, args=(scenario,))
    msg = st.session_state.pop("_save_msg", None)
    if msg:
        getattr(st, msg[0])(msg[1])
with lcol:
    try:
        saved = ws.list_scenarios(unit=unit, edition=ed.year)
    except WorkspaceError as exc:
        saved = []
        st.error(_t("store_error", msg=exc))
    if not saved:
        st.caption(_t("none_saved"))
    for sv in saved:
        c = st.columns([4, 1, 2, 1])
        c[0].markdown(f"**{md_text(sv.name)}**" + (f"  \n{md_text(sv.note)}" if sv.note else ""))
        c[1].button(_t("load"), key=f"load_{sv.id}", on_click=_load_saved, args=(sv.name,))
        if not writable:
            continue
        with c[2].popover(_t("rename")):
            new = st.text_input(_t("new_name"), key=f"rename_{sv.id}", max_chars=120)
            if st.button(_t("rename"), key=f"do_rename_{sv.id}") and new:
                try:
                    ws.rename_scenario(sv.name, new)
                    st.rerun()
                except NameTaken:
                    st.error(_t("name_taken", name=md_text(new.strip())))
                except WorkspaceError as exc:
                    st.error(_t("store_error", msg=exc))
        if c[3].button(_t("delete"), key=f"delete_{sv.id}"):
            try:
                ws.delete_scenario(sv.name)
                st.session_state["_flash"] = ("success", _t("deleted", name=md_text(sv.name)))
            except NotFound:
                st.session_state["_flash"] = ("error", _t("not_found", name=md_text(sv.name)))
            st.rerun()

# ---- compare ---------------------------------------------------------------------------------
if saved:
    st.subheader(_t("compare"))
    choices = {_t("current"): scenario} | {sv.name: sv.scenario for sv in saved}
    if plan_here:
        choices[_t("preset_plan")] = api.preset("plan-2024", scenario)
    keys = list(choices)
    ca, cb = st.columns(2)
    a = ca.selectbox(_t("compare_a"), keys, index=0, key="cmp_a")
    bname = cb.selectbox(_t("compare_b"), keys, index=min(1, len(keys) - 1), key="cmp_b")
    rows = []
    outs = {k: api.run(choices[k]) for k in (a, bname)}
    measures = [
        ("PII", lambda o: o.result.pii[u]),
        (t("rank"), lambda o: o.result.rank[u]),
        (t("input"), lambda o: o.result.input[u]),
        (t("output"), lambda o: o.result.output[u]),
    ]
    measures += [
        (f"{t('pillar')} {p}", (lambda k: lambda o: o.result.pillars[u, k])(i))
        for i, p in enumerate(PILLARS)
    ]
    for label, fn in measures:
        va, vb = float(fn(outs[a])), float(fn(outs[bname]))
        dec = 0 if label == t("rank") else 2
        rows.append(
            {
                _t("measure"): label,
                f"A · {a}": num(va, dec),
                f"B · {bname}": num(vb, dec),
                "B − A": num(vb - va, dec, sign=True),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="compare_table")
