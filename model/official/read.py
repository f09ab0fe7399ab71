"""Reading an import file into tables: the format (columns, sheets, limits), CSV and XLSX.

CSV: UTF-8 with or without a BOM, `,` `;` or tab separated (sniffed from the header). XLSX: the
sheet "data" (else the first sheet that is not "goalposts" or "instructions") and an optional
"goalposts". The header is the first non-empty row; rows keep the numbers a spreadsheet shows.
Every problem found is recorded in the caller's `Collector` with its location.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from model.official.problems import Collector

Kind = Literal["edition", "profile"]

# The one upload limit: the Data page's uploader and .streamlit/config.toml's
# server.maxUploadSize say the same (tests/test_page_data.py checks the config).
MAX_MB = 5
MAX_BYTES = MAX_MB * 1_000_000
MAX_UNZIPPED_BYTES = 100_000_000  # an XLSX's content, uncompressed (zip bombs)
MAX_ROWS = 20_000
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


@dataclass
class Table:
    sheet: str | None
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[Any]]]


def letter(k: int) -> str:
    """The spreadsheet letter of the column at position k (0 → A, 26 → AA)."""
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(65 + r) + s
    return s


def blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def fold(text: str) -> str:
    """Lower case without accents (đ → d)."""
    t = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in t if unicodedata.category(c) != "Mn").lower()


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def column_role(header: str) -> str | None:
    n = norm(header)
    for role, names in _ALIASES.items():
        if n in names:
            return role
    return None


def is_xlsx(data: bytes, file_name: str) -> bool:
    return data[:4] == b"PK\x03\x04" or (
        file_name.lower().endswith((".xlsx", ".xlsm")) and zipfile.is_zipfile(io.BytesIO(data))
    )


def _table(sheet: str | None, rows: Iterable[tuple[int, list[Any]]], p: Collector) -> Table | None:
    """Header = the first non-empty row. Blank rows are dropped; more than MAX_ROWS data rows is
    a problem, and a run of MAX_BLANK_RUN blank rows ends the sheet (Excel may declare a sheet
    a million rows tall)."""
    header: list[str] | None = None
    header_row = 0
    out: list[tuple[int, list[Any]]] = []
    blank_run = 0
    for num, cells in rows:
        if all(blank(c) for c in cells):
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
            p.error(sheet, num, None, "import.too_many_rows", limit=MAX_ROWS)
            break
        out.append((num, list(cells)))
    if header is None:
        return None
    return Table(sheet, header_row, header, out)


def _delimiter(header_line: str) -> str:
    return max((",", ";", "\t"), key=lambda d: (header_line.count(d), d == ","))


def read_csv(data: bytes, p: Collector) -> Table | None:
    nul = data.find(b"\x00")
    if nul >= 0:
        row, column = _locate(data, nul)
        p.error(None, row, column, "import.not_text", offset=nul)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row, column = _locate(data, exc.start)
        p.error(
            None,
            row,
            column,
            "import.encoding",
            offset=exc.start,
            byte=f"0x{data[exc.start]:02X}",
        )
        return None
    delim = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)

    def rows():
        num = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                p.error(None, num + 1, None, "import.csv_syntax", error=str(exc))
                return
            num += 1
            yield num, cells

    return _table(None, rows(), p)


def _locate(data: bytes, offset: int) -> tuple[int, str]:
    """Row (record, as a spreadsheet counts it) and column of the byte at `offset` of a CSV."""
    head = data.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    delim = _delimiter(head)
    names = [h.strip() for h in head.split(delim)]
    prefix = data[:offset].decode("utf-8-sig", "replace")
    try:
        records = list(csv.reader(io.StringIO(prefix, newline=""), delimiter=delim))
    except csv.Error:
        records = []
    if not records:
        return data.count(b"\n", 0, offset) + 1, letter(0)
    if prefix.endswith(("\n", "\r")):  # the byte starts a new record
        row, k = len(records) + 1, 0
    else:
        row, k = len(records), max(len(records[-1]) - 1, 0)
    return row, names[k] if row > 1 and k < len(names) and names[k] else letter(k)


def unzipped_size(data: bytes) -> int | None:
    """The uncompressed size an XLSX (a zip) declares, checked before it is opened (zip bombs);
    None when it is not a readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def read_xlsx(data: bytes, p: Collector) -> dict[str, Table]:
    """The workbook's "data" and "goalposts" tables (by role); problems go to `p`."""
    import openpyxl  # imported here: only XLSX imports pay for it

    unzipped = unzipped_size(data)
    if unzipped is None:
        p.error(None, None, None, "import.xlsx_unreadable", error="BadZipFile")
        return {}
    if unzipped > MAX_UNZIPPED_BYTES:
        p.error(
            None,
            None,
            None,
            "import.xlsx_too_large",
            size=round(unzipped / 1e6),
            limit=MAX_UNZIPPED_BYTES // 1_000_000,
        )
        return {}
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a malformed workbook is refused
        p.error(None, None, None, "import.xlsx_unreadable", error=type(exc).__name__)
        return {}
    try:
        return _sheets(wb, p)
    finally:
        wb.close()


def _sheets(wb, p: Collector) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    names = wb.sheetnames
    lowered = {norm(n): n for n in names}
    data_name = lowered.get(DATA_SHEET) or next(
        (n for n in names if norm(n) not in (GOALPOST_SHEET, INSTRUCTION_SHEET, "huong_dan")),
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
            p.error(name, None, None, "import.xlsx_unreadable", error=type(exc).__name__)
            continue
        if t is not None:
            tables[role] = t
        elif role == "data":
            p.error(name, 1, None, "import.empty_file", expected=", ".join(EDITION_COLUMNS))
    return tables


def read_tables(data: bytes, file_name: str, p: Collector) -> dict[str, Table]:
    """The file's tables by role ("data", "goalposts"); whole-file problems refuse it at once."""
    expected_all = ", ".join(EDITION_COLUMNS)
    if len(data) > MAX_BYTES:
        p.error(
            None,
            None,
            None,
            "import.too_large",
            size=round(len(data) / 1e6, 1),
            limit=MAX_MB,
        )
        raise p.refuse()
    if not data.strip().lstrip(b"\xef\xbb\xbf").strip():
        p.error(None, 1, None, "import.empty_file", expected=expected_all)
        raise p.refuse()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        p.error(None, None, None, "import.xls_format")
        raise p.refuse()
    if is_xlsx(data, file_name):
        tables = read_xlsx(data, p)
        p.check()
        if "data" not in tables:
            p.error(None, None, None, "import.no_data_sheet", expected=expected_all)
            raise p.refuse()
        return tables
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        p.error(None, None, None, "import.not_xlsx")
        raise p.refuse()
    t = read_csv(data, p)
    p.check()
    if t is None:
        p.error(None, 1, None, "import.empty_file", expected=expected_all)
        raise p.refuse()
    return {"data": t}
