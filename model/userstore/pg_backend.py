"""The PostgreSQL backend of the user store (several app servers, one database).

Selected by a connection string (paths.store_url(), or Workspace(url=...)). The SQL is the
repository's own, written once with `?` placeholders; _PgCursor translates them to psycopg's
`%s`. Connections: a psycopg_pool.ConnectionPool per URL per process (POOL_SIZE at most, none
kept open when unused for a while), in autocommit mode so a read is one statement and a write
an explicit BEGIN ... COMMIT.

First use (and the first use after the server was lost): one direct connection checks that the
server answers — so an unreachable server is reported at once with the server's reason, not
after the pool's timeout — and migrates the schema. Migrations run each in a transaction holding
the advisory lock MIGRATE_LOCK, re-reading schema_version after taking it, so servers starting
at once migrate once (PostgreSQL DDL is transactional: a failed migration leaves nothing).

Concurrency across servers: every write transaction first takes the transaction-level advisory
lock WRITER_LOCK (released by COMMIT/ROLLBACK), so the store's check-then-write methods keep the
single-writer semantics they have on DuckDB; waiting longer than the busy timeout (lock_timeout)
raises WorkspaceBusy.

Errors: psycopg's come out as the store's classes (ConstraintViolation, WorkspaceBusy,
WorkspaceError); no message ever contains the password of the URL.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

import pandas as pd
import psycopg
from psycopg import errors as pgerr
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from .backend import STORE_URL, describe_store_url, on_close_all
from .errors import ConstraintViolation, WorkspaceBusy, WorkspaceError
from .schema import MIGRATIONS, SCHEMA_VERSION, SCHEMA_VERSION_TABLE, check_not_newer, now

POOL_SIZE = 8  # connections per URL per process at most
MAX_IDLE = 60.0  # seconds an unused pooled connection is kept
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
    """A psycopg cursor that speaks the repository's SQL: `?` placeholders, execute() chains."""

    def __init__(self, raw: psycopg.Cursor) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence | None = None) -> _PgCursor:
        if params is None:
            self.raw.execute(sql)
        else:
            # The repository's SQL has no `?` or `%` inside string literals, so this is exact.
            self.raw.execute(sql.replace("%", "%%").replace("?", "%s"), list(params))
        return self

    def fetchone(self) -> tuple | None:
        return self.raw.fetchone()

    def fetchall(self) -> list[tuple]:
        return self.raw.fetchall()


def _lock_timeout(cur: _PgCursor, timeout: float) -> None:
    # SET takes no parameters; the value is a number we made.
    cur.execute(f"SET LOCAL lock_timeout = '{max(1, round(timeout * 1000))}ms'")


def _migrate(con: psycopg.Connection, timeout: float, password: str | None) -> None:
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
                        "INSERT INTO schema_version VALUES (?, ?, ?)", [version, now(), description]
                    )
                    cur.execute("COMMIT")
                except BaseException:
                    with suppress(Exception):
                        cur.execute("ROLLBACK")
                    raise
    except _BUSY as exc:
        raise WorkspaceBusy("workspace.err_pg_upgrading", timeout=float(timeout)) from exc
    except psycopg.Error as exc:
        raise WorkspaceError("workspace.err_pg_upgrade", error=_hide(str(exc), password)) from exc


class _Pool:
    """Connections to one database: a ConnectionPool, opened once the server has answered."""

    def __init__(self, url: str, location: str, password: str | None) -> None:
        self.url = url
        self.location = location
        self.password = password
        self.lock = threading.Lock()
        self.pool: ConnectionPool | None = None
        self.ready = False  # the server answered a direct connection and the schema is current

    def _connect_error(self, exc: Exception) -> WorkspaceError:
        error = _hide(str(exc).strip(), self.password)
        return WorkspaceError("workspace.err_pg_connect", location=self.location, error=error)

    def _check_server(self, timeout: float) -> None:
        """One direct connection: the server's own reason when it cannot be reached (a pool
        only retries quietly until its timeout), then the migrations."""
        try:
            con = psycopg.connect(self.url, autocommit=True, connect_timeout=_seconds(timeout))
        except psycopg.Error as exc:
            raise self._connect_error(exc) from None
        try:
            _migrate(con, timeout, self.password)
        finally:
            con.close()

    def _open_pool(self, timeout: float) -> ConnectionPool:
        return ConnectionPool(
            self.url,
            kwargs={"autocommit": True, "connect_timeout": _seconds(timeout)},
            min_size=0,
            max_size=POOL_SIZE,
            max_idle=MAX_IDLE,
            reconnect_timeout=max(10.0, 2 * timeout),  # background retries stop after this
            name=self.location,
            open=True,
        )

    def get(self, timeout: float) -> tuple[ConnectionPool, psycopg.Connection]:
        with self.lock:
            if not self.ready:
                self._check_server(timeout)
                self.ready = True
            if self.pool is None:
                self.pool = self._open_pool(timeout)
            pool = self.pool
        try:
            return pool, pool.getconn(timeout)
        except PoolClosed:  # close_all() ran meanwhile: a new pool
            return self.get(timeout)
        except PoolTimeout:
            with self.lock:
                self.ready = False
                self._check_server(min(timeout, 2.0))  # unreachable: says why
                self.ready = True
            raise WorkspaceBusy(
                "workspace.err_pg_pool_full", n=POOL_SIZE, timeout=float(timeout)
            ) from None

    def put(self, pool: ConnectionPool, con: psycopg.Connection, lost: bool) -> None:
        """Return a connection (the pool discards a broken one); after a lost connection the
        next use checks the server directly again."""
        if lost:  # the server went away (or restarted): its other connections are gone too
            self.ready = False
            with suppress(Exception):
                pool.drain()
        with suppress(Exception):
            pool.putconn(con)

    def close(self) -> None:
        with self.lock:
            pool, self.pool = self.pool, None
            self.ready = False
        if pool is not None:
            pool.close()


def _seconds(timeout: float) -> int:
    return max(2, math.ceil(timeout))


_pools_lock = threading.Lock()
_pools: dict[str, _Pool] = {}


def _pool(url: str, location: str, password: str | None) -> _Pool:
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            pool = _pools[url] = _Pool(url, location, password)
        return pool


@on_close_all
def close_all() -> None:
    """Close every pool (connections in use are closed when returned); the next use checks the
    server and the schema again."""
    with _pools_lock:
        pools = list(_pools.values())
    for pool in pools:
        pool.close()


class PostgresBackend:
    kind = "postgresql"

    def __init__(self, url: str, busy_timeout: float) -> None:
        location = describe_store_url(url)
        try:
            password = conninfo_to_dict(url).get("password")
        except psycopg.Error:
            raise WorkspaceError(
                "workspace.err_url_options", what=STORE_URL, location=location
            ) from None
        self.location = location
        self.busy_timeout = busy_timeout
        self._pool = _pool(url.strip(), location, password)

    def describe(self) -> str:
        return self.location

    @contextmanager
    def cursor(self) -> Iterator[_PgCursor]:
        pool, con = self._pool.get(self.busy_timeout)
        lost = False
        try:
            with con.cursor() as raw:
                yield _PgCursor(raw)
        except pgerr.IntegrityError as exc:
            raise ConstraintViolation("workspace.err_refused", error=str(exc)) from exc
        except _BUSY as exc:
            raise WorkspaceBusy(
                "workspace.err_pg_locked", timeout=float(self.busy_timeout)
            ) from exc
        except psycopg.OperationalError as exc:
            lost = True
            error = _hide(str(exc), self._pool.password)
            raise WorkspaceError(
                "workspace.err_pg_failed", location=self.location, error=error
            ) from exc
        except psycopg.Error as exc:
            lost = con.broken
            raise WorkspaceError("workspace.err_db_failed", error=str(exc)) from exc
        finally:
            self._pool.put(pool, con, lost)

    def begin(self, cur: _PgCursor) -> None:
        cur.execute("BEGIN")
        _lock_timeout(cur, self.busy_timeout)
        cur.execute(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")

    @staticmethod
    def insert_frame(cur: _PgCursor, table: str, version_id: int, frame: pd.DataFrame) -> None:
        """COPY the rows in (NaN as NULL): one round trip for thousands of rows."""
        cols = ", ".join(frame.columns)  # fixed names, checked by validate.clean_frame
        rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
        with cur.raw.copy(f"COPY {table} (version_id, {cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((version_id, *row))
