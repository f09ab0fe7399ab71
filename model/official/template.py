"""Empty import templates: the exact columns the parser reads, with the codes filled in.

CSV is UTF-8 with a BOM (Excel reads it as UTF-8); XLSX has the sheets "data", "goalposts"
(edition) and "instructions", written in the reader's language from the catalogue.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from model.i18n import LocalizedError, gettext
from model.index.dataset import Edition
from model.official.problems import EXPECTED, Lang
from model.official.read import (
    DATA_SHEET,
    GOALPOST_SHEET,
    INSTRUCTION_SHEET,
    PROFILE_COLUMNS,
    Kind,
    letter,
)

TITLE = {"edition": "import.help_title_edition", "profile": "import.help_title_profile"}
# The instructions' paragraphs, in order; the goalposts paragraph for edition templates only.
PARAGRAPHS = (
    "import.help_intro",
    "import.help_meta",
    "import.help_numbers",
    "import.help_notes",
    "import.help_check",
)
NOTE_COLUMNS = {
    "#indicator": "import.help_col_indicator",
    "#measure": "import.help_col_measure",
    "#unit_name": "import.help_col_unit_name",
}


class TemplateError(LocalizedError, ValueError):
    """No template of that kind or format."""


def template_columns(kind: Kind) -> tuple[str, ...]:
    """The template's columns; those starting with # are notes the parser never reads.

    `edition` (filled in on every row) and, in a profile, `unit` say what the template was
    made for: the parser refuses the file for another edition or unit (model.official.check)."""
    if kind == "profile":
        return (
            "unit",
            "code",
            "#indicator",
            "#measure",
            "raw",
            "score",
            "min",
            "max",
            "rank",
            "edition",
        )
    return ("unit", "#unit_name", "code", "#indicator", "#measure", "raw", "score", "edition")


def _template_rows(kind: Kind, edition: Edition, unit: str | None, lang: str) -> list[list[Any]]:
    fw, year = edition.framework, edition.year
    units = [unit or ""] if kind == "profile" else list(edition.slugs)
    names = dict(zip(edition.units["slug"], edition.units[f"name_{lang}"], strict=True))
    if unit is not None:
        edition.unit_index(unit)  # raises UnknownName listing the valid units
    rows = []
    for s in units:
        for ind in fw.indicators:
            name = getattr(ind, f"name_{lang}")
            measure = getattr(ind, f"unit_{lang}")
            if kind == "profile":
                rows.append([s, ind.code, name, measure, None, None, None, None, None, year])
            else:
                rows.append([s, names[s], ind.code, name, measure, None, None, year])
    return rows


def template_bytes(
    kind: Kind,
    fmt: Literal["csv", "xlsx"],
    edition: Edition,
    unit: str | None = None,
    lang: Lang = "vi",
) -> bytes:
    """An empty template: one row per indicator (per unit for an edition)."""
    if kind not in ("edition", "profile") or fmt not in ("csv", "xlsx"):
        raise TemplateError("import.err_template", kind=str(kind), fmt=str(fmt))
    header = list(template_columns(kind))
    rows = _template_rows(kind, edition, unit, lang)
    if fmt == "csv":
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(["" if c is None else c for c in r] for r in rows)
        return buf.getvalue().encode("utf-8-sig")
    return _workbook(kind, header, rows, edition, lang)


def _workbook(kind: Kind, header: list[str], rows: list, edition: Edition, lang: str) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)  # streams rows: a full edition is 3,000+ rows
    ws = wb.create_sheet(DATA_SHEET)
    for k, h in enumerate(header):
        ws.column_dimensions[letter(k)].width = 40 if h == "#indicator" else 14
    ws.freeze_panes = "A2"
    bold, note_head = Font(bold=True), Font(bold=True, italic=True, color="808080")

    def styled(value, font):
        c = WriteOnlyCell(ws, value=value)
        c.font = font
        return c

    ws.append([styled(h, note_head if h.startswith("#") else bold) for h in header])
    for r in rows:
        ws.append(r)
    if kind == "edition":
        gs = wb.create_sheet(GOALPOST_SHEET)
        gs.append(["code", "#indicator", "min", "max"])
        for ind in edition.framework.indicators:
            gs.append([ind.code, getattr(ind, f"name_{lang}"), None, None])
    _instructions(wb.create_sheet(INSTRUCTION_SHEET), kind, header, edition, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _instructions(ws, kind: Kind, header: list[str], edition: Edition, lang: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    def t(msg_id: str, **params: object) -> str:
        return gettext(lang, msg_id, **params)

    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
    title = WriteOnlyCell(ws, value=t(TITLE[kind], edition=edition.year))
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append([])
    extra = ("import.help_goalposts",) if kind == "edition" else ()
    for msg_id in PARAGRAPHS + extra:
        ws.append([t(msg_id)])
    ws.append([])
    ws.append([t("import.help_column"), t("import.help_meaning")])
    required = PROFILE_COLUMNS if kind == "profile" else ("unit", "code")
    for h in header:
        if h in NOTE_COLUMNS:
            meaning = t(NOTE_COLUMNS[h])
        else:
            flag = t("import.help_required") if h in required else t("import.help_optional")
            meaning = f"{t(EXPECTED[h])} ({flag})"
        ws.append([h, meaning])
