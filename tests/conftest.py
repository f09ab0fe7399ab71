"""Shared fixtures for the test suite.

`built` (session): builds data/sources into a temporary folder once per test session and points
PII_DATA_DIR at that folder for the rest of the session, so no test reads or writes
data/pii.duckdb and every `python -m model ...` subprocess started with the current environment
finds the same database. It returns the `model.estimates.build.BuildReport` (`.path` is the database).

`editions` (session): the three editions loaded from that database through `model.official.store`.

`pg_server` (session) / `pg_url` (function): a PostgreSQL server for the store tests and a fresh
schema on it per test; `store_target`: an empty store on each backend (tests/pg_server.py).

`fresh_store` (function): closes `model.official.store`'s cached read-only connections and forgets the
loaded editions before and after the test; for tests that replace a database file this process
may have open (DuckDB hands out its cached instance of a path while a connection is alive).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from model.estimates.build import BuildReport, build
from model.estimates.sources import EDITIONS
from model.index.dataset import Edition
from model.official import edition as edition_view
from model.official import store, versions
from tests.pg_server import pg_server, pg_url, store_target  # noqa: F401 (PostgreSQL fixtures)

# A message id missing from a catalogue is an error in every test (and in the pages and CLI
# subprocesses the tests start), not a key shown on screen.
os.environ["PII_I18N_STRICT"] = "1"

# Streamlit's AppTest logs this warning for every script run outside `streamlit run`.
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda rec: "missing ScriptRunContext" not in rec.getMessage()
)


def reset_store() -> None:
    """Close model.official.store's cached connections and clear the edition caches."""
    with store._lock:
        for con in store._connections.values():
            con.close()
        store._connections.clear()
    store._load.cache_clear()
    edition_view.forget()
    versions.forget_head()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuildReport]:
    """The reference database, built once per session into a temporary PII_DATA_DIR."""
    data_dir = tmp_path_factory.mktemp("pii-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("PII_DATA_DIR", str(data_dir))
    mp.delenv("PII_SOURCES_DIR", raising=False)  # always the repository's data/sources
    reset_store()
    try:
        yield build(db_path=data_dir / "pii.duckdb")
    finally:
        reset_store()
        mp.undo()


@pytest.fixture
def fresh_store() -> Iterator[None]:
    """model.official.store without cached connections or editions, before and after the test."""
    reset_store()
    yield
    reset_store()


@pytest.fixture(scope="session")
def editions(built: BuildReport) -> dict[int, Edition]:
    """Every edition of the session database, keyed by year."""
    return {year: edition_view.load_edition(year, db=built.path) for year in EDITIONS}


@pytest.fixture(autouse=True)
def _navigation_as_served(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run AppTest through app.py's st.navigation, as a served app does after its first run.

    AppTest resets `PagesManager.uses_pages_directory` before every run, and because the app's
    pages live in a folder named `pages/` Streamlit would then pick its legacy multipage mode
    and run a page file on its own. A served app is in that mode only until the first run of
    app.py (ui.frame.current() handles that case; the browser tests cover it).
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def fresh_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace of the test's own, so what other tests wrote cannot change its answers."""
    path = tmp_path / "workspace.duckdb"
    monkeypatch.setenv("PII_WORKSPACE_DB", str(path))
    monkeypatch.delenv("PII_STORE_URL", raising=False)  # never a shared PostgreSQL store
    return path
