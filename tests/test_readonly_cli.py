"""PII_READ_ONLY=1 on the command line (issue 20, item 4): every command that writes the store
exits with code 2 and a message in the user's language, and the store is as it was; commands
that only read (a dry run, a list, an export to a file) still run."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from model import api
from model import plan as planmod
from model.cli import main
from model.official import versions
from model.paths import read_only_forced
from model.plan import library
from model.workspace import Workspace

UNIT = "bac-giang"


def profile_csv(ed) -> bytes:
    """The unit's profile as it stands (a valid import file)."""
    u = ed.unit_index(UNIT)
    rows = [
        {"unit": UNIT, "code": c, "score": round(float(ed.scores[u, k]), 2)}
        | {"raw": "", "min": "", "max": ""}
        for k, c in enumerate(ed.framework.codes)
    ]
    buf = io.StringIO()
    pd.DataFrame(rows).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


@pytest.fixture
def stored(built, fresh_workspace, fresh_store, tmp_path):
    """A store with one saved plan, and the files the commands are given."""
    versions.forget_head()
    ed = api.edition(2023)
    plan = library.save_plan(planmod.new_plan(ed, UNIT, "Kế hoạch đã lưu", {"2.2.3": 60.0}))
    plan_file = tmp_path / "ke-hoach.csv"
    plan_file.write_text("code,target\n2.2.3,70\n", encoding="utf-8")
    profile = tmp_path / "ho-so.csv"
    profile.write_bytes(profile_csv(api.edition(2024)))
    yield {"plan": plan.plan_id, "plan_file": str(plan_file), "profile": str(profile)}
    versions.forget_head()


def state() -> tuple:
    """What the store holds: every plan with its revision, every dataset version."""
    ws = Workspace()
    return (
        sorted((p.plan_id, p.revision) for p in ws.list_plans()),
        [v.id for v in versions.versions()],
    )


NEW = ["plan", "new", "--unit", UNIT, "--edition", "2023", "--name", "Mới", "--set", "2.2.3=50"]
WRITES = {
    "plan new": NEW,
    "plan import": ["plan", "import", "{plan_file}", "--unit", UNIT, "--edition", "2023"]
    + ["--name", "Nhập"],
    "plan delete": ["plan", "delete", "{plan}"],
    "plan recommend": ["plan", "recommend", "--unit", UNIT, "--edition", "2023", "--rank", "8"],
    "plan carry": ["plan", "carry", "{plan}", "--edition", "2024"],
    "import": ["import", "{profile}", "--edition", "2024", "--note", "x"],
    "rollback": ["rollback", "0"],
}


def _args(argv: list[str], files: dict[str, str]) -> list[str]:
    return [a.format(**files) for a in argv]


@pytest.mark.parametrize("command", list(WRITES))
def test_a_writing_command_is_refused_and_writes_nothing(stored, monkeypatch, capsys, command):
    monkeypatch.setenv("PII_READ_ONLY", "1")
    before = state()
    for lang, said in (("vi", "Lỗi: máy chủ đang ở chế độ chỉ xem"), ("en", "Error: the server")):
        assert main([*_args(WRITES[command], stored), "--lang", lang]) == 2
        out, err = capsys.readouterr()
        assert err.startswith(said) and "PII_READ_ONLY" in err and out == ""
    assert state() == before


@pytest.mark.parametrize("command", list(WRITES))
def test_the_same_command_writes_when_the_server_is_not_read_only(stored, capsys, command):
    """The refusal above is the read-only mode's, not a bad command line."""
    assert not read_only_forced()
    if command == "rollback":  # to the embedded data: only after an import
        assert main(_args(WRITES["import"], stored)) == 0
    before = state()
    assert main(_args(WRITES[command], stored)) == 0, capsys.readouterr().err
    assert state() != before


def test_reading_commands_still_run(stored, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("PII_READ_ONLY", "yes")
    before = state()
    assert main([*_args(WRITES["import"], stored), "--dry-run"]) == 0
    assert main(["plan", "list"]) == 0 and main(["versions"]) == 0
    out = tmp_path / "p.csv"
    assert main(["plan", "export", stored["plan"], "--out", str(out)]) == 0 and out.exists()
    assert state() == before


@pytest.mark.parametrize(("value", "on"), [("1", True), ("true", True), ("ON", True), ("0", False)])
def test_the_app_and_the_command_line_read_the_switch_alike(monkeypatch, value, on):
    monkeypatch.setenv("PII_READ_ONLY", value)
    assert read_only_forced() is on
