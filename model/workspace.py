"""The workspace: what users write (saved scenarios; later progress, imports, dataset versions).

It lives in its own DuckDB file (paths.workspace_db()), apart from the reference database, so
a rebuild never touches it. The schema is versioned (table schema_version) and upgraded by the
ordered MIGRATIONS below when the file is opened.

Concurrency, in one process: every write takes one process-wide lock and runs in a transaction
(BEGIN/COMMIT, ROLLBACK on any error), so writes never interleave and a failure leaves nothing
half-written; reads take a cursor of their own and run beside writes (DuckDB is MVCC).

Connection strategy, across processes: DuckDB lets only one process open a file read-write, so
a connection held for the app's lifetime would lock the CLI out for good. Opening per operation
is not cheap either: measured on the dev box, open + close costs ~25 ms (DuckDB instance
start-up and the checkpoint on close), a whole save on an open connection ~5 ms, so per-operation
opening would make saves ~6x slower and a page's handful of reads pay it each time. So each
file has one shared connection per process, opened on demand, used by every thread and every
Workspace object on that file, and closed once nobody has used it for IDLE_CLOSE seconds. A burst
of work (a page rerun, a bulk save) pays for one open; between bursts the file is free, and a
process that finds it locked retries with short backoff for up to BUSY_TIMEOUT seconds before
raising WorkspaceBusy. (A process that never pauses for IDLE_CLOSE keeps the file to itself.)

Two implementations of the same store: the embedded DuckDB file above (the default), and
PostgreSQL (model/store_pg.py) for a deployment with several app servers behind a load
balancer, selected by a connection string (paths.store_url(): env PII_STORE_URL, which the app
fills from the Streamlit secret `store_url`). Workspace is the one interface: its methods hold
the SQL, written once for both (portable types, `?` placeholders that the PostgreSQL backend
translates); a backend supplies connections, transactions, bulk inserts and error translation,
so callers see the same error classes from both. On PostgreSQL every write transaction first
takes a transaction-level advisory lock, so writes from every server are serialised like
the writes of one process on DuckDB, and migrations run under another advisory lock, so servers
starting at once migrate once.
"""

from __future__ import annotations

import atexit
import json
import logging
import math
import random
import re
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pandas as pd

from . import paths
from .scenario import Scenario, ScenarioError

log = logging.getLogger(__name__)

NAME_MAX = 120
AUTHOR_MAX = 120
NOTE_MAX = 10_000
FILE_NAME_MAX = 255
CHECKSUM_MAX = 128
REPORT_MAX = 1_000_000  # characters of a dataset version's report JSON
BUSY_TIMEOUT = 5.0  # seconds to keep retrying when another process holds the file
IDLE_CLOSE = 0.5  # seconds of disuse before the shared connection is closed (frees the file)


# --------------------------------------------------------------------------------------------
# Errors: the UI translates by class, so messages are plain English for logs and the CLI.
# --------------------------------------------------------------------------------------------


class WorkspaceError(Exception):
    """Something the workspace cannot do; the message says why in plain words."""


class InvalidText(WorkspaceError, ValueError):
    """A name, author or note that cannot be stored as given."""


class InvalidName(InvalidText):
    """A scenario name that is empty, too long, or contains control characters."""


class NameTaken(WorkspaceError):
    """Another saved scenario already has this name."""


class NotFound(WorkspaceError, LookupError):
    """No saved scenario has this name."""


class CorruptScenario(WorkspaceError):
    """A stored scenario whose JSON no longer validates (e.g. written by an older version)."""


class WorkspaceBusy(WorkspaceError):
    """Another program kept the workspace file locked for longer than we waited."""


class ConstraintViolation(WorkspaceError):
    """The database refused a write that breaks a table's constraint (unique, check, not null).

    The methods turn the ones they expect into a named error (NameTaken); this is the rest.
    """


# --------------------------------------------------------------------------------------------
# Values returned to callers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    scenario: Scenario
    author: str
    note: str
    created_at: datetime  # UTC, timezone-aware
    updated_at: datetime  # UTC: when this content was saved (a rename does not change it)
    revision: int

    @property
    def unit(self) -> str:
        return self.scenario.unit

    @property
    def edition(self) -> int:
        return self.scenario.edition


@dataclass(frozen=True)
class ProgressEntry:
    """One progress reading of a plan's indicator, as recorded."""

    id: int
    plan_id: str
    unit: str
    code: str
    kind: str  # 'score' | 'raw': what `value` is
    value: float
    score: float  # score-equivalent under the plan's baseline goalposts
    as_of: date  # when the value was measured
    note: str
    author: str
    recorded_at: datetime  # UTC, timezone-aware


@dataclass(frozen=True)
class ScenarioRevision:
    scenario_id: int
    revision: int
    name: str  # the name it had when this revision was saved
    scenario: Scenario
    author: str
    note: str
    saved_at: datetime  # UTC, timezone-aware


@dataclass(frozen=True)
class DatasetVersion:
    """One change of the official data: an import of an edition's file, or a rollback."""

    id: int
    kind: str  # 'import' | 'rollback'
    edition: int | None  # the edition an import changed; None for a rollback
    restores: int | None  # a rollback: the version whose state it restores (0 = embedded data)
    author: str
    file_name: str
    checksum: str
    note: str
    report_json: str
    created_at: datetime  # UTC, timezone-aware
    n_values: int  # rows of dataset_values stored with it


# --------------------------------------------------------------------------------------------
# Schema: append migrations, never edit a released one (files in the field are at any version).
# The SQL is portable between DuckDB and PostgreSQL: CREATE SEQUENCE / nextval, VARCHAR,
# INTEGER, DOUBLE PRECISION (migration 2 said DOUBLE, which DuckDB reads as the same type, so
# the files it made are unchanged), DATE, TIMESTAMP (UTC, without a time zone).
# --------------------------------------------------------------------------------------------

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
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


SCHEMA_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL, description VARCHAR)"
)


def check_not_newer(current: int) -> None:
    if current > SCHEMA_VERSION:
        raise WorkspaceError(
            f"the workspace was written by a newer version of this program (schema {current}, "
            f"this program knows up to {SCHEMA_VERSION}); update the program"
        )


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a freshly opened file up to SCHEMA_VERSION, one transaction per migration."""
    con.execute(SCHEMA_VERSION_TABLE)
    current = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
    check_not_newer(current)
    for version, description, statements in MIGRATIONS:
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for sql in statements:
                con.execute(sql)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)", [version, _now(), description]
            )
            con.execute("COMMIT")
        except BaseException:
            with suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise


# --------------------------------------------------------------------------------------------
# Connections: one per file per process, shared, closed when idle (see the module docstring).
# --------------------------------------------------------------------------------------------


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _open(path: Path, timeout: float) -> duckdb.DuckDBPyConnection:
    """Open and migrate, retrying while another process holds the file lock."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # e.g. a file where the folder should be, a read-only disk
        raise WorkspaceError(
            f"cannot create the folder of the workspace {path}: {exc.strerror}"
        ) from exc
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            con = duckdb.connect(str(path))
        except duckdb.Error as exc:
            if not _is_lock_conflict(exc):
                raise WorkspaceError(f"cannot open the workspace {path}: {exc}") from exc
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkspaceBusy(
                    f"the workspace {path} is in use by another program (the app or the "
                    f"command line); tried for {timeout:g} s, please try again"
                ) from exc
            # Jitter so two waiting processes do not retry in lockstep.
            time.sleep(min(left, delay * random.uniform(0.5, 1.5)))
            delay = min(delay * 2, 0.25)
            continue
        try:
            _migrate(con)
        except BaseException:
            con.close()
            raise
        return con


class _Shared:
    """The connection to one file, with a count of users; a reaper thread closes it when idle."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.users = 0
        self.broken = False  # a fatal DuckDB error invalidated the instance: reopen
        self.idle_since = 0.0
        self.reaper: threading.Thread | None = None

    def acquire(self, timeout: float) -> duckdb.DuckDBPyConnection:
        with self.lock:
            if self.broken and self.users == 0:
                self._close_locked()
            if self.con is None:
                self.con = _open(self.path, timeout)
                self.broken = False
            self.users += 1
            return self.con

    def release(self, broken: bool = False) -> None:
        with self.lock:
            self.users -= 1
            self.broken = self.broken or broken
            self.idle_since = time.monotonic()
            if self.users == 0 and self.reaper is None:
                self.reaper = threading.Thread(
                    target=self._reap, name=f"workspace-idle-close:{self.path.name}", daemon=True
                )
                self.reaper.start()

    def _reap(self) -> None:
        # self.reaper is cleared under the lock on exit, so release() never relies on a
        # reaper that has already decided to stop.
        while True:
            with self.lock:
                idle = time.monotonic() - self.idle_since
                if self.users == 0 and (self.con is None or self.broken or idle >= IDLE_CLOSE):
                    self._close_locked()
                    self.reaper = None
                    return
                wait = IDLE_CLOSE - idle if self.users == 0 else IDLE_CLOSE
            time.sleep(max(wait, 0.005))

    def _close_locked(self) -> None:
        if self.con is not None:
            con, self.con = self.con, None
            with suppress(duckdb.Error):
                con.close()


_registry_lock = threading.Lock()
_registry: dict[str, _Shared] = {}
_write_lock = threading.Lock()  # the single writer of this process, for every workspace file


def _shared(path: Path) -> _Shared:
    key = str(path.resolve())
    with _registry_lock:
        sh = _registry.get(key)
        if sh is None:
            sh = _registry[key] = _Shared(Path(key))
        return sh


def close_all() -> None:
    """Close every idle workspace connection now (at exit, and for tests).

    PostgreSQL pools are closed too, and forget that they migrated (the next use checks again).
    """
    with _registry_lock:
        shared = list(_registry.values())
    for sh in shared:
        with sh.lock:
            if sh.users == 0:
                sh._close_locked()
    pg = sys.modules.get(f"{__package__}.store_pg")
    if pg is not None:
        pg.close_all()


atexit.register(close_all)  # a clean close checkpoints the WAL into the file


# --------------------------------------------------------------------------------------------
# Validation of user text: reject only what cannot be stored faithfully; keep the rest exact.
# --------------------------------------------------------------------------------------------

_BAD_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}  # controls, lone surrogates, line/paragraph breaks


def validate_name(name: str) -> str:
    """The name as it will be stored (surrounding whitespace stripped), or InvalidName."""
    if not isinstance(name, str):
        raise InvalidName("a scenario name must be text")
    clean = name.strip()
    if not clean:
        raise InvalidName("a scenario name cannot be empty")
    if len(clean) > NAME_MAX:
        raise InvalidName(
            f"a scenario name can have at most {NAME_MAX} characters, this one has {len(clean)}"
        )
    bad = next((ch for ch in clean if unicodedata.category(ch) in _BAD_CATEGORIES), None)
    if bad is not None:
        raise InvalidName(
            f"a scenario name cannot contain control characters or line breaks "
            f"(found U+{ord(bad):04X})"
        )
    return clean


def _validate_author(author: str) -> str:
    if not isinstance(author, str):
        raise InvalidText("the author must be text")
    clean = author.strip()
    if len(clean) > AUTHOR_MAX:
        raise InvalidText(f"the author can have at most {AUTHOR_MAX} characters")
    if any(unicodedata.category(ch) in _BAD_CATEGORIES for ch in clean):
        raise InvalidText("the author cannot contain control characters or line breaks")
    return clean


def _validate_note(note: str) -> str:
    # Notes are free text: line breaks and tabs are fine, other control characters are not.
    if not isinstance(note, str):
        raise InvalidText("the note must be text")
    if len(note) > NOTE_MAX:
        raise InvalidText(f"the note can have at most {NOTE_MAX} characters")
    for ch in note:
        cat = unicodedata.category(ch)
        if cat == "Cs" or (cat == "Cc" and ch not in "\t\n\r"):
            raise InvalidText(f"the note cannot contain control characters (found U+{ord(ch):04X})")
    return note


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------


def _now() -> datetime:
    """UTC without tzinfo: what a DuckDB TIMESTAMP column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def _utc(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC)


_SCENARIO_COLUMNS = "id, name, spec_json, author, note, created_at, updated_at, revision"


def _append_revision(
    cur: duckdb.DuckDBPyConnection,
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


def _saved(row: Sequence) -> SavedScenario:
    """A row of _SCENARIO_COLUMNS as a value; ScenarioError if its JSON no longer validates."""
    id_, name, spec_json, author, note, created, updated, revision = row
    return SavedScenario(
        id=int(id_),
        name=name,
        scenario=Scenario.from_json(spec_json),
        author=author,
        note=note,
        created_at=_utc(created),
        updated_at=_utc(updated),
        revision=int(revision),
    )


class _DuckDBBackend:
    """The embedded default: one DuckDB file, its connection shared (see the module docstring)."""

    kind = "duckdb"

    def __init__(self, path: Path, busy_timeout: float) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._shared = _shared(path)  # the file and schema are created on first use

    def describe(self) -> str:
        return str(self.path)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = self._shared.acquire(self.busy_timeout)
        broken = False
        try:
            cur = con.cursor()
            try:
                yield cur
            finally:
                cur.close()
        except duckdb.ConstraintException as exc:
            raise ConstraintViolation(f"the workspace refused the write: {exc}") from exc
        except duckdb.Error as exc:
            broken = isinstance(exc, duckdb.FatalException)
            raise WorkspaceError(f"the workspace database failed: {exc}") from exc
        finally:
            self._shared.release(broken)

    def begin(self, cur: duckdb.DuckDBPyConnection) -> None:
        # This process's writes are serialised by _write_lock; other processes by the file lock.
        cur.execute("BEGIN TRANSACTION")

    @staticmethod
    def insert_frame(
        cur: duckdb.DuckDBPyConnection, table: str, version_id: int, frame: pd.DataFrame
    ) -> None:
        """INSERT ... SELECT from the registered frame: one statement, no per-row round trip."""
        view = f"incoming_{table}"
        cols = ", ".join(frame.columns)  # fixed names, checked by _clean_frame
        cur.register(view, frame)
        try:
            cur.execute(
                f"INSERT INTO {table} (version_id, {cols}) SELECT ?, {cols} FROM {view}",
                [version_id],
            )
        finally:
            cur.unregister(view)


STORE_URL_WHAT = "the store URL (PII_STORE_URL, or store_url in the Streamlit secrets)"


def describe_store_url(url: str) -> str:
    """The URL without its password, after checking it names a PostgreSQL database.

    WorkspaceError (whose message never contains the password) if it is malformed.
    """
    what = STORE_URL_WHAT
    if not isinstance(url, str) or not url.strip():
        raise WorkspaceError(f"{what} is empty")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        user, host = parts.username, parts.hostname
    except ValueError:
        raise WorkspaceError(
            f"{what} is not a valid URL (expected postgresql://user:password@host:5432/database)"
        ) from None
    if parts.scheme not in ("postgresql", "postgres"):
        shown = parts.scheme if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{0,20}", parts.scheme) else ""
        raise WorkspaceError(
            f"{what} must start with postgresql:// (found {shown + '://' if shown else 'none'})"
        )
    database = parts.path.lstrip("/")
    if not database or "/" in database:
        raise WorkspaceError(
            f"{what} must name one database: postgresql://user:password@host:5432/database"
        )
    if not host and "host=" not in parts.query:
        raise WorkspaceError(f"{what} names no server: postgresql://user:password@HOST/database")
    login = f"{user}@" if user else ""
    return f"postgresql://{login}{host or ''}{f':{port}' if port else ''}/{database}"


class Workspace:
    """What users write, in DuckDB (the default) or PostgreSQL; cheap to create, thread-safe.

    `Workspace()` uses PostgreSQL when paths.store_url() is set, else the DuckDB file
    paths.workspace_db(); `Workspace(path)` is always that DuckDB file, `Workspace(url=...)`
    that PostgreSQL database. `.backend` says which ('duckdb' or 'postgresql'); `.path` is the
    DuckDB file (None on PostgreSQL), `.location` a printable place (no password).
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        busy_timeout: float = BUSY_TIMEOUT,
        url: str | None = None,
    ) -> None:
        if path is not None and url is not None:
            raise ValueError("give a DuckDB path or a PostgreSQL URL, not both")
        if path is None and url is None:
            url = paths.store_url()
        self.busy_timeout = busy_timeout
        self.path: Path | None
        if url is not None:
            describe_store_url(url)  # refuse a malformed URL before importing the driver
            try:
                from .store_pg import PostgresBackend
            except ImportError as exc:  # pragma: no cover - psycopg is in requirements.txt
                raise WorkspaceError(
                    "a PostgreSQL store needs the psycopg package (pip install 'psycopg[binary]')"
                ) from exc
            self.path = None
            self._backend = PostgresBackend(url, busy_timeout)
        else:
            # The folder is made on first use (_open): creating a Workspace never fails.
            self.path = Path(path) if path is not None else paths.workspace_db()
            self._backend = _DuckDBBackend(self.path, busy_timeout)
        self.backend: str = self._backend.kind
        self.location: str = self._backend.describe()

    def __repr__(self) -> str:
        if self.path is not None:
            return f"Workspace({str(self.path)!r})"
        return f"Workspace(url={self.location!r})"

    # --- plumbing -------------------------------------------------------------------------
    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own (threads never share one): `cur.execute(sql, params)` with `?`
        placeholders on both backends, returning the cursor for fetchone()/fetchall().

        Database errors come out as WorkspaceError (ConstraintViolation, WorkspaceBusy, or
        WorkspaceError itself), so callers (the UI) catch one family.
        """
        with self._backend.cursor() as cur:
            yield cur

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write: serialised with every other write (of this process; on PostgreSQL of
        every server), all or nothing."""
        with _write_lock, self._backend.cursor() as cur:
            self._backend.begin(cur)
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException:
                with suppress(Exception):  # a failed COMMIT has already rolled back
                    cur.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        with self._cursor() as cur:
            return int(cur.execute("SELECT max(version) FROM schema_version").fetchone()[0])

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
        author, note = _validate_author(author), _validate_note(note)
        if not isinstance(scenario, Scenario):
            raise TypeError(f"expected a Scenario, got {type(scenario).__name__}")
        spec_json = scenario.to_json()
        try:
            Scenario.from_json(spec_json)  # refuse to store what could not be read back
        except ScenarioError as exc:
            raise WorkspaceError(f"this scenario cannot be saved: {exc}") from exc
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
                    raise NameTaken(f"a saved scenario is already called {name!r}")
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
            raise NameTaken(f"a saved scenario is already called {name!r}") from exc
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
        cur: duckdb.DuckDBPyConnection,
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
        sql = f"SELECT {_SCENARIO_COLUMNS} FROM scenarios"
        if where:
            sql += " WHERE " + " AND ".join(where)  # fixed fragments; values are parameters
        sql += " ORDER BY updated_at DESC, id DESC"
        with self._cursor() as cur:
            rows = cur.execute(sql, params).fetchall()
        out = []
        for row in rows:
            try:
                out.append(_saved(row))
            except ScenarioError as exc:
                # One bad row must not take the whole page down.
                log.warning("skipping saved scenario %r (id %s): %s", row[1], row[0], exc)
        return out

    def get_scenario(self, name: str) -> SavedScenario:
        name = validate_name(name)
        with self._cursor() as cur:
            row = cur.execute(
                f"SELECT {_SCENARIO_COLUMNS} FROM scenarios WHERE name = ?", [name]
            ).fetchone()
        if row is None:
            raise NotFound(f"no saved scenario is called {name!r}")
        try:
            return _saved(row)
        except ScenarioError as exc:
            raise CorruptScenario(
                f"the saved scenario {name!r} can no longer be read: {exc}"
            ) from exc

    def rename_scenario(self, old: str, new: str) -> None:
        """Rename; the history keeps the names under which each revision was saved."""
        old, new = validate_name(old), validate_name(new)
        with self._transaction() as cur:
            row = cur.execute("SELECT id FROM scenarios WHERE name = ?", [old]).fetchone()
            if row is None:
                raise NotFound(f"no saved scenario is called {old!r}")
            if new == old:
                return
            if cur.execute("SELECT 1 FROM scenarios WHERE name = ?", [new]).fetchone():
                raise NameTaken(f"a saved scenario is already called {new!r}")
            try:
                cur.execute("UPDATE scenarios SET name = ? WHERE id = ?", [new, row[0]])
            except ConstraintViolation as exc:  # backstop, as in save_scenario
                raise NameTaken(f"a saved scenario is already called {new!r}") from exc

    def delete_scenario(self, name: str) -> None:
        """Delete; its revisions stay in scenario_revisions so a deletion can be undone by hand."""
        name = validate_name(name)
        with self._transaction() as cur:
            row = cur.execute(
                "DELETE FROM scenarios WHERE name = ? RETURNING id", [name]
            ).fetchone()
            if row is None:
                raise NotFound(f"no saved scenario is called {name!r}")

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
            raise NotFound(f"no saved scenario is called {name!r}")
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
        plan_id, unit = _validate_key(plan_id, "plan id"), _validate_key(unit, "unit")
        if not isinstance(code, str) or not _CODE.match(code):
            raise InvalidText(f"indicator code {code!r} is not of the form 2.2.3")
        if kind not in ("score", "raw"):
            raise InvalidText(f"a progress value is a 'score' or a 'raw' value, not {kind!r}")
        value, score = _finite(value, "value"), _finite(score, "score")
        as_of = _validate_day(as_of)
        author, note = _validate_author(author), _validate_note(note)
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
        """A plan's readings, newest first: latest measurement date, then latest recorded."""
        sql = f"SELECT {_PROGRESS_COLUMNS} FROM plan_progress WHERE plan_id = ?"
        params: list[object] = [plan_id]
        if code is not None:
            sql += " AND code = ?"
            params.append(code)
        sql += " ORDER BY as_of DESC, id DESC"
        with self._cursor() as cur:
            rows = cur.execute(sql, params).fetchall()
        return [_progress(r) for r in rows]

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
        name, author = validate_name(name), _validate_author(author)
        unit = _validate_key(unit, "unit")
        with self._transaction() as cur:
            exists = cur.execute("SELECT 1 FROM assumption_sets WHERE name = ?", [name]).fetchone()
            if exists and not overwrite:
                raise NameTaken(f"an assumption set named {name!r} exists")
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
            raise NotFound(f"no assumption set named {name!r}")
        return row[0]

    def delete_assumptions(self, name: str) -> None:
        with self._transaction() as cur:
            gone = cur.execute(
                "DELETE FROM assumption_sets WHERE name = ? RETURNING name", [str(name).strip()]
            ).fetchone()
        if gone is None:
            raise NotFound(f"no assumption set named {name!r}")

    # ---- dataset versions (official data imports and rollbacks) -------------------------------
    def add_dataset_version(
        self,
        kind: str,
        *,
        edition: int | None = None,
        restores: int | None = None,
        author: str = "",
        file_name: str = "",
        checksum: str = "",
        note: str = "",
        report_json: str = "{}",
        values: pd.DataFrame | None = None,
        goalposts: pd.DataFrame | None = None,
    ) -> DatasetVersion:
        """Record one import or rollback with its values and goalposts, in one transaction.

        An import names the edition it changed (restores None); a rollback names the version
        whose state it restores (0 = the embedded data; edition None). `values` has columns
        unit, code, score, raw, provenance; `goalposts` code, min_raw, max_raw, provenance
        (extra columns are ignored; NaN is stored as NULL).
        """
        if kind == "import":
            if isinstance(edition, bool) or not isinstance(edition, int):
                raise InvalidText("an import names the edition it changed (a year)")
            if restores is not None:
                raise InvalidText("an import restores no version; only a rollback does")
        elif kind == "rollback":
            if isinstance(restores, bool) or not isinstance(restores, int) or restores < 0:
                raise InvalidText("a rollback names the version it restores (0 = embedded data)")
            if edition is not None:
                raise InvalidText("a rollback changes no single edition; give edition=None")
        else:
            raise InvalidText(f"a dataset version is an 'import' or a 'rollback', not {kind!r}")
        author, note = _validate_author(author), _validate_note(note)
        file_name = _validate_line(file_name, "file name", FILE_NAME_MAX)
        checksum = _validate_line(checksum, "checksum", CHECKSUM_MAX)
        report_json = _validate_report(report_json)
        vals = _clean_frame(values, _VALUE_TEXT, _VALUE_NUMBERS, ("unit", "code"), "values")
        goals = _clean_frame(goalposts, _GOAL_TEXT, _GOAL_NUMBERS, ("code",), "goalposts")
        now = _now()
        with self._transaction() as cur:
            if kind == "rollback" and restores:
                found = cur.execute(
                    "SELECT 1 FROM dataset_versions WHERE id = ?", [restores]
                ).fetchone()
                if found is None:
                    raise NotFound(f"there is no dataset version {restores} to restore")
            row = cur.execute(
                "INSERT INTO dataset_versions (kind, edition, restores, author, file_name, "
                "checksum, note, report_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING id",
                [kind, edition, restores, author, file_name, checksum, note, report_json, now],
            ).fetchone()
            version_id = int(row[0])
            if len(vals):
                self._backend.insert_frame(cur, "dataset_values", version_id, vals)
            if len(goals):
                self._backend.insert_frame(cur, "dataset_goalposts", version_id, goals)
        return DatasetVersion(
            version_id,
            kind,
            edition,
            restores,
            author,
            file_name,
            checksum,
            note,
            report_json,
            _utc(now),
            len(vals),
        )

    def dataset_versions(self) -> list[DatasetVersion]:
        """Every dataset version, oldest first (ascending id)."""
        with self._cursor() as cur:
            rows = cur.execute(_DATASET_VERSION_SELECT + " ORDER BY v.id").fetchall()
        return [_dataset_version(r) for r in rows]

    def dataset_version(self, version_id: int) -> DatasetVersion:
        with self._cursor() as cur:
            row = cur.execute(
                _DATASET_VERSION_SELECT + " WHERE v.id = ?", [int(version_id)]
            ).fetchone()
        if row is None:
            raise NotFound(f"there is no dataset version {version_id}")
        return _dataset_version(row)

    def head_dataset_version(self) -> int:
        """The newest dataset version's id, 0 when there is none (one indexed query)."""
        with self._cursor() as cur:
            return int(
                cur.execute("SELECT coalesce(max(id), 0) FROM dataset_versions").fetchone()[0]
            )

    def dataset_values(self, version_id: int) -> pd.DataFrame:
        """The values stored with a version: unit, code, score, raw, provenance (NULL = NaN),
        sorted by unit then code; empty (with those columns) if it stored none."""
        return self._frame(
            "SELECT unit, code, score, raw, provenance FROM dataset_values WHERE version_id = ?",
            version_id,
            [*_VALUE_TEXT[:2], *_VALUE_NUMBERS, _VALUE_TEXT[2]],
            ["unit", "code"],
        )

    def dataset_goalposts(self, version_id: int) -> pd.DataFrame:
        """The goalposts stored with a version: code, min_raw, max_raw, provenance."""
        return self._frame(
            "SELECT code, min_raw, max_raw, provenance FROM dataset_goalposts WHERE version_id = ?",
            version_id,
            ["code", *_GOAL_NUMBERS, "provenance"],
            ["code"],
        )

    def _frame(
        self, sql: str, version_id: int, columns: list[str], order: list[str]
    ) -> pd.DataFrame:
        with self._cursor() as cur:
            rows = cur.execute(sql, [int(version_id)]).fetchall()
        frame = pd.DataFrame(rows, columns=columns)
        for col in columns:
            if col in _VALUE_NUMBERS or col in _GOAL_NUMBERS:
                frame[col] = pd.to_numeric(frame[col]).astype("float64")  # None -> NaN
            else:
                frame[col] = frame[col].astype(str)
        # Sorted here, not in SQL: DuckDB and PostgreSQL collate text differently.
        return frame.sort_values(order, kind="stable", ignore_index=True)


_CODE = re.compile(r"^\d+\.\d+\.\d+$")
_PROGRESS_COLUMNS = "id, plan_id, unit, code, kind, value, score, as_of, note, author, recorded_at"
EARLIEST_DAY = date(2000, 1, 1)


def _progress(row: Sequence) -> ProgressEntry:
    id_, plan_id, unit, code, kind, value, score, as_of, note, author, recorded = row
    return ProgressEntry(
        int(id_),
        plan_id,
        unit,
        code,
        kind,
        float(value),
        float(score),
        as_of,
        note,
        author,
        _utc(recorded),
    )


def _validate_key(text: str, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InvalidText(f"the {what} cannot be empty")
    if len(text) > NAME_MAX or any(unicodedata.category(ch) in _BAD_CATEGORIES for ch in text):
        raise InvalidText(f"the {what} {text[:40]!r} cannot be stored")
    return text.strip()


def _finite(x: float, what: str) -> float:
    if isinstance(x, bool):
        raise InvalidText(f"the {what} must be a number")
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise InvalidText(f"the {what} must be a number, not {x!r}") from None
    if not math.isfinite(v):
        raise InvalidText(f"the {what} must be a finite number")
    return v


def _validate_day(d: date) -> date:
    if isinstance(d, datetime):
        d = d.date()
    if not isinstance(d, date):
        raise InvalidText("the date of a progress reading must be a date")
    # A day of slack for time zones (Vietnam is UTC+7; the check runs on UTC).
    if not EARLIEST_DAY <= d <= datetime.now(UTC).date() + timedelta(days=1):
        raise InvalidText(
            f"the date {d.isoformat()} must lie between {EARLIEST_DAY.isoformat()} and today"
        )
    return d


# --------------------------------------------------------------------------------------------
# Dataset versions: checks and row conversion
# --------------------------------------------------------------------------------------------

_VALUE_TEXT = ("unit", "code", "provenance")
_VALUE_NUMBERS = ("score", "raw")
_GOAL_TEXT = ("code", "provenance")
_GOAL_NUMBERS = ("min_raw", "max_raw")
_DATASET_VERSION_SELECT = (
    "SELECT v.id, v.kind, v.edition, v.restores, v.author, v.file_name, v.checksum, v.note, "
    "v.report_json, v.created_at, "
    "(SELECT count(*) FROM dataset_values d WHERE d.version_id = v.id) "
    "FROM dataset_versions v"
)


def _dataset_version(row: Sequence) -> DatasetVersion:
    id_, kind, edition, restores, author, file_name, checksum, note, report, created, n = row
    return DatasetVersion(
        int(id_),
        kind,
        None if edition is None else int(edition),
        None if restores is None else int(restores),
        author,
        file_name,
        checksum,
        note,
        report,
        _utc(created),
        int(n),
    )


def _validate_line(text: str, what: str, limit: int) -> str:
    """One line of text (a file name, a checksum): stripped, no control characters."""
    if not isinstance(text, str):
        raise InvalidText(f"the {what} must be text")
    clean = text.strip()
    if len(clean) > limit:
        raise InvalidText(f"the {what} can have at most {limit} characters")
    if any(unicodedata.category(ch) in _BAD_CATEGORIES for ch in clean):
        raise InvalidText(f"the {what} cannot contain control characters or line breaks")
    return clean


def _validate_report(report_json: str) -> str:
    if not isinstance(report_json, str):
        raise InvalidText("the report must be JSON text")
    if len(report_json) > REPORT_MAX:
        raise InvalidText(f"the report can have at most {REPORT_MAX} characters")
    if "\x00" in report_json:
        raise InvalidText("the report cannot contain NUL characters")
    try:
        json.loads(report_json)
    except ValueError as exc:
        raise InvalidText(f"the report is not valid JSON: {exc}") from None
    return report_json


def _clean_frame(
    frame: pd.DataFrame | None,
    text: tuple[str, ...],
    numbers: tuple[str, ...],
    key: tuple[str, ...],
    what: str,
) -> pd.DataFrame:
    """The frame's storable columns (text first in `text` order, numbers as float64 with NaN
    for missing), or InvalidText saying which row cannot be stored."""
    columns = [*text[:-1], *numbers, text[-1]]  # the table's column order
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"the {what} must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidText(f"the {what} lack the column(s) {', '.join(missing)}")
    out = pd.DataFrame(index=range(len(frame)))
    for col in text:
        cells = frame[col].tolist()
        for cell in set(cells):  # few distinct units, codes and provenances: check each once
            if (
                not isinstance(cell, str)
                or len(cell) > NAME_MAX
                or (col != "provenance" and not cell)
                or any(unicodedata.category(ch) in _BAD_CATEGORIES for ch in cell)
            ):
                i = next(i for i, c in enumerate(cells) if c is cell or c == cell)
                raise InvalidText(f"row {i + 1} of the {what}: {col} {cell!r} cannot be stored")
        out[col] = pd.Series(cells, dtype=object)
    for col in numbers:
        try:
            nums = pd.to_numeric(frame[col].reset_index(drop=True), errors="raise")
        except (TypeError, ValueError):
            raise InvalidText(f"the {what}' {col} column must hold numbers") from None
        nums = nums.astype("float64")
        if bool(((nums == math.inf) | (nums == -math.inf)).any()):
            raise InvalidText(f"the {what}' {col} column holds an infinite number")
        out[col] = nums
    dup = out.duplicated(list(key))
    if bool(dup.any()):
        i = int(dup.to_numpy().nonzero()[0][0])
        shown = ", ".join(str(out.at[i, k]) for k in key)
        raise InvalidText(f"row {i + 1} of the {what} repeats {shown}")
    return out[columns]
