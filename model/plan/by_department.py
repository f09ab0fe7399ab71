"""Progress by department: per lead unit, its indicators, the latest reading of each against
its target, whether it is on track, and the PII points at stake (what the department's targets
are worth on their own, model.plan.effects).

On track: a reading at or above its target, or one that has come at least as far from the
baseline towards the target (progress.progress_fraction) as the time elapsed in the plan's
period when it was measured: from 1 January of the year after the baseline edition to
31 December of the target year. An indicator without a reading is neither (None).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from model.index.dataset import Edition
from model.index.scenario import Scenario, simulate_many

from .appendix import ProgressRow
from .core import Plan, PlanTarget
from .effects import PlanEffect, department_effects
from .progress import progress_fraction


@dataclass(frozen=True)
class IndicatorProgress:
    """One target of a department: its latest reading (a score on the plan's scale)."""

    code: str
    baseline: float
    target: float
    latest: float | None  # None: no reading yet
    as_of: dt.date | None
    fraction: float | None  # how far from the baseline to the target, 0..1
    expected: float | None  # how far it should be by `as_of`, 0..1
    on_track: bool | None
    points: float  # PII points the target is worth on its own

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["as_of"] = self.as_of.isoformat() if self.as_of else None
        return d


@dataclass(frozen=True)
class DepartmentProgress:
    """A lead unit's indicators and the PII points its targets are worth together."""

    lead_unit: str
    indicators: tuple[IndicatorProgress, ...]
    points: float

    @property
    def n_on_track(self) -> int:
        return sum(i.on_track is True for i in self.indicators)

    @property
    def n_behind(self) -> int:
        return sum(i.on_track is False for i in self.indicators)

    @property
    def n_unread(self) -> int:
        return sum(i.latest is None for i in self.indicators)

    @property
    def on_track(self) -> bool | None:
        """True when every read indicator is on track, False when one is behind, None when
        nothing has been read."""
        if self.n_behind:
            return False
        return True if self.n_on_track else None

    def to_dict(self) -> dict:
        return {
            "lead_unit": self.lead_unit,
            "points": self.points,
            "on_track": self.on_track,
            "n_on_track": self.n_on_track,
            "n_behind": self.n_behind,
            "n_unread": self.n_unread,
            "indicators": [i.to_dict() for i in self.indicators],
        }


@dataclass(frozen=True)
class ProgressByDepartment:
    """Every lead unit of a plan, the one with the most PII points at stake first."""

    plan_id: str
    edition: int
    start: dt.date
    end: dt.date
    departments: tuple[DepartmentProgress, ...]

    def appendix_rows(self) -> list[ProgressRow]:
        """The rows of the appendix's progress table (model.plan.appendix.ProgressRow)."""
        return [
            ProgressRow(d.lead_unit, i.code, i.latest, i.target, i.on_track, i.points)
            for d in self.departments
            for i in d.indicators
        ]

    def to_dict(self) -> dict:
        return {
            "plan": self.plan_id,
            "edition": self.edition,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "departments": [d.to_dict() for d in self.departments],
        }


def plan_period(plan: Plan) -> tuple[dt.date, dt.date]:
    """The plan's period: 1 January after its baseline edition to the end of its target year."""
    return dt.date(plan.edition + 1, 1, 1), dt.date(
        int(plan.target_year or plan.edition + 1), 12, 31
    )


def expected_fraction(plan: Plan, day: dt.date) -> float:
    """How far along its period the plan is on `day`, 0..1."""
    start, end = plan_period(plan)
    span = (end - start).days or 1
    return min(1.0, max(0.0, (day - start).days / span))


def _latest(history: Sequence) -> dict[str, object]:
    """Each code's latest reading: measured last, recorded last among equals."""
    out: dict[str, object] = {}
    for e in history:
        best = out.get(e.code)
        if best is None or (e.as_of, e.recorded_at) > (best.as_of, best.recorded_at):
            out[e.code] = e
    return out


def _indicator(plan: Plan, t: PlanTarget, entry, points: float) -> IndicatorProgress:
    if entry is None:
        return IndicatorProgress(t.code, t.baseline, t.target, None, None, None, None, None, points)
    score = float(entry.score)
    fraction = progress_fraction(t.baseline, t.target, score)
    expected = expected_fraction(plan, entry.as_of)
    on_track = score >= t.target or fraction + 1e-9 >= expected
    return IndicatorProgress(
        t.code, t.baseline, t.target, score, entry.as_of, fraction, expected, on_track, points
    )


def target_points(plan: Plan, ed: Edition, base: Scenario | None = None) -> dict[str, float]:
    """The PII points each target is worth on its own on `ed` (0 for a target at or below the
    unit's score: "at least" leaves the score as it is)."""
    full = plan.scenario(ed, base)
    if not full.targets:
        return {}
    runs = [dataclasses.replace(full, targets=())]
    runs += [dataclasses.replace(full, targets=((c, v),)) for c, v in full.targets]
    agg = simulate_many(ed, runs)
    u = ed.unit_index(plan.unit)
    return {c: float(agg.pii[k, u] - agg.pii[0, u]) for k, (c, _v) in enumerate(full.targets, 1)}


def department_progress(
    plan: Plan,
    ed: Edition,
    history: Sequence,
    base: Scenario | None = None,
    *,
    effect: PlanEffect | None = None,
    points: Mapping[str, float] | None = None,
) -> ProgressByDepartment:
    """Per lead unit of `plan` (evaluated on `ed`), its indicators with their latest reading
    (`history`: the plan's progress entries, any order) and the PII points at stake (`effect`
    and `points`, when the caller has them already: department_effects and target_points)."""
    effect = effect if effect is not None else department_effects(plan, ed, base)
    stake = {d.lead_unit: d.delta_pii for d in effect.departments}
    points = points if points is not None else target_points(plan, ed, base)
    latest = _latest([e for e in history if e.code in plan.codes])
    depts = [
        DepartmentProgress(
            lead,
            tuple(
                _indicator(plan, t, latest.get(t.code), points.get(t.code, 0.0))
                for t in plan.targets_of(lead)
            ),  # fmt: skip
            stake.get(lead, 0.0),
        )
        for lead in plan.departments
    ]
    depts.sort(key=lambda d: -d.points)  # stable: the plan's order among equals
    start, end = plan_period(plan)
    return ProgressByDepartment(plan.plan_id, ed.year, start, end, tuple(depts))
