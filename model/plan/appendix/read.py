"""The plan's official appendix read: a plan from a Word document (.docx).

`read_appendix` (the rows as printed), `read_appendix_docx` (a plan), `read_appendix_for` (a
plan against an edition): the first table whose header names STT, the indicator (tasks), the
target and the lead unit, in Vietnamese or English (case, diacritics and spacing do not
matter); the code ("2.2.3") from the indicator cell, the target from its cell ("≥ 10", "≥ 10%",
"46,51", "đạt 25"), the baseline, lead and coordinating units, timeframe and tasks (in the
indicator cell under its first line, or in the rows under it whose STT is empty). Section rows
(STT "I", "A", …) and a numbering row ("(1) (2) …") are skipped. The exact values the tool's
own export keeps in the document (meta.stored_meta) stand behind the printed numbers and names,
unless a printed one was edited: that one wins.
Every row that cannot be read is named by its STT in one PlanError (AppendixError, its
`problems` one per row): no plan is made. The size and file checks are those of every plan
import (model.plan.files: 5 MB, the zip-bomb check of the official importer), and a file that
is not a .docx says so.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import i18n
from ..core import (
    LAST_YEAR,
    MAX_TARGETS,
    NAME_MAX,
    STATUSES,
    TEXT_MAX,
    Plan,
    PlanError,
    PlanTarget,
    auto_text,
)
from .layout import (
    RAW_STYLE,
    TARGET_TEXT_STYLE,
    Appendix,
    AppendixError,
    AppendixRow,
    RowProblem,
    _cells,
    _header,
    _norm,
    _number,
    _shown_timeframe,
    _shown_unit,
    target_number,
)
from .meta import stored_meta

if TYPE_CHECKING:
    from model.index.dataset import Edition

MAX_TABLE_ROWS = MAX_TARGETS * 6  # an indicator's row, its tasks' rows, section rows
_CODE = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2}\.\d{1,2})(?![\d])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
_ISSUED = re.compile(
    r"(?:Kế hoạch số|Plan No\.)\s*(.*?)\s*/\s*KH-UBND\s*(?:ngày|dated)\s*(.*?)\s*(?:của|of)\s"
)


def is_docx(data: bytes, file_name: str = "") -> bool:
    """A Word document: named .docx, or a zip holding word/document.xml whatever its name
    (check this before files.is_xlsx, which takes any zip for a workbook)."""
    if not isinstance(data, bytes):
        return False
    if file_name.lower().endswith(".docx"):
        return True
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def read_appendix(data: bytes) -> Appendix:
    """The appendix's rows as printed (no edition needed). AppendixError: not a .docx, too
    large, no appendix table, no indicator rows, too many, or rows that cannot be read (each
    named by its STT)."""
    appendix, problems = _parse(data)
    _raise_rows(problems)
    return appendix


def appendix_header(data: bytes) -> Appendix:
    """The appendix as read with its unreadable rows left out: what it says of itself (the
    years of its headers, the tool's own values) before the rows are judged. AppendixError
    only for a file that is no appendix at all."""
    appendix, _problems = _parse(data)
    return appendix


def read_appendix_docx(
    data: bytes,
    unit: str | None = None,
    edition: int | None = None,
    *,
    codes: Collection[str] | None = None,
    baselines: Mapping[str, float] | None = None,
    target_year: int | None = None,
    name: str | None = None,
    plan_id: str = "",
    file_name: str = "",
) -> Plan:
    """A plan from an appendix (not stored: source 'imported', source_ref the file name).

    unit, edition: the plan's; by default what the tool's export keeps in the document, the
    edition also from the baseline column's year ("Mức điểm số năm 2023"). codes: the
    edition's indicator codes (a row with another code is a problem); baselines: scores for
    rows whose baseline cell is empty. The target year is the target column's ("Mục tiêu phấn
    đấu năm 2024") when it is after the edition, else the year after. Every row that cannot be
    read is named by its STT in one AppendixError; nothing is made."""
    appendix, problems = _parse(data)
    meta = appendix.meta
    unit = unit or meta.get("unit")
    year = edition if edition is not None else (appendix.baseline_year or meta.get("edition"))
    if not isinstance(unit, str) or not unit.strip() or not isinstance(year, int):
        _raise_rows(problems)
        raise AppendixError("plan.appendix_err_no_unit")
    if target_year is None:
        target_year = appendix.target_year or meta.get("target_year")
        if not isinstance(target_year, int) or not year < target_year <= max(LAST_YEAR, year + 1):
            target_year = None
    targets: list[PlanTarget] = []
    seen: set[str] = set()
    for n, r in enumerate(appendix.rows, 1):
        label = r.stt or str(n)
        if codes is not None and r.code not in codes:
            problems.append(RowProblem(label, "unknown_code", r.code, year))
            continue
        if r.code in seen:
            problems.append(RowProblem(label, "duplicate", r.code))
            continue
        seen.add(r.code)
        baseline = r.baseline
        if baseline is None and baselines is not None:
            baseline = baselines.get(r.code)
        if baseline is None:
            problems.append(RowProblem(label, "no_baseline"))
            continue
        try:
            targets.append(
                PlanTarget(
                    row=r.row or n,
                    code=r.code,
                    baseline=baseline,
                    target=r.target,
                    target_text=r.target_text,
                    lead_unit=r.lead_unit,
                    coordinating_units=r.coordinating_units,
                    timeframe=r.timeframe,
                    tasks=r.tasks,
                )
            )
        except PlanError:
            problems.append(RowProblem(label, "text"))
    _raise_rows(problems)
    same = meta.get("unit") == unit and meta.get("edition") == year  # the export's own plan
    status = meta.get("status") if same and meta.get("status") in STATUSES else "draft"
    return Plan(
        plan_id=plan_id or f"{unit}-{year}",
        unit=unit,
        edition=year,
        targets=tuple(targets),
        name=(name if name is not None else str(meta.get("name", "")))[:NAME_MAX],
        target_year=target_year,
        milestones=tuple(_years(meta.get("milestones"), year)) if same else (),
        status=status,
        author=str(meta.get("author", ""))[:TEXT_MAX],
        source="imported",
        source_ref=Path(file_name).name[:255],
    )


def read_appendix_for(
    data: bytes, ed: Edition, unit: str, *, file_name: str = "", plan_id: str = ""
) -> Plan:
    """read_appendix_docx against edition `ed` (as files.read_plan_file reads a CSV): its
    codes, and the unit's scores there for empty baseline cells. UnknownName for a unit not in
    the edition."""
    u = ed.unit_index(unit)
    baselines = {}
    for code, i in ed.framework.index.items():
        v = float(ed.scores[u, i])
        if math.isfinite(v):
            baselines[code] = v
    return read_appendix_docx(
        data,
        unit,
        ed.year,
        codes=ed.framework.index,
        baselines=baselines,
        plan_id=plan_id,
        file_name=file_name,
    )


def _raise_rows(problems: Sequence[RowProblem]) -> None:
    if problems:
        stt = ", ".join(dict.fromkeys(p.stt for p in problems))
        raise AppendixError("plan.appendix_err_rows", problems, stt=stt, n=len(problems))


def _open(data: bytes):
    """The document, after the checks every plan import makes; AppendixError otherwise."""
    from model.official.read import MAX_UNZIPPED_BYTES, unzipped_size

    from ..core import MAX_BYTES

    if not isinstance(data, bytes | bytearray):
        raise AppendixError("plan.appendix_err_not_docx")
    if len(data) > MAX_BYTES:
        raise AppendixError("plan.err_file_too_large")
    size = unzipped_size(bytes(data))
    if size is None:
        raise AppendixError("plan.appendix_err_not_docx")
    if size > MAX_UNZIPPED_BYTES:  # a zip bomb: never opened
        raise AppendixError("plan.err_file_too_large")
    if not is_docx(bytes(data)):
        raise AppendixError("plan.appendix_err_not_docx")
    from docx import Document

    try:
        return Document(io.BytesIO(bytes(data)))
    except Exception:  # noqa: BLE001 - any unreadable document is one problem for the user
        raise AppendixError("plan.appendix_err_not_docx") from None


def _paragraphs(cell) -> list[tuple[str, str]]:
    """(text, style name) of each non-empty line of a cell, stripped."""
    out = []
    for p in cell.paragraphs:
        style = p.style.name if p.style is not None else ""
        for line in p.text.replace("\u00a0", " ").split("\n"):
            if line.strip():
                out.append((line.strip(), style))
    return out


def _text(cell) -> str:
    return "\n".join(t for t, _ in _paragraphs(cell)) if cell is not None else ""


def _years(values: object, edition: int) -> list[int]:
    if not isinstance(values, list):
        return []
    return [y for y in values if isinstance(y, int) and edition < y <= max(LAST_YEAR, edition + 1)]


@dataclass
class _Item:
    """An indicator row being read: its cells, and the tasks under it."""

    stt: str
    cells: dict[str, Any]
    tc: dict[str, Any]
    tasks: list[str] = field(default_factory=list)


def _parse(data: bytes) -> tuple[Appendix, list[RowProblem]]:
    doc = _open(data)
    found = None
    for table in doc.tables:
        head = _header(table)
        if head is not None:
            found = table, *head
            break
    if found is None:
        raise AppendixError("plan.appendix_err_no_table")
    table, first, cols = found
    if len(table.rows) > MAX_TABLE_ROWS:  # read no further
        raise AppendixError("plan.err_too_many", n=len(table.rows), limit=MAX_TARGETS)
    header = _cells(table.rows[first])
    items = _items(table.rows[first + 1 :], cols)
    if not items:
        raise AppendixError("plan.appendix_err_empty")
    if len(items) > MAX_TARGETS:
        raise AppendixError("plan.err_too_many", n=len(items), limit=MAX_TARGETS)
    meta = stored_meta(doc)
    exact = meta.get("values") if isinstance(meta.get("values"), dict) else {}
    rows, problems = [], []
    for n, item in enumerate(items, 1):
        row = _row(item, exact, problems, n)
        if row is not None:
            rows.append(row)
    number, date = "", ""
    for p in doc.paragraphs[:12]:
        m = _ISSUED.search(p.text)
        if m:
            number, date = m.group(1).strip(" .…"), m.group(2).strip(" .…")
            break
    return (
        Appendix(
            rows=tuple(rows),
            baseline_year=_header_year(header, cols.get("baseline")),
            target_year=_header_year(header, cols.get("target")),
            number=number,
            date=date,
            meta=meta,
        ),
        problems,
    )


def _header_year(cells, column: int | None) -> int | None:
    if column is None or column >= len(cells) or cells[column] is None:
        return None
    years = _YEAR.findall(cells[column].text)
    return int(years[-1]) if years else None


def _items(rows, cols: Mapping[str, int]) -> list[_Item]:
    """The table's indicator rows with the tasks under each (section and numbering rows
    skipped)."""
    items: list[_Item] = []
    for row in rows:
        cells = _cells(row)
        at = {role: cells[c] if c < len(cells) else None for role, c in cols.items()}
        ind = at.get("indicator")
        lines = _paragraphs(ind) if ind is not None else []
        stt_cell = at.get("stt")
        stt = _text(stt_cell).strip()
        first = lines[0][0] if lines else ""
        if _NUMBERING.match(first) and _NUMBERING.match(stt or "1"):
            continue  # "(1) (2) (3) …" under the header
        prev = items[-1] if items else None
        same_stt = prev is not None and (
            (stt_cell is not None and stt_cell._tc is prev.tc.get("stt"))
            or (stt and stt == prev.stt)
        )
        target = at.get("target")
        own_target = target is not None and (ind is None or target._tc is not ind._tc)
        has_code = bool(_CODE.search(first[:24] if not stt or same_stt else first))
        if (not stt or same_stt) and not (has_code and own_target and _text(target)):
            if prev is not None:  # the tasks under an indicator
                prev.tasks.extend(t for t, _ in lines)
            continue
        if not has_code and not _text(target) and not _text(at.get("lead")):
            continue  # a section's row: "I | Trụ cột Thể chế", or an empty row
        items.append(
            _Item(
                stt=stt,
                cells=at,
                tc={k: v._tc for k, v in at.items() if v is not None},
                tasks=[t for t, _ in lines[1:]],
            )
        )
    return items


def _vietnamese() -> dict[str, str]:
    """English department and timeframe names -> the Vietnamese ones, where only one has that
    English name (an English appendix read back gives the plan's own names)."""
    from ..names import TIMEFRAMES, department_glossary

    pairs = [(d.name_en, d.name_vi) for d in department_glossary().values() if d.name_en]
    pairs += [(en, vi) for vi, en in TIMEFRAMES.items()]
    names: dict[str, set[str]] = {}
    for en, vi in pairs:
        names.setdefault(en, set()).add(vi)
    return {en: next(iter(vi)) for en, vi in names.items() if len(vi) == 1}


def _original(visible: str, known: list | None, k: int, shown) -> str:
    """A department or timeframe as the plan has it: the export's own text when the print
    shows it (in either language), else the Vietnamese of an English name, else as printed."""
    value = known[k] if known is not None and len(known) > k else None
    if isinstance(value, str) and any(_norm(shown(value, lang)) == visible for lang in i18n.LANGS):
        return value
    return _vietnamese().get(visible, visible)


def _row(
    item: _Item, exact: Mapping[str, Any], problems: list[RowProblem], n: int
) -> AppendixRow | None:
    label = item.stt or str(n)
    lines = _paragraphs(item.cells["indicator"])
    first = lines[0][0] if lines else ""
    m = _CODE.search(first)
    if m is None:
        problems.append(RowProblem(label, "code", first[:80]))
        return None
    code = m.group(1)
    name = first[m.end() :].lstrip(" .:-–").strip()
    known = exact.get(code) if isinstance(exact.get(code), list) else None
    ok = True
    paras = _paragraphs(item.cells["target"]) if item.cells.get("target") is not None else []
    own = [t for t, s in paras if s == TARGET_TEXT_STYLE]
    printed = " ".join(t for t, s in paras if s not in (TARGET_TEXT_STYLE, RAW_STYLE))
    shown = target_number(printed)
    if shown is None or not 0.0 <= shown <= 100.0:
        problems.append(RowProblem(label, "target", printed[:80]))
        ok = False
    baseline_text = _text(item.cells.get("baseline")).replace("\n", " ")
    baseline = None
    if baseline_text:
        baseline = target_number(baseline_text)
        if baseline is None or not 0.0 <= baseline <= 100.0:
            problems.append(RowProblem(label, "baseline", baseline_text[:80]))
            ok = False
        else:
            baseline = _exact(baseline, known, 0, 5e-3)
    if not ok or shown is None:
        return None
    target = _exact(shown, known, 1, 5e-5)
    if own:  # the plan's wording, printed under the target (appendix_docx)
        target_text = "\n".join(own)
    elif printed in {f"≥ {_number(shown, lang, 4)}" for lang in i18n.LANGS}:
        target_text = auto_text(target)  # the automatic "≥ x", in either language
    else:
        target_text = printed
    row = AppendixRow(
        stt=item.stt,
        code=code,
        name=name,
        baseline=baseline,
        target=target,
        target_text=target_text,
        lead_unit=_original(_text(item.cells.get("lead")), known, 2, _shown_unit),
        coordinating_units=_original(_text(item.cells.get("coordinating")), known, 3, _shown_unit),
        timeframe=_original(_text(item.cells.get("timeframe")), known, 4, _shown_timeframe),
        tasks="\n".join(item.tasks),
    )
    texts = (row.target_text, row.lead_unit, row.coordinating_units, row.timeframe, row.tasks)
    if any(len(t) > TEXT_MAX for t in texts):
        problems.append(RowProblem(label, "text"))
        return None
    return row


def _exact(printed: float, known: list | None, k: int, tolerance: float) -> float:
    """The exact value behind a number the tool's export printed, unless the print was edited."""
    if known is None or len(known) <= k:
        return printed
    value = known[k]
    if isinstance(value, int | float) and abs(float(value) - printed) <= tolerance + 1e-9:
        return float(value)
    return printed
