"""The plan's official appendix (.docx): the seed's appendix imports to the seed plan, a plan
of another province exports in the seed's layout and reads back to the same plan, the document
is what Decree 30/2020 asks (A4 landscape, Times New Roman 13–14, the header repeated), and bad
files or rows are refused with a sentence naming them (rows by their STT)."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from model import api, i18n
from model.i18n_extract import ids_in
from model.plan import PlanError, library, new_plan, read_plan_file
from model.plan import appendix as ap
from tests.fixtures.seed_appendix import SEED, build_seed_appendix, build_seed_docx, seed_text

ROOT = Path(__file__).resolve().parents[1]

MODULE_IDS = {  # the package's modules (model/plan/appendix/)
    i
    for path in sorted((ROOT / "model/plan/appendix").glob("*.py"))
    for _, i in ids_in(path.read_text(encoding="utf-8"))
}


@pytest.fixture(scope="module")
def ed(built):
    return api.edition(2023)


@pytest.fixture(scope="module")
def ed24(built):
    return api.edition(2024)


@pytest.fixture(scope="module")
def seed(built):
    return library.get_plan("bac-giang-2024")


def _facts(plan):
    return [
        (t.row, t.code, t.baseline, t.target, t.target_text, t.lead_unit)
        + (t.coordinating_units, t.timeframe, t.tasks)
        for t in plan.targets
    ]


def test_every_sentence_has_a_text_in_both_languages():
    """Every id the module uses has a text in both catalogues, with the same placeholders."""
    assert MODULE_IDS
    for msg_id in MODULE_IDS:
        vi, en = i18n.catalogue("vi").get(msg_id), i18n.catalogue("en").get(msg_id)
        assert vi and en, msg_id
        assert i18n.placeholders(vi) == i18n.placeholders(en), msg_id


# --- the seed's appendix ---------------------------------------------------------------------


def test_the_seed_text_is_there():
    assert SEED.is_file(), f"{SEED} is missing"  # the fixture fails loudly, never skips
    assert "Ban hành kèm theo Kế hoạch số" in seed_text()


def test_the_seed_appendix_imports_to_the_seed_plan(seed, ed, tmp_path):
    path = build_seed_appendix(tmp_path / "phu-luc.docx")
    data = path.read_bytes()
    plan = ap.read_appendix_for(data, ed, "bac-giang", file_name=path.name)
    assert len(plan.targets) == 17
    assert [(t.code, t.target, t.lead_unit) for t in plan.targets] == [
        (t.code, t.target, t.lead_unit) for t in seed.targets
    ]
    assert plan.targets == seed.targets  # baselines, printed targets, units, tasks too
    assert (plan.unit, plan.edition, plan.target_year) == ("bac-giang", 2023, 2024)
    assert (plan.source, plan.source_ref) == ("imported", "phu-luc.docx")
    # Without an edition, the years come from the headers ("năm 2023", "năm 2024").
    alone = ap.read_appendix_docx(data, "bac-giang")
    assert (alone.edition, alone.target_year, alone.targets) == (2023, 2024, seed.targets)
    appendix = ap.read_appendix(data)
    assert [r.stt for r in appendix.rows] == [str(k) for k in range(1, 18)]
    assert appendix.rows[1].name.startswith("Chi cho nghiên cứu khoa học")
    assert appendix.date == "/7/2024"  # the printed "ngày      /7/2024"; the number is blank


def test_the_appendix_rows_feed_the_plan_file_reader(seed, ed):
    """appendix_records gives the seed's CSV layout, which model.plan.files reads."""
    records = ap.appendix_records(ap.read_appendix(build_seed_docx()), "bac-giang-2024")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    plan = read_plan_file(out.getvalue().encode("utf-8"), ed, "bac-giang", file_name="x.csv")
    assert plan.targets == seed.targets and plan.plan_id == "bac-giang-2024"


def test_another_provinces_layout_is_read(ed):
    """Other words in the header, a numbering row, a section row, the tasks in the indicator's
    cell, a lead unit merged over two rows and an empty baseline (the edition's score)."""
    doc = docx.Document()
    doc.add_paragraph("Phụ lục")
    rows = [
        ["TT", "Nội dung nhiệm vụ", "Kết quả 2023", "Chỉ tiêu 2024", "Cơ quan chủ trì"]
        + ["Cơ quan phối hợp", "Thời hạn"],
        [f"({k})" for k in range(1, 8)],
        ["I", "TRỤ CỘT 1: THỂ CHẾ", "", "", "", "", ""],
        ["1", "Chỉ số 1.1.1 Chính sách thúc đẩy KH,CN&ĐMST\n- Việc một\n\n- Việc hai", "12,76"]
        + ["Đạt 20 điểm", "Sở Khoa học và Công nghệ", "", "Năm 2024"],
        ["2", "Chỉ số 1.2.1 Chi phí gia nhập thị trường", "", "≥ 30,5", "", "Các sở", "2024"],
    ]
    table = doc.add_table(rows=len(rows), cols=7)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            first_line, *more = value.split("\n")
            cell.paragraphs[0].text = first_line
            for line in more:  # a paragraph per line, an empty one too
                cell.add_paragraph(line)
    table.cell(3, 4).merge(table.cell(4, 4))
    out = io.BytesIO()
    doc.save(out)
    plan = ap.read_appendix_for(out.getvalue(), ed, "bac-giang")
    first, second = plan.targets
    assert (first.row, first.code, first.baseline, first.target) == (1, "1.1.1", 12.76, 20.0)
    assert (first.target_text, first.tasks, first.timeframe) == (
        "Đạt 20 điểm",
        "- Việc một\n- Việc hai",
        "Năm 2024",
    )
    assert (second.code, second.target, second.target_text) == ("1.2.1", 30.5, "≥ 30.5")
    assert second.lead_unit == first.lead_unit == "Sở Khoa học và Công nghệ"
    assert second.baseline == pytest.approx(
        float(ed.scores[ed.unit_index("bac-giang"), ed.framework.index["1.2.1"]])
    )
    assert plan.target_year == 2024


# --- export and round trip -------------------------------------------------------------------


@pytest.fixture(scope="module")
def bac_ninh(ed24):
    """A plan written for another province, with what a planner types: fractional targets,
    baselines from the edition, a printed target of its own, units in and out of the
    department list, tasks over several lines."""
    plan = new_plan(
        ed24,
        "bac-ninh",
        "Kế hoạch nâng cao Chỉ số PII năm 2025",
        targets={"2.2.3": 37.125, "3.1.1": 62.5, "6.3.3": 10.0, "4.1.1": 40.0},
        leads={
            "2.2.3": "Sở Khoa học và Công nghệ",
            "3.1.1": "Sở Thông tin và Truyền thông",
            "6.3.3": "Sở Nội vụ",
            "4.1.1": "Các sở, ngành và đơn vị liên quan",
        },
        target_year=2026,
        milestones=(2025,),
        status="adopted",
        author="UBND tỉnh Bắc Ninh",
    )
    texts = {
        "2.2.3": dict(
            coordinating_units="Sở Tài chính; Cục Thống kê tỉnh",
            timeframe="Hằng năm",
            tasks="- Bố trí kinh phí cho nghiên cứu.\n- Hỗ trợ doanh nghiệp đổi mới công nghệ.",
        ),
        "3.1.1": dict(coordinating_units="Các sở, ngành và các đơn vị liên quan"),
        "6.3.3": dict(target_text="≥ 10%", timeframe="Thường xuyên", tasks="Một dòng."),
        "4.1.1": dict(target_text="Tăng 2 bậc", timeframe="Quý IV/2025"),
    }
    return dataclasses.replace(
        plan,
        targets=tuple(dataclasses.replace(t, **texts.get(t.code, {})) for t in plan.targets),
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_plan_of_another_province_reads_back_the_same(bac_ninh, ed24, lang):
    info = ap.indicator_info(bac_ninh, ed24, lang)
    data = ap.appendix_docx(bac_ninh, info, lang=lang, number="15", date="19/01/2026")
    back = ap.read_appendix_for(data, ed24, "bac-ninh", file_name="bn.docx")
    assert back.targets == bac_ninh.targets
    same = ap.read_appendix_docx(data)  # unit, years, name, status: the export's own
    assert dataclasses.replace(same, plan_id="", source="typed", source_ref="") == bac_ninh
    appendix = ap.read_appendix(data)
    assert (appendix.number, appendix.date) == ("15", "19/01/2026")
    assert appendix.rows[0].name == info["2.2.3"].name


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_seed_plan_reads_back_in_either_language(seed, ed, lang):
    back = ap.read_appendix_for(ap.appendix_docx(seed, lang=lang), ed, "bac-giang")
    assert _facts(back) == _facts(seed)


def test_an_edited_print_wins_over_the_kept_values(bac_ninh, ed24):
    """The exact values kept in the document stand behind its printed numbers only while the
    print says the same: a target changed in Word is read as changed."""
    doc = docx.Document(io.BytesIO(ap.appendix_docx(bac_ninh)))
    cell = doc.tables[0].rows[1].cells[3]
    assert cell.paragraphs[0].text == "≥ 37,125"
    cell.paragraphs[0].runs[0].text = "≥ 40"
    out = io.BytesIO()
    doc.save(out)
    back = ap.read_appendix_for(out.getvalue(), ed24, "bac-ninh")
    first = back.target_of("2.2.3")
    assert (first.target, first.target_text) == (40.0, "≥ 40")
    assert back.target_of("3.1.1") == bac_ninh.target_of("3.1.1")


# --- the document ----------------------------------------------------------------------------


def _runs(doc):
    for p in doc.paragraphs:
        yield from p.runs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_footer):
            for p in part.paragraphs:
                yield from p.runs


def test_the_document_is_an_official_appendix(bac_ninh, ed24, tmp_path):
    progress = [
        ap.ProgressRow("Sở Khoa học và Công nghệ", "2.2.3", 30.5, 37.125, False, 0.42),
        ap.ProgressRow("Sở Nội vụ", "6.3.3", None, 10.0, None, None),
    ]
    path = ap.export_appendix(
        bac_ninh,
        tmp_path / "phu-luc.docx",
        info=ap.indicator_info(bac_ninh, ed24),
        progress=progress,
    )
    assert not list(tmp_path.glob("*.part"))
    doc = docx.Document(str(path))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    runs = list(_runs(doc))
    assert runs and {r.font.name for r in runs} == {"Times New Roman"}
    assert {r.font.size for r in runs} <= {Pt(13), Pt(14)}
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "PHỤ LỤC" and texts[1].startswith("PHÂN CÔNG NHIỆM VỤ")
    assert "NĂM 2026" in texts[1]
    assert (
        texts[2]
        == "(Ban hành kèm theo Kế hoạch số ……/KH-UBND ngày ……/……/…… của UBND tỉnh Bắc Ninh)"
    )
    main, second = doc.tables
    header = main.rows[0]
    assert [c.text for c in header.cells] == [
        "STT",
        i18n.gettext("vi", "plan.appendix_col_indicator"),
        "Mức điểm số năm 2024",
        "Mục tiêu phấn đấu năm 2026",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian thực hiện",
    ]
    tr_pr = header._tr.trPr
    assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None  # on every page
    first = main.rows[1].cells
    assert first[0].text == "1" and first[1].text.startswith("Chỉ số: 2.2.3. ")
    baseline = bac_ninh.target_of("2.2.3").baseline
    assert re.fullmatch(r"\d{1,3},\d\d", first[2].text)  # 46,51: a decimal comma
    assert abs(float(first[2].text.replace(",", ".")) - baseline) <= 0.005
    assert first[3].paragraphs[0].text == "≥ 37,125" and "tương ứng" in first[3].text
    tasks = main.rows[2].cells
    assert tasks[0].text == "" and tasks[1].text.startswith("- Bố trí kinh phí")
    mismatch = main.rows[main_row(main, "4.1.1")].cells[3]
    assert [p.text for p in mismatch.paragraphs][:2] == ["≥ 40", "Tăng 2 bậc"]
    assert "Tiến độ theo đơn vị" in texts
    assert [c.text for c in second.rows[0].cells][:2] == ["Đơn vị", "Chỉ số"]
    assert second.rows[1].cells[2].text == "30,50" and second.rows[2].cells[2].text == "–"
    assert second.rows[1].cells[4].text == "Chưa đạt"
    body = "\n".join(texts).upper()
    assert "CHỦ TỊCH" not in body and "KT." not in body  # no signature block
    footer = section.footer.paragraphs[0].text
    assert footer.startswith("Phụ lục kèm theo Kế hoạch số") and "Bắc Ninh" in footer
    assert section.different_first_page_header_footer
    assert 'instr="PAGE"' in section.header._element.xml  # the page number, from page 2


def main_row(table, code: str) -> int:
    return next(k for k, r in enumerate(table.rows) if f" {code}." in r.cells[1].text)


def _units() -> dict[str, dict]:
    with (ROOT / "data" / "sources" / "units.csv").open(encoding="utf-8", newline="") as fh:
        return {r["slug"]: r for r in csv.DictReader(fh)}


def test_the_document_in_english_with_a_number_and_date(seed):
    import datetime as dt

    data = ap.appendix_docx(seed, lang="en", number="112", date=dt.date(2024, 7, 9))
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "APPENDIX"
    name_en = _units()["bac-giang"]["name_en"]  # as data/sources/units.csv spells it
    assert texts[2] == (
        "(Issued with Plan No. 112/KH-UBND dated 09/07/2024 of the People's Committee of "
        f"{name_en} province)"
    )
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header[0] == "No." and header[2:5] == ["Score in 2023", "Target for 2024", "Lead unit"]
    row = doc.tables[0].rows[1].cells
    assert row[2].text == "12.76" and row[6].text == "Ongoing"
    assert doc.tables[0].rows[3].cells[4].text == "Department of Science and Technology"
    hanoi = dataclasses.replace(seed, unit="ha-noi")
    doc = docx.Document(io.BytesIO(ap.appendix_docx(hanoi)))
    assert doc.paragraphs[2].text.endswith("của UBND thành phố Hà Nội)")


# --- refused files and rows ------------------------------------------------------------------


def _refused(data: bytes) -> ap.AppendixError:
    with pytest.raises(ap.AppendixError) as info:
        ap.read_appendix_docx(data, "bac-giang", 2023)
    assert isinstance(info.value, PlanError)
    assert info.value.render("vi") != info.value.render("en")
    return info.value


def test_files_that_are_not_an_appendix_are_refused(tmp_path):
    from model.plan.files import MAX_UNZIPPED_BYTES

    assert _refused(b"PK\x03\x04 not really a document").msg_id == "plan.appendix_err_not_docx"
    assert _refused("STT;Chỉ số\n".encode()).msg_id == "plan.appendix_err_not_docx"
    assert _refused(b"x" * 5_000_001).msg_id == "plan.err_file_too_large"
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert _refused(workbook.getvalue()).msg_id == "plan.appendix_err_not_docx"
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("word/document.xml", "<not a document")
    assert _refused(broken.getvalue()).msg_id == "plan.appendix_err_not_docx"
    bomb = io.BytesIO()  # small enough to upload, unpacks beyond the importer's limit
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * 1_000_000
            for _ in range(MAX_UNZIPPED_BYTES // len(chunk) + 1):
                f.write(chunk)
    assert len(bomb.getvalue()) < 5_000_000
    assert _refused(bomb.getvalue()).msg_id == "plan.err_file_too_large"
    letter = docx.Document()
    letter.add_paragraph("Kính gửi: Sở Khoa học và Công nghệ")
    letter.add_table(rows=2, cols=2).cell(0, 0).text = "Nội dung"
    out = io.BytesIO()
    letter.save(out)
    assert _refused(out.getvalue()).msg_id == "plan.appendix_err_no_table"


def _seed_with(*changes: tuple[str, str]) -> bytes:
    text = seed_text()
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return build_seed_docx(text)


def test_rows_that_cannot_be_read_are_named_by_their_stt(ed):
    data = _seed_with(
        ("\t2.43\n\t≥ 10\n", "\t2.43\n\tTăng mạnh\n"),  # STT 2: no number
        ("\t2.81\n\t≥ 5\n", "\t2.81\n\t≥ 150\n"),  # STT 5: not a score
        ("\t18.90\n", "\tkhông rõ\n"),  # STT 8: the baseline
    )
    err = _refused(data)
    assert err.msg_id == "plan.appendix_err_rows" and err.params["stt"] == "2, 5, 8"
    assert [(p.stt, p.kind, p.value) for p in err.problems] == [
        ("2", "target", "Tăng mạnh"),
        ("5", "target", "≥ 150"),
        ("8", "baseline", "không rõ"),
    ]
    assert "STT 2, 5, 8" in err.render("vi") and "“Tăng mạnh”" in err.render("vi")
    assert "No. 2, 5, 8" in str(err)
    with pytest.raises(ap.AppendixError) as info:
        ap.read_appendix(data)  # the same without an edition
    assert [p.stt for p in info.value.problems] == ["2", "5", "8"]


def test_codes_outside_the_edition_and_repeated_rows_are_named(ed):
    data = _seed_with(
        ("Chỉ số: 7.1.2.", "Chỉ số: 9.9.9."),
        ("Chỉ số: 2.2.4.", "Chỉ số: 2.2.3."),
        ("\t11\n\tChỉ số: 2.2.1.", "\t11\n\tNhân lực nghiên cứu:"),
    )
    with pytest.raises(ap.AppendixError) as info:
        ap.read_appendix_for(data, ed, "bac-giang")
    got = [(p.stt, p.kind, p.value) for p in info.value.problems]
    assert got == [
        ("11", "code", "Nhân lực nghiên cứu: Nhân lực nghiên cứu và phát triển/10.000 dân"),
        ("3", "duplicate", "2.2.3"),
        ("17", "unknown_code", "9.9.9"),
    ]
    assert "9.9.9" in info.value.render("vi") and "2023" in info.value.render("en")
