"""What a plan is worth: the whole plan's PII and rank, and each lead unit's share of it."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from model.index.dataset import Edition
from model.index.scenario import Scenario, simulate_many

from .core import Plan


@dataclass(frozen=True)
class DepartmentEffect:
    """The plan restricted to one lead unit's targets: the PII and rank they buy on their own."""

    lead_unit: str
    codes: tuple[str, ...]
    pii: float
    rank: int
    delta_pii: float  # PII change from the baseline
    rank_change: int  # places gained (positive = better)


@dataclass(frozen=True)
class PlanEffect:
    """The whole plan's effect and each department's share of it, for one unit and edition."""

    unit: str
    edition: int
    baseline_pii: float
    baseline_rank: int
    pii: float
    rank: int
    departments: tuple[DepartmentEffect, ...]  # in the plan's order
    gap_to_next: float | None = None  # PII points between the baseline and the unit ranked above
    # PII points between the plan's PII and the unit ranked above it in the plan's scenario
    # (others as the scenario moves them): what the plan still needs to climb one more place
    plan_gap_to_next: float | None = None

    @property
    def delta_pii(self) -> float:
        return self.pii - self.baseline_pii

    @property
    def rank_change(self) -> int:
        return self.baseline_rank - self.rank

    def summary(self) -> dict:
        """Before and after, as the CLI's JSON prints them."""
        return {
            "pii0": self.baseline_pii,
            "pii": self.pii,
            "rank0": self.baseline_rank,
            "rank": self.rank,
        }


def department_effects(
    plan: Plan, ed: Edition, base: Scenario | None = None, trend: np.ndarray | None = None
) -> PlanEffect:
    """Per lead unit, the scenario with only that department's targets met.

    Under arithmetic means with frozen goalposts and static peers the PII is linear in the
    unit's own scores and no target is capped, so the departments' PII changes add up exactly
    to the whole plan's; ranks never add up (they move in steps).
    """
    full = plan.scenario(ed, base)
    goal = full.target_map
    depts = plan.departments
    scenarios = [replace(full, targets=()), full] + [
        replace(full, targets=tuple((t.code, goal[t.code]) for t in plan.targets_of(d)), name=d)
        for d in depts
    ]
    agg = simulate_many(ed, scenarios, trend)
    u = ed.unit_index(plan.unit)
    pii, rank = agg.pii[:, u], agg.rank[:, u]
    b_pii, b_rank = float(pii[0]), int(rank[0])
    gap = _gap_above(agg.pii[0], b_pii)
    return PlanEffect(
        unit=plan.unit,
        edition=ed.year,
        baseline_pii=b_pii,
        baseline_rank=b_rank,
        pii=float(pii[1]),
        rank=int(rank[1]),
        departments=tuple(
            DepartmentEffect(
                lead_unit=d,
                codes=tuple(t.code for t in plan.targets_of(d)),
                pii=float(pii[k]),
                rank=int(rank[k]),
                delta_pii=float(pii[k]) - b_pii,
                rank_change=b_rank - int(rank[k]),
            )
            for k, d in enumerate(depts, start=2)
        ),
        gap_to_next=gap,
        plan_gap_to_next=_gap_above(agg.pii[1], float(pii[1])),
    )


def _gap_above(piis: np.ndarray, own: float) -> float | None:
    """PII points from `own` to the lowest PII above it (None: nobody is above)."""
    above = [float(v) for v in piis if v > own]
    return min(above) - own if above else None
