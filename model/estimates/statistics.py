"""NSO province statistics (data/sources/statistics.csv): strict reading, the indicators computed
from them, their data-based goalposts, and one unit's economy for the budget.

The file is one long table (data/README.md, "Province statistics"): `map` 63 (editions 2023 and
2024), 34 (edition 2025) or empty (the national row, unit `ca-nuoc`), a units.csv slug, a year,
an item, a value, and the row's status, formula, NSO vintage and source. `is_default = 1` marks
the one row of each map/unit/year/item an edition reads (the vintage rule).

Indicators computed from official statistics (provenance `statistics`), each over exactly the
edition's units, by the rule that reproduces the published values (data/README.md): COINr's
default outlier treatment (while |skewness| >= 2 and kurtosis >= 3.5, winsorise the most extreme
value to the next one, at most 5 points; still failing: log(x - min + 0.01 (max - min)) of the
untreated values), then min-max 0-100. Ported from COINr (bluefoxr/COINr @ b968203, R/treat.R);
the index is built with COINr (data/README.md names the sources).

Pure pandas/numpy: no other module of the estimates is imported (model.estimates.sources reads
the file through `check`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import i18n

FILE = "statistics.csv"
COLUMNS = (
    "map",
    "unit",
    "year",
    "item",
    "value",
    "unit_of_measure",
    "status",
    "formula",
    "vintage",
    "is_default",
    "source",
)
NATIONAL = "ca-nuoc"
MAPS = ("", "63", "34")
STATUSES = ("official", "preliminary", "estimate", "derived")
ITEMS = (
    "grdp_bn_vnd",
    "grdp_per_head_mn_vnd",
    "grdp_growth_pct",
    "population_thousand",
    "employed_thousand",
    "trained_labour_pct",
    "labour_productivity_mn_vnd",
    "active_enterprises",
    "new_enterprises",
    "active_enterprises_per_1000",
)
CODES = ("4.2.2", "4.3.2", "5.1.1", "6.3.2", "7.2.1", "7.3.2")
# Assumed national share of people aged 15-64 (about 67.5 %, 2022-2024; the same ratio as
# economy.csv): provincial age structures are not in the tables. A constant share changes the
# raw value of 6.3.2, never its score (min-max is scale-invariant).
WORKING_AGE_SHARE = 0.675
# The data year each edition reads (data/README.md, "Which year an edition reads"): t-1, except
# 7.2.1 in 2024, whose only published value (Thanh Hóa 92.74) fits the 2022 growth alone.
DATA_YEAR: dict[int, dict[str, int]] = {
    2023: dict.fromkeys(CODES, 2022),
    2024: {**dict.fromkeys(CODES, 2023), "7.2.1": 2022},
    2025: dict.fromkeys(CODES, 2024),
}
# COINr's default treatment (qTreat/Treat defaults).
WINMAX, SKEW, KURT = 5, 2.0, 3.5


class StatisticsError(i18n.LocalizedError, ValueError):
    """statistics.csv is malformed: the catalogue id names the file, the line and what is wrong."""


def map_of(edition: int) -> str:
    """The map of units an edition uses: 63 provinces until the 2025 merger, then 34."""
    return "34" if edition >= 2025 else "63"


# --------------------------------------------------------------------------------------------
# Reading (strict: every error names the line, header = line 1)
# --------------------------------------------------------------------------------------------


def _fail(msg_id: str, k: int, **params: object) -> StatisticsError:
    return StatisticsError(msg_id, file=FILE, line=int(k) + 2, **params)


def check(df: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The file's rows (all strings) checked and typed: year int, value float, is_default 0/1.

    units: units.csv (columns map, slug). Raises StatisticsError naming the first bad line."""
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise StatisticsError("statistics.err_columns", file=FILE, columns=", ".join(missing))
    d = df.copy()
    for col in ("map", "unit", "item", "status", "formula", "vintage", "is_default"):
        d[col] = d[col].astype(str).str.strip()
    year = pd.to_numeric(d["year"].str.strip(), errors="coerce")
    value = pd.to_numeric(d["value"].str.strip(), errors="coerce")
    for col, parsed in (("year", year), ("value", value)):
        bad = parsed.isna() | ~np.isfinite(parsed.fillna(0.0))
        if col == "year":
            bad |= parsed.fillna(0.5) % 1 != 0
        if bad.any():
            k = int(np.flatnonzero(bad.to_numpy())[0])
            raise _fail("statistics.err_number", k, column=col, value=str(d[col].iloc[k]))
    d["year"], d["value"] = year.astype(int), value.astype(float)
    known = {m: set(units.loc[units["map"].astype(str) == m, "slug"]) for m in ("63", "34")}
    for k, r in enumerate(d[["map", "unit", "item", "status", "formula", "is_default"]].values):
        map_, unit, item, status, formula, default = r
        if map_ not in MAPS or (unit == NATIONAL) != (map_ == ""):
            raise _fail("statistics.err_map", k, map=map_, unit=unit)
        if map_ and unit not in known[map_]:
            raise _fail("statistics.err_unit", k, map=map_, unit=unit)
        if item not in ITEMS:
            raise _fail("statistics.err_item", k, item=item, valid=", ".join(ITEMS))
        if status not in STATUSES:
            raise _fail("statistics.err_status", k, status=status, valid=", ".join(STATUSES))
        if status == "derived" and not formula:
            raise _fail("statistics.err_formula", k)
        if default not in ("0", "1"):
            raise _fail("statistics.err_default_cell", k, value=default)
    d["is_default"] = d["is_default"].astype(int)
    twice = d.duplicated(["map", "unit", "year", "item", "vintage"])
    if twice.any():
        raise _fail("statistics.err_twice", int(np.flatnonzero(twice.to_numpy())[0]))
    key = ["map", "unit", "year", "item"]
    n_default = d.groupby(key)["is_default"].transform("sum")
    bad = n_default != 1
    if bad.any():
        k = int(np.flatnonzero(bad.to_numpy())[0])
        r = d.iloc[k]
        raise _fail(
            "statistics.err_one_default", k, unit=r["unit"], item=r["item"], year=int(r["year"])
        )
    return d


# --------------------------------------------------------------------------------------------
# Look-up of the default rows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Table:
    """The default rows of statistics.csv as {(map, unit, item, year): value}, and their rows."""

    rows: pd.DataFrame  # checked (see `check`)

    def __post_init__(self) -> None:
        d = self.rows[self.rows["is_default"] == 1]
        keys = list(zip(d["map"], d["unit"], d["item"], d["year"], strict=True))
        object.__setattr__(self, "_v", dict(zip(keys, d["value"], strict=True)))
        object.__setattr__(self, "_at", dict(zip(keys, d.index, strict=True)))
        years: dict[tuple[str, str, str], list[int]] = {}
        for m, u, i, y in keys:
            years.setdefault((m, u, i), []).append(int(y))
        object.__setattr__(self, "_years", {k: sorted(v) for k, v in years.items()})

    def get(self, map_: str, unit: str, item: str, year: int) -> float:
        """The default value, NaN when the table has none."""
        return float(self._v.get((map_, unit, item, int(year)), np.nan))

    def series(self, map_: str, units: Sequence[str], item: str, year: int) -> np.ndarray:
        return np.array([self.get(map_, u, item, year) for u in units])

    def national(self, item: str, year: int) -> float:
        return self.get("", NATIONAL, item, year)

    def years(self, map_: str, unit: str, item: str) -> list[int]:
        return list(self._years.get((map_, unit, item), []))

    def row(self, map_: str, unit: str, item: str, year: int) -> pd.Series | None:
        """The default row itself (status, vintage, source), None when missing."""
        at = self._at.get((map_, unit, item, int(year)))
        return None if at is None else self.rows.loc[at]


# --------------------------------------------------------------------------------------------
# COINr's default outlier treatment and min-max
# --------------------------------------------------------------------------------------------


def skew(x: np.ndarray) -> float:
    """Sample skewness as COINr::skew (e1071 type 2, = Excel SKEW)."""
    x = np.asarray(x, float)
    n, d = len(x), x - x.mean()
    y = np.sqrt(n) * (d**3).sum() / ((d**2).sum() ** 1.5)
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    """Sample excess kurtosis as COINr::kurt (e1071 type 2, = Excel KURT)."""
    x = np.asarray(x, float)
    n, d = len(x), x - x.mean()
    r = n * (d**4).sum() / ((d**2).sum() ** 2)
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def _passes(x: np.ndarray) -> bool:
    return abs(skew(x)) < SKEW or kurt(x) < KURT


def treat(x: np.ndarray) -> tuple[np.ndarray, str]:
    """COINr `Treat.numeric` with its defaults on complete data: (treated values, label), the
    label 'none', 'winsorised k' or 'log_ct'."""
    x = np.asarray(x, float)
    if len(x) < 4 or x.max() == x.min() or _passes(x):
        return x.copy(), "none"
    w, hit = x.copy(), np.array([], dtype=int)
    for _step in range(WINMAX):
        top = skew(w) >= 0
        edge = w.max() if top else w.min()
        hit = np.flatnonzero(w == edge)
        rest = np.delete(w, hit)
        w[hit] = rest.max() if top else rest.min()
        if _passes(w):
            return w, f"winsorised {len(hit)}"  # as COINr: the points now tied at the cap
    return np.log(x - x.min() + 0.01 * (x.max() - x.min())), "log_ct"


def minmax(x: np.ndarray) -> np.ndarray:
    span = x.max() - x.min()
    return np.full_like(x, np.nan) if span == 0 else (x - x.min()) / span * 100.0


# --------------------------------------------------------------------------------------------
# The indicators
# --------------------------------------------------------------------------------------------


def raw_values(t: Table, code: str, map_: str, units: Sequence[str], year: int) -> np.ndarray:
    """One indicator's raw value for the units, from the default rows of `year`."""

    def s(item: str, y: int = year) -> np.ndarray:
        return t.series(map_, units, item, y)

    if code == "4.2.2":  # V05.04 ÷ population: V05.05 itself is rounded to 1 decimal in places
        return s("active_enterprises") / s("population_thousand")
    if code == "4.3.2":
        return s("grdp_bn_vnd") / t.national("grdp_bn_vnd", year) * 100.0
    if code == "5.1.1":
        return s("trained_labour_pct")
    if code == "6.3.2":
        return s("new_enterprises") / (s("population_thousand") * WORKING_AGE_SHARE)
    if code == "7.2.1":  # nominal labour productivity (E02.58), growth in %
        return (
            s("labour_productivity_mn_vnd") / s("labour_productivity_mn_vnd", year - 1) - 1
        ) * 100
    if code == "7.3.2":
        return s("employed_thousand") / s("population_thousand") * 100.0
    raise KeyError(code)


@dataclass(frozen=True)
class Indicator:
    """One statistics indicator of one edition over all its units."""

    code: str
    data_year: int
    raw: np.ndarray  # (n,) untreated raw values
    score: np.ndarray  # (n,) 0-100 under the rule
    treatment: str  # none | winsorised k | log_ct
    lo: float  # the raw value scoring 0 (treated minimum): the goalpost
    hi: float  # the raw value scoring 100 (treated maximum, "the cap")


def indicator(t: Table, edition: int, units: Sequence[str], code: str) -> Indicator | None:
    """The indicator for every unit of the edition; None when a unit lacks its data (the rule
    is min-max over all units, so a partial indicator would give wrong scores)."""
    year = DATA_YEAR.get(edition, dict.fromkeys(CODES, edition - 1))[code]
    raw = raw_values(t, code, map_of(edition), units, year)
    if len(raw) < 4 or not np.isfinite(raw).all():
        return None
    treated, label = treat(raw)
    score = minmax(treated)
    if label == "log_ct" or not np.isfinite(score).all():
        return None  # a log scale has no raw goalposts the engine could use (never seen here)
    return Indicator(code, year, raw, score, label, float(treated.min()), float(treated.max()))


def indicators(t: Table, edition: int, units: Sequence[str]) -> dict[str, Indicator]:
    out = {c: indicator(t, edition, units, c) for c in CODES}
    return {c: v for c, v in out.items() if v is not None}


def goalposts(t: Table, edition: int, units: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Data-based goalposts of each statistics indicator: (treated minimum, treated maximum).
    With them the engine's min-max gives the rule's score exactly, capped at 0 and 100."""
    return {c: (v.lo, v.hi) for c, v in indicators(t, edition, units).items()}
