"""One cell or header of an import file checked against the edition: unit names, indicator
codes, column names, numbers (with the ambiguous "1,234" resolved), and the "goalposts" sheet.
Each check records its problem at `at` = (sheet, row, column) and returns None or False."""

from __future__ import annotations

import difflib
import math
import re
import weakref
from typing import Any

import numpy as np

from model.index.dataset import Edition
from model.official.numbers import CellError, Num, decimal_if_plain, decimals_of, parse_number, tol
from model.official.problems import Collector, Names, expected
from model.official.read import GOALPOST_COLUMNS, Table, blank, column_role, letter, norm

EXAMPLE = {"rank": 12}  # the example number of a refused cell; 46.51 for the others


# ---- names ---------------------------------------------------------------------------------

_UNIT_PREFIX = re.compile(r"^(tinh|thanh_pho|tp)_")
_KEYS: weakref.WeakKeyDictionary[Edition, dict[str, str]] = weakref.WeakKeyDictionary()


def unit_keys(edition: Edition) -> dict[str, str]:
    """Folded slug / vi / en name (with and without "Tỉnh", "TP") -> slug; per edition."""
    keys = _KEYS.get(edition)
    if keys is None:
        keys = {}
        u = edition.units
        for slug, *names in zip(u["slug"], u["name_vi"], u["name_en"], strict=True):
            for text in (slug, *names):
                k = norm(str(text))
                keys[k] = slug
                keys[_UNIT_PREFIX.sub("", k)] = slug
        _KEYS[edition] = keys
    return keys


def find_unit(value: Any, edition: Edition) -> str | None:
    """The slug a cell names (slug or name, any case or accents, with or without "Tỉnh")."""
    keys = unit_keys(edition)
    key = norm(str(value))
    return keys.get(key) or keys.get(_UNIT_PREFIX.sub("", key))


def unit_names(slug: str, edition: Edition) -> Names:
    u = edition.units.iloc[edition.unit_index(slug)]
    return Names(str(u["name_vi"]), str(u["name_en"]))


def unit_of(value: Any, edition: Edition, at: tuple, p: Collector) -> str | None:
    if blank(value):
        p.error(*at, "import.missing_value", expected=expected("unit"))
        return None
    unit = find_unit(value, edition)
    if unit is None:
        keys = unit_keys(edition)
        key = norm(str(value))
        near = difflib.get_close_matches(key, list(keys), n=3, cutoff=0.5)
        sugg = tuple(dict.fromkeys(keys[k] for k in near))
        p.error(
            *at,
            "import.unknown_unit",
            value=str(value).strip(),
            edition=edition.year,
            suggestions=sugg,
        )
    return unit


def code_of(value: Any, edition: Edition, at: tuple, p: Collector) -> str | None:
    fw = edition.framework
    if blank(value):
        p.error(*at, "import.missing_value", expected=expected("code"))
        return None
    text = str(value).strip()
    if text in fw.index:
        return text
    near = tuple(difflib.get_close_matches(text, list(fw.codes), n=3, cutoff=0.5))
    p.error(*at, "import.unknown_code", value=text, edition=edition.year, suggestions=near)
    return None


# ---- columns and numbers -------------------------------------------------------------------


def columns(
    t: Table,
    wanted: tuple[str, ...],
    optional: tuple[str, ...],
    p: Collector,
    need_one_of: tuple[str, ...] = (),
) -> dict[str, int] | None:
    """Role -> position; missing required columns are errors, unknown columns warnings."""
    cols: dict[str, int] = {}
    allowed = set(wanted) | set(optional) | set(need_one_of)
    known = ", ".join(wanted + optional)
    for k, h in enumerate(t.header):
        if h.startswith("#"):
            continue
        if not h:
            if any(k < len(c) and not blank(c[k]) for _, c in t.rows):
                p.warn(t.sheet, t.header_row, letter(k), "import.unnamed_column", known=known)
            continue
        role = column_role(h)
        if role is None or role not in allowed:
            p.warn(t.sheet, t.header_row, h, "import.unknown_column", name=h, known=known)
            continue
        if role in cols:
            p.error(
                t.sheet,
                t.header_row,
                h,
                "import.duplicate_column",
                name=h,
                other=t.header[cols[role]],
            )
            continue
        cols[role] = k
    missing = [c for c in wanted if c not in cols]
    if need_one_of and not any(c in cols for c in need_one_of):
        missing.append(" / ".join(need_one_of))
    if missing:
        required = list(wanted) + ([" / ".join(need_one_of)] if need_one_of else [])
        p.error(
            t.sheet,
            t.header_row,
            missing[0],
            "import.missing_columns",
            missing=tuple(missing),
            required=tuple(required),
            optional=tuple(optional),
        )
        return None
    return cols


def number(cell: Any, role: str, bound: float | None, at: tuple, p: Collector) -> Num | None | bool:
    """The cell's number (None when blank); False after an error was recorded at `at`."""
    try:
        v = parse_number(cell)
    except CellError as exc:
        p.error(*at, exc.msg_id, **{**exc.params, "example": EXAMPLE.get(role, 46.51)})
        return False
    if v is None or v.thousands is None:
        return v
    plain = decimal_if_plain(v, bound)
    if plain is None:
        p.error(
            *at,
            "import.ambiguous_number",
            value=str(cell).strip(),
            decimal=v.value,
            thousands=v.thousands,
        )
        return False
    return plain


def thousands_bound(lo: np.ndarray, hi: np.ndarray, j: int | None) -> float:
    """Above this, the thousands reading of an ambiguous number is impossible: 10 × the
    indicator's largest absolute goalpost (infinite for an unknown code: always ambiguous)."""
    if j is None:
        return math.inf
    return 10.0 * max(abs(lo[j]), abs(hi[j]), 1.0)


def edition_goalposts(edition: Edition) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = np.array(
        [
            tol(max(decimals_of(a), decimals_of(b)))
            for a, b in zip(edition.lo, edition.hi, strict=True)
        ]
    )
    return np.asarray(edition.lo, float), np.asarray(edition.hi, float), d


# ---- the goalposts sheet -------------------------------------------------------------------


def read_goalposts(t: Table, edition: Edition, p: Collector) -> dict:
    """code -> (min, max, rounding of min, rounding of max) of an edition file's "goalposts"."""
    cols = columns(t, GOALPOST_COLUMNS, (), p)
    if cols is None:
        return {}
    lo, hi, _ = edition_goalposts(edition)
    out: dict[str, tuple[float, float, float, float]] = {}
    seen: dict[str, int] = {}
    head = t.header
    for num, cells in t.rows:
        cell = {r: (cells[k] if k < len(cells) else None) for r, k in cols.items()}
        if all(blank(c) for c in cells) or (blank(cell["min"]) and blank(cell["max"])):
            continue
        at_code = (t.sheet, num, head[cols["code"]])
        code = code_of(cell["code"], edition, at_code, p)
        if code in seen:
            p.error(*at_code, "import.duplicate_goalpost", code=code, other=seen[code])
            code = None
        elif code is not None:
            seen[code] = num
        j = edition.framework.index[code] if code else None
        bound = thousands_bound(lo, hi, j)
        nums = {
            role: number(cell[role], role, bound, (t.sheet, num, head[cols[role]]), p)
            for role in ("min", "max")
        }
        a, b = nums["min"], nums["max"]
        if a is False or b is False:
            continue
        if a is None or b is None:
            missing = "min" if a is None else "max"
            p.error(t.sheet, num, head[cols[missing]], "import.half_goalpost")
            continue
        if a.value > b.value:
            p.error(t.sheet, num, head[cols["min"]], "import.min_gt_max", min=a.value, max=b.value)
        elif a.value == b.value:
            p.error(t.sheet, num, head[cols["max"]], "import.min_eq_max", min=a.value)
        elif code is not None:
            out[code] = (a.value, b.value, tol(a.decimals), tol(b.decimals))
    return out
