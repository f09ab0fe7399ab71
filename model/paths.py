"""Where the data live. PII_DATA_DIR moves the databases (tests use a temporary folder)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sources_dir() -> Path:
    return Path(os.environ.get("PII_SOURCES_DIR", ROOT / "data" / "sources"))


def data_dir() -> Path:
    return Path(os.environ.get("PII_DATA_DIR", ROOT / "data"))


def reference_db() -> Path:
    """The rebuildable reference database (read-only at run time)."""
    return data_dir() / "pii.duckdb"


def workspace_db() -> Path:
    """What users write (scenarios, progress, imports): never touched by a rebuild.
    PII_WORKSPACE_DB moves it on its own (tests give each test a fresh one)."""
    return Path(os.environ.get("PII_WORKSPACE_DB", data_dir() / "workspace.duckdb"))


def store_url() -> str | None:
    """Where what users write lives when it is not the DuckDB workspace file: a PostgreSQL
    connection string (env PII_STORE_URL; the app copies the Streamlit secret `store_url` into
    it), or None for the embedded default."""
    url = os.environ.get("PII_STORE_URL", "").strip()
    return url or None


READ_ONLY_ENV = "PII_READ_ONLY"
TRUE = ("1", "true", "yes", "on")


def truthy(value: object) -> bool:
    """A yes/no setting (an environment variable or a secret): true, 1, yes or on."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in TRUE


def read_only_forced() -> bool:
    """The server is read-only for everyone (env PII_READ_ONLY=1, true, yes or on): the app
    hides every write control (ui.access adds the Streamlit secret `read_only`) and every
    command that writes the store is refused (model.cli.common.writes_store)."""
    return truthy(os.environ.get(READ_ONLY_ENV))
