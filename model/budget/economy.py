"""Every unit's economy for the budget, for every edition: the counts the levers divide by.

- From NSO's tables (data/sources/statistics.csv, the default rows of the edition's map: 63
  provinces for 2023/2024, the 34 units for 2025 from NSO's own back-cast and the sums of the
  parts): GRDP, population, employed persons, active and new firms (provenance `statistics`).
- What no table has (secondary students, learners, communes) is a labelled estimate: a
  national ratio per person times the unit's own population (provenance `estimate`). The ratios
  are those economy.csv assumed for Bắc Giang (its counts ÷ its assumed 1,910,000 people), the
  only basis in the sources, except the communes of the 34 units: 3,321 commune-level units
  after the 2025 reorganisation over NSO's national population. Each fact's source says which.
- The province's S&T budget (billion VND a year): the unit's own indicator 2.2.2 (local S&T
  spending, % of GRDP) of the edition times its GRDP, when the edition is given (`estimate`).
- Growth rates that project beyond the last NSO year: GRDP's last nominal growth, population's
  last yearly growth (provenance `assumption`).

NSO is the default for every unit (data/README.md, "Province statistics"); Bắc Giang's own
year-end figures in economy.csv stay visible beside it (`reported`), with the reason.
Every figure can be replaced by the one the user types (`Assumptions.with_economy`).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from model import paths
from model.estimates import statistics as st
from model.estimates.sources import read_statistics
from model.index.dataset import Edition

from .levers import EconomyFact, load_economy

# economy item -> (statistics.csv item, factor to the economy item's unit)
FROM_STATISTICS = {
    "grdp_billion_vnd": ("grdp_bn_vnd", 1.0),
    "population_persons": ("population_thousand", 1000.0),
    "employed_persons": ("employed_thousand", 1000.0),
    "active_firms": ("active_enterprises", 1.0),
    "new_firms_per_year": ("new_enterprises", 1.0),
}
FROM_RATIO = ("secondary_students", "learners", "communes")
RATIO_BASIS = ("bac-giang", 2023, "population_persons")  # economy.csv's assumed population
# After the 1 July 2025 reorganisation (the 34-unit map): 3,321 commune-level units (communes,
# wards, special zones) for the country, over NSO's national population of the same year.
COMMUNES_2025 = (
    3321,
    "https://dientuungdung.vn/tra-cuu-chi-tiet-3321-phuong-xa-dac-khu-cua-34-tinh-thanh-pho-sau-sap-xep-10143-10143.html",
)
ST_BUDGET = "st_budget_billion_vnd"
ST_SHARE_CODE = "2.2.2"  # local S&T budget spending, % of GRDP
# The economy shown and edited on the Budget page.
SHOWN = ("grdp_billion_vnd", "grdp_growth_pct", "population_persons", ST_BUDGET)


@lru_cache(maxsize=4)
def _table(path: Path, mtime: float) -> st.Table:
    del mtime  # part of the cache key: an edited file is read again
    return st.Table(read_statistics(path))


def table() -> st.Table:
    """statistics.csv of data/sources, read strictly (SourceError naming the line)."""
    d = paths.sources_dir()
    return _table(d, (d / st.FILE).stat().st_mtime)


def _source(t: st.Table, map_: str, unit: str, item: str, year: int) -> str:
    row = t.row(map_, unit, item, year)
    if row is None:
        return ""
    return f"statistics.csv ({row['status']}, NSO {row['vintage']}): {row['source']}"


def _from_statistics(t: st.Table, map_: str, unit: str) -> list[EconomyFact]:
    facts = []
    for item, (stat_item, factor) in FROM_STATISTICS.items():
        for year in t.years(map_, unit, stat_item):
            facts.append(
                EconomyFact(
                    unit=unit,
                    item=item,
                    year=year,
                    value=t.get(map_, unit, stat_item, year) * factor,
                    measure=str(t.row(map_, unit, stat_item, year)["unit_of_measure"]),
                    provenance="statistics",
                    source=_source(t, map_, unit, stat_item, year),
                )
            )
    return facts


def _last(facts: list[EconomyFact], item: str) -> tuple[int, float] | None:
    given = sorted((f.year, f.value) for f in facts if f.item == item)
    return given[-1] if given else None


def _growth(facts: list[EconomyFact], item: str, growth_item: str, unit: str) -> EconomyFact:
    """The last yearly growth of a count, assumed to continue (0 when a year is missing)."""
    given = dict(sorted((f.year, f.value) for f in facts if f.item == item))
    years = sorted(given)
    rate = 0.0
    if len(years) >= 2 and years[-1] - years[-2] == 1:
        rate = (given[years[-1]] / given[years[-2]] - 1.0) * 100.0
    return EconomyFact(
        unit=unit,
        item=growth_item,
        year=None,
        value=round(max(-50.0, min(100.0, rate)), 2),
        measure="% per year",
        provenance="assumption",
        source=f"assumption: NSO's {years[-2] if len(years) > 1 else ''}-{years[-1]} growth "
        f"of {item} in statistics.csv continues",
    )


def ratios() -> dict[str, tuple[float, str]]:
    """Per-person national ratios of the counts no table has: {item: (ratio, how)}."""
    rows = [f for f in load_economy() if f.unit == RATIO_BASIS[0] and f.year == RATIO_BASIS[1]]
    by_item = {f.item: f for f in rows}
    people = by_item[RATIO_BASIS[2]].value
    return {
        item: (
            by_item[item].value / people,
            f"{by_item[item].value:,.0f} / {people:,.0f} = {by_item[item].value / people:.5f} "
            f"per person (economy.csv, {RATIO_BASIS[0]} {RATIO_BASIS[1]}: {by_item[item].source})",
        )
        for item in FROM_RATIO
        if item in by_item
    }


def _communes_2025(t: st.Table, year: int) -> tuple[float, str]:
    """Communes per person after the 2025 reorganisation (3,321 over the national population)."""
    n, url = COMMUNES_2025
    people = t.national("population_thousand", year) * 1000.0
    return n / people, f"{n:,} / {people:,.0f} = {n / people:.7f} per person ({url}; NSO {year})"


def _from_ratios(facts: list[EconomyFact], unit: str, map_: str, t: st.Table) -> list[EconomyFact]:
    pop = _last(facts, "population_persons")
    if pop is None:
        return []
    year, people = pop
    out = []
    per_person = ratios()
    if map_ == "34":  # the 34 units' communes are those after the reorganisation
        per_person["communes"] = _communes_2025(t, year)
    for item, (ratio, how) in per_person.items():
        out.append(
            EconomyFact(
                unit=unit,
                item=item,
                year=year,
                value=round(ratio * people, 0),
                measure="estimate: national ratio x the unit's population",
                provenance="estimate",
                source=f"estimate: {how} x {people:,.0f} people (NSO {year})",
            )
        )
    return out


def st_budget(ed: Edition, unit: str, facts: list[EconomyFact]) -> EconomyFact | None:
    """The province's S&T budget (billion VND a year) from its indicator 2.2.2 of the edition
    (% of GRDP) and its GRDP of the edition's data year; None without either."""
    fw = ed.framework
    if ST_SHARE_CODE not in fw.index:
        return None
    i, u = fw.index[ST_SHARE_CODE], ed.unit_index(unit)
    share = float(ed.raw[u, i])
    year = ed.year - 1
    grdp = {f.year: f.value for f in facts if f.item == "grdp_billion_vnd"}.get(year)
    if grdp is None or not math.isfinite(share) or share <= 0:
        return None
    return EconomyFact(
        unit=unit,
        item=ST_BUDGET,
        year=year,
        value=round(share / 100.0 * grdp, 1),
        measure="billion VND a year",
        provenance="estimate",
        source=f"estimate: indicator {ST_SHARE_CODE} of edition {ed.year} "
        f"({share:.3f} % of GRDP, {ed.provenance[u, i]}) x GRDP {year} (NSO)",
    )


def unit_economy(unit: str, edition: int, ed: Edition | None = None) -> tuple[EconomyFact, ...]:
    """The economy facts of any unit of any edition (see the module doc); () for a unit that
    is not on the edition's map."""
    t = table()
    facts = _from_statistics(t, st.map_of(edition), unit)
    if not facts:
        return ()
    facts += _from_ratios(facts, unit, st.map_of(edition), t)
    facts.append(_growth(facts, "grdp_billion_vnd", "grdp_growth_pct", unit))
    facts.append(_growth(facts, "population_persons", "population_growth_pct", unit))
    if ed is not None and ed.year == edition and unit in ed.slugs:
        budget = st_budget(ed, unit, facts)
        if budget is not None:
            facts.append(budget)
    return tuple(facts)


def reported(unit: str, edition: int) -> list[dict]:
    """The province's own GRDP figures (economy.csv, `reported`) beside NSO's default, with the
    difference: kept visible, not used (NSO's figures supersede the year-end estimates)."""
    if st.map_of(edition) != "63":
        return []  # economy.csv's figures are of a pre-2025 province
    t = table()
    out = []
    for f in load_economy():
        if f.unit != unit or f.item != "grdp_billion_vnd" or f.provenance != "reported":
            continue
        nso = t.get("63", unit, "grdp_bn_vnd", f.year)
        if math.isfinite(nso):
            out.append(
                {
                    "year": f.year,
                    "reported": f.value,
                    "statistics": nso,
                    "difference_pct": (nso / f.value - 1.0) * 100.0,
                    "source": f.source,
                    "note": f.note,
                }
            )
    return out
