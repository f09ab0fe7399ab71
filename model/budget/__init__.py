"""Budget levers: what money buys in PII terms, an investment optimiser and the path to a horizon.

Units are in the names: spending and budgets in billion VND (`_bn`), costs per item in million
VND (`_million_vnd`) as in the sources, `raw` in the indicator's own unit, `score` 0-100 under
the edition's goalposts. The assumptions are in data/sources/budget_levers.csv, and every unit's
economy comes from statistics.csv (NSO) with labelled estimates (`economy`; economy.csv keeps
Bắc Giang's own figures and the ratios); data/README.md explains them.

One concept a module: `levers` (levers, economy facts and the two CSV files), `economy` (every
unit's economy for every edition), `assumptions` (one
editable set and its JSON), `response` (the response curves as arrays, the exact forward
simulation and its evaluation by the engine), `lp` (the linear programme), `optimise` (one
constant allocation: the best split, a rank at least cost and the ceiling it takes, simple
rules, marginal PII, the lever table), `multiyear` (the path to the horizon) and `plancost` (what the plan's targets cost).
Errors are catalogue messages (`budget.err_*`, see model.i18n).

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

from .assumptions import Assumptions
from .levers import (
    BASES,
    COUNT_ITEMS,
    ECONOMY_FILE,
    GROWTH_ITEMS,
    LEVERS_FILE,
    PERSISTENCES,
    RESPONSES,
    EconomyFact,
    Lever,
    load_economy,
    load_levers,
)
from .multiyear import BudgetPath, PathYear, path
from .optimise import (
    MAX_BUDGET_BN,
    OBJECTIVES,
    Allocation,
    LeverResult,
    RankReach,
    eligible_levers,
    evaluate_allocation,
    lever_table,
    marginal_pii_per_billion,
    optimize,
    rank_threshold,
    reach_rank,
    rules,
)
from .plancost import plan_cost
from .response import TRANCHES

__all__ = [
    "BASES",
    "COUNT_ITEMS",
    "ECONOMY_FILE",
    "GROWTH_ITEMS",
    "LEVERS_FILE",
    "MAX_BUDGET_BN",
    "OBJECTIVES",
    "PERSISTENCES",
    "RESPONSES",
    "TRANCHES",
    "Allocation",
    "Assumptions",
    "BudgetPath",
    "EconomyFact",
    "Lever",
    "LeverResult",
    "PathYear",
    "RankReach",
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
    "reach_rank",
    "rules",
]
