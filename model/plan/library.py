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

from ..i18n import gettext
from ..workspace import NotFound, PlanRevision, ReadOnly, Workspace
from .changes import plan_changes, saved_when
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
    """A plan read from a CSV, XLSX or appendix (.docx) file (not stored yet: save_plan),
    named `name`, else the name the file says (full layout, appendix), else the file's stem.
    The file's own plan id, if any, is not kept: a stored plan's id comes from its name."""
    plan = read_plan_file(data, ed, unit, file_name=file_name)
    name = name.strip() or plan.name.strip() or Path(file_name).stem.strip()
    return dataclasses.replace(plan, plan_id="", name=name[:120], author=author, note=note)


def delete_plan(plan_id: str, *, ws: Workspace | None = None) -> None:
    """Delete a stored plan (ReadOnly for a built-in one); its revisions stay."""
    _ws(ws).delete_plan(PRESETS.get(plan_id, plan_id))


def revisions(plan: Plan, *, ws: Workspace | None = None) -> list[PlanRevision]:
    """The plan's saved revisions, newest first (none for a built-in or unsaved plan)."""
    if plan.read_only or not plan.plan_id or plan.revision == 0:
        return []
    return _ws(ws).plan_revisions(plan.plan_id)


def history_of(plan_id: str, *, ws: Workspace | None = None) -> list[PlanRevision]:
    """Every saved revision of a stored plan (also a deleted one), newest first; ReadOnly for
    a built-in plan (it has no revisions), NotFound for an id never saved."""
    pid = PRESETS.get(plan_id, plan_id)
    if pid in BUILTIN:
        raise ReadOnly("plan.err_read_only", plan=pid)
    return _ws(ws).plan_revisions(pid)


def revision_rows(history: list[PlanRevision]) -> list[dict]:
    """The history as data (the CLI's JSON): revision, when (ISO, UTC), who, why, changes."""
    return [
        {
            "revision": r.revision,
            "at": r.saved_at.isoformat(),
            "author": r.author,
            "note": r.note,
            "changes": list(r.changes),
        }
        for r in history
    ]


def compare_revisions(history: list[PlanRevision], old: int, new: int) -> list[dict]:
    """What changed from revision `old` to revision `new` (model.plan.changes' dicts; either
    may be the older); NotFound when the plan has no such revision."""
    plans = {r.revision: r.plan for r in history}
    for n in (old, new):
        if n not in plans:
            pid = history[0].plan_id if history else ""
            raise NotFound("plan.err_no_revision", plan=pid, revision=int(n))
    return plan_changes(plans[old], plans[new])


def restore_plan(
    plan_id: str,
    revision: int,
    *,
    ws: Workspace | None = None,
    author: str = "",
    note: str | None = None,
    lang: str = "vi",
) -> Plan:
    """The plan as it was at `revision`, saved as a new revision (nothing is rewritten: the
    history keeps every revision, and the restore is one more). A deleted plan comes back.
    ReadOnly for a built-in plan, NotFound for an unknown id or revision."""
    ws = _ws(ws)
    history = history_of(plan_id, ws=ws)
    old = next((r.plan for r in history if r.revision == int(revision)), None)
    if old is None:
        raise NotFound("plan.err_no_revision", plan=history[0].plan_id, revision=int(revision))
    why = note if note is not None else gettext(lang, "plan.restore_note", revision=int(revision))
    plan = dataclasses.replace(old, plan_id=history[0].plan_id, revision=0, updated_at=None)
    return ws.save_plan(plan, author=author, note=why, base_revision=_current(ws, plan.plan_id))


def _current(ws: Workspace, plan_id: str) -> int:
    """The stored plan's latest revision (0: deleted, so the restore re-creates it)."""
    try:
        return ws.get_plan(plan_id).revision
    except NotFound:
        return 0


def saved_text(r: PlanRevision) -> str:
    """A revision's time as shown: Vietnam time, dd/mm/yyyy HH:MM."""
    return saved_when(r.saved_at)


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
        "revisions": revision_rows(history),
        "effect": effect.summary() if effect is not None else None,
    }
