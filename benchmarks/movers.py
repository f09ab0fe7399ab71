"""Movers, reach and uncertainty (model.movers, model.movers.uncertainty) against the issue's budgets.

Every name contains "movers", so `python -m benchmarks --only movers` times the four of them.
"""

from __future__ import annotations

from benchmarks import _edition_2023, register

SOURCE = "issue (movers, reach, uncertainty): "


@register(
    "movers for all indicators (frozen)",
    target_ms=20.0,
    source=SOURCE + "20 ms, model.movers.movers for Bắc Giang 2023, 52 indicators, step +10",
    runs=50,
    quick_runs=15,
    warmup=3,
)
def _movers_frozen():
    from model.movers import movers

    ed = _edition_2023()
    return lambda: movers(ed, "bac-giang", scale="frozen")


@register(
    "movers for all indicators (renormalize)",
    target_ms=20.0,
    source=SOURCE + "20 ms, the same with scale='renormalize' (min-max recomputed)",
    runs=50,
    quick_runs=15,
    warmup=3,
)
def _movers_renormalize():
    from model.movers import movers

    ed = _edition_2023()
    return lambda: movers(ed, "bac-giang", scale="renormalize")


@register(
    "movers: reach rank 8 (LP, frozen)",
    target_ms=200.0,
    source=SOURCE + "200 ms, model.movers.reach: Bắc Giang 2023 from 11th to 8th, HiGHS",
    runs=30,
    quick_runs=10,
    warmup=2,
)
def _reach():
    from model.movers import reach

    ed = _edition_2023()
    return lambda: reach(ed, "bac-giang", 8)


@register(
    "movers: reach rank 8 (LP, renormalize)",
    target_ms=200.0,
    source=SOURCE + "200 ms, the same with scale='renormalize' (LP + engine check)",
    runs=30,
    quick_runs=10,
    warmup=2,
)
def _reach_renormalize():
    from model.movers import reach

    ed = _edition_2023()
    return lambda: reach(ed, "bac-giang", 8, scale="renormalize")


@register(
    "movers: uncertainty 10,000 runs",
    target_ms=2000.0,
    source=SOURCE
    + "2 s, model.movers.uncertainty.uncertainty: 10,000 Monte Carlo runs (pillar weights ±20%, "
    "arithmetic/geometric, outliers on/off) for the baseline and the plan-2024 scenario",
    runs=5,
    quick_runs=3,
    warmup=1,
)
def _uncertainty():
    from model import api
    from model.index.scenario import Scenario
    from model.movers.uncertainty import uncertainty

    ed = _edition_2023()
    s = api.preset("plan-2024", Scenario(unit="bac-giang", edition=2023))
    return lambda: uncertainty(ed, s, runs=10_000)
