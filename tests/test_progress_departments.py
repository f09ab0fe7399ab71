"""Progress by department (issue 23, item 6): per lead unit, its indicators, the latest reading
of each against its target, on track or not, and the PII points at stake; in the library
(model.plan.by_department), on the Plan page, in the appendix (.docx) and in the XLSX report."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api, report
from model.cli import main
from model.plan import department_effects, library, new_plan
from model.plan.by_department import department_progress, expected_fraction, target_points
from model.workspace import Workspace

UNIT, YEAR = "khanh-hoa", 2024
DOST, FIN = "Sở Khoa học và Công nghệ", "Sở Tài chính"
TARGETS = {"2.2.3": 60.0, "6.3.3": 70.5, "1.1.1": 62.0}
LEADS = {"2.2.3": DOST, "6.3.3": DOST, "1.1.1": FIN}
MID = dt.date(2025, 7, 2)  # 182 of the 364 days from 1/1/2025 to 31/12/2025: half way


@pytest.fixture(scope="module")
def ed(built):
    return api.edition(YEAR)


@pytest.fixture
def plan(ed, fresh_workspace):
    return library.save_plan(new_plan(ed, UNIT, "Tiến độ", TARGETS, LEADS, target_year=2025))


def _read(plan, code: str, fraction: float, day: dt.date = MID):
    """A reading `fraction` of the way from the plan's baseline to its target."""
    t = plan.target_of(code)
    score = t.baseline + fraction * (t.target - t.baseline)
    return Workspace().record_progress(
        plan.plan_id, plan.unit, code, kind="score", value=score, score=score, as_of=day
    )


def test_the_period_runs_over_the_target_year(plan):
    assert expected_fraction(plan, dt.date(2025, 1, 1)) == 0.0
    assert expected_fraction(plan, MID) == pytest.approx(0.5)
    assert expected_fraction(plan, dt.date(2026, 3, 1)) == 1.0


def test_each_department_with_its_indicators_latest_readings_and_points(plan, ed):
    _read(plan, "2.2.3", 0.2, dt.date(2025, 3, 1))
    _read(plan, "2.2.3", 0.6)  # later: the latest
    _read(plan, "6.3.3", 0.3)  # behind: 30 % of the way at half time
    result = department_progress(plan, ed, Workspace().progress_history(plan.plan_id))
    effect = department_effects(plan, ed)
    stake = {d.lead_unit: d.delta_pii for d in effect.departments}
    by = {d.lead_unit: d for d in result.departments}
    assert set(by) == {DOST, FIN}
    assert [d.lead_unit for d in result.departments] == sorted(by, key=lambda d: -stake[d])
    assert by[DOST].points == pytest.approx(stake[DOST]) and by[FIN].points == stake[FIN]
    first, second = by[DOST].indicators
    assert (first.code, first.on_track, first.as_of) == ("2.2.3", True, MID)
    assert first.latest == pytest.approx(plan.target_of("2.2.3").baseline + 0.6 * (
        60.0 - plan.target_of("2.2.3").baseline))  # fmt: skip
    assert (second.code, second.on_track) == ("6.3.3", False)
    assert by[DOST].on_track is False and (by[DOST].n_on_track, by[DOST].n_behind) == (1, 1)
    (fin,) = by[FIN].indicators
    assert fin.latest is None and fin.on_track is None and by[FIN].on_track is None
    points = target_points(plan, ed)
    assert [i.points for i in by[DOST].indicators] == [points["2.2.3"], points["6.3.3"]]
    assert points["2.2.3"] > 0


def test_a_target_reached_is_on_track_whenever_it_was_read(plan, ed):
    _read(plan, "1.1.1", 1.0, dt.date(2025, 1, 2))
    result = department_progress(plan, ed, Workspace().progress_history(plan.plan_id))
    (fin,) = [d for d in result.departments if d.lead_unit == FIN]
    assert fin.indicators[0].on_track is True and fin.on_track is True


def test_the_appendix_carries_the_progress_table(plan, ed, tmp_path, capsys):
    _read(plan, "6.3.3", 0.3)
    out = tmp_path / "tien-do.docx"
    assert main(["plan", "export", plan.plan_id, "--out", str(out)]) == 0, capsys.readouterr()
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert "Tiến độ theo đơn vị" in texts
    table = doc.tables[1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][:2] == ["Đơn vị", "Chỉ số"]
    assert len(rows) == 1 + len(TARGETS)
    read = next(r for r in rows if "6.3.3" in r[1])
    assert "Chưa đạt" in read  # behind
    assert any(r[2] == "–" for r in rows[1:])  # an indicator without a reading


def test_no_progress_table_without_readings(plan, tmp_path, capsys):
    out = tmp_path / "khong.docx"
    assert main(["plan", "export", plan.plan_id, "--out", str(out)]) == 0
    assert len(docx.Document(str(out)).tables) == 1


def test_the_xlsx_report_has_a_progress_by_department_sheet(plan, ed):
    _read(plan, "2.2.3", 0.6)
    history = Workspace().progress_history(plan.plan_id)
    rep = report.build(plan.scenario(ed), label="x", lang="vi", plan=plan, progress=history)
    wb = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(rep)))
    ws = wb["Tiến độ theo đơn vị"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][1] == "Điểm PII của đơn vị"
    body = {r[2]: r for r in rows[1:]}
    assert set(body) == set(TARGETS)
    assert body["2.2.3"][10] == "Đúng tiến độ" and body["1.1.1"][10] == "Chưa có kết quả"
    assert body["2.2.3"][6] == pytest.approx(history[0].score)
    rep_en = report.build(plan.scenario(ed), label="x", lang="en", plan=plan, progress=history)
    wb = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(rep_en)))
    assert "Progress by department" in wb.sheetnames


def test_the_html_report_has_progress_by_department(plan, ed):
    """The HTML report shows the same table as the workbook's sheet (it had none)."""
    _read(plan, "2.2.3", 0.6)
    history = Workspace().progress_history(plan.plan_id)
    rep = report.build(plan.scenario(ed), label="x", lang="vi", plan=plan, progress=history)
    html = report.to_html(rep)
    assert "<h2>Tiến độ theo đơn vị</h2>" in html
    section = html.split("<h2>Tiến độ theo đơn vị</h2>", 1)[1].split("</section>", 1)[0]
    assert "Đúng tiến độ" in section and "Chưa có kết quả" in section
    assert all(code in section for code in TARGETS)


def test_the_plan_page_shows_progress_by_department(plan):
    _read(plan, "6.3.3", 0.3)
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.query_params["unit"], at.query_params["edition"] = UNIT, str(YEAR)
    at.query_params["plan"] = plan.plan_id
    at.switch_page("pages/plan.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(e.label == "Tiến độ theo đơn vị" for e in at.expander)
    (summary,) = [d for d in at.dataframe if "Chậm" in d.value.columns]
    df = summary.value.set_index("Đơn vị chủ trì")
    assert df.loc[DOST, "Chậm"] == 1 and df.loc[FIN, "Chưa có kết quả"] == 1
    (table,) = [d for d in at.dataframe if "Tiến độ" in d.value.columns]
    rows = table.value.set_index("Chỉ số")
    assert rows.loc["6.3.3", "Tiến độ"] == "Chậm tiến độ"
    assert rows.loc["1.1.1", "Tiến độ"] == "Chưa có kết quả"
    assert any(b.key == "plan_dp_docx" for b in at.get("download_button"))
    st.cache_data.clear()
