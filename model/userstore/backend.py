"""The interface every storage backend of the user store implements, and what they share.

The repository (model.workspace.Workspace) holds the SQL, written once for every backend
(portable types, `?` placeholders); a backend supplies connections, transactions, bulk inserts
and the translation of its driver's errors into the WorkspaceError family, so callers see the
same errors from every backend. Backends: duckdb_backend (the embedded file, the default) and
pg_backend (PostgreSQL, for several app servers behind a load balancer).
"""

from __future__ import annotations

import atexit
import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol
from urllib.parse import urlsplit

import pandas as pd

from ..i18n import msg
from .errors import WorkspaceError


class Cursor(Protocol):
    """A cursor of one thread: `execute` takes `?` placeholders and returns the cursor."""

    def execute(self, sql: str, params: Sequence | None = None) -> Cursor: ...

    def fetchone(self) -> tuple | None: ...

    def fetchall(self) -> list[tuple]: ...


class Backend(Protocol):
    """Where the store's tables live. Every method raises only the WorkspaceError family
    (ConstraintViolation, WorkspaceBusy, WorkspaceError) for database errors."""

    kind: str  # 'duckdb' | 'postgresql'

    def describe(self) -> str:
        """A printable place (a file, a URL without its password)."""
        ...

    def cursor(self) -> AbstractContextManager[Cursor]:
        """A cursor of its own, on a connection whose schema is up to date."""
        ...

    def begin(self, cur: Cursor) -> None:
        """Start a write transaction, serialised with the other writers of the store."""
        ...

    def insert_frame(self, cur: Cursor, table: str, version_id: int, frame: pd.DataFrame) -> None:
        """Bulk-insert a checked frame's rows (NaN as NULL) with their version id."""
        ...


# ---- closing every backend's idle connections (at exit, and for tests) ----------------------
_closers: list[Callable[[], None]] = []


def on_close_all(closer: Callable[[], None]) -> Callable[[], None]:
    """Register a backend module's closer of idle connections (called by close_all)."""
    _closers.append(closer)
    return closer


def close_all() -> None:
    for closer in list(_closers):
        closer()


atexit.register(close_all)  # a clean close checkpoints DuckDB's WAL into the file


# ---- the store URL ---------------------------------------------------------------------------
STORE_URL = msg("workspace.store_url")  # how the messages name the setting
_EXAMPLE = "postgresql://user:password@host:5432/database"


def describe_store_url(url: str) -> str:
    """The URL without its password, after checking it names a PostgreSQL database.

    WorkspaceError (whose message never contains the password) if it is malformed.
    """
    if not isinstance(url, str) or not url.strip():
        raise WorkspaceError("workspace.err_url_empty", what=STORE_URL)
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        user, host = parts.username, parts.hostname
    except ValueError:
        raise WorkspaceError(
            "workspace.err_url_invalid", what=STORE_URL, example=_EXAMPLE
        ) from None
    if parts.scheme not in ("postgresql", "postgres"):
        shown = parts.scheme if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{0,20}", parts.scheme) else ""
        if not shown:
            raise WorkspaceError("workspace.err_url_no_scheme", what=STORE_URL)
        raise WorkspaceError("workspace.err_url_scheme", what=STORE_URL, found=shown + "://")
    database = parts.path.lstrip("/")
    if not database or "/" in database:
        raise WorkspaceError("workspace.err_url_database", what=STORE_URL, example=_EXAMPLE)
    if not host and "host=" not in parts.query:
        raise WorkspaceError(
            "workspace.err_url_host",
            what=STORE_URL,
            example="postgresql://user:password@HOST/database",
        )
    login = f"{user}@" if user else ""
    return f"postgresql://{login}{host or ''}{f':{port}' if port else ''}/{database}"
