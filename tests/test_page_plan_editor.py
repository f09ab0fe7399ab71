"""Writing a plan on the Plan page through AppTest: a province other than Bắc Giang (Khánh Hòa,
PII 2024), targets typed in the table editor, the PII and rank against the CLI, saved, reopened
by a new session, used on the scenario page; files in and out; bad cells and files refused
with their row and column and nothing stored; delete confirmed; read-only mode.

AppTest applies a data editor's edits when the edit state is assigned to its key before a run
(Streamlit's own format: edited_rows, added_rows, deleted_rows); it does not call the editor's
on_change, so these tests cover the path where the page reads the edited table on each run and
Save commits it (the browser test covers the on_change commit).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api
from model import plan as planmod
from model.fmt import number
from model.plan import library
from model.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
APP = "../app.py"
UNIT, YEAR = "khanh-hoa", "2024"
NAME = "Kế hoạch PII Khánh Hòa 2025"
DOST = "Sở Khoa học và Công nghệ"
TARGETS = {"2.2.3": 60.0, "6.3.3": 70.5}  # both above Khánh Hòa's 2024 scores
APPROX = "≈ "  # Khánh Hòa's 2024 PII is an estimate: marked on the Plan and meeting screens


@pytest.fixture(autouse=True)
def _clean_caches(built, fresh_workspace):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def page(name: str = "plan", **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in {"unit": UNIT, "edition": YEAR, **params}.items():
        at.query_params[k] = v
    at.switch_page(f"pages/{name}.py")
    at.run()
    ok(at)
    return at


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest, kinds=("markdown", "caption", "info", "success", "warning", "error")):
    """What the page says, as read (markdown escapes of user text taken out)."""
    return " ".join(str(e.value) for kind in kinds for e in at.get(kind)).replace("\\", "")


def errors(at: AppTest) -> str:
    return texts(at, ("error",))


def picker(at: AppTest, name: str):
    """A plan picker (its key carries a generation: ui.plan_choice.picker_key)."""
    (found,) = [s for s in at.selectbox if s.key and s.key.startswith(f"{name}-")]
    return found


def editor(at: AppTest):
    (found,) = list(at.data_editor)
    return found


def edit(at: AppTest, **state) -> AppTest:
    """Type into the plan's table (Streamlit's edit state) and run."""
    key = editor(at).key
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []} | state
    at.run()
    ok(at)
    return at


def new_plan(at: AppTest, name: str = NAME) -> AppTest:
    at.button(key="plan_btn_new").click().run()
    at.text_input(key="plan_new_name").input(name)
    at.button(key="plan_new_make").click().run()
    ok(at)
    return at


def save(at: AppTest, who: str = "Nguyễn Văn A", why: str = "") -> AppTest:
    keys = [t.key for t in at.text_input]
    at.text_input(key=next(k for k in keys if k.startswith("pm_who"))).input(who)
    if why:
        at.text_input(key=next(k for k in keys if k.startswith("pm_why"))).input(why)
    next(b for b in at.button if b.label in ("Lưu kế hoạch", "Save the plan")).click().run()
    ok(at)
    return at


def cli_simulate(targets: dict[str, float]) -> dict:
    sets = [x for code, v in targets.items() for x in ("--set", f"{code}={v:g}")]
    out = subprocess.run(
        [sys.executable, "-m", "model", "simulate", "--unit", UNIT, "--edition", YEAR, *sets]
        + ["--json"],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def stored() -> list[planmod.Plan]:
    return Workspace().list_plans(UNIT)


ROWS = [
    {"code": "2.2.3", "target": "60"},
    {"code": "6.3.3", "target": "70,5", "lead": DOST},  # a Vietnamese decimal comma
]


def test_write_save_reopen_and_use_a_plan_for_khanh_hoa():
    at = page()
    assert any("Khánh Hòa" in w.value for w in at.warning)  # no plan yet: said so
    new_plan(at)
    assert len(editor(at).value) == 0 and not stored()  # a draft: nothing stored yet
    edit(at, added_rows=ROWS)
    cli = cli_simulate(TARGETS)
    m = metrics(at)
    assert m["PII hiện trạng"] == APPROX + number(cli["baseline"]["pii"], "vi")
    assert m["PII nếu đạt kế hoạch"] == APPROX + number(cli["scenario"]["pii"], "vi")
    assert f"Hạng {cli['scenario']['rank']}/63" in texts(at)
    depts = next(d.value for d in at.dataframe if "Sở, ngành chủ trì" in d.value.columns)
    assert "Sở KH&CN" in set(depts.iloc[:, 0]) or "Sở Khoa học và Công nghệ" in set(
        depts.iloc[:, 0]
    )
    assert not stored()  # still only in this session

    save(at, why="Bản đầu tiên")
    assert any("lần lưu thứ 1" in s.value for s in at.success)
    (plan,) = stored()
    assert plan.name == NAME and plan.revision == 1 and plan.edition == 2024
    assert {t.code: t.target for t in plan.targets} == TARGETS
    assert plan.lead_of("6.3.3") == DOST
    assert [r.note for r in library.revisions(plan)] == ["Bản đầu tiên"]

    # a new session finds it in the store, with the same numbers
    again = page()
    assert not again.warning
    assert metrics(again)["PII nếu đạt kế hoạch"] == APPROX + number(cli["scenario"]["pii"], "vi")
    assert list(editor(again).value["code"]) == ["2.2.3", "6.3.3"]

    # the scenario page lists it among its presets and gives the same PII
    sc = page("scenario")
    button = sc.button(key=f"preset_plan_{plan.plan_id}")
    assert button.label == NAME
    button.click().run()
    ok(sc)
    pii = next(m for m in sc.metric if m.label.startswith("PII"))
    assert pii.value == number(cli["scenario"]["pii"], "vi")
    assert sc.select_slider(key="t_6.3.3").value == 70.5

    # and a link names it: /scenario?plan=ID
    linked = page("scenario", plan=plan.plan_id)
    assert next(m for m in linked.metric if m.label.startswith("PII")).value == pii.value


def test_each_row_shows_baseline_raw_value_and_points():
    at = new_plan(page())
    edit(at, added_rows=ROWS)
    save(at)
    table = editor(page()).value.set_index("code")
    ed = api.edition(2024)
    u = ed.unit_index(UNIT)
    base = float(ed.scores[u, ed.framework.index["6.3.3"]])
    assert table.loc["6.3.3", "baseline"] == number(base, "vi")
    assert table.loc["6.3.3", "target"] == "70,5"
    raw = planmod.Plan(plan_id="x", unit=UNIT, edition=2024).with_targets(ed, {"6.3.3": 70.5})
    raw_value = raw.raw_target(ed, "6.3.3")
    assert table.loc["6.3.3", "raw"].startswith(number(raw_value, "vi", ed.raw_decimals("6.3.3")))
    one = cli_simulate({"6.3.3": 70.5})
    gain = one["scenario"]["pii"] - one["baseline"]["pii"]
    assert table.loc["6.3.3", "points"] == number(gain, "vi", 3, True)


def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_saved():
    at = new_plan(page())
    edit(at, added_rows=[ROWS[0], {"code": "6.3.3", "target": "abc"}])
    assert "Dòng 2, cột «Mục tiêu»: «abc» không phải là số." in errors(at)
    # the numbers are those of the last valid table (no targets yet)
    assert metrics(at)["PII nếu đạt kế hoạch"] == metrics(at)["PII hiện trạng"]
    save(at)
    assert not stored()
    assert any("Chưa lưu" in e.value for e in at.error)
    # out of range, unknown code: each with its row and column
    edit(at, added_rows=[{"code": "2.2.3", "target": "150"}, {"code": None, "target": "5"}])
    assert "Dòng 1, cột «Mục tiêu»: «150» không nằm trong khoảng 0–100." in errors(at)
    assert "Dòng 2, cột «Chỉ số»" in errors(at)
    assert not stored()


def test_a_bad_cell_in_english():
    at = new_plan(page(lang="en"), "Plan")
    edit(at, added_rows=[{"code": "2.2.3", "target": "x1"}])
    assert "Row 1, column “Target”: “x1” is not a number." in errors(at)


def test_editing_a_saved_plan_adds_a_revision_and_deleting_a_row():
    at = new_plan(page())
    edit(at, added_rows=ROWS)
    save(at)
    at = page()
    edit(at, edited_rows={0: {"target": "65"}}, deleted_rows=[1])
    assert "Có thay đổi chưa lưu." in texts(at)  # the form says so
    save(at, why="Nâng 2.2.3, bỏ 6.3.3")
    (plan,) = stored()
    assert plan.revision == 2 and {t.code: t.target for t in plan.targets} == {"2.2.3": 65.0}
    changes = library.revisions(plan)[0].changes
    assert {"change": "removed", "code": "6.3.3"} in changes
    assert {"change": "target", "code": "2.2.3", "from": 60.0, "to": 65.0} in changes


def test_import_export_round_trip_through_the_page():
    ed = api.edition(2024)
    source = planmod.new_plan(ed, UNIT, "tệp", TARGETS, {"2.2.3": DOST})
    csv = planmod.plan_to_csv(source, "plan")
    at = page()
    at.text_input(key="plan_import_name").input("Từ tệp CSV")
    at.file_uploader(key="plan_upload").upload("ke-hoach.csv", csv.encode("utf-8"), "text/csv")
    at.run()
    ok(at)
    assert any("Đã nạp «Từ tệp CSV»" in s.value and "2 chỉ số" in s.value for s in at.success)
    assert not stored()  # a draft until saved
    assert [b.key for b in at.get("download_button")][:2] == ["plan_export_csv", "plan_export_xlsx"]
    save(at)
    (plan,) = stored()
    assert plan.source == "imported" and {t.code: t.target for t in plan.targets} == TARGETS
    # what the export buttons serve, read back through the page: the same plan
    for layout in planmod.LAYOUTS:
        data = planmod.plan_to_xlsx(plan, layout)
        at = page()
        at.text_input(key="plan_import_name").input(f"Lại từ tệp {layout}")
        at.file_uploader(key="plan_upload").upload(f"lai.{layout}.xlsx", data, "application/zip")
        at.run()
        ok(at)
        save(at)
        back = next(p for p in stored() if p.name == f"Lại từ tệp {layout}")
        assert [(t.code, t.target, t.lead_unit) for t in back.targets] == [
            (t.code, t.target, t.lead_unit) for t in plan.targets
        ]
        assert [t.baseline for t in back.targets] == pytest.approx(
            [t.baseline for t in plan.targets]
        )


def test_a_bad_file_is_refused_with_rows_and_columns_and_nothing_changes():
    at = page()
    bad = "code,target\n2.2.3,60\n9.9.9,10\n6.3.3,lots\n"
    at.file_uploader(key="plan_upload").upload("xau.csv", bad.encode("utf-8"), "text/csv").run()
    ok(at)
    assert "Không nạp được tệp; chưa có gì thay đổi." in errors(at)
    assert "Dòng 3, cột «code»: «9.9.9» không phải chỉ số của PII 2024." in errors(at)
    assert "Dòng 4, cột «target»: «lots» không phải là số." in errors(at)
    assert not stored() and not at.data_editor  # no draft was made either


def test_delete_needs_a_confirmation():
    ed = api.edition(2024)
    plan = library.save_plan(planmod.new_plan(ed, UNIT, NAME, TARGETS))
    at = page()
    at.button(key="plan_btn_delete").click().run()
    assert any(NAME in w.value and "Xoá kế hoạch" in w.value for w in at.warning)
    assert [p.plan_id for p in stored()] == [plan.plan_id]  # asked, not done
    at.button(key="plan_delete_no").click().run()
    assert [p.plan_id for p in stored()] == [plan.plan_id] and not at.warning
    at.button(key="plan_btn_delete").click().run()
    at.button(key="plan_delete_yes").click().run()
    ok(at)
    assert not stored()
    assert any("Đã xoá" in s.value for s in at.success)
    assert any("chưa có kế hoạch" in w.value for w in at.warning)


def test_the_seed_plan_is_read_only_and_copies_into_an_editable_plan():
    at = page(unit="bac-giang", edition="2023")
    assert not at.data_editor  # the official document is not edited in place
    assert at.button(key="plan_btn_delete").disabled  # nor deleted
    assert "Sao chép" in texts(at, ("info",))
    at.button(key="plan_btn_copy").click().run()
    at.button(key="plan_copy_make").click().run()
    ok(at)
    assert len(editor(at).value) == 17
    edit(at, edited_rows={0: {"target": "99"}})
    save(at)
    (copy,) = Workspace().list_plans("bac-giang")
    assert copy.source == "carried" and copy.source_ref == planmod.SEED_ID
    assert copy.targets[0].target == 99.0 and len(copy.targets) == 17
    seed = api.plan()
    assert seed.targets[0].target != 99.0  # the seed itself is untouched


def test_read_only_mode_hides_every_write_control():
    ed = api.edition(2024)
    library.save_plan(planmod.new_plan(ed, UNIT, NAME, TARGETS))
    at = page(mode="meeting")
    assert not at.data_editor
    assert not [b for b in at.button if b.key and b.key.startswith("plan_btn_")]
    assert not at.get("form_submit_button")
    assert not [t for t in at.text_input if t.key and t.key.startswith(("pm_", "plan_dept"))]
    assert metrics(at)["PII nếu đạt kế hoạch"] == APPROX + number(
        cli_simulate(TARGETS)["scenario"]["pii"], "vi"
    )
    assert any("target_text" in d.value.columns for d in at.dataframe)  # the plan is still read


def test_departments_can_be_added_to_the_list():
    at = new_plan(page())
    at.text_input(key="plan_dept_new").input("Ban Quản lý Khu kinh tế Vân Phong")
    at.button(key="plan_dept_add").click().run()
    ok(at)
    assert any("Vân Phong" in s.value for s in at.success)
    edit(
        at,
        added_rows=[{"code": "2.2.3", "target": "60", "lead": "Ban Quản lý Khu kinh tế Vân Phong"}],
    )
    save(at)
    (plan,) = stored()
    assert plan.lead_of("2.2.3") == "Ban Quản lý Khu kinh tế Vân Phong"


# ---- the same plan through the command line ---------------------------------------------------
def run_cli(*argv: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "model", *argv],
        cwd=ROOT,
        env=os.environ.copy(),  # the test's own workspace (PII_WORKSPACE_DB)
        capture_output=True,
        text=True,
        check=check,
    )


def test_the_plan_written_on_the_page_is_the_clis_plan(tmp_path: Path):
    import openpyxl

    at = new_plan(page())
    edit(at, added_rows=ROWS)
    save(at)
    (plan,) = stored()
    shown = metrics(page())["PII nếu đạt kế hoạch"]
    sets = ["--set", "2.2.3=60", "--set", "6.3.3=70.5"]
    by_plan = json.loads(
        run_cli(
            "simulate", "--unit", UNIT, "--edition", YEAR, "--plan", plan.plan_id, "--json"
        ).stdout
    )
    assert by_plan == cli_simulate(TARGETS)
    assert shown == APPROX + number(by_plan["scenario"]["pii"], "vi")

    # both reports of the plan, with the page's numbers
    xlsx, html = tmp_path / "kh.xlsx", tmp_path / "kh.html"
    for out in (xlsx, html):
        done = run_cli(
            "report", "--unit", UNIT, "--edition", YEAR, "--plan", plan.plan_id, "--out", str(out)
        )
        assert shown.removeprefix(APPROX) in done.stdout
    wb = openpyxl.load_workbook(xlsx)
    assert wb["Kịch bản"]["C2"].value == pytest.approx(by_plan["scenario"]["pii"], abs=1e-9)
    codes = [row[1] for row in wb["Kế hoạch"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["2.2.3", "6.3.3"]
    text = html.read_text(encoding="utf-8")
    assert NAME in text and shown in text and "Điểm 2024" in text  # the plan's baseline year
    bad = run_cli(
        "report",
        "--unit",
        "ha-noi",
        "--edition",
        YEAR,
        "--plan",
        plan.plan_id,
        "--out",
        str(tmp_path / "x.html"),
        check=False,
    )
    assert bad.returncode == 2 and "khanh-hoa" in bad.stderr and not (tmp_path / "x.html").exists()

    # sensitivity from the plan = from its targets; reach moves only the plan's indicators
    sens = [
        run_cli("sensitivity", "--unit", UNIT, "--edition", YEAR, *how, "--json").stdout
        for how in (["--plan", plan.plan_id], sets)
    ]
    assert json.loads(sens[0]) == json.loads(sens[1])
    reach = json.loads(
        run_cli(
            "reach",
            "--unit",
            UNIT,
            "--edition",
            YEAR,
            "--rank",
            "20",
            "--within",
            "plan",
            "--plan",
            plan.plan_id,
            "--json",
        ).stdout
    )
    assert {g["code"] for g in reach["gains"]} <= set(TARGETS)


def test_plan_cost_of_a_stored_plan(built):
    ed = api.edition(2023)  # the economy table has Bắc Giang (the budget's levers need it)
    plan = library.save_plan(planmod.new_plan(ed, "bac-giang", "Bản sao", {"2.2.3": 30.0}))
    out = json.loads(
        run_cli("plan-cost", "--unit", "bac-giang", "--plan", plan.plan_id, "--json").stdout
    )
    assert out["plan"] == plan.plan_id and [r["code"] for r in out["targets"]] == ["2.2.3"]
    default = json.loads(run_cli("plan-cost", "--unit", "bac-giang", "--json").stdout)
    assert default["plan"] == planmod.SEED_ID  # the unit's first plan: the built-in one
    none = run_cli("plan-cost", "--unit", "ha-noi", check=False)
    assert none.returncode == 2


# ---- the meeting screen shows any plan by a stable link ---------------------------------------
def test_a_meeting_link_shows_any_plan(built):
    from urllib.parse import parse_qs, urlsplit

    ed = api.edition(2024)
    plan = library.save_plan(planmod.new_plan(ed, UNIT, NAME, TARGETS, {"6.3.3": DOST}))
    other = library.save_plan(planmod.new_plan(ed, UNIT, "Phương án B", {"2.2.3": 80.0}))
    cli = cli_simulate(TARGETS)
    for lang in ("vi", "en"):
        at = page("meeting", plan=plan.plan_id, lang=lang)
        assert [m.label for m in at.metric][:2] == [
            "Hiện trạng" if lang == "vi" else "Baseline",
            NAME,
        ]
        assert [m.value for m in at.metric][:2] == [
            APPROX + number(cli["baseline"]["pii"], lang),
            APPROX + number(cli["scenario"]["pii"], lang),
        ]
        assert NAME in texts(at, ("markdown",))  # the subtitle names the plan shown
        assert at.query_params["plan"] == plan.plan_id  # the address opens this screen again
        link = parse_qs(urlsplit(at.code[0].value).query)
        assert link["plan"] == [plan.plan_id] and "preset" not in link
        # the picker lists the unit's plans; picking one shows it
        draft = "bản nháp" if lang == "vi" else "draft"
        assert sorted(picker(at, "meet_plan").options) == sorted(
            [f"{NAME} · PII 2024 · {draft}", f"Phương án B · PII 2024 · {draft}"]
        )
    picker(at, "meet_plan").set_value(other.plan_id).run()
    ok(at)
    b = cli_simulate({"2.2.3": 80.0})
    assert [m.value for m in at.metric][1] == APPROX + number(b["scenario"]["pii"], "en")
    assert "Phương án B" in [m.label for m in at.metric]


def test_a_meeting_link_to_a_plan_the_unit_does_not_have():
    at = page("meeting", plan="no-such-plan")
    assert any("no-such-plan" in w.value.replace("\\", "") for w in at.warning)
    assert [m.label for m in at.metric][:1] == ["Hiện trạng"]


def test_the_picker_follows_a_new_draft_and_a_save():
    """A new draft while a stored plan is shown: the picker names the draft (not the stored
    plan it showed before), and after the save the stored plan under its id."""
    ed = api.edition(2024)
    first = library.save_plan(planmod.new_plan(ed, UNIT, "Phương án A", TARGETS))
    at = page()
    assert picker(at, "plan_pick").value == first.plan_id
    new_plan(at, "Phương án B")
    assert picker(at, "plan_pick").value.startswith("new-")
    assert "Phương án B" in texts(at, ("markdown",))
    edit(at, added_rows=[ROWS[0]])
    save(at)
    second = next(p for p in stored() if p.name == "Phương án B")
    assert picker(at, "plan_pick").value == second.plan_id


def test_the_budget_and_movers_pages_follow_the_chosen_plan():
    ed = api.edition(2023)
    rd = {"2.2.3": 30.0, "2.2.1": 40.0}
    mine = library.save_plan(
        planmod.new_plan(ed, "bac-giang", "Phương án R&D", rd, {"2.2.3": DOST})
    )

    def cost_table(at: AppTest):
        return next(d.value for d in at.dataframe if "Chi phí (tỷ đồng)" in d.value.columns)

    at = page("budget", unit="bac-giang", edition="2023")
    assert picker(at, "bud_plan").value == planmod.SEED_ID  # the built-in plan first
    assert len(cost_table(at)) == 17
    picker(at, "bud_plan").set_value(mine.plan_id).run()
    ok(at)
    assert list(cost_table(at).iloc[:, 0]) == ["2.2.3", "2.2.1"]
    assert "Chi phí để đạt các mục tiêu của «Phương án R&D»" in texts(at, ("markdown",))
    # the pick is the plan of the other pages in this session
    at.switch_page("pages/movers.py").run()
    ok(at)
    assert picker(at, "mv_plan").value == mine.plan_id
    assert "Chỉ số trong «Phương án R&D»" in texts(at, ("markdown",))
    at.switch_page("pages/scenario.py").run()
    ok(at)
    button = at.button(key=f"preset_plan_{mine.plan_id}")
    assert button.proto.type == "primary"  # the chosen plan
    # and its indicators lead the sliders
    assert "2 chỉ số trong «Phương án R&D» (đơn vị chủ trì)" in [h.value for h in at.subheader]


def test_two_sessions_saving_one_plan_lose_no_revision():
    ed = api.edition(2024)
    library.save_plan(planmod.new_plan(ed, UNIT, NAME, TARGETS))
    a, b = page(), page()
    edit(a, edited_rows={0: {"target": "61"}})
    edit(b, edited_rows={0: {"target": "62"}})
    save(a)
    save(b)  # based on revision 1, which is no longer the latest: refused, said so
    assert any("Chưa lưu được" in e.value for e in b.error)
    (plan,) = stored()
    assert plan.revision == 2 and plan.target_of("2.2.3").target == 61.0
    assert [r.revision for r in library.revisions(plan)] == [2, 1]
    assert "62" in list(editor(b).value["target"])  # B's edit is still on B's screen
