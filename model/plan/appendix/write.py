"""The plan's official appendix written: a Word document (.docx).

`appendix_docx` (`export_appendix` to a file): the appendix a provincial People's Committee
issues with its PII plan, in the seed's layout (the appendix of Bắc Giang's 2024 plan): A4
landscape, Times New Roman 13–14 pt as Decree 30/2020/NĐ-CP asks of administrative documents;
"PHỤ LỤC", the title and "(Ban hành kèm theo Kế hoạch số …/KH-UBND ngày … của UBND tỉnh …)" with
the number and date left to fill or given; one table STT · "Chỉ số: code. name" · baseline score
· target · lead unit · coordinating units · timeframe, its header repeated on every page and
each indicator's tasks in the row under it (as the seed has them); an optional second table,
"Tiến độ theo đơn vị" (progress by department); a note on the scale; the page number at the
top from page 2 (Decree 30) and a footer naming the document, with no signature block.
Numbers are in the reader's language (46,51 in Vietnamese); English with lang="en" (the names
of departments and timeframes through model.plan.names, the tasks as written).

The module knows nothing of editions: the caller gives, per code, what the edition says
(`IndicatorInfo`: the indicator's name, optionally the baseline shown and the raw value of the
target; `indicator_info(plan, ed, lang)` computes it). The exact values behind the printed
numbers and texts, and the plan's unit, edition and years, are kept in the document
(meta.store_meta), so the tool's own export reads back to the same plan.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import fmt, i18n, paths
from ...i18n import Message, msg
from ..core import Plan, PlanError, PlanTarget, auto_text
from .layout import (
    FONT,
    MARGINS_MM,
    PAGE_MM,
    PROGRESS_WIDTHS_MM,
    RAW_STYLE,
    TARGET_TEXT_STYLE,
    TEXT_PT,
    TITLE_PT,
    WIDTHS_MM,
    IndicatorInfo,
    ProgressRow,
    _norm,
    _number,
    _shown_timeframe,
    _shown_unit,
    target_number,
)
from .meta import store_meta

if TYPE_CHECKING:
    from model.index.dataset import Edition

CITIES = {"ha-noi", "tp-ho-chi-minh", "hai-phong", "da-nang", "can-tho", "hue"}
DOTS_NUMBER = "……"
DOTS_DATE = "……/……/……"
RULE = "––––––––––––––––––––––"


def indicator_info(plan: Plan, ed: Edition, lang: str = "vi") -> dict[str, IndicatorInfo]:
    """Each target's indicator name and raw target value under `ed` (the caller's side of
    appendix_docx, for the Plan page and the CLI)."""
    out = {}
    for t in plan.targets:
        if t.code not in ed.framework.index:
            continue
        ind = ed.framework.indicator(t.code)
        out[t.code] = IndicatorInfo(
            name=ind.name(lang), raw_target=plan.raw_target(ed, t.code), raw_unit=ind.unit(lang)
        )
    return out


def appendix_docx(
    plan: Plan,
    info: Mapping[str, IndicatorInfo | Mapping[str, Any]] | None = None,
    *,
    lang: str = "vi",
    number: str | None = None,
    date: dt.date | str | None = None,
    province: str | None = None,
    baseline_year: int | None = None,
    progress: Sequence[ProgressRow] | None = None,
) -> bytes:
    """The plan's official appendix as .docx bytes.

    info: per code, an IndicatorInfo (or a mapping of its fields): the indicator's name, the
    baseline to print instead of the plan's, the raw value of the target. number, date: the
    plan's "Kế hoạch số …/KH-UBND ngày …" (dots when not given; a date is printed dd/mm/yyyy).
    province: the name after "UBND tỉnh" (default: the unit's name in data/sources/units.csv).
    baseline_year: the year the baseline column names (default: the plan's edition).
    progress: rows of the progress-by-department table (none: no such section)."""
    lang = i18n.check_lang(lang)
    infos = {code: _info(v) for code, v in (info or {}).items()}
    doc = _document(lang)
    authority = _authority(plan.unit, province, lang)
    number_text = number.strip() if isinstance(number, str) and number.strip() else DOTS_NUMBER
    date_text = _date_text(date, lang)
    year = plan.target_year
    _heading(doc, msg("plan.appendix_heading"), lang, TITLE_PT, bold=True)
    _heading(doc, msg("plan.appendix_title", year=year), lang, TITLE_PT, bold=True)
    issued = msg(
        "plan.appendix_issued_with", number=number_text, date=date_text, authority=authority
    )
    _heading(doc, issued, lang, TITLE_PT, italic=True)
    _heading(doc, RULE, lang, TITLE_PT)
    exact = _main_table(doc, plan, infos, lang, baseline_year or plan.edition)
    note = doc.add_paragraph()
    _run(note, i18n.gettext(lang, "plan.appendix_note", edition=plan.edition), italic=True)
    if progress:
        _progress_table(doc, progress, infos, lang)
    footer = msg("plan.appendix_footer", number=number_text, date=date_text, authority=authority)
    _page_parts(doc, footer.render(lang))
    store_meta(doc, plan, lang, exact)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def export_appendix(plan: Plan, path: Path | str, **kwargs: Any) -> Path:
    """Write the appendix to `path` (.docx), whole or not at all (appendix_docx's keywords).
    PlanError for another suffix; OSError from the disk."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise PlanError("plan.err_format", name=path.name, valid=".docx")
    data = appendix_docx(plan, **kwargs)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def _info(value: IndicatorInfo | Mapping[str, Any]) -> IndicatorInfo:
    return value if isinstance(value, IndicatorInfo) else IndicatorInfo(**dict(value))


def _document(lang: str):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    for name in ("Normal", "Header", "Footer"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(TEXT_PT)
        _all_scripts(style.element.get_or_add_rPr(), lang)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(3), 1.0
    for name, italic in ((TARGET_TEXT_STYLE, False), (RAW_STYLE, True)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.italic = italic or None
    return doc


def _all_scripts(rpr, lang: str | None = None) -> None:
    """Times New Roman for every script (Vietnamese letters may fall in any of them)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if lang is not None:
        tag = rpr.find(qn("w:lang"))
        if tag is None:
            tag = OxmlElement("w:lang")
            rpr.append(tag)
        tag.set(qn("w:val"), "vi-VN" if lang == "vi" else "en-GB")


def _run(paragraph, text: str, size: float = TEXT_PT, bold: bool = False, italic: bool = False):
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    _all_scripts(run._element.get_or_add_rPr())
    return run


def _heading(doc, text: Message | str, lang: str, size: float, **style: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text.render(lang) if isinstance(text, Message) else text, size, **style)


def _date_text(date: dt.date | str | None, lang: str) -> str:
    if isinstance(date, dt.date):
        return fmt.date(date, lang)
    if isinstance(date, str) and date.strip():
        return date.strip()
    return DOTS_DATE


def _target_lines(t: PlanTarget, lang: str) -> tuple[str, str]:
    """(the printed target, the plan's own wording when its number is not the target)."""
    shown = f"≥ {_number(t.target, lang, 4)}"
    text = t.target_text.strip()
    if not text or text == auto_text(t.target):
        return shown, ""
    value = target_number(text)
    if value is not None and abs(value - t.target) < 1e-9:
        return text, ""
    return shown, text


def _main_table(doc, plan: Plan, infos: Mapping[str, IndicatorInfo], lang: str, year: int):
    """The appendix's table; returns the exact values behind its printed numbers by code."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    ids = (
        ("plan.appendix_col_stt", {}),
        ("plan.appendix_col_indicator", {}),
        ("plan.appendix_col_baseline", {"year": year}),
        ("plan.appendix_col_target", {"year": plan.target_year}),
        ("plan.appendix_col_lead", {}),
        ("plan.appendix_col_coordinating", {}),
        ("plan.appendix_col_timeframe", {}),
    )
    table = doc.add_table(rows=1, cols=len(ids))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _grid(table, WIDTHS_MM)
    _header_row(table.rows[0], [i18n.gettext(lang, k, **p) for k, p in ids], WIDTHS_MM)
    exact: dict[str, list[float | str]] = {}
    for n, t in enumerate(plan.targets, 1):
        info = infos.get(t.code, IndicatorInfo())
        baseline = t.baseline if info.baseline is None else float(info.baseline)
        exact[t.code] = [baseline, t.target, t.lead_unit, t.coordinating_units, t.timeframe]
        cells = table.add_row().cells
        for cell, width in zip(cells, WIDTHS_MM, strict=True):
            _width(cell, width)
        _centred(cells[0], str(n))
        label = i18n.gettext(lang, "plan.appendix_indicator", code=t.code, name=info.name)
        _run(cells[1].paragraphs[0], label.strip(), bold=True)
        _centred(cells[2], fmt.number(baseline, lang, 2))
        shown, own = _target_lines(t, lang)
        _centred(cells[3], shown)
        if own:
            p = cells[3].add_paragraph(style=TARGET_TEXT_STYLE)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, own)
        if info.raw_target is not None and math.isfinite(info.raw_target):
            p = cells[3].add_paragraph(style=RAW_STYLE)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            raw = msg(
                "plan.appendix_raw", value=_number(info.raw_target, lang, 4), unit=info.raw_unit
            )
            _run(p, raw.render(lang).strip(), italic=True)
        _lines(cells[4], _shown_unit(t.lead_unit, lang))
        _lines(cells[5], _shown_unit(t.coordinating_units, lang))
        _lines(cells[6], _shown_timeframe(t.timeframe, lang), centre=True)
        if _norm(t.tasks):  # the tasks in the row under the indicator, across the columns
            row = table.add_row().cells
            for cell, width in zip(row, WIDTHS_MM, strict=True):
                _width(cell, width)
            _lines(row[1].merge(row[-1]), t.tasks, justify=True)
    return exact


def _header_row(row, texts: Sequence[str], widths: Sequence[float]) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for cell, text, width in zip(row.cells, texts, widths, strict=True):
        _width(cell, width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _centred(cell, text, bold=True)
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):  # repeated on every page, never split
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _grid(table, widths: Sequence[float]) -> None:
    """Fixed column widths: the grid's (LibreOffice reads these) and each cell's (Word)."""
    from docx.shared import Mm

    table.autofit = False
    for column, mm in zip(table.columns, widths, strict=True):
        column.width = Mm(mm)


def _width(cell, mm: float) -> None:
    from docx.shared import Mm

    cell.width = Mm(mm)


def _centred(cell, text: str, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text, bold=bold)


def _lines(cell, text: str, centre: bool = False, justify: bool = False) -> None:
    """One paragraph per line of `text` (the cell's first paragraph is reused)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for k, line in enumerate(_norm(text).split("\n") if _norm(text) else []):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif justify:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run(p, line)


def _progress_table(
    doc, rows: Sequence[ProgressRow], infos: Mapping[str, IndicatorInfo], lang: str
) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT

    from ..names import department_label

    p = doc.add_paragraph()
    p.paragraph_format.space_before = _pt(12)
    p.paragraph_format.keep_with_next = True
    _run(p, i18n.gettext(lang, "plan.appendix_progress_title"), TITLE_PT, bold=True)
    ids = (
        "plan.appendix_progress_department",
        "plan.appendix_progress_indicator",
        "plan.appendix_progress_latest",
        "plan.appendix_progress_target",
        "plan.appendix_progress_on_track",
        "plan.appendix_progress_points",
    )
    table = doc.add_table(rows=1, cols=len(ids))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _grid(table, PROGRESS_WIDTHS_MM)
    _header_row(table.rows[0], [i18n.gettext(lang, k) for k in ids], PROGRESS_WIDTHS_MM)
    track = {True: "plan.appendix_yes", False: "plan.appendix_no"}
    for r in rows:
        cells = table.add_row().cells
        for cell, width in zip(cells, PROGRESS_WIDTHS_MM, strict=True):
            _width(cell, width)
        _lines(cells[0], department_label(r.department, lang))
        name = infos.get(r.code, IndicatorInfo()).name
        _lines(cells[1], f"{r.code}. {name}" if name else r.code)
        _centred(cells[2], fmt.number(r.latest, lang, 2))
        _centred(cells[3], fmt.number(r.target, lang, 2))
        _centred(cells[4], "–" if r.on_track is None else i18n.gettext(lang, track[r.on_track]))
        _centred(cells[5], fmt.number(r.points, lang, 2))


def _pt(points: float):
    from docx.shared import Pt

    return Pt(points)


def _page_parts(doc, footer: str) -> None:
    """The page number at the top from page 2 (Decree 30/2020) and the footer on every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = doc.sections[0]
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    page.append(run)
    p._p.append(page)
    for part in (section.footer, section.first_page_footer):
        p = part.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, footer, italic=True)


def _authority(unit: str, province: str | None, lang: str) -> Message:
    """ "UBND tỉnh Bắc Giang" / "the People's Committee of … province" ("thành phố" for the
    centrally run cities)."""
    name = province.strip() if isinstance(province, str) and province.strip() else None
    if name is None:
        names = _unit_names().get(unit)
        name = (names[1] if lang == "en" else names[0]) if names else unit
    name = re.sub(r"^(?:TP\.|Thành phố|thành phố)\s*", "", name)
    if unit in CITIES:
        return msg("plan.appendix_authority_city", name=re.sub(r"\s+City$", "", name))
    return msg("plan.appendix_authority_province", name=name)


@lru_cache(maxsize=1)
def _unit_names() -> dict[str, tuple[str, str]]:
    """slug -> (Vietnamese name, English name), the newest map's (data/sources/units.csv)."""
    path = paths.sources_dir() / "units.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["slug"]: (r["name_vi"], r["name_en"]) for r in csv.DictReader(fh)}
