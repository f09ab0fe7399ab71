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
from ui.i18n import lang, num, tr
from ui.widgets import Metric, big_metrics, md_text, number_styler, report_downloads

T = {
    "vi": {
        "title": "Kế hoạch nâng cao PII — {unit}",
        "intro": "Kế hoạch **{plan}**: {n} chỉ số được giao cho các sở, ngành với mục tiêu năm "
        "2024. Số điểm PII và thứ hạng dưới đây do mô hình tính trên nền PII {year}.",
        "other_unit": "Kế hoạch đang xem là của **{plan_unit}**, còn địa phương đang chọn là "
        "**{unit}** (năm {year}). Chọn {plan_unit} để xem kế hoạch và tác động của nó, hoặc tải "
        "lên kế hoạch của {unit} ở mục «Tải kế hoạch khác».",
        "other_edition": "Kế hoạch của **{plan_unit}** không dùng được với năm PII {year} "
        "(địa phương hoặc chỉ số không có trong năm này).",
        "switch": "Xem {plan_unit} (PII {year})",
        "baseline": "PII hiện trạng",
        "with_plan": "PII nếu đạt kế hoạch",
        "change": "Thay đổi",
        "with_progress": "PII theo tiến độ",
        "rank_line": "Hạng {rank}/{n}",
        "places_up": "tăng {n} bậc",
        "places_down": "giảm {n} bậc",
        "places_same": "giữ nguyên hạng",
        "no_progress_yet": "chưa có cập nhật",
        "help_progress": "PII nếu mỗi chỉ số dừng ở giá trị tiến độ mới nhất đã ghi "
        "(chỉ số chưa có cập nhật giữ nguyên hiện trạng).",
        "depts": "Điểm PII theo sở, ngành chủ trì",
        "depts_caption": "Mỗi dòng: PII nếu **chỉ** sở, ngành đó đạt các mục tiêu của mình. "
        "Tổng các dòng ({sum}) bằng tác động của cả kế hoạch ({total}) vì PII là trung bình "
        "cộng có trọng số của các chỉ số (min–max giữ nguyên). Thứ hạng không cộng được.",
        "depts_caption_renorm": "Mỗi dòng: PII nếu **chỉ** sở, ngành đó đạt các mục tiêu của "
        "mình. Khi tính lại min–max, tổng các dòng ({sum}) chỉ xấp xỉ tác động của cả kế hoạch "
        "({total}).",
        "gap_next": "Cần thêm {gap} điểm PII để vượt lên một bậc.",
        "col_dept": "Sở, ngành chủ trì",
        "col_n": "Số chỉ số",
        "col_codes": "Chỉ số",
        "col_dpii": "Điểm PII",
        "col_pii": "PII nếu đạt",
        "col_rank": "Hạng nếu đạt",
        "col_places": "Số bậc tăng",
        "total": "Cả kế hoạch",
        "filters": "Lọc kế hoạch",
        "f_dept": "Sở, ngành chủ trì",
        "f_pillar": "Trụ cột",
        "all": "Tất cả",
        "stake_label": "{dept}: điểm PII nếu đạt {n} mục tiêu",
        "stake_value": "{dpii} điểm",
        "stake_rank": "Thứ hạng",
        "stake_rank_note": "hạng {before} → {after}",
        "shown": "Đang hiển thị **{shown}/{n}** chỉ số.",
        "table": "Các chỉ số của kế hoạch",
        "col_row": "STT",
        "col_code": "Mã",
        "col_indicator": "Chỉ số",
        "col_pillar": "Trụ cột",
        "col_2023": "Điểm 2023",
        "col_now": "Điểm {year}",
        "col_target": "Mục tiêu",
        "col_target_text": "Mục tiêu (văn bản)",
        "col_gap": "Còn thiếu",
        "col_lead": "Chủ trì",
        "col_coord": "Phối hợp",
        "col_time": "Thời gian",
        "col_latest": "Tiến độ (điểm)",
        "col_date": "Ngày đo",
        "col_done": "Hoàn thành",
        "table_caption": "Điểm: thang 0–100 theo min–max toàn quốc của năm gốc. «Còn thiếu» = "
        "mục tiêu − điểm hiện trạng. «Hoàn thành» = phần đã đi được từ điểm 2023 tới mục tiêu "
        "theo cập nhật mới nhất.",
        "details": "Nhiệm vụ, giải pháp và lịch sử tiến độ",
        "d_target": "**Mục tiêu:** {text} ({score} điểm; hiện trạng {base}, còn thiếu {gap})",
        "d_lead": "**Đơn vị chủ trì:** {lead}",
        "d_coord": "**Đơn vị phối hợp:** {coord}",
        "d_time": "**Thời gian thực hiện:** {time}",
        "d_tasks": "**Nhiệm vụ, giải pháp:**",
        "d_tasks_en": "",
        "d_progress": "Tiến độ: {score} điểm ngày {date} — {pct} chặng đường từ {base} tới {target}",
        "d_no_progress": "Chưa có cập nhật tiến độ.",
        "h_date": "Ngày đo",
        "h_kind": "Loại",
        "h_value": "Giá trị nhập",
        "h_score": "Điểm",
        "h_note": "Ghi chú",
        "h_who": "Người cập nhật",
        "h_recorded": "Ghi lúc",
        "kind_score": "Điểm (0–100)",
        "kind_raw": "Giá trị thực",
        "record": "Ghi nhận tiến độ",
        "r_indicator": "Chỉ số",
        "r_kind": "Nhập theo",
        "r_value": "Giá trị mới",
        "r_value_help": "Điểm 0–100, hoặc giá trị thực theo đơn vị của chỉ số (sẽ được quy ra "
        "điểm theo min–max của năm {year}).",
        "r_date": "Ngày đo",
        "r_note": "Ghi chú",
        "r_who": "Người cập nhật",
        "r_submit": "Ghi tiến độ",
        "r_ok": "Đã ghi tiến độ {code}: {score} điểm, ngày {date}.",
        "r_missing": "Nhập giá trị mới trước khi ghi.",
        "r_bad": "Không ghi được: {msg}",
        "r_store": "Không lưu được vào kho dữ liệu: {msg}",
        "upload": "Tải kế hoạch khác (CSV)",
        "upload_help": "Tệp CSV (UTF-8) cùng cấu trúc với kế hoạch mẫu: các cột {cols}. Bắt buộc: "
        "code, score_2023, target_2024, lead_unit. Kế hoạch sẽ áp dụng cho **{unit}** (PII {year}).",
        "upload_label": "Chọn tệp CSV",
        "template": "Tải kế hoạch mẫu (CSV)",
        "upload_ok": "Đã nạp kế hoạch «{plan}» ({n} chỉ số) cho {unit}.",
        "upload_failed": "Không nạp được kế hoạch; chưa có gì thay đổi. Lỗi:",
        "use_seed": "Dùng lại kế hoạch mẫu (Bắc Giang 2024)",
        "uploaded_active": "Đang dùng kế hoạch tải lên «{plan}» (chỉ trong phiên làm việc này).",
        "err_encoding": "Tệp không phải văn bản UTF-8 — hãy lưu lại dưới dạng «CSV UTF-8».",
        "err_empty": "Tệp không có dòng kế hoạch nào.",
        "err_missing_columns": "Thiếu cột: {value}.",
        "err_field_count": "Dòng {row}: số ô ({value}) không khớp số cột của dòng tiêu đề.",
        "err_too_many_rows": "Tệp có quá nhiều dòng ({value}).",
        "err_unknown_code": "Dòng {row}, cột «{column}»: «{value}» không phải chỉ số của PII {year}.",
        "err_bad_code": "Dòng {row}, cột «{column}»: «{value}» không phải mã chỉ số dạng 2.2.3.",
        "err_not_a_number": "Dòng {row}, cột «{column}»: «{value}» không phải là số.",
        "err_out_of_range": "Dòng {row}, cột «{column}»: «{value}» không nằm trong khoảng 0–100.",
        "err_duplicate_code": "Dòng {row}, cột «{column}»: chỉ số {value} bị lặp.",
        "err_not_a_row_number": "Dòng {row}, cột «{column}»: «{value}» không phải số nguyên.",
        "err_bad_plan_id": "Cột «{column}»: «{value}» không dùng được làm mã kế hoạch "
        "(chữ, số, - _ .).",
        "reports": "Báo cáo",
        "xlsx": "Tải báo cáo Excel",
        "html": "Tải báo cáo HTML (in ra PDF được)",
        "reports_caption": "Báo cáo gồm: hiện trạng, kế hoạch, đóng góp từng chỉ số, sở ngành, "
        "tiến độ và giả định — cùng các con số trên trang này.",
        "not_assigned": "(chưa giao)",
        "preset_plan": "Kế hoạch 2024",
    },
    "en": {
        "title": "PII action plan — {unit}",
        "intro": "Plan **{plan}**: {n} indicators assigned to departments with 2024 targets. "
        "The PII points and ranks below are computed by the model on the PII {year} baseline.",
        "other_unit": "The plan shown is **{plan_unit}**'s, but the selected province is "
        "**{unit}** ({year} edition). Choose {plan_unit} to see the plan and its effect, or "
        "upload {unit}'s plan under “Load another plan”.",
        "other_edition": "**{plan_unit}**'s plan cannot be used with the PII {year} edition "
        "(the province or some indicators are not in it).",
        "switch": "Show {plan_unit} (PII {year})",
        "baseline": "Baseline PII",
        "with_plan": "PII if the plan is met",
        "change": "Change",
        "with_progress": "PII at progress",
        "rank_line": "Rank {rank}/{n}",
        "places_up": "up {n} places",
        "places_down": "down {n} places",
        "places_same": "rank unchanged",
        "no_progress_yet": "no update yet",
        "help_progress": "The PII if every indicator stayed at its latest recorded progress value "
        "(indicators without an update keep their baseline).",
        "depts": "PII points by lead department",
        "depts_caption": "Each row: the PII if **only** that department meets its targets. The "
        "rows add up ({sum}) to the whole plan's effect ({total}) because the PII is a weighted "
        "arithmetic mean of the indicators (frozen min–max). Ranks do not add up.",
        "depts_caption_renorm": "Each row: the PII if **only** that department meets its "
        "targets. With recomputed min–max the rows ({sum}) only approximate the whole plan's "
        "effect ({total}).",
        "gap_next": "{gap} more PII points are needed to move up one place.",
        "col_dept": "Lead department",
        "col_n": "Indicators",
        "col_codes": "Codes",
        "col_dpii": "PII points",
        "col_pii": "PII if met",
        "col_rank": "Rank if met",
        "col_places": "Places gained",
        "total": "Whole plan",
        "filters": "Filter the plan",
        "f_dept": "Lead department",
        "f_pillar": "Pillar",
        "all": "All",
        "stake_label": "{dept}: PII points if its {n} targets are met",
        "stake_value": "{dpii} points",
        "stake_rank": "Rank",
        "stake_rank_note": "rank {before} → {after}",
        "shown": "Showing **{shown} of {n}** indicators.",
        "table": "The plan's indicators",
        "col_row": "No.",
        "col_code": "Code",
        "col_indicator": "Indicator",
        "col_pillar": "Pillar",
        "col_2023": "2023 score",
        "col_now": "{year} score",
        "col_target": "Target",
        "col_target_text": "Target (as printed)",
        "col_gap": "Gap",
        "col_lead": "Lead",
        "col_coord": "Coordinating",
        "col_time": "Timeframe",
        "col_latest": "Progress (score)",
        "col_date": "Measured on",
        "col_done": "Done",
        "table_caption": "Scores: 0–100 on the baseline edition's national min–max. “Gap” = "
        "target − baseline score. “Done” = the share of the way from the 2023 score to the "
        "target covered by the latest update.",
        "details": "Tasks and progress history",
        "d_target": "**Target:** {text} ({score} points; baseline {base}, gap {gap})",
        "d_lead": "**Lead unit:** {lead}",
        "d_coord": "**Coordinating units:** {coord}",
        "d_time": "**Timeframe:** {time}",
        "d_tasks": "**Tasks:**",
        "d_tasks_en": "(as written in the plan, in Vietnamese)",
        "d_progress": "Progress: {score} points on {date} — {pct} of the way from {base} to "
        "{target}",
        "d_no_progress": "No progress recorded yet.",
        "h_date": "Measured on",
        "h_kind": "Type",
        "h_value": "Value entered",
        "h_score": "Score",
        "h_note": "Note",
        "h_who": "Recorded by",
        "h_recorded": "Recorded at",
        "kind_score": "Score (0–100)",
        "kind_raw": "Raw value",
        "record": "Record progress",
        "r_indicator": "Indicator",
        "r_kind": "Enter as",
        "r_value": "New value",
        "r_value_help": "A 0–100 score, or a raw value in the indicator's own unit (converted "
        "to a score on the {year} min–max).",
        "r_date": "Measured on",
        "r_note": "Note",
        "r_who": "Recorded by",
        "r_submit": "Record",
        "r_ok": "Recorded progress for {code}: {score} points on {date}.",
        "r_missing": "Enter the new value first.",
        "r_bad": "Not recorded: {msg}",
        "r_store": "Could not save to the workspace: {msg}",
        "upload": "Load another plan (CSV)",
        "upload_help": "A CSV file (UTF-8) in the layout of the sample plan: columns {cols}. "
        "Required: code, score_2023, target_2024, lead_unit. The plan will apply to **{unit}** "
        "(PII {year}).",
        "upload_label": "Choose a CSV file",
        "template": "Download the sample plan (CSV)",
        "upload_ok": "Loaded plan “{plan}” ({n} indicators) for {unit}.",
        "upload_failed": "The plan was not loaded; nothing has changed. Problems:",
        "use_seed": "Use the sample plan again (Bắc Giang 2024)",
        "uploaded_active": "Using the uploaded plan “{plan}” (for this session only).",
        "err_encoding": "The file is not UTF-8 text — save it as “CSV UTF-8”.",
        "err_empty": "The file has no plan rows.",
        "err_missing_columns": "Missing column(s): {value}.",
        "err_field_count": "Row {row}: {value} cells, which does not match the header.",
        "err_too_many_rows": "The file has too many rows ({value}).",
        "err_unknown_code": "Row {row}, column “{column}”: “{value}” is not an indicator of PII "
        "{year}.",
        "err_bad_code": "Row {row}, column “{column}”: “{value}” is not an indicator code like "
        "2.2.3.",
        "err_not_a_number": "Row {row}, column “{column}”: “{value}” is not a number.",
        "err_out_of_range": "Row {row}, column “{column}”: “{value}” is not between 0 and 100.",
        "err_duplicate_code": "Row {row}, column “{column}”: indicator {value} appears twice.",
        "err_not_a_row_number": "Row {row}, column “{column}”: “{value}” is not a whole number.",
        "err_bad_plan_id": "Column “{column}”: “{value}” cannot be used as a plan id (letters, "
        "digits, - _ .).",
        "reports": "Reports",
        "xlsx": "Download the Excel report",
        "html": "Download the HTML report (prints to PDF)",
        "reports_caption": "The report holds the baseline, the plan, each indicator's "
        "contribution, the departments, progress and assumptions — the numbers on this page.",
        "not_assigned": "(not assigned)",
        "preset_plan": "2024 plan",
    },
}


def _t(key: str, **kw: object) -> str:
    return tr(T, key, **kw)


def _places(change: int) -> str:
    if change > 0:
        return _t("places_up", n=change)
    if change < 0:
        return _t("places_down", n=-change)
    return _t("places_same")


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
            _t(
                f"err_{p.kind}",
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
        _t("upload_ok", plan=md_text(new.plan_id), n=len(new.targets), unit=ed.name(unit, lang())),
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
        st.session_state["_plan_flash"] = ("warning", _t("r_missing"))
        return
    if code not in current.codes:  # the plan changed under the form
        st.session_state["_plan_flash"] = ("error", _t("r_bad", msg=code))
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
        st.session_state["_plan_flash"] = ("error", _t("r_bad", msg=exc))
        return
    except WorkspaceError as exc:
        st.session_state["_plan_flash"] = ("error", _t("r_store", msg=exc))
        return
    st.session_state["pr_value"] = None
    st.session_state["pr_note"] = ""
    st.session_state["_plan_flash"] = (
        "success",
        _t("r_ok", code=code, score=num(score), date=fmt.date(when, lang())),
    )


# ---- header ----------------------------------------------------------------------------------
def _unit_name(slug: str) -> str:
    if slug in ed.slugs:
        return ed.name(slug, lang())
    units = data.units_table()
    match = units[units["slug"] == slug]
    return str(match.iloc[0][f"name_{lang()}"]) if len(match) else slug


plan_unit_name = _unit_name(plan.unit)
st.subheader(_t("title", unit=plan_unit_name))
flash = st.session_state.pop("_plan_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])
if plan is not seed:
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.info(_t("uploaded_active", plan=md_text(plan.plan_id)))
    c2.button(_t("use_seed"), key="plan_use_seed", on_click=_use_seed)

with st.expander(_t("upload"), expanded=bool(st.session_state.get("_plan_upload_errors"))):
    st.markdown(
        _t(
            "upload_help",
            cols=", ".join(planmod.CSV_COLUMNS),
            unit=f.unit_name,
            year=ed.year,
        )
    )
    st.file_uploader(_t("upload_label"), type=["csv"], key="plan_upload", on_change=_upload)
    errors = st.session_state.get("_plan_upload_errors")
    if errors:
        st.error(_t("upload_failed") + "\n\n" + "\n".join(f"- {md_text(e)}" for e in errors))
    st.download_button(
        _t("template"),
        planmod.plan_to_csv(seed),
        file_name="plan_bac_giang_2024.csv",
        mime="text/csv",
        on_click="ignore",
        key="plan_template",
    )

if not plan.applies_to(ed, unit):
    if plan.unit != unit:
        st.warning(_t("other_unit", plan_unit=plan_unit_name, unit=f.unit_name, year=ed.year))
    else:
        st.warning(_t("other_edition", plan_unit=plan_unit_name, year=ed.year))
    year = ed.year if plan.unit in ed.slugs else plan.edition
    st.button(
        _t("switch", plan_unit=plan_unit_name, year=year),
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
    st.error(_t("r_store", msg=exc))
    history = []
latest: dict[str, ProgressEntry] = {}
for entry in history:
    latest.setdefault(entry.code, entry)
u = ed.unit_index(unit)
progress_scenario = base.with_targets({c: e.score for c, e in latest.items()})
progress_out = api.run(progress_scenario) if latest else None

st.markdown(_t("intro", plan=md_text(plan.plan_id), n=len(plan.targets), year=ed.year))


def _rank(rank: int) -> str:
    return _t("rank_line", rank=rank, n=ed.n)


items = [
    Metric(_t("baseline"), num(effect.baseline_pii), note=_rank(effect.baseline_rank)),
    Metric(
        _t("with_plan"),
        num(effect.pii),
        note=f"{_rank(effect.rank)} · {_places(effect.rank_change)}",
    ),
    Metric(
        _t("change"),
        num(effect.delta_pii, sign=True),
        note=_t("gap_next", gap=num(effect.gap_to_next)) if effect.gap_to_next else None,
    ),
]
if progress_out is not None:
    pp = progress_out.summary()["scenario"]
    items.append(
        Metric(
            _t("with_progress"),
            num(pp["pii"]),
            help=_t("help_progress"),
            note=f"{_rank(pp['rank'])} · {_places(effect.baseline_rank - pp['rank'])}",
        )
    )
else:
    items.append(
        Metric(_t("with_progress"), "–", help=_t("help_progress"), note=_t("no_progress_yet"))
    )
big_metrics(items, key="plan_metrics", size="2.4rem")

# ---- departments -----------------------------------------------------------------------------
st.markdown(f"#### {_t('depts')}")
depts = sorted(effect.departments, key=lambda d: -d.delta_pii)
dept_table = pd.DataFrame(
    {
        _t("col_dept"): [planmod.department_label(d.lead_unit, lang()) for d in depts]
        + [_t("total")],
        _t("col_codes"): [", ".join(d.codes) for d in depts] + [""],
        _t("col_dpii"): [d.delta_pii for d in depts] + [effect.delta_pii],
        _t("col_pii"): [d.pii for d in depts] + [effect.pii],
        _t("col_rank"): [f"{d.rank}/{ed.n}" for d in depts] + [f"{effect.rank}/{ed.n}"],
        _t("col_places"): [_signed(d.rank_change) for d in depts] + [_signed(effect.rank_change)],
    }
)
st.dataframe(
    number_styler(
        dept_table,
        {_t("col_dpii"): 2, _t("col_pii"): 2},
        signed=[_t("col_dpii")],
        highlight=[False] * len(depts) + [True],
    ),
    hide_index=True,
    key="plan_depts",
    height=38 + 35 * len(dept_table),
)
dsum = sum(d.delta_pii for d in effect.departments)
st.caption(
    _t(
        "depts_caption" if f.scale == "frozen" else "depts_caption_renorm",
        sum=num(dsum, sign=True),
        total=num(effect.delta_pii, sign=True),
    )
)

# ---- filters ---------------------------------------------------------------------------------
st.markdown(f"#### {_t('filters')}")
c1, c2 = st.columns(2)
at_stake = {d.lead_unit: d.delta_pii for d in effect.departments}
dept_options = ["", *sorted(plan.departments, key=lambda d: -at_stake[d])]
dept = c1.selectbox(
    _t("f_dept"),
    dept_options,
    key="plan_dept",
    on_change=_filters_changed,
    format_func={
        d: planmod.department_label(d, lang()) if d else _t("all") for d in dept_options
    }.get,
)
pillars_in_plan = [p for p in PILLARS if any(fw.pillar_of(c) == p for c in plan.codes)]
li = 0 if lang() == "vi" else 1
pillar = c2.selectbox(
    _t("f_pillar"),
    ["", *pillars_in_plan],
    key="plan_pillar",
    on_change=_filters_changed,
    format_func={
        p: f"{p}. {fw.pillar_names.get(p, (p, p))[li]}" if p else _t("all")
        for p in ["", *pillars_in_plan]
    }.get,
)
if dept:
    d = next(x for x in effect.departments if x.lead_unit == dept)
    with st.container(border=True, key="plan_stake"):
        s1, s2 = st.columns([3, 2])
        s1.metric(
            _t(
                "stake_label",
                dept=planmod.department_label(dept, lang(), short=True),
                n=len(d.codes),
            ),
            _t("stake_value", dpii=num(d.delta_pii, sign=True)),
        )
        s2.metric(_t("stake_rank"), _places(d.rank_change))
        st.caption(
            _t("stake_rank_note", before=effect.baseline_rank, after=d.rank)
            + (" · " + _t("gap_next", gap=num(effect.gap_to_next)) if effect.gap_to_next else "")
        )

rows = [
    pt
    for pt in plan.targets
    if (not dept or pt.lead_unit == dept) and (not pillar or fw.pillar_of(pt.code) == pillar)
]

# ---- the plan table --------------------------------------------------------------------------
st.markdown(f"#### {_t('table')}")
st.markdown(_t("shown", shown=len(rows), n=len(plan.targets)))


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
        "row": st.column_config.NumberColumn(_t("col_row"), width=45),
        "code": st.column_config.TextColumn(_t("col_code"), width=55),
        "indicator": st.column_config.TextColumn(_t("col_indicator"), width=230),
        "lead": st.column_config.TextColumn(_t("col_lead"), width=120),
        "score_2023": st.column_config.NumberColumn(_t("col_2023"), width=80),
        "score_now": st.column_config.NumberColumn(_t("col_now", year=ed.year), width=80),
        "target": st.column_config.NumberColumn(_t("col_target"), width=75),
        "target_text": st.column_config.TextColumn(_t("col_target_text"), width=70),
        "gap": st.column_config.NumberColumn(_t("col_gap"), width=75),
        "latest": st.column_config.TextColumn(_t("col_latest"), width=85),
        "done": st.column_config.ProgressColumn(
            _t("col_done"), min_value=0.0, max_value=100.0, format="%.0f%%", width=100
        ),
        "as_of": st.column_config.TextColumn(_t("col_date"), width=90),
        "pillar": st.column_config.TextColumn(_t("col_pillar"), width=60),
        "timeframe": st.column_config.TextColumn(_t("col_time"), width=100),
        "coord": st.column_config.TextColumn(_t("col_coord"), width=260),
    },
)
st.caption(_t("table_caption"))

# ---- record progress -------------------------------------------------------------------------
st.markdown(f"#### {_t('record')}")
codes = plan.codes  # fixed options; a filter change preselects its first indicator
if not access.can_write_user_data():  # read-only meeting mode: the history stays visible
    access.read_only_note()
else:
    with st.form("progress_form"):
        r1, r2, r3 = st.columns([3, 2, 2])
        r1.selectbox(
            _t("r_indicator"),
            codes,
            key="pr_code",
            format_func={c: f"{c} · {_name(c)}" for c in codes}.get,
        )
        r2.radio(
            _t("r_kind"),
            list(planmod.PROGRESS_KINDS),
            key="pr_kind",
            format_func={k: _t(f"kind_{k}") for k in planmod.PROGRESS_KINDS}.get,
            horizontal=True,
        )
        r3.number_input(
            _t("r_value"),
            value=None,
            key="pr_value",
            format="%.2f",
            help=_t("r_value_help", year=plan.edition),
        )
        r4, r5 = st.columns([2, 3])
        r4.date_input(
            _t("r_date"),
            value=dt.date.today(),
            max_value=dt.date.today(),
            min_value=dt.date(2020, 1, 1),
            key="pr_date",
            format="DD/MM/YYYY",
        )
        r5.text_input(_t("r_who"), key="pr_who", max_chars=120)
        st.text_area(_t("r_note"), key="pr_note", max_chars=2000, height=80)
        st.form_submit_button(_t("r_submit"), type="primary", on_click=_record, args=(plan,))

# ---- details per indicator: tasks in full, progress against the target, history -------------
st.markdown(f"#### {_t('details')}")
for pt in rows:
    lead_short = planmod.department_label(pt.lead_unit, lang(), short=True)
    with st.expander(f"**{pt.code}** · {md_text(_name(pt.code))} — {md_text(lead_short)}"):
        now = _now(pt.code)
        st.markdown(
            _t(
                "d_target",
                text=md_text(pt.target_text),
                score=num(pt.target),
                base=num(now),
                gap=num(max(0.0, pt.target - now)),
            )
            + "  \n"
            + _t("d_lead", lead=md_text(planmod.department_label(pt.lead_unit, lang())))
            + (
                f"  \n{_t('d_coord', coord=md_text(pt.coordinating_units))}"
                if pt.coordinating_units
                else ""
            )
            + (
                f"  \n{_t('d_time', time=md_text(planmod.timeframe_label(pt.timeframe, lang())))}"
                if pt.timeframe
                else ""
            )
        )
        if pt.tasks_vi:
            st.markdown(f"{_t('d_tasks')} {_t('d_tasks_en')}")
            st.markdown("  \n".join(md_text(line) for line in pt.tasks_vi.splitlines()))
        last = latest.get(pt.code)
        if last is not None:
            frac = planmod.progress_fraction(pt.score_2023, pt.target, last.score)
            st.progress(
                frac,
                text=_t(
                    "d_progress",
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
                        _t("h_date"): [fmt.date(e.as_of, lang()) for e in hist],
                        _t("h_kind"): [_t(f"kind_{e.kind}") for e in hist],
                        _t("h_value"): [num(e.value) for e in hist],
                        _t("h_score"): [num(e.score) for e in hist],
                        _t("h_note"): [e.note for e in hist],
                        _t("h_who"): [e.author for e in hist],
                        _t("h_recorded"): [
                            e.recorded_at.astimezone(report.VN_TIME).strftime("%d/%m/%Y %H:%M")
                            for e in hist
                        ],
                    }
                ),
                hide_index=True,
                key=f"plan_hist_{pt.code}",
            )
        else:
            st.caption(_t("d_no_progress"))

# ---- reports ---------------------------------------------------------------------------------
st.markdown(f"#### {_t('reports')}")
rep = report.build(
    plan.scenario(ed, base),
    label=_t("preset_plan") if plan is seed else plan.plan_id,
    lang=lang(),
    plan=plan,
    progress=history,
)
b1, b2 = st.columns(2)
report_downloads(rep, (b1, b2), prefix="plan", labels=(_t("xlsx"), _t("html")), width="stretch")
st.caption(_t("reports_caption"))
