"""Numbers in import files: decimal comma or point, thousands grouping, the ambiguous "1,234",
and scientific notation as Excel writes it ("8E-2", "1,5E-3").

The rule is documented in data/README.md, "Importing official data" → "Numbers".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from model.i18n import LocalizedError

_NUM_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
# Scientific notation: a mantissa with at most one separator (always the decimal mark: nobody
# groups thousands in front of an exponent) and an integer exponent.
_SCI_RE = re.compile(r"^([+-]?)(\d+)(?:[.,](\d+))?[eE]([+-]?)(\d+)$")
_MAX_EXPONENT_DIGITS = 6  # beyond, the value overflows or underflows anyway
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009 "), None)


@dataclass(frozen=True)
class Num:
    value: float
    decimals: int  # decimals as printed (rounding tolerance)
    thousands: float | None = None  # the other reading of an ambiguous "1,234"


class CellError(LocalizedError, ValueError):
    """A cell that is not a usable number: the id of the problem and its parameters (with an
    example of a number, which the importer replaces by one that suits the column)."""

    def __init__(self, msg_id: str, /, **params: Any) -> None:
        super().__init__(msg_id, **{"example": 46.51, **params})


def _groups_ok(groups: list[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def parse_number(cell: Any) -> Num | None:
    """A cell as a number (None when blank); CellError when it is not a finite number."""
    n = _parse_number(cell)
    if n is not None and not (
        math.isfinite(n.value) and (n.thousands is None or math.isfinite(n.thousands))
    ):
        raise CellError("import.not_finite", value=str(cell).strip())
    return n


def _parse_number(cell: Any) -> Num | None:
    """A cell as a number (None when blank). The rule (data/README.md):

    one separator, `,` or `.`, is the decimal mark ("46,51" = "46.51"); with both, the last one
    is the decimal mark and the other groups thousands by three ("1.234,5" = "1,234.5"); a
    separator repeated alone groups thousands ("1.234.567"). One separator followed by exactly
    three digits after a 1–3 digit integer part ("1,234") is ambiguous: `thousands` holds the
    other reading and the caller decides (see `decimal_if_plain`).
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise CellError("import.not_number", value=str(cell).upper())
    if isinstance(cell, dt.datetime | dt.date | dt.time):
        raise CellError("import.date_cell", value=str(cell))
    if isinstance(cell, int | float):
        x = float(cell)
        if not math.isfinite(x):
            raise CellError("import.not_finite", value=str(cell))
        d = Decimal(format(x, ".12g")).normalize()
        return Num(x, max(0, -int(d.as_tuple().exponent)))
    text = str(cell).strip()
    if not text:
        return None
    s = text.translate(_SPACES).replace("\u2212", "-")
    if s.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise CellError("import.not_finite", value=text)
    if sci := _SCI_RE.match(s):
        return _scientific(sci, text)
    if not _NUM_RE.match(s):
        raise CellError("import.not_number", value=text)
    sign = -1.0 if s.startswith("-") else 1.0
    body = s.lstrip("+-")
    commas, dots = body.count(","), body.count(".")
    if commas and dots:
        dec = "," if body.rfind(",") > body.rfind(".") else "."
        sep = "." if dec == "," else ","
        if body.count(dec) > 1:
            raise CellError("import.bad_grouping", value=text)
        whole, frac = body.split(dec)
        groups = whole.split(sep)
        if not _groups_ok(groups):
            raise CellError("import.bad_grouping", value=text)
        return Num(sign * float("".join(groups) + "." + frac), len(frac))
    if commas + dots == 1:
        whole, frac = re.split(r"[.,]", body)
        value = sign * float(whole + "." + frac)
        other = None
        if len(frac) == 3 and len(whole) <= 3 and whole[0] != "0":
            other = sign * float(whole + frac)
        return Num(value, len(frac), other)
    if commas + dots > 1:
        groups = re.split(r"[.,]", body)
        if not _groups_ok(groups):
            raise CellError("import.bad_grouping", value=text)
        return Num(sign * float("".join(groups)), 0)
    return Num(sign * float(body), 0)


def _scientific(m: re.Match, text: str) -> Num:
    """ "1,5E-3" = 0.0015, printed with 4 decimals (the mantissa's 1 plus the exponent's 3)."""
    sign, whole, frac, exp_sign, exp_digits = m.groups()
    frac = frac or ""
    if len(exp_digits.lstrip("0")) > _MAX_EXPONENT_DIGITS:
        if exp_sign != "-" and whole.strip("0") + frac.strip("0"):
            raise CellError("import.not_finite", value=text)
        return Num(0.0, 0)
    exponent = int(exp_sign + exp_digits)
    value = float(f"{sign}{whole}.{frac or 0}e{exponent}")
    if not math.isfinite(value):
        raise CellError("import.not_finite", value=text)
    return Num(value, max(0, len(frac) - exponent))


def tol(decimals: int) -> float:
    """Half a unit of the last printed decimal: the rounding of a printed number."""
    return 0.5 * 10.0 ** (-min(decimals, 9))


def decimal_if_plain(v: Num, bound: float | None) -> Num | None:
    """An ambiguous "1,234" read as a decimal when the thousands reading exceeds `bound` (None:
    the thousands reading is impossible anyway); None when both readings stay possible."""
    assert v.thousands is not None
    if bound is None or abs(v.thousands) > bound:
        return Num(v.value, v.decimals)
    return None


def decimals_of(x: float) -> int:
    """Decimals of a stored value as printed (at least 2, as the PII report prints goalposts)."""
    d = Decimal(format(float(x), ".12g")).normalize()
    return max(2, -int(d.as_tuple().exponent))
