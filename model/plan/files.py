"""Plan files: a plan's targets from a CSV or XLSX file, and back.

Three layouts, read and written alike (data/README.md, "Plans"):
- "full" (the export's default): the plan says what it is. A block of label,value rows (the
  plan's name, unit, edition, target year and status; META_IDS), a blank row, then a table
  with each indicator's name, baseline, target, raw value and unit (FULL_COLUMNS). Labels and
  headers are in the reader's language (either language, or the English keys, is read back);
  numbers in a CSV carry the language's decimal mark (12,76 in Vietnamese), exactly (every
  digit kept), and are numbers in an XLSX. The name and raw value columns are not read back.
- "plan" (PLAN_COLUMNS): code,target and optionally target_text, lead_unit,
  coordinating_units, timeframe, tasks; each baseline is the unit's score in the edition the
  file is read against.
- "seed" (SEED_COLUMNS, data/sources/plan_bac_giang_2024.csv): plan,row,code,score_2023,
  target_2024,target_text,lead_unit,coordinating_units,timeframe,tasks_vi,source; code,
  score_2023, target_2024 and lead_unit are required and score_2023 is the baseline.
A header naming score_2023, target_2024 or tasks_vi (and no `target`) is the seed's layout.
A Word document (.docx) is the official appendix (model.plan.appendix), checked before XLSX.
The layouts' columns and the full layout's labels are defined with the appendix's
(model.plan.appendix.layout and .meta: the seed's layout is the appendix as a table).
Every problem is reported at once with its spreadsheet row (header = row 1) and column; on any
problem PlanFileError is raised and no plan is made (so nothing can be stored).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from model.index.dataset import Edition
from model.index.scenario import ScenarioError
from model.official.read import MAX_UNZIPPED_BYTES, unzipped_size
from model.spreadsheet import append_row, csv_text, restore

from .. import i18n
from .appendix import appendix_header, is_docx, read_appendix_for
from .appendix.layout import COLUMN_IDS, FULL_COLUMNS, LAYOUTS
from .appendix.layout import CSV_COLUMNS as CSV_COLUMNS  # named here too: model.plan has them
from .appendix.layout import PLAN_COLUMNS as PLAN_COLUMNS
from .appendix.layout import SEED_COLUMNS as SEED_COLUMNS
from .appendix.meta import META_IDS, STATUS_IDS, aliases, label_rows, meta_rows
from .core import MAX_BYTES, Plan, PlanError, PlanTarget, auto_text, baseline_of

SEED_REQUIRED = ("code", "score_2023", "target_2024", "lead_unit")
PLAN_REQUIRED = ("code", "target")
REQUIRED_COLUMNS = SEED_REQUIRED
SEED_NAMES = {"baseline": "score_2023", "target": "target_2024", "tasks": "tasks_vi"}
_SEED_MARKS = {"score_2023", "target_2024", "tasks_vi"}
MAX_ROWS = 200
MAX_PROBLEMS = 20
_CODE = re.compile(r"^\d+\.\d+\.\d+$")
_PLAN_ID = re.compile(r"^[\w.\-]{1,60}$")


@dataclass(frozen=True)
class PlanProblem:
    """One thing wrong with an uploaded plan; `row` is the spreadsheet row (header = row 1).

    kind: encoding | empty | missing_columns | field_count | too_many_rows | unknown_code |
    bad_code | not_a_number | out_of_range | duplicate_code | not_a_row_number | bad_plan_id |
    xlsx_unreadable | too_large | bad_text | csv_unreadable | other_unit | other_edition |
    bad_status
    """

    kind: str
    row: int | None = None
    column: str | None = None
    value: str = ""
    year: int | None = None  # the edition the file was checked against

    @property
    def message(self) -> i18n.Message:
        """The problem as a catalogue sentence (the plan.err_* ids), for any language."""
        return i18n.msg(
            PROBLEM_IDS.get(self.kind, "plan.err_empty"),
            row=self.row,
            column=self.column or "",
            value=self.value,
            year=self.year,
        )

    def __str__(self) -> str:
        """English, for logs and tracebacks (the screens render `message`)."""
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column!r}" if self.column else "",
            )
            if part
        )
        detail = {
            "encoding": "the file is not UTF-8 text (save it as 'CSV UTF-8')",
            "empty": "the file has no plan rows",
            "missing_columns": f"missing column(s): {self.value}",
            "field_count": f"{self.value} fields, not as many as the header's",
            "too_many_rows": f"more than {MAX_ROWS} rows",
            "unknown_code": f"{self.value!r} is not an indicator of this edition",
            "bad_code": f"{self.value!r} is not an indicator code like 2.2.3",
            "not_a_number": f"{self.value!r} is not a number",
            "out_of_range": f"{self.value!r} is not a score between 0 and 100",
            "duplicate_code": f"indicator {self.value} appears twice",
            "not_a_row_number": f"{self.value!r} is not a whole number",
            "bad_plan_id": f"{self.value!r} is not a plan id (letters, digits, - _ .)",
            "xlsx_unreadable": "the file is not a readable Excel workbook",
            "too_large": "the file is too large",
            "bad_text": "a text is too long to keep",
            "other_unit": f"the file's plan is for {self.value}",
            "other_edition": f"the file's plan is against edition {self.value}",
            "bad_status": f"{self.value!r} is not a plan status",
            "csv_unreadable": f"a cell is longer than {self.value} characters or a quote is open",
        }.get(self.kind, self.value)
        return f"{where}: {detail}" if where else detail


PROBLEM_IDS = {  # the catalogue's sentence for each kind of problem
    "encoding": "plan.err_encoding",
    "empty": "plan.err_empty",
    "missing_columns": "plan.err_missing_columns",
    "field_count": "plan.err_field_count",
    "too_many_rows": "plan.err_too_many_rows",
    "unknown_code": "plan.err_unknown_code",
    "bad_code": "plan.err_bad_code",
    "not_a_number": "plan.err_not_a_number",
    "out_of_range": "plan.err_out_of_range",
    "duplicate_code": "plan.err_duplicate_code",
    "not_a_row_number": "plan.err_not_a_row_number",
    "bad_plan_id": "plan.err_bad_plan_id",
    "xlsx_unreadable": "plan.err_file_xlsx",
    "too_large": "plan.err_file_too_large",
    "bad_text": "plan.err_file_text",
    "other_unit": "plan.err_file_other_unit",
    "other_edition": "plan.err_file_other_edition",
    "bad_status": "plan.err_file_status",
    "csv_unreadable": "plan.err_file_csv",
}


class PlanFileError(ScenarioError):
    """An uploaded plan that cannot be used; `problems` says where and why (nothing is loaded).

    Its id and parameters are the first problem's; `render(lang)` gives every problem."""

    def __init__(self, problems: Sequence[PlanProblem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0].message if self.problems else i18n.msg("plan.err_empty")
        super().__init__(first.msg_id, **first.params)

    def render(self, lang: str) -> str:
        return " ".join(p.message.render(lang) for p in self.problems) or super().render(lang)

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


def _number(text: str) -> float | None:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in t and "." not in t:
        t = t.replace(",", ".")  # a Vietnamese decimal comma: 12,76
    try:
        v = float(t)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


@dataclass
class _Problems:
    year: int | None = None
    items: list[PlanProblem] = field(default_factory=list)

    def add(self, kind: str, row: int | None = None, column: str | None = None, value="") -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(PlanProblem(kind, row, column, str(value)[:80], self.year))

    def raise_if_any(self) -> None:
        if self.items:
            raise PlanFileError(self.items)


# ---- reading ---------------------------------------------------------------------------------


def is_xlsx(data: bytes, file_name: str = "") -> bool:
    """An Excel workbook: named .xlsx, or a zip file whatever its name."""
    if not isinstance(data, bytes):
        return False
    return file_name.lower().endswith(".xlsx") or (
        data[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(data))
    )


def _cell(value: object) -> str:
    """An Excel cell as the text a CSV would hold (whole numbers without '.0')."""
    if value is None or (isinstance(value, float) and value != value):  # None, NaN: empty
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _xlsx_records(data: bytes, problems: _Problems) -> list[list[str]]:
    """The first sheet's rows as text, trailing empty cells dropped."""
    import openpyxl  # imported here: only XLSX files pay for it

    size = unzipped_size(data)
    if size is None or size > MAX_UNZIPPED_BYTES:  # not a zip, or a zip bomb: never opened
        problems.add("xlsx_unreadable" if size is None else "too_large")
        problems.raise_if_any()
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is one problem for the user
        problems.add("xlsx_unreadable")
        problems.raise_if_any()
    try:
        records = []
        for values in wb.worksheets[0].iter_rows(values_only=True):
            row = [_cell(v) for v in values]
            while row and not row[-1].strip():
                row.pop()
            records.append(row)
            if len(records) > MAX_ROWS + 50:
                break
    except Exception:  # noqa: BLE001
        problems.add("xlsx_unreadable")
        problems.raise_if_any()
    finally:
        wb.close()
    return records  # rows are padded to the table's header (_plan_from_records)


def _csv_records(data: bytes | str, problems: _Problems) -> list[list[str]]:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.add("encoding")
            problems.raise_if_any()
    else:
        text = data.removeprefix("\ufeff")
    try:  # a cell the tool wrote behind an apostrophe (model.spreadsheet) reads back as typed
        return [[restore(c) for c in r] for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:  # a cell longer than csv.field_size_limit(), or a broken quote
        problems.add("csv_unreadable", None, None, csv.field_size_limit())
        problems.raise_if_any()


def read_plan_file(
    data: bytes | str,
    ed: Edition,
    unit: str,
    *,
    file_name: str = "",
    plan_id: str = "",
) -> Plan:
    """A plan from a CSV or XLSX file in any layout, or the official appendix (.docx), for
    `unit` against edition `ed`.

    The plan is not stored: source 'imported', source_ref the file name; its id is `plan_id`,
    else the file's `plan` column (seed layout), else '<unit>-<year>'; its name, target year
    and status are the file's when it says them (full layout, appendix). UnknownName for a unit
    not in the edition; PlanFileError (every problem, by row and column) for a bad file,
    AppendixError (rows by their STT) for a bad appendix.
    """
    problems = _Problems(ed.year)
    ed.unit_index(unit)  # UnknownName for a unit not in the edition
    if len(data) > MAX_BYTES:
        problems.add("too_large")
        problems.raise_if_any()
    if isinstance(data, bytes) and is_docx(data, file_name):  # before XLSX: a .docx is a zip
        return read_appendix_for(data, ed, unit, file_name=file_name, plan_id=plan_id)
    xlsx = is_xlsx(data, file_name)
    if xlsx:
        records = _xlsx_records(data, problems)  # type: ignore[arg-type]
    else:
        records = _csv_records(data, problems)
    plan = _plan_from_records(records, ed, unit, plan_id, problems, pad=xlsx)
    return replace(plan, source="imported", source_ref=Path(file_name).name[:255])


def file_says(data: bytes | str, file_name: str = "") -> dict:
    """What a plan file says of itself, before a unit and an edition are chosen: {'unit',
    'edition', 'name'} as far as it says them (full layout, appendix); {} for a file that says
    nothing or cannot be read (read_plan_file then names its problems)."""
    try:
        if len(data) > MAX_BYTES:
            return {}
        if isinstance(data, bytes) and is_docx(data, file_name):
            a = appendix_header(data)  # its rows are judged on import
            said = {k: a.meta[k] for k in ("unit", "edition", "name") if a.meta.get(k)}
            if "edition" not in said and a.baseline_year:
                said["edition"] = a.baseline_year
            return said
        problems = _Problems()
        if is_xlsx(data, file_name):
            records = _xlsx_records(data, problems)  # type: ignore[arg-type]
        else:
            records = _csv_records(data, problems)
    except ScenarioError:  # PlanFileError, AppendixError
        return {}
    meta, _start = label_rows(records)
    said = {k: meta[k].strip() for k in ("unit", "name") if meta.get(k, "").strip()}
    year = _number(meta.get("edition", ""))
    if year is not None and year == int(year):
        said["edition"] = int(year)
    return said


def parse_plan_csv(data: bytes | str, ed: Edition, unit: str, plan_id: str = "") -> Plan:
    """A plan from a CSV file (read_plan_file without a file name)."""
    return read_plan_file(data, ed, unit, plan_id=plan_id)


def _plan_from_records(
    records: list[list[str]],
    ed: Edition,
    unit: str,
    plan_id: str,
    problems: _Problems,
    first_row: int = 2,
    pad: bool = False,
) -> Plan:
    while records and not any(c.strip() for c in records[-1]):
        records.pop()  # trailing blank lines
    meta, start = label_rows(records)
    first_row += start
    records = records[start:]
    if not records:
        problems.add("empty")
        problems.raise_if_any()
    columns = aliases(COLUMN_IDS)
    header = [columns.get(h.strip().lower(), h.strip().lower()) for h in records[0]]
    if pad:  # a workbook's row drops its empty trailing cells: they are cells
        records = [records[0]] + [r + [""] * (len(header) - len(r)) for r in records[1:]]
    seed = "target" not in header and bool(_SEED_MARKS & set(header))
    required = SEED_REQUIRED if seed else PLAN_REQUIRED
    missing = [c for c in required if c not in header]
    if missing:
        problems.add("missing_columns", 1, None, ", ".join(missing))
        problems.raise_if_any()
    body = records[1:]
    if not any(any(c.strip() for c in r) for r in body):
        problems.add("empty")
        problems.raise_if_any()
    if len(body) > MAX_ROWS:
        problems.add("too_many_rows", None, None, len(body))
        problems.raise_if_any()
    col = {h: k for k, h in enumerate(header)}
    names = SEED_NAMES if seed else {}
    targets: list[PlanTarget] = []
    seen: set[str] = set()
    ids: list[str] = []
    for k, rec in enumerate(body):
        row = k + first_row  # a file's spreadsheet row: the header is row 1
        if not any(c.strip() for c in rec):
            continue
        if len(rec) != len(header):
            problems.add("field_count", row, None, len(rec))
            continue

        def get(name: str, rec: list[str] = rec) -> str:
            name = names.get(name, name)
            return rec[col[name]].strip() if name in col else ""

        target = _row_target(get, names, row, ed, unit, seed, len(targets) + 1, seen, problems)
        if get("plan"):
            ids.append(get("plan"))
        if target is not None:
            seen.add(target.code)
            targets.append(target)
    pid = plan_id or (ids[0] if ids else f"{unit}-{ed.year}")
    if not _PLAN_ID.match(pid):
        problems.add("bad_plan_id", None, "plan", pid)
    said = _said(meta, ed, unit, problems)
    problems.raise_if_any()
    if not targets:
        problems.add("empty")
        problems.raise_if_any()
    return Plan(plan_id=pid, unit=unit, edition=ed.year, targets=tuple(targets), **said)


def _said(meta: dict[str, str], ed: Edition, unit: str, problems: _Problems) -> dict:
    """The plan's name, target year and status from the file's label rows; a file written for
    another unit or edition is a problem (its scores are on that edition's scale)."""
    row = {k: n for n, k in enumerate(meta, 1)}  # the label rows are the file's first rows
    label = {k: i18n.gettext("en", i) for k, i in META_IDS.items()}
    if meta.get("unit", "").strip() and meta["unit"].strip() != unit:
        problems.add("other_unit", row["unit"], label["unit"], meta["unit"].strip())
    out: dict = {}
    for key in ("edition", "target_year"):
        text = meta.get(key, "").strip()
        if not text:
            continue
        v = _number(text)
        if v is None or v != int(v):
            problems.add("not_a_number", row[key], label[key], text)
        elif key == "edition" and int(v) != ed.year:
            problems.add("other_edition", row[key], label[key], int(v))
        elif key == "target_year":
            out["target_year"] = int(v)
    if meta.get("name", "").strip():
        out["name"] = meta["name"].strip()[:120]
    status = meta.get("status", "").strip()
    if status:
        known = aliases(STATUS_IDS)
        if status.lower() in known:
            out["status"] = known[status.lower()]
        else:
            problems.add("bad_status", row["status"], label["status"], status)
    return out


def _row_target(get, names, row: int, ed, unit, seed: bool, number: int, seen, problems):
    """One file row as a target, or None after adding its problems."""
    code = get("code")
    ok = True
    if not _CODE.match(code):
        problems.add("bad_code", row, "code", code)
        ok = False
    elif code not in ed.framework.index:
        problems.add("unknown_code", row, "code", code)
        ok = False
    elif code in seen:
        problems.add("duplicate_code", row, "code", code)
        ok = False
    values: dict[str, float] = {}
    own = seed or bool(get("baseline"))  # the full layout prints each baseline
    for name in ("baseline", "target") if own else ("target",):
        text = get(name)
        v = _number(text)
        if v is None:
            problems.add("not_a_number", row, names.get(name, name), text)
            ok = False
        elif not 0.0 <= v <= 100.0:
            problems.add("out_of_range", row, names.get(name, name), text)
            ok = False
        else:
            values[name] = v
    if seed and get("row"):
        n = _number(get("row"))
        if n is None or n != int(n):
            problems.add("not_a_row_number", row, "row", get("row"))
            ok = False
        else:
            number = int(n)
    if not ok:
        return None
    if not own:
        values["baseline"] = baseline_of(ed, unit, code)
    try:
        return PlanTarget(
            row=number,
            code=code,
            baseline=values["baseline"],
            target=values["target"],
            target_text=get("target_text") or auto_text(values["target"]),
            lead_unit=get("lead_unit"),
            coordinating_units=get("coordinating_units"),
            timeframe=get("timeframe"),
            tasks=get("tasks"),
        )
    except PlanError:  # a text too long to keep
        problems.add("bad_text", row)
        return None


def plan_from_table(plan: Plan, ed: Edition, table: pd.DataFrame | Sequence[dict]) -> Plan:
    """`plan` with its targets as edited in a table (the Plan page's st.data_editor): a
    DataFrame or rows of dicts with the plan layout's columns (`code` and `target` required,
    the others optional; other columns, such as a name or a raw value shown beside, are
    ignored). Problems name the table's rows from 1 and its columns. A code the plan already
    had keeps its baseline; a new one takes the unit's score in `ed`. An empty table is a plan
    without targets. PlanFileError with every problem: no plan is made."""
    frame = pd.DataFrame(list(table) if not isinstance(table, pd.DataFrame) else table)
    header = [str(c) for c in frame.columns]
    rows = [[_cell(v) for v in r] for r in frame.itertuples(index=False, name=None)]
    if not any(any(c.strip() for c in r) for r in rows):
        return replace(plan, targets=())
    problems = _Problems(ed.year)
    ed.unit_index(plan.unit)
    edited = _plan_from_records([header, *rows], ed, plan.unit, "x", problems, first_row=1)
    before = {t.code: t for t in plan.targets}
    return replace(plan, targets=tuple(_kept(before.get(t.code), t) for t in edited.targets))


def _kept(old: PlanTarget | None, new: PlanTarget) -> PlanTarget:
    """An edited row against the plan's: its baseline kept, an automatic '≥ x' following the
    new score."""
    if old is None:
        return new
    text = new.target_text
    if new.target != old.target and text == auto_text(old.target):
        text = auto_text(new.target)
    return replace(new, baseline=old.baseline, target_text=text)


# ---- writing ---------------------------------------------------------------------------------


def _exact(value: object, lang: str) -> object:
    """A number of the full layout's CSV: every digit kept, the language's decimal mark."""
    if not isinstance(value, float):
        return value
    text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return text.replace(".", ",") if lang == "vi" else text


def _full_rows(plan: Plan, ed: Edition | None, lang: str) -> list[list[object]]:
    rows = []
    for t in plan.targets:
        ind = (
            ed.framework.indicator(t.code)
            if ed is not None and t.code in ed.framework.index
            else None
        )
        raw = plan.raw_target(ed, t.code) if ind is not None else None
        raw = None if raw is None else float(f"{raw:.10g}")  # shown, not read back
        rows.append(
            [t.code, ind.name(lang) if ind else "", t.baseline, t.target, raw]
            + [ind.unit(lang) if ind else "", t.target_text, t.lead_unit, t.coordinating_units]
            + [t.timeframe, t.tasks]
        )
    return rows


def _cells(
    plan: Plan, layout: str, ed: Edition | None = None, lang: str = "vi"
) -> tuple[tuple[str, ...], list[list[object]]]:
    if layout not in LAYOUTS:
        raise PlanError("plan.err_layout", layout=str(layout), valid=", ".join(LAYOUTS))
    if layout == "full":
        header = tuple(i18n.gettext(lang, COLUMN_IDS[c]) for c in FULL_COLUMNS)
        return header, _full_rows(plan, ed, lang)
    if layout == "plan":
        rows = [
            [t.code, t.target, t.target_text, t.lead_unit, t.coordinating_units, t.timeframe]
            + [t.tasks]
            for t in plan.targets
        ]
    else:
        rows = [
            [plan.plan_id, t.row, t.code, t.baseline, t.target, t.target_text, t.lead_unit]
            + [t.coordinating_units, t.timeframe, t.tasks, ""]
            for t in plan.targets
        ]
    return LAYOUTS[layout], rows


def plan_to_csv(
    plan: Plan, layout: str = "seed", *, ed: Edition | None = None, lang: str = "vi"
) -> str:
    """The plan as CSV text in `layout` ('seed' by default, the upload template's layout);
    read_plan_file reads it back. The full layout is in `lang`, with the indicators' names
    and raw values under `ed`'s goalposts (left empty without `ed`)."""
    header, rows = _cells(plan, layout, ed, lang)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    if layout == "full":
        for r in meta_rows(plan, ed, lang):
            w.writerow([csv_text(c) for c in r])
        w.writerow([])
        rows = [[_exact(c, lang) for c in r] for r in rows]
    w.writerow(header)
    for r in rows:
        w.writerow([f"{c:g}" if isinstance(c, float) else csv_text(c) for c in r])
    return out.getvalue()


def plan_to_xlsx(
    plan: Plan, layout: str = "plan", *, ed: Edition | None = None, lang: str = "vi"
) -> bytes:
    """The plan as an Excel workbook (one sheet, numbers as numbers) in `layout` (the full
    layout as plan_to_csv writes it)."""
    import openpyxl

    header, rows = _cells(plan, layout, ed, lang)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "plan"
    if layout == "full":
        for r in meta_rows(plan, ed, lang):
            append_row(ws, r)
        ws.append([])
    ws.append(list(header))
    for r in rows:
        append_row(ws, r)  # user text as text cells, never formulas
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FORMATS = (".csv", ".xlsx")


def export_plan(
    plan: Plan,
    path: Path | str,
    layout: str = "plan",
    *,
    ed: Edition | None = None,
    lang: str = "vi",
) -> Path:
    """Write the plan to `path` (.csv as UTF-8 with a BOM for Excel, or .xlsx); the file is
    written whole or not at all. PlanError for another suffix; OSError from the disk.
    `ed`, `lang`: the full layout's names and raw values, and its language."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise PlanError("plan.err_format", name=path.name, valid=", ".join(FORMATS))
    data = (
        plan_to_xlsx(plan, layout, ed=ed, lang=lang)
        if suffix == ".xlsx"
        else plan_to_csv(plan, layout, ed=ed, lang=lang).encode("utf-8-sig")
    )
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
