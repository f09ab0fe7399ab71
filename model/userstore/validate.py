"""Checks of what users write: reject only what cannot be stored faithfully; keep the rest exact.

Every check returns the value as it will be stored, or raises InvalidText (InvalidName for a
scenario name) with a message id and parameters.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from ..i18n import Message, msg
from .errors import InvalidName, InvalidText

NAME_MAX = 120
AUTHOR_MAX = 120
NOTE_MAX = 10_000
FILE_NAME_MAX = 255
CHECKSUM_MAX = 128
REPORT_MAX = 1_000_000  # characters of a dataset version's report JSON
EARLIEST_DAY = date(2000, 1, 1)

BAD_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}  # controls, lone surrogates, line/paragraph breaks
CODE = re.compile(r"^\d+\.\d+\.\d+$")

# What a checked value is, as the messages name it (literal ids, for the extractor).
WHAT: dict[str, Message] = {
    "unit": msg("workspace.what_unit"),
    "plan id": msg("workspace.what_plan_id"),
    "value": msg("workspace.what_value"),
    "score": msg("workspace.what_score"),
    "file name": msg("workspace.what_file_name"),
    "checksum": msg("workspace.what_checksum"),
    "values": msg("workspace.what_values"),
    "goalposts": msg("workspace.what_goalposts"),
}


def _bad(text: str) -> str | None:
    """The first character that cannot be stored in a one-line text, if any."""
    return next((ch for ch in text if unicodedata.category(ch) in BAD_CATEGORIES), None)


def validate_name(name: str) -> str:
    """The name as it will be stored (surrounding whitespace stripped), or InvalidName."""
    if not isinstance(name, str):
        raise InvalidName("workspace.err_name_not_text")
    clean = name.strip()
    if not clean:
        raise InvalidName("workspace.err_name_empty")
    if len(clean) > NAME_MAX:
        raise InvalidName("workspace.err_name_too_long", limit=NAME_MAX, n=len(clean))
    bad = _bad(clean)
    if bad is not None:
        raise InvalidName("workspace.err_name_control", code=f"{ord(bad):04X}")
    return clean


def validate_author(author: str) -> str:
    if not isinstance(author, str):
        raise InvalidText("workspace.err_author_not_text")
    clean = author.strip()
    if len(clean) > AUTHOR_MAX:
        raise InvalidText("workspace.err_author_too_long", limit=AUTHOR_MAX)
    if _bad(clean) is not None:
        raise InvalidText("workspace.err_author_control")
    return clean


def validate_note(note: str) -> str:
    # Notes are free text: line breaks and tabs are fine, other control characters are not.
    if not isinstance(note, str):
        raise InvalidText("workspace.err_note_not_text")
    if len(note) > NOTE_MAX:
        raise InvalidText("workspace.err_note_too_long", limit=NOTE_MAX)
    for ch in note:
        cat = unicodedata.category(ch)
        if cat == "Cs" or (cat == "Cc" and ch not in "\t\n\r"):
            raise InvalidText("workspace.err_note_control", code=f"{ord(ch):04X}")
    return note


def validate_key(text: str, what: str) -> str:
    """A key such as a unit's slug or a plan id: not empty, one short line."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidText("workspace.err_key_empty", what=WHAT[what])
    if len(text) > NAME_MAX or _bad(text) is not None:
        raise InvalidText("workspace.err_key_unstorable", what=WHAT[what], text=text[:40])
    return text.strip()


def validate_code(code: str) -> str:
    if not isinstance(code, str) or not CODE.match(code):
        raise InvalidText("workspace.err_code", code=repr(code))
    return code


def finite(x: float, what: str) -> float:
    if isinstance(x, bool):
        raise InvalidText("workspace.err_not_number", what=WHAT[what])
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise InvalidText("workspace.err_not_number_given", what=WHAT[what], x=repr(x)) from None
    if not math.isfinite(v):
        raise InvalidText("workspace.err_not_finite", what=WHAT[what])
    return v


def validate_day(d: date) -> date:
    if isinstance(d, datetime):
        d = d.date()
    if not isinstance(d, date):
        raise InvalidText("workspace.err_day_not_date")
    # A day of slack for time zones (Vietnam is UTC+7; the check runs on UTC).
    if not EARLIEST_DAY <= d <= datetime.now(UTC).date() + timedelta(days=1):
        raise InvalidText(
            "workspace.err_day_range", day=d.isoformat(), earliest=EARLIEST_DAY.isoformat()
        )
    return d


def validate_line(text: str, what: str, limit: int) -> str:
    """One line of text (a file name, a checksum): stripped, no control characters."""
    if not isinstance(text, str):
        raise InvalidText("workspace.err_line_not_text", what=WHAT[what])
    clean = text.strip()
    if len(clean) > limit:
        raise InvalidText("workspace.err_line_too_long", what=WHAT[what], limit=limit)
    if _bad(clean) is not None:
        raise InvalidText("workspace.err_line_control", what=WHAT[what])
    return clean


def validate_report(report_json: str) -> str:
    if not isinstance(report_json, str):
        raise InvalidText("workspace.err_report_not_text")
    if len(report_json) > REPORT_MAX:
        raise InvalidText("workspace.err_report_too_long", limit=REPORT_MAX)
    if "\x00" in report_json:
        raise InvalidText("workspace.err_report_nul")
    try:
        json.loads(report_json)
    except ValueError as exc:
        raise InvalidText("workspace.err_report_json", error=str(exc)) from None
    return report_json


def validate_kind(kind: str, edition: int | None, restores: int | None) -> None:
    """A dataset version is an import of one edition or a rollback to an earlier version."""
    if kind == "import":
        if isinstance(edition, bool) or not isinstance(edition, int):
            raise InvalidText("workspace.err_import_edition")
        if restores is not None:
            raise InvalidText("workspace.err_import_restores")
    elif kind == "rollback":
        if isinstance(restores, bool) or not isinstance(restores, int) or restores < 0:
            raise InvalidText("workspace.err_rollback_restores")
        if edition is not None:
            raise InvalidText("workspace.err_rollback_edition")
    else:
        raise InvalidText("workspace.err_version_kind", kind=repr(kind))


# ---- dataset versions' frames ----------------------------------------------------------------
VALUE_TEXT = ("unit", "code", "provenance")
VALUE_NUMBERS = ("score", "raw")
GOAL_TEXT = ("code", "provenance")
GOAL_NUMBERS = ("min_raw", "max_raw")


def _storable_cell(cell: object, col: str) -> bool:
    return (
        isinstance(cell, str)
        and len(cell) <= NAME_MAX
        and (col == "provenance" or bool(cell))
        and _bad(cell) is None
    )


def clean_frame(
    frame: pd.DataFrame | None,
    text: tuple[str, ...],
    numbers: tuple[str, ...],
    key: tuple[str, ...],
    what: str,
) -> pd.DataFrame:
    """The frame's storable columns (text first in `text` order, numbers as float64 with NaN
    for missing), or InvalidText saying which row cannot be stored."""
    columns = [*text[:-1], *numbers, text[-1]]  # the table's column order
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"the {what} must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidText(
            "workspace.err_frame_columns", what=WHAT[what], columns=", ".join(missing)
        )
    out = pd.DataFrame(index=range(len(frame)))
    for col in text:
        cells = frame[col].tolist()
        for cell in set(cells):  # few distinct units, codes and provenances: check each once
            if not _storable_cell(cell, col):
                i = next(i for i, c in enumerate(cells) if c is cell or c == cell)
                raise InvalidText(
                    "workspace.err_frame_cell",
                    row=i + 1,
                    what=WHAT[what],
                    column=col,
                    cell=repr(cell),
                )
        out[col] = pd.Series(cells, dtype=object)
    for col in numbers:
        try:
            nums = pd.to_numeric(frame[col].reset_index(drop=True), errors="raise")
        except (TypeError, ValueError):
            raise InvalidText("workspace.err_frame_numbers", what=WHAT[what], column=col) from None
        nums = nums.astype("float64")
        if bool(((nums == math.inf) | (nums == -math.inf)).any()):
            raise InvalidText("workspace.err_frame_infinite", what=WHAT[what], column=col)
        out[col] = nums
    dup = out.duplicated(list(key))
    if bool(dup.any()):
        i = int(dup.to_numpy().nonzero()[0][0])
        shown = ", ".join(str(out.at[i, k]) for k in key)
        raise InvalidText("workspace.err_frame_repeats", row=i + 1, what=WHAT[what], key=shown)
    return out[columns]
