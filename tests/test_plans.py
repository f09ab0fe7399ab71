"""Plans as user data: the Plan type and its checks, the plan as a scenario ("at least"), plan
files (CSV and XLSX, the plan and the seed layouts, round trips, bad files refused), the library
of built-in and stored plans, and the `plan` command line (JSON keys, exit 2 in --lang)."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from model import api
from model import plan as planmod
from model.cli import main
from model.index.dataset import UnknownName
from model.index.scenario import Scenario
from model.plan import Plan, PlanError, PlanFileError, PlanTarget, library, new_plan
from model.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "plan_bac_giang_2024.csv"
LIST_KEYS = {"id", "name", "unit", "edition", "target_year", "status", "source", "n_targets"}
TARGET_KEYS = {
    "code",
    "baseline",
    "target",
    "raw_target",
    "target_text",
    "lead_unit",
    "coordinating_units",
    "timeframe",
    "tasks",
}


@pytest.fixture(scope="module")
def ed(built):
    return api.edition(2023)


@pytest.fixture(scope="module")
def seed(built) -> Plan:
    return library.get_plan("bac-giang-2024")


@pytest.fixture
def ws(built, fresh_workspace) -> Workspace:
    """The default store of the process, empty (the CLI and the library open it)."""
    return Workspace()


# --- the Plan type ----------------------------------------------------------------------------


def test_ids_are_slugs_of_the_unit_and_name():
    assert planmod.slugify("Kế hoạch PII năm 2025 — Đợt 1") == "ke-hoach-pii-nam-2025-dot-1"
    assert planmod.plan_id_for("bac-ninh", "Kế hoạch") == "bac-ninh-ke-hoach"
    assert planmod.plan_id_for("ha-noi", "!!!") == "ha-noi-plan"
    assert len(planmod.plan_id_for("ha-noi", "x" * 500)) <= 80


def _t(code="2.2.3", target=10.0, **kw) -> PlanTarget:
    return PlanTarget(**{"row": 1, "code": code, "baseline": 5.0, "target": target} | kw)


@pytest.mark.parametrize(
    ("make", "msg_id"),
    [
        (lambda: _t(target=101), "plan.err_target_score"),
        (lambda: _t(target=float("nan")), "plan.err_target_score"),
        (lambda: _t(target="abc"), "plan.err_target_score"),
        (lambda: _t(baseline=-1), "plan.err_baseline_score"),
        (lambda: _t(code="2.2"), "plan.err_code_form"),
        (lambda: _t(row=True), "plan.err_row"),
        (lambda: _t(tasks=None), "plan.err_text_type"),
        (lambda: Plan("", "ha-noi", 2024, status="final"), "plan.err_status"),
        (lambda: Plan("", "ha-noi", 2024, source="web"), "plan.err_source"),
        (lambda: Plan("", "ha-noi", 2024, target_year=2024), "plan.err_target_year"),
        (lambda: Plan("", "ha-noi", 2024, target_year=2031), "plan.err_target_year"),
        (lambda: Plan("", "ha-noi", 2024, milestones=(2026, 2035)), "plan.err_milestone"),
        (lambda: Plan("", "ha-noi", 2024, targets=(_t(), _t())), "plan.err_duplicate_target"),
        (lambda: Plan("x" * 201, "ha-noi", 2024), "plan.err_id_value"),
        (lambda: Plan("", " ", 2024), "plan.err_unit_empty"),
        (lambda: Plan("", "ha-noi", 2024, name="x" * 121), "plan.err_text_long"),
    ],
)
def test_a_malformed_plan_is_never_made(make, msg_id):
    with pytest.raises(PlanError) as err:
        make()
    assert err.value.msg_id == msg_id
    assert err.value.render("vi") != err.value.render("en")


def test_defaults_and_json_round_trip():
    p = Plan("", "ha-noi", 2024, targets=(_t(), _t("6.3.3", 20.0, row=2)), name="A")
    assert (p.target_year, p.status, p.source, p.revision, p.milestones) == (
        2025,
        "draft",
        "typed",
        0,
        (),
    )
    q = Plan("x", "ha-noi", 2024, (_t(),), "B", 2027, (2030, 2026), "adopted", "me", "n")
    assert q.milestones == (2026, 2030)
    for one in (p, q):
        assert Plan.from_dict(json.loads(json.dumps(one.to_dict()))) == one
    for bad in ({"targets": "x"}, {"targets": [{"code": "2.2.3"}]}, [], {"edition": "2024"}):
        with pytest.raises(PlanError):
            Plan.from_dict(bad)


def test_a_typed_plan_takes_its_baselines_from_the_edition(ed):
    p = new_plan(ed, "ha-noi", " Kế hoạch ", {"2.2.3": 40, "6.3.3": 12.5}, {"2.2.3": "Sở A"})
    u, fw = ed.unit_index("ha-noi"), ed.framework
    assert p.name == "Kế hoạch" and p.plan_id == "" and p.edition == 2023
    assert [t.baseline for t in p.targets] == [
        float(ed.scores[u, fw.index["2.2.3"]]),
        float(ed.scores[u, fw.index["6.3.3"]]),
    ]
    assert [(t.row, t.target_text, t.lead_unit) for t in p.targets] == [
        (1, "≥ 40", "Sở A"),
        (2, "≥ 12.5", ""),
    ]
    with pytest.raises(PlanError, match="lead unit"):
        new_plan(ed, "ha-noi", "x", {"2.2.3": 40}, {"1.1.1": "Sở A"})
    with pytest.raises(PlanError) as err:
        new_plan(ed, "ha-noi", "x", {"9.9.9": 40})
    assert err.value.msg_id == "plan.err_code_unknown"
    with pytest.raises(PlanError):
        new_plan(ed, "ha-noi", "  ", {})
    with pytest.raises(UnknownName):
        new_plan(ed, "atlantis", "x", {})


def test_targets_are_at_least_and_have_raw_values(ed):
    u = ed.unit_index("bac-giang")
    now = float(ed.scores[u, ed.framework.index["2.2.4"]])
    p = new_plan(ed, "bac-giang", "x", {"2.2.3": 30.0, "2.2.4": now - 5})
    s = library.scenario_of(p, ed)
    assert s.target_map == {"2.2.3": 30.0, "2.2.4": now}  # below the baseline: left as it is
    assert p.effective_targets(ed) == s.target_map
    raw = p.raw_target(ed, "2.2.3")
    assert raw == pytest.approx(float(ed.score_to_raw("2.2.3", 30.0)))
    assert planmod.target_from_raw(ed, "2.2.3", raw) == pytest.approx(30.0)
    beyond = float(ed.score_to_raw("2.2.3", 110.0))  # beyond the national maximum: the best
    assert planmod.target_from_raw(ed, "2.2.3", beyond) == 100.0
    assert p.raw_target(ed, "1.1.1") is None
    rows = planmod.target_rows(p, ed)
    assert {k for r in rows for k in r} == TARGET_KEYS and rows[0]["raw_target"] == raw


def test_editing_returns_new_plans(ed):
    p = new_plan(ed, "ha-noi", "x", {"2.2.3": 40, "6.3.3": 12})
    p = dataclasses.replace(
        p, targets=(p.targets[0], dataclasses.replace(p.targets[1], target_text="≥ 12%"))
    )
    q = p.with_targets(ed, {"2.2.3": 45, "6.3.3": 15, "1.1.1": 50})
    assert [(t.code, t.target, t.target_text) for t in q.targets] == [
        ("2.2.3", 45.0, "≥ 45"),  # the automatic text follows the score
        ("6.3.3", 15.0, "≥ 12%"),  # a printed text is the user's: kept
        ("1.1.1", 50.0, "≥ 50"),
    ]
    assert p.target_of("2.2.3").target == 40.0  # the original is unchanged
    r = q.without(["2.2.3"]).with_leads({"1.1.1": "Sở B"})
    assert [(t.row, t.code, t.lead_unit) for t in r.targets] == [
        (1, "6.3.3", ""),
        (2, "1.1.1", "Sở B"),
    ]


# --- the built-in seed plan -------------------------------------------------------------------


def test_the_seed_plan_is_built_in_and_read_only(seed, ed):
    assert (seed.plan_id, seed.unit, seed.edition, seed.target_year) == (
        "bac-giang-2024",
        "bac-giang",
        2023,
        2024,
    )
    assert seed.source == "seed" and seed.read_only and seed.provenance == "official"
    assert seed.status == "adopted" and "7/2024" in seed.source_ref and seed.name
    rows = {r["code"]: r for r in __import__("csv").DictReader(SEED.open(encoding="utf-8"))}
    assert {t.code: (t.baseline, t.target, t.tasks) for t in seed.targets} == {
        c: (float(r["score_2023"]), float(r["target_2024"]), r["tasks_vi"].strip())
        for c, r in rows.items()
    }
    assert library.get_plan("plan-2024") == seed  # the preset's name
    base = Scenario(unit="bac-giang", edition=2023)
    assert api.preset("plan-2024", base) == library.scenario_of(seed, ed, base)
    assert library.revisions(seed) == []


# --- plan files -------------------------------------------------------------------------------


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("layout", ["plan", "seed"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exported_files_read_back_to_the_same_plan(seed, ed, tmp_path, layout, suffix):
    path = planmod.export_plan(seed, tmp_path / f"p{suffix}", layout)
    back = planmod.read_plan_file(path.read_bytes(), ed, "bac-giang", file_name=path.name)
    assert back.targets == seed.targets  # baselines: the file's (seed) or the edition's (plan)
    assert (back.source, back.source_ref) == ("imported", path.name)
    assert not list(tmp_path.glob("*.part"))


def test_the_plan_layout_needs_only_code_and_target(ed):
    text = 'code,target\n2.2.3,25\n6.3.3,"12,5"\n'
    p = planmod.read_plan_file(text.encode(), ed, "ha-noi")
    assert [(t.code, t.target, t.target_text, t.lead_unit) for t in p.targets] == [
        ("2.2.3", 25.0, "≥ 25", ""),
        ("6.3.3", 12.5, "≥ 12.5", ""),
    ]
    x = planmod.read_plan_file(
        _xlsx([["code", "target", "lead_unit"], ["2.2.3", 25, "Sở A"], ["6.3.3", 12.5, None]]),
        ed,
        "ha-noi",
        file_name="k.xlsx",
    )
    assert [(t.code, t.target, t.lead_unit) for t in x.targets] == [
        ("2.2.3", 25.0, "Sở A"),
        ("6.3.3", 12.5, ""),
    ]


def _problems(data: bytes, name: str = "") -> list[tuple]:
    with pytest.raises(PlanFileError) as err:
        planmod.read_plan_file(data, api.edition(2023), "ha-noi", file_name=name)
    assert err.value.render("vi") and err.value.render("en")
    return [(p.kind, p.row, p.column, p.value) for p in err.value.problems]


def test_bad_files_are_refused_by_row_and_column(built):
    assert _problems(b"code,target\n2.2.3,abc\n9.9.9,5\n2.2.4,150\n") == [
        ("not_a_number", 2, "target", "abc"),
        ("unknown_code", 3, "code", "9.9.9"),
        ("out_of_range", 4, "target", "150"),
    ]
    assert _problems(b"code,lead_unit\n2.2.3,x\n") == [("missing_columns", 1, None, "target")]
    bad = _xlsx([["code", "target"], ["2.2.3", "abc"], ["2.2", 5], ["2.2.3", 5], ["2.2.3", 6]])
    assert _problems(bad, "k.xlsx") == [
        ("not_a_number", 2, "target", "abc"),
        ("bad_code", 3, "code", "2.2"),
        ("duplicate_code", 5, "code", "2.2.3"),
    ]
    assert _problems(b"PK\x03\x04 not really a workbook", "k.xlsx") == [
        ("xlsx_unreadable", None, None, "")
    ]
    assert _problems(b"x" * 5_000_001) == [("too_large", None, None, "")]
    assert _problems(b"code,target\n2.2.3,5,extra\n") == [("field_count", 2, None, "3")]


def test_a_plan_workbook_that_unpacks_too_far_is_never_opened(built):
    """A small .xlsx whose content unpacks beyond the importer's limit (a zip bomb) is refused
    by the same check as an official import's, before openpyxl reads it."""
    from model.official.read import MAX_UNZIPPED_BYTES

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * 1_000_000
            for _ in range(MAX_UNZIPPED_BYTES // len(chunk) + 1):
                f.write(chunk)
    assert len(buf.getvalue()) < 5_000_000  # small enough to be uploaded
    assert _problems(buf.getvalue(), "bomb.xlsx") == [("too_large", None, None, "")]


def test_a_plan_from_its_edited_table(seed, ed):
    table = pd.DataFrame(planmod.target_rows(seed, ed)).assign(name="shown beside, ignored")
    assert planmod.plan_from_table(seed, ed, table) == seed  # nothing edited: the same plan
    table.loc[1, "target"] = 12.0  # 2.2.3, printed "≥ 10" (the automatic text of 10)
    table.loc[2, "lead_unit"] = "Sở Tài chính"
    extra = {"code": "1.2.2", "target": 40.0, "lead_unit": None, "tasks": float("nan")}
    edited = planmod.plan_from_table(seed, ed, [*table.to_dict("records"), extra])
    by = {t.code: t for t in edited.targets}
    assert (by["2.2.3"].target, by["2.2.3"].target_text) == (12.0, "≥ 12")
    assert by["2.2.4"].lead_unit == "Sở Tài chính" and by["2.2.4"].baseline == 14.72
    u = ed.unit_index("bac-giang")
    assert by["1.2.2"].baseline == float(ed.scores[u, ed.framework.index["1.2.2"]])
    assert (by["1.2.2"].lead_unit, by["1.2.2"].tasks, by["1.2.2"].row) == ("", "", 18)
    assert edited.plan_id == seed.plan_id and edited.name == seed.name
    assert planmod.plan_from_table(seed, ed, table.iloc[0:0]).targets == ()
    bad = table.copy()
    bad.loc[0, "target"] = 120.0
    bad.loc[3, "code"] = "2.2.3"
    with pytest.raises(PlanFileError) as err:
        planmod.plan_from_table(seed, ed, bad)
    got = [(p.kind, p.row, p.column) for p in err.value.problems]
    assert got == [("out_of_range", 1, "target"), ("duplicate_code", 4, "code")]  # rows from 1
    assert "Dòng 1" in err.value.render("vi") and "Row 4" in err.value.render("en")


# --- the library: built-in and stored together ------------------------------------------------


def test_the_library_lists_built_in_and_stored_plans(ws, seed, ed):
    mine = library.save_plan(library.copy_plan(seed, "Bản sao kế hoạch 2024"), author="Lan")
    assert (mine.source, mine.source_ref, mine.status, mine.read_only) == (
        "carried",
        "bac-giang-2024",
        "draft",
        False,
    )
    assert mine.targets == seed.targets and mine.revision == 1
    other = library.save_plan(new_plan(api.edition(2024), "bac-giang", "Cho 2024", {"2.2.3": 30}))
    hanoi = library.save_plan(new_plan(ed, "ha-noi", "Hà Nội", {"2.2.3": 30}))
    ids = [p.plan_id for p in library.list_plans()]
    assert ids[0] == "bac-giang-2024" and set(ids) == {
        "bac-giang-2024",
        mine.plan_id,
        other.plan_id,
        hanoi.plan_id,
    }
    assert [p.plan_id for p in library.list_plans("bac-giang", 2023)] == [
        "bac-giang-2024",
        mine.plan_id,
    ]
    # On 2024, Bắc Giang's plans written against 2024 come first, then the 2023 ones.
    assert [p.plan_id for p in library.plans_for("bac-giang", api.edition(2024))] == [
        other.plan_id,
        "bac-giang-2024",
        mine.plan_id,
    ]
    assert library.plans_for("bac-giang", api.edition(2025)) == []  # merged on 1 July 2025
    assert library.get_plan(mine.plan_id) == mine
    assert [r.revision for r in library.revisions(mine)] == [1]
    library.delete_plan(mine.plan_id)
    assert mine.plan_id not in [p.plan_id for p in library.list_plans()]


def test_an_imported_plan_is_named_by_the_user(ws, ed):
    p = library.import_plan(SEED.read_bytes(), ed, "bac-giang", "Nhập lại", file_name="seed.csv")
    assert (p.plan_id, p.name, p.source, p.source_ref) == ("", "Nhập lại", "imported", "seed.csv")
    assert library.save_plan(p).plan_id == "bac-giang-nhap-lai"


@pytest.mark.parametrize("peers", ["static", "trend"])
def test_plan_effect_is_the_departments_effect(seed, ed, peers):
    base = Scenario(unit="bac-giang", edition=2023, peers=peers)
    effect = library.plan_effect(seed, ed, base)
    trend = api.trend_for(ed) if peers == "trend" else None
    assert effect == planmod.department_effects(seed, ed, base, trend)
    s = api.run(library.scenario_of(seed, ed, base)).summary()
    assert effect.pii == pytest.approx(s["scenario"]["pii"], abs=1e-12)
    assert effect.rank == s["scenario"]["rank"]
    assert effect.baseline_pii == pytest.approx(s["baseline"]["pii"], abs=1e-12)
    assert set(effect.summary()) == {"pii0", "pii", "rank0", "rank"}
    if peers == "static":  # (with trending peers, rank0 is the rank if Bắc Giang stood still)
        assert (
            (effect.baseline_rank, effect.rank)
            == (11, 9)
            == (
                s["baseline"]["rank"],
                s["scenario"]["rank"],
            )
        )


# --- the command line -------------------------------------------------------------------------


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli_json(capsys, *argv: str):
    code, out, err = cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


NEW = ["plan", "new", "--unit", "ha-noi", "--edition", "2024", "--name", "Kế hoạch PII 2025"]


def _weak(unit: str, year: int, n: int) -> list[str]:
    """n indicators the unit scores lowest on (targets of 99 then surely raise its PII)."""
    ed = api.edition(year)
    row = ed.scores[ed.unit_index(unit)]
    return sorted(ed.framework.codes, key=lambda c: row[ed.framework.index[c]])[:n]


def test_plan_new_show_list_and_replace(ws, capsys):
    a, b = _weak("ha-noi", 2024, 2)
    got = cli_json(capsys, *NEW, "--set", f"{a}=99", "--set", f"{b}=98", "--lead", f"{a}=Sở A")
    assert got["id"] == "ha-noi-ke-hoach-pii-2025" and LIST_KEYS <= set(got)
    assert (got["edition"], got["target_year"], got["status"], got["source"]) == (
        2024,
        2025,
        "draft",
        "typed",
    )
    assert [set(t) for t in got["targets"]] == [TARGET_KEYS] * 2
    assert got["targets"][0]["lead_unit"] == "Sở A" and got["targets"][0]["target"] == 99
    assert isinstance(got["targets"][0]["raw_target"], float)
    assert set(got["effect"]) == {"pii0", "pii", "rank0", "rank"}
    assert got["effect"]["pii"] > got["effect"]["pii0"]
    assert [r["revision"] for r in got["revisions"]] == [1]
    assert set(got["revisions"][0]) >= {"revision", "at", "author", "note"}
    # The same name again: refused without --replace (exit 2, nothing written), then a revision.
    code, _, err = cli(capsys, *NEW, "--set", "2.2.3=50", "--lang", "en")
    assert code == 2 and "--replace" in err and "ha-noi-ke-hoach-pii-2025" in err
    again = cli_json(capsys, *NEW, "--set", f"{a}=50", "--replace", "--note", "sau họp")
    assert again["id"] == got["id"] and [r["revision"] for r in again["revisions"]] == [2, 1]
    assert again["revisions"][0]["note"] == "sau họp" and again["n_targets"] == 1
    shown = cli_json(capsys, "plan", "show", got["id"])
    assert shown == again
    listed = cli_json(capsys, "plan", "list")
    assert [p["id"] for p in listed] == ["bac-giang-2024", got["id"]]
    assert all(set(p) == LIST_KEYS for p in listed)
    assert listed[0] | {"name": ""} == {
        "id": "bac-giang-2024",
        "name": "",
        "unit": "bac-giang",
        "edition": 2023,
        "target_year": 2024,
        "status": "adopted",
        "source": "seed",
        "n_targets": 17,
    }
    assert [p["id"] for p in cli_json(capsys, "plan", "list", "--unit", "ha-noi")] == [got["id"]]
    assert cli_json(capsys, "plan", "list", "--edition", "2025") == []
    # The human-readable forms, in both languages.
    code, vi, _ = cli(capsys, "plan", "show", got["id"])
    assert code == 0 and "Phiên bản 2" in vi and "Hà Nội" in vi
    code, en, _ = cli(capsys, "plan", "list", "--lang", "en")
    assert code == 0 and "official document" in en and "Indicators" in en


def test_plan_export_import_and_delete(ws, capsys, tmp_path):
    for suffix, layout in ((".csv", "plan"), (".xlsx", "plan"), (".xlsx", "seed")):
        out = tmp_path / f"seed-{layout}{suffix}"
        code, text, err = cli(
            capsys, "plan", "export", "plan-2024", "--out", str(out), "--layout", layout
        )
        assert code == 0 and out.exists() and str(out) in text, err
        name = f"Nhập {layout}{suffix}"
        got = cli_json(
            capsys, "plan", "import", str(out), "--unit", "bac-giang", "--edition", "2023",
            "--name", name,
        )  # fmt: skip
        assert got["source"] == "imported" and got["n_targets"] == 17
        assert got["effect"]["rank"] == 9 and got["effect"]["rank0"] == 11
    ids = [p["id"] for p in cli_json(capsys, "plan", "list", "--unit", "bac-giang")]
    assert len(ids) == 4
    code, out, _ = cli(capsys, "plan", "delete", ids[1], "--lang", "en")
    assert code == 0 and "Deleted" in out
    assert len(cli_json(capsys, "plan", "list")) == 3


def _refused(capsys, *argv: str) -> tuple[str, str]:
    """Both languages' messages of a command that must exit 2 and store nothing."""
    before = len(Workspace().list_plans())
    out = []
    for lang in ("vi", "en"):
        code, _, err = cli(capsys, *argv, "--lang", lang)
        assert code == 2, (argv, err)
        assert err.startswith("Lỗi: " if lang == "vi" else "Error: "), err
        out.append(err)
    assert len(Workspace().list_plans()) == before
    return out[0], out[1]


def test_bad_input_exits_2_in_the_chosen_language(ws, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,target\n2.2.3,abc\n9.9.9,5\n", encoding="utf-8")
    vi, en = _refused(
        capsys, "plan", "import", str(bad), "--unit", "ha-noi", "--edition", "2024", "--name", "x"
    )
    assert "Dòng 2" in vi and "Dòng 3" in vi and "Row 2" in en and "Row 3" in en
    vi, en = _refused(capsys, *NEW, "--set", "2.2.3=abc")
    vi, en = _refused(capsys, *NEW, "--set", "9.9.9=10")
    assert "9.9.9" in en
    vi, en = _refused(capsys, *NEW, "--set", "2.2.3=10", "--lead", "2.2.3")
    assert "--lead" in en
    vi, en = _refused(capsys, *NEW, "--set", "2.2.3=10", "--lead", "1.1.1=Sở A")
    assert "1.1.1" in en
    _refused(capsys, *NEW, "--target-year", "2040")
    _refused(capsys, *NEW, "--milestone", "năm")
    _refused(capsys, "plan", "new", "--unit", "atlantis", "--edition", "2024", "--name", "x")
    _refused(capsys, "plan", "new", "--unit", "ha-noi", "--edition", "2031", "--name", "x")
    _refused(capsys, "plan", "import", str(tmp_path / "none.csv"), "--unit", "ha-noi",
             "--edition", "2024", "--name", "x")  # fmt: skip
    vi, en = _refused(capsys, "plan", "show", "no-such-plan")
    assert "no-such-plan" in vi and "no-such-plan" in en
    vi, en = _refused(capsys, "plan", "delete", "bac-giang-2024")
    assert "read-only" in en and "chỉ được đọc" in vi
    _refused(capsys, "plan", "export", "bac-giang-2024", "--out", str(tmp_path / "p.pdf"))
    _refused(capsys, "plan", "export", "bac-giang-2024", "--out", str(tmp_path / "no" / "p.csv"))
    _refused(capsys, "plan", "list", "--edition", "1999")
    _refused(capsys, "simulate", "--unit", "ha-noi", "--edition", "2023", "--plan", "plan-2024")
    _refused(
        capsys, "simulate", "--unit", "bac-giang", "--plan", "plan-2024", "--preset", "baseline"
    )
    _refused(capsys, "simulate", "--unit", "bac-giang", "--plan", "nope")
    _refused(capsys, "simulate", "--unit", "bac-giang", "--edition", "2025", "--plan", "plan-2024")


def _set_args(targets: dict[str, float]) -> list[str]:
    return [a for code, v in targets.items() for a in ("--set", f"{code}={v!r}")]


@pytest.mark.parametrize("year", [2023, 2024])
def test_simulate_with_a_plan_is_simulate_with_its_targets(ws, capsys, seed, year):
    ed = api.edition(year)
    base = ["simulate", "--unit", "bac-giang", "--edition", str(year)]
    by_plan = cli_json(capsys, *base, "--plan", "bac-giang-2024")
    by_set = cli_json(capsys, *base, *_set_args(seed.effective_targets(ed)))
    by_preset = cli_json(capsys, *base, "--preset", "plan-2024")
    assert by_plan == by_set == by_preset
    # A stored plan, with --scale and --peers passed through, and --set on top of the plan.
    mine = library.save_plan(new_plan(ed, "bac-giang", "Thử", {"2.2.3": 40.0, "6.3.3": 30.0}))
    extra = ["--scale", "renormalize", "--peers", "drift:0.5"]
    by_plan = cli_json(capsys, *base, *extra, "--plan", mine.plan_id, "--set", "1.1.1=50")
    by_set = cli_json(
        capsys, *base, *extra, *_set_args(mine.effective_targets(ed)), "--set", "1.1.1=50"
    )
    assert by_plan == by_set and by_plan["scenario"]["rank"] <= by_plan["baseline"]["rank"]


def test_the_plan_command_runs_as_a_program(built, tmp_path):
    """`python -m model plan ...` in a process of its own, as a user runs it."""
    env = {
        **os.environ,
        "PII_DATA_DIR": str(built.path.parent),
        "PII_WORKSPACE_DB": str(tmp_path / "w.duckdb"),
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("PII_STORE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "model", "plan", "list", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert [p["id"] for p in json.loads(run.stdout)] == ["bac-giang-2024"]
    run = subprocess.run(
        [sys.executable, "-m", "model", "plan", "show", "nope", "--lang", "en"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and run.stderr.startswith("Error: ") and "nope" in run.stderr
