"""Import files for tests/test_importer*.py, built from an edition's current values.

Raw values are written with the decimals of data/sources/goalposts.csv (`decimals`, the number of
decimals the raw value is displayed with) and scores with 2 decimals, as the PII report prints
them; CSV numbers use the Vietnamese decimal comma.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

import numpy as np
import openpyxl

from model.index.dataset import Edition
from model.index.engine import rank_desc

GOALPOSTS_CSV = Path(__file__).resolve().parents[1] / "data" / "sources" / "goalposts.csv"

PROFILE_HEADER = ["unit", "code", "raw", "score", "min", "max", "rank"]
EDITION_HEADER = ["unit", "code", "raw", "score"]


@lru_cache(maxsize=4)
def decimals(year: int) -> dict[str, int]:
    with GOALPOSTS_CSV.open(encoding="utf-8") as f:
        return {
            r["code"]: int(r["decimals"]) for r in csv.DictReader(f) if int(r["edition"]) == year
        }


def vi(x: float, d: int) -> str:
    """A number as the Vietnamese report prints it, without thousands separators: 46,51."""
    return f"{x:.{d}f}".replace(".", ",")


def indicator_ranks(ed: Edition) -> np.ndarray:
    """Rank of each unit on each indicator (1 = best score), as the profile prints it."""
    return rank_desc(ed.scores.T).T


def profile_rows(ed: Edition, slug: str, text: bool = True) -> list[list]:
    """One unit's current profile: unit, code, raw, score, min, max, rank."""
    i = ed.unit_index(slug)
    dec = decimals(ed.year)
    ranks = indicator_ranks(ed)
    rows = []
    for j, code in enumerate(ed.framework.codes):
        d = dec[code]
        cells = [ed.raw[i, j], ed.scores[i, j], ed.lo[j], ed.hi[j]]
        if text:
            nums = [vi(cells[0], d), vi(cells[1], 2), vi(cells[2], d), vi(cells[3], d)]
        else:
            nums = [round(cells[0], d), round(cells[1], 2), round(cells[2], d), round(cells[3], d)]
        rows.append([slug, code, *nums, int(ranks[i, j])])
    return rows


def edition_rows(ed: Edition, text: bool = True, units: list[str] | None = None) -> list[list]:
    """The edition's current values: unit, code, raw, score."""
    dec = decimals(ed.year)
    rows = []
    for slug in units or ed.slugs:
        i = ed.unit_index(slug)
        for j, code in enumerate(ed.framework.codes):
            raw, score = ed.raw[i, j], ed.scores[i, j]
            if text:
                rows.append([slug, code, vi(raw, dec[code]), vi(score, 2)])
            else:
                rows.append([slug, code, round(raw, dec[code]), round(score, 2)])
    return rows


def csv_bytes(header: list, rows: list[list], delimiter: str = ",", bom: bool = False) -> bytes:
    buf = io.StringIO(newline="")
    # The csv module quotes a cell holding a character of the line terminator only: with "\n"
    # a cell "\r" was written bare, a line break to any reader (a file the test did not mean).
    cr = any("\r" in str(c) for r in [header, *rows] for c in r if c is not None)
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if cr else "\n")
    w.writerow(header)
    w.writerows(["" if c is None else c for c in r] for r in rows)
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with one sheet per entry (first row = header)."""
    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_template(data: bytes, fmt: str) -> dict[str, list[list]]:
    """A template's sheets as rows of cells (text or None); a CSV is one sheet "data"."""
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        return {"data": [[c or None for c in r] for r in rows]}
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    wb.close()
    for rows in sheets.values():  # a row's trailing empty cells may be absent: pad
        width = max(map(len, rows), default=0)
        for r in rows:
            r.extend([None] * (width - len(r)))
    return sheets
