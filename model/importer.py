"""Official PII data files: templates, parsing and validation (pure: nothing is stored here).

Two kinds of file, as CSV (UTF-8, `,` `;` or tab separated) or XLSX (sheet "data"):

- **edition**: `unit, code, raw, score` (raw and/or score; optional `edition`), one row per unit ×
  indicator; in XLSX an optional sheet "goalposts" with `code, min, max` (national raw min/max).
- **profile**: one unit's profile as printed in the PII report: `unit, code, raw, score, min,
  max` and optional `rank`. A file with a `min`, `max` or `rank` column is a profile.

Columns whose header starts with `#` are notes and never read. `parse` returns a `ParsedImport`
or raises `ImportRefused` with every problem found (each names file, sheet, row as the
spreadsheet shows it, header = row 1, and column; messages in vi and en). `template_bytes`
writes the templates. What an import would change (the dry run) is `model.versions`' job: it
depends on the re-solved dataset, not on the file alone. The rules (numbers, tolerances,
errors vs warnings) are documented in data/README.md, "Importing official data".
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import math
import re
import unicodedata
import weakref
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from .dataset import Edition
from .engine import normalise
from .import_messages import EXPECTED, INSTRUCTIONS, LOCATION, MESSAGES

Lang = Literal["vi", "en"]
Kind = Literal["edition", "profile"]

MAX_BYTES = 5_000_000
MAX_UNZIPPED_BYTES = 100_000_000  # an XLSX's content, uncompressed (zip bombs)
MAX_ROWS = 20_000
MAX_PROBLEMS = 200
MAX_COLUMNS = 64
MAX_BLANK_RUN = 10_000

EDITION_COLUMNS = ("unit", "code", "raw", "score")
PROFILE_COLUMNS = ("unit", "code", "raw", "score", "min", "max")
OPTIONAL_COLUMNS = {"edition": ("edition",), "profile": ("rank", "edition")}
GOALPOST_COLUMNS = ("code", "min", "max")
NUMBER_COLUMNS = ("raw", "score", "min", "max", "rank")
DATA_SHEET = "data"
GOALPOST_SHEET = "goalposts"
INSTRUCTION_SHEET = "instructions"

# Header aliases (compared without accents, case or spacing).
_ALIASES = {
    "unit": ("unit", "slug", "tinh", "don_vi", "tinh_thanh", "dia_phuong", "province"),
    "code": ("code", "ma", "ma_chi_so", "indicator_code"),
    "raw": ("raw", "gia_tri", "gia_tri_tho", "raw_value", "value"),
    "score": ("score", "diem", "diem_so"),
    "min": ("min", "min_raw", "nho_nhat", "gia_tri_nho_nhat"),
    "max": ("max", "max_raw", "lon_nhat", "gia_tri_lon_nhat"),
    "rank": ("rank", "hang", "xep_hang", "thu_hang"),
    "edition": ("edition", "ky", "nam"),
}


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


def _fmt_number(x: float, lang: str) -> str:
    if not math.isfinite(x):
        return str(x)
    text = f"{x:.6f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if lang == "vi" else text


def _fmt_param(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return _fmt_number(value, lang)
    if isinstance(value, Mapping):  # a text in both languages
        return str(value[lang])
    if isinstance(value, (tuple, list)):
        return ", ".join(_fmt_param(v, lang) for v in value) or "—"
    return str(value)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an import file, located as the user sees it."""

    file: str
    sheet: str | None
    row: int | None  # spreadsheet row number, the header row being 1
    column: str | None  # the column's header as written in the file (or its letter)
    key: str  # a key of model.import_messages.MESSAGES
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def message(self, lang: Lang = "vi") -> str:
        loc = LOCATION[lang]
        parts = [self.file]
        if self.sheet is not None:
            parts.append(loc["sheet"].format(sheet=self.sheet))
        if self.row is not None:
            parts.append(loc["row"].format(row=self.row))
        if self.column is not None:
            parts.append(loc["column"].format(column=self.column))
        body = MESSAGES[self.key][lang].format(
            **{k: _fmt_param(v, lang) for k, v in self.params.items()}
        )
        return f"{', '.join(parts)}: {body}"


class ImportRefused(Exception):
    """The file cannot be imported; `problems` lists everything found (capped)."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.warnings: tuple[Problem, ...] = tuple(warnings)
        super().__init__("\n".join(p.message("en") for p in self.problems[:5]))

    def messages(self, lang: Lang = "vi") -> list[str]:
        return [p.message(lang) for p in self.problems]


@dataclass(frozen=True, eq=False)
class ParsedImport:
    kind: Kind
    edition: int
    file_name: str
    checksum: str  # sha256 of the file's bytes
    units: tuple[str, ...]  # slugs present, in edition order
    values: pd.DataFrame  # unit, code, raw, score (NaN where not given)
    goalposts: pd.DataFrame | None  # code, min_raw, max_raw
    ranks: pd.DataFrame | None  # unit, code, rank
    warnings: tuple[Problem, ...] = ()


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.overflow = 0
        self.cells: set[tuple] = set()  # (sheet, row, column) of every error, even past the cap

    def error(self, sheet, row, column, key, **params) -> None:
        self.cells.add((sheet, row, column))
        if len(self.errors) >= MAX_PROBLEMS:
            self.overflow += 1
            return
        self.errors.append(Problem(self.file, sheet, row, column, key, params))

    def warn(self, sheet, row, column, key, **params) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(self.file, sheet, row, column, key, params))

    def refuse(self) -> ImportRefused:
        problems = sorted(self.errors, key=lambda e: (e.row is None, e.row or 0))
        if self.overflow:
            problems.append(
                Problem(self.file, None, None, None, "too_many_problems", {"n": self.overflow})
            )
        return ImportRefused(problems, self.warnings)

    def check(self) -> None:
        if self.errors:
            raise self.refuse()


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

_NUM_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009 "), None)


@dataclass(frozen=True)
class _Num:
    value: float
    decimals: int  # decimals as printed (rounding tolerance)
    thousands: float | None = None  # the other reading of an ambiguous "1,234"


class _CellError(ValueError):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def _groups_ok(groups: list[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def parse_number(cell: Any) -> _Num | None:
    n = _parse_number(cell)
    if n is not None and not (
        math.isfinite(n.value) and (n.thousands is None or math.isfinite(n.thousands))
    ):
        raise _CellError("not_finite", value=str(cell).strip())
    return n


def _parse_number(cell: Any) -> _Num | None:
    """A cell as a number (None when blank). The rule (data/README.md):

    one separator, `,` or `.`, is the decimal mark ("46,51" = "46.51"); with both, the last one
    is the decimal mark and the other groups thousands by three ("1.234,5" = "1,234.5"); a
    separator repeated alone groups thousands ("1.234.567"). One separator followed by exactly
    three digits after a 1–3 digit integer part ("1,234") is ambiguous: `thousands` holds the
    other reading and the caller decides (see `_resolve`).
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise _CellError("not_number", value=str(cell).upper())
    if isinstance(cell, (dt.datetime, dt.date, dt.time)):
        raise _CellError("date_cell", value=str(cell))
    if isinstance(cell, (int, float)):
        x = float(cell)
        if not math.isfinite(x):
            raise _CellError("not_finite", value=str(cell))
        d = Decimal(format(x, ".12g")).normalize()
        return _Num(x, max(0, -int(d.as_tuple().exponent)))
    text = str(cell).strip()
    if not text:
        return None
    s = text.translate(_SPACES).replace("\u2212", "-")
    if s.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise _CellError("not_finite", value=text)
    if not _NUM_RE.match(s):
        raise _CellError("not_number", value=text)
    sign = -1.0 if s.startswith("-") else 1.0
    body = s.lstrip("+-")
    commas, dots = body.count(","), body.count(".")
    if commas and dots:
        dec = "," if body.rfind(",") > body.rfind(".") else "."
        sep = "." if dec == "," else ","
        if body.count(dec) > 1:
            raise _CellError("bad_grouping", value=text)
        whole, frac = body.split(dec)
        groups = whole.split(sep)
        if not _groups_ok(groups):
            raise _CellError("bad_grouping", value=text)
        return _Num(sign * float("".join(groups) + "." + frac), len(frac))
    if commas + dots == 1:
        whole, frac = re.split(r"[.,]", body)
        value = sign * float(whole + "." + frac)
        other = None
        if len(frac) == 3 and len(whole) <= 3 and whole[0] != "0":
            other = sign * float(whole + frac)
        return _Num(value, len(frac), other)
    if commas + dots > 1:
        groups = re.split(r"[.,]", body)
        if not _groups_ok(groups):
            raise _CellError("bad_grouping", value=text)
        return _Num(sign * float("".join(groups)), 0)
    return _Num(sign * float(body), 0)


def _tol(decimals: int) -> float:
    return 0.5 * 10.0 ** (-min(decimals, 9))


# --------------------------------------------------------------------------------------------
# Reading the file into tables
# --------------------------------------------------------------------------------------------


@dataclass
class _Table:
    sheet: str | None
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[Any]]]


def _letter(k: int) -> str:
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(65 + r) + s
    return s


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _table(
    sheet: str | None, rows: Iterable[tuple[int, list[Any]]], p: _Collector
) -> _Table | None:
    """Header = the first non-empty row. Blank rows are dropped; more than MAX_ROWS data rows is
    a problem, and a run of MAX_BLANK_RUN blank rows ends the sheet (Excel may declare a sheet
    a million rows tall)."""
    header: list[str] | None = None
    header_row = 0
    out: list[tuple[int, list[Any]]] = []
    blank_run = 0
    for num, cells in rows:
        if all(_blank(c) for c in cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if header is None:
            header = ["" if c is None else str(c).strip().lstrip("\ufeff") for c in cells]
            while header and not header[-1]:
                header.pop()
            header_row = num
            continue
        if len(out) >= MAX_ROWS:
            p.error(sheet, num, None, "too_many_rows", limit=MAX_ROWS)
            break
        out.append((num, list(cells)))
    if header is None:
        return None
    return _Table(sheet, header_row, header, out)


def _read_csv(data: bytes, p: _Collector) -> _Table | None:
    nul = data.find(b"\x00")
    if nul >= 0:
        row, column = _locate(data, nul)
        p.error(None, row, column, "not_text", offset=nul)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row, column = _locate(data, exc.start)
        p.error(
            None,
            row,
            column,
            "encoding",
            offset=exc.start,
            byte=f"0x{data[exc.start]:02X}",
        )
        return None
    first = text.split("\n", 1)[0]
    delim = max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)

    def rows():
        num = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                p.error(None, num + 1, None, "csv_syntax", error=str(exc))
                return
            num += 1
            yield num, cells

    return _table(None, rows(), p)


def _locate(data: bytes, offset: int) -> tuple[int, str]:
    """Row (record, as a spreadsheet counts it) and column of the byte at `offset` of a CSV."""
    head = data.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    delim = max((",", ";", "\t"), key=lambda d: (head.count(d), d == ","))
    names = [h.strip() for h in head.split(delim)]
    prefix = data[:offset].decode("utf-8-sig", "replace")
    try:
        records = list(csv.reader(io.StringIO(prefix, newline=""), delimiter=delim))
    except csv.Error:
        records = []
    if not records:
        return data.count(b"\n", 0, offset) + 1, _letter(0)
    if prefix.endswith(("\n", "\r")):  # the byte starts a new record
        row, k = len(records) + 1, 0
    else:
        row, k = len(records), max(len(records[-1]) - 1, 0)
    return row, names[k] if row > 1 and k < len(names) and names[k] else _letter(k)


def _read_xlsx(data: bytes, p: _Collector) -> dict[str, _Table]:
    import openpyxl  # imported here: only XLSX imports pay for it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unzipped = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        p.error(None, None, None, "xlsx_unreadable", error=type(exc).__name__)
        return {}
    if unzipped > MAX_UNZIPPED_BYTES:
        p.error(
            None,
            None,
            None,
            "xlsx_too_large",
            size=round(unzipped / 1e6),
            limit=MAX_UNZIPPED_BYTES // 1_000_000,
        )
        return {}
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a malformed workbook is refused
        p.error(None, None, None, "xlsx_unreadable", error=type(exc).__name__)
        return {}
    tables: dict[str, _Table] = {}
    try:
        names = wb.sheetnames
        lowered = {_norm(n): n for n in names}
        data_name = lowered.get(DATA_SHEET) or next(
            (n for n in names if _norm(n) not in (GOALPOST_SHEET, INSTRUCTION_SHEET, "huong_dan")),
            None,
        )
        wanted = [("data", data_name), ("goalposts", lowered.get(GOALPOST_SHEET))]
        for role, name in wanted:
            if name is None:
                continue
            ws = wb[name]

            def rows(ws=ws):
                it = ws.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
                for num, cells in enumerate(it, start=1):
                    yield num, list(cells)

            try:
                t = _table(name, rows(), p)
            except Exception as exc:  # noqa: BLE001 - broken sheet XML
                p.error(name, None, None, "xlsx_unreadable", error=type(exc).__name__)
                continue
            if t is not None:
                tables[role] = t
            elif role == "data":
                p.error(name, 1, None, "empty_file", expected=", ".join(EDITION_COLUMNS))
    finally:
        wb.close()
    return tables


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in t if unicodedata.category(c) != "Mn").lower()


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", _fold(text)).strip("_")


_UNIT_PREFIX = re.compile(r"^(tinh|thanh_pho|tp)_")


_KEYS: weakref.WeakKeyDictionary[Edition, dict[str, str]] = weakref.WeakKeyDictionary()


def _unit_keys(edition: Edition) -> dict[str, str]:
    """Folded slug / vi / en name (with and without "Tỉnh", "TP") -> slug; per edition."""
    keys = _KEYS.get(edition)
    if keys is None:
        keys = {}
        u = edition.units
        for slug, *names in zip(u["slug"], u["name_vi"], u["name_en"], strict=True):
            for text in (slug, *names):
                k = _norm(str(text))
                keys[k] = slug
                keys[_UNIT_PREFIX.sub("", k)] = slug
        _KEYS[edition] = keys
    return keys


def _column_role(header: str) -> str | None:
    n = _norm(header)
    for role, names in _ALIASES.items():
        if n in names:
            return role
    return None


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


def _is_xlsx(data: bytes, file_name: str) -> bool:
    return data[:4] == b"PK\x03\x04" or (
        file_name.lower().endswith((".xlsx", ".xlsm")) and zipfile.is_zipfile(io.BytesIO(data))
    )


def _columns(
    t: _Table,
    expected: tuple[str, ...],
    optional: tuple[str, ...],
    p: _Collector,
    need_one_of: tuple[str, ...] = (),
) -> dict[str, int] | None:
    """Role -> position; missing required columns are errors, unknown columns warnings."""
    cols: dict[str, int] = {}
    allowed = set(expected) | set(optional) | set(need_one_of)
    known = ", ".join(expected + optional)
    for k, h in enumerate(t.header):
        if h.startswith("#"):
            continue
        if not h:
            if any(k < len(c) and not _blank(c[k]) for _, c in t.rows):
                p.warn(t.sheet, t.header_row, _letter(k), "unnamed_column", known=known)
            continue
        role = _column_role(h)
        if role is None or role not in allowed:
            p.warn(t.sheet, t.header_row, h, "unknown_column", name=h, known=known)
            continue
        if role in cols:
            p.error(
                t.sheet, t.header_row, h, "duplicate_column", name=h, other=t.header[cols[role]]
            )
            continue
        cols[role] = k
    missing = [c for c in expected if c not in cols]
    if need_one_of and not any(c in cols for c in need_one_of):
        missing.append(" / ".join(need_one_of))
    if missing:
        p.error(
            t.sheet,
            t.header_row,
            missing[0],
            "missing_columns",
            missing=tuple(missing),
            expected=known + (", " + " / ".join(need_one_of) if need_one_of else ""),
        )
        return None
    return cols


def _goalposts_of(edition: Edition) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def dec(x: float) -> int:
        d = Decimal(format(float(x), ".12g")).normalize()
        return max(2, -int(d.as_tuple().exponent))

    d = np.array([_tol(max(dec(a), dec(b))) for a, b in zip(edition.lo, edition.hi, strict=True)])
    return np.asarray(edition.lo, float), np.asarray(edition.hi, float), d


def parse(data: bytes, file_name: str, edition: Edition) -> ParsedImport:
    """Parse and validate an import file against `edition`; raises ImportRefused."""
    p = _Collector(file_name)
    expected_all = ", ".join(EDITION_COLUMNS)
    if len(data) > MAX_BYTES:
        p.error(
            None,
            None,
            None,
            "too_large",
            size=round(len(data) / 1e6, 1),
            limit=MAX_BYTES // 1_000_000,
        )
        raise p.refuse()
    if not data.strip().lstrip(b"\xef\xbb\xbf").strip():
        p.error(None, 1, None, "empty_file", expected=expected_all)
        raise p.refuse()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        p.error(None, None, None, "xls_format")
        raise p.refuse()
    if _is_xlsx(data, file_name):
        tables = _read_xlsx(data, p)
        p.check()
        if "data" not in tables:
            p.error(None, None, None, "no_data_sheet", expected=expected_all)
            raise p.refuse()
    elif file_name.lower().endswith((".xlsx", ".xlsm")):
        p.error(None, None, None, "not_xlsx")
        raise p.refuse()
    else:
        t = _read_csv(data, p)
        p.check()
        if t is None:
            p.error(None, 1, None, "empty_file", expected=expected_all)
            raise p.refuse()
        tables = {"data": t}
    p.check()
    result = _validate(tables, data, file_name, edition, p)
    p.check()
    return result


@dataclass
class _Row:
    num: int
    unit: str | None
    code: str | None
    values: dict[str, _Num | None]
    cells: dict[str, Any]


def _validate(
    tables: dict[str, _Table], data: bytes, file_name: str, edition: Edition, p: _Collector
) -> ParsedImport:
    t = tables["data"]
    roles = {_column_role(h) for h in t.header if h and not h.startswith("#")}
    kind: Kind = "profile" if roles & {"min", "max", "rank"} else "edition"
    if kind == "profile":
        cols = _columns(t, PROFILE_COLUMNS, OPTIONAL_COLUMNS["profile"], p)
    else:
        cols = _columns(
            t, ("unit", "code"), OPTIONAL_COLUMNS["edition"], p, need_one_of=("raw", "score")
        )
    gp_table = tables.get("goalposts")
    file_gp: dict[str, tuple[float, float, float, float]] = {}  # code -> lo, hi, dlo, dhi
    if gp_table is not None and kind == "edition":
        file_gp = _read_goalposts(gp_table, edition, p)
    if cols is None:
        raise p.refuse()
    sheet = t.sheet
    fw = edition.framework
    unit_keys = _unit_keys(edition)
    lo, hi, dgp = _goalposts_of(edition)
    header = t.header
    rows: list[_Row] = []
    skipped: list[int] = []

    def col(role: str) -> str:
        return header[cols[role]] if role in cols else role

    n_units = edition.n
    for num, cells in t.rows:
        if all(_blank(c) for c in cells):
            continue
        extra = [k for k in range(len(header), len(cells)) if not _blank(cells[k])]
        if extra:
            p.error(
                sheet,
                num,
                _letter(extra[0]),
                "extra_cells",
                cells=max(extra) + 1,
                columns=len(header),
            )
        cell = {r: (cells[k] if k < len(cells) else None) for r, k in cols.items()}
        if all(_blank(cell.get(r)) for r in NUMBER_COLUMNS):
            skipped.append(num)
            continue

        unit = code = None
        u = cell["unit"]
        if _blank(u):
            p.error(sheet, num, col("unit"), "missing_value", expected=EXPECTED["unit"])
        else:
            key = _norm(str(u))
            unit = unit_keys.get(key) or unit_keys.get(_UNIT_PREFIX.sub("", key))
            if unit is None:
                near = difflib.get_close_matches(key, list(unit_keys), n=3, cutoff=0.5)
                sugg = tuple(dict.fromkeys(unit_keys[k] for k in near))
                p.error(
                    sheet,
                    num,
                    col("unit"),
                    "unknown_unit",
                    value=str(u).strip(),
                    edition=edition.year,
                    suggestions=sugg,
                )
        c = cell["code"]
        if _blank(c):
            p.error(sheet, num, col("code"), "missing_value", expected=EXPECTED["code"])
        else:
            text = str(c).strip()
            if text in fw.index:
                code = text
            else:
                near = tuple(difflib.get_close_matches(text, list(fw.codes), n=3, cutoff=0.5))
                p.error(
                    sheet,
                    num,
                    col("code"),
                    "unknown_code",
                    value=text,
                    edition=edition.year,
                    suggestions=near,
                )
        if "edition" in cols and not _blank(cell["edition"]):
            ev = str(cell["edition"]).strip()
            try:
                ok = float(ev.replace(",", ".")) == edition.year
            except ValueError:
                ok = False
            if not ok:
                p.error(sheet, num, col("edition"), "wrong_edition", value=ev, edition=edition.year)
        values: dict[str, _Num | None] = {}
        for role in ("raw", "score", "min", "max", "rank"):
            if role not in cols:
                values[role] = None
                continue
            try:
                v = parse_number(cell[role])
            except _CellError as exc:
                example = 46.51 if role != "rank" else 12
                p.error(sheet, num, col(role), exc.key, example=example, **exc.params)
                values[role] = None
                continue
            if v is not None and v.thousands is not None:
                v = _resolve(v, role, code, cell[role], fw, lo, hi, sheet, num, col(role), p)
            values[role] = v
        rows.append(_Row(num, unit, code, values, cell))
        _check_row(rows[-1], kind, n_units, cols, col, sheet, p)

    if not rows and not p.errors:
        p.error(sheet, t.header_row + 1, None, "no_data_rows")
    if skipped:
        p.warn(sheet, skipped[0], None, "rows_skipped", n=len(skipped), rows=_row_list(skipped))

    # One unit per profile; duplicates.
    seen: dict[tuple[str, str], int] = {}
    profile_unit: tuple[str, int] | None = None
    for r in rows:
        if kind == "profile" and r.unit is not None:
            if profile_unit is None:
                profile_unit = (r.unit, r.num)
            elif r.unit != profile_unit[0]:
                p.error(
                    sheet,
                    r.num,
                    header[cols["unit"]],
                    "several_units",
                    value=str(r.cells["unit"]).strip(),
                    first=profile_unit[0],
                )
        if r.unit is None or r.code is None:
            continue
        key = (r.unit, r.code)
        if key in seen:
            p.error(
                sheet,
                r.num,
                header[cols["code"]],
                "duplicate_row",
                unit=r.unit,
                code=r.code,
                other=seen[key],
            )
        else:
            seen[key] = r.num

    # Goalposts and the raw/score check.
    gp_rows: dict[str, tuple[float, float]] = {c: (v[0], v[1]) for c, v in file_gp.items()}
    for r in rows:
        if r.code is None:
            continue
        j = fw.index[r.code]
        raw, score = r.values["raw"], r.values["score"]
        vmin, vmax = r.values.get("min"), r.values.get("max")
        source = "edition"
        g_lo, g_hi, d_lo, d_hi = lo[j], hi[j], dgp[j], dgp[j]
        if kind == "profile" and vmin is not None and vmax is not None:
            if vmin.value < vmax.value:
                g_lo, g_hi = vmin.value, vmax.value
                d_lo, d_hi = _tol(vmin.decimals), _tol(vmax.decimals)
                source = "file"
                gp_rows[r.code] = (g_lo, g_hi)
            else:
                continue  # reported in _check_row
        elif kind == "edition" and r.code in file_gp:
            g_lo, g_hi, d_lo, d_hi = file_gp[r.code]
            source = "file"
        if raw is None:
            continue
        d_raw = _tol(raw.decimals)
        if raw.value < g_lo - d_raw - d_lo or raw.value > g_hi + d_raw + d_hi:
            col_raw = header[cols["raw"]]
            if source == "file":
                p.error(sheet, r.num, col_raw, "raw_outside", raw=raw.value, min=g_lo, max=g_hi)
            else:
                cap = 0.0 if (raw.value < g_lo) == (fw.direction[j] > 0) else 100.0
                p.warn(
                    sheet,
                    r.num,
                    col_raw,
                    "raw_outside_current",
                    raw=raw.value,
                    min=g_lo,
                    max=g_hi,
                    cap=cap,
                )
        if score is None or not 0 <= score.value <= 100:
            continue
        expected = float(
            np.clip(normalise(np.float64(raw.value), g_lo, g_hi, fw.direction[j]), 0.0, 100.0)
        )
        span = g_hi - g_lo
        tol = max(_tol(score.decimals), 0.005) + 100.0 * (d_raw + d_lo + d_hi) / span + 1e-6
        if abs(score.value - expected) > tol:
            p.error(
                sheet,
                r.num,
                header[cols["score"]],
                f"contradiction_{source}",
                score=score.value,
                raw=raw.value,
                min=g_lo,
                max=g_hi,
                expected=round(expected, 2),
                tol=round(tol, 3),
            )

    given_units = {r.unit for r in rows if r.unit is not None}
    given_codes = {r.code for r in rows if r.code is not None}
    if kind == "edition" and rows:
        missing_u = [s for s in edition.slugs if s not in given_units]
        if missing_u:
            p.warn(
                sheet, None, None, "units_missing", n=len(missing_u), units=_short_list(missing_u)
            )
    missing_c = [c for c in fw.codes if c not in given_codes]
    if missing_c and rows:
        p.warn(sheet, None, None, "codes_missing", n=len(missing_c), codes=_short_list(missing_c))

    p.check()
    values = pd.DataFrame(
        {
            "unit": [r.unit for r in rows],
            "code": [r.code for r in rows],
            "raw": [r.values["raw"].value if r.values["raw"] else np.nan for r in rows],
            "score": [r.values["score"].value if r.values["score"] else np.nan for r in rows],
        }
    )
    order = {s: k for k, s in enumerate(edition.slugs)}
    values = (
        values.assign(_u=values["unit"].map(order), _c=values["code"].map(fw.index))
        .sort_values(["_u", "_c"])
        .drop(columns=["_u", "_c"])
        .reset_index(drop=True)
    )
    goalposts = None
    if gp_rows:
        goalposts = pd.DataFrame(
            [(c, a, b) for c, (a, b) in sorted(gp_rows.items(), key=lambda kv: fw.index[kv[0]])],
            columns=["code", "min_raw", "max_raw"],
        )
    ranks = None
    ranked = [r for r in rows if r.values.get("rank") is not None]
    if ranked:
        ranks = pd.DataFrame(
            [(r.unit, r.code, int(r.values["rank"].value)) for r in ranked],
            columns=["unit", "code", "rank"],
        )
    return ParsedImport(
        kind=kind,
        edition=edition.year,
        file_name=file_name,
        checksum=hashlib.sha256(data).hexdigest(),
        units=tuple(s for s in edition.slugs if s in given_units),
        values=values,
        goalposts=goalposts,
        ranks=ranks,
        warnings=tuple(p.warnings),
    )


def _resolve(
    v: _Num, role: str, code: str | None, cell: Any, fw, lo, hi, sheet, num, column, p: _Collector
) -> _Num | None:
    """An ambiguous "1,234": decimal when the thousands reading is impossible (a score or rank
    above 100, or over 10× the indicator's current national range); else refused."""
    assert v.thousands is not None
    if role in ("score", "rank"):
        return _Num(v.value, v.decimals)
    if code is not None:
        j = fw.index[code]
        bound = 10.0 * max(abs(lo[j]), abs(hi[j]), 1.0)
        if abs(v.thousands) > bound:
            return _Num(v.value, v.decimals)
    p.error(
        sheet,
        num,
        column,
        "ambiguous_number",
        value=str(cell).strip(),
        decimal=v.value,
        thousands=v.thousands,
    )
    return None


def _check_row(
    r: _Row, kind: str, n_units: int, cols: dict[str, int], col, sheet, p: _Collector
) -> None:
    v = r.values
    present = [x for x in ("raw", "score") if x in cols]
    if (
        v["raw"] is None
        and v["score"] is None
        and not any(_cell_error(p, sheet, r.num, col(x)) for x in present)
    ):
        p.error(sheet, r.num, col(present[0]), "no_value")
    s = v["score"]
    if s is not None and not 0.0 <= s.value <= 100.0:
        p.error(sheet, r.num, col("score"), "score_range", value=s.value)
    rank = v.get("rank")
    if rank is not None:
        if rank.value != int(rank.value) or not 1 <= rank.value <= n_units:
            p.error(
                sheet,
                r.num,
                col("rank"),
                "rank_invalid",
                value=str(r.cells["rank"]).strip(),
                n=n_units,
            )
            v["rank"] = None
    elif kind == "profile" and _blank(r.cells.get("rank")) and "rank" in r.cells:
        p.warn(sheet, r.num, col("rank"), "blank_cell")
    if kind == "profile":
        vmin, vmax = v["min"], v["max"]
        if (vmin is None) != (vmax is None):
            blank = "min" if vmin is None else "max"
            if not _cell_error(p, sheet, r.num, col(blank)):
                p.error(sheet, r.num, col(blank), "half_goalpost")
        elif vmin is not None and vmax is not None:
            if vmin.value > vmax.value:
                p.error(sheet, r.num, col("min"), "min_gt_max", min=vmin.value, max=vmax.value)
            elif vmin.value == vmax.value:
                p.error(sheet, r.num, col("max"), "min_eq_max", min=vmin.value)
        elif not _cell_error(p, sheet, r.num, col("min")):
            p.warn(sheet, r.num, col("min"), "blank_cell")


def _cell_error(p: _Collector, sheet, row: int, column: str) -> bool:
    """Whether this cell already has an error (so no second, derived one is added)."""
    return (sheet, row, column) in p.cells


def _read_goalposts(t: _Table, edition: Edition, p: _Collector) -> dict:
    cols = _columns(t, GOALPOST_COLUMNS, (), p)
    if cols is None:
        return {}
    fw = edition.framework
    out: dict[str, tuple[float, float, float, float]] = {}
    seen: dict[str, int] = {}
    for num, cells in t.rows:
        cell = {r: (cells[k] if k < len(cells) else None) for r, k in cols.items()}
        if all(_blank(c) for c in cells) or (_blank(cell["min"]) and _blank(cell["max"])):
            continue
        head = t.header
        code = str(cell["code"]).strip() if not _blank(cell["code"]) else None
        if code is None:
            p.error(t.sheet, num, head[cols["code"]], "missing_value", expected=EXPECTED["code"])
        elif code not in fw.index:
            near = tuple(difflib.get_close_matches(code, list(fw.codes), n=3, cutoff=0.5))
            p.error(
                t.sheet,
                num,
                head[cols["code"]],
                "unknown_code",
                value=code,
                edition=edition.year,
                suggestions=near,
            )
            code = None
        elif code in seen:
            p.error(
                t.sheet, num, head[cols["code"]], "duplicate_goalpost", code=code, other=seen[code]
            )
            code = None
        else:
            seen[code] = num
        nums = {}
        for role in ("min", "max"):
            try:
                nums[role] = parse_number(cell[role])
            except _CellError as exc:
                p.error(t.sheet, num, head[cols[role]], exc.key, example=46.51, **exc.params)
                nums[role] = False
                continue
            if nums[role] is not None and nums[role].thousands is not None:
                j = fw.index.get(code) if code else None
                bound = (
                    10.0 * max(abs(edition.lo[j]), abs(edition.hi[j]), 1.0) if j is not None else 0
                )
                if j is not None and abs(nums[role].thousands) > bound:
                    nums[role] = _Num(nums[role].value, nums[role].decimals)
                else:
                    p.error(
                        t.sheet,
                        num,
                        head[cols[role]],
                        "ambiguous_number",
                        value=str(cell[role]).strip(),
                        decimal=nums[role].value,
                        thousands=nums[role].thousands,
                    )
                    nums[role] = False
        a, b = nums["min"], nums["max"]
        if a is False or b is False:
            continue
        if a is None or b is None:
            blank = "min" if a is None else "max"
            p.error(t.sheet, num, head[cols[blank]], "half_goalpost")
            continue
        if a.value > b.value:
            p.error(t.sheet, num, head[cols["min"]], "min_gt_max", min=a.value, max=b.value)
        elif a.value == b.value:
            p.error(t.sheet, num, head[cols["max"]], "min_eq_max", min=a.value)
        elif code is not None:
            out[code] = (a.value, b.value, _tol(a.decimals), _tol(b.decimals))
    return out


def _row_list(rows: list[int], limit: int = 10) -> str:
    text = ", ".join(map(str, rows[:limit]))
    return text + (" …" if len(rows) > limit else "")


def _short_list(items: list[str], limit: int = 10) -> str:
    return ", ".join(items[:limit]) + (" …" if len(items) > limit else "")


# --------------------------------------------------------------------------------------------
# Dry run
# --------------------------------------------------------------------------------------------


def template_columns(kind: Kind) -> tuple[str, ...]:
    """The template's columns; those starting with # are notes the parser never reads."""
    if kind == "profile":
        return ("unit", "code", "#indicator", "#measure", "raw", "score", "min", "max", "rank")
    return ("unit", "#unit_name", "code", "#indicator", "#measure", "raw", "score")


def _template_rows(kind: Kind, edition: Edition, unit: str | None, lang: str) -> list[list[Any]]:
    fw = edition.framework
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
                rows.append([s, ind.code, name, measure, None, None, None, None, None])
            else:
                rows.append([s, names[s], ind.code, name, measure, None, None])
    return rows


def template_bytes(
    kind: Kind,
    fmt: Literal["csv", "xlsx"],
    edition: Edition,
    unit: str | None = None,
    lang: Lang = "vi",
) -> bytes:
    """An empty template: the exact columns the parser reads, one row per indicator (per unit
    for an edition) with the codes filled in. CSV is UTF-8 with a BOM (Excel reads it as UTF-8);
    XLSX has the sheets "data", "goalposts" (edition) and "instructions" in `lang`."""
    if kind not in ("edition", "profile") or fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown template {kind!r}/{fmt!r}")
    header = list(template_columns(kind))
    rows = _template_rows(kind, edition, unit, lang)
    if fmt == "csv":
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(["" if c is None else c for c in r] for r in rows)
        return buf.getvalue().encode("utf-8-sig")
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)  # streams rows: a full edition is 3,000+ rows
    ws = wb.create_sheet(DATA_SHEET)
    for k, h in enumerate(header):
        ws.column_dimensions[_letter(k)].width = 40 if h == "#indicator" else 14
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

    T = {k: v[lang] for k, v in INSTRUCTIONS.items()}
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
    title = WriteOnlyCell(ws, value=T[f"title_{kind}"].format(edition=edition.year))
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append([])
    for key in ("intro", "numbers", "notes", "check") + (
        ("goalposts",) if kind == "edition" else ()
    ):
        ws.append([T[key]])
    ws.append([])
    ws.append([T["column"], T["meaning"]])
    required = PROFILE_COLUMNS if kind == "profile" else ("unit", "code")
    notes = {
        "#indicator": "col_indicator",
        "#measure": "col_measure",
        "#unit_name": "col_unit_name",
    }
    for h in header:
        if h in notes:
            meaning = T[notes[h]]
        else:
            flag = T["required"] if h in required else T["optional"]
            meaning = f"{EXPECTED[h][lang]} ({flag})"
        ws.append([h, meaning])
