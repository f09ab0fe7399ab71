"""The PostgreSQL backend of model.workspace.Workspace (several app servers, one database).

Selected by a connection string (paths.store_url(), or Workspace(url=...)). The SQL is the
workspace's own, written once with `?` placeholders; _PgCursor translates them to psycopg's
`%s`. Connections: a small pool per URL per process (POOL_SIZE at most, idle ones kept), in
autocommit mode so a read is one statement and a write is an explicit BEGIN ... COMMIT.

Concurrency across servers: every write transaction first takes the transaction-level advisory
lock WRITER_LOCK (released by COMMIT/ROLLBACK), so the store's check-then-write methods keep the
single-writer semantics they have on DuckDB; waiting longer than the busy timeout (lock_timeout)
raises WorkspaceBusy. Migrations run when a pool is first used, each in a transaction holding the
advisory lock MIGRATE_LOCK, re-reading schema_version after taking it, so servers starting at
once migrate once (PostgreSQL DDL is transactional: a failed migration leaves nothing).

Errors: psycopg's come out as the workspace's classes (ConstraintViolation, WorkspaceBusy,
WorkspaceError); no message ever contains the password of the URL.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

import pandas as pd
import psycopg
from psycopg import errors as pgerr
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import TransactionStatus

from .workspace import (
    MIGRATIONS,
    SCHEMA_VERSION,
    SCHEMA_VERSION_TABLE,
    STORE_URL_WHAT,
    ConstraintViolation,
    WorkspaceBusy,
    WorkspaceError,
    _now,
    check_not_newer,
    describe_store_url,
)

POOL_SIZE = 8  # connections per URL per process at most
WRITER_LOCK = 0x50494957  # advisory lock keys ("PIIW", "PIIM"), the same on every server
MIGRATE_LOCK = 0x5049494D

_BUSY = (
    pgerr.LockNotAvailable,
    pgerr.SerializationFailure,
    pgerr.DeadlockDetected,
    pgerr.QueryCanceled,
)


def _hide(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


class _PgCursor:
    """A psycopg cursor that speaks the workspace's SQL: `?` placeholders, execute() chains."""

    def __init__(self, raw: psycopg.Cursor) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence | None = None) -> _PgCursor:
        if params is None:
            self.raw.execute(sql)
        else:
            # The workspace's SQL has no `?` or `%` inside string literals, so this is exact.
            self.raw.execute(sql.replace("%", "%%").replace("?", "%s"), list(params))
        return self

    def fetchone(self) -> tuple | None:
        return self.raw.fetchone()

    def fetchall(self) -> list[tuple]:
        return self.raw.fetchall()


class _Pool:
    """Connections to one database: handed out one per user, kept for reuse when healthy."""

    def __init__(self, url: str, location: str, password: str | None) -> None:
        self.url = url
        self.location = location
        self.password = password
        self.cond = threading.Condition()
        self.idle: list[psycopg.Connection] = []
        self.open = 0  # connections handed out or idle
        self.migrated = False
        self.migrate_lock = threading.Lock()

    def _connect(self, timeout: float) -> psycopg.Connection:
        try:
            return psycopg.connect(
                self.url, autocommit=True, connect_timeout=max(2, math.ceil(timeout))
            )
        except psycopg.Error as exc:
            raise WorkspaceError(
                f"cannot connect to the workspace database {self.location}: "
                f"{_hide(str(exc).strip(), self.password)}"
            ) from None

    def get(self, timeout: float) -> psycopg.Connection:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                while self.idle:
                    con = self.idle.pop()
                    if not con.closed and not con.broken:
                        return con
                    self.open -= 1
                if self.open < POOL_SIZE:
                    self.open += 1
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WorkspaceBusy(
                        f"all {POOL_SIZE} connections to the workspace database are in use; "
                        f"waited {timeout:g} s, please try again"
                    )
                self.cond.wait(left)
        try:
            con = self._connect(timeout)
            if not self.migrated:
                with self.migrate_lock:
                    if not self.migrated:
                        _migrate(con, timeout)
                        self.migrated = True
        except BaseException:
            with self.cond:
                self.open -= 1
                self.cond.notify()
            if "con" in locals():
                with suppress(Exception):
                    con.close()
            raise
        return con

    def put(self, con: psycopg.Connection, broken: bool) -> None:
        healthy = (
            not broken and not con.closed and con.info.transaction_status == TransactionStatus.IDLE
        )
        with self.cond:
            if healthy:
                self.idle.append(con)
            else:
                self.open -= 1
            self.cond.notify()
        if not healthy:
            with suppress(Exception):
                con.close()

    def close_idle(self) -> None:
        with self.cond:
            idle, self.idle = self.idle, []
            self.open -= len(idle)
            self.migrated = False
        for con in idle:
            with suppress(Exception):
                con.close()


_pools_lock = threading.Lock()
_pools: dict[str, _Pool] = {}


def _pool(url: str, location: str, password: str | None) -> _Pool:
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            pool = _pools[url] = _Pool(url, location, password)
        return pool


def close_all() -> None:
    """Close every idle pooled connection (workspace.close_all calls this)."""
    with _pools_lock:
        pools = list(_pools.values())
    for pool in pools:
        pool.close_idle()


def _lock_timeout(cur: _PgCursor, timeout: float) -> None:
    # SET takes no parameters; the value is a number we made.
    cur.execute(f"SET LOCAL lock_timeout = '{max(1, round(timeout * 1000))}ms'")


def _migrate(con: psycopg.Connection, timeout: float) -> None:
    """Bring the database up to SCHEMA_VERSION, one migration per transaction, each under the
    migration advisory lock (another server may be migrating at the same moment)."""
    try:
        with con.cursor() as raw:
            cur = _PgCursor(raw)
            while True:
                cur.execute("BEGIN")
                try:
                    _lock_timeout(cur, timeout)
                    cur.execute(f"SELECT pg_advisory_xact_lock({MIGRATE_LOCK})")
                    cur.execute(SCHEMA_VERSION_TABLE)
                    current = cur.execute(
                        "SELECT coalesce(max(version), 0) FROM schema_version"
                    ).fetchone()[0]
                    check_not_newer(current)
                    if current == SCHEMA_VERSION:
                        cur.execute("COMMIT")
                        return
                    version, description, statements = next(m for m in MIGRATIONS if m[0] > current)
                    for sql in statements:
                        cur.execute(sql)
                    cur.execute(
                        "INSERT INTO schema_version VALUES (?, ?, ?)",
                        [version, _now(), description],
                    )
                    cur.execute("COMMIT")
                except BaseException:
                    with suppress(Exception):
                        cur.execute("ROLLBACK")
                    raise
    except _BUSY as exc:
        raise WorkspaceBusy(
            f"the workspace database is being upgraded by another server; waited {timeout:g} s"
        ) from exc
    except psycopg.Error as exc:
        raise WorkspaceError(f"cannot upgrade the workspace database: {exc}") from exc


class PostgresBackend:
    kind = "postgresql"

    def __init__(self, url: str, busy_timeout: float) -> None:
        location = describe_store_url(url)
        try:
            password = conninfo_to_dict(url).get("password")
        except psycopg.Error:
            raise WorkspaceError(
                f"{STORE_URL_WHAT} for {location} has options PostgreSQL does not understand"
            ) from None
        self.location = location
        self.busy_timeout = busy_timeout
        self._pool = _pool(url.strip(), location, password)

    def describe(self) -> str:
        return self.location

    @contextmanager
    def cursor(self) -> Iterator[_PgCursor]:
        con = self._pool.get(self.busy_timeout)
        broken = False
        try:
            with con.cursor() as raw:
                yield _PgCursor(raw)
        except pgerr.IntegrityError as exc:
            raise ConstraintViolation(f"the workspace refused the write: {exc}") from exc
        except _BUSY as exc:
            raise WorkspaceBusy(
                f"the workspace database stayed locked by another writer for longer than "
                f"{self.busy_timeout:g} s; please try again"
            ) from exc
        except psycopg.OperationalError as exc:
            broken = True
            raise WorkspaceError(
                f"the workspace database {self.location} failed: "
                f"{_hide(str(exc), self._pool.password)}"
            ) from exc
        except psycopg.Error as exc:
            broken = con.broken
            raise WorkspaceError(f"the workspace database failed: {exc}") from exc
        finally:
            self._pool.put(con, broken)

    def begin(self, cur: _PgCursor) -> None:
        cur.execute("BEGIN")
        _lock_timeout(cur, self.busy_timeout)
        cur.execute(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")

    @staticmethod
    def insert_frame(cur: _PgCursor, table: str, version_id: int, frame: pd.DataFrame) -> None:
        """COPY the rows in (NaN as NULL): one round trip for thousands of rows."""
        cols = ", ".join(frame.columns)  # fixed names, checked by workspace._clean_frame
        rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
        with cur.raw.copy(f"COPY {table} (version_id, {cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((version_id, *row))
