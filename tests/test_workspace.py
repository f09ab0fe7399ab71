"""The workspace store: round trips, history, hostile text, concurrency and atomic writes.

The store-level tests run against both implementations (DuckDB and PostgreSQL, the
`store_target` fixture); the DuckDB file's own locking between processes is tested on DuckDB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import workspace as wsmod
from model.index.scenario import Scenario
from model.userstore import duckdb_backend
from model.workspace import (
    CorruptScenario,
    InvalidName,
    InvalidText,
    NameTaken,
    NotFound,
    Workspace,
    WorkspaceBusy,
    WorkspaceError,
)

ROOT = Path(__file__).resolve().parents[1]
BASE = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 10.0),))

HOSTILE = [
    "<script>alert('x')</script>",
    "'; DROP TABLE scenarios; --",
    'Robert"); DROP TABLE scenario_revisions;--',
    'it\'s "quoted" `back` \\slash',
    "Kịch bản Bắc Giang – tăng đổi mới sáng tạo",
    "🚀 plan 👩‍👩‍👧 🇻🇳",
    "%s %d {0} ?? $1 :name",
    "name with  inner   spaces",
]


def scenario(i: int = 0, unit: str = "bac-giang", edition: int = 2023) -> Scenario:
    return Scenario(unit=unit, edition=edition, targets=(("2.2.3", float(i % 100)),))


@pytest.fixture
def ws(store_target) -> Workspace:
    return store_target.new()


def rows(ws: Workspace, sql: str) -> list[tuple]:
    """Inspect the file directly (shares this process's DuckDB instance while it is open)."""
    with ws._cursor() as cur:
        return cur.execute(sql).fetchall()


# --- round trips ---------------------------------------------------------------------------


def test_save_get_list_rename_delete(ws: Workspace):
    saved = ws.save_scenario("  Plan A  ", BASE, author="Lan", note="first\nsecond line")
    assert saved.name == "Plan A" and saved.revision == 1 and saved.scenario == BASE
    assert ws.path is None or ws.path.exists()
    assert ws.schema_version() == wsmod.SCHEMA_VERSION

    got = ws.get_scenario("Plan A")
    assert got == saved
    assert got.created_at.tzinfo is not None and got.unit == "bac-giang" and got.edition == 2023
    assert ws.get_scenario(" Plan A ") == got  # lookups strip like saves do

    ws.save_scenario("Plan B", scenario(5, edition=2024))
    ws.save_scenario("Plan C", scenario(7, unit="ha-noi"))
    assert [s.name for s in ws.list_scenarios()] == ["Plan C", "Plan B", "Plan A"]
    assert [s.name for s in ws.list_scenarios(unit="bac-giang")] == ["Plan B", "Plan A"]
    assert [s.name for s in ws.list_scenarios(edition=2023)] == ["Plan C", "Plan A"]
    assert [s.name for s in ws.list_scenarios(unit="bac-giang", edition=2024)] == ["Plan B"]
    assert ws.list_scenarios(unit="nowhere") == []

    ws.rename_scenario("Plan A", "Plan A2")
    renamed = ws.get_scenario("Plan A2")
    assert (renamed.id, renamed.scenario, renamed.note) == (saved.id, BASE, saved.note)
    with pytest.raises(NotFound):
        ws.get_scenario("Plan A")
    ws.rename_scenario("Plan A2", "Plan A2")  # a no-op, not NameTaken

    ws.delete_scenario("Plan A2")
    with pytest.raises(NotFound):
        ws.get_scenario("Plan A2")
    assert [s.name for s in ws.list_scenarios()] == ["Plan C", "Plan B"]


def test_overwrite_keeps_history(ws: Workspace):
    first = ws.save_scenario("Plan", BASE, author="Lan", note="v1")
    with pytest.raises(NameTaken):
        ws.save_scenario("Plan", scenario(50))
    assert ws.get_scenario("Plan") == first  # the refused save changed nothing

    second = ws.save_scenario("Plan", scenario(50), author="Minh", note="v2", overwrite=True)
    assert (second.id, second.revision, second.created_at) == (first.id, 2, first.created_at)
    assert second.updated_at >= first.updated_at
    assert ws.get_scenario("Plan") == second

    ws.rename_scenario("Plan", "Plan renamed")
    third = ws.save_scenario("Plan renamed", scenario(60), overwrite=True)
    assert third.revision == 3

    history = ws.revisions("Plan renamed")
    assert [r.revision for r in history] == [3, 2, 1]
    assert [r.name for r in history] == ["Plan renamed", "Plan", "Plan"]
    assert [r.scenario for r in history] == [scenario(60), scenario(50), BASE]
    assert [(r.author, r.note) for r in history] == [("", ""), ("Minh", "v2"), ("Lan", "v1")]

    # Deleting keeps the whole history, reachable by any name it was saved under.
    ws.delete_scenario("Plan renamed")
    assert ws.revisions("Plan renamed") == history
    assert ws.revisions("Plan") == history
    assert rows(ws, "SELECT count(*) FROM scenario_revisions") == [(3,)]

    # A new scenario under an old name starts its own history.
    fresh = ws.save_scenario("Plan", BASE)
    assert fresh.id != first.id and fresh.revision == 1
    assert [r.revision for r in ws.revisions("Plan")] == [1]


def test_overwrite_true_creates_when_missing(ws: Workspace):
    assert ws.save_scenario("New", BASE, overwrite=True).revision == 1


def test_errors(ws: Workspace):
    ws.save_scenario("A", BASE)
    ws.save_scenario("B", BASE)
    for call in (
        lambda: ws.get_scenario("missing"),
        lambda: ws.delete_scenario("missing"),
        lambda: ws.rename_scenario("missing", "C"),
        lambda: ws.revisions("missing"),
    ):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(NameTaken):
        ws.rename_scenario("A", "B")
    with pytest.raises(NameTaken):
        ws.save_scenario(" A ", BASE)
    assert issubclass(NameTaken, WorkspaceError) and issubclass(NotFound, WorkspaceError)
    assert issubclass(InvalidName, WorkspaceError)
    with pytest.raises(TypeError):
        ws.save_scenario("C", BASE.to_dict())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "\t\n", "x" * 121, "a\x00b", "line\nbreak", "tab\there", "bell\x07", "a\u2028b"],
)
def test_invalid_names(ws: Workspace, bad: str):
    with pytest.raises(InvalidName) as err:
        ws.save_scenario(bad, BASE)
    assert str(err.value)  # a plain message for logs and the CLI
    assert ws.list_scenarios() == []


def test_name_limits(ws: Workspace):
    assert ws.save_scenario("x" * 120, BASE).name == "x" * 120
    assert ws.save_scenario("  " + "y" * 120 + "  ", BASE).name == "y" * 120
    with pytest.raises(InvalidName):
        ws.save_scenario("\ud800", BASE)  # a lone surrogate cannot be stored as UTF-8
    with pytest.raises(InvalidText):
        ws.save_scenario("ok", BASE, note="a\x00b")
    with pytest.raises(InvalidText):
        ws.save_scenario("ok", BASE, author="a\nb")
    assert ws.save_scenario("ok", BASE, note="tabs\tand\r\nnewlines").note == (
        "tabs\tand\r\nnewlines"
    )


def test_hostile_text_round_trips_exactly(ws: Workspace):
    for i, text in enumerate(HOSTILE):
        ws.save_scenario(text, scenario(i), author=text, note=text + "\n" + text)
    for i, text in enumerate(HOSTILE):
        got = ws.get_scenario(text)
        assert (got.name, got.author, got.note) == (text, text, text + "\n" + text)
        assert got.scenario == scenario(i)
    assert sorted(s.name for s in ws.list_scenarios()) == sorted(HOSTILE)
    ws.rename_scenario(HOSTILE[1], HOSTILE[1] + " (2)")
    ws.delete_scenario(HOSTILE[0])
    assert rows(ws, "SELECT count(*) FROM scenarios") == [(len(HOSTILE) - 1,)]
    assert rows(ws, "SELECT count(*) FROM scenario_revisions") == [(len(HOSTILE),)]
    tables = {r[0] for r in rows(ws, "SELECT table_name FROM information_schema.tables")}
    assert {"scenarios", "scenario_revisions", "schema_version"} <= tables


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=120
    ).filter(lambda s: s.strip()),
    note=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=300),
)
def test_any_printable_text_round_trips(ws: Workspace, name: str, note: str):
    saved = ws.save_scenario(name, BASE, note=note, overwrite=True)
    assert saved.name == name.strip()
    got = ws.get_scenario(name)
    assert (got.name, got.note, got.scenario) == (name.strip(), note, BASE)


def test_unreadable_row_is_skipped_by_list(ws: Workspace, caplog: pytest.LogCaptureFixture):
    ws.save_scenario("good", BASE)
    ws.save_scenario("bad", BASE)
    ws.save_scenario("not json", BASE)
    with ws._transaction() as cur:
        bad = json.dumps({**BASE.to_dict(), "scale": "logarithmic"})
        cur.execute("UPDATE scenarios SET spec_json = ? WHERE name = 'bad'", [bad])
        cur.execute("UPDATE scenarios SET spec_json = '{oops' WHERE name = 'not json'")
    with caplog.at_level("WARNING", logger="model.workspace"):
        listed = ws.list_scenarios()
    assert [s.name for s in listed] == ["good"]
    assert "bad" in caplog.text and "not json" in caplog.text
    with pytest.raises(CorruptScenario, match="can no longer be read"):
        ws.get_scenario("bad")
    with pytest.raises(WorkspaceError):
        ws.get_scenario("not json")


def test_newer_schema_is_refused(store_target):
    with store_target.new()._transaction() as cur:
        cur.execute("INSERT INTO schema_version VALUES (999, ?, 'from the future')", [wsmod._now()])
    wsmod.close_all()  # the next use opens (DuckDB) or migrates (PostgreSQL) again
    with pytest.raises(WorkspaceError, match="newer version"):
        store_target.new().list_scenarios()


# --- atomic writes -------------------------------------------------------------------------


def test_failed_write_leaves_nothing(ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    before = ws.save_scenario("kept", BASE, note="original")

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    # _append_revision runs after the INSERT/UPDATE of scenarios, inside the transaction.
    monkeypatch.setattr(wsmod, "_append_revision", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ws.save_scenario("new", scenario(3))
    with pytest.raises(RuntimeError, match="disk on fire"):
        ws.save_scenario("kept", scenario(4), note="changed", overwrite=True)

    # A database error midway is rolled back too, and reaches the caller as WorkspaceError.
    def bad_sql(cur, *args, **kwargs):
        cur.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(wsmod, "_append_revision", bad_sql)
    with pytest.raises(WorkspaceError, match="no_such_table"):
        ws.save_scenario("new", scenario(3))
    monkeypatch.undo()

    assert [s.name for s in ws.list_scenarios()] == ["kept"]
    assert ws.get_scenario("kept") == before
    assert rows(ws, "SELECT count(*) FROM scenario_revisions") == [(1,)]
    # The workspace still works after the rollbacks.
    assert ws.save_scenario("new", scenario(3)).revision == 1


# --- concurrency within the process --------------------------------------------------------


def run_threads(n: int, target) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def wrapped(k: int) -> None:
        try:
            start.wait()
            target(k)
        except BaseException as exc:  # collected and asserted on by the caller
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.parametrize("shared", [True, False], ids=["one-workspace", "workspace-per-thread"])
def test_many_threads_save_at_once(store_target, shared: bool):
    one = store_target.new()

    def work(k: int) -> None:
        w = one if shared else store_target.new()
        for j in range(20):
            w.save_scenario(f"t{k}-s{j}", scenario(k * 20 + j), note=f"{k}/{j}")

    t0 = time.perf_counter()
    assert run_threads(50, work) == []
    elapsed = time.perf_counter() - t0
    listed = one.list_scenarios()
    assert len(listed) == 1000, elapsed
    by_name = {s.name: s for s in listed}
    for k in range(50):
        for j in range(20):
            s = by_name[f"t{k}-s{j}"]
            assert s.scenario == scenario(k * 20 + j) and s.note == f"{k}/{j}"
    assert one.get_scenario("t49-s19").scenario == scenario(999)
    assert rows(one, "SELECT count(*), count(DISTINCT id) FROM scenarios") == [(1000, 1000)]
    assert rows(one, "SELECT count(*) FROM scenario_revisions") == [(1000,)]


def test_same_name_at_once_one_wins(store_target):
    for attempt in range(5):
        name = f"race {attempt}"
        results: list[str] = []

        def work(k: int, name: str = name, results: list[str] = results) -> None:
            try:
                store_target.new().save_scenario(name, scenario(k), author=f"thread {k}")
                results.append(f"won {k}")
            except NameTaken:
                results.append("taken")

        assert run_threads(2, work) == []
        assert sorted(r.split()[0] for r in results) == ["taken", "won"]
        winner = int(next(r for r in results if r.startswith("won")).split()[1])
        got = store_target.new().get_scenario(name)
        assert (got.author, got.scenario, got.revision) == (f"thread {winner}", scenario(winner), 1)
    assert rows(store_target.new(), "SELECT count(*) FROM scenario_revisions") == [(5,)]


def test_reads_during_writes(ws: Workspace):
    for j in range(20):
        ws.save_scenario(f"seed {j}", scenario(j))

    def work(k: int) -> None:
        for j in range(10):
            if k % 2:
                ws.save_scenario(f"w{k}-{j}", scenario(j))
            else:
                assert len(ws.list_scenarios()) >= 20
                assert ws.get_scenario(f"seed {j}").scenario == scenario(j)

    assert run_threads(10, work) == []
    assert len(ws.list_scenarios()) == 20 + 5 * 10


# --- other processes: DuckDB's file lock ---------------------------------------------------

CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from model.index.scenario import Scenario
    from model.workspace import Workspace, WorkspaceBusy
    ws = Workspace(Path(sys.argv[1]))
    print("ready", flush=True)
    sys.stdin.readline()
    done, busy = 0, 0
    for i in range(int(sys.argv[2])):
        s = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", float(i % 100)),))
        try:
            ws.save_scenario(f"child {i}", s, note="from the child")
            done += 1
        except WorkspaceBusy:
            busy += 1
    print(json.dumps({"done": done, "busy": busy}), flush=True)
    """
)


def start_child(db: Path, n: int) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(n)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    return child


def test_another_process_writes_at_the_same_time(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    ws.save_scenario("parent seed", BASE)
    wsmod.close_all()  # let the child's first open race with ours
    child = start_child(db, 30)
    child.stdin.write("go\n")
    child.stdin.flush()
    done = busy = 0
    for i in range(30):
        try:
            ws.save_scenario(f"parent {i}", scenario(i))
            done += 1
        except WorkspaceBusy:
            busy += 1
        time.sleep(0.01)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert done + busy == 30 and result["done"] + result["busy"] == 30
    # Typically both succeed thanks to the retry; a loser only ever sees WorkspaceBusy.
    listed = ws.list_scenarios()
    assert len(listed) == 1 + done + result["done"]
    assert len({s.name for s in listed}) == len(listed)
    for s in listed:
        assert ws.get_scenario(s.name) == s
    wsmod.close_all()
    con = duckdb.connect(str(db), read_only=True)  # the file reopens cleanly on its own
    assert con.execute("SELECT count(*) FROM scenarios").fetchone()[0] == len(listed)
    con.close()


def test_busy_file_raises_workspace_busy(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "sys.stdin.readline()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        ws = Workspace(db, busy_timeout=0.3)
        t0 = time.perf_counter()
        with pytest.raises(WorkspaceBusy, match="in use by another program"):
            ws.list_scenarios()
        assert 0.25 <= time.perf_counter() - t0 < 3
    finally:
        holder.communicate("release\n", timeout=30)
    # Once the other program lets go, the same workspace works.
    assert ws.save_scenario("after", BASE).revision == 1


def test_idle_connection_is_closed_so_other_processes_can_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(duckdb_backend, "IDLE_CLOSE", 0.05)
    db = tmp_path / "w.duckdb"
    Workspace(db).save_scenario("mine", BASE)
    time.sleep(0.3)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('SELECT name FROM scenarios').fetchall())",
            str(db),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert "mine" in probe.stdout
