"""Validating an import file's tables against an edition: the kind of file, each row (its
cells through model.official.cells), one row per unit and code, the raw/score check, coverage
warnings, and the ParsedImport it becomes (the rules: data/README.md, "Checks")."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from model.index.dataset import Edition
from model.index.engine import normalise
from model.official.cells import (
    code_of,
    columns,
    edition_goalposts,
    find_unit,
    number,
    read_goalposts,
    thousands_bound,
    unit_names,
    unit_of,
)
from model.official.numbers import Num, tol
from model.official.problems import Collector, Problem
from model.official.read import (
    NUMBER_COLUMNS,
    OPTIONAL_COLUMNS,
    PROFILE_COLUMNS,
    Kind,
    Table,
    blank,
    column_role,
    letter,
)

# The raw/score contradiction, by where the goalposts it was checked against come from.
CONTRADICTION = {"file": "import.contradiction_file", "edition": "import.contradiction_edition"}


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
    file_edition: int | None = None  # the edition the file says it is for (its edition column)


@dataclass
class _Row:
    num: int
    unit: str | None
    code: str | None
    values: dict[str, Num | None]
    cells: dict[str, Any]


@dataclass
class _Sheet:
    """The data sheet being checked and what every check needs."""

    p: Collector
    edition: Edition
    table: Table
    kind: Kind
    cols: dict[str, int]
    lo: np.ndarray
    hi: np.ndarray
    dgp: np.ndarray  # rounding of the edition's goalposts

    @property
    def sheet(self) -> str | None:
        return self.table.sheet

    def col(self, role: str) -> str:
        return self.table.header[self.cols[role]] if role in self.cols else role

    def bound(self, code: str | None) -> float:
        j = None if code is None else self.edition.framework.index[code]
        return thousands_bound(self.lo, self.hi, j)


# ---- the data sheet ------------------------------------------------------------------------


def _data_columns(t: Table, p: Collector) -> tuple[Kind, dict[str, int] | None]:
    """A file with a min, max or rank column is a profile; otherwise an edition."""
    roles = {column_role(h) for h in t.header if h and not h.startswith("#")}
    kind: Kind = "profile" if roles & {"min", "max", "rank"} else "edition"
    if kind == "profile":
        return kind, columns(t, PROFILE_COLUMNS, OPTIONAL_COLUMNS["profile"], p)
    need = ("raw", "score")
    return kind, columns(t, ("unit", "code"), OPTIONAL_COLUMNS["edition"], p, need_one_of=need)


def _year(value: Any) -> int | None:
    """A cell of the edition column as a year (None when it is not a whole number)."""
    try:
        x = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return int(x) if x.is_integer() else None


def _check_target(
    t: Table, cols: dict[str, int], kind: Kind, edition: Edition, unit: str | None, p: Collector
) -> int | None:
    """What the file says it is for against the target of the import: the edition of its
    `edition` column (every filled row the same year) and, when a unit is the target, the unit
    of a profile. A mismatch refuses the file at once with that one problem, before its values
    are checked against an edition they were not written for. Returns the file's edition."""

    def filled(role: str) -> list[tuple[int, Any]]:
        k = cols[role]
        return [(num, c[k]) for num, c in t.rows if k < len(c) and not blank(c[k])]

    file_edition = None
    if "edition" in cols:
        years = {_year(v) for _, v in filled("edition")}
        if len(years) == 1 and None not in years:
            file_edition = years.pop()
        if file_edition is not None and file_edition != edition.year:
            column = t.header[cols["edition"]]
            p.error(
                t.sheet,
                None,
                column,
                "import.file_edition",
                file_edition=file_edition,
                edition=edition.year,
            )
            raise p.refuse()
    if unit is not None and kind == "profile":
        target = unit_names(unit, edition)  # an unknown target unit raises UnknownName
        cells = filled("unit")
        found = find_unit(cells[0][1], edition) if cells else None
        if found is not None and found != unit:
            p.error(
                t.sheet,
                cells[0][0],
                t.header[cols["unit"]],
                "import.file_unit",
                file_unit=unit_names(found, edition),
                unit=target,
            )
            raise p.refuse()
    return file_edition


def _read_row(s: _Sheet, num: int, cell: dict[str, Any]) -> _Row:
    p, edition, sheet = s.p, s.edition, s.sheet
    unit = unit_of(cell["unit"], edition, (sheet, num, s.col("unit")), p)
    code = code_of(cell["code"], edition, (sheet, num, s.col("code")), p)
    if "edition" in s.cols and not blank(cell["edition"]):
        ev = str(cell["edition"]).strip()
        try:
            ok = float(ev.replace(",", ".")) == edition.year
        except ValueError:
            ok = False
        if not ok:
            p.error(
                sheet,
                num,
                s.col("edition"),
                "import.wrong_edition",
                value=ev,
                edition=edition.year,
            )
    values: dict[str, Num | None] = {}
    for role in NUMBER_COLUMNS:
        if role not in s.cols:
            values[role] = None
            continue
        bound = None if role in ("score", "rank") else s.bound(code)
        v = number(cell[role], role, bound, (sheet, num, s.col(role)), p)
        values[role] = None if v is False else v
    return _Row(num, unit, code, values, cell)


def _check_row(r: _Row, s: _Sheet) -> None:
    p, sheet, col, v = s.p, s.sheet, s.col, r.values
    present = [x for x in ("raw", "score") if x in s.cols]
    if (
        v["raw"] is None
        and v["score"] is None
        and not any(p.has_error(sheet, r.num, col(x)) for x in present)
    ):
        p.error(sheet, r.num, col(present[0]), "import.no_value")
    score = v["score"]
    if score is not None and not 0.0 <= score.value <= 100.0:
        p.error(sheet, r.num, col("score"), "import.score_range", value=score.value)
    rank, n_units = v.get("rank"), s.edition.n
    if rank is not None:
        if rank.value != int(rank.value) or not 1 <= rank.value <= n_units:
            p.error(
                sheet,
                r.num,
                col("rank"),
                "import.rank_invalid",
                value=str(r.cells["rank"]).strip(),
                n=n_units,
            )
            v["rank"] = None
    elif s.kind == "profile" and blank(r.cells.get("rank")) and "rank" in r.cells:
        p.warn(sheet, r.num, col("rank"), "import.blank_cell")
    if s.kind == "profile":
        _check_row_goalposts(r, s)


def _check_row_goalposts(r: _Row, s: _Sheet) -> None:
    """A profile row's min and max: both or neither, min < max."""
    p, sheet, col = s.p, s.sheet, s.col
    vmin, vmax = r.values["min"], r.values["max"]
    if (vmin is None) != (vmax is None):
        missing = "min" if vmin is None else "max"
        if not p.has_error(sheet, r.num, col(missing)):
            p.error(sheet, r.num, col(missing), "import.half_goalpost")
    elif vmin is not None and vmax is not None:
        if vmin.value > vmax.value:
            p.error(sheet, r.num, col("min"), "import.min_gt_max", min=vmin.value, max=vmax.value)
        elif vmin.value == vmax.value:
            p.error(sheet, r.num, col("max"), "import.min_eq_max", min=vmin.value)
    elif not p.has_error(sheet, r.num, col("min")):
        p.warn(sheet, r.num, col("min"), "import.blank_cell")


def _read_rows(s: _Sheet) -> list[_Row]:
    t, p = s.table, s.p
    header = t.header
    rows: list[_Row] = []
    skipped: list[int] = []
    for num, cells in t.rows:
        if all(blank(c) for c in cells):
            continue
        extra = [k for k in range(len(header), len(cells)) if not blank(cells[k])]
        if extra:
            p.error(
                s.sheet,
                num,
                letter(extra[0]),
                "import.extra_cells",
                cells=max(extra) + 1,
                columns=len(header),
            )
        cell = {r: (cells[k] if k < len(cells) else None) for r, k in s.cols.items()}
        if all(blank(cell.get(r)) for r in NUMBER_COLUMNS):
            skipped.append(num)
            continue
        rows.append(_read_row(s, num, cell))
        _check_row(rows[-1], s)
    if not rows and not p.errors:
        p.error(s.sheet, t.header_row + 1, None, "import.no_data_rows")
    if skipped:
        p.warn(
            s.sheet,
            skipped[0],
            None,
            "import.rows_skipped",
            n=len(skipped),
            rows=_short_list(skipped),
        )
    return rows


def _check_pairs(rows: list[_Row], s: _Sheet) -> None:
    """One unit per profile; one row per (unit, code)."""
    seen: dict[tuple[str, str], int] = {}
    first: tuple[str, int] | None = None
    for r in rows:
        if s.kind == "profile" and r.unit is not None:
            if first is None:
                first = (r.unit, r.num)
            elif r.unit != first[0]:
                s.p.error(
                    s.sheet,
                    r.num,
                    s.col("unit"),
                    "import.several_units",
                    value=str(r.cells["unit"]).strip(),
                    first=first[0],
                )
        if r.unit is None or r.code is None:
            continue
        key = (r.unit, r.code)
        if key in seen:
            s.p.error(
                s.sheet,
                r.num,
                s.col("code"),
                "import.duplicate_row",
                unit=r.unit,
                code=r.code,
                other=seen[key],
            )
        else:
            seen[key] = r.num


def _check_scores(rows: list[_Row], s: _Sheet, file_gp: dict) -> dict[str, tuple[float, float]]:
    """Raw values within the goalposts and scores = normalise(raw); the goalposts the file
    states (code -> min, max)."""
    fw, p, sheet = s.edition.framework, s.p, s.sheet
    gp_rows: dict[str, tuple[float, float]] = {c: (v[0], v[1]) for c, v in file_gp.items()}
    for r in rows:
        if r.code is None:
            continue
        j = fw.index[r.code]
        raw, score = r.values["raw"], r.values["score"]
        vmin, vmax = r.values.get("min"), r.values.get("max")
        source = "edition"
        g_lo, g_hi, d_lo, d_hi = s.lo[j], s.hi[j], s.dgp[j], s.dgp[j]
        if s.kind == "profile" and vmin is not None and vmax is not None:
            if vmin.value >= vmax.value:
                continue  # reported in _check_row
            g_lo, g_hi = vmin.value, vmax.value
            d_lo, d_hi = tol(vmin.decimals), tol(vmax.decimals)
            source = "file"
            gp_rows[r.code] = (g_lo, g_hi)
        elif s.kind == "edition" and r.code in file_gp:
            g_lo, g_hi, d_lo, d_hi = file_gp[r.code]
            source = "file"
        if raw is None:
            continue
        d_raw = tol(raw.decimals)
        if raw.value < g_lo - d_raw - d_lo or raw.value > g_hi + d_raw + d_hi:
            at = (sheet, r.num, s.col("raw"))
            if source == "file":
                p.error(*at, "import.raw_outside", raw=raw.value, min=g_lo, max=g_hi)
            else:
                cap = 0.0 if (raw.value < g_lo) == (fw.direction[j] > 0) else 100.0
                p.warn(
                    *at, "import.raw_outside_current", raw=raw.value, min=g_lo, max=g_hi, cap=cap
                )
        if score is None or not 0 <= score.value <= 100:
            continue
        want = float(
            np.clip(normalise(np.float64(raw.value), g_lo, g_hi, fw.direction[j]), 0.0, 100.0)
        )
        span = g_hi - g_lo
        tolerance = max(tol(score.decimals), 0.005) + 100.0 * (d_raw + d_lo + d_hi) / span + 1e-6
        if abs(score.value - want) > tolerance:
            p.error(
                sheet,
                r.num,
                s.col("score"),
                CONTRADICTION[source],
                score=score.value,
                raw=raw.value,
                min=g_lo,
                max=g_hi,
                expected=round(want, 2),
                tol=round(tolerance, 3),
            )
    return gp_rows


def _check_coverage(rows: list[_Row], s: _Sheet) -> None:
    """Warnings for units (an edition file) and codes with no rows."""
    if not rows:
        return
    given_units = {r.unit for r in rows if r.unit is not None}
    given_codes = {r.code for r in rows if r.code is not None}
    if s.kind == "edition":
        missing_u = [u for u in s.edition.slugs if u not in given_units]
        if missing_u:
            s.p.warn(
                s.sheet,
                None,
                None,
                "import.units_missing",
                n=len(missing_u),
                units=_short_list(missing_u),
            )
    missing_c = [c for c in s.edition.framework.codes if c not in given_codes]
    if missing_c:
        s.p.warn(
            s.sheet,
            None,
            None,
            "import.codes_missing",
            n=len(missing_c),
            codes=_short_list(missing_c),
        )


def _short_list(items: list, limit: int = 10) -> str:
    return ", ".join(map(str, items[:limit])) + (" …" if len(items) > limit else "")


# ---- the result ----------------------------------------------------------------------------


def validate(
    tables: dict[str, Table],
    data: bytes,
    file_name: str,
    edition: Edition,
    p: Collector,
    unit: str | None = None,
) -> ParsedImport:
    """The file's tables checked against `edition` (and, for a profile, the target `unit` when
    one is given); raises ImportRefused listing every error."""
    t = tables["data"]
    kind, cols = _data_columns(t, p)
    file_edition = None if cols is None else _check_target(t, cols, kind, edition, unit, p)
    gp_table = tables.get("goalposts")
    file_gp: dict[str, tuple[float, float, float, float]] = {}  # code -> lo, hi, dlo, dhi
    if gp_table is not None and kind == "edition":
        file_gp = read_goalposts(gp_table, edition, p)
    if cols is None:
        raise p.refuse()
    s = _Sheet(p, edition, t, kind, cols, *edition_goalposts(edition))
    rows = _read_rows(s)
    _check_pairs(rows, s)
    gp_rows = _check_scores(rows, s, file_gp)
    _check_coverage(rows, s)
    p.check()
    return _parsed(rows, s, gp_rows, data, file_name, file_edition)


def _parsed(
    rows: list[_Row],
    s: _Sheet,
    gp_rows: dict,
    data: bytes,
    file_name: str,
    file_edition: int | None,
) -> ParsedImport:
    edition, fw = s.edition, s.edition.framework
    values = pd.DataFrame(
        {
            "unit": [r.unit for r in rows],
            "code": [r.code for r in rows],
            "raw": [r.values["raw"].value if r.values["raw"] else np.nan for r in rows],
            "score": [r.values["score"].value if r.values["score"] else np.nan for r in rows],
        }
    )
    order = {u: k for k, u in enumerate(edition.slugs)}
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
    given_units = {r.unit for r in rows if r.unit is not None}
    return ParsedImport(
        kind=s.kind,
        edition=edition.year,
        file_name=file_name,
        checksum=hashlib.sha256(data).hexdigest(),
        units=tuple(u for u in edition.slugs if u in given_units),
        values=values,
        goalposts=goalposts,
        ranks=ranks,
        warnings=tuple(s.p.warnings),
        file_edition=file_edition,
    )
