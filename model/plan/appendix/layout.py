"""The appendix's layout, the values it is read into, and the plan's columns the plan files
share with it.

- the page (A4 landscape, Decree 30/2020's margins, Times New Roman 13–14 pt), the columns'
  widths, the styles marking a target's own wording and its raw value; the header words that
  name each column when an appendix is read (either language; `_header` finds them);
- the values: IndicatorInfo and ProgressRow (what the writer is given), AppendixRow, Appendix,
  RowProblem and AppendixError (what the reader gives);
- what the writer prints and the reader reads back alike: numbers (46,51), targets ("≥ 10";
  `target_number`), departments and timeframes in the reader's language;
- the plan files' columns (model.plan.files): the seed's layout (the seed's appendix as a
  table, data/sources/plan_bac_giang_2024.csv; `appendix_records` gives an appendix's rows in
  it), the plan and full layouts, and the full layout's headers.
Names with a leading underscore are the package's own (model.plan.appendix's write and read).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from model.estimates.sources import REQUIRED

from ... import fmt
from ...i18n import Message, msg
from ..core import PlanError

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
TEXT_PT = 13  # Decree 30/2020: 13–14 pt
TITLE_PT = 14
PAGE_MM = (297, 210)  # A4, landscape
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # Decree 30/2020, Annex I
WIDTHS_MM = (15, 85, 22, 28, 38, 38, 26)  # the seven columns; 252 mm between the margins
PROGRESS_WIDTHS_MM = (60, 80, 30, 26, 26, 30)
TARGET_TEXT_STYLE = "PII target text"  # a printed target whose number is not the target
RAW_STYLE = "PII raw value"  # the raw value a target means (not read back)
NEEDED = ("stt", "indicator", "target", "lead")
# The header's words per column, diacritics and case removed; the first role that matches a
# header cell wins, in this order (the indicator's header names "chỉ số", the baseline's
# "mức điểm số": neither names the other's words).
HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("target", ("muc tieu", "target", "chi tieu")),
    ("lead", ("chu tri", "lead", "responsible")),
    ("coordinating", ("phoi hop", "coordinat", "support")),
    ("timeframe", ("thoi gian", "thoi han", "timeframe", "time frame", "deadline", "timeline")),
    ("indicator", ("chi so", "nhiem vu", "indicator", "task", "noi dung")),
    ("baseline", ("diem", "score", "baseline", "hien trang", "ket qua")),
)
STT_WORDS = {"stt", "tt", "so tt", "no", "no.", "#", "number", "so thu tu"}
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?(?![.,]?\d)")
_AT_LEAST = re.compile(
    r"(?:≥|>=|>|\b(?:đạt|tối thiểu|ít nhất|at least|reach(?:es)?|to)\b)\s*(?:mức\s*)?"
    r"(\d+(?:[.,]\d+)?)(?![.,]?\d)",
    re.IGNORECASE,
)
_STT_NUMBER = re.compile(r"^\(?(\d{1,3})\)?\.?$")

# Kinds of row problems -> their catalogue sentence (every one names the row by its STT).
ROW_IDS = {
    "code": "plan.appendix_err_row_code",
    "unknown_code": "plan.appendix_err_row_unknown",
    "target": "plan.appendix_err_row_target",
    "baseline": "plan.appendix_err_row_baseline",
    "no_baseline": "plan.appendix_err_row_no_baseline",
    "duplicate": "plan.appendix_err_row_duplicate",
    "text": "plan.appendix_err_row_text",
}


# The plan files' layouts (model.plan.files reads and writes them; data/README.md, "Plans").
SEED_COLUMNS = REQUIRED["plan_bac_giang_2024.csv"]  # the seed plan's layout
CSV_COLUMNS = SEED_COLUMNS  # its older name (the Plan page's upload help names these)
PLAN_COLUMNS = (
    "code",
    "target",
    "target_text",
    "lead_unit",
    "coordinating_units",
    "timeframe",
    "tasks",
)
FULL_COLUMNS = (
    "code",
    "indicator",
    "baseline",
    "target",
    "raw_target",
    "raw_unit",
    "target_text",
    "lead_unit",
    "coordinating_units",
    "timeframe",
    "tasks",
)
LAYOUTS: dict[str, tuple[str, ...]] = {
    "full": FULL_COLUMNS,
    "plan": PLAN_COLUMNS,
    "seed": SEED_COLUMNS,
}
# The full layout's headers in the reader's language (literal ids, for the extractor).
COLUMN_IDS = {
    "code": "plan.file_col_code",
    "indicator": "plan.file_col_indicator",
    "baseline": "plan.file_col_baseline",
    "target": "plan.file_col_target",
    "raw_target": "plan.file_col_raw_target",
    "raw_unit": "plan.file_col_raw_unit",
    "target_text": "plan.file_col_target_text",
    "lead_unit": "plan.file_col_lead_unit",
    "coordinating_units": "plan.file_col_coordinating_units",
    "timeframe": "plan.file_col_timeframe",
    "tasks": "plan.file_col_tasks",
}


# ---- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInfo:
    """What the caller knows of one indicator from the editions: its name in the document's
    language, the baseline score to print (None: the plan's own), the raw value its target
    means and that value's unit (None: not printed)."""

    name: str = ""
    baseline: float | None = None
    raw_target: float | None = None
    raw_unit: str = ""


@dataclass(frozen=True)
class ProgressRow:
    """One line of the progress-by-department table: a lead unit's indicator, its latest
    reading (a score; None: none yet) against its target, whether it is on track (None: not
    known) and the PII points at stake."""

    department: str
    code: str
    latest: float | None
    target: float
    on_track: bool | None = None
    points: float | None = None


@dataclass(frozen=True)
class AppendixRow:
    """One indicator as the appendix prints it (`stt` as written; baseline None when empty)."""

    stt: str
    code: str
    name: str
    baseline: float | None
    target: float
    target_text: str
    lead_unit: str = ""
    coordinating_units: str = ""
    timeframe: str = ""
    tasks: str = ""

    @property
    def row(self) -> int | None:
        m = _STT_NUMBER.match(self.stt)
        return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Appendix:
    """An appendix as read: its rows, the years its headers name, the plan's number and date
    as printed, and what the tool's own export keeps in the document (`meta`: unit, edition,
    target_year, milestones, status, values, name, author; empty for other documents)."""

    rows: tuple[AppendixRow, ...]
    baseline_year: int | None = None
    target_year: int | None = None
    number: str = ""
    date: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RowProblem:
    """Why the row numbered `stt` cannot be read (`kind`: a key of ROW_IDS)."""

    stt: str
    kind: str
    value: str = ""
    year: int | None = None

    @property
    def message(self) -> Message:
        return msg(ROW_IDS[self.kind], stt=self.stt, value=self.value, year=self.year)

    def __str__(self) -> str:
        return self.message.render("en")


class AppendixError(PlanError):
    """An appendix that cannot be imported: a catalogue id and its parameters, and for rows that
    cannot be read `problems` (one per row, by STT). `render(lang)` gives all of them."""

    def __init__(self, msg_id: str, /, problems: Sequence[RowProblem] = (), **params: Any):
        super().__init__(msg_id, **params)
        self.problems = tuple(problems)

    def render(self, lang: str) -> str:
        return " ".join([super().render(lang), *(p.message.render(lang) for p in self.problems)])


# ---- printed and read alike -----------------------------------------------------------------


def _number(x: float, lang: str, decimals: int) -> str:
    """A number with at most `decimals` decimals, trailing zeros dropped (46,51; 20)."""
    text = fmt.number(x, lang, decimals)
    sep = "," if lang == "vi" else "."
    return text.rstrip("0").rstrip(sep) if sep in text else text


def target_number(text: str) -> float | None:
    """The score a printed target names: after "≥", "đạt", "at least" …, else its only number
    (a Vietnamese decimal comma read as a point); None when there is none or several."""
    t = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    m = _AT_LEAST.search(t)
    if m:
        return _float(m.group(1))
    found = _NUMBER.findall(t)
    return _float(found[0]) if len(found) == 1 else None


def _float(token: str) -> float | None:
    try:
        v = float(token.replace(",", "."))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _norm(text: str) -> str:
    """Each non-empty line stripped, as a cell's paragraphs read back."""
    lines = text.replace("\u00a0", " ").split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def _shown_unit(name: str, lang: str) -> str:
    """A department as the appendix prints it: in English its name from departments.csv
    (model.plan.names), else as written."""
    from ..names import department_label

    return department_label(name, lang) if lang == "en" and name.strip() else name


def _shown_timeframe(text: str, lang: str) -> str:
    from ..names import timeframe_label

    return timeframe_label(text, lang)


# ---- the header and the seed's layout -------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case, no diacritics (đ -> d), single spaces."""
    t = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", t).strip()


def _role(text: str) -> str | None:
    t = _fold(text)
    if not t:
        return None
    if t in STT_WORDS or t.rstrip(".") in STT_WORDS:
        return "stt"
    for role, words in HEADER_WORDS:
        if any(w in t for w in words):
            return role
    return None


def _header(table) -> tuple[int, dict[str, int]] | None:
    """(the header row's index, role -> column) when one of the first rows names the columns."""
    for k, row in enumerate(table.rows[:3]):
        cols: dict[str, int] = {}
        for c, cell in enumerate(_cells(row)):
            role = _role(cell.text) if cell is not None else None
            if role is not None and role not in cols:
                cols[role] = c
        if all(r in cols for r in NEEDED):
            return k, cols
    return None


def _cells(row) -> list:
    """The row's cells by grid column (a merged cell repeated over its columns; None before a
    row that starts after the first column)."""
    return [None] * (row.grid_cols_before or 0) + list(row.cells)


def appendix_records(appendix: Appendix, plan_id: str = "") -> list[list[str]]:
    """The appendix's rows in the seed's CSV layout (SEED_COLUMNS, header first), the
    records files.py's reader turns into a plan (an empty baseline stays empty)."""
    out = [list(SEED_COLUMNS)]
    for n, r in enumerate(appendix.rows, 1):
        values = {
            "plan": plan_id,
            "row": str(r.row or n),
            "code": r.code,
            "score_2023": "" if r.baseline is None else repr(r.baseline),
            "target_2024": repr(r.target),
            "target_text": r.target_text,
            "lead_unit": r.lead_unit,
            "coordinating_units": r.coordinating_units,
            "timeframe": r.timeframe,
            "tasks_vi": r.tasks,
            "source": "",
        }
        out.append([values.get(c, "") for c in SEED_COLUMNS])
    return out
