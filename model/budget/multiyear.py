"""The path to the horizon: PII and rank year by year, the budget growing each year."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.index.dataset import Edition
from model.index.scenario import ScenarioError

from .assumptions import Assumptions
from .lp import max_pii
from .optimise import check_budget
from .response import Model, evaluate, forward, prepare


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
    md = prepare(a, ed, a.years)
    budgets = a.budgets_bn()
    if isinstance(allocation, Mapping):
        X, mode = _shares(md, allocation)[:, None] * budgets[None, :], "shares"
    elif allocation == "equal":
        X, mode = np.full((md.L, md.H), 1.0 / md.L) * budgets[None, :], "equal"
    elif allocation == "optimal":
        X, mode = max_pii(md, np.eye(md.H), budgets, np.ones(md.H)), "optimal"
    else:
        raise ScenarioError("budget.err_allocation")
    D = forward(md, X[None])
    pii, rank = evaluate(md, D, trend)
    b = ed.baseline()
    return BudgetPath(
        unit=a.unit,
        edition=ed.year,
        allocation=mode,
        baseline_pii=float(b.pii[md.u]),
        baseline_rank=int(b.rank[md.u]),
        years=tuple(_path_year(md, X, D[0], t, budgets, pii[0], rank[0]) for t in range(md.H)),
    )


def _shares(md: Model, shares: Mapping[str, float]) -> np.ndarray:
    s = np.zeros(md.L)
    for code, v in shares.items():
        s[md.lever_ix(code)] = check_budget(v)
    if s.sum() <= 0:
        raise ScenarioError("budget.err_shares_zero")
    return s / s.sum()


def _path_year(md: Model, X, D, t: int, budgets, pii, rank) -> PathYear:
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
