"""Levers and economy facts: what one indicator's money buys, and the counts it is divided by.

Both are read strictly from data/sources/budget_levers.csv and economy.csv (UTF-8, every
required column, numbers where numbers belong); an error names the file, the line and the
column. Every error is a catalogue message (`budget.err_*`) with named parameters.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path

from model.estimates.sources import SourceError
from model.index.scenario import ScenarioError

from .. import paths
from ..i18n import Message, msg

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
    "note_vi",
    "note_en",
)
ECONOMY_COLUMNS = ("unit", "year", "item", "value", "measure", "provenance", "source", "note")

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
    "st_budget_billion_vnd",  # the province's S&T budget: shown and edited, divides nothing
)
GROWTH_ITEMS = ("grdp_growth_pct", "population_growth_pct")
# Projection beyond the last given year: GRDP with its own growth, communes fixed, every other
# count with the population (so an unchanged indicator keeps its meaning).
GROWTH_OF = {
    "grdp_billion_vnd": "grdp_growth_pct",
    "st_budget_billion_vnd": "grdp_growth_pct",  # a constant share of GRDP
    "communes": None,
}
BASES = ("exact", "assumed")
RESPONSES = ("linear", "diminishing")
PERSISTENCES = ("flow", "stock")
CODE = re.compile(r"^\d+\.\d+\.\d+$")


# --------------------------------------------------------------------------------------------
# Checked numbers (shared by the assumptions and the optimiser)
# --------------------------------------------------------------------------------------------


def finite(x: object, what: Message) -> float:
    """`x` as a float; ScenarioError naming `what` (a Message) if it is not a finite number."""
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        raise ScenarioError("budget.err_not_finite", what=what, value=repr(x))
    return float(x)


def positive(x: object, what: Message, optional: bool = False) -> float | None:
    if x is None and optional:
        return None
    v = finite(x, what)
    if v <= 0:
        raise ScenarioError("budget.err_not_positive", what=what, value=x)
    return v


def _field(code: str, name: str) -> Message:
    """'lever 2.1.2: cost_million_vnd_per_item' (a column name stays as it is in the CSV)."""
    return msg("budget.what_lever_field", code=code, field=name)


def _missing(cls: type, d: Mapping) -> list[str]:
    """The dataclass's required fields that `d` lacks."""
    return [
        f.name
        for f in fields(cls)
        if f.default is MISSING and f.default_factory is MISSING and f.name not in d
    ]


# --------------------------------------------------------------------------------------------
# Levers
# --------------------------------------------------------------------------------------------


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
    note_vi: str = ""  # what moves a bottleneck instead, or what the money buys
    note_en: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not CODE.match(self.code):
            raise ScenarioError("budget.err_lever_code", value=repr(self.code))
        object.__setattr__(self, "also_counts_in", tuple(self.also_counts_in))
        if not isinstance(self.moveable, bool):
            raise ScenarioError("budget.err_lever_moveable", code=self.code)
        if self.moveable:
            self._check_moveable()
        elif self.basis != "none":
            raise ScenarioError("budget.err_lever_basis_none", code=self.code)

    def _check_moveable(self) -> None:
        c = self.code
        for name, valid in (
            ("basis", BASES),
            ("response", RESPONSES),
            ("persistence", PERSISTENCES),
        ):
            if getattr(self, name) not in valid:
                raise ScenarioError(
                    "budget.err_lever_choice", code=c, field=name, valid=", ".join(valid)
                )
        if self.denominator and self.denominator not in COUNT_ITEMS:
            raise ScenarioError(
                "budget.err_lever_denominator",
                code=c,
                value=repr(self.denominator),
                valid=", ".join(COUNT_ITEMS),
            )
        cost = positive(self.cost_million_vnd_per_item, _field(c, "cost_million_vnd_per_item"))
        object.__setattr__(self, "cost_million_vnd_per_item", cost)
        object.__setattr__(self, "per", positive(self.per, _field(c, "per")))
        sat = positive(self.saturation_raw, _field(c, "saturation_raw"), optional=True)
        if self.response == "diminishing" and sat is None:
            raise ScenarioError("budget.err_lever_saturation", code=c)
        object.__setattr__(self, "saturation_raw", sat if self.response == "diminishing" else None)
        cap = positive(self.max_change_per_year_raw, _field(c, "max_change_per_year_raw"), True)
        object.__setattr__(self, "max_change_per_year_raw", cap)
        lag = self.lag_years
        if isinstance(lag, bool) or not isinstance(lag, int) or not 0 <= lag <= 10:
            raise ScenarioError("budget.err_lever_lag", code=c, value=repr(lag))
        for other in self.also_counts_in:
            if not isinstance(other, str) or not CODE.match(other) or other == self.code:
                raise ScenarioError("budget.err_lever_also", code=c, value=repr(other))

    @property
    def flow(self) -> bool:
        return self.persistence == "flow"

    def note(self, lang: str) -> str:
        """The note in the reader's language ("vi" or "en")."""
        return self.note_vi if lang == "vi" else self.note_en

    def to_dict(self) -> dict:
        d = asdict(self)
        d["also_counts_in"] = list(self.also_counts_in)
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> Lever:
        if not isinstance(d, Mapping):
            raise ScenarioError("budget.err_lever_not_object")
        kw = dict(d)
        if "note" in kw and "note_en" not in kw:  # a set saved before the notes had two languages
            kw["note_en"] = kw.pop("note")
        unknown = set(kw) - {f.name for f in fields(cls)}
        if unknown:
            raise ScenarioError("budget.err_lever_fields", fields=", ".join(sorted(unknown)))
        missing = _missing(cls, kw)
        if missing:
            raise ScenarioError("budget.err_lever_missing", fields=", ".join(missing))
        kw["also_counts_in"] = tuple(kw.get("also_counts_in") or ())
        try:
            return cls(**kw)
        except TypeError:  # a value of a type the checks cannot compare (a list for a code ...)
            raise ScenarioError("budget.err_lever_invalid", code=repr(kw.get("code"))) from None


# --------------------------------------------------------------------------------------------
# Economy facts
# --------------------------------------------------------------------------------------------


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
    note: str = ""  # a quote from the source (its language), not a sentence of the app

    def __post_init__(self) -> None:
        where = {"unit": self.unit, "item": self.item}
        what = msg("budget.what_economy_value", **where)
        if self.item in COUNT_ITEMS:
            if isinstance(self.year, bool) or not isinstance(self.year, int):
                raise ScenarioError("budget.err_economy_year", **where)
            object.__setattr__(self, "value", positive(self.value, what))
        elif self.item in GROWTH_ITEMS:
            if self.year is not None:
                raise ScenarioError("budget.err_economy_no_year", **where)
            v = finite(self.value, what)
            if not -50 <= v <= 100:
                raise ScenarioError("budget.err_economy_growth", **where)
            object.__setattr__(self, "value", v)
        else:
            raise ScenarioError(
                "budget.err_economy_item",
                item=repr(self.item),
                valid=", ".join(COUNT_ITEMS + GROWTH_ITEMS),
            )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> EconomyFact:
        if not isinstance(d, Mapping):
            raise ScenarioError("budget.err_economy_not_object")
        unknown = set(d) - {f.name for f in fields(cls)}
        if unknown:
            raise ScenarioError("budget.err_economy_fields", fields=", ".join(sorted(unknown)))
        missing = _missing(cls, d)
        if missing:
            raise ScenarioError("budget.err_economy_missing", fields=", ".join(missing))
        try:
            return cls(**dict(d))
        except TypeError:
            raise ScenarioError("budget.err_economy_invalid") from None


# --------------------------------------------------------------------------------------------
# Reading the two CSV files (strict; errors name file, line and column)
# --------------------------------------------------------------------------------------------


def _rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise SourceError("budget.err_file_missing", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise SourceError("budget.err_file_utf8", path=str(path), byte=exc.start) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        missing = [c for c in columns if c not in header]
        if missing:
            raise SourceError("budget.err_file_columns", file=path.name, columns=", ".join(missing))
        out = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise SourceError(
                    "budget.err_file_fields",
                    file=path.name,
                    line=reader.line_num,
                    n=len(row),
                    header=len(header),
                )
            out.append((reader.line_num, dict(zip(header, row, strict=True))))
    except csv.Error:
        raise SourceError("budget.err_file_csv", file=path.name, line=reader.line_num) from None
    return out


# What a cell of each kind must hold, said when it does not.
_EXPECTED = {
    "yes_no": "budget.cell_yes_no",
    "int": "budget.cell_int",
    "opt_int": "budget.cell_int",
    "num": "budget.cell_number",
    "opt_num": "budget.cell_number",
}


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
                raise ValueError(text)
            return text == "yes"
        if kind.startswith("opt_") and text == "":
            return None
        if kind.endswith("int"):
            return int(text) if text else 0
        return float(text)
    except ValueError:
        raise SourceError(
            "budget.err_cell",
            file=name,
            line=line,
            column=col,
            value=repr(text),
            expected=msg(_EXPECTED[kind]),
        ) from None


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
        where = {"file": path.name, "line": line}
        if kw["code"] in seen:
            raise SourceError("budget.err_lever_twice", **where, code=kw["code"])
        seen.add(kw["code"])
        if bool(kw["note_vi"]) != bool(kw["note_en"]):  # a reader of either language sees it
            raise SourceError("budget.err_note_language", **where)
        try:
            levers.append(Lever(**kw))
        except ScenarioError as exc:
            raise SourceError("budget.err_file_line", **where, error=exc) from None
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
            raise SourceError(
                "budget.err_file_line", file=path.name, line=line, error=exc
            ) from None
    return tuple(facts)
