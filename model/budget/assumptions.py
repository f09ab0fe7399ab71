"""Assumptions: one named, editable set of levers, economy facts and budget settings.

It round-trips through JSON (never pickle or eval); the workspace stores it as named sets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from model.index.dataset import Edition
from model.index.scenario import ScenarioError

from ..i18n import msg
from .economy import unit_economy
from .levers import GROWTH_OF, EconomyFact, Lever, finite, load_levers

_PEERS = re.compile(r"^(static|trend|drift:(-?\d+(\.\d+)?))$")
_SCALARS = (
    "name",
    "unit",
    "edition",
    "budget_bn_per_year",
    "budget_growth_pct",
    "horizon_year",
    "peers",
)


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
            raise ScenarioError("budget.err_unit")
        if isinstance(self.edition, bool) or not isinstance(self.edition, int):
            raise ScenarioError("budget.err_edition")
        b = finite(self.budget_bn_per_year, msg("budget.what_budget"))
        if b < 0:
            raise ScenarioError("budget.err_budget_negative")
        g = finite(self.budget_growth_pct, msg("budget.what_growth"))
        if not -50 <= g <= 100:
            raise ScenarioError("budget.err_growth_range")
        object.__setattr__(self, "budget_bn_per_year", b)
        object.__setattr__(self, "budget_growth_pct", g)
        h = self.horizon_year
        if isinstance(h, bool) or not isinstance(h, int) or not 0 < h - self.edition <= 20:
            raise ScenarioError("budget.err_horizon", edition=self.edition)
        if not isinstance(self.peers, str) or not _PEERS.match(self.peers):
            raise ScenarioError("budget.err_peers", value=repr(self.peers))
        self._check_levers()

    def _check_levers(self) -> None:
        codes = [lv.code for lv in self.levers]
        if len(set(codes)) != len(codes):
            raise ScenarioError("budget.err_lever_duplicate")
        by_code = {lv.code: lv for lv in self.levers}
        for lv in self.levers:
            for c in lv.also_counts_in if lv.moveable else ():
                target = by_code.get(c)
                if target is None:
                    raise ScenarioError("budget.err_also_no_lever", code=lv.code, other=c)
                # a non-moveable target simply receives nothing
                if target.moveable and (
                    target.basis != "exact" or target.response != "linear" or not target.flow
                ):
                    raise ScenarioError("budget.err_also_exact", code=lv.code, other=c)

    # --- construction ------------------------------------------------------------------------
    @classmethod
    def default(
        cls, unit: str = "bac-giang", edition: int = 2023, ed: Edition | None = None, **kw: object
    ) -> Assumptions:
        """The lever table and the unit's economy: NSO's statistics for every unit of every
        edition, labelled estimates where no table has a figure (model.budget.economy); with
        the edition `ed`, also the province's S&T budget estimated from its indicator 2.2.2."""
        economy = unit_economy(unit, edition, ed)
        if not economy:
            raise ScenarioError("budget.err_no_economy", unit=unit)
        return cls(levers=load_levers(), economy=economy, unit=unit, edition=edition, **kw)

    def with_economy(self, item: str, year: int | None, value: float) -> Assumptions:
        """A copy with one economy figure typed by the user (provenance `user`); a count for a
        year, a growth rate with year None. Checked like every fact (ScenarioError)."""
        old = [f for f in self.economy if f.item == item and f.year == year]
        fact = EconomyFact(
            unit=self.unit,
            item=item,
            year=year,
            value=value,
            measure=old[0].measure if old else "",
            provenance="user",
            source="typed by the user",
        )
        kept = tuple(f for f in self.economy if not (f.item == item and f.year == year))
        return replace(self, economy=(*kept, fact))

    def economy_fact(self, item: str, year: int | None) -> EconomyFact | None:
        """The fact given for this item and year (None: projected or missing)."""
        return next((f for f in self.economy if f.item == item and f.year == year), None)

    def lever(self, code: str) -> Lever:
        for lv in self.levers:
            if lv.code == code:
                return lv
        raise ScenarioError("budget.err_no_lever", code=repr(code))

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
            raise ScenarioError("budget.err_no_economy_item", item=item, unit=self.unit)
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
        raise ScenarioError("budget.err_no_growth", item=item, unit=self.unit)

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
            raise ScenarioError("budget.err_set_not_object")
        levers, economy = d.get("levers"), d.get("economy")
        if not isinstance(levers, list) or not isinstance(economy, list):
            raise ScenarioError("budget.err_set_lists")
        scalars = {k: d[k] for k in _SCALARS if k in d}
        return cls(
            levers=_with_vietnamese_notes(tuple(Lever.from_dict(x) for x in levers)),
            economy=tuple(EconomyFact.from_dict(x) for x in economy),
            **scalars,
        )

    @classmethod
    def from_json(cls, text: str) -> Assumptions:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ScenarioError("budget.err_set_json", line=exc.lineno, column=exc.colno) from None


def _with_vietnamese_notes(levers: tuple[Lever, ...]) -> tuple[Lever, ...]:
    """A set saved before the notes had two languages has English notes only: its Vietnamese
    notes are those of the lever table where the English note is still the table's (notes are
    not edited on the page, so that is every such lever)."""
    if all(lv.note_vi or not lv.note_en for lv in levers):
        return levers
    shipped = {lv.code: lv for lv in load_levers()}
    out = []
    for lv in levers:
        known = shipped.get(lv.code)
        if not lv.note_vi and known is not None and known.note_en == lv.note_en:
            lv = replace(lv, note_vi=known.note_vi)
        out.append(lv)
    return tuple(out)
