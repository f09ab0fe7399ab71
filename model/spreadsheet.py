"""User text in the spreadsheets the tool hands out: shown as typed, never run as a formula.

Excel, LibreOffice and Google Sheets take a cell that starts with `=`, `+`, `-` or `@` (and,
in CSV, a tab or carriage return before one) as a formula: a plan named
`=HYPERLINK("http://x","y")` would become a live link in every copy of the plan (CSV
injection, OWASP). Every exporter goes through this module:

- CSV (`csv_text`, `csv_row`, `frame_csv`): such text gets the usual neutralising prefix, an
  apostrophe (`'=HYPERLINK(…)`), which spreadsheets show as text; `restore` undoes it when the
  tool reads its own CSV back (plan files), so a round trip keeps the text exactly.
- XLSX (`append_row`): every text cell is written as a text cell (never openpyxl's formula
  type), with Excel's "quote prefix" on the risky ones so editing the cell keeps it text.

Numbers stay numbers: numeric values are never touched, and a text that is only a number
("-5", "-12,5", "+3%") is not a formula and keeps its form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
_ESCAPED = (*RISKY_START, PREFIX)  # what may follow a prefix the tool itself wrote
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,\u00a0 ]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?%?")


def risky(value: object) -> bool:
    """A text a spreadsheet would run as a formula (a plain number is not one)."""
    return (
        isinstance(value, str)
        and value.startswith(RISKY_START)
        and not _NUMBER.fullmatch(value.strip())
    )


def csv_text(value: Any) -> Any:
    """`value` as a CSV cell: risky text behind an apostrophe; anything else as it is.

    A text that already starts with an apostrophe before a risky character gets one more, so
    `restore` gives back exactly what was written."""
    if not isinstance(value, str):
        return value
    if risky(value) or (value.startswith(PREFIX) and value[1:2] in _ESCAPED and value[1:2]):
        return PREFIX + value
    return value


def restore(text: str) -> str:
    """The text `csv_text` was given (a CSV cell this tool wrote, read back)."""
    if text.startswith(PREFIX) and text[1:2] and text[1:2] in _ESCAPED:
        return text[1:]
    return text


def csv_row(row: Iterable[Any]) -> list[Any]:
    return [csv_text(v) for v in row]


def frame_csv(frame, *, bom: bool = True) -> bytes:
    """A pandas DataFrame as CSV bytes (UTF-8, with a BOM for Excel by default), every text
    cell and column name through `csv_text`; numeric columns are written as numbers."""
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    safe = frame.copy()
    safe.columns = [csv_text(str(c)) for c in safe.columns]
    for k, col in enumerate(safe.columns):
        values = safe.iloc[:, k]
        if not (is_numeric_dtype(values) or is_bool_dtype(values)) and not (
            is_datetime64_any_dtype(values)
        ):  # text (object or string dtype): each cell through csv_text
            safe[col] = values.map(csv_text)
    return safe.to_csv(index=False).encode("utf-8-sig" if bom else "utf-8")


def append_row(ws, row: Sequence[Any]) -> None:
    """`ws.append(row)` with every text as a text cell: never a formula, whatever it starts
    with (openpyxl makes any string starting with "=" a formula)."""
    ws.append(list(row))
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if risky(cell.value):
                cell.quotePrefix = True  # Excel keeps it text when the cell is edited
