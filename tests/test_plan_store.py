"""Plans in the user store, on DuckDB and on PostgreSQL (the `store_target` fixture): round trips,
ids, revisions with what changed, read-only built-in plans, refusals that write nothing, and
concurrent saves of one plan from threads and from processes (no revision lost)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import duckdb
import pytest

from model import workspace as wsmod
from model.plan import Plan, PlanError, PlanTarget, changes
from model.workspace import (
    InvalidName,
    InvalidText,
    NameTaken,
    NotFound,
    ReadOnly,
    StaleRevision,
    Workspace,
    WorkspaceError,
)

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = [
    "<script>alert('x')</script>",
    "'; DROP TABLE plans; --",
    'it\'s "quoted" `back` \\slash **bold**',
    "Sở KH&CN – nhiệm vụ quý III\nDòng hai\r\n\tthụt lề",
    "🚀 👩‍👩‍👧 🇻🇳",
    "%s %d {0} ?? $1 :name",
]


def target(code: str, score: float, row: int = 1, **texts: str) -> PlanTarget:
    return PlanTarget(row=row, code=code, baseline=5.0, target=score, **texts)


def plan(name: str = "Kế hoạch PII 2025", unit: str = "ha-noi", **kw) -> Plan:
    targets = kw.pop("targets", (target("2.2.3", 30.0), target("6.3.3", 20.0, 2, lead_unit="Sở A")))
    return Plan(plan_id="", unit=unit, edition=2024, targets=targets, name=name, **kw)


@pytest.fixture
def ws(store_target) -> Workspace:
    return store_target.new()


def count(ws: Workspace, table: str) -> int:
    with ws._cursor() as cur:
        return int(cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# --- round trips ------------------------------------------------------------------------------


def test_a_plan_round_trips_with_every_field(ws: Workspace):
    p = plan(
        target_year=2026,
        milestones=(2027, 2030, 2025),
        status="adopted",
        author="Sở KH&CN Hà Nội",
        note="Kế hoạch số 1/KH-UBND\nPhụ lục kèm theo",
        source="imported",
        source_ref="ke-hoach.xlsx",
    )
    saved = ws.save_plan(p, author="Lan", note="lần đầu")
    assert saved.plan_id == "ha-noi-ke-hoach-pii-2025" and saved.revision == 1
    assert saved.milestones == (2025, 2027, 2030) and saved.updated_at.tzinfo is not None
    got = ws.get_plan(saved.plan_id)
    assert got == saved  # every field, every target (the time is not compared)
    assert got.updated_at == saved.updated_at
    assert ws.find_plan("ha-noi", "Kế hoạch PII 2025") == saved
    assert ws.find_plan("ha-noi", "no such plan") is None
    assert ws.list_plans() == [saved] == ws.list_plans("ha-noi", 2024)
    assert ws.list_plans("ha-noi", 2023) == [] == ws.list_plans("bac-giang")
    (rev,) = ws.plan_revisions(saved.plan_id)
    assert (rev.revision, rev.author, rev.note) == (1, "Lan", "lần đầu")
    assert rev.changes == ({"change": "created", "n": 2},) and rev.plan == saved
    assert ws.schema_version() == wsmod.SCHEMA_VERSION >= 5


def test_hostile_text_is_stored_exactly(ws: Workspace):
    targets = tuple(
        target(code, 10.0 + k, k + 1, lead_unit=t.replace("\n", " "), tasks=t, timeframe=t)
        for k, (code, t) in enumerate(
            zip(("1.1.1", "2.2.3", "6.3.3", "2.2.4"), HOSTILE[:4], strict=True)
        )
    )
    saved = ws.save_plan(plan(name=HOSTILE[0], note="\n".join(HOSTILE), targets=targets))
    got = ws.get_plan(saved.plan_id)
    assert [t.tasks for t in got.targets] == HOSTILE[:4]
    assert got.name == HOSTILE[0] and got.note == "\n".join(HOSTILE)
    assert count(ws, "plans") == 1  # nothing was dropped


def test_revisions_say_who_when_and_what_changed(ws: Workspace):
    first = ws.save_plan(plan(), author="Lan")
    edited = dataclasses.replace(
        first,
        name="Kế hoạch PII 2025 (sửa)",
        status="adopted",
        targets=(
            dataclasses.replace(first.targets[0], target=35.0, lead_unit="Sở B"),
            target("1.1.1", 12.0, 3),
        ),
    )
    second = ws.save_plan(edited, author="Minh", note="sau họp")
    assert (second.plan_id, second.revision) == (first.plan_id, 2)  # the id is stable
    revs = ws.plan_revisions(first.plan_id)
    assert [(r.revision, r.author, r.note) for r in revs] == [
        (2, "Minh", "sau họp"),
        (1, "Lan", ""),
    ]
    assert revs[0].saved_at >= revs[1].saved_at
    kinds = [(c["change"], c.get("code"), c.get("field")) for c in revs[0].changes]
    assert kinds == [
        ("field", None, "name"),
        ("field", None, "status"),
        ("target", "2.2.3", None),
        ("text", "2.2.3", "lead_unit"),
        ("added", "1.1.1", None),
        ("removed", "6.3.3", None),
    ]
    assert revs[0].changes[2] == {"change": "target", "code": "2.2.3", "from": 30.0, "to": 35.0}
    # Every revision is kept whole: the first can be read back as it was.
    assert ws.plan_revision(first.plan_id, 1) == first
    assert ws.get_plan(first.plan_id) == second
    assert count(ws, "plan_targets") == 2
    vi = changes.describe(list(revs[0].changes), "vi")
    en = changes.describe(list(revs[0].changes), "en")
    assert "mục tiêu 2.2.3: 30 → 35" in vi and "bỏ chỉ số 6.3.3" in vi
    assert "target of 2.2.3: 30 → 35" in en and "removed indicator 6.3.3" in en
    assert changes.describe([], "en") == "no change to the content"
    assert "created the plan with 2 indicators" in changes.describe(list(revs[1].changes), "en")


# --- ids and names ----------------------------------------------------------------------------


def test_the_same_name_needs_replace_and_then_adds_a_revision(ws: Workspace):
    first = ws.save_plan(plan())
    with pytest.raises(NameTaken) as err:
        ws.save_plan(plan(targets=(target("2.2.3", 40.0),)))
    assert err.value.params["plan"] == first.plan_id
    assert "--replace" not in err.value.render("en")  # the store says nothing of the CLI
    again = ws.save_plan(plan(targets=(target("2.2.3", 40.0),)), replace=True)
    assert (again.plan_id, again.revision, again.codes) == (first.plan_id, 2, ["2.2.3"])
    # The same name in another unit is another plan.
    other = ws.save_plan(plan(unit="bac-ninh"))
    assert other.plan_id == "bac-ninh-ke-hoach-pii-2025" and other.revision == 1


def test_ids_are_unique_slugs(ws: Workspace):
    a = ws.save_plan(plan(name="Kế hoạch"))
    b = ws.save_plan(plan(name="Ke hoach"))  # the same slug, another name
    c = ws.save_plan(plan(name="KẾ HOẠCH!"))
    assert [a.plan_id, b.plan_id, c.plan_id] == [
        "ha-noi-ke-hoach",
        "ha-noi-ke-hoach-2",
        "ha-noi-ke-hoach-3",
    ]
    # Renaming keeps the id; a name another plan has is refused.
    renamed = ws.save_plan(dataclasses.replace(b, name="Kế hoạch mới"))
    assert (renamed.plan_id, renamed.revision) == (b.plan_id, 2)
    with pytest.raises(NameTaken):
        ws.save_plan(dataclasses.replace(renamed, name="Kế hoạch"))
    # A slug that would be a built-in plan's id is not given to a user's plan.
    mine = ws.save_plan(plan(name="2024", unit="bac-giang"))
    assert mine.plan_id == "bac-giang-2024-2"


def test_built_in_plans_are_read_only(ws: Workspace):
    seed_like = plan(unit="bac-giang", source="seed")
    with pytest.raises(ReadOnly):
        ws.save_plan(seed_like)
    with pytest.raises(ReadOnly) as err:
        ws.save_plan(dataclasses.replace(plan(unit="bac-giang"), plan_id="bac-giang-2024"))
    assert "bac-giang-2024" in err.value.render("vi") and "sao chép" in err.value.render("vi")
    with pytest.raises(ReadOnly):
        ws.delete_plan("bac-giang-2024")
    assert count(ws, "plans") == 0 and count(ws, "plan_revisions") == 0


def test_delete_keeps_the_history_and_a_new_plan_continues_it(ws: Workspace):
    first = ws.save_plan(plan())
    ws.save_plan(first, note="again")
    ws.delete_plan(first.plan_id)
    with pytest.raises(NotFound):
        ws.get_plan(first.plan_id)
    with pytest.raises(NotFound):
        ws.delete_plan(first.plan_id)
    assert ws.list_plans() == [] and count(ws, "plan_targets") == 0
    assert [r.revision for r in ws.plan_revisions(first.plan_id)] == [2, 1]
    reborn = ws.save_plan(plan())
    assert (reborn.plan_id, reborn.revision) == (first.plan_id, 3)
    with pytest.raises(NotFound) as err:
        ws.plan_revisions("nothing-here")
    assert "nothing-here" in err.value.render("en")


def test_a_save_based_on_an_old_revision_can_be_refused(ws: Workspace):
    first = ws.save_plan(plan())
    ws.save_plan(first, base_revision=1)  # revision 2: based on the latest
    with pytest.raises(StaleRevision) as err:
        ws.save_plan(first, base_revision=1, note="stale")
    assert err.value.params == {"plan": first.plan_id, "base": 1, "current": 2}
    assert [r.revision for r in ws.plan_revisions(first.plan_id)] == [2, 1]
    with pytest.raises(StaleRevision):  # a new plan is revision 0
        ws.save_plan(plan(name="new"), base_revision=3)


# --- refusals write nothing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"name": "  "}, InvalidName),
        ({"name": "x" * 121}, PlanError),  # refused by the Plan type before the store
        ({"name": "two\nlines"}, InvalidName),
        ({"author": "bell\x07"}, InvalidText),
        ({"note": "nul\x00"}, InvalidText),
        ({"source_ref": "esc\x1b"}, InvalidText),
        ({"plan_id": "../etc"}, InvalidText),
        ({"plan_id": "<script>"}, InvalidText),
        ({"targets": (target("2.2.3", 1.0, tasks="a\x00b"),)}, InvalidText),
    ],
)
def test_unstorable_plans_are_refused_and_nothing_written(ws: Workspace, change, error):
    with pytest.raises(error) as err:
        ws.save_plan(dataclasses.replace(plan(), **change))
    assert err.value.render("vi") and err.value.render("en")
    assert count(ws, "plans") == count(ws, "plan_targets") == count(ws, "plan_revisions") == 0


def test_a_failure_inside_the_save_leaves_nothing(ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    kept = ws.save_plan(plan())
    from model.userstore import plans as store_plans

    def boom(old, new):
        raise RuntimeError("disk on fire")

    # plan_changes runs after the plans and plan_targets writes, inside the transaction.
    monkeypatch.setattr(store_plans, "plan_changes", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ws.save_plan(dataclasses.replace(kept, targets=(target("1.1.1", 99.0),)))
    with pytest.raises(RuntimeError, match="disk on fire"):
        ws.save_plan(plan(name="another"))
    monkeypatch.undo()
    assert ws.list_plans() == [kept] and ws.get_plan(kept.plan_id) == kept
    assert count(ws, "plan_targets") == 2 and count(ws, "plan_revisions") == 1
    with pytest.raises(WorkspaceError):  # the table checks targets too, not only the Plan type
        with ws._transaction() as cur:
            cur.execute(
                "INSERT INTO plan_targets (plan_id, seq, code, baseline, target) "
                "VALUES ('x', 1, '2.2.3', 1, 150)"
            )
    assert count(ws, "plan_targets") == 2


# --- concurrency ------------------------------------------------------------------------------


def _threads(n: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def run(k: int) -> None:
        try:
            start.wait()
            work(k)
        except BaseException as exc:  # asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _consecutive(ws: Workspace, plan_id: str, n: int) -> None:
    revs = ws.plan_revisions(plan_id)
    assert sorted(r.revision for r in revs) == list(range(1, n + 1))  # unique, consecutive
    assert ws.get_plan(plan_id).revision == n
    assert count(ws, "plans") == 1


def test_two_sessions_saving_one_plan_lose_no_revision(store_target):
    """Two sessions (threads, each with its own Workspace) save the same plan 15 times each."""

    def work(k: int) -> None:
        w = store_target.new()
        for j in range(15):
            p = plan(targets=(target("2.2.3", float(k * 15 + j)),), author=f"s{k}")
            w.save_plan(p, author=f"session {k}", note=f"{k}/{j}", replace=True)

    assert _threads(2, work) == []
    ws = store_target.new()
    _consecutive(ws, "ha-noi-ke-hoach-pii-2025", 30)
    notes = sorted(r.note for r in ws.plan_revisions("ha-noi-ke-hoach-pii-2025"))
    assert notes == sorted(f"{k}/{j}" for k in range(2) for j in range(15))


CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from model.plan import Plan, PlanTarget
    from model.workspace import Workspace
    kind, where, label, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    print("ready", flush=True)
    sys.stdin.readline()
    if kind == "duckdb":
        ws = Workspace(Path(where), busy_timeout=60)
    else:
        ws = Workspace(url=where, busy_timeout=60)
    got = []
    for i in range(n):
        t = PlanTarget(row=1, code="2.2.3", baseline=5.0, target=float(i))
        p = Plan(plan_id="", unit="ha-noi", edition=2024, targets=(t,), name="shared")
        got.append(ws.save_plan(p, author=label, note=f"{label} {i}", replace=True).revision)
    print(json.dumps(got), flush=True)
    """
)


def test_two_processes_saving_one_plan_lose_no_revision(store_target):
    """Two app servers (processes) save the same plan at once, on either backend."""
    n = 10
    # The store exists first (two processes creating one new DuckDB file at the same instant is
    # another matter: one may find the file half-made); then the parent lets it go.
    store_target.new().schema_version()
    wsmod.close_all()
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                store_target.kind,
                store_target.location,
                f"p{k}",
                str(n),
            ],
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
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    seen = []
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err
        seen += json.loads(out.strip().splitlines()[-1])
    assert sorted(seen) == list(range(1, 2 * n + 1))  # each save got its own number
    ws = store_target.new()
    _consecutive(ws, "ha-noi-shared", 2 * n)
    assert sorted(r.note for r in ws.plan_revisions("ha-noi-shared")) == sorted(
        f"p{k} {i}" for k in range(2) for i in range(n)
    )


# --- upgrading an older store -----------------------------------------------------------------


def test_a_version_4_store_gains_the_plan_tables_and_keeps_its_data(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL, "
        "description VARCHAR)"
    )
    for version, description, statements in wsmod.MIGRATIONS[:4]:
        for sql in statements:
            con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?, now(), ?)", [version, description])
    con.execute(
        "INSERT INTO plan_progress (plan_id, unit, code, kind, value, score, as_of, recorded_at) "
        "VALUES ('bac-giang-2024', 'bac-giang', '2.2.3', 'score', 3, 3, DATE '2024-05-01', now())"
    )
    con.close()
    ws = Workspace(path)
    assert ws.schema_version() == wsmod.SCHEMA_VERSION
    assert [e.score for e in ws.progress_history("bac-giang-2024")] == [3.0]
    assert ws.save_plan(plan()).revision == 1
