"""Every plan a user can open: the built-in ones (read-only, from the reference database) and
the stored ones (the workspace, DuckDB or PostgreSQL), behind one set of functions for the Plan
page, the other screens and the CLI.

- get_plan(id), list_plans(unit, edition), plans_for(unit, ed): find plans (a preset name such
  as 'plan-2024' names its built-in plan);
- save_plan, copy_plan, import_plan, delete_plan, revisions: write and follow them;
- scenario_of(plan, ed, base), plan_effect(plan, ed, base): what a plan does to the PII.
Store errors are the WorkspaceError family (NotFound, NameTaken, ReadOnly, StaleRevision,
InvalidText); a plan or file that cannot be made raises PlanError / PlanFileError first, so
nothing half-made is ever stored.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from model import api
from model.index.dataset import Edition
from model.index.scenario import Scenario
from model.official import store

from ..workspace import PlanRevision, Workspace
from .core import BUILTIN, PRESETS, Plan, target_rows
from .effects import PlanEffect, department_effects
from .files import read_plan_file


def _ws(ws: Workspace | None) -> Workspace:
    return ws if ws is not None else Workspace()


def builtin(plan_id: str, db: Path | None = None) -> Plan:
    """A built-in plan (PlanError 'plan not found' if the reference database lacks it)."""
    return Plan.from_rows(store.plan_rows(plan_id, db))


def is_builtin(plan_id: str) -> bool:
    return PRESETS.get(plan_id, plan_id) in BUILTIN


def get_plan(plan_id: str, *, ws: Workspace | None = None, db: Path | None = None) -> Plan:
    """The plan with this id (or preset name): built in, else stored (NotFound)."""
    pid = PRESETS.get(plan_id, plan_id)
    if pid in BUILTIN:
        return builtin(pid, db)
    return _ws(ws).get_plan(pid)


def list_plans(
    unit: str | None = None,
    edition: int | None = None,
    *,
    ws: Workspace | None = None,
    db: Path | None = None,
) -> list[Plan]:
    """Plans of a unit and of a baseline edition (None: any): built-in first, then the
    stored ones, last saved first."""
    found = [builtin(pid, db) for pid in BUILTIN]
    found = [
        p
        for p in found
        if (unit is None or p.unit == unit) and (edition is None or p.edition == int(edition))
    ]
    return found + _ws(ws).list_plans(unit, None if edition is None else int(edition))


def plans_for(
    unit: str, ed: Edition, *, ws: Workspace | None = None, db: Path | None = None
) -> list[Plan]:
    """The unit's plans that can be shown on edition `ed` (its unit and every code exist
    there): those written against `ed` first, each group built-in first, then last saved."""
    plans = [p for p in list_plans(unit, ws=ws, db=db) if p.applies_to(ed, unit)]
    return sorted(plans, key=lambda p: p.edition != ed.year)  # stable: keeps the order within


def save_plan(
    plan: Plan,
    *,
    ws: Workspace | None = None,
    author: str = "",
    note: str = "",
    replace: bool = False,
    base_revision: int | None = None,
) -> Plan:
    """Store the plan as a new revision (Workspace.save_plan) and return it as stored."""
    return _ws(ws).save_plan(
        plan, author=author, note=note, replace=replace, base_revision=base_revision
    )


def copy_plan(plan: Plan, name: str, *, author: str = "") -> Plan:
    """An editable draft with the plan's targets under a new name (not stored yet): source
    'carried', source_ref the plan's id."""
    return dataclasses.replace(
        plan,
        plan_id="",
        name=name.strip(),
        status="draft",
        author=author,
        source="carried",
        source_ref=plan.plan_id,
        revision=0,
        updated_at=None,
    )


def import_plan(
    data: bytes | str,
    ed: Edition,
    unit: str,
    name: str,
    *,
    file_name: str = "",
    author: str = "",
    note: str = "",
) -> Plan:
    """A plan read from a CSV or XLSX file, named `name` (not stored yet: save_plan). The
    file's own plan id, if any, is not kept: a stored plan's id comes from its name."""
    plan = read_plan_file(data, ed, unit, file_name=file_name)
    return dataclasses.replace(plan, plan_id="", name=name.strip(), author=author, note=note)


def delete_plan(plan_id: str, *, ws: Workspace | None = None) -> None:
    """Delete a stored plan (ReadOnly for a built-in one); its revisions stay."""
    _ws(ws).delete_plan(PRESETS.get(plan_id, plan_id))


def revisions(plan: Plan, *, ws: Workspace | None = None) -> list[PlanRevision]:
    """The plan's saved revisions, newest first (none for a built-in or unsaved plan)."""
    if plan.read_only or not plan.plan_id or plan.revision == 0:
        return []
    return _ws(ws).plan_revisions(plan.plan_id)


def scenario_of(plan: Plan, ed: Edition, base: Scenario | None = None) -> Scenario:
    """The plan as a scenario on `ed`, with `base`'s peers, scale and target year."""
    return plan.scenario(ed, base)


def plan_effect(
    plan: Plan, ed: Edition, scenario_base: Scenario | None = None, db: Path | None = None
) -> PlanEffect:
    """PII and rank before and after the plan on `ed`, and each lead unit's share (the
    other provinces' trend is computed when `scenario_base` asks for it)."""
    base = scenario_base or Scenario(unit=plan.unit, edition=ed.year)
    trend = api.trend_for(ed, db) if base.peers == "trend" else None
    return department_effects(plan, ed, base, trend)


# ---- the plan as data (the CLI's JSON; the pages may use the same) ---------------------------


def plan_summary(plan: Plan) -> dict:
    """One line of a list of plans."""
    return {
        "id": plan.plan_id,
        "name": plan.name,
        "unit": plan.unit,
        "edition": plan.edition,
        "target_year": plan.target_year,
        "status": plan.status,
        "source": plan.source,
        "n_targets": len(plan.targets),
    }


def plan_detail(
    plan: Plan, ed: Edition, history: list[PlanRevision], effect: PlanEffect | None
) -> dict:
    """The whole plan: its targets with raw values under `ed`'s goalposts, its revisions and
    (when given) its effect."""
    return {
        **plan_summary(plan),
        "milestones": list(plan.milestones),
        "author": plan.author,
        "note": plan.note,
        "source_ref": plan.source_ref,
        "provenance": plan.provenance,
        "revision": plan.revision,
        "targets": target_rows(plan, ed),
        "revisions": [
            {
                "revision": r.revision,
                "at": r.saved_at.isoformat(),
                "author": r.author,
                "note": r.note,
                "changes": list(r.changes),
            }
            for r in history
        ],
        "effect": effect.summary() if effect is not None else None,
    }
