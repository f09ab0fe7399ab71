"""The embedded default backend: the user store in its own DuckDB file (paths.workspace_db()),
apart from the reference database, so a rebuild never touches it.

Concurrency, in one process: the repository serialises every write with one process-wide
lock and runs it in a transaction; reads take a cursor of their own and run beside writes
(DuckDB is MVCC).

Connection strategy, across processes: DuckDB lets only one process open a file read-write, so
a connection held for the app's lifetime would lock the CLI out for good. Opening per operation
is not cheap either: measured on the dev box, open + close costs ~25 ms (DuckDB instance
start-up and the checkpoint on close), a whole save on an open connection ~5 ms, so per-operation
opening would make saves ~6x slower and a page's handful of reads pay it each time. So each
file has one shared connection per process, opened on demand, used by every thread and every
Workspace object on that file, and closed once nobody has used it for IDLE_CLOSE seconds. A burst
of work (a page rerun, a bulk save) pays for one open; between bursts the file is free, and a
process that finds it locked retries with short backoff for up to the busy timeout before
raising WorkspaceBusy. (A process that never pauses for IDLE_CLOSE keeps the file to itself.)
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import pandas as pd

from .backend import on_close_all
from .errors import ConstraintViolation, WorkspaceBusy, WorkspaceError
from .schema import MIGRATIONS, SCHEMA_VERSION_TABLE, check_not_newer, now

IDLE_CLOSE = 0.5  # seconds of disuse before the shared connection is closed (frees the file)


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
                "INSERT INTO schema_version VALUES (?, ?, ?)", [version, now(), description]
            )
            con.execute("COMMIT")
        except BaseException:
            with suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _open(path: Path, timeout: float) -> duckdb.DuckDBPyConnection:
    """Open and migrate, retrying while another process holds the file lock."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # e.g. a file where the folder should be, a read-only disk
        raise WorkspaceError(
            "workspace.err_folder", path=str(path), reason=exc.strerror or str(exc)
        ) from exc
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            con = duckdb.connect(str(path))
        except duckdb.Error as exc:
            if not _is_lock_conflict(exc):
                raise WorkspaceError("workspace.err_open", path=str(path), error=str(exc)) from exc
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkspaceBusy(
                    "workspace.err_file_busy", path=str(path), timeout=float(timeout)
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
                self.close_locked()
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
                    self.close_locked()
                    self.reaper = None
                    return
                wait = IDLE_CLOSE - idle if self.users == 0 else IDLE_CLOSE
            time.sleep(max(wait, 0.005))

    def close_locked(self) -> None:
        if self.con is not None:
            con, self.con = self.con, None
            with suppress(duckdb.Error):
                con.close()


_registry_lock = threading.Lock()
_registry: dict[str, _Shared] = {}


def _shared(path: Path) -> _Shared:
    key = str(path.resolve())
    with _registry_lock:
        sh = _registry.get(key)
        if sh is None:
            sh = _registry[key] = _Shared(Path(key))
        return sh


@on_close_all
def close_idle() -> None:
    """Close every idle workspace file now (the next use opens it again)."""
    with _registry_lock:
        shared = list(_registry.values())
    for sh in shared:
        with sh.lock:
            if sh.users == 0:
                sh.close_locked()


class DuckDBBackend:
    """One DuckDB file, its connection shared by every thread (see the module docstring)."""

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
            raise ConstraintViolation("workspace.err_refused", error=str(exc)) from exc
        except duckdb.Error as exc:
            broken = isinstance(exc, duckdb.FatalException)
            raise WorkspaceError("workspace.err_db_failed", error=str(exc)) from exc
        finally:
            self._shared.release(broken)

    def begin(self, cur: duckdb.DuckDBPyConnection) -> None:
        # This process's writes are serialised by the repository; other processes by the lock.
        cur.execute("BEGIN TRANSACTION")

    @staticmethod
    def insert_frame(
        cur: duckdb.DuckDBPyConnection, table: str, version_id: int, frame: pd.DataFrame
    ) -> None:
        """INSERT ... SELECT from the registered frame: one statement, no per-row round trip."""
        view = f"incoming_{table}"
        cols = ", ".join(frame.columns)  # fixed names, checked by validate.clean_frame
        cur.register(view, frame)
        try:
            cur.execute(
                f"INSERT INTO {table} (version_id, {cols}) SELECT ?, {cols} FROM {view}",
                [version_id],
            )
        finally:
            cur.unregister(view)
