"""Action plans: each weak indicator given to a department with a target (the seed is one)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .dataset import Edition
from .scenario import Scenario, ScenarioError

PRESETS = {"plan-2024": "bac-giang-2024"}  # preset name -> plan id in the plans table


@dataclass(frozen=True)
class PlanTarget:
    row: int
    code: str
    score_2023: float
    target: float
    target_text: str
    lead_unit: str
    coordinating_units: str
    timeframe: str
    tasks_vi: str


@dataclass(frozen=True)
class Plan:
    plan_id: str
    unit: str
    edition: int
    targets: tuple[PlanTarget, ...]

    @classmethod
    def from_rows(cls, rows: pd.DataFrame) -> Plan:
        if rows.empty:
            raise ScenarioError("plan not found")
        first = rows.iloc[0]
        return cls(
            plan_id=str(first["plan"]),
            unit=str(first["unit"]),
            edition=int(first["edition"]),
            targets=tuple(
                PlanTarget(
                    int(r["row"]),
                    str(r["code"]),
                    float(r["score_2023"]),
                    float(r["target_2024"]),
                    str(r["target_text"]),
                    str(r["lead_unit"]),
                    str(r["coordinating_units"]),
                    str(r["timeframe"]),
                    str(r["tasks_vi"]),
                )
                for _, r in rows.sort_values("row").iterrows()
            ),
        )

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.targets]

    def lead_of(self, code: str) -> str | None:
        return next((t.lead_unit for t in self.targets if t.code == code), None)

    def scenario(self, ed: Edition, base: Scenario | None = None) -> Scenario:
        """The plan as a scenario: every target met ("≥ x": never below the baseline)."""
        if self.unit not in ed.slugs:
            raise ScenarioError(
                f"plan {self.plan_id} is {self.unit}'s plan; {self.unit} is not a unit of edition {ed.year}"
            )
        u = ed.unit_index(self.unit)
        targets = {
            t.code: max(t.target, float(ed.scores[u, ed.framework.require(t.code)]))
            for t in self.targets
        }
        base = base or Scenario(unit=self.unit, edition=ed.year)
        if base.unit != self.unit:
            base = Scenario(
                unit=self.unit,
                edition=ed.year,
                peers=base.peers,
                scale=base.scale,
                target_year=base.target_year,
            )
        return Scenario(
            unit=self.unit,
            edition=ed.year,
            targets=tuple(targets.items()),
            peers=base.peers,
            scale=base.scale,
            target_year=base.target_year,
            name=self.plan_id,
        )
