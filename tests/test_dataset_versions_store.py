"""Dataset versions in the store, the choice of store by URL, and PostgreSQL under concurrency.

The dataset-version tests run on both implementations (`store_target`: DuckDB and PostgreSQL);
the process tests start real child processes against the test's own PostgreSQL schema.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest

from model import paths
from model import workspace as wsmod
from model.index.scenario import Scenario
from model.userstore import pg_backend as pgmod
from model.workspace import (
    DatasetVersion,
    InvalidText,
    NotFound,
    Workspace,
    WorkspaceBusy,
    WorkspaceError,
)

ROOT = Path(__file__).resolve().parents[1]
BASE = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 10.0),))
SECRET = "s3cr3t-Pa55"


@pytest.fixture
def ws(store_target) -> Workspace:
    return store_target.new()


def values_frame(n_units: int = 63, n_codes: int = 53, seed: int = 0) -> pd.DataFrame:
    """A frame the size of one edition's import (63 x 53 = 3,339 rows), some values missing."""
    rng = np.random.default_rng(seed)
    units = [f"unit-{u:02d}" for u in range(n_units)]
    codes = [f"{c // 9 + 1}.{c % 9 // 3 + 1}.{c % 3 + 1}" for c in range(n_codes)]
    frame = pd.DataFrame([(u, c) for u in units for c in codes], columns=["unit", "code"]).astype(
        object
    )
    frame["score"] = rng.uniform(0, 100, len(frame))
    frame["raw"] = rng.normal(50, 20, len(frame))
    frame.loc[frame.index % 11 == 0, "score"] = np.nan
    frame.loc[frame.index % 13 == 0, "raw"] = np.nan
    frame["provenance"] = np.where(frame.index % 2 == 0, "official", "Sở KH&CN – ước tính")
    return frame


def goalposts_frame() -> pd.DataFrame:
    codes = values_frame()["code"].drop_duplicates().tolist()
    return pd.DataFrame(
        {
            "code": codes,
            "min_raw": [float(i) for i in range(len(codes))],
            "max_raw": [math.nan if i % 5 == 0 else 100.0 + i for i in range(len(codes))],
            "provenance": "official",
        }
    )


def same_rows(got: pd.DataFrame, given: pd.DataFrame, key: list[str]) -> None:
    """`got` holds exactly `given`'s rows (NaN for NaN), sorted by the key."""
    want = given[list(got.columns)].sort_values(key, ignore_index=True)
    assert list(got[key].itertuples(index=False, name=None)) == list(
        want[key].itertuples(index=False, name=None)
    )
    for col in got.columns:
        if col in key:
            continue
        if got[col].dtype == "float64":
            np.testing.assert_array_equal(got[col].to_numpy(), want[col].to_numpy(dtype=float))
        else:
            assert got[col].tolist() == want[col].tolist()


# --- dataset versions ------------------------------------------------------------------------


def test_import_and_rollback_round_trip(ws: Workspace):
    assert ws.head_dataset_version() == 0 and ws.dataset_versions() == []
    values, goalposts = values_frame(), goalposts_frame()
    report = json.dumps({"changed": 12, "note": "Đã nhập 'PII 2024' <b>", "list": [1, 2.5]})
    t0 = time.perf_counter()
    first = ws.add_dataset_version(
        "import",
        edition=2024,
        author="Nguyễn Thị Lan",
        file_name="PII 2024 (bản chính thức).xlsx",
        checksum="ab" * 32,
        note="first line\nsecond; DROP TABLE dataset_values; --",
        report_json=report,
        values=values,
        goalposts=goalposts,
    )
    took = time.perf_counter() - t0
    assert took < 5, f"storing {len(values)} values took {took:.2f} s"
    assert isinstance(first, DatasetVersion) and first.n_values == len(values) == 3339
    assert (first.kind, first.edition, first.restores) == ("import", 2024, None)
    assert first.created_at.tzinfo is UTC
    assert ws.dataset_version(first.id) == first
    assert ws.head_dataset_version() == first.id

    got = ws.dataset_values(first.id)
    assert list(got.columns) == ["unit", "code", "score", "raw", "provenance"]
    assert int(got["score"].isna().sum()) == int(values["score"].isna().sum()) > 0
    same_rows(got, values, ["unit", "code"])
    gp = ws.dataset_goalposts(first.id)
    assert list(gp.columns) == ["code", "min_raw", "max_raw", "provenance"]
    same_rows(gp, goalposts, ["code"])

    # A second import, then a rollback to the first and one to the embedded data.
    changed = values.assign(score=values["score"] + 1)
    second = ws.add_dataset_version("import", edition=2024, values=changed)
    back = ws.add_dataset_version("rollback", restores=first.id, author="Minh")
    embedded = ws.add_dataset_version("rollback", restores=0)
    assert first.id < second.id < back.id < embedded.id == ws.head_dataset_version()
    assert ws.dataset_versions() == [first, second, back, embedded]
    assert (back.kind, back.edition, back.restores, back.n_values) == ("rollback", None, 1, 0)
    assert embedded.restores == 0
    empty = ws.dataset_values(back.id)
    assert empty.empty and list(empty.columns) == list(got.columns)
    assert ws.dataset_goalposts(second.id).empty
    same_rows(ws.dataset_values(second.id), changed, ["unit", "code"])
    same_rows(ws.dataset_values(first.id), values, ["unit", "code"])  # untouched by later ones
    with pytest.raises(NotFound):
        ws.dataset_version(999)
    with pytest.raises(NotFound):
        ws.add_dataset_version("rollback", restores=999)
    assert ws.head_dataset_version() == embedded.id  # the refused rollback wrote nothing


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"kind": "delete"}, "an 'import' or a 'rollback'"),
        ({"edition": None}, "names the edition"),
        ({"edition": True}, "names the edition"),
        ({"restores": 1}, "restores no version"),
        ({"kind": "rollback", "edition": None}, "names the version it restores"),
        ({"kind": "rollback", "edition": None, "restores": -1}, "names the version"),
        ({"kind": "rollback", "restores": 0}, "give edition=None"),
        ({"author": "two\nlines"}, "author"),
        ({"note": "nul\x00"}, "note"),
        ({"file_name": "x" * 256}, "file name"),
        ({"checksum": "tab\there"}, "checksum"),
        ({"report_json": "{oops"}, "not valid JSON"),
        ({"values": values_frame().drop(columns="raw")}, "lack the column"),
        ({"values": pd.concat([values_frame(), values_frame().head(1)])}, "repeats"),
        ({"values": values_frame().assign(score=np.inf)}, "infinite"),
        ({"values": values_frame().assign(raw="12,5")}, "must hold numbers"),
        ({"values": values_frame().assign(code="")}, "cannot be stored"),
        ({"goalposts": goalposts_frame().assign(code=None)}, "cannot be stored"),
    ],
)
def test_unstorable_versions_are_refused_and_nothing_written(ws: Workspace, bad, message):
    args = {"kind": "import", "edition": 2024, "values": values_frame(3, 4)} | bad
    with pytest.raises(InvalidText, match=message):
        ws.add_dataset_version(args.pop("kind"), **args)
    assert ws.head_dataset_version() == 0


def test_a_failed_bulk_insert_leaves_nothing(ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    kept = ws.add_dataset_version("import", edition=2023, values=values_frame(2, 3))
    original = type(ws._backend).insert_frame

    def fail_on_goalposts(cur, table, version_id, frame):
        if table == "dataset_goalposts":
            raise RuntimeError("disk on fire")
        original(cur, table, version_id, frame)

    monkeypatch.setattr(type(ws._backend), "insert_frame", staticmethod(fail_on_goalposts))
    with pytest.raises(RuntimeError, match="disk on fire"):
        ws.add_dataset_version(
            "import", edition=2024, values=values_frame(), goalposts=goalposts_frame()
        )
    monkeypatch.undo()
    assert ws.dataset_versions() == [kept]
    with ws._cursor() as cur:
        assert cur.execute("SELECT count(*) FROM dataset_values").fetchone()[0] == 6
        assert cur.execute("SELECT count(*) FROM dataset_goalposts").fetchone()[0] == 0


def test_threads_add_versions_at_once(ws: Workspace):
    made: list[DatasetVersion] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(k: int) -> None:
        try:
            start.wait()
            made.append(ws.add_dataset_version("import", edition=2023, values=values_frame(9, k)))
        except BaseException as exc:  # asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(v.id for v in made) == [v.id for v in ws.dataset_versions()] == [1, 2, 3, 4]
    assert sorted(v.n_values for v in made) == [9, 18, 27, 36]
    for v in made:
        assert ws.dataset_version(v.id) == v and len(ws.dataset_values(v.id)) == v.n_values


# --- choosing the store ----------------------------------------------------------------------


def test_workspace_uses_postgresql_when_a_store_url_is_set(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PII_WORKSPACE_DB", str(tmp_path / "local.duckdb"))
    for unset in ("", "   "):
        monkeypatch.setenv("PII_STORE_URL", unset)
        assert paths.store_url() is None
    monkeypatch.delenv("PII_STORE_URL")
    assert paths.store_url() is None
    local = Workspace()
    assert (local.backend, local.path) == ("duckdb", tmp_path / "local.duckdb")

    monkeypatch.setenv("PII_STORE_URL", pg_url)
    assert paths.store_url() == pg_url
    shared = Workspace()
    assert (shared.backend, shared.path) == ("postgresql", None)
    shared.save_scenario("on the server", BASE)
    assert [s.name for s in Workspace().list_scenarios()] == ["on the server"]
    assert local.list_scenarios() == []  # nothing went to the DuckDB file
    assert Workspace(tmp_path / "x.duckdb").backend == "duckdb"  # an explicit path wins


@pytest.mark.parametrize(
    "url",
    [
        f"mysql://lan:{SECRET}@db.example:5432/pii",
        f"postgresql://lan:{SECRET}@db.example:port/pii",
        f"postgresql://lan:{SECRET}@db.example:5432/",
        f"postgresql://lan:{SECRET}@db.example:5432/a/b",
        f"postgresql://lan:{SECRET}@:5432/pii",
        f"lan:{SECRET}@db.example/pii",
        f"{SECRET}",
        f"postgresql://lan:{SECRET}@db.example/pii?no_such_option=1",
    ],
)
def test_a_malformed_url_is_refused_without_showing_the_password(
    url: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PII_STORE_URL", url)
    with pytest.raises(WorkspaceError) as err:
        Workspace().list_scenarios()
    assert SECRET not in str(err.value) and "PII_STORE_URL" in str(err.value)


def test_an_unreachable_server_is_an_error_without_the_password():
    with socket_port() as port:  # a port nobody listens on
        ws = Workspace(url=f"postgresql://lan:{SECRET}@127.0.0.1:{port}/pii")
        assert SECRET not in repr(ws) and SECRET not in ws.location
        with pytest.raises(WorkspaceError, match="cannot connect") as err:
            ws.list_scenarios()
    assert SECRET not in str(err.value)


class socket_port:
    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        return self.sock.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.sock.close()


# --- PostgreSQL: another writer, other processes ---------------------------------------------


def test_a_held_writer_lock_is_workspace_busy(pg_url: str):
    ws = Workspace(url=pg_url, busy_timeout=0.3)
    ws.save_scenario("before", BASE)
    with psycopg.connect(pg_url, autocommit=True) as other:  # another server, mid-write
        other.execute("BEGIN")
        other.execute(f"SELECT pg_advisory_xact_lock({pgmod.WRITER_LOCK})")
        t0 = time.perf_counter()
        with pytest.raises(WorkspaceBusy, match="locked by another writer"):
            ws.save_scenario("blocked", BASE)
        assert 0.25 <= time.perf_counter() - t0 < 3
        assert [s.name for s in ws.list_scenarios()] == ["before"]  # reads do not wait
        other.execute("COMMIT")
    assert ws.save_scenario("after", BASE).revision == 1


def test_a_full_pool_is_workspace_busy(pg_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pgmod, "POOL_SIZE", 1)  # read when the URL's pool is first opened
    ws = Workspace(url=pg_url, busy_timeout=0.3)
    with ws._cursor():  # the pool's one connection, held
        t0 = time.perf_counter()
        with pytest.raises(WorkspaceBusy, match="connections to the workspace database are in"):
            ws.list_scenarios()
        assert 0.25 <= time.perf_counter() - t0 < 3
    assert ws.list_scenarios() == []  # given back: the next use gets it


def test_connections_lost_by_the_server_are_replaced(pg_url: str, pg_server: str):
    """The server drops every connection (a restart, a failover): at most one operation fails,
    then the store works again on new connections."""
    url = f"{pg_url}&application_name=pii_lost_test"
    ws = Workspace(url=url)
    errors = run_at_once(4, lambda k: [ws.save_scenario(f"w{k}-{i}", BASE) for i in range(5)])
    assert errors == []  # several pooled connections are open and idle now
    with psycopg.connect(pg_server, autocommit=True) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = 'pii_lost_test'"
        ).fetchone()[0]
    assert killed >= 1
    failed = 0
    for i in range(5):
        try:
            ws.save_scenario(f"after {i}", BASE)
        except WorkspaceError as exc:
            assert SECRET not in str(exc)
            failed += 1
    assert failed <= 1
    assert len(ws.list_scenarios()) == 20 + 5 - failed


def run_at_once(n: int, target) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def work(k: int) -> None:
        try:
            start.wait()
            target(k)
        except BaseException as exc:  # asserted on by the caller
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


CHILD = textwrap.dedent(
    """
    import json, sys
    from model.index.scenario import Scenario
    from model.workspace import Workspace
    url, label, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print("ready", flush=True)
    sys.stdin.readline()
    ws = Workspace(url=url)
    version = ws.schema_version()  # the first use migrates, racing the other processes
    for i in range(n):
        s = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", float(i % 100)),))
        ws.save_scenario(f"{label} {i}", s, note=label)
        ws.save_scenario("shared", s, author=label, overwrite=True)
    print(json.dumps({"version": version, "done": n}), flush=True)
    """
)


def test_processes_migrate_once_and_write_at_the_same_time(pg_url: str):
    """Two servers start on an empty database at once: one migrates, both write."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, pg_url, f"p{k}", "15"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(2)
    ]
    for child in children:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
    for child in children:  # all at once: the migrations race
        child.stdin.write("go\n")
        child.stdin.flush()
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert [r["version"] for r in results] == [wsmod.SCHEMA_VERSION] * 2
    ws = Workspace(url=pg_url)
    with ws._cursor() as cur:
        versions = cur.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [v[0] for v in versions] == list(range(1, wsmod.SCHEMA_VERSION + 1))
    listed = {s.name: s for s in ws.list_scenarios()}
    assert len(listed) == 2 * 15 + 1
    # Every overwrite of "shared" became one revision, none lost or duplicated.
    assert listed["shared"].revision == 2 * 15
    assert [r.revision for r in ws.revisions("shared")] == list(range(30, 0, -1))
    assert {r.author for r in ws.revisions("shared")} == {"p0", "p1"}
