"""Budget levers: what money buys in PII terms, an investment optimiser and the path to a horizon.

Units are in the names: spending and budgets in billion VND (`_bn`), costs per item in million
VND (`_million_vnd`) as in the sources, `raw` in the indicator's own unit, `score` 0-100 under
the edition's goalposts. The assumptions are in data/sources/budget_levers.csv and economy.csv
(read here, not by the database build); data/README.md explains them.

The model, year t = 1..H being calendar year edition + t:
- budget of year t: B * (1 + g)^(t-1), extra money on top of what is spent today;
- a lever's effective spending in year t is the spending of year t - lag (flow levers: the gain
  lasts while the money flows) or all spending up to t - lag (stock levers: what money buys stays);
- items = spending / cost per item; raw change = items * per / denominator of year t;
- linear, or diminishing: the raw change up to the saturation level comes in TRANCHES equal
  steps whose cost per raw unit is 1, 2, ..., TRANCHES times the base cost; beyond it, nothing.
  The curve is in raw units, so saturation (e.g. per 10,000 people) grows with the denominator;
- spending that is also local S&T (or R&D) budget counts in 2.2.2 (2.2.3) the year it is spent;
- an indicator rises at most `max_change_per_year_raw` a year.

Frozen goalposts make the PII linear in the scores (capped at 100), and the responses above are
concave and piecewise linear, so "maximise the PII under the budget" and "reach a rank at least
cost" are exact linear programmes (scipy.optimize.linprog, HiGHS); no approximation of the curves.
Every reported PII and rank is then recomputed by the engine (`evaluate_targets`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from . import paths
from .dataset import Edition
from .plan import Plan
from .scenario import ScenarioError, effective_weights_for, evaluate_targets
from .sources import SourceError

LEVERS_FILE = "budget_levers.csv"
ECONOMY_FILE = "economy.csv"
LEVER_COLUMNS = (
    "code",
    "lever_vi",
    "lever_en",
    "moveable",
    "basis",
    "item_vi",
    "item_en",
    "cost_million_vnd_per_item",
    "denominator",
    "per",
    "response",
    "saturation_raw",
    "lag_years",
    "max_change_per_year_raw",
    "persistence",
    "also_counts_in",
    "provenance",
    "source",
    "note",
)
ECONOMY_COLUMNS = ("unit", "year", "item", "value", "measure", "provenance", "source", "note")

TRANCHES = 5  # diminishing returns: tranche j (0-based) costs (1 + j) x the base cost
MILLION_PER_BILLION = 1000.0
# Counts an economy item is measured in, for "raw = items * per / denominator": GRDP is stored in
# billion VND (as published) and divided into spending counted in million VND.
DENOMINATOR_FACTOR = {"grdp_billion_vnd": MILLION_PER_BILLION}
COUNT_ITEMS = (
    "grdp_billion_vnd",
    "population_persons",
    "active_firms",
    "new_firms_per_year",
    "employed_persons",
    "secondary_students",
    "learners",
    "communes",
)
GROWTH_ITEMS = ("grdp_growth_pct", "population_growth_pct")
# Projection beyond the last given year: GRDP with its own growth, communes fixed, every other
# count with the population (so an unchanged indicator keeps its meaning).
GROWTH_OF = {"grdp_billion_vnd": "grdp_growth_pct", "communes": None}
BASES = ("exact", "assumed")
RESPONSES = ("linear", "diminishing")
PERSISTENCES = ("flow", "stock")
OBJECTIVES = ("pii", "rank")
_CODE = re.compile(r"^\d+\.\d+\.\d+$")
_PEERS = re.compile(r"^(static|trend|drift:(-?\d+(\.\d+)?))$")


# --------------------------------------------------------------------------------------------
# Levers and economy facts
# --------------------------------------------------------------------------------------------


def _finite(x: object, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        raise ScenarioError(f"{what} must be a finite number, got {x!r}")
    return float(x)


def _positive(x: object, what: str, optional: bool = False) -> float | None:
    if x is None and optional:
        return None
    v = _finite(x, what)
    if v <= 0:
        raise ScenarioError(f"{what} must be positive, got {x!r}")
    return v


@dataclass(frozen=True)
class Lever:
    """One indicator's row of the lever table: what money buys there, or why it cannot."""

    code: str
    lever_vi: str
    lever_en: str
    moveable: bool
    basis: str = "none"  # exact (money is the numerator) | assumed (cost per item) | none
    item_vi: str = ""
    item_en: str = ""
    cost_million_vnd_per_item: float | None = None
    denominator: str = ""  # an economy item; "" when the item is itself the raw unit
    per: float | None = None  # raw = items * per / denominator (10,000 for "per 10,000 people")
    response: str = ""  # linear | diminishing
    saturation_raw: float | None = None
    lag_years: int = 0
    max_change_per_year_raw: float | None = None
    persistence: str = ""  # flow | stock
    also_counts_in: tuple[str, ...] = ()
    provenance: str = ""
    source: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not _CODE.match(self.code):
            raise ScenarioError(f"code {self.code!r} is not of the form 2.2.3")
        object.__setattr__(self, "also_counts_in", tuple(self.also_counts_in))
        if not isinstance(self.moveable, bool):
            raise ScenarioError(f"lever {self.code}: moveable must be true or false")
        if self.moveable:
            self._check_moveable()
        elif self.basis != "none":
            raise ScenarioError(f"lever {self.code}: basis of a non-moveable indicator is 'none'")

    def _check_moveable(self) -> None:
        c = f"lever {self.code}"
        if self.basis not in BASES:
            raise ScenarioError(f"{c}: basis must be one of {', '.join(BASES)}")
        if self.response not in RESPONSES:
            raise ScenarioError(f"{c}: response must be one of {', '.join(RESPONSES)}")
        if self.persistence not in PERSISTENCES:
            raise ScenarioError(f"{c}: persistence must be one of {', '.join(PERSISTENCES)}")
        if self.denominator and self.denominator not in COUNT_ITEMS:
            raise ScenarioError(
                f"{c}: denominator {self.denominator!r} is not one of {', '.join(COUNT_ITEMS)}"
            )
        object.__setattr__(
            self,
            "cost_million_vnd_per_item",
            _positive(self.cost_million_vnd_per_item, f"{c}: cost_million_vnd_per_item"),
        )
        object.__setattr__(self, "per", _positive(self.per, f"{c}: per"))
        sat = _positive(self.saturation_raw, f"{c}: saturation_raw", optional=True)
        if self.response == "diminishing" and sat is None:
            raise ScenarioError(f"{c}: a diminishing response needs saturation_raw")
        object.__setattr__(self, "saturation_raw", sat if self.response == "diminishing" else None)
        cap = _positive(self.max_change_per_year_raw, f"{c}: max_change_per_year_raw", True)
        object.__setattr__(self, "max_change_per_year_raw", cap)
        lag = self.lag_years
        if isinstance(lag, bool) or not isinstance(lag, int) or not 0 <= lag <= 10:
            raise ScenarioError(f"{c}: lag_years must be a whole number 0-10, got {lag!r}")
        for other in self.also_counts_in:
            if not _CODE.match(other) or other == self.code:
                raise ScenarioError(f"{c}: also_counts_in {other!r} is not another code")

    @property
    def flow(self) -> bool:
        return self.persistence == "flow"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["also_counts_in"] = list(self.also_counts_in)
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> Lever:
        if not isinstance(d, Mapping):
            raise ScenarioError("a lever must be a JSON object")
        names = {f.name for f in fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise ScenarioError(f"unknown lever field(s): {', '.join(sorted(unknown))}")
        kw = dict(d)
        kw["also_counts_in"] = tuple(kw.get("also_counts_in") or ())
        try:
            return cls(**kw)
        except TypeError as exc:
            raise ScenarioError(f"invalid lever: {exc}") from None


@dataclass(frozen=True)
class EconomyFact:
    """A count (population, GRDP, firms ...) for one unit and year, or a growth rate (no year)."""

    unit: str
    item: str
    year: int | None
    value: float
    measure: str = ""
    provenance: str = ""
    source: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        what = f"economy {self.unit} {self.item}"
        if self.item in COUNT_ITEMS:
            if isinstance(self.year, bool) or not isinstance(self.year, int):
                raise ScenarioError(f"{what}: a count needs a year")
            object.__setattr__(self, "value", _positive(self.value, f"{what} value"))
        elif self.item in GROWTH_ITEMS:
            if self.year is not None:
                raise ScenarioError(f"{what}: a growth rate has no year")
            v = _finite(self.value, f"{what} value")
            if not -50 <= v <= 100:
                raise ScenarioError(f"{what}: growth must be between -50 and 100 % a year")
            object.__setattr__(self, "value", v)
        else:
            items = ", ".join(COUNT_ITEMS + GROWTH_ITEMS)
            raise ScenarioError(f"unknown economy item {self.item!r}; valid items: {items}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> EconomyFact:
        if not isinstance(d, Mapping):
            raise ScenarioError("an economy fact must be a JSON object")
        try:
            return cls(**dict(d))
        except TypeError as exc:
            raise ScenarioError(f"invalid economy fact: {exc}") from None


# --------------------------------------------------------------------------------------------
# Reading the two CSV files (strict; errors name file, line and column)
# --------------------------------------------------------------------------------------------


def _rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise SourceError(f"{path}: file is missing") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        missing = [c for c in columns if c not in header]
        if missing:
            raise SourceError(f"{path.name}, line 1: missing column(s) {', '.join(missing)}")
        out = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise SourceError(
                    f"{path.name}, line {reader.line_num}: {len(row)} fields, header has {len(header)}"
                )
            out.append((reader.line_num, dict(zip(header, row, strict=True))))
    except csv.Error as exc:
        raise SourceError(f"{path.name}, line {reader.line_num}: {exc}") from None
    return out


def _cell(name: str, line: int, row: Mapping[str, str], col: str, kind: str) -> object:
    """One cell parsed as kind: str | num | opt_num | int | opt_int | yes_no | codes."""
    text = row[col].strip()
    try:
        if kind == "str":
            return text
        if kind == "codes":
            return tuple(c.strip() for c in text.split(";") if c.strip())
        if kind == "yes_no":
            if text not in ("yes", "no"):
                raise ValueError("expected yes or no")
            return text == "yes"
        if kind.startswith("opt_") and text == "":
            return None
        if kind.endswith("int"):
            return int(text) if text else 0
        return float(text)
    except ValueError as exc:
        raise SourceError(f"{name}, line {line}, column {col}: {text!r}: {exc}") from None


_LEVER_KINDS = {
    "moveable": "yes_no",
    "cost_million_vnd_per_item": "opt_num",
    "per": "opt_num",
    "saturation_raw": "opt_num",
    "lag_years": "int",
    "max_change_per_year_raw": "opt_num",
    "also_counts_in": "codes",
}


def load_levers(path: Path | None = None) -> tuple[Lever, ...]:
    path = path or paths.sources_dir() / LEVERS_FILE
    levers, seen = [], set()
    for line, row in _rows(path, LEVER_COLUMNS):
        kw = {c: _cell(path.name, line, row, c, _LEVER_KINDS.get(c, "str")) for c in LEVER_COLUMNS}
        if kw["code"] in seen:
            raise SourceError(f"{path.name}, line {line}, column code: {kw['code']} appears twice")
        seen.add(kw["code"])
        try:
            levers.append(Lever(**kw))
        except ScenarioError as exc:
            raise SourceError(f"{path.name}, line {line}: {exc}") from None
    return tuple(levers)


def load_economy(path: Path | None = None) -> tuple[EconomyFact, ...]:
    path = path or paths.sources_dir() / ECONOMY_FILE
    kinds = {"year": "opt_int", "value": "num"}
    facts = []
    for line, row in _rows(path, ECONOMY_COLUMNS):
        kw = {c: _cell(path.name, line, row, c, kinds.get(c, "str")) for c in ECONOMY_COLUMNS}
        try:
            facts.append(EconomyFact(**kw))
        except ScenarioError as exc:
            raise SourceError(f"{path.name}, line {line}: {exc}") from None
    return tuple(facts)


# --------------------------------------------------------------------------------------------
# Assumptions: one named, editable set (JSON round-trip; the workspace stores it later)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assumptions:
    levers: tuple[Lever, ...]
    economy: tuple[EconomyFact, ...]
    unit: str = "bac-giang"
    edition: int = 2023
    budget_bn_per_year: float = 50.0  # extra money in year 1, billion VND
    budget_growth_pct: float = 10.0  # per year
    horizon_year: int = 2030
    peers: str = "static"  # static | drift:POINTS (per year) | trend
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "levers", tuple(self.levers))
        object.__setattr__(self, "economy", tuple(self.economy))
        if not isinstance(self.unit, str) or not self.unit:
            raise ScenarioError("unit must be a non-empty slug")
        if isinstance(self.edition, bool) or not isinstance(self.edition, int):
            raise ScenarioError("edition must be a year")
        b = _finite(self.budget_bn_per_year, "budget (billion VND per year)")
        if b < 0:
            raise ScenarioError("budget must not be negative")
        g = _finite(self.budget_growth_pct, "budget growth (% per year)")
        if not -50 <= g <= 100:
            raise ScenarioError("budget growth must be between -50 and 100 % a year")
        object.__setattr__(self, "budget_bn_per_year", b)
        object.__setattr__(self, "budget_growth_pct", g)
        h = self.horizon_year
        if isinstance(h, bool) or not isinstance(h, int) or not 0 < h - self.edition <= 20:
            raise ScenarioError(f"horizon must be a year after {self.edition}, within 20 years")
        if not isinstance(self.peers, str) or not _PEERS.match(self.peers):
            raise ScenarioError(f"peers must be static, trend or drift:POINTS, not {self.peers!r}")
        self._check_levers()

    def _check_levers(self) -> None:
        codes = [lv.code for lv in self.levers]
        if len(set(codes)) != len(codes):
            raise ScenarioError("each indicator code may have one lever only")
        by_code = {lv.code: lv for lv in self.levers}
        for lv in self.levers:
            for c in lv.also_counts_in if lv.moveable else ():
                target = by_code.get(c)
                if target is None:
                    raise ScenarioError(f"lever {lv.code}: also_counts_in {c} has no lever")
                # a non-moveable target simply receives nothing
                if target.moveable and (
                    target.basis != "exact" or target.response != "linear" or not target.flow
                ):
                    raise ScenarioError(
                        f"lever {lv.code}: also_counts_in {c} must be an exact spending ratio "
                        "(basis exact, linear, flow)"
                    )

    # --- construction ------------------------------------------------------------------------
    @classmethod
    def default(cls, unit: str = "bac-giang", edition: int = 2023, **kw: object) -> Assumptions:
        """The lever table and the unit's economy as in data/sources."""
        economy = tuple(f for f in load_economy() if f.unit == unit)
        if not economy:
            raise ScenarioError(
                f"economy.csv has no rows for {unit!r}: its levers need population and GRDP "
                "(add them to data/sources/economy.csv)"
            )
        return cls(levers=load_levers(), economy=economy, unit=unit, edition=edition, **kw)

    def lever(self, code: str) -> Lever:
        for lv in self.levers:
            if lv.code == code:
                return lv
        raise ScenarioError(f"no lever for indicator {code!r}")

    def with_lever(self, code: str, **changes: object) -> Assumptions:
        """A copy with one lever edited (validated)."""
        new = replace(self.lever(code), **changes)
        return replace(self, levers=tuple(new if lv.code == code else lv for lv in self.levers))

    @property
    def years(self) -> int:
        return self.horizon_year - self.edition

    def budgets_bn(self, years: int | None = None) -> np.ndarray:
        """Budget of each year 1..years (billion VND), growing by budget_growth_pct."""
        t = np.arange(years or self.years)
        return self.budget_bn_per_year * (1.0 + self.budget_growth_pct / 100.0) ** t

    # --- economy -----------------------------------------------------------------------------
    def economy_value(self, item: str, year: int) -> float:
        """A count for this unit in a year: given, or projected from the last given year."""
        given = {
            f.year: f.value
            for f in self.economy
            if f.unit == self.unit and f.item == item and f.year is not None
        }
        if not given:
            raise ScenarioError(f"economy.csv has no {item} for {self.unit}")
        if year in given:
            return given[year]
        earlier = [y for y in given if y <= year]
        y0 = max(earlier) if earlier else min(given)
        rate = self._growth(GROWTH_OF.get(item, "population_growth_pct"))
        return given[y0] * (1.0 + rate / 100.0) ** (year - y0)

    def _growth(self, item: str | None) -> float:
        if item is None:
            return 0.0
        for f in self.economy:
            if f.unit == self.unit and f.item == item:
                return f.value
        raise ScenarioError(f"economy.csv has no {item} for {self.unit} (needed to project)")

    # --- serialisation (never pickle or eval) ------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "unit": self.unit,
            "edition": self.edition,
            "budget_bn_per_year": self.budget_bn_per_year,
            "budget_growth_pct": self.budget_growth_pct,
            "horizon_year": self.horizon_year,
            "peers": self.peers,
            "levers": [lv.to_dict() for lv in self.levers],
            "economy": [f.to_dict() for f in self.economy],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, d: Mapping) -> Assumptions:
        if not isinstance(d, Mapping):
            raise ScenarioError("an assumption set must be a JSON object")
        levers, economy = d.get("levers"), d.get("economy")
        if not isinstance(levers, list) or not isinstance(economy, list):
            raise ScenarioError("an assumption set needs lists 'levers' and 'economy'")
        scalars = {k: d[k] for k in _SCALARS if k in d}
        return cls(
            levers=tuple(Lever.from_dict(x) for x in levers),
            economy=tuple(EconomyFact.from_dict(x) for x in economy),
            **scalars,
        )

    @classmethod
    def from_json(cls, text: str) -> Assumptions:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ScenarioError(f"not valid JSON: {exc.msg}") from None


_SCALARS = (
    "name",
    "unit",
    "edition",
    "budget_bn_per_year",
    "budget_growth_pct",
    "horizon_year",
    "peers",
)


# --------------------------------------------------------------------------------------------
# The prepared model: arrays for one unit, edition and number of years
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Model:
    a: Assumptions
    ed: Edition
    u: int  # the unit's row in the edition
    H: int  # years 1..H
    levers: tuple[Lever, ...]  # moveable, L; lever i moves indicator i (also_counts_in
    codes: tuple[str, ...]  # targets are levers too), so the indicators are I = L
    fw_ix: np.ndarray  # (I,) positions in the framework
    w: np.ndarray  # (I,) d PII / d score
    k: np.ndarray  # (I,) score points per raw unit
    base: np.ndarray  # (I,) baseline score
    head: np.ndarray  # (I,) score headroom to 100
    cap: np.ndarray  # (I,) raw change per year (inf: none)
    cost0: np.ndarray  # (L,) million VND per raw unit at the edition year's denominators
    rho: np.ndarray  # (L, H) denominator(edition) / denominator(year t): deflates spending
    A: np.ndarray  # (L, H, H) effective spending of year t from spending of year s
    start: np.ndarray  # (L, K) tranche starts, billion VND of deflated effective spending
    length: np.ndarray  # (L, K) tranche lengths (inf: linear)
    slope: np.ndarray  # (L, K) raw units per billion VND of deflated spending
    side: np.ndarray  # (I, L, H) raw units per billion VND spent that year (2.2.2, 2.2.3)

    @property
    def L(self) -> int:
        return len(self.levers)

    def lever_ix(self, code: str) -> int:
        for j, lv in enumerate(self.levers):
            if lv.code == code:
                return j
        raise ScenarioError(f"indicator {code} has no moveable lever")


def _denominator(a: Assumptions, lv: Lever, year: int) -> float:
    if not lv.denominator:
        return 1.0
    return a.economy_value(lv.denominator, year) * DENOMINATOR_FACTOR.get(lv.denominator, 1.0)


def _tranches(lv: Lever, cost0: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, length (billion VND of effective spending) and slope (raw per billion VND)."""
    length, slope = np.zeros(TRANCHES), np.zeros(TRANCHES)
    if lv.response == "linear":
        length[0], slope[0] = np.inf, MILLION_PER_BILLION / cost0
    else:
        step_raw = lv.saturation_raw / TRANCHES
        cost_j = cost0 * (1.0 + np.arange(TRANCHES))  # million VND per raw unit
        length[:] = step_raw * cost_j / MILLION_PER_BILLION
        slope[:] = MILLION_PER_BILLION / cost_j
    start = np.concatenate([[0.0], np.cumsum(length)[:-1]])
    return start, length, slope


def _lag_matrix(lv: Lever, H: int) -> np.ndarray:
    t, s = np.arange(H)[:, None], np.arange(H)[None, :]
    if lv.flow:
        return (s == t - lv.lag_years).astype(float)
    return (s <= t - lv.lag_years).astype(float)


def _prepare(a: Assumptions, ed: Edition, H: int) -> _Model:
    if a.edition != ed.year:
        raise ScenarioError(f"the assumptions are for edition {a.edition}, data are {ed.year}")
    if a.unit not in ed.slugs:
        raise ScenarioError(f"unknown unit {a.unit!r}; valid units: {', '.join(ed.slugs)}")
    fw, u = ed.framework, ed.unit_index(a.unit)
    unknown = [lv.code for lv in a.levers if lv.code not in fw.index]
    if unknown:
        raise ScenarioError(f"lever code(s) {', '.join(unknown)} not in edition {ed.year}")
    # A lever on an indicator the unit has no value for cannot be evaluated: left out.
    levers = tuple(
        lv for lv in a.levers if lv.moveable and not np.isnan(ed.scores[u, fw.index[lv.code]])
    )
    codes = tuple(lv.code for lv in levers)
    fw_ix = np.array([fw.index[c] for c in codes], dtype=np.intp)
    years = [ed.year + t for t in range(1, H + 1)]
    cost0 = np.array(
        [lv.cost_million_vnd_per_item * _denominator(a, lv, ed.year) / lv.per for lv in levers]
    )
    rho = np.array(
        [[_denominator(a, lv, ed.year) / _denominator(a, lv, y) for y in years] for lv in levers]
    ).reshape(len(levers), H)
    tr = [_tranches(lv, c) for lv, c in zip(levers, cost0, strict=True)]
    L = len(levers)
    side = np.zeros((L, L, H))
    for j, lv in enumerate(levers):
        for c in lv.also_counts_in:
            if c in codes:
                i = codes.index(c)
                side[i, j] = tr[i][2][0] * rho[i]
    span = ed.hi[fw_ix] - ed.lo[fw_ix]
    base = ed.scores[u, fw_ix]
    caps = [lv.max_change_per_year_raw for lv in levers]
    return _Model(
        a=a,
        ed=ed,
        u=u,
        H=H,
        levers=levers,
        codes=codes,
        fw_ix=fw_ix,
        w=effective_weights_for(ed, ed.scores[u])[fw_ix],
        k=100.0 / span,
        base=base,
        head=np.maximum(100.0 - base, 0.0),
        cap=np.array([np.inf if c is None else c for c in caps]),
        cost0=cost0,
        rho=rho,
        A=np.array([_lag_matrix(lv, H) for lv in levers]).reshape(L, H, H),
        start=np.array([t[0] for t in tr]).reshape(L, TRANCHES),
        length=np.array([t[1] for t in tr]).reshape(L, TRANCHES),
        slope=np.array([t[2] for t in tr]).reshape(L, TRANCHES),
        side=side,
    )


# --------------------------------------------------------------------------------------------
# Forward simulation (exact) and evaluation by the engine
# --------------------------------------------------------------------------------------------


def _forward(md: _Model, X: np.ndarray) -> np.ndarray:
    """Spending X (S, L, H) in billion VND per year -> raw improvement D (S, I, H)."""
    # effective spending deflated to the edition year's denominator: the curve is in raw units
    E = np.einsum("lts,bls->blt", md.A, X) * md.rho[None]
    part = np.clip(E[..., None] - md.start[None, :, None, :], 0.0, md.length[None, :, None, :])
    gain = (part * md.slope[None, :, None, :]).sum(-1)
    total = gain + np.einsum("ilt,blt->bit", md.side, X)
    D = np.empty_like(total)
    prev = np.zeros(total.shape[:2])
    for t in range(md.H):  # an indicator rises at most `cap` a year
        prev = np.minimum(total[..., t], prev + md.cap)
        D[..., t] = prev
    return D


def _peer_delta(md: _Model, t: int, trend: np.ndarray | None) -> np.ndarray | None:
    """How every other unit has moved by year t (score points), per the peers assumption."""
    peers = md.a.peers
    if peers == "static":
        return None
    if peers == "trend":
        if trend is None:
            raise ScenarioError("peers 'trend' needs the yearly trend of the other units")
        return trend * t
    return np.full(md.ed.scores.shape, float(peers.split(":", 1)[1]) * t)


def _evaluate(
    md: _Model, D: np.ndarray, trend: np.ndarray | None = None, years: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """PII and rank (S, len(years)) of the unit through the engine, frozen goalposts."""
    years = list(range(md.H)) if years is None else list(years)
    S, m = D.shape[0], md.ed.framework.m
    T = np.full((S, len(years), m), np.nan)
    T[:, :, md.fw_ix] = (md.base[None, :, None] + D[:, :, years] * md.k[None, :, None]).transpose(
        0, 2, 1
    )
    if md.a.peers == "static":
        agg, _, _ = evaluate_targets(md.ed, md.u, T.reshape(-1, m))
        shape = (S, len(years))
        return agg.pii[:, md.u].reshape(shape), agg.rank[:, md.u].reshape(shape)
    pii, rank = np.empty((S, len(years))), np.empty((S, len(years)), dtype=int)
    for c, t in enumerate(years):
        agg, _, _ = evaluate_targets(md.ed, md.u, T[:, c], peer_delta=_peer_delta(md, t + 1, trend))
        pii[:, c], rank[:, c] = agg.pii[:, md.u], agg.rank[:, md.u]
    return pii, rank


# --------------------------------------------------------------------------------------------
# The linear programme
# --------------------------------------------------------------------------------------------


class _LP:
    """Variables: z (L x J) decisions in billion VND a year; e (L x H x K) tranche fills;
    D (I x H) score gains. Spending of year t is X = P @ z (P: H x J)."""

    def __init__(self, md: _Model, P: np.ndarray, budgets: np.ndarray | None) -> None:
        self.md, self.P = md, P
        L, H, J = md.L, md.H, P.shape[1]
        self.nz, self.ne, self.nd = L * J, L * H * TRANCHES, L * H
        self.n = self.nz + self.ne + self.nd
        self.rows: list[tuple[list[int], list[float], float]] = []
        self._build(budgets)

    def z(self, l: int, j: int) -> int:  # noqa: E741
        return l * self.P.shape[1] + j

    def e(self, l: int, t: int, k: int) -> int:  # noqa: E741
        return self.nz + (l * self.md.H + t) * TRANCHES + k

    def d(self, i: int, t: int) -> int:
        return self.nz + self.ne + i * self.md.H + t

    def _spend(self, l: int, t: int, coef: float) -> tuple[list[int], list[float]]:  # noqa: E741
        """Column entries for coef * spending of lever l in year t."""
        J = self.P.shape[1]
        js = [j for j in range(J) if self.P[t, j]]
        return [self.z(l, j) for j in js], [coef * self.P[t, j] for j in js]

    def _build(self, budgets: np.ndarray | None) -> None:
        md, H = self.md, self.md.H
        G = np.einsum("lts,sj->ltj", md.A, self.P)  # effective spending per decision
        for t in range(H if budgets is not None else 0):
            cols, vals = [], []
            for l in range(md.L):  # noqa: E741
                c, v = self._spend(l, t, 1.0)
                cols += c
                vals += v
            self.rows.append((cols, vals, float(budgets[t])))
        for l in range(md.L):  # noqa: E741
            for t in range(H):
                cols = [self.e(l, t, k) for k in range(TRANCHES)]
                vals = [1.0] * TRANCHES
                js = np.nonzero(G[l, t])[0]
                cols += [self.z(l, j) for j in js]
                vals += [-md.rho[l, t] * G[l, t, j] for j in js]
                self.rows.append((cols, vals, 0.0))
        for i in range(md.L):
            for t in range(H):
                cols, vals = [self.d(i, t)], [1.0]
                for k in range(TRANCHES):
                    cols.append(self.e(i, t, k))
                    vals.append(-md.k[i] * md.slope[i, k])
                for l in np.nonzero(md.side[i, :, t])[0]:  # noqa: E741
                    c, v = self._spend(int(l), t, -md.k[i] * md.side[i, l, t])
                    cols += c
                    vals += v
                self.rows.append((cols, vals, 0.0))
                if np.isfinite(md.cap[i]) and t > 0:
                    self.rows.append(
                        ([self.d(i, t), self.d(i, t - 1)], [1.0, -1.0], md.k[i] * md.cap[i])
                    )
                elif np.isfinite(md.cap[i]):
                    self.rows.append(([self.d(i, t)], [1.0], md.k[i] * md.cap[i]))

    def bounds(self) -> list[tuple[float, float | None]]:
        md = self.md
        b: list[tuple[float, float | None]] = [(0.0, None)] * self.nz
        for l in range(md.L):  # noqa: E741
            for _t in range(md.H):
                b += [(0.0, None if np.isinf(x) else float(x)) for x in md.length[l]]
        for i in range(md.L):
            b += [(0.0, float(md.head[i]))] * md.H
        return b

    def gain_coef(self, weights: np.ndarray) -> np.ndarray:
        """Objective row: sum over years of weights[t] * PII gain in year t."""
        c = np.zeros(self.n)
        for i in range(self.md.L):
            for t in range(self.md.H):
                c[self.d(i, t)] = weights[t] * self.md.w[i]
        return c

    def spend_coef(self) -> np.ndarray:
        c = np.zeros(self.n)
        for l in range(self.md.L):  # noqa: E741
            for j in range(self.P.shape[1]):
                c[self.z(l, j)] = self.P[:, j].sum()
        return c

    def solve(self, c: np.ndarray, extra: list[tuple[np.ndarray, float]] = ()):
        rows = list(self.rows)
        ri, ci, vi, b = [], [], [], []
        for r, (cols, vals, rhs) in enumerate(rows):
            ri += [r] * len(cols)
            ci += cols
            vi += vals
            b.append(rhs)
        A = sparse.coo_matrix((vi, (ri, ci)), shape=(len(rows), self.n)).tocsr()
        if extra:
            A = sparse.vstack([A, sparse.csr_matrix(np.array([x for x, _ in extra]))]).tocsr()
            b += [rhs for _, rhs in extra]
        return linprog(c, A_ub=A, b_ub=np.array(b), bounds=self.bounds(), method="highs")

    def spending(self, x: np.ndarray) -> np.ndarray:
        """Decisions -> spending X (L, H) in billion VND a year, noise removed."""
        z = np.maximum(x[: self.nz].reshape(self.md.L, self.P.shape[1]), 0.0)
        X = z @ self.P.T
        return np.where(X < 1e-9, 0.0, X)


def _fit_budget(X: np.ndarray, budgets: np.ndarray | None) -> np.ndarray:
    """Scale a year's spending down if the solver overshot its budget by its tolerance."""
    if budgets is None:
        return X
    total = X.sum(axis=0)
    over = total > budgets
    X = X.copy()
    X[:, over] *= budgets[over] / total[over]
    return X


def _max_pii(
    md: _Model, P: np.ndarray, budgets: np.ndarray | None, weights: np.ndarray
) -> np.ndarray:
    """Maximise the weighted PII gain, then spend as little as gives that gain."""
    lp = _LP(md, P, budgets)
    gain = lp.gain_coef(weights)
    first = lp.solve(-gain)
    if first.status != 0:
        raise ScenarioError(f"the optimiser failed: {first.message}")
    best = -first.fun
    floor = best - 1e-9 * max(1.0, abs(best))
    second = lp.solve(lp.spend_coef(), [(-gain, -floor)])
    x = second.x if second.status == 0 else first.x
    return _fit_budget(lp.spending(x), budgets)


def _min_cost(
    md: _Model, P: np.ndarray, budgets: np.ndarray | None, pii_gain: float
) -> np.ndarray | None:
    """Cheapest spending whose final-year PII gain is at least pii_gain; None if out of reach."""
    lp = _LP(md, P, budgets)
    weights = np.zeros(md.H)
    weights[-1] = 1.0
    res = lp.solve(lp.spend_coef(), [(-lp.gain_coef(weights), -pii_gain)])
    if res.status == 2:
        return None
    if res.status != 0:
        raise ScenarioError(f"the optimiser failed: {res.message}")
    return _fit_budget(lp.spending(res.x), budgets)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeverResult:
    code: str
    lever_vi: str
    lever_en: str
    spend_bn: float  # billion VND a year
    delta_raw: float  # in the indicator's unit, final year
    delta_score: float  # score points that count (capped at 100), final year
    delta_pii: float


@dataclass(frozen=True)
class Allocation:
    """A constant yearly allocation and what it buys at the end of `years` (engine-evaluated)."""

    unit: str
    edition: int
    years: int
    objective: str  # pii | rank | rule name
    budget_bn: float | None  # billion VND a year; None: no ceiling
    target_rank: int | None
    levers: tuple[LeverResult, ...]  # levers with spending or a change
    spent_bn: float  # billion VND a year
    pii: float
    rank: int
    baseline_pii: float
    baseline_rank: int

    def spend_map(self) -> dict[str, float]:
        return {r.code: r.spend_bn for r in self.levers if r.spend_bn > 0}

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "edition": self.edition,
            "years": self.years,
            "objective": self.objective,
            "budget": self.budget_bn,
            "target_rank": self.target_rank,
            "allocation": [
                {
                    "code": r.code,
                    "lever": r.lever_en,
                    "spend": r.spend_bn,
                    "delta_raw": r.delta_raw,
                    "delta_score": r.delta_score,
                    "delta_pii": r.delta_pii,
                }
                for r in self.levers
            ],
            "spent": self.spent_bn,
            "unspent": None if self.budget_bn is None else max(self.budget_bn - self.spent_bn, 0),
            "pii": self.pii,
            "rank": self.rank,
            "baseline": {"pii": self.baseline_pii, "rank": self.baseline_rank},
            "units": {
                "spend": "billion VND per year",
                "budget": "billion VND per year",
                "delta_raw": "indicator's own unit",
                "delta_score": "score points (0-100)",
            },
        }


def _lever_results(md: _Model, X: np.ndarray, D: np.ndarray, t: int) -> tuple[LeverResult, ...]:
    """Per lever: spending of year 1 (constant allocations) and the change in year t."""
    direction = md.ed.framework.direction[md.fw_ix]
    score = np.minimum(D[:, t] * md.k, md.head)
    out = []
    for i, lv in enumerate(md.levers):
        if X[i, 0] <= 0 and D[i, t] <= 1e-12:
            continue
        out.append(
            LeverResult(
                lv.code,
                lv.lever_vi,
                lv.lever_en,
                float(X[i, 0]),
                float(D[i, t] * direction[i]),
                float(score[i]),
                float(md.w[i] * score[i]),
            )
        )
    return tuple(out)


def _allocations(
    md: _Model,
    Xs: np.ndarray,
    objective: Sequence[str],
    budget_bn: float | None,
    target_rank: int | None,
    trend: np.ndarray | None,
) -> list[Allocation]:
    """Evaluate S constant allocations Xs (S, L, H) at the final year, in one engine call."""
    D = _forward(md, Xs)
    pii, rank = _evaluate(md, D, trend, years=[md.H - 1])
    b = md.ed.baseline()
    return [
        Allocation(
            unit=md.a.unit,
            edition=md.ed.year,
            years=md.H,
            objective=objective[s],
            budget_bn=budget_bn,
            target_rank=target_rank,
            levers=_lever_results(md, Xs[s], D[s], md.H - 1),
            spent_bn=float(Xs[s, :, 0].sum()),
            pii=float(pii[s, 0]),
            rank=int(rank[s, 0]),
            baseline_pii=float(b.pii[md.u]),
            baseline_rank=int(b.rank[md.u]),
        )
        for s in range(Xs.shape[0])
    ]


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def _check_years(years: int) -> int:
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 20:
        raise ScenarioError(f"years must be a whole number 1-20, got {years!r}")
    return years


def _check_budget(budget_bn: float | None) -> float | None:
    if budget_bn is None:
        return None
    b = _finite(budget_bn, "budget (billion VND per year)")
    if b < 0:
        raise ScenarioError("budget must not be negative")
    return b


def rank_threshold(
    a: Assumptions, ed: Edition, target_rank: int, years: int = 1, trend=None
) -> float:
    """The PII (2 decimals, as ranks are computed) the unit needs for `target_rank` in year
    `years`, given how the other units move."""
    md = _prepare(a, ed, _check_years(years))
    if isinstance(target_rank, bool) or not isinstance(target_rank, int):
        raise ScenarioError("target rank must be a whole number")
    if not 1 <= target_rank <= ed.n - 1:
        raise ScenarioError(f"target rank must be between 1 and {ed.n - 1}")
    t = np.full((1, ed.framework.m), np.nan)
    agg, _, _ = evaluate_targets(ed, md.u, t, peer_delta=_peer_delta(md, years, trend))
    others = np.delete(agg.pii[0], md.u)
    return float(np.round(np.sort(others)[::-1][target_rank - 1], 2))


def optimize(
    a: Assumptions,
    ed: Edition,
    *,
    budget_bn: float | None = None,
    years: int = 1,
    objective: str = "pii",
    target_rank: int | None = None,
    trend: np.ndarray | None = None,
) -> Allocation:
    """The best constant yearly allocation over `years` (effects measured in the last year).

    objective "pii": maximise the PII under `budget_bn` a year (default: the assumptions').
    objective "rank": reach `target_rank` at least cost; `budget_bn` (optional) is a ceiling.
    """
    if objective not in OBJECTIVES:
        raise ScenarioError(f"objective must be one of {', '.join(OBJECTIVES)}")
    md = _prepare(a, ed, _check_years(years))
    P = np.ones((md.H, 1))  # the same spending every year
    if objective == "pii":
        budget = _check_budget(a.budget_bn_per_year if budget_bn is None else budget_bn)
        weights = np.zeros(md.H)
        weights[-1] = 1.0
        X = _max_pii(md, P, np.full(md.H, budget), weights)
        return _allocations(md, X[None], ["pii"], budget, None, trend)[0]
    if target_rank is None:
        raise ScenarioError("the rank objective needs a target rank")
    budget = _check_budget(budget_bn)
    return _reach_rank(md, P, budget, target_rank, trend)


def _reach_rank(
    md: _Model, P: np.ndarray, budget: float | None, target_rank: int, trend
) -> Allocation:
    need = rank_threshold(md.a, md.ed, target_rank, md.H, trend)
    zero = np.zeros((1, md.L, md.H))
    now = _allocations(md, zero, ["rank"], budget, target_rank, trend)[0]
    if now.rank <= target_rank:
        return now
    budgets = None if budget is None else np.full(md.H, budget)
    # a hair above the threshold so the engine's own rounding agrees
    X = _min_cost(md, P, budgets, need - now.pii + 1e-6)
    if X is None:
        ceiling = budgets if budgets is not None else np.full(md.H, 1e7)
        weights = np.zeros(md.H)
        weights[-1] = 1.0
        best = _allocations(
            md, _max_pii(md, P, ceiling, weights)[None], ["pii"], budget, None, trend
        )[0]
        money = "" if budget is None else f" with {budget:g} billion VND a year"
        raise ScenarioError(
            f"rank {target_rank} (PII {need:.2f}) is out of reach{money} in {md.H} year(s) "
            f"under the levers' caps and lags; the best reachable is rank {best.rank} "
            f"(PII {best.pii:.2f})"
        )
    return _allocations(md, X[None], ["rank"], budget, target_rank, trend)[0]


def evaluate_allocation(
    a: Assumptions,
    ed: Edition,
    spend_bn: Mapping[str, float],
    *,
    years: int = 1,
    trend: np.ndarray | None = None,
) -> Allocation:
    """What a given constant allocation (billion VND a year per lever code) buys."""
    md = _prepare(a, ed, _check_years(years))
    X = np.zeros((1, md.L, md.H))
    for code, v in spend_bn.items():
        X[0, md.lever_ix(code)] = _check_budget(v)
    return _allocations(md, X, ["given"], None, None, trend)[0]


def eligible_levers(a: Assumptions, ed: Edition, years: int = 1) -> list[str]:
    """Moveable levers whose effect shows within `years` (lag < years)."""
    md = _prepare(a, ed, _check_years(years))
    return [lv.code for lv in md.levers if lv.lag_years < years]


def rules(
    a: Assumptions,
    ed: Edition,
    budget_bn: float | None = None,
    years: int = 1,
    trend: np.ndarray | None = None,
) -> dict[str, Allocation]:
    """Simple rules for the same money: 'equal' split over the eligible levers, and
    'single:CODE' (everything on one lever) for each of them."""
    md = _prepare(a, ed, _check_years(years))
    budget = _check_budget(a.budget_bn_per_year if budget_bn is None else budget_bn)
    ix = [j for j, lv in enumerate(md.levers) if lv.lag_years < years]
    if not ix:
        raise ScenarioError(f"no lever shows an effect within {years} year(s)")
    Xs = np.zeros((len(ix) + 1, md.L, md.H))
    Xs[0, ix] = budget / len(ix)
    for s, j in enumerate(ix, start=1):
        Xs[s, j] = budget
    names = ["equal"] + [f"single:{md.levers[j].code}" for j in ix]
    return dict(zip(names, _allocations(md, Xs, names, budget, None, trend), strict=True))


def marginal_pii_per_billion(
    a: Assumptions,
    ed: Edition,
    spend_bn: Mapping[str, float] | Allocation | None = None,
    *,
    years: int = 1,
    step_bn: float = 1e-3,
    trend: np.ndarray | None = None,
) -> dict[str, float]:
    """PII gained per extra billion VND a year on each lever, at a constant allocation
    (right derivative: 0 where a cap, the saturation or a score of 100 binds)."""
    if isinstance(spend_bn, Allocation):
        spend_bn = spend_bn.spend_map()
    md = _prepare(a, ed, _check_years(years))
    X = np.zeros((md.L + 1, md.L, md.H))
    for code, v in (spend_bn or {}).items():
        X[:, md.lever_ix(code)] = _check_budget(v)
    X[1 + np.arange(md.L), np.arange(md.L)] += step_bn
    pii, _ = _evaluate(md, _forward(md, X), trend, years=[md.H - 1])
    return {lv.code: float((pii[1 + j, 0] - pii[0, 0]) / step_bn) for j, lv in enumerate(md.levers)}


def lever_table(a: Assumptions, ed: Edition) -> list[dict]:
    """Every lever with its cost for this unit in year 1 (edition + 1): million VND per raw
    unit and per score point, and PII per billion VND for the first billion (no lag or cap)."""
    md = _prepare(a, ed, 1)
    out = []
    for lv in a.levers:
        row = {"code": lv.code, "lever_vi": lv.lever_vi, "lever_en": lv.lever_en}
        row |= {"moveable": lv.moveable, "basis": lv.basis, "note": lv.note}
        if lv.moveable and lv.code in md.codes:
            i = md.codes.index(lv.code)
            per_raw = md.cost0[i] / md.rho[i, 0]
            row |= {
                "unit_cost_million_vnd_per_raw": float(per_raw),
                "million_vnd_per_score_point": float(per_raw / md.k[i]),
                "pii_per_billion_first": float(md.w[i] * md.k[i] * MILLION_PER_BILLION / per_raw),
                "lag_years": lv.lag_years,
                "max_change_per_year_raw": lv.max_change_per_year_raw,
                "persistence": lv.persistence,
                "response": lv.response,
            }
        out.append(row)
    return out


# --------------------------------------------------------------------------------------------
# The path to the horizon
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathYear:
    year: int
    budget_bn: float
    spent_bn: float
    spend_bn: Mapping[str, float]  # per lever code, billion VND that year
    delta_score: Mapping[str, float]  # per indicator code, score points that count
    pii: float
    rank: int


@dataclass(frozen=True)
class BudgetPath:
    unit: str
    edition: int
    allocation: str  # optimal | equal | shares
    baseline_pii: float
    baseline_rank: int
    years: tuple[PathYear, ...]

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "edition": self.edition,
            "allocation": self.allocation,
            "baseline": {"pii": self.baseline_pii, "rank": self.baseline_rank},
            "years": [
                {
                    "year": y.year,
                    "budget": y.budget_bn,
                    "spent": y.spent_bn,
                    "spend": dict(y.spend_bn),
                    "delta_score": dict(y.delta_score),
                    "pii": y.pii,
                    "rank": y.rank,
                }
                for y in self.years
            ],
            "units": {"budget": "billion VND", "spend": "billion VND", "delta_score": "points"},
        }


def path(
    a: Assumptions,
    ed: Edition,
    *,
    allocation: str | Mapping[str, float] = "optimal",
    trend: np.ndarray | None = None,
) -> BudgetPath:
    """PII and rank year by year to the horizon, the budget growing each year.

    allocation "optimal": one linear programme over all years that maximises the sum of the
    yearly PIIs (every edition counts); "equal": an equal split over the moveable levers each
    year; a mapping {code: share}: fixed shares of each year's budget.
    """
    md = _prepare(a, ed, a.years)
    budgets = a.budgets_bn()
    if isinstance(allocation, Mapping):
        X, mode = _shares(md, allocation)[:, None] * budgets[None, :], "shares"
    elif allocation == "equal":
        X, mode = np.full((md.L, md.H), 1.0 / md.L) * budgets[None, :], "equal"
    elif allocation == "optimal":
        X, mode = _max_pii(md, np.eye(md.H), budgets, np.ones(md.H)), "optimal"
    else:
        raise ScenarioError("allocation must be 'optimal', 'equal' or a mapping of shares")
    D = _forward(md, X[None])
    pii, rank = _evaluate(md, D, trend)
    b = ed.baseline()
    return BudgetPath(
        unit=a.unit,
        edition=ed.year,
        allocation=mode,
        baseline_pii=float(b.pii[md.u]),
        baseline_rank=int(b.rank[md.u]),
        years=tuple(_path_year(md, X, D[0], t, budgets, pii[0], rank[0]) for t in range(md.H)),
    )


def _shares(md: _Model, shares: Mapping[str, float]) -> np.ndarray:
    s = np.zeros(md.L)
    for code, v in shares.items():
        s[md.lever_ix(code)] = _check_budget(v)
    if s.sum() <= 0:
        raise ScenarioError("the shares must add up to more than zero")
    return s / s.sum()


def _path_year(md: _Model, X, D, t: int, budgets, pii, rank) -> PathYear:
    score = np.minimum(D[:, t] * md.k, md.head)
    return PathYear(
        year=md.ed.year + t + 1,
        budget_bn=float(budgets[t]),
        spent_bn=float(X[:, t].sum()),
        spend_bn={lv.code: float(X[i, t]) for i, lv in enumerate(md.levers) if X[i, t] > 0},
        delta_score={c: float(score[i]) for i, c in enumerate(md.codes) if score[i] > 1e-12},
        pii=float(pii[t]),
        rank=int(rank[t]),
    )


# --------------------------------------------------------------------------------------------
# What the plan's targets cost
# --------------------------------------------------------------------------------------------


def _spend_for(md: _Model, i: int, delta_base_raw: float) -> float | None:
    """Effective spending (billion VND) that buys delta_base_raw; None beyond saturation."""
    left, spend = delta_base_raw, 0.0
    for length, slope in zip(md.length[i], md.slope[i], strict=True):
        if left <= 1e-12 or slope <= 0:
            break
        take = min(left, length * slope)
        spend, left = spend + take / slope, left - take
    return None if left > 1e-9 else spend


def _target_cost(md: _Model, code: str, target: float) -> dict:
    fw, u = md.ed.framework, md.u
    i_fw = fw.index[code]
    score = float(md.ed.scores[u, i_fw])
    goal = max(target, score)  # "≥ target": never below today's score
    span = md.ed.hi[i_fw] - md.ed.lo[i_fw]
    delta_raw = (goal - score) / 100.0 * span
    row = {"code": code, "score": score, "target": target, "delta_score": goal - score}
    row |= {"delta_raw": delta_raw * fw.direction[i_fw]}
    lv = next((x for x in md.a.levers if x.code == code), None)
    if lv is None or not lv.moveable or code not in md.codes:
        note = lv.note if lv else "no lever in budget_levers.csv"
        return row | {"moveable": False, "cost": None, "bottleneck": note}
    i = md.codes.index(code)
    deflated = _spend_for(md, i, delta_raw) if delta_raw > 0 else 0.0
    cost = None if deflated is None else deflated / md.rho[i, 0]
    cap = lv.max_change_per_year_raw
    steps = 1 if not cap or delta_raw <= 0 else max(1, math.ceil(delta_raw / cap - 1e-9))
    return row | {
        "moveable": True,
        "cost": cost,
        "reachable": cost is not None,
        "persistence": lv.persistence,
        "lag_years": lv.lag_years,
        "years_needed": lv.lag_years + steps,
        "bottleneck": None if cost is not None else "beyond the lever's saturation level",
    }


def _overlap_bn(md: _Model, rows: list[dict]) -> float:
    """Money counted twice in the plain sum: spending on S&T levers already lifts 2.2.2."""
    cost = {r["code"]: r["cost"] for r in rows if r.get("cost")}
    overlap = 0.0
    for c, own in cost.items():
        side = sum(v for k, v in cost.items() if c in md.a.lever(k).also_counts_in)
        overlap += min(own, side)
    return overlap


def plan_cost(a: Assumptions, ed: Edition, plan: Plan, trend: np.ndarray | None = None) -> dict:
    """Cost of meeting each plan target (year edition + 1 denominators), the plain total, the
    joint cost without double counting, what meeting the targets buys, and what the same money
    buys when optimised or split equally (one year, caps and lags honoured)."""
    if plan.unit != a.unit:
        raise ScenarioError(f"plan {plan.plan_id} is {plan.unit}'s plan, not {a.unit}'s")
    md = _prepare(a, ed, 1)
    rows = []
    for t in plan.targets:
        row = _target_cost(md, t.code, t.target)
        rows.append({"row": t.row, "lead_unit": t.lead_unit, **row})
    total = float(sum(r["cost"] for r in rows if r.get("cost") is not None))
    overlap = _overlap_bn(md, rows)
    return {
        "unit": a.unit,
        "edition": ed.year,
        "plan": plan.plan_id,
        "year": ed.year + 1,
        "targets": rows,
        "total": total,
        "overlap": overlap,
        "joint": total - overlap,
        "buys": _plan_buys(md, rows, trend),
        "same_money": _same_money(a, ed, total - overlap, trend),
        "assumptions": _assumption_summary(md),
        "units": {"cost": "billion VND (flow: per year; stock: once)", "delta_raw": "own unit"},
    }


def _plan_buys(md: _Model, rows: list[dict], trend) -> dict:
    fw, m = md.ed.framework, md.ed.framework.m
    T = np.full((2, m), np.nan)
    for r in rows:
        goal = r["score"] + r["delta_score"]
        T[1, fw.index[r["code"]]] = goal
        if r["moveable"] and r["cost"] is not None:
            T[0, fw.index[r["code"]]] = goal
    agg, _, _ = evaluate_targets(md.ed, md.u, T, peer_delta=_peer_delta(md, 1, trend))
    return {
        "moveable_targets": {"pii": float(agg.pii[0, md.u]), "rank": int(agg.rank[0, md.u])},
        "all_targets": {"pii": float(agg.pii[1, md.u]), "rank": int(agg.rank[1, md.u])},
    }


def _same_money(a: Assumptions, ed: Edition, budget_bn: float, trend) -> dict:
    best = optimize(a, ed, budget_bn=budget_bn, years=1, trend=trend)
    eq = rules(a, ed, budget_bn, 1, trend)["equal"]
    return {
        "budget": budget_bn,
        "optimised": {"pii": best.pii, "rank": best.rank},
        "equal_split": {"pii": eq.pii, "rank": eq.rank},
    }


def _assumption_summary(md: _Model) -> dict:
    a, year = md.a, md.ed.year + 1
    needed = sorted({lv.denominator for lv in md.levers if lv.denominator})
    given = {(f.item, f.year): f for f in a.economy}
    economy = []
    for item in needed:
        f = given.get((item, year))
        economy.append(
            {
                "item": item,
                "year": year,
                "value": a.economy_value(item, year),
                "provenance": f.provenance if f else "projected",  # by the growth rows
            }
        )
    return {
        "economy": economy,
        "levers_file": f"data/sources/{LEVERS_FILE}",
        "economy_file": f"data/sources/{ECONOMY_FILE}",
        "exact": [lv.code for lv in md.levers if lv.basis == "exact"],
        "assumed": [lv.code for lv in md.levers if lv.basis == "assumed"],
        "not_moveable": [lv.code for lv in a.levers if not lv.moveable],
    }


__all__ = [
    "Allocation",
    "Assumptions",
    "EconomyFact",
    "Lever",
    "BudgetPath",
    "LeverResult",
    "PathYear",
    "eligible_levers",
    "evaluate_allocation",
    "lever_table",
    "load_economy",
    "load_levers",
    "marginal_pii_per_billion",
    "optimize",
    "path",
    "plan_cost",
    "rank_threshold",
    "rules",
]
