"""Reports of a scenario: an Excel workbook and a standalone HTML page (Vietnamese or English).

`build()` gathers everything a report shows from the model (baseline, scenario, the plan and
its departments, progress readings) into one value; `to_xlsx()` and `to_html()` only lay it out,
so the workbook, the HTML and the screens show the same numbers. `write()` puts a report on
disk through a temporary file and a rename: a failure never leaves a half-written file.

The HTML is one self-contained file: inline CSS, charts as inline SVG, no script and no
external resource, so it opens offline and prints to PDF from the browser (A4, page breaks
between sections, table headers repeated on each page).
"""

from __future__ import annotations

import html
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from . import api, fmt
from .dataset import Edition
from .engine import rank_desc
from .framework import PILLARS
from .plan import (
    Plan,
    PlanEffect,
    department_effects,
    department_label,
    progress_fraction,
    timeframe_label,
)
from .scenario import Outcome, Scenario, ScenarioError
from .workspace import ProgressEntry

VN_TIME = timezone(timedelta(hours=7), "ICT")
FORMATS = ("xlsx", "html")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
}

R: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Báo cáo kịch bản PII — {unit}",
        "subtitle": "Chỉ số Đổi mới sáng tạo cấp địa phương (PII) năm {edition} · Kịch bản: {label}",
        "generated": "Lập ngày {date}",
        "baseline": "Hiện trạng",
        "plan": "Kế hoạch",
        "scenario": "Kịch bản",
        "preset_plan": "Kế hoạch 2024",
        "sheet_baseline": "Hiện trạng",
        "sheet_scenario": "Kịch bản",
        "sheet_contrib": "Đóng góp",
        "sheet_plan": "Kế hoạch",
        "sheet_depts": "Sở ngành",
        "sheet_progress": "Tiến độ",
        "sheet_assumptions": "Giả định",
        "level": "Cấp",
        "level_pii": "PII",
        "level_subindex": "Chỉ số phụ",
        "level_pillar": "Trụ cột",
        "level_indicator": "Chỉ số",
        "code": "Mã",
        "name": "Tên",
        "indicator": "Chỉ số",
        "pillar": "Trụ cột",
        "raw": "Giá trị thực",
        "raw_unit": "Đơn vị đo",
        "score": "Điểm",
        "rank": "Hạng",
        "provenance": "Nguồn số liệu",
        "measure": "Chỉ tiêu",
        "change": "Thay đổi",
        "input": "Đầu vào",
        "output": "Đầu ra",
        "pii": "PII",
        "rank_of": "{rank}/{n}",
        "score_base": "Điểm hiện trạng",
        "score_scen": "Điểm kịch bản",
        "delta_score": "Δ điểm",
        "delta_pii": "Δ PII",
        "lead": "Đơn vị chủ trì",
        "coord": "Đơn vị phối hợp",
        "timeframe": "Thời gian thực hiện",
        "tasks": "Nhiệm vụ, giải pháp",
        "capped": "Bị chặn ở 0–100",
        "yes": "có",
        "total": "Tổng",
        "row": "STT",
        "score_2023": "Điểm 2023",
        "score_edition": "Điểm {edition}",
        "target": "Mục tiêu (điểm)",
        "target_text": "Mục tiêu (theo kế hoạch)",
        "gap": "Khoảng cách",
        "latest": "Tiến độ mới nhất (điểm)",
        "latest_date": "Ngày đo",
        "done": "Hoàn thành",
        "dept": "Sở, ngành chủ trì",
        "n_ind": "Số chỉ số",
        "dept_pii": "PII nếu đạt",
        "dept_rank": "Hạng nếu đạt",
        "rank_gain": "Số bậc tăng",
        "date": "Ngày đo",
        "kind": "Loại giá trị",
        "kind_score": "Điểm",
        "kind_raw": "Giá trị thực",
        "value": "Giá trị nhập",
        "note": "Ghi chú",
        "author": "Người cập nhật",
        "recorded": "Thời điểm ghi (giờ VN)",
        "item": "Mục",
        "setting": "Nội dung",
        "a_unit": "Địa phương",
        "a_edition": "Năm công bố PII (năm gốc)",
        "a_scenario": "Kịch bản",
        "a_plan": "Kế hoạch",
        "a_peers": "Các địa phương khác",
        "a_scale": "Cách chuẩn hóa",
        "a_year": "Năm mục tiêu",
        "a_data": "Số liệu",
        "a_method": "Cách tính",
        "a_generated": "Ngày lập",
        "peers_static": "Giữ nguyên như năm gốc",
        "peers_trend": "Theo xu hướng giữa hai năm công bố",
        "peers_drift": "Cùng tăng đều {x} điểm/năm",
        "scale_frozen": "Giữ nguyên min–max của năm gốc (điểm vượt 0–100 bị chặn)",
        "scale_renormalize": "Tính lại min–max trên mọi địa phương",
        "data_note": "Số liệu cấp chỉ số của {unit}: {official} chính thức, {published} đã công bố, "
        "{reconstructed} ước tính tái dựng (khớp mọi số đã công bố: PII, hạng, trụ cột, bình quân "
        "vùng); không phải số liệu chính thức của Bộ KH&CN.",
        "method_note": "PII = trung bình có trọng số của 7 trụ cột (5 trụ cột đầu vào và 2 trụ cột "
        "đầu ra, mỗi nhóm một nửa); trụ cột = trung bình các nhóm; nhóm = trung bình các chỉ số. "
        "Đóng góp của một chỉ số = trọng số hiệu dụng × thay đổi điểm; với trung bình cộng và "
        "min–max giữ nguyên, các đóng góp cộng lại đúng bằng thay đổi PII, và tác động của các "
        "sở ngành cộng lại đúng bằng tác động của cả kế hoạch.",
        "summary": "Tóm tắt",
        "change_vs": "{delta} điểm so với hiện trạng",
        "rank_up": "tăng {n} bậc",
        "rank_down": "giảm {n} bậc",
        "rank_same": "giữ nguyên hạng",
        "contrib_title": "Đóng góp của từng chỉ số vào thay đổi PII",
        "contrib_none": "Kịch bản không thay đổi chỉ số nào.",
        "pillars_title": "Trụ cột: hiện trạng và kịch bản",
        "depts_title": "Điểm PII theo sở, ngành chủ trì (nếu chỉ sở, ngành đó đạt mục tiêu)",
        "depts_note": "Tổng các sở, ngành: {sum} điểm = tác động của cả kế hoạch ({total} điểm). "
        "Cần thêm {gap} điểm để vượt lên một bậc.",
        "depts_note_top": "Tổng các sở, ngành: {sum} điểm = tác động của cả kế hoạch ({total} điểm).",
        "plan_title": "Kế hoạch: chỉ số, mục tiêu, đơn vị thực hiện",
        "progress_title": "Tiến độ (mới nhất trước)",
        "progress_none": "Chưa có cập nhật tiến độ.",
        "assumptions_title": "Giả định và nguồn số liệu",
        "points": "điểm",
        "none": "–",
    },
    "en": {
        "title": "PII scenario report — {unit}",
        "subtitle": "Provincial Innovation Index (PII) {edition} · Scenario: {label}",
        "generated": "Prepared on {date}",
        "baseline": "Baseline",
        "plan": "Plan",
        "scenario": "Scenario",
        "preset_plan": "2024 plan",
        "sheet_baseline": "Baseline",
        "sheet_scenario": "Scenario",
        "sheet_contrib": "Contributions",
        "sheet_plan": "Plan",
        "sheet_depts": "Departments",
        "sheet_progress": "Progress",
        "sheet_assumptions": "Assumptions",
        "level": "Level",
        "level_pii": "PII",
        "level_subindex": "Sub-index",
        "level_pillar": "Pillar",
        "level_indicator": "Indicator",
        "code": "Code",
        "name": "Name",
        "indicator": "Indicator",
        "pillar": "Pillar",
        "raw": "Raw value",
        "raw_unit": "Unit of measure",
        "score": "Score",
        "rank": "Rank",
        "provenance": "Data source",
        "measure": "Measure",
        "change": "Change",
        "input": "Input",
        "output": "Output",
        "pii": "PII",
        "rank_of": "{rank}/{n}",
        "score_base": "Baseline score",
        "score_scen": "Scenario score",
        "delta_score": "Δ score",
        "delta_pii": "Δ PII",
        "lead": "Lead unit",
        "coord": "Coordinating units",
        "timeframe": "Timeframe",
        "tasks": "Tasks (as written in the plan, Vietnamese)",
        "capped": "Capped at 0–100",
        "yes": "yes",
        "total": "Total",
        "row": "No.",
        "score_2023": "2023 score",
        "score_edition": "{edition} score",
        "target": "Target (score)",
        "target_text": "Target (as printed)",
        "gap": "Gap",
        "latest": "Latest progress (score)",
        "latest_date": "Measured on",
        "done": "Done",
        "dept": "Lead department",
        "n_ind": "Indicators",
        "dept_pii": "PII if met",
        "dept_rank": "Rank if met",
        "rank_gain": "Places gained",
        "date": "Measured on",
        "kind": "Value type",
        "kind_score": "Score",
        "kind_raw": "Raw value",
        "value": "Value entered",
        "note": "Note",
        "author": "Recorded by",
        "recorded": "Recorded at (Vietnam time)",
        "item": "Item",
        "setting": "Setting",
        "a_unit": "Province",
        "a_edition": "PII edition (baseline)",
        "a_scenario": "Scenario",
        "a_plan": "Plan",
        "a_peers": "Other provinces",
        "a_scale": "Normalisation",
        "a_year": "Target year",
        "a_data": "Data",
        "a_method": "Method",
        "a_generated": "Prepared on",
        "peers_static": "Unchanged from the baseline edition",
        "peers_trend": "Their trend between two editions",
        "peers_drift": "Uniform drift of {x} points a year",
        "scale_frozen": "Baseline min–max goalposts kept (scores beyond 0–100 capped)",
        "scale_renormalize": "Min–max recomputed over all provinces",
        "data_note": "Indicator values of {unit}: {official} official, {published} published, "
        "{reconstructed} reconstructed estimates (matching every published figure: PII, ranks, "
        "pillars, regional averages); they are not the Ministry's official data.",
        "method_note": "PII = weighted mean of the 7 pillars (5 input and 2 output pillars, half "
        "the weight each); pillar = mean of its groups; group = mean of its indicators. An "
        "indicator's contribution = effective weight × score change; with arithmetic means and "
        "frozen min–max the contributions add up exactly to the PII change, and the departments' "
        "effects add up exactly to the whole plan's.",
        "summary": "Summary",
        "change_vs": "{delta} points against the baseline",
        "rank_up": "up {n} places",
        "rank_down": "down {n} places",
        "rank_same": "rank unchanged",
        "contrib_title": "Each indicator's contribution to the PII change",
        "contrib_none": "The scenario changes no indicator.",
        "pillars_title": "Pillars: baseline and scenario",
        "depts_title": "PII points by lead department (if only that department meets its targets)",
        "depts_note": "Sum over departments: {sum} points = the whole plan's effect ({total} "
        "points). {gap} more points are needed to move up one place.",
        "depts_note_top": "Sum over departments: {sum} points = the whole plan's effect ({total} "
        "points).",
        "plan_title": "The plan: indicators, targets, responsible units",
        "progress_title": "Progress (newest first)",
        "progress_none": "No progress has been recorded yet.",
        "assumptions_title": "Assumptions and data sources",
        "points": "points",
        "none": "–",
    },
}
PROVENANCE = {
    "vi": {
        "official": "Chính thức",
        "published": "Đã công bố",
        "reconstructed": "Ước tính tái dựng",
    },
    "en": {"official": "Official", "published": "Published", "reconstructed": "Reconstructed"},
}


def text(lang: str, key: str, **kw: object) -> str:
    s = R.get(lang, R["vi"]).get(key) or R["vi"][key]
    return s.format(**kw) if kw else s


# --------------------------------------------------------------------------------------------
# What a report shows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Report:
    lang: str
    label: str  # the scenario's name as shown (a saved name, "Kế hoạch 2024", "Hiện trạng")
    outcome: Outcome  # the scenario, beside its baseline
    plan: Plan | None  # None when no plan applies to the unit and edition
    plan_outcome: Outcome | None
    effect: PlanEffect | None
    progress: tuple[ProgressEntry, ...]  # newest first
    generated: datetime  # Vietnam time

    @property
    def edition(self) -> Edition:
        return self.outcome.edition

    @property
    def scenario(self) -> Scenario:
        return self.outcome.scenario

    @property
    def unit(self) -> str:
        return self.scenario.unit

    @property
    def unit_name(self) -> str:
        return self.edition.name(self.unit, self.lang)

    @property
    def is_plan(self) -> bool:
        """Whether the scenario is the plan itself (then it is shown once)."""
        p = self.plan_outcome
        return p is not None and same_result(p.scenario, self.scenario)

    def t(self, key: str, **kw: object) -> str:
        return text(self.lang, key, **kw)

    def num(self, x: float | None, decimals: int = 2, sign: bool = False) -> str:
        return fmt.number(x, self.lang, decimals, sign)

    def indicator_name(self, code: str) -> str:
        ind = self.edition.framework.indicator(code)
        return ind.name_vi if self.lang == "vi" else ind.name_en

    def pillar_name(self, p: str) -> str:
        names = self.edition.framework.pillar_names.get(p, (p, p))
        return names[0 if self.lang == "vi" else 1]

    def columns(self) -> list[tuple[str, Outcome]]:
        """The results side by side: baseline, plan (when it applies), scenario (when it is
        neither the baseline nor the plan)."""
        cols: list[tuple[str, Outcome]] = [(self.t("baseline"), self.outcome)]
        if self.plan_outcome is not None:
            cols.append((self.t("plan"), self.plan_outcome))
        if not self.is_plan and self.scenario.targets:
            cols.append((f"{self.t('scenario')}: {self.label}", self.outcome))
        return cols


def same_result(a: Scenario, b: Scenario) -> bool:
    return (a.unit, a.edition, a.targets, a.peers, a.scale, a.years) == (
        b.unit,
        b.edition,
        b.targets,
        b.peers,
        b.scale,
        b.years,
    )


def build(
    scenario: Scenario,
    *,
    label: str,
    lang: str = "vi",
    plan: Plan | None = None,
    progress: Sequence[ProgressEntry] = (),
    db: Path | None = None,
    generated: datetime | None = None,
) -> Report:
    """Everything a report shows, computed by the model (api.run) and nothing else."""
    if lang not in R:
        raise ScenarioError(f"language must be one of {', '.join(R)}, not {lang!r}")
    outcome = api.run(scenario, db)
    ed = outcome.edition
    plan_outcome = effect = None
    if plan is not None and plan.applies_to(ed, scenario.unit):
        plan_outcome = api.run(plan.scenario(ed, scenario), db)
        trend = api.trend_for(ed, db) if scenario.peers == "trend" else None
        effect = department_effects(plan, ed, scenario, trend)
    else:
        plan, progress = None, ()
    return Report(
        lang=lang,
        label=label,
        outcome=outcome,
        plan=plan,
        plan_outcome=plan_outcome,
        effect=effect,
        progress=tuple(progress),
        generated=generated or datetime.now(VN_TIME),
    )


def headline(rep: Report) -> list[dict]:
    """PII, rank and change for each column (the numbers on the meeting screen)."""
    u = rep.edition.unit_index(rep.unit)
    b = rep.outcome.baseline
    out = []
    for k, (label, o) in enumerate(rep.columns()):
        agg = b if k == 0 else o.result
        out.append(
            {
                "label": label,
                "pii": float(agg.pii[u]),
                "rank": int(agg.rank[u]),
                "delta_pii": float(agg.pii[u] - b.pii[u]),
                "rank_change": int(b.rank[u] - agg.rank[u]),
            }
        )
    return out


def pillar_table(rep: Report) -> list[tuple[str, list[float]]]:
    u = rep.edition.unit_index(rep.unit)
    b = rep.outcome.baseline
    return [
        (
            f"{p}. {rep.pillar_name(p)}",
            [
                float((b if k == 0 else o.result).pillars[u, i])
                for k, (_, o) in enumerate(rep.columns())
            ],
        )
        for i, p in enumerate(PILLARS)
    ]


def measures(rep: Report) -> list[tuple[str, list[float], int]]:
    """Measure rows (PII, rank, input, output, pillars) for every column."""
    u = rep.edition.unit_index(rep.unit)
    b = rep.outcome.baseline
    aggs = [b if k == 0 else o.result for k, (_, o) in enumerate(rep.columns())]
    rows: list[tuple[str, list[float], int]] = [
        (rep.t("pii"), [float(a.pii[u]) for a in aggs], 2),
        (rep.t("rank"), [float(a.rank[u]) for a in aggs], 0),
        (rep.t("input"), [float(a.input[u]) for a in aggs], 2),
        (rep.t("output"), [float(a.output[u]) for a in aggs], 2),
    ]
    rows += [
        (f"{rep.t('pillar')} {p}. {rep.pillar_name(p)}", [float(a.pillars[u, i]) for a in aggs], 2)
        for i, p in enumerate(PILLARS)
    ]
    return rows


def contributions(rep: Report) -> list[dict]:
    """The scenario's contributions, largest first (the plan's when the scenario is the plan)."""
    plan = rep.plan
    rows = [
        {
            "code": c.code,
            "name": rep.indicator_name(c.code),
            "pillar": rep.edition.framework.pillar_of(c.code),
            "baseline": c.baseline_score,
            "scenario": c.scenario_score,
            "delta_score": c.delta_score,
            "delta_pii": c.delta_pii,
            "lead": department_label(plan.lead_of(c.code) or "", rep.lang)
            if plan is not None and plan.lead_of(c.code) is not None
            else "",
            "capped": c.capped,
        }
        for c in rep.outcome.contributions
    ]
    return sorted(rows, key=lambda r: -abs(r["delta_pii"]))


def plan_rows(rep: Report) -> list[dict]:
    """The plan's indicators with their targets, gap and latest progress."""
    if rep.plan is None:
        return []
    ed = rep.edition
    u = ed.unit_index(rep.unit)
    latest: dict[str, ProgressEntry] = {}
    for e in rep.progress:
        latest.setdefault(e.code, e)
    out = []
    for t in rep.plan.targets:
        base = float(ed.scores[u, ed.framework.index[t.code]])
        last = latest.get(t.code)
        out.append(
            {
                "row": t.row,
                "code": t.code,
                "name": rep.indicator_name(t.code),
                "pillar": ed.framework.pillar_of(t.code),
                "score_2023": t.score_2023,
                "score_edition": base,
                "target": t.target,
                "target_text": t.target_text,
                "gap": max(0.0, t.target - base),
                "lead": department_label(t.lead_unit, rep.lang),
                "coord": t.coordinating_units,
                "timeframe": timeframe_label(t.timeframe, rep.lang),
                "tasks": t.tasks_vi,
                "latest": last.score if last else None,
                "latest_date": last.as_of if last else None,
                "done": progress_fraction(t.score_2023, t.target, last.score) if last else None,
            }
        )
    return out


def department_rows(rep: Report) -> list[dict]:
    """Departments by PII at stake, largest first."""
    if rep.effect is None:
        return []
    rows = [
        {
            "dept": department_label(d.lead_unit, rep.lang),
            "short": department_label(d.lead_unit, rep.lang, short=True),
            "lead_unit": d.lead_unit,
            "codes": d.codes,
            "delta_pii": d.delta_pii,
            "pii": d.pii,
            "rank": d.rank,
            "rank_change": d.rank_change,
        }
        for d in rep.effect.departments
    ]
    return sorted(rows, key=lambda r: -r["delta_pii"])


def assumptions(rep: Report) -> list[tuple[str, str]]:
    s, ed = rep.scenario, rep.edition
    u = ed.unit_index(rep.unit)
    kinds = {k: int((ed.provenance[u] == k).sum()) for k in PROVENANCE["vi"]}
    if s.peers.startswith("drift:"):
        peers = rep.t("peers_drift", x=rep.num(s.drift, 2))
    else:
        peers = rep.t(f"peers_{s.peers}")
    rows = [
        (rep.t("a_unit"), rep.unit_name),
        (rep.t("a_edition"), str(ed.year)),
        (rep.t("a_scenario"), rep.label),
        (rep.t("a_peers"), peers),
        (rep.t("a_scale"), rep.t(f"scale_{s.scale}")),
        (rep.t("a_year"), str(s.target_year or ed.year + 1)),
    ]
    if rep.plan is not None:
        rows.append((rep.t("a_plan"), f"{rep.plan.plan_id} ({len(rep.plan.targets)})"))
    rows += [
        (rep.t("a_data"), rep.t("data_note", unit=rep.unit_name, **kinds)),
        (rep.t("a_method"), rep.t("method_note")),
        (rep.t("a_generated"), fmt.date(rep.generated, rep.lang)),
    ]
    return rows


def _recorded(e: ProgressEntry) -> datetime:
    return e.recorded_at.astimezone(VN_TIME).replace(tzinfo=None)


def _kind(rep: Report, kind: str) -> str:
    return rep.t("kind_score" if kind == "score" else "kind_raw")


# --------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------

NUM2 = "#,##0.00"
SIGNED2 = "+#,##0.00;-#,##0.00;0.00"
INT = "0"
SIGNED_INT = "+0;-0;0"
PCT = "0%"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"


def to_xlsx(rep: Report) -> bytes:
    """The workbook: one sheet per part, Vietnamese (or English) headers, frozen header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="0B5CAD")
    thin = Side(style="thin", color="C9D1DB")
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(
        key: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        formats: dict[int, str] | None = None,
        widths: Sequence[float] | None = None,
    ) -> None:
        ws = wb.create_sheet(rep.t(key))
        ws.append(list(headers))
        for c in ws[1]:
            c.font, c.fill = head_font, head_fill
            c.alignment = Alignment(wrap_text=True, vertical="center")
            c.border = Border(bottom=thin)
        for r in rows:
            ws.append(list(r))
        formats = formats or {}
        for row in ws.iter_rows(min_row=2):
            for k, c in enumerate(row):
                if k in formats and isinstance(c.value, int | float | date):
                    c.number_format = formats[k]
                if isinstance(c.value, str):
                    c.alignment = wrap
        for k, h in enumerate(headers):
            width = (widths[k] if widths else None) or min(
                60,
                max(
                    [len(str(h)) + 2]
                    + [len(_shown(r[k], formats.get(k))) + 2 for r in rows if k < len(r)]
                ),
            )
            ws.column_dimensions[get_column_letter(k + 1)].width = width
        ws.row_dimensions[1].height = 32
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = ws.dimensions

    ed = rep.edition
    u = ed.unit_index(rep.unit)
    n = ed.n
    b = rep.outcome.baseline

    # Baseline: PII, sub-indices, pillars and indicators of the unit, with their national ranks.
    prof = api.profile(rep.unit, ed.year)
    name_key = f"name_{rep.lang}"
    p_ranks = np.column_stack([rank_desc(b.pillars[:, k]) for k in range(len(PILLARS))])
    base_rows: list[list[object]] = [
        [rep.t("level_pii"), "PII", rep.t("pii"), None, "", float(b.pii[u]), int(b.rank[u]), ""],
        [
            rep.t("level_subindex"),
            "",
            rep.t("input"),
            None,
            "",
            float(b.input[u]),
            int(rank_desc(b.input)[u]),
            "",
        ],
        [
            rep.t("level_subindex"),
            "",
            rep.t("output"),
            None,
            "",
            float(b.output[u]),
            int(rank_desc(b.output)[u]),
            "",
        ],
    ]
    base_rows += [
        [
            rep.t("level_pillar"),
            p,
            rep.pillar_name(p),
            None,
            "",
            float(b.pillars[u, k]),
            int(p_ranks[u, k]),
            "",
        ]
        for k, p in enumerate(PILLARS)
    ]
    base_rows += [
        [
            rep.t("level_indicator"),
            i["code"],
            i.get(name_key) or i["name_vi"],
            None if i["raw"] is None or i["raw"] != i["raw"] else float(i["raw"]),
            _unit_of(ed, i["code"], rep.lang),
            None if i["score"] is None or i["score"] != i["score"] else float(i["score"]),
            int(i["rank"]) if i["rank"] is not None else None,
            PROVENANCE[rep.lang].get(i["provenance"], i["provenance"]),
        ]
        for i in prof["indicators"]
    ]
    sheet(
        "sheet_baseline",
        [
            rep.t("level"),
            rep.t("code"),
            rep.t("name"),
            rep.t("raw"),
            rep.t("raw_unit"),
            rep.t("score"),
            rep.t("rank") + f" (/{n})",
            rep.t("provenance"),
        ],
        base_rows,
        {3: NUM2, 5: NUM2, 6: INT},
        [14, 8, 60, 14, 22, 10, 10, 20],
    )

    # Scenario: every column side by side, and the change of the last one from the baseline.
    cols = rep.columns()
    rows = []
    for label, values, dec in measures(rep):
        change = values[-1] - values[0]
        if label == rep.t("rank"):
            change = values[0] - values[-1]  # places gained
        rows.append([label, *(int(v) if dec == 0 else v for v in values), change])
    fmts = {k: NUM2 for k in range(1, len(cols) + 1)}
    fmts[len(cols) + 1] = SIGNED2
    sheet(
        "sheet_scenario",
        [rep.t("measure"), *(label for label, _ in cols), rep.t("change")],
        rows,
        fmts,
        [46, *([16] * len(cols)), 14],
    )
    ws = wb[rep.t("sheet_scenario")]
    for c in ws[3][1:]:  # the rank row: whole numbers
        c.number_format = SIGNED_INT if c.column == len(cols) + 2 else INT

    # Contributions of the scenario, with their total (= the PII change under arithmetic means).
    contrib = contributions(rep)
    crow: list[list[object]] = [
        [
            c["code"],
            c["name"],
            c["pillar"],
            c["baseline"],
            c["scenario"],
            c["delta_score"],
            c["delta_pii"],
            c["lead"],
            rep.t("yes") if c["capped"] else "",
        ]
        for c in contrib
    ]
    if contrib:
        crow.append(
            [
                rep.t("total"),
                "",
                "",
                None,
                None,
                None,
                float(sum(c["delta_pii"] for c in contrib)),
                "",
                "",
            ]
        )
    sheet(
        "sheet_contrib",
        [
            rep.t("code"),
            rep.t("indicator"),
            rep.t("pillar"),
            rep.t("score_base"),
            rep.t("score_scen"),
            rep.t("delta_score"),
            rep.t("delta_pii"),
            rep.t("lead"),
            rep.t("capped"),
        ],
        crow,
        {3: NUM2, 4: NUM2, 5: SIGNED2, 6: SIGNED2},
        [8, 56, 8, 12, 12, 10, 10, 34, 10],
    )
    if contrib:
        wb[rep.t("sheet_contrib")].cell(row=len(crow) + 1, column=1).font = Font(bold=True)

    # The plan and each department's share.
    prow = plan_rows(rep)
    other = ed.year != (rep.plan.edition if rep.plan else ed.year)
    heads = [
        rep.t("row"),
        rep.t("code"),
        rep.t("indicator"),
        rep.t("pillar"),
        rep.t("score_2023"),
    ]
    heads += [rep.t("score_edition", edition=ed.year)] if other else []
    heads += [
        rep.t("target"),
        rep.t("target_text"),
        rep.t("gap"),
        rep.t("lead"),
        rep.t("coord"),
        rep.t("timeframe"),
        rep.t("tasks"),
        rep.t("latest"),
        rep.t("latest_date"),
        rep.t("done"),
    ]
    plan_data = [
        [
            r["row"],
            r["code"],
            r["name"],
            r["pillar"],
            r["score_2023"],
            *([r["score_edition"]] if other else []),
            r["target"],
            r["target_text"],
            r["gap"],
            r["lead"],
            r["coord"],
            r["timeframe"],
            r["tasks"],
            r["latest"],
            r["latest_date"],
            r["done"],
        ]
        for r in prow
    ]
    o = 1 if other else 0
    sheet(
        "sheet_plan",
        heads,
        plan_data,
        {4: NUM2, 5: NUM2, 5 + o: NUM2, 7 + o: NUM2, 12 + o: NUM2, 13 + o: DATE, 14 + o: PCT},
        [6, 8, 44, 8, 10, *([10] if other else []), 10, 12, 11, 30, 30, 14, 90, 14, 12, 11],
    )
    drows = department_rows(rep)
    dept_data: list[list[object]] = [
        [
            d["dept"],
            ", ".join(d["codes"]),
            len(d["codes"]),
            d["delta_pii"],
            d["pii"],
            d["rank"],
            d["rank_change"],
        ]
        for d in drows
    ]
    if rep.effect is not None:
        dept_data.append(
            [
                rep.t("total"),
                "",
                sum(len(d["codes"]) for d in drows),
                rep.effect.delta_pii,
                rep.effect.pii,
                rep.effect.rank,
                rep.effect.rank_change,
            ]
        )
    sheet(
        "sheet_depts",
        [
            rep.t("dept"),
            rep.t("code"),
            rep.t("n_ind"),
            rep.t("delta_pii"),
            rep.t("dept_pii"),
            rep.t("dept_rank"),
            rep.t("rank_gain"),
        ],
        dept_data,
        {2: INT, 3: SIGNED2, 4: NUM2, 5: INT, 6: SIGNED_INT},
        [48, 34, 10, 10, 12, 12, 12],
    )
    if dept_data:
        wb[rep.t("sheet_depts")].cell(row=len(dept_data) + 1, column=1).font = Font(bold=True)

    # Progress history, newest first.
    targets = {t.code: t for t in rep.plan.targets} if rep.plan else {}
    prog = [
        [
            e.code,
            rep.indicator_name(e.code),
            e.as_of,
            _kind(rep, e.kind),
            e.value,
            e.score,
            targets[e.code].score_2023 if e.code in targets else None,
            targets[e.code].target if e.code in targets else None,
            progress_fraction(targets[e.code].score_2023, targets[e.code].target, e.score)
            if e.code in targets
            else None,
            e.note,
            e.author,
            _recorded(e),
        ]
        for e in rep.progress
    ]
    sheet(
        "sheet_progress",
        [
            rep.t("code"),
            rep.t("indicator"),
            rep.t("date"),
            rep.t("kind"),
            rep.t("value"),
            rep.t("score"),
            rep.t("score_2023"),
            rep.t("target"),
            rep.t("done"),
            rep.t("note"),
            rep.t("author"),
            rep.t("recorded"),
        ],
        prog,
        {2: DATE, 4: NUM2, 5: NUM2, 6: NUM2, 7: NUM2, 8: PCT, 11: DATETIME},
        [8, 44, 12, 12, 12, 10, 10, 12, 11, 40, 20, 18],
    )

    sheet(
        "sheet_assumptions",
        [rep.t("item"), rep.t("setting")],
        assumptions(rep),
        {},
        [30, 100],
    )
    wb.properties.title = rep.t("title", unit=rep.unit_name)
    wb.properties.creator = "PII scenario simulator"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _shown(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return "00/00/0000 00:00" if isinstance(value, datetime) else "00/00/0000"
    return str(value)


def _unit_of(ed: Edition, code: str, lang: str) -> str:
    ind = ed.framework.indicator(code)
    return (ind.unit_vi if lang == "vi" else ind.unit_en) or ""


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

BLUE, GREY, GREEN, RED, INK = "#0b5cad", "#7b8794", "#1b7f3b", "#b42318", "#111827"

CSS = """
:root { --ink: #111827; --muted: #4b5563; --line: #d5dbe3; --blue: #0b5cad; --bg: #f1f4f8; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1100px; padding: 24px; line-height: 1.45; font-size: 15px;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--blue); }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; background: #fff; }
.card .label { font-weight: 600; color: var(--muted); }
.card .pii { font-size: 34px; font-weight: 700; line-height: 1.15; }
.card .rank { font-size: 20px; font-weight: 600; }
.card .delta { color: var(--muted); }
.up { color: #1b7f3b; } .down { color: #b42318; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 8px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
.tasks { white-space: pre-line; font-size: 12.5px; color: #1f2937; margin-top: 4px; }
table.plan { table-layout: fixed; }
table.plan tr.detail td { border-bottom: 2px solid var(--line); padding-bottom: 10px; font-size: 13px; }
table.plan tbody.item tr:first-child td { border-bottom: none; }
.note { color: var(--muted); font-size: 13px; }
figure { margin: 8px 0 12px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { font-family: inherit; }
.bar { display: inline-block; height: 10px; background: var(--blue); vertical-align: middle; }
.track { display: inline-block; width: 80px; height: 10px; background: var(--bg); margin-right: 6px;
  vertical-align: middle; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 12px; }
  h2 { break-after: avoid; }
  section { break-inside: avoid-page; }
  section.long { break-inside: auto; }
  .page-break { break-before: page; }
  thead { display: table-header-group; }
  tr, figure, .card, tbody.item { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(x: object) -> str:
    return html.escape(str(x), quote=True)


def _clip(label: str, width_px: int, px_per_char: float = 7.4) -> str:
    """Shorten a chart label to fit its column (13 px type); the full text is in the tooltip."""
    n = max(8, int((width_px - 12) / px_per_char))
    return label if len(label) <= n else label[: n - 1].rstrip() + "…"


def _bars_svg(
    labels: Sequence[str],
    values: Sequence[float],
    fmt_value: Callable[[float], str],
    *,
    title: str,
    colors: Sequence[str] | None = None,
    width: int = 900,
    label_width: int = 330,
) -> str:
    """A horizontal bar chart as inline SVG (zero line; negatives to the left)."""
    row_h, top = 26, 6
    height = top * 2 + row_h * max(1, len(values))
    lo, hi = min(0.0, *values) if values else 0.0, max(0.0, *values) if values else 1.0
    span = (hi - lo) or 1.0
    plot_w = width - label_width - 80
    x0 = label_width + (0 - lo) / span * plot_w
    parts = [
        f'<svg role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">'
    ]
    for k, (lab, v) in enumerate(zip(labels, values, strict=True)):
        y = top + k * row_h
        w = abs(v) / span * plot_w
        x = x0 if v >= 0 else x0 - w
        color = colors[k] if colors else (GREEN if v >= 0 else RED)
        short = _clip(lab, label_width)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="{INK}">{_e(short)}</text>'
            f'<rect x="{x:.1f}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row_h - 8}" '
            f'fill="{color}"><title>{_e(lab)}: {_e(fmt_value(v))}</title></rect>'
            f'<text x="{(x + w + 6) if v >= 0 else (x - 6):.1f}" y="{y + 17}" font-size="13" '
            f'text-anchor="{"start" if v >= 0 else "end"}" fill="{INK}">{_e(fmt_value(v))}</text>'
        )
    parts.append(
        f'<line x1="{x0:.1f}" x2="{x0:.1f}" y1="0" y2="{height}" stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _grouped_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    fmt_value: Callable[[float], str],
    *,
    title: str,
    width: int = 900,
    label_width: int = 330,
) -> str:
    """Grouped horizontal bars on a 0-100 axis (pillars before and after), with a legend."""
    bar_h, gap, top = 14, 12, 30
    group_h = bar_h * len(series) + gap
    height = top + group_h * len(labels) + 6
    plot_w = width - label_width - 70
    parts = [
        f'<svg role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">'
    ]
    lx = label_width
    for name, _, color in series:
        parts.append(
            f'<rect x="{lx}" y="6" width="14" height="14" fill="{color}"/>'
            f'<text x="{lx + 20}" y="18" font-size="13" fill="{INK}">{_e(name)}</text>'
        )
        lx += 30 + 8 * len(name)
    for g, lab in enumerate(labels):
        y0 = top + g * group_h
        short = _clip(lab, label_width)
        parts.append(
            f'<text x="{label_width - 8}" y="{y0 + bar_h * len(series) / 2 + 5}" '
            f'text-anchor="end" font-size="13" fill="{INK}">{_e(short)}</text>'
        )
        for s, (name, values, color) in enumerate(series):
            v = float(values[g])
            w = max(0.0, min(v, 100.0)) / 100.0 * plot_w
            y = y0 + s * bar_h
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h - 2}" '
                f'fill="{color}"><title>{_e(lab)} · {_e(name)}: {_e(fmt_value(v))}</title></rect>'
                f'<text x="{label_width + w + 5:.1f}" y="{y + bar_h - 3}" font-size="12" '
                f'fill="{INK}">{_e(fmt_value(v))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _places(rep: Report, change: int) -> str:
    return rep.num(change, 0, sign=True) if change else "0"


def _rank_text(rep: Report, change: int) -> str:
    if change > 0:
        return rep.t("rank_up", n=change)
    if change < 0:
        return rep.t("rank_down", n=-change)
    return rep.t("rank_same")


def _table(
    headers: Sequence[tuple[str, bool]],
    rows: Sequence[Sequence[str]],
    total: Sequence[str] | None = None,
    raw_cells: frozenset[int] = frozenset(),
) -> str:
    """headers: (label, numeric); cells are escaped unless their column is in raw_cells."""
    out = ["<table><thead><tr>"]
    out += [f"<th{' class=n' if numeric else ''}>{_e(h)}</th>" for h, numeric in headers]
    out.append("</tr></thead><tbody>")

    def line(cells: Sequence[str], cls: str = "") -> None:
        out.append(f"<tr{f' class={cls}' if cls else ''}>")
        for k, (cell, (_, numeric)) in enumerate(zip(cells, headers, strict=True)):
            body = cell if k in raw_cells else _e(cell)
            out.append(f"<td{' class=n' if numeric else ''}>{body}</td>")
        out.append("</tr>")

    for r in rows:
        line(r)
    if total is not None:
        line(total, "total")
    out.append("</tbody></table>")
    return "".join(out)


def to_html(rep: Report) -> str:
    """The standalone report page (UTF-8), ready to open offline or print to PDF."""
    n = rep.edition.n
    num = rep.num
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{rep.lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(rep.t('title', unit=rep.unit_name))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_e(rep.t('title', unit=rep.unit_name))}</h1>",
        f'<p class="sub">{_e(rep.t("subtitle", edition=rep.edition.year, label=rep.label))}'
        f" · {_e(rep.t('generated', date=fmt.date(rep.generated, rep.lang)))}</p>",
    ]

    # Summary cards
    parts.append(f'<section><h2>{_e(rep.t("summary"))}</h2><div class="cards">')
    for k, h in enumerate(headline(rep)):
        delta = "" if k == 0 else rep.t("change_vs", delta=num(h["delta_pii"], 2, sign=True))
        cls = "up" if h["rank_change"] > 0 else ("down" if h["rank_change"] < 0 else "")
        moved = "" if k == 0 else _rank_text(rep, h["rank_change"])
        parts.append(
            f'<div class="card"><div class="label">{_e(h["label"])}</div>'
            f'<div class="pii" data-key="pii-{k}">{_e(num(h["pii"]))}</div>'
            f'<div class="rank">{_e(rep.t("rank"))} '
            f"{_e(rep.t('rank_of', rank=h['rank'], n=n))}</div>"
            f'<div class="delta">{_e(delta)}{"<br>" if delta else ""}'
            f'<span class="{cls}">{_e(moved)}</span></div></div>'
        )
    parts.append("</div>")
    cols = rep.columns()
    rows = []
    for label, values, dec in measures(rep):
        cells = [label, *(num(v, dec) for v in values)]
        if len(values) > 1:
            if dec == 0:
                cells.append(_places(rep, int(values[0] - values[-1])))
            else:
                cells.append(num(values[-1] - values[0], 2, sign=True))
        rows.append(cells)
    heads = [(rep.t("measure"), False), *((label, True) for label, _ in cols)]
    if len(cols) > 1:
        heads.append((rep.t("change"), True))
    parts.append(_table(heads, rows))
    parts.append("</section>")

    # Contributions chart + table
    contrib = contributions(rep)
    parts.append(f"<section><h2>{_e(rep.t('contrib_title'))}</h2>")
    if contrib:
        parts.append(
            "<figure>"
            + _bars_svg(
                [f"{c['code']} {c['name']}" for c in contrib],
                [c["delta_pii"] for c in contrib],
                lambda v: num(v, 3, sign=True),
                title=rep.t("contrib_title"),
            )
            + "</figure>"
        )
        parts.append(
            _table(
                [
                    (rep.t("code"), False),
                    (rep.t("indicator"), False),
                    (rep.t("score_base"), True),
                    (rep.t("score_scen"), True),
                    (rep.t("delta_score"), True),
                    (rep.t("delta_pii"), True),
                    (rep.t("lead"), False),
                ],
                [
                    [
                        c["code"],
                        c["name"],
                        num(c["baseline"]),
                        num(c["scenario"]),
                        num(c["delta_score"], 2, sign=True),
                        num(c["delta_pii"], 3, sign=True),
                        c["lead"],
                    ]
                    for c in contrib
                ],
                total=[
                    rep.t("total"),
                    "",
                    "",
                    "",
                    "",
                    num(sum(c["delta_pii"] for c in contrib), 3, sign=True),
                    "",
                ],
            )
        )
    else:
        parts.append(f'<p class="note">{_e(rep.t("contrib_none"))}</p>')
    parts.append("</section>")

    # Pillars
    colors = [GREY, BLUE, "#d97706"]
    series = [
        (label, [v[k] for _, v in pillar_table(rep)], colors[k % len(colors)])
        for k, (label, _) in enumerate(cols)
    ]
    parts.append(
        f"<section><h2>{_e(rep.t('pillars_title'))}</h2><figure>"
        + _grouped_svg(
            [lab for lab, _ in pillar_table(rep)],
            series,
            lambda v: num(v),
            title=rep.t("pillars_title"),
        )
        + "</figure></section>"
    )

    # Departments
    drows = department_rows(rep)
    if drows and rep.effect is not None:
        eff = rep.effect
        parts.append(f'<section class="page-break"><h2>{_e(rep.t("depts_title"))}</h2>')
        parts.append(
            "<figure>"
            + _bars_svg(
                [d["dept"] for d in drows],
                [d["delta_pii"] for d in drows],
                lambda v: num(v, 2, sign=True),
                title=rep.t("depts_title"),
                colors=[BLUE] * len(drows),
            )
            + "</figure>"
        )
        parts.append(
            _table(
                [
                    (rep.t("dept"), False),
                    (rep.t("code"), False),
                    (rep.t("delta_pii"), True),
                    (rep.t("dept_pii"), True),
                    (rep.t("dept_rank"), True),
                    (rep.t("rank_gain"), True),
                ],
                [
                    [
                        d["dept"],
                        ", ".join(d["codes"]),
                        num(d["delta_pii"], 2, sign=True),
                        num(d["pii"]),
                        str(d["rank"]),
                        _places(rep, d["rank_change"]),
                    ]
                    for d in drows
                ],
                total=[
                    rep.t("total"),
                    "",
                    num(eff.delta_pii, 2, sign=True),
                    num(eff.pii),
                    str(eff.rank),
                    _places(rep, eff.rank_change),
                ],
            )
        )
        total = num(sum(d["delta_pii"] for d in drows), 2, sign=True)
        note = (
            rep.t(
                "depts_note",
                sum=total,
                total=num(eff.delta_pii, 2, sign=True),
                gap=num(eff.gap_to_next),
            )
            if eff.gap_to_next is not None
            else rep.t("depts_note_top", sum=total, total=num(eff.delta_pii, 2, sign=True))
        )
        parts.append(f'<p class="note">{_e(note)}</p></section>')

    # Plan: one block per indicator, numbers on the first line, units and tasks under them.
    prow = plan_rows(rep)
    if prow:
        parts.append(f'<section class="long page-break"><h2>{_e(rep.t("plan_title"))}</h2>')
        heads = [
            (rep.t("row"), "n", "5%"),
            (rep.t("indicator"), "", "37%"),
            (rep.t("score_2023"), "n", "10%"),
            (rep.t("target"), "n", "12%"),
            (rep.t("gap"), "n", "10%"),
            (rep.t("timeframe"), "", "12%"),
            (rep.t("latest"), "n", "14%"),
        ]
        parts.append('<table class="plan"><colgroup>')
        parts += [f'<col style="width:{w}">' for _, _, w in heads]
        parts.append("</colgroup><thead><tr>")
        parts += [f'<th class="{c}">{_e(h)}</th>' for h, c, _ in heads]
        parts.append("</tr></thead>")
        for r in prow:
            if r["done"] is not None:
                done = (
                    f'<span class="track"><span class="bar" style="width:{r["done"] * 100:.0f}%">'
                    f"</span></span>{_e(num(r['done'] * 100, 0))}%"
                )
                latest = (
                    f"{_e(num(r['latest']))}<br><span class=note>"
                    f"{_e(fmt.date(r['latest_date'], rep.lang))}</span><br>{done}"
                )
            else:
                latest = _e(rep.t("none"))
            units = f"<b>{_e(rep.t('lead'))}:</b> {_e(r['lead'])}"
            if r["coord"]:
                units += f" · <b>{_e(rep.t('coord'))}:</b> {_e(r['coord'])}"
            tasks = f'<div class="tasks">{_e(r["tasks"])}</div>' if r["tasks"] else ""
            parts.append(
                f'<tbody class="item"><tr><td class="n">{r["row"]}</td>'
                f"<td><b>{_e(r['code'])}</b> {_e(r['name'])}</td>"
                f'<td class="n">{_e(num(r["score_2023"]))}</td>'
                f'<td class="n">{_e(num(r["target"]))}<br>'
                f'<span class="note">{_e(r["target_text"])}</span></td>'
                f'<td class="n">{_e(num(r["gap"]))}</td>'
                f"<td>{_e(r['timeframe'])}</td>"
                f'<td class="n">{latest}</td></tr>'
                f'<tr class="detail"><td></td><td colspan="6">{units}{tasks}</td></tr></tbody>'
            )
        parts.append("</table></section>")

    # Progress
    if rep.plan is not None:
        parts.append(f'<section class="long"><h2>{_e(rep.t("progress_title"))}</h2>')
        if rep.progress:
            parts.append(
                _table(
                    [
                        (rep.t("date"), False),
                        (rep.t("code"), False),
                        (rep.t("kind"), False),
                        (rep.t("value"), True),
                        (rep.t("score"), True),
                        (rep.t("note"), False),
                        (rep.t("author"), False),
                    ],
                    [
                        [
                            fmt.date(e.as_of, rep.lang),
                            e.code,
                            _kind(rep, e.kind),
                            num(e.value),
                            num(e.score),
                            e.note,
                            e.author,
                        ]
                        for e in rep.progress
                    ],
                )
            )
        else:
            parts.append(f'<p class="note">{_e(rep.t("progress_none"))}</p>')
        parts.append("</section>")

    # Assumptions
    parts.append(f"<section><h2>{_e(rep.t('assumptions_title'))}</h2>")
    parts.append(_table([(rep.t("item"), False), (rep.t("setting"), False)], assumptions(rep)))
    parts.append("</section></body></html>")
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def render(rep: Report, kind: str) -> bytes:
    if kind == "xlsx":
        return to_xlsx(rep)
    if kind == "html":
        return to_html(rep).encode("utf-8")
    raise ScenarioError(f"report format must be one of {', '.join(FORMATS)}, not {kind!r}")


def file_name(rep: Report, kind: str) -> str:
    stamp = rep.generated.strftime("%Y%m%d")
    label = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in rep.label)[:40].strip("-")
    return f"pii-{rep.unit}-{rep.edition.year}-{label or 'report'}-{stamp}.{kind}"


def write(rep: Report, kind: str, out: Path) -> Path:
    """Write the report atomically: a temporary file beside `out`, then a rename."""
    data = render(rep, kind)
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ScenarioError(f"the folder {str(folder)!r} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    return out


__all__ = [
    "FORMATS",
    "MIME",
    "Report",
    "build",
    "contributions",
    "department_rows",
    "file_name",
    "headline",
    "measures",
    "plan_rows",
    "render",
    "to_html",
    "to_xlsx",
    "write",
]
