"""PostgreSQL for the store tests, without manual steps (fixtures imported by conftest.py).

`pg_server` (session): the URL of a PostgreSQL database: PII_TEST_PG_URL when set (a server
someone already runs), else a throwaway cluster started by scripts/postgres.sh (which installs
Debian's postgresql package if needed) and stopped at the end of the session. A server that
cannot be started fails the tests that need it, with the script's output; nothing is skipped.

`pg_url` (function): a URL whose search_path is a schema of the test's own, created empty and
dropped afterwards, so every test starts from an empty store (migrations included).
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from model import workspace as wsmod

ROOT = Path(__file__).resolve().parents[1]


def with_schema(url: str, schema: str) -> str:
    """The URL with `schema` as its search_path (libpq's `options`, URL-encoded)."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    given = os.environ.get("PII_TEST_PG_URL")
    if given:
        yield given
        return
    started = subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh"), "start"],
        capture_output=True,
        text=True,
        timeout=600,  # may include apt-get install on a fresh machine
    )
    found = dict(
        line.removeprefix("export ").split("=", 1)
        for line in started.stdout.splitlines()
        if line.startswith("export ")
    )
    if started.returncode != 0 or "PII_TEST_PG_URL" not in found:
        pytest.fail(
            "could not start a PostgreSQL server for the store tests with scripts/postgres.sh "
            f"(exit {started.returncode}):\n{started.stdout}\n{started.stderr}\n"
            "Install Debian's postgresql package, or set PII_TEST_PG_URL to a server's URL.",
            pytrace=False,
        )
    try:
        yield found["PII_TEST_PG_URL"]
    finally:
        wsmod.close_all()
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", found["PII_TEST_PG_DIR"]],
            capture_output=True,
            timeout=120,
        )


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")  # a name we made: letters, digits, underscore
    try:
        yield with_schema(pg_server, schema)
    finally:
        wsmod.close_all()  # the pool's idle connections; then the schema can go
        with psycopg.connect(pg_server, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")


class StoreTarget:
    """One store of a test, on one backend; `new()` opens another Workspace on it."""

    def __init__(self, kind: str, location: str) -> None:
        self.kind = kind
        self.location = location  # the DuckDB file or the PostgreSQL URL

    def new(self, **kwargs) -> wsmod.Workspace:
        if self.kind == "duckdb":
            return wsmod.Workspace(Path(self.location), **kwargs)
        return wsmod.Workspace(url=self.location, **kwargs)


@pytest.fixture(params=["duckdb", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> StoreTarget:
    """An empty store of the test's own, once on DuckDB and once on PostgreSQL."""
    if request.param == "duckdb":
        return StoreTarget("duckdb", str(tmp_path / "ws" / "workspace.duckdb"))
    return StoreTarget("postgresql", request.getfixturevalue("pg_url"))
