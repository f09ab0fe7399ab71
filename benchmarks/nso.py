"""Province statistics (issue 21): reading statistics.csv, the indicators computed from it for
every edition, and one unit's economy for the budget. No issue sets a target: report only. The
build itself (the "build the reference database" row) includes all three since issue 21.

`python -m benchmarks --only statistics` runs them (the module is not named statistics: it
would hide the standard library's statistics in benchmarks/__init__.py).
"""

from __future__ import annotations

from benchmarks import register

NO_TARGET = "no target in the issues: report only"


@register(
    "statistics: read and check statistics.csv (6,990 rows)",
    target_ms=None,
    source=NO_TARGET + " (model.estimates.sources.read_statistics)",
    runs=10,
    quick_runs=3,
    warmup=1,
)
def _read():
    from model import paths
    from model.estimates.sources import read_statistics

    return lambda: read_statistics(paths.sources_dir())


@register(
    "statistics: six indicators of the three editions (COINr rule, goalposts)",
    target_ms=None,
    source=NO_TARGET + " (model.estimates.statistics.indicators)",
    runs=20,
    quick_runs=5,
    warmup=1,
)
def _indicators():
    from model import paths
    from model.estimates import statistics as st
    from model.estimates.sources import load_sources

    s = load_sources(paths.sources_dir())
    table = st.Table(s.statistics)
    units = {y: list(s.units_of(y)["slug"]) for y in (2023, 2024, 2025)}
    return lambda: [st.indicators(table, y, u) for y, u in units.items()]


@register(
    "budget: a 2025 unit's economy from statistics (Assumptions.default)",
    target_ms=None,
    source=NO_TARGET + " (model.budget.Assumptions.default, statistics.csv cached)",
    runs=20,
    quick_runs=5,
    warmup=1,
)
def _economy():
    from model.budget import Assumptions

    return lambda: Assumptions.default("bac-ninh", 2025)
