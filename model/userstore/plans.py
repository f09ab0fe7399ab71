"""The repository's plans: each plan as it is now (plans, plan_targets) and every saved revision
(plan_revisions: who, when, the note, what changed, the whole plan as saved), in one
transaction per save, on both backends.

Saves are serialised with every other write (repository._transaction: one lock per process,
DuckDB's file lock or PostgreSQL's advisory lock across processes), and each reads the latest
revision inside its transaction, so concurrent saves of one plan from two sessions each become a
revision: numbers unique and consecutive, none lost. A save may name the revision it was based
on (`base_revision`) to be refused (StaleRevision) when someone saved in between.
Built-in plans (model.plan.core.BUILTIN) are never stored: their ids are reserved.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..plan.changes import plan_changes
from ..plan.core import BUILTIN, PLAN_ID, Plan, PlanTarget, field_name, plan_id_for
from .backend import Cursor
from .errors import ConstraintViolation, InvalidText, NameTaken, NotFound, ReadOnly, StaleRevision
from .repository import Repository
from .schema import now as _now
from .schema import utc as _utc
from .validate import validate_author, validate_key, validate_name, validate_note

PLAN_SELECT = (
    "SELECT id, name, unit, edition, target_year, milestones, status, source, source_ref, "
    "author, note, updated_at, revision FROM plans"
)
TARGET_SELECT = (
    "SELECT plan_id, seq, code, baseline, target, target_text, lead_unit, coordinating_units, "
    "timeframe, tasks FROM plan_targets"
)


@dataclass(frozen=True)
class PlanRevision:
    """One saved revision of a plan."""

    plan_id: str
    revision: int
    saved_at: datetime  # UTC, timezone-aware
    author: str  # who saved it
    note: str  # why (the save's note, not the plan's)
    changes: tuple[dict, ...]  # model.plan.changes: what changed from the revision before
    plan: Plan  # the plan as saved


def _storable(text: str, field: str, code: str = "") -> str:
    """Free text (tasks, notes): line breaks and tabs are fine, other control characters not."""
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cs" or (cat == "Cc" and ch not in "\t\n\r"):
            char = f"{ord(ch):04X}"
            if code:
                raise InvalidText(
                    "plan.err_target_text_control", code=code, what=field_name(field), char=char
                )
            raise InvalidText("plan.err_text_control", what=field_name(field), char=char)
    return text


def _checked(plan: Plan) -> Plan:
    """The plan as it will be stored, or InvalidText / InvalidName for what cannot be."""
    if not isinstance(plan, Plan):
        raise TypeError(f"expected a Plan, got {type(plan).__name__}")
    _storable(plan.source_ref, "source_ref")
    for t in plan.targets:
        for name in ("target_text", "lead_unit", "coordinating_units", "timeframe", "tasks"):
            _storable(getattr(t, name), name, t.code)
    return dataclasses.replace(
        plan,
        name=validate_name(plan.name),
        unit=validate_key(plan.unit, "unit"),
        author=validate_author(plan.author),
        note=_storable(plan.note, "note"),
    )


def _target(row: Sequence) -> PlanTarget:
    _pid, seq, code, baseline, target, text, lead, coord, timeframe, tasks = row
    return PlanTarget(
        int(seq), code, float(baseline), float(target), text, lead, coord, timeframe, tasks
    )


def _plan(row: Sequence, targets: Sequence[PlanTarget]) -> Plan:
    pid, name, unit, edition, year, marks, status, source, ref, author, note, updated, rev = row
    return Plan(
        plan_id=pid,
        unit=unit,
        edition=int(edition),
        targets=tuple(sorted(targets, key=lambda t: t.row)),
        name=name,
        target_year=int(year),
        milestones=tuple(int(y) for y in marks.split(",") if y),
        status=status,
        author=author,
        note=note,
        source=source,
        source_ref=ref,
        revision=int(rev),
        updated_at=_utc(updated),
    )


class PlanRepository(Repository):
    """The plans, plan_targets and plan_revisions tables (Workspace's plan methods)."""

    def save_plan(
        self,
        plan: Plan,
        *,
        author: str = "",
        note: str = "",
        replace: bool = False,
        base_revision: int | None = None,
    ) -> Plan:
        """Store `plan` as a new revision and return it as stored (its id, revision, time).

        Which plan it revises: the stored plan with its `plan_id`; else the unit's plan with
        its name (only with `replace`, else NameTaken); else none: a new plan, whose id is
        `plan_id` or plan_id_for(unit, name) with -2, -3... when taken. `author`: who saves
        (default the plan's author); `note`: why. ReadOnly for a built-in plan's id;
        StaleRevision when `base_revision` is given and is not the latest. All or nothing.
        """
        if plan.plan_id in BUILTIN:
            raise ReadOnly("plan.err_read_only", plan=plan.plan_id)
        if plan.source == "seed":  # a built-in plan under another id: copy it first
            raise ReadOnly("plan.err_read_only", plan=plan.plan_id or plan.name)
        if plan.plan_id and not PLAN_ID.match(plan.plan_id):
            raise InvalidText("plan.err_id", plan=plan.plan_id[:80])
        plan = _checked(plan)
        who = validate_author(author or plan.author)
        why = validate_note(note)
        at = _now()
        try:
            with self._transaction() as cur:
                stored, old = self._locate(cur, plan, replace)
                if base_revision is not None and (old.revision if old else 0) != base_revision:
                    raise StaleRevision(
                        "plan.err_stale",
                        plan=stored,
                        base=int(base_revision),
                        current=old.revision if old else 0,
                    )
                revision = self._next_revision(cur, stored)
                new = _as_stored(plan, stored, revision, at)
                self._write(cur, new, at, created=old is None)
                changes = plan_changes(old, new)
                cur.execute(
                    "INSERT INTO plan_revisions (plan_id, revision, saved_at, author, note, "
                    "changes_json, plan_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        stored,
                        revision,
                        at,
                        who,
                        why,
                        json.dumps(changes, ensure_ascii=False),
                        json.dumps(new.to_dict(), ensure_ascii=False, sort_keys=True),
                    ],
                )
        except ConstraintViolation as exc:
            # Backstop only: the checks above run under the store's write lock.
            raise NameTaken("plan.err_name_taken", name=plan.name, unit=plan.unit) from exc
        return new

    def _locate(self, cur: Cursor, plan: Plan, replace: bool) -> tuple[str, Plan | None]:
        """The id the save writes, and the stored plan it revises (None: a new plan)."""
        mine = self._read(cur, plan.plan_id) if plan.plan_id else None
        row = cur.execute(
            "SELECT id FROM plans WHERE unit = ? AND name = ?", [plan.unit, plan.name]
        ).fetchone()
        named = row[0] if row else None
        if mine is not None:
            if named is not None and named != mine.plan_id:
                raise NameTaken("plan.err_name_taken", name=plan.name, unit=plan.unit, plan=named)
            return mine.plan_id, mine
        if named is not None:
            if not replace:
                raise NameTaken("plan.err_name_taken", name=plan.name, unit=plan.unit, plan=named)
            return named, self._read(cur, named)
        return plan.plan_id or self._free_id(cur, plan_id_for(plan.unit, plan.name)), None

    @staticmethod
    def _free_id(cur: Cursor, wanted: str) -> str:
        candidate, k = wanted, 1
        while (
            candidate in BUILTIN
            or cur.execute("SELECT 1 FROM plans WHERE id = ?", [candidate]).fetchone()
        ):
            k += 1
            candidate = f"{wanted[:76]}-{k}"
        return candidate

    @staticmethod
    def _next_revision(cur: Cursor, plan_id: str) -> int:
        # From the history, not the plans row: a plan re-created under a deleted plan's id
        # continues its numbering, so (plan_id, revision) stays unique.
        row = cur.execute(
            "SELECT coalesce(max(revision), 0) FROM plan_revisions WHERE plan_id = ?", [plan_id]
        ).fetchone()
        return int(row[0]) + 1

    @staticmethod
    def _write(cur: Cursor, plan: Plan, at: datetime, created: bool) -> None:
        marks = ",".join(str(y) for y in plan.milestones)
        values = [plan.name, plan.unit, plan.edition, plan.target_year, marks, plan.status]
        values += [plan.source, plan.source_ref, plan.author, plan.note, at, plan.revision]
        if created:
            cur.execute(
                "INSERT INTO plans (name, unit, edition, target_year, milestones, status, source, "
                "source_ref, author, note, updated_at, revision, created_at, id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*values, at, plan.plan_id],
            )
        else:
            cur.execute(
                "UPDATE plans SET name = ?, unit = ?, edition = ?, target_year = ?, "
                "milestones = ?, status = ?, source = ?, source_ref = ?, author = ?, note = ?, "
                "updated_at = ?, revision = ? WHERE id = ?",
                [*values, plan.plan_id],
            )
            cur.execute("DELETE FROM plan_targets WHERE plan_id = ?", [plan.plan_id])
        for t in plan.targets:
            cur.execute(
                "INSERT INTO plan_targets (plan_id, seq, code, baseline, target, target_text, "
                "lead_unit, coordinating_units, timeframe, tasks) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [plan.plan_id, t.row, t.code, t.baseline, t.target, t.target_text]
                + [t.lead_unit, t.coordinating_units, t.timeframe, t.tasks],
            )

    # --- reading ------------------------------------------------------------------------------
    @staticmethod
    def _read(cur: Cursor, plan_id: str) -> Plan | None:
        row = cur.execute(f"{PLAN_SELECT} WHERE id = ?", [plan_id]).fetchone()
        if row is None:
            return None
        rows = cur.execute(f"{TARGET_SELECT} WHERE plan_id = ?", [plan_id]).fetchall()
        return _plan(row, [_target(r) for r in rows])

    def get_plan(self, plan_id: str) -> Plan:
        """The stored plan with this id (NotFound if there is none)."""
        with self._cursor() as cur:
            plan = self._read(cur, str(plan_id))
        if plan is None:
            raise NotFound("plan.err_no_plan", plan=str(plan_id))
        return plan

    def find_plan(self, unit: str, name: str) -> Plan | None:
        """The unit's stored plan with this name, if any."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT id FROM plans WHERE unit = ? AND name = ?", [unit, str(name).strip()]
            ).fetchone()
            return self._read(cur, row[0]) if row else None

    def list_plans(self, unit: str | None = None, edition: int | None = None) -> list[Plan]:
        """Stored plans (of a unit, of a baseline edition), last saved first."""
        where, params = [], []
        if unit is not None:
            where.append("unit = ?")
            params.append(unit)
        if edition is not None:
            where.append("edition = ?")
            params.append(int(edition))
        clause = (" WHERE " + " AND ".join(where)) if where else ""  # fixed fragments
        with self._cursor() as cur:
            rows = cur.execute(f"{PLAN_SELECT}{clause} ORDER BY updated_at DESC, id", params)
            rows = rows.fetchall()
            ids = [r[0] for r in rows]
            targets: dict[str, list[PlanTarget]] = {i: [] for i in ids}
            if ids:
                marks = ", ".join("?" * len(ids))  # placeholders only; ids are parameters
                for r in cur.execute(f"{TARGET_SELECT} WHERE plan_id IN ({marks})", ids).fetchall():
                    targets[r[0]].append(_target(r))
        return [_plan(r, targets[r[0]]) for r in rows]

    def plan_revisions(self, plan_id: str) -> list[PlanRevision]:
        """The plan's saved history, newest first (also of a deleted plan); NotFound if none."""
        with self._cursor() as cur:
            rows = cur.execute(
                "SELECT plan_id, revision, saved_at, author, note, changes_json, plan_json "
                "FROM plan_revisions WHERE plan_id = ? ORDER BY revision DESC",
                [str(plan_id)],
            ).fetchall()
        if not rows:
            raise NotFound("plan.err_no_plan", plan=str(plan_id))
        out = []
        for pid, rev, saved, who, why, changes, plan_json in rows:
            plan = dataclasses.replace(
                Plan.from_dict(json.loads(plan_json)), revision=int(rev), updated_at=_utc(saved)
            )
            out.append(
                PlanRevision(pid, int(rev), _utc(saved), who, why, tuple(json.loads(changes)), plan)
            )
        return out

    def plan_history_exists(self, plan_id: str) -> bool:
        """Whether a plan was ever saved under this id (also a deleted one)."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT 1 FROM plan_revisions WHERE plan_id = ? LIMIT 1", [str(plan_id)]
            ).fetchone()
        return row is not None

    def plan_revision(self, plan_id: str, revision: int) -> Plan:
        """The plan as it was saved at `revision` (NotFound if it has no such revision)."""
        for r in self.plan_revisions(plan_id):
            if r.revision == revision:
                return r.plan
        raise NotFound("plan.err_no_revision", plan=str(plan_id), revision=int(revision))

    def delete_plan(self, plan_id: str) -> None:
        """Delete a stored plan; its revisions stay (the history outlives it)."""
        if plan_id in BUILTIN:
            raise ReadOnly("plan.err_read_only", plan=plan_id)
        with self._transaction() as cur:
            gone = cur.execute("DELETE FROM plans WHERE id = ? RETURNING id", [plan_id]).fetchone()
            if gone is None:
                raise NotFound("plan.err_no_plan", plan=str(plan_id))
            cur.execute("DELETE FROM plan_targets WHERE plan_id = ?", [plan_id])


class UnitDepartments(Repository):
    """The unit_departments table: the lead units users add to a unit's list (kept per unit)."""

    def add_unit_department(self, unit: str, name: str, *, author: str = "") -> bool:
        """Keep `name` in the unit's list (True: added; False: it was there already).
        InvalidText for an empty, too long or control-character name."""
        unit = validate_key(unit, "unit")
        text = " ".join(str(name).split())
        if not text or len(text) > DEPARTMENT_MAX:
            raise InvalidText("plan.pg_dept_bad", limit=DEPARTMENT_MAX)
        _storable(text, "lead_unit")
        who = validate_author(author)
        with self._transaction() as cur:
            row = cur.execute(
                "SELECT 1 FROM unit_departments WHERE unit = ? AND name = ?", [unit, text]
            ).fetchone()
            if row is not None:
                return False
            cur.execute(
                "INSERT INTO unit_departments (unit, name, added_at, added_by) VALUES (?, ?, ?, ?)",
                [unit, text, _now(), who],
            )
        return True

    def unit_departments(self, unit: str) -> list[str]:
        """The names users added for `unit`, in the order they were added."""
        with self._cursor() as cur:
            rows = cur.execute(
                "SELECT name FROM unit_departments WHERE unit = ? ORDER BY added_at, name",
                [str(unit)],
            ).fetchall()
        return [r[0] for r in rows]


DEPARTMENT_MAX = 200  # characters of a department's name


def _as_stored(plan: Plan, plan_id: str, revision: int, at: datetime) -> Plan:
    """The plan as stored: its id and revision, saved at `at`."""
    return dataclasses.replace(plan, plan_id=plan_id, revision=revision, updated_at=_utc(at))
