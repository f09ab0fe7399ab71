"""Benchmarks: named operations timed against the budgets the issues set. Never tests.

Run them with `python -m benchmarks [--quick]` (see benchmarks/README.md).

To add an operation, decorate a setup function with `register`: the setup prepares whatever the
operation needs (untimed) and returns a zero-argument callable, which is what gets timed. Put it
in this file or in any module of this package (every module is imported by `python -m
benchmarks`), e.g. `benchmarks/pages.py`:

    from benchmarks import register

    @register("render the ranking page", target_ms=500, source="issue: ranking page")
    def _ranking_page():
        at = ...                       # untimed preparation
        return lambda: at.run()        # timed
"""

from __future__ import annotations

import atexit
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Setup = Callable[[], Callable[[], object]]


@dataclass(frozen=True)
class Operation:
    name: str
    target_ms: float | None  # None: no target, report only
    source: str  # where the target comes from (an issue), or why there is none
    setup: Setup
    runs: int = 20
    quick_runs: int = 5
    warmup: int = 2
    unit: str = "ms"  # anything else: the callable returns the measured value (e.g. "MB")
    full_only: bool = False  # too long for --quick (which must stay under a minute)
    self_timed: bool = False  # the callable returns its own time in ms (e.g. minus a teardown)


@dataclass(frozen=True)
class Result:
    op: Operation
    times_ms: tuple[float, ...] = field(default=())

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def ratio(self) -> float | None:
        return None if self.op.target_ms is None else self.median_ms / self.op.target_ms


REGISTRY: list[Operation] = []


def register(
    name: str,
    *,
    target_ms: float | None,
    source: str,
    runs: int = 20,
    quick_runs: int = 5,
    warmup: int = 2,
    unit: str = "ms",
    full_only: bool = False,
    self_timed: bool = False,
) -> Callable[[Setup], Setup]:
    """Add an operation to the registry (decorator over its setup function).

    With unit="ms" (the default) the callable is timed; with any other unit it is a measurement
    that returns its own value in that unit (target_ms is then the target in that unit).
    self_timed: the callable returns the milliseconds that count (its teardown excluded).
    """

    def deco(setup: Setup) -> Setup:
        if any(op.name == name for op in REGISTRY):
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY.append(
            Operation(
                name,
                target_ms,
                source,
                setup,
                runs,
                quick_runs,
                warmup,
                unit,
                full_only,
                self_timed,
            )
        )
        return setup

    return deco


def run_operation(op: Operation, quick: bool = False) -> Result:
    """Set up, warm up, then time `runs` calls with time.perf_counter; then the callable's
    `close` if it has one (a server or a page left open would load the operations after it:
    the slider's left the second start 1.5 s slower)."""
    fn = op.setup()
    try:
        for _ in range(min(op.warmup, 1) if quick else op.warmup):
            fn()
        times = []
        for _ in range(op.quick_runs if quick else op.runs):
            if op.unit != "ms" or op.self_timed:
                times.append(float(fn()))
                continue
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000.0)
    finally:
        getattr(fn, "close", lambda: None)()
    return Result(op, tuple(times))


def _ms(x: float | None, unit: str = "ms") -> str:
    if x is None:
        return "–"
    text = f"{x:,.3f}" if x < 10 else f"{x:,.1f}"
    return text if unit == "ms" else f"{text} {unit}"


def format_table(results: list[Result]) -> str:
    headers = ["operation", "median (ms)", "target (ms)", "ratio median/target", "runs"]
    rows = [
        [
            r.op.name,
            _ms(r.median_ms, r.op.unit),
            _ms(r.op.target_ms, r.op.unit),
            "–" if r.ratio is None else f"{r.ratio:.2f}",
            str(len(r.times_ms)),
        ]
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    out = [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    out.append("")
    out.append("targets:")
    out.extend(f"  {r.op.name}: {r.op.source}" for r in results)
    return "\n".join(out)


def machine_info() -> str:
    import numpy as np

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    parts = [
        f"CPUs: {os.cpu_count()}",
        f"Python {platform.python_version()} ({sys.implementation.name})",
        f"numpy {np.__version__}",
        platform.platform(),
    ]
    if load:
        parts.append("load average " + " ".join(f"{x:.2f}" for x in load))
    return "; ".join(parts)


# --------------------------------------------------------------------------------------------
# The operations
# --------------------------------------------------------------------------------------------

BATCH = 10_000


def _edition_2023():
    from model import api

    return api.edition(2023)  # builds the reference database first if it is missing or stale


def _random_scenarios(scale: str, n: int = BATCH, seed: int = 2023) -> list:
    """n scenarios for Bắc Giang 2023, each setting 0-17 random indicators (some beyond 0-100)."""
    import numpy as np

    from model.index.scenario import Scenario

    codes = _edition_2023().framework.codes
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = int(rng.integers(0, 18))
        idx = rng.choice(len(codes), size=k, replace=False)
        vals = rng.uniform(-10.0, 130.0, size=k)
        targets = tuple((codes[j], float(v)) for j, v in zip(idx, vals, strict=True))
        out.append(Scenario(unit="bac-giang", edition=2023, targets=targets, scale=scale))
    return out


@register(
    "evaluate one edition (aggregate 63×52)",
    target_ms=1.0,
    source="1 ms, issues (engine): model.index.engine.aggregate on the 2023 scores",
    runs=500,
    quick_runs=100,
    warmup=20,
)
def _evaluate_edition():
    from model.index.engine import aggregate

    ed = _edition_2023()
    fw, scores = ed.framework, ed.scores.copy()
    return lambda: aggregate(fw, scores)


@register(
    "simulate one scenario (frozen)",
    target_ms=150.0,
    source=(
        "no target in the issues; 150 ms is the scenario page's budget (assumed here): "
        "model.api.run on the plan-2024 preset (17 targets, store lookup + simulate)"
    ),
    runs=50,
    quick_runs=15,
    warmup=3,
)
def _simulate_one():
    from model import api
    from model.index.scenario import Scenario

    _edition_2023()
    s = api.preset("plan-2024", Scenario(unit="bac-giang", edition=2023))
    return lambda: api.run(s)


@register(
    "batch of 10,000 scenarios (simulate_many / evaluate_targets)",
    target_ms=1000.0,
    source="1 s, issues (engine): model.index.scenario.simulate_many, frozen, 10,000 random scenarios",
    runs=7,
    quick_runs=3,
    warmup=1,
)
def _batch_frozen():
    from model.index.scenario import simulate_many

    ed, scenarios = _edition_2023(), _random_scenarios("frozen")
    return lambda: simulate_many(ed, scenarios)


@register(
    "batch of 10,000 scenarios, renormalize",
    target_ms=1000.0,
    source="1 s, as the frozen batch: simulate_many with scale='renormalize'",
    runs=5,
    quick_runs=2,
    warmup=1,
)
def _batch_renormalize():
    from model.index.scenario import simulate_many

    ed, scenarios = _edition_2023(), _random_scenarios("renormalize")
    return lambda: simulate_many(ed, scenarios)


@register(
    "build the reference database",
    target_ms=None,
    source="no target: report only (model.estimates.build.build into a temporary folder)",
    runs=3,
    quick_runs=1,
    warmup=0,
)
def _build():
    from model.estimates.build import build

    folder = Path(tempfile.mkdtemp(prefix="pii-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)

    def once() -> None:
        build(db_path=folder / "pii.duckdb")

    return once
