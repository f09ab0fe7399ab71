"""The user store's tables: append migrations, never edit a released one (files and databases in
the field are at any version).

The SQL is portable between DuckDB and PostgreSQL: CREATE SEQUENCE / nextval, VARCHAR,
INTEGER, DOUBLE PRECISION (migration 2 said DOUBLE, which DuckDB reads as the same type, so
the files it made are unchanged), DATE, TIMESTAMP (UTC, without a time zone). Each backend
applies MIGRATIONS in order, one transaction per migration, recording each in schema_version.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .errors import WorkspaceError

MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "saved scenarios and their revision history",
        (
            "CREATE SEQUENCE IF NOT EXISTS scenario_ids START 1",
            """CREATE TABLE IF NOT EXISTS scenarios (
                id INTEGER PRIMARY KEY DEFAULT nextval('scenario_ids'),
                name VARCHAR NOT NULL UNIQUE,
                unit VARCHAR NOT NULL,
                edition INTEGER NOT NULL,
                spec_json VARCHAR NOT NULL,
                author VARCHAR NOT NULL DEFAULT '',
                note VARCHAR NOT NULL DEFAULT '',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                revision INTEGER NOT NULL DEFAULT 1
            )""",
            # No foreign key to scenarios: history must outlive a deleted scenario.
            """CREATE TABLE IF NOT EXISTS scenario_revisions (
                scenario_id INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                name VARCHAR NOT NULL,
                spec_json VARCHAR NOT NULL,
                author VARCHAR NOT NULL DEFAULT '',
                note VARCHAR NOT NULL DEFAULT '',
                saved_at TIMESTAMP NOT NULL,
                PRIMARY KEY (scenario_id, revision)
            )""",
        ),
    ),
    (
        2,
        "action-plan progress updates (append-only history)",
        (
            "CREATE SEQUENCE IF NOT EXISTS progress_ids START 1",
            # One row per reading, never updated: the history is the table. `value` is what
            # was typed (a score or a raw value, see `kind`); `score` its score-equivalent
            # under the plan's baseline goalposts, computed when it was recorded.
            """CREATE TABLE IF NOT EXISTS plan_progress (
                id INTEGER PRIMARY KEY DEFAULT nextval('progress_ids'),
                plan_id VARCHAR NOT NULL,
                unit VARCHAR NOT NULL,
                code VARCHAR NOT NULL,
                kind VARCHAR NOT NULL CHECK (kind IN ('score', 'raw')),
                value DOUBLE PRECISION NOT NULL,
                score DOUBLE PRECISION NOT NULL,
                as_of DATE NOT NULL,
                note VARCHAR NOT NULL DEFAULT '',
                author VARCHAR NOT NULL DEFAULT '',
                recorded_at TIMESTAMP NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS plan_progress_plan ON plan_progress (plan_id, code)",
        ),
    ),
    (
        3,
        "named budget assumption sets (model.budget.Assumptions as JSON)",
        (
            """CREATE TABLE IF NOT EXISTS assumption_sets (
                name VARCHAR PRIMARY KEY,
                unit VARCHAR NOT NULL,
                edition INTEGER NOT NULL,
                spec_json VARCHAR NOT NULL,
                author VARCHAR NOT NULL DEFAULT '',
                saved_at TIMESTAMP NOT NULL
            )""",
        ),
    ),
    (
        4,
        "dataset versions (official data imports and rollbacks)",
        (
            "CREATE SEQUENCE IF NOT EXISTS dataset_version_ids START 1",
            """CREATE TABLE IF NOT EXISTS dataset_versions (
                id INTEGER PRIMARY KEY DEFAULT nextval('dataset_version_ids'),
                kind VARCHAR NOT NULL CHECK (kind IN ('import', 'rollback')),
                edition INTEGER,
                restores INTEGER,
                author VARCHAR NOT NULL DEFAULT '',
                file_name VARCHAR NOT NULL DEFAULT '',
                checksum VARCHAR NOT NULL DEFAULT '',
                note VARCHAR NOT NULL DEFAULT '',
                report_json VARCHAR NOT NULL DEFAULT '{}',
                created_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS dataset_values (
                version_id INTEGER NOT NULL,
                unit VARCHAR NOT NULL,
                code VARCHAR NOT NULL,
                score DOUBLE PRECISION,
                raw DOUBLE PRECISION,
                provenance VARCHAR NOT NULL,
                PRIMARY KEY (version_id, unit, code)
            )""",
            """CREATE TABLE IF NOT EXISTS dataset_goalposts (
                version_id INTEGER NOT NULL,
                code VARCHAR NOT NULL,
                min_raw DOUBLE PRECISION,
                max_raw DOUBLE PRECISION,
                provenance VARCHAR NOT NULL,
                PRIMARY KEY (version_id, code)
            )""",
        ),
    ),
    (
        5,
        "plans as user data: each plan, its targets, and its revision history",
        (
            # The plan as it is now; `revision` is its latest revision. (unit, name) is unique:
            # saving a name again is a new revision of the same plan.
            """CREATE TABLE IF NOT EXISTS plans (
                id VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                unit VARCHAR NOT NULL,
                edition INTEGER NOT NULL,
                target_year INTEGER NOT NULL,
                milestones VARCHAR NOT NULL DEFAULT '',
                status VARCHAR NOT NULL CHECK (status IN ('draft', 'adopted')),
                source VARCHAR NOT NULL
                    CHECK (source IN ('typed', 'imported', 'recommended', 'carried', 'seed')),
                source_ref VARCHAR NOT NULL DEFAULT '',
                author VARCHAR NOT NULL DEFAULT '',
                note VARCHAR NOT NULL DEFAULT '',
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                revision INTEGER NOT NULL,
                UNIQUE (unit, name)
            )""",
            # Its targets now (replaced as a whole by each save); seq is the plan's row number.
            """CREATE TABLE IF NOT EXISTS plan_targets (
                plan_id VARCHAR NOT NULL,
                seq INTEGER NOT NULL,
                code VARCHAR NOT NULL,
                baseline DOUBLE PRECISION NOT NULL,
                target DOUBLE PRECISION NOT NULL CHECK (target >= 0 AND target <= 100),
                target_text VARCHAR NOT NULL DEFAULT '',
                lead_unit VARCHAR NOT NULL DEFAULT '',
                coordinating_units VARCHAR NOT NULL DEFAULT '',
                timeframe VARCHAR NOT NULL DEFAULT '',
                tasks VARCHAR NOT NULL DEFAULT '',
                PRIMARY KEY (plan_id, code)
            )""",
            # Append-only, no foreign key: the history outlives a deleted plan. plan_json is the
            # whole plan as saved (model.plan.Plan.to_dict), changes_json what changed.
            """CREATE TABLE IF NOT EXISTS plan_revisions (
                plan_id VARCHAR NOT NULL,
                revision INTEGER NOT NULL,
                saved_at TIMESTAMP NOT NULL,
                author VARCHAR NOT NULL DEFAULT '',
                note VARCHAR NOT NULL DEFAULT '',
                changes_json VARCHAR NOT NULL DEFAULT '[]',
                plan_json VARCHAR NOT NULL,
                PRIMARY KEY (plan_id, revision)
            )""",
        ),
    ),
    (
        6,
        "the departments users add to a unit's list of lead units",
        (
            # One row per unit and name (the Plan page's "add a department"): kept for every
            # plan of the unit, on every server.
            """CREATE TABLE IF NOT EXISTS unit_departments (
                unit VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                added_at TIMESTAMP NOT NULL,
                added_by VARCHAR NOT NULL DEFAULT '',
                PRIMARY KEY (unit, name)
            )""",
        ),
    ),
    (
        7,
        "progress readings corrected or withdrawn (still append-only)",
        (
            # A correction or a withdrawal is a new row naming the reading it replaces; the
            # replaced row stays as it was, so the history keeps what was first recorded.
            "ALTER TABLE plan_progress ADD COLUMN replaces INTEGER",
            "ALTER TABLE plan_progress ADD COLUMN withdrawn BOOLEAN DEFAULT FALSE",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


SCHEMA_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL, description VARCHAR)"
)


def check_not_newer(current: int) -> None:
    """Refuse a store written by a newer program (its tables may mean something else)."""
    if current > SCHEMA_VERSION:
        raise WorkspaceError("workspace.err_newer_schema", current=current, known=SCHEMA_VERSION)


def now() -> datetime:
    """UTC without tzinfo: what a TIMESTAMP column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def utc(ts: datetime) -> datetime:
    """A stored TIMESTAMP as the timezone-aware UTC time callers get."""
    return ts.replace(tzinfo=UTC)
