"""The user store's repository: what users write (saved scenarios, plans and their revisions,
action-plan progress, budget assumption sets, dataset versions), and the public face of
model.userstore.

Two backends keep it, behind one interface (model.userstore.backend.Backend): the embedded
DuckDB file paths.workspace_db() (the default; model.userstore.duckdb_backend), and PostgreSQL
(model.userstore.pg_backend) for a deployment with several app servers behind a load balancer,
selected by a connection string (paths.store_url(): env PII_STORE_URL, which the app fills from
the Streamlit secret `store_url`). Workspace holds the SQL, written once for both (portable
types, `?` placeholders that the PostgreSQL backend translates); a backend supplies connections,
transactions, bulk inserts and error translation, so callers see the same error classes
(model.userstore.errors, each with a message id) from both. Its parts: the plumbing
(userstore.repository: cursors, write transactions), the plans (userstore.plans: save_plan,
get_plan, find_plan, list_plans, plan_revisions, plan_revision, delete_plan), the dataset
versions (userstore.datasets),
the tables and migrations (userstore.schema), the checks of user text (userstore.validate).
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from model.index.scenario import Scenario, ScenarioError

from .userstore.backend import Cursor, close_all
from .userstore.datasets import DatasetVersions
from .userstore.errors import (
    ConstraintViolation,
    CorruptScenario,
    InvalidName,
    InvalidText,
    NameTaken,
    NotFound,
    ReadOnly,
    StaleRevision,
    WorkspaceBusy,
    WorkspaceError,
)
from .userstore.plans import PlanRepository, PlanRevision, UnitDepartments
from .userstore.records import (
    PROGRESS_COLUMNS,
    SCENARIO_COLUMNS,
    DatasetVersion,
    ProgressEntry,
    SavedScenario,
    ScenarioRevision,
    progress_entry,
    saved_scenario,
)
from .userstore.repository import BUSY_TIMEOUT
from .userstore.schema import MIGRATIONS, SCHEMA_VERSION
from .userstore.schema import now as _now
from .userstore.schema import utc as _utc
from .userstore.validate import (
    finite,
    validate_author,
    validate_code,
    validate_day,
    validate_key,
    validate_name,
    validate_note,
)

log = logging.getLogger(__name__)


def _append_revision(
    cur: Cursor,
    scenario_id: int,
    revision: int,
    name: str,
    spec_json: str,
    author: str,
    note: str,
    saved_at: datetime,
) -> None:
    """Record one saved content in the history (every save calls this in its transaction)."""
    cur.execute(
        "INSERT INTO scenario_revisions "
        "(scenario_id, revision, name, spec_json, author, note, saved_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [scenario_id, revision, name, spec_json, author, note, saved_at],
    )


class Workspace(PlanRepository, UnitDepartments, DatasetVersions):
    """What users write, in DuckDB (the default) or PostgreSQL; cheap to create, thread-safe.

    `Workspace()` uses PostgreSQL when paths.store_url() is set, else the DuckDB file
    paths.workspace_db(); `Workspace(path)` is always that DuckDB file, `Workspace(url=...)`
    that PostgreSQL database. `.backend` says which ('duckdb' or 'postgresql'); `.path` is the
    DuckDB file (None on PostgreSQL), `.location` a printable place (no password).
    """

    # --- saved scenarios ------------------------------------------------------------------
    def save_scenario(
        self,
        name: str,
        scenario: Scenario,
        *,
        author: str = "",
        note: str = "",
        overwrite: bool = False,
    ) -> SavedScenario:
        """Save under a name; with overwrite, replace its content as a new revision."""
        name = validate_name(name)
        author, note = validate_author(author), validate_note(note)
        if not isinstance(scenario, Scenario):
            raise TypeError(f"expected a Scenario, got {type(scenario).__name__}")
        spec_json = scenario.to_json()
        try:
            Scenario.from_json(spec_json)  # refuse to store what could not be read back
        except ScenarioError as exc:
            raise WorkspaceError("workspace.err_unsavable", error=exc) from exc
        now = _now()
        try:
            with self._transaction() as cur:
                row = cur.execute(
                    "SELECT id, created_at, revision FROM scenarios WHERE name = ?", [name]
                ).fetchone()
                if row is None:
                    scenario_id, created, revision = self._insert(
                        cur, name, scenario, spec_json, author, note, now
                    )
                elif not overwrite:
                    raise NameTaken("workspace.err_name_taken", name=name)
                else:
                    scenario_id, created, revision = row[0], row[1], row[2] + 1
                    cur.execute(
                        "UPDATE scenarios SET unit = ?, edition = ?, spec_json = ?, author = ?, "
                        "note = ?, updated_at = ?, revision = ? WHERE id = ?",
                        [scenario.unit, scenario.edition, spec_json, author, note, now, revision]
                        + [scenario_id],
                    )
                _append_revision(cur, scenario_id, revision, name, spec_json, author, note, now)
        except ConstraintViolation as exc:
            # Backstop only: the check above runs under the write lock and the file lock.
            raise NameTaken("workspace.err_name_taken", name=name) from exc
        return SavedScenario(
            id=int(scenario_id),
            name=name,
            scenario=scenario,
            author=author,
            note=note,
            created_at=_utc(created),
            updated_at=_utc(now),
            revision=int(revision),
        )

    @staticmethod
    def _insert(
        cur: Cursor,
        name: str,
        scenario: Scenario,
        spec_json: str,
        author: str,
        note: str,
        now: datetime,
    ) -> tuple[int, datetime, int]:
        row = cur.execute(
            "INSERT INTO scenarios "
            "(name, unit, edition, spec_json, author, note, created_at, updated_at, revision) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
            [name, scenario.unit, scenario.edition, spec_json, author, note, now, now],
        ).fetchone()
        return int(row[0]), now, 1

    def list_scenarios(
        self, unit: str | None = None, edition: int | None = None
    ) -> list[SavedScenario]:
        """Saved scenarios, last saved first; unreadable rows are logged and left out."""
        where, params = [], []
        if unit is not None:
            where.append("unit = ?")
            params.append(unit)
        if edition is not None:
            where.append("edition = ?")
            params.append(edition)
        sql = f"SELECT {SCENARIO_COLUMNS} FROM scenarios"
        if where:
            sql += " WHERE " + " AND ".join(where)  # fixed fragments; values are parameters
        sql += " ORDER BY updated_at DESC, id DESC"
        with self._cursor() as cur:
            rows = cur.execute(sql, params).fetchall()
        out = []
        for row in rows:
            try:
                out.append(saved_scenario(row))
            except ScenarioError as exc:
                # One bad row must not take the whole page down.
                log.warning("skipping saved scenario %r (id %s): %s", row[1], row[0], exc)
        return out

    def get_scenario(self, name: str) -> SavedScenario:
        name = validate_name(name)
        with self._cursor() as cur:
            row = cur.execute(
                f"SELECT {SCENARIO_COLUMNS} FROM scenarios WHERE name = ?", [name]
            ).fetchone()
        if row is None:
            raise NotFound("workspace.err_no_scenario", name=name)
        try:
            return saved_scenario(row)
        except ScenarioError as exc:
            raise CorruptScenario("workspace.err_corrupt", name=name, error=exc) from exc

    def rename_scenario(self, old: str, new: str) -> None:
        """Rename; the history keeps the names under which each revision was saved."""
        old, new = validate_name(old), validate_name(new)
        with self._transaction() as cur:
            row = cur.execute("SELECT id FROM scenarios WHERE name = ?", [old]).fetchone()
            if row is None:
                raise NotFound("workspace.err_no_scenario", name=old)
            if new == old:
                return
            if cur.execute("SELECT 1 FROM scenarios WHERE name = ?", [new]).fetchone():
                raise NameTaken("workspace.err_name_taken", name=new)
            try:
                cur.execute("UPDATE scenarios SET name = ? WHERE id = ?", [new, row[0]])
            except ConstraintViolation as exc:  # backstop, as in save_scenario
                raise NameTaken("workspace.err_name_taken", name=new) from exc

    def delete_scenario(self, name: str) -> None:
        """Delete; its revisions stay in scenario_revisions so a deletion can be undone by hand."""
        name = validate_name(name)
        with self._transaction() as cur:
            row = cur.execute(
                "DELETE FROM scenarios WHERE name = ? RETURNING id", [name]
            ).fetchone()
            if row is None:
                raise NotFound("workspace.err_no_scenario", name=name)

    def revisions(self, name: str) -> list[ScenarioRevision]:
        """The saved history, newest first, of the scenario called `name`.

        If no saved scenario has that name, the history of deleted scenarios that were saved
        under it (so a deletion can be undone); NotFound if there is neither.
        """
        name = validate_name(name)
        with self._cursor() as cur:
            live = cur.execute("SELECT id FROM scenarios WHERE name = ?", [name]).fetchone()
            if live is not None:
                ids = [int(live[0])]
            else:
                ids = [
                    int(r[0])
                    for r in cur.execute(
                        "SELECT DISTINCT scenario_id FROM scenario_revisions r "
                        "WHERE name = ? AND NOT EXISTS "
                        "(SELECT 1 FROM scenarios s WHERE s.id = r.scenario_id)",
                        [name],
                    ).fetchall()
                ]
            # Ids come from a sequence, so id then revision order is newest first without
            # trusting the clock.
            marks = ", ".join("?" * len(ids))  # placeholders only; the ids are parameters
            rows = (
                cur.execute(
                    "SELECT scenario_id, revision, name, spec_json, author, note, saved_at "
                    f"FROM scenario_revisions WHERE scenario_id IN ({marks}) "
                    "ORDER BY scenario_id DESC, revision DESC",
                    ids,
                ).fetchall()
                if ids
                else []
            )
        if not rows:
            raise NotFound("workspace.err_no_scenario", name=name)
        out = []
        for sid, rev, rname, spec_json, author, note, saved_at in rows:
            try:
                scenario = Scenario.from_json(spec_json)
            except ScenarioError as exc:
                log.warning("skipping revision %s of saved scenario id %s: %s", rev, sid, exc)
                continue
            out.append(
                ScenarioRevision(int(sid), int(rev), rname, scenario, author, note, _utc(saved_at))
            )
        return out

    # --- action-plan progress -------------------------------------------------------------
    def record_progress(
        self,
        plan_id: str,
        unit: str,
        code: str,
        *,
        kind: str,
        value: float,
        score: float,
        as_of: date,
        note: str = "",
        author: str = "",
    ) -> ProgressEntry:
        """Append one reading to an indicator's progress history (nothing is ever overwritten).

        The caller converts a raw value to its score (model.plan.progress_score); the store
        checks only that what it keeps can be read back as given.
        """
        plan_id, unit = validate_key(plan_id, "plan id"), validate_key(unit, "unit")
        code = validate_code(code)
        if kind not in ("score", "raw"):
            raise InvalidText("workspace.err_progress_kind", kind=repr(kind))
        value, score = finite(value, "value"), finite(score, "score")
        as_of = validate_day(as_of)
        author, note = validate_author(author), validate_note(note)
        now = _now()
        with self._transaction() as cur:
            row = cur.execute(
                "INSERT INTO plan_progress "
                "(plan_id, unit, code, kind, value, score, as_of, note, author, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [plan_id, unit, code, kind, value, score, as_of, note, author, now],
            ).fetchone()
        return ProgressEntry(
            int(row[0]), plan_id, unit, code, kind, value, score, as_of, note, author, _utc(now)
        )

    def progress_history(self, plan_id: str, code: str | None = None) -> list[ProgressEntry]:
        """A plan's readings that count, newest first (latest measurement date, then latest
        recorded): a corrected reading gives way to its correction, a withdrawn one is gone.
        `progress_log` keeps every row."""
        return [e for e in self.progress_log(plan_id, code) if not e.superseded and not e.withdrawn]

    def progress_log(self, plan_id: str, code: str | None = None) -> list[ProgressEntry]:
        """Every row of a plan's progress, in progress_history's order: readings, corrections
        and withdrawals, each replaced one marked `superseded`."""
        sql = f"SELECT {PROGRESS_COLUMNS} FROM plan_progress WHERE plan_id = ?"
        params: list[object] = [plan_id]
        if code is not None:
            sql += " AND code = ?"
            params.append(code)
        sql += " ORDER BY as_of DESC, id DESC"
        with self._cursor() as cur:
            rows = cur.execute(sql, params).fetchall()
        replaced = {int(r[11]) for r in rows if r[11] is not None}
        return [progress_entry(r, superseded=int(r[0]) in replaced) for r in rows]

    def correct_progress(
        self,
        entry_id: int,
        *,
        kind: str,
        value: float,
        score: float,
        as_of: date,
        note: str = "",
        author: str = "",
    ) -> ProgressEntry:
        """A corrected reading in place of reading `entry_id` (a new row: the first one stays
        in the log). NotFound when it is not a reading that counts now."""
        return self._replace_progress(entry_id, False, kind, value, score, as_of, note, author)

    def withdraw_progress(
        self, entry_id: int, *, note: str = "", author: str = ""
    ) -> ProgressEntry:
        """Withdraw reading `entry_id` (a row saying so; the reading stays in the log)."""
        return self._replace_progress(entry_id, True, None, None, None, None, note, author)

    def _replace_progress(self, entry_id, withdraw, kind, value, score, as_of, note, author):
        if kind is not None and kind not in ("score", "raw"):
            raise InvalidText("workspace.err_progress_kind", kind=repr(kind))
        author, note = validate_author(author), validate_note(note)
        now = _now()
        with self._transaction() as cur:
            old = cur.execute(
                f"SELECT {PROGRESS_COLUMNS} FROM plan_progress WHERE id = ? AND NOT "
                "coalesce(withdrawn, FALSE) AND id NOT IN "
                "(SELECT replaces FROM plan_progress WHERE replaces IS NOT NULL)",
                [int(entry_id)],
            ).fetchone()
            if old is None:  # unknown, or already corrected or withdrawn by someone else
                raise NotFound("workspace.err_no_progress", id=int(entry_id))
            prev = progress_entry(old)
            if withdraw:
                kind, value, score, as_of = prev.kind, prev.value, prev.score, prev.as_of
            value, score = finite(value, "value"), finite(score, "score")
            as_of = validate_day(as_of)
            row = cur.execute(
                "INSERT INTO plan_progress (plan_id, unit, code, kind, value, score, as_of, "
                "note, author, recorded_at, replaces, withdrawn) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    prev.plan_id,
                    prev.unit,
                    prev.code,
                    kind,
                    value,
                    score,
                    as_of,
                    note,
                    author,
                    now,
                    prev.id,
                    bool(withdraw),
                ],
            ).fetchone()
        return ProgressEntry(
            int(row[0]), prev.plan_id, prev.unit, prev.code, kind, value, score, as_of, note,
            author, _utc(now), prev.id, bool(withdraw),
        )  # fmt: skip

    def latest_progress(self, plan_id: str) -> dict[str, ProgressEntry]:
        """Each indicator's newest reading (as ordered by progress_history)."""
        latest: dict[str, ProgressEntry] = {}
        for entry in self.progress_history(plan_id):
            latest.setdefault(entry.code, entry)
        return latest

    # ---- budget assumption sets --------------------------------------------------------------
    def save_assumptions(
        self,
        name: str,
        spec_json: str,
        *,
        unit: str,
        edition: int,
        author: str = "",
        overwrite: bool = False,
    ) -> None:
        """Keep a named budget assumption set (the JSON of model.budget.Assumptions)."""
        name, author = validate_name(name), validate_author(author)
        unit = validate_key(unit, "unit")
        with self._transaction() as cur:
            exists = cur.execute("SELECT 1 FROM assumption_sets WHERE name = ?", [name]).fetchone()
            if exists and not overwrite:
                raise NameTaken("workspace.err_assumptions_taken", name=name)
            cur.execute("DELETE FROM assumption_sets WHERE name = ?", [name])
            cur.execute(
                "INSERT INTO assumption_sets (name, unit, edition, spec_json, author, saved_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [name, unit, int(edition), spec_json, author, _now()],
            )

    def list_assumptions(self, unit: str | None = None) -> list[str]:
        sql, params = "SELECT name FROM assumption_sets", []
        if unit is not None:
            sql, params = sql + " WHERE unit = ?", [unit]
        with self._cursor() as cur:
            return [r[0] for r in cur.execute(sql + " ORDER BY saved_at DESC", params).fetchall()]

    def get_assumptions(self, name: str) -> str:
        """The stored JSON, exactly as saved (model.budget.Assumptions.from_json reads it)."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT spec_json FROM assumption_sets WHERE name = ?", [str(name).strip()]
            ).fetchone()
        if row is None:
            raise NotFound("workspace.err_no_assumptions", name=str(name))
        return row[0]

    def delete_assumptions(self, name: str) -> None:
        with self._transaction() as cur:
            gone = cur.execute(
                "DELETE FROM assumption_sets WHERE name = ? RETURNING name", [str(name).strip()]
            ).fetchone()
        if gone is None:
            raise NotFound("workspace.err_no_assumptions", name=str(name))


__all__ = [
    "BUSY_TIMEOUT",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ConstraintViolation",
    "CorruptScenario",
    "DatasetVersion",
    "InvalidName",
    "InvalidText",
    "NameTaken",
    "NotFound",
    "PlanRevision",
    "ProgressEntry",
    "ReadOnly",
    "SavedScenario",
    "ScenarioRevision",
    "StaleRevision",
    "Workspace",
    "WorkspaceBusy",
    "WorkspaceError",
    "close_all",
    "validate_name",
]
