"""The budget model's speed: the optimiser for one year and the path to 2030 (model/budget.py).

Both names contain "budget", so `python -m benchmarks --only budget` runs exactly these two.
The setup reads the two CSV files and loads the edition (untimed: the app caches both).
"""

from __future__ import annotations

from benchmarks import register


def _inputs():
    from model import api
    from model.budget import Assumptions

    ed = api.edition(2023)  # builds the reference database first if it is missing or stale
    return Assumptions.default("bac-giang", 2023), ed


@register(
    "optimise a budget (one year)",
    target_ms=500.0,
    source=(
        "500 ms, issue (budget): model.budget.optimize, Bắc Giang 2023, 50 billion VND, "
        "one year (two linear programmes + engine evaluation)"
    ),
    runs=20,
    quick_runs=5,
    warmup=2,
)
def _optimise_one_year():
    from model.budget import optimize

    a, ed = _inputs()
    return lambda: optimize(a, ed, budget_bn=50.0, years=1)


@register(
    "7-year budget path (2024-2030)",
    target_ms=1000.0,
    source=(
        "1 s, issue (budget): model.budget.path, Bắc Giang 2023 to 2030, 50 billion VND "
        "growing 10 % a year, optimal allocation (one linear programme over 7 years), "
        "peers static"
    ),
    runs=10,
    quick_runs=3,
    warmup=1,
)
def _seven_year_path():
    from model.budget import path

    a, ed = _inputs()
    return lambda: path(a, ed)
