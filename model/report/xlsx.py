"""The report as an Excel workbook (openpyxl): one sheet per part, a frozen header row.

Headers and sheet names are catalogue sentences in the report's language; cells hold numbers
and dates (not formatted text), so the workbook can be computed on.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from model.estimates.quality.marks import MARK
from model.index.dataset import Edition
from model.index.engine import rank_desc
from model.index.framework import PILLARS
from model.spreadsheet import append_row

from .. import api
from ..plan import progress_fraction
from .content import (
    ON_TRACK,
    Report,
    assumptions,
    composite_provenance,
    contributions,
    department_progress_rows,
    department_rows,
    headline,
    kind_label,
    marked,
    measure_marks,
    measures,
    pii_text,
    places_text,
    plan_rows,
    provenance_label,
    rank_text,
    recorded,
)

NUM2 = "#,##0.00"
SIGNED2 = "+#,##0.00;-#,##0.00;0.00"
INT = "0"
SIGNED_INT = "+0;-0;0"
PCT = "0%"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"

HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="0B5CAD")
THIN = Side(style="thin", color="C9D1DB")
WRAP = Alignment(wrap_text=True, vertical="top")


def to_xlsx(rep: Report) -> bytes:
    """The workbook: one sheet per part, Vietnamese (or English) headers, frozen header row."""
    wb = Workbook()
    wb.remove(wb.active)
    parts = (_baseline, _scenario, _contributions, _plan, _departments, _dept_progress)
    for part in (*parts, _progress):
        part(rep, wb)
    _sheet(
        wb,
        rep.t("report.sheet_assumptions"),
        [rep.t("report.item"), rep.t("report.setting")],
        assumptions(rep),
        {},
        [30, 100],
    )
    wb.properties.title = rep.t("report.title", unit=rep.unit_name)
    wb.properties.creator = "PII scenario simulator"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    formats: dict[int, str] | None = None,
    widths: Sequence[float] | None = None,
) -> Worksheet:
    """A sheet with a styled, frozen header row, number formats by column and column widths."""
    ws = wb.create_sheet(title)
    append_row(ws, headers)
    for c in ws[1]:
        c.font, c.fill = HEAD_FONT, HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")
        c.border = Border(bottom=THIN)
    for r in rows:
        r = [_no_negative_zero(v) for v in r]  # -3.55e-15 would read "-0.00" in Excel
        append_row(ws, r)  # user text (names, notes, tasks) as text cells, never formulas
    formats = formats or {}
    for row in ws.iter_rows(min_row=2):
        for k, c in enumerate(row):
            if k in formats and isinstance(c.value, int | float | date):
                c.number_format = formats[k]
            if isinstance(c.value, str):
                c.alignment = WRAP
    for k, h in enumerate(headers):
        width = (widths[k] if widths else None) or min(
            60,
            max([len(str(h)) + 2] + [len(_shown(r[k])) + 2 for r in rows if k < len(r)]),
        )
        ws.column_dimensions[get_column_letter(k + 1)].width = width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    return ws


def _no_negative_zero(v: object) -> object:
    """A float within rounding noise of zero (a sum of exact contributions) as 0.0."""
    if isinstance(v, float) and abs(v) < 5e-10:
        return 0.0
    return v


def _baseline(rep: Report, wb: Workbook) -> None:
    """PII, sub-indices, pillars and indicators of the unit, with their national ranks."""
    ed = rep.edition
    u = ed.unit_index(rep.unit)
    b = rep.outcome.baseline
    prof = api.profile(rep.unit, ed.year)
    name_key = f"name_{rep.lang}"
    p_ranks = np.column_stack([rank_desc(b.pillars[:, k]) for k in range(len(PILLARS))])
    sub = rep.t("report.level_subindex")
    kinds = composite_provenance(rep)  # the composites' sources, as the indicators' below

    def src(level: str, item: str = "") -> str:
        return provenance_label(rep, kinds[(level, item)])

    rows: list[list[object]] = [
        [rep.t("report.level_pii"), "PII", rep.t("report.pii"), None, "", float(b.pii[u])]
        + [int(b.rank[u]), src("pii")],
        [sub, "", rep.t("report.input"), None, "", float(b.input[u])]
        + [int(rank_desc(b.input)[u]), src("input")],
        [sub, "", rep.t("report.output"), None, "", float(b.output[u])]
        + [int(rank_desc(b.output)[u]), src("output")],
    ]
    level = rep.t("report.level_pillar")
    rows += [
        [level, p, rep.pillar_name(p), None, "", float(b.pillars[u, k]), int(p_ranks[u, k])]
        + [src("pillar", p)]
        for k, p in enumerate(PILLARS)
    ]
    level = rep.t("report.level_indicator")
    rows += [
        [
            level,
            i["code"],
            i.get(name_key) or i["name_vi"],
            _float_or_none(i["raw"]),
            _unit_of(ed, i["code"], rep.lang),
            _float_or_none(i["score"]),
            int(i["rank"]) if i["rank"] is not None else None,
            provenance_label(rep, i["provenance"]),
        ]
        for i in prof["indicators"]
    ]
    headers = [
        rep.t("report.level"),
        rep.t("report.code"),
        rep.t("report.name"),
        rep.t("report.raw"),
        rep.t("report.raw_unit"),
        rep.t("report.score"),
        rep.t("report.rank") + f" (/{ed.n})",
        rep.t("report.provenance"),
    ]
    formats = {3: NUM2, 5: NUM2, 6: INT}
    _sheet(
        wb, rep.t("report.sheet_baseline"), headers, rows, formats, [14, 8, 60, 14, 22, 10, 10, 20]
    )


def _scenario(rep: Report, wb: Workbook) -> None:
    """Every column side by side, and the change of the last one from the baseline."""
    cols = rep.columns()
    rows = []
    for label, values, dec in measures(rep):
        change = values[-1] - values[0]
        if dec == 0:  # the rank: places gained
            change = values[0] - values[-1]
        rows.append([label, *(int(v) if dec == 0 else v for v in values), change])
    rows += _estimate_rows(rep)
    formats = {k: NUM2 for k in range(1, len(cols) + 1)}
    formats[len(cols) + 1] = SIGNED2
    ws = _sheet(
        wb,
        rep.t("report.sheet_scenario"),
        [rep.t("report.measure"), *(label for label, _ in cols), rep.t("report.change")],
        rows,
        formats,
        [46, *([16] * len(cols)), 14],
    )
    for c in ws[3][1:]:  # the rank row: whole numbers
        c.number_format = SIGNED_INT if c.column == len(cols) + 2 else INT


def _estimate_rows(rep: Report) -> list[list[object]]:
    """Below the measures, as text cells: an estimated PII and rank with "≈" and the interval
    in every column, each estimated sub-index and pillar with its baseline interval, and the
    places gained as a range where estimated neighbours are passed (published: no row)."""
    heads = headline(rep)
    rows: list[list[object]] = []
    if any(h.get("pii_estimated") or h.get("rank_estimated") for h in heads):
        rows += [
            [rep.t("reconstruct.row_pii"), *(pii_text(rep, h) for h in heads), ""],
            [rep.t("reconstruct.row_rank"), *(rank_text(rep, h) for h in heads), ""],
        ]
    # Sub-indices and pillars that are estimates: "≈ value (low–high)" of the baseline.
    for (label, values, dec), ends in list(zip(measures(rep), measure_marks(rep), strict=True))[2:]:
        if ends is not None:
            rows.append([f"{MARK} {label}", marked(rep, values[0], dec, ends), *[""] * len(heads)])
    if any(h.get("places_low") != h.get("places_high") for h in heads[1:]):
        rows.append(
            [rep.t("reconstruct.row_places"), "", *(places_text(rep, h) for h in heads[1:]), ""]
        )
    return rows


def _contributions(rep: Report, wb: Workbook) -> None:
    """The scenario's contributions with their total (= the PII change under arithmetic means)."""
    contrib = contributions(rep)
    yes = rep.t("report.yes")
    rows: list[list[object]] = [
        [c["code"], c["name"], c["pillar"], c["baseline"], c["scenario"], c["delta_score"]]
        + [c["delta_pii"], c["lead"], yes if c["capped"] else ""]
        for c in contrib
    ]
    if contrib:
        total = float(sum(c["delta_pii"] for c in contrib))
        rows.append([rep.t("report.total"), "", "", None, None, None, total, "", ""])
    headers = [
        rep.t("report.code"),
        rep.t("report.indicator"),
        rep.t("report.pillar"),
        rep.t("report.score_base"),
        rep.t("report.score_scen"),
        rep.t("report.delta_score"),
        rep.t("report.delta_pii"),
        rep.t("report.lead"),
        rep.t("report.capped"),
    ]
    formats = {3: NUM2, 4: NUM2, 5: SIGNED2, 6: SIGNED2}
    widths = [8, 56, 8, 12, 12, 10, 10, 34, 10]
    ws = _sheet(wb, rep.t("report.sheet_contrib"), headers, rows, formats, widths)
    if contrib:
        ws.cell(row=len(rows) + 1, column=1).font = Font(bold=True)


def _plan(rep: Report, wb: Workbook) -> None:
    """The plan's indicators: targets, units, tasks and the latest progress."""
    ed = rep.edition
    other = ed.year != (rep.plan.edition if rep.plan else ed.year)
    headers = [
        rep.t("report.row"),
        rep.t("report.code"),
        rep.t("report.indicator"),
        rep.t("report.pillar"),
        rep.t("report.baseline"),
    ]
    headers += [rep.t("report.score_edition", edition=ed.year)] if other else []
    headers += [
        rep.t("report.target"),
        rep.t("report.target_text"),
        rep.t("report.gap"),
        rep.t("report.lead"),
        rep.t("report.coord"),
        rep.t("report.timeframe"),
        rep.t("report.tasks"),
        rep.t("report.latest"),
        rep.t("report.latest_date"),
        rep.t("report.done"),
    ]
    keys_after = ["target", "target_text", "gap", "lead", "coord", "timeframe", "tasks"]
    keys_after += ["latest", "latest_date", "done"]
    rows = [
        [r["row"], r["code"], r["name"], r["pillar"], r["score_2023"]]
        + ([r["score_edition"]] if other else [])
        + [r[k] for k in keys_after]
        for r in plan_rows(rep)
    ]
    o = 1 if other else 0
    formats = {4: NUM2, 5: NUM2, 5 + o: NUM2, 7 + o: NUM2, 12 + o: NUM2, 13 + o: DATE, 14 + o: PCT}
    widths = [6, 8, 44, 8, 10, *([10] if other else []), 10, 12, 11, 30, 30, 14, 90, 14, 12, 11]
    _sheet(wb, rep.t("report.sheet_plan"), headers, rows, formats, widths)


def _departments(rep: Report, wb: Workbook) -> None:
    """Each lead department's share of the plan, and the whole plan as the total."""
    drows = department_rows(rep)
    rows: list[list[object]] = [
        [d["dept"], ", ".join(d["codes"]), len(d["codes"]), d["delta_pii"], d["pii"]]
        + [d["rank"], d["rank_change"]]
        for d in drows
    ]
    eff = rep.effect
    if eff is not None:
        n_codes = sum(len(d["codes"]) for d in drows)
        rows.append([rep.t("report.total"), "", n_codes, eff.delta_pii, eff.pii, eff.rank])
        rows[-1].append(eff.rank_change)
    headers = [
        rep.t("report.dept"),
        rep.t("report.code"),
        rep.t("report.n_ind"),
        rep.t("report.delta_pii"),
        rep.t("report.dept_pii"),
        rep.t("report.dept_rank"),
        rep.t("report.rank_gain"),
    ]
    formats = {2: INT, 3: SIGNED2, 4: NUM2, 5: INT, 6: SIGNED_INT}
    ws = _sheet(
        wb, rep.t("report.sheet_depts"), headers, rows, formats, [48, 34, 10, 10, 12, 12, 12]
    )
    if rows:
        ws.cell(row=len(rows) + 1, column=1).font = Font(bold=True)


def _dept_progress(rep: Report, wb: Workbook) -> None:
    """Progress by department: each lead unit's indicators, latest reading against target,
    on track or not, and the PII points at stake (the department's, and the indicator's);
    empty, like the other plan sheets, without a plan."""
    rows = [
        [r["dept"], r["points"], r["code"], r["name"], r["baseline"], r["target"], r["latest"]]
        + [r["latest_date"], r["done"], r["expected"], rep.t(ON_TRACK[r["on_track"]])]
        + [r["target_points"]]
        for r in department_progress_rows(rep)
    ]
    headers = [
        rep.t("report.dept"),
        rep.t("report.dept_points"),
        rep.t("report.code"),
        rep.t("report.indicator"),
        rep.t("report.baseline"),
        rep.t("report.target"),
        rep.t("report.latest"),
        rep.t("report.date"),
        rep.t("report.done"),
        rep.t("report.expected"),
        rep.t("report.on_track"),
        rep.t("report.target_points"),
    ]
    formats = {1: SIGNED2, 4: NUM2, 5: NUM2, 6: NUM2, 7: DATE, 8: PCT, 9: PCT, 11: SIGNED2}
    widths = [40, 12, 8, 44, 10, 10, 12, 12, 11, 11, 14, 12]
    _sheet(wb, rep.t("report.sheet_dept_progress"), headers, rows, formats, widths)


def _progress(rep: Report, wb: Workbook) -> None:
    """Progress history, newest first, each reading beside its target."""
    targets = {t.code: t for t in rep.plan.targets} if rep.plan else {}
    rows = []
    for e in rep.progress:
        t = targets.get(e.code)
        rows.append(
            [e.code, rep.indicator_name(e.code), e.as_of, kind_label(rep, e.kind), e.value]
            + [e.score, t.baseline if t else None, t.target if t else None]
            + [progress_fraction(t.baseline, t.target, e.score) if t else None]
            + [e.note, e.author, recorded(e)]
        )
    headers = [
        rep.t("report.code"),
        rep.t("report.indicator"),
        rep.t("report.date"),
        rep.t("report.kind"),
        rep.t("report.value"),
        rep.t("report.score"),
        rep.t("report.baseline"),
        rep.t("report.target"),
        rep.t("report.done"),
        rep.t("report.note"),
        rep.t("report.author"),
        rep.t("report.recorded"),
    ]
    formats = {2: DATE, 4: NUM2, 5: NUM2, 6: NUM2, 7: NUM2, 8: PCT, 11: DATETIME}
    widths = [8, 44, 12, 12, 12, 10, 10, 12, 11, 40, 20, 18]
    _sheet(wb, rep.t("report.sheet_progress"), headers, rows, formats, widths)


def _float_or_none(x: object) -> float | None:
    return None if x is None or x != x else float(x)  # type: ignore[arg-type]


def _shown(value: object) -> str:
    """A cell's value roughly as Excel shows it (to size a column without a given width)."""
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
