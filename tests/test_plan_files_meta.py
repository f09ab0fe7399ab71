"""The plan as a file that says what it is (issue 23, items 1–3): the official appendix (.docx)
out and in through the command line, the seed's appendix imported to the seed plan, the CSV and
XLSX exports carrying the plan's name, unit, edition, target year and status and each
indicator's name, baseline, target and raw value in the reader's language, read back (today's
minimal `code,target` layout still read), and the same checks as every import."""

from __future__ import annotations

import csv
import io
import json

import docx
import openpyxl
import pytest

from model import api
from model.cli import main
from model.plan import PlanFileError, library, new_plan, plan_to_csv, plan_to_xlsx, read_plan_file
from model.plan import appendix as ap
from model.workspace import Workspace
from tests.fixtures.seed_appendix import build_seed_appendix

UNIT, NAME = "khanh-hoa", "Kế hoạch PII 2025 của Khánh Hòa"
TARGETS = {"2.2.3": 37.125, "1.1.1": 62.5, "5.1.2": 71.0}
LEADS = {"2.2.3": "Sở Khoa học và Công nghệ", "1.1.1": "Sở Tài chính"}


@pytest.fixture(scope="module")
def ed24(built):
    return api.edition(2024)


@pytest.fixture
def ws(built, fresh_workspace) -> Workspace:
    return Workspace()


@pytest.fixture
def stored(ws, ed24):
    plan = new_plan(ed24, UNIT, NAME, TARGETS, LEADS, target_year=2026, status="adopted")
    return library.save_plan(plan, author="Phòng Quản lý KH&CN", note="bản đầu")


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _facts(plan):
    return [
        (t.code, t.baseline, t.target, t.target_text, t.lead_unit, t.coordinating_units)
        + (t.timeframe, t.tasks)
        for t in plan.targets
    ]


# --- the appendix through the command line -----------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_plan_of_another_province_goes_out_as_the_appendix_and_comes_back(
    capsys, stored, tmp_path, lang
):
    out = tmp_path / f"phu-luc-{lang}.docx"
    code, text, err = cli(
        capsys, "plan", "export", stored.plan_id, "--out", str(out), "--lang", lang
    )
    assert code == 0, err
    doc = docx.Document(str(out))
    assert doc.paragraphs[0].text == ("PHỤ LỤC" if lang == "vi" else "APPENDIX")
    assert "Khánh Hòa" in doc.paragraphs[2].text or "Khanh Hoa" in doc.paragraphs[2].text
    assert len(doc.tables[0].rows) > len(TARGETS)
    # nothing but the file tells the import which plan it is: unit, edition, name, years
    code, text, err = cli(capsys, "plan", "import", str(out), "--replace", "--json")
    assert code == 0, err
    back = json.loads(text)
    assert (back["id"], back["name"], back["unit"]) == (stored.plan_id, NAME, UNIT)
    assert (back["edition"], back["target_year"], back["revision"]) == (2024, 2026, 2)
    again = library.get_plan(stored.plan_id)
    assert _facts(again) == _facts(stored)


def test_the_seed_appendix_imports_to_the_seed_plan_through_the_command_line(
    capsys, ws, tmp_path, built
):
    path = build_seed_appendix(tmp_path / "phu-luc-bac-giang.docx")
    code, text, err = cli(
        capsys, "plan", "import", str(path), "--unit", "bac-giang", "--name", "Từ phụ lục",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    got = json.loads(text)
    seed = library.get_plan("bac-giang-2024")
    assert got["edition"] == 2023 and got["target_year"] == 2024  # from the column headers
    assert [(t["code"], t["target"], t["lead_unit"]) for t in got["targets"]] == [
        (t.code, t.target, t.lead_unit) for t in seed.targets
    ]
    assert len(got["targets"]) == 17


def test_an_appendix_that_does_not_say_its_province_needs_one(capsys, ws, tmp_path, built):
    path = build_seed_appendix(tmp_path / "phu-luc.docx")
    for lang, start in (("vi", "Lỗi: "), ("en", "Error: ")):
        code, _out, err = cli(capsys, "plan", "import", str(path), "--lang", lang)
        assert code == 2 and err.startswith(start) and "--unit" in err
    assert ws.list_plans() == []


def test_bad_appendix_rows_are_named_and_nothing_is_stored(capsys, ws, tmp_path, built):
    data = build_seed_appendix(tmp_path / "ok.docx").read_bytes()
    bad = data.replace("Mức điểm số năm 2023".encode(), "Mức điểm số năm 2023".encode())
    doc = docx.Document(io.BytesIO(bad))
    table = doc.tables[0]
    row = next(r for r in table.rows if r.cells[0].text.strip() == "3")
    row.cells[3].paragraphs[0].runs[0].text = "rất cao"  # a target that is no score
    path = tmp_path / "hong.docx"
    doc.save(str(path))
    code, _out, err = cli(capsys, "plan", "import", str(path), "--unit", "bac-giang")
    assert code == 2 and "STT 3" in err, err
    assert ws.list_plans() == []


def test_a_file_too_large_or_not_a_document_is_refused(capsys, ws, tmp_path, built):
    big = tmp_path / "lon.docx"
    big.write_bytes(b"PK" + b"0" * 6_000_000)
    code, _out, err = cli(capsys, "plan", "import", str(big), "--unit", "bac-giang",
                          "--edition", "2023")  # fmt: skip
    assert code == 2 and err.startswith("Lỗi: ")
    fake = tmp_path / "gia.docx"
    fake.write_bytes(b"not a zip at all")
    code, _out, err = cli(capsys, "plan", "import", str(fake), "--unit", "bac-giang",
                          "--edition", "2023", "--lang", "en")  # fmt: skip
    assert code == 2 and "Word" in err, err
    assert ws.list_plans() == []


def test_the_appendix_takes_the_plans_number_and_date(capsys, stored, tmp_path):
    out = tmp_path / "so.docx"
    argv = ["plan", "export", stored.plan_id, "--out", str(out), "--number", "112"]
    code, _text, err = cli(capsys, *argv, "--date", "09/07/2025")
    assert code == 0, err
    issued = docx.Document(str(out)).paragraphs[2].text
    assert (
        issued
        == "(Ban hành kèm theo Kế hoạch số 112/KH-UBND ngày 09/07/2025 của UBND tỉnh Khánh Hòa)"
    )
    bad = tmp_path / "ngay-sai.docx"
    code, _text, err = cli(capsys, "plan", "export", stored.plan_id, "--out", str(bad),
                           "--date", "2025-07-09")  # fmt: skip
    assert code == 2 and "dd/mm/yyyy" in err and not bad.exists()


def test_export_refuses_another_format(capsys, stored, tmp_path):
    code, _out, err = cli(
        capsys, "plan", "export", stored.plan_id, "--out", str(tmp_path / "p.pdf")
    )
    assert code == 2 and ".docx" in err and not (tmp_path / "p.pdf").exists()


# --- the CSV and XLSX say what the plan is --------------------------------------------------------


def test_the_csv_export_says_what_the_plan_is_in_the_readers_language(capsys, stored, tmp_path):
    out = tmp_path / "ke-hoach.csv"
    code, _text, err = cli(capsys, "plan", "export", stored.plan_id, "--out", str(out))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    meta = {r[0]: r[1] for r in rows[:6]}
    assert meta == {
        "Tên kế hoạch": NAME,
        "Mã tỉnh/thành phố": UNIT,
        "Tỉnh/thành phố": "Khánh Hòa",
        "Kỳ PII gốc": "2024",
        "Năm mục tiêu": "2026",
        "Trạng thái": "đã ban hành",
    }
    assert rows[6] == []
    header = rows[7]
    assert header[:4] == ["Mã chỉ số", "Chỉ số", "Điểm năm gốc", "Điểm mục tiêu"]
    first = dict(zip(header, rows[8], strict=True))
    ed = api.edition(2024)
    assert first["Mã chỉ số"] == "2.2.3"
    assert first["Chỉ số"] == ed.framework.indicator("2.2.3").name("vi")
    assert first["Điểm mục tiêu"] == "37,125"  # the decimal comma
    baseline = stored.target_of("2.2.3").baseline
    assert float(first["Điểm năm gốc"].replace(",", ".")) == baseline  # every digit kept
    raw = stored.raw_target(ed, "2.2.3")
    assert float(first["Giá trị thô của mục tiêu"].replace(",", ".")) == pytest.approx(raw)
    assert first["Đơn vị đo"] == ed.framework.indicator("2.2.3").unit("vi")
    assert first["Đơn vị chủ trì"] == LEADS["2.2.3"]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_re_import_keeps_the_plan_name_and_everything_else(stored, ed24, lang, fmt):
    data = (
        plan_to_csv(stored, "full", ed=ed24, lang=lang).encode("utf-8-sig")
        if fmt == "csv"
        else plan_to_xlsx(stored, "full", ed=ed24, lang=lang)
    )
    back = library.import_plan(data, ed24, UNIT, "", file_name=f"tai-ve.{fmt}")
    assert back.name == NAME  # not "tai-ve"
    assert (back.target_year, back.status) == (2026, "adopted")
    if fmt == "csv":  # every digit, as text
        assert _facts(back) == _facts(stored)
    else:  # a workbook keeps numbers to Excel's 15–17 significant digits
        assert [f[:1] + f[2:] for f in _facts(back)] == [f[:1] + f[2:] for f in _facts(stored)]
        assert [t.baseline for t in back.targets] == pytest.approx(
            [t.baseline for t in stored.targets], rel=1e-14
        )


def test_the_xlsx_export_keeps_numbers_as_numbers(stored, ed24):
    wb = openpyxl.load_workbook(io.BytesIO(plan_to_xlsx(stored, "full", ed=ed24, lang="en")))
    rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Plan name", NAME] and rows[3][:2] == ["Baseline PII edition", 2024]
    header = rows[7]
    assert header[:4] == ["Indicator code", "Indicator", "Baseline score", "Target score"]
    assert rows[8][3] == 37.125 and isinstance(rows[8][2], float)


def test_the_minimal_layout_is_still_read(ed24):
    plan = read_plan_file(b"code,target\n2.2.3,30\n1.1.1,55.5\n", ed24, UNIT, file_name="x.csv")
    assert [(t.code, t.target) for t in plan.targets] == [("2.2.3", 30.0), ("1.1.1", 55.5)]
    assert plan.name == "" and plan.target_year == 2025
    named = library.import_plan(b"code,target\n2.2.3,30\n", ed24, UNIT, "", file_name="x.csv")
    assert named.name == "x"  # a file that says nothing: named after the file, as before


def test_a_plan_file_for_another_province_or_edition_is_refused(stored, ed24, built):
    text = plan_to_csv(stored, "full", ed=ed24, lang="vi")
    with pytest.raises(PlanFileError) as info:
        read_plan_file(text.encode(), ed24, "ha-noi")
    assert info.value.problems[0].kind == "other_unit" and info.value.problems[0].row == 2
    assert "khanh-hoa" in info.value.render("vi") and "khanh-hoa" in info.value.render("en")
    with pytest.raises(PlanFileError) as info:
        read_plan_file(text.encode(), api.edition(2025), UNIT)
    assert [p.kind for p in info.value.problems] == ["other_edition"]
    bad = text.replace("đã ban hành", "xong rồi")
    with pytest.raises(PlanFileError) as info:
        read_plan_file(bad.encode(), ed24, UNIT)
    assert [p.kind for p in info.value.problems] == ["bad_status"]


def test_a_bad_row_of_the_full_layout_is_named_by_its_spreadsheet_row(stored, ed24):
    lines = plan_to_csv(stored, "full", ed=ed24, lang="vi").splitlines()
    lines[9] = lines[9].replace("62,5", "quá cao")  # the second indicator: spreadsheet row 10
    with pytest.raises(PlanFileError) as info:
        read_plan_file("\n".join(lines).encode(), ed24, UNIT)
    (p,) = info.value.problems
    assert (p.kind, p.row) == ("not_a_number", 10)


def test_the_appendix_is_recognised_before_a_workbook(stored, ed24):
    data = ap.appendix_docx(stored, ap.indicator_info(stored, ed24))
    plan = read_plan_file(data, ed24, UNIT, file_name="khong-duoi")  # a zip, named nothing
    assert _facts(plan) == _facts(stored) and plan.source == "imported"


# --- the Plan page: the appendix downloaded and uploaded (AppTest) ------------------------------


def _page(unit: str = UNIT, edition: str = "2024", **params: str):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    for k, v in {"unit": unit, "edition": edition, **params}.items():
        at.query_params[k] = v
    at.switch_page("pages/plan.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_offers_the_appendix_and_reads_it_back(stored, ed24):
    at = _page(plan=stored.plan_id)
    buttons = {b.key: b for b in at.get("download_button")}
    assert buttons["plan_export_docx"].label == "Phụ lục (.docx)"
    # what the button serves (ui.plan.files.appendix_bytes in Vietnamese), uploaded again
    data = ap.appendix_docx(stored, ap.indicator_info(stored, ed24, "vi"), lang="vi")
    at.file_uploader(key="plan_upload").upload("phu-luc.docx", data, ap.DOCX_MIME)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(NAME in s.value and "3 chỉ số" in s.value for s in at.success), [
        s.value for s in at.success
    ]
    (draft,) = [p for p in at.session_state["_plan_drafts"].values()]
    assert draft.name == NAME and _facts(draft) == _facts(stored)  # the document's own name


def test_the_page_names_the_appendix_rows_it_cannot_read(ws, tmp_path):
    data = build_seed_appendix(tmp_path / "ok.docx").read_bytes()
    doc = docx.Document(io.BytesIO(data))
    row = next(r for r in doc.tables[0].rows if r.cells[0].text.strip() == "5")
    row.cells[1].paragraphs[0].runs[0].text = "Chỉ số không mã"  # no code like 2.2.3
    out = io.BytesIO()
    doc.save(out)
    at = _page(unit="bac-giang", edition="2023")
    at.file_uploader(key="plan_upload").upload("hong.docx", out.getvalue(), ap.DOCX_MIME)
    at.run()
    assert not at.exception
    text = " ".join(e.value for e in at.error)
    assert "STT 5" in text and "chưa nhập gì" in text
    assert not at.session_state["_plan_drafts"] and ws.list_plans() == []
