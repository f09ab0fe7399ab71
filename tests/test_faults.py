"""Faults: a database missing, truncated, locked, unwritable, or a process killed mid-write.

The app rebuilds or waits and says so, or stops with a message in the user's language; never a
traceback, and nothing saved is lost.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model.estimates.build import build, build_guard, is_stale, stored_digest
from model.i18n import gettext
from model.index.scenario import Scenario
from model.official import edition as edition_view
from model.official import store
from model.workspace import Workspace, close_all

ROOT = Path(__file__).resolve().parents[1]


def test_broken_sources_give_a_clear_message(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "data" / "sources", sources)
    gp = sources / "goalposts.csv"
    lines = gp.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[2], "not-a-number", 1)
    gp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("PII_SOURCES_DIR", str(sources))
    monkeypatch.setenv("PII_DATA_DIR", str(tmp_path / "data"))
    st.cache_resource.clear()
    store._ensured.clear()
    try:
        at = AppTest.from_file("../app.py", default_timeout=60).run()
        assert not at.exception
        text = " ".join(e.value for e in at.error)
        assert "Không mở được cơ sở dữ liệu PII" in text
        assert "goalposts.csv" in text and "dòng 2" in text  # in the screen's language
        assert not (tmp_path / "data" / "pii.duckdb").exists()  # nothing half-written
    finally:
        st.cache_resource.clear()
        store._ensured.clear()


# --------------------------------------------------------------------------------------------
# The reference database at start: missing, truncated, locked, unwritable.
# --------------------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, monkeypatch, fresh_store):
    """An empty data folder of the test's own, and caches that forget the session's database."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("PII_DATA_DIR", str(folder))
    monkeypatch.setenv("PII_WORKSPACE_DB", str(tmp_path / "workspace.duckdb"))
    monkeypatch.delenv("PII_SOURCES_DIR", raising=False)
    _forget()
    yield folder
    _forget()


def _forget() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()
    store._ensured.clear()


def _spinners(monkeypatch) -> list[str]:
    """Record every spinner text the app shows (AppTest keeps no transient elements)."""
    shown: list[str] = []
    real = st.spinner

    @contextmanager
    def spy(text="", *args, **kwargs):
        shown.append(str(text))
        with real(text, *args, **kwargs):
            yield

    monkeypatch.setattr(st, "spinner", spy)
    return shown


def _opens_on_the_overview() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.metric, "the overview shows its numbers"
    return at


def test_missing_database_is_rebuilt_and_the_app_says_so(data_dir, monkeypatch):
    shown = _spinners(monkeypatch)
    _opens_on_the_overview()
    assert (
        gettext("vi", "common.db_building") in shown
    )  # the user sees why the first start takes longer
    assert not is_stale(db_path=data_dir / "pii.duckdb")


def test_truncated_database_is_rebuilt(built, data_dir, monkeypatch):
    db = data_dir / "pii.duckdb"
    shutil.copy(built.path, db)
    with open(db, "r+b") as fh:
        fh.truncate(db.stat().st_size // 2)
    shown = _spinners(monkeypatch)
    _opens_on_the_overview()
    assert gettext("vi", "common.db_building") in shown
    assert not is_stale(db_path=db)


def test_a_foreign_file_in_place_of_the_database_is_rebuilt(data_dir, monkeypatch):
    (data_dir / "pii.duckdb").write_bytes(b"<html>not a database</html>" * 1000)
    _opens_on_the_overview()
    assert not is_stale(db_path=data_dir / "pii.duckdb")


def test_another_process_holding_the_build_lock_is_waited_for(data_dir):
    """A second server starting while the first builds waits for it instead of failing."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            "fh = open(sys.argv[1], 'w'); fcntl.flock(fh, fcntl.LOCK_EX)\n"
            "print('locked', flush=True); time.sleep(float(sys.argv[2]))",
            str(data_dir / ".build.lock"),
            "3",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        t0 = time.monotonic()
        _opens_on_the_overview()
        assert time.monotonic() - t0 > 2.0  # it did wait for the lock
    finally:
        holder.kill()
        holder.wait()


def test_database_held_open_for_writing_by_another_process(built, data_dir):
    """DuckDB lets one process write a file: the app must still open (it rebuilds beside it)."""
    db = data_dir / "pii.duckdb"
    shutil.copy(built.path, db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            "con = duckdb.connect(sys.argv[1])\n"
            "print('open', flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        _opens_on_the_overview()
    finally:
        holder.kill()
        holder.wait()


def test_data_folder_that_cannot_be_written_gives_a_clear_message(tmp_path, monkeypatch):
    """The data folder is a file (as a read-only or wrongly mounted folder would be)."""
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("PII_DATA_DIR", str(blocker))
    monkeypatch.setenv("PII_WORKSPACE_DB", str(tmp_path / "workspace.duckdb"))
    _forget()
    try:
        at = AppTest.from_file("../app.py", default_timeout=120).run()
        assert not at.exception
        text = " ".join(e.value for e in at.error)
        assert "Không mở được cơ sở dữ liệu PII" in text
        assert str(blocker) in text  # says which folder
        assert blocker.read_text(encoding="utf-8").startswith("a file")  # nothing overwritten
    finally:
        _forget()


@contextmanager
def _file_size_limit(limit: int):
    """Writes that would make any file of this process larger than `limit` bytes fail (EFBIG),
    as on a full disk; restored afterwards."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old)


def test_full_disk_during_the_first_build_gives_a_clear_message(built, data_dir):
    limit = built.path.stat().st_size // 4  # the database cannot be written whole
    with _file_size_limit(limit):
        at = AppTest.from_file("../app.py", default_timeout=120).run()
    assert not at.exception
    assert any("Không mở được cơ sở dữ liệu PII" in e.value for e in at.error)
    assert not (data_dir / "pii.duckdb").exists()  # no half-written database left in place
    assert not list(data_dir.glob("*.tmp"))
    _forget()
    _opens_on_the_overview()  # space again: the next start builds it


def test_full_disk_when_saving_keeps_every_saved_scenario(tmp_path):
    """Saves until the file size limit bites: a WorkspaceError, and everything saved before
    is still there afterwards (read by a process without the limit)."""
    path = tmp_path / "workspace.duckdb"
    script = (
        "import resource, signal, sys\n"
        "from model.index.scenario import Scenario\n"
        "from model.workspace import Workspace, WorkspaceError\n"
        "ws = Workspace()\n"
        "ws.save_scenario('first', Scenario(unit='bac-giang', edition=2023))\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "limit = max(p.stat().st_size for p in ws.path.parent.glob('workspace*')) + 65536\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))\n"
        "for n in range(5000):\n"
        "    s = Scenario(unit='bac-giang', edition=2023, targets=(('2.2.3', float(n % 100)),))\n"
        "    try:\n"
        "        ws.save_scenario(f'n{n}', s, note='x' * 9000)\n"
        "    except WorkspaceError as exc:\n"
        "        print('ERROR', exc, flush=True); break\n"
        "    print('saved', n, flush=True)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_workspace_env(path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert lines[-1].startswith("ERROR"), lines[-3:]  # the limit did bite, as a WorkspaceError
    saved = {f"n{line.split()[1]}" for line in lines if line.startswith("saved")}
    close_all()
    names = {sv.name for sv in Workspace(path).list_scenarios()}
    assert saved | {"first"} <= names  # nothing saved before the failure is lost
    assert len(names - saved - {"first"}) <= 1  # at most the save whose commit was cut off


# --------------------------------------------------------------------------------------------
# Processes killed in the middle of writing.
# --------------------------------------------------------------------------------------------


def _workspace_env(path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PII_STORE_URL"}
    return {**env, "PII_WORKSPACE_DB": str(path)}


_SAVER = """
import sys
from model.index.scenario import Scenario
from model.workspace import Workspace
ws, run = Workspace(), sys.argv[1]
for n in range(100_000):
    name = f"{run}-{n}"
    s = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", float(n % 100)),))
    ws.save_scenario(name, s, author="kill test", note=f"note {n}")
    if n % 3 == 0:  # an overwrite too: a second revision in the same kind of transaction
        s2 = Scenario(unit="bac-giang", edition=2023, targets=(("6.3.3", float(n % 90)),))
        ws.save_scenario(name, s2, note=f"note {n} v2", overwrite=True)
    print(name, flush=True)
"""


def _expected_targets(n: int) -> dict[str, float]:
    return {"6.3.3": float(n % 90)} if n % 3 == 0 else {"2.2.3": float(n % 100)}


def test_killed_in_the_middle_of_saving_leaves_a_consistent_workspace(tmp_path):
    path = tmp_path / "workspace.duckdb"
    rng = random.Random(8)
    confirmed: list[str] = []
    for run in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", _SAVER, f"run{run}"],
            cwd=ROOT,
            env=_workspace_env(path),
            stdout=subprocess.PIPE,
            text=True,
        )
        # Wait for the first saves, then kill at a random moment of the loop.
        first = proc.stdout.readline().strip()
        assert first == f"run{run}-0", first
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read().split()
        proc.wait()
        confirmed += [first, *rest]
    close_all()
    ws = Workspace(path)
    stored = {sv.name: sv for sv in ws.list_scenarios()}
    assert set(confirmed) <= set(stored)  # every save that returned survived the kills
    assert len(set(stored) - set(confirmed)) <= 4  # at most the save cut off in each run
    for name in stored:
        sv = ws.get_scenario(name)  # every row readable
        n = int(name.split("-")[1])
        revisions = ws.revisions(name)
        assert len(revisions) == sv.revision  # no half-written history
        if sv.revision == 2 or n % 3:
            assert dict(sv.scenario.targets) == _expected_targets(n)
        else:  # killed between the save and its overwrite: the first content, whole
            assert dict(sv.scenario.targets) == {"2.2.3": float(n % 100)}


def test_killed_in_the_middle_of_a_build_keeps_the_previous_database(built, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "pii.duckdb"
    shutil.copy(built.path, db)
    before = db.read_bytes()
    env = {**os.environ, "PII_DATA_DIR": str(folder)}
    env.pop("PII_SOURCES_DIR", None)
    rng = random.Random(3)
    for attempt in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "model", "build"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if attempt == 0:
            time.sleep(rng.uniform(0.3, 1.0))  # while reading and reconstructing
        else:  # while the new database is being written
            deadline = time.monotonic() + 120
            while not list(folder.glob("*.tmp")) and proc.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert stored_digest(db) is not None  # a whole database is in place
        if db.read_bytes() != before:  # the kill came after the swap: the new one, whole
            before = db.read_bytes()
        assert not is_stale(db_path=db)
    for tmp in folder.glob("*.tmp"):
        tmp.unlink()  # leftovers of killed builds are named by pid and never read
    ed = edition_view.load_edition(2023, db=db)
    assert ed.n == 63


def test_workspace_held_by_another_process_is_waited_for(built, fresh_workspace):
    """The command line holding the workspace for a moment: the app waits, then opens it."""
    Workspace(fresh_workspace).save_scenario("đã lưu", Scenario(unit="bac-giang", edition=2023))
    close_all()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            "con = duckdb.connect(sys.argv[1])\n"
            "print('open', flush=True); time.sleep(2); con.close()",
            str(fresh_workspace),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        st.cache_data.clear()
        at = AppTest.from_file("../app.py", default_timeout=120).run()
        at.switch_page("pages/scenario.py").run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert any("đã lưu" in m.value for m in at.markdown)  # the saved scenario is listed
    finally:
        holder.kill()
        holder.wait()


def test_the_next_build_removes_what_a_killed_build_left(built, tmp_path):
    """kill -9 while the new database is being written leaves its temporary file; the next
    build (holding the build lock, so no other build is writing) removes it."""
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "pii.duckdb"
    shutil.copy(built.path, db)
    env = {**os.environ, "PII_DATA_DIR": str(folder)}
    env.pop("PII_SOURCES_DIR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "model", "build"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(folder.glob("*.tmp")) and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    strays = list(folder.glob("pii.duckdb.*.tmp*"))
    if not strays:  # the kill came after the swap: leave a stray as a killed build would
        (folder / "pii.duckdb.99999.deadbeef.tmp").write_bytes(b"half a database")
    with build_guard(db):
        build(db_path=db)
    assert not list(folder.glob("*.tmp*"))
    assert stored_digest(db) is not None
