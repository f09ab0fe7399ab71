"""The repository's plumbing: which backend keeps the store, cursors and write transactions.

Every write takes one process-wide lock and runs in a transaction (BEGIN/COMMIT, ROLLBACK on
any error), so writes never interleave and a failure leaves nothing half-written; reads take a
cursor of their own and run beside writes. Across processes the DuckDB file's lock serialises
writers; on PostgreSQL every write transaction takes an advisory lock (backend.begin), so writes
from every server are serialised like the writes of one process. The repository's parts
(datasets.DatasetVersions, model.workspace.Workspace) use only the Backend interface.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .. import paths
from .backend import Backend, Cursor, describe_store_url
from .duckdb_backend import DuckDBBackend
from .errors import WorkspaceError

BUSY_TIMEOUT = 5.0  # seconds to keep retrying when another process (or server) holds the lock
_write_lock = threading.Lock()  # the single writer of this process, for every store


def _open_backend(path: Path | None, url: str | None, busy_timeout: float) -> Backend:
    """The DuckDB file `path`, or the PostgreSQL database `url` (checked before the driver is
    imported: the DuckDB default never loads psycopg)."""
    if url is None:
        assert path is not None
        return DuckDBBackend(path, busy_timeout)
    describe_store_url(url)
    try:
        from .pg_backend import PostgresBackend
    except ImportError as exc:  # pragma: no cover - psycopg and psycopg-pool are requirements
        raise WorkspaceError("workspace.err_no_driver") from exc
    return PostgresBackend(url, busy_timeout)


class Repository:
    """A store, in DuckDB (the default) or PostgreSQL; cheap to create, thread-safe.

    `Repository()` uses PostgreSQL when paths.store_url() is set, else the DuckDB file
    paths.workspace_db(); `(path)` is always that DuckDB file, `(url=...)` that PostgreSQL
    database. `.backend` says which ('duckdb' or 'postgresql'); `.path` is the DuckDB file
    (None on PostgreSQL), `.location` a printable place (no password).
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
        if url is None:
            # The folder is made on first use: creating a Workspace never fails.
            self.path = Path(path) if path is not None else paths.workspace_db()
        else:
            self.path = None
        self._backend: Backend = _open_backend(self.path, url, busy_timeout)
        self.backend: str = self._backend.kind
        self.location: str = self._backend.describe()

    def __repr__(self) -> str:
        name = type(self).__name__
        if self.path is not None:
            return f"{name}({str(self.path)!r})"
        return f"{name}(url={self.location!r})"

    # --- plumbing -------------------------------------------------------------------------
    @contextmanager
    def _cursor(self) -> Iterator[Cursor]:
        """A cursor of its own (threads never share one): `cur.execute(sql, params)` with `?`
        placeholders on both backends, returning the cursor for fetchone()/fetchall().

        Database errors come out as WorkspaceError (ConstraintViolation, WorkspaceBusy, or
        WorkspaceError itself), so callers (the UI) catch one family.
        """
        with self._backend.cursor() as cur:
            yield cur

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
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
