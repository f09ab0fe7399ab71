"""Progress readings (issue 20, item 8): bounded as typed values are, and corrected or withdrawn
without losing the history (new rows naming the reading they replace), on DuckDB and
PostgreSQL, and on the Plan page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api
from model import plan as planmod
from model import workspace as wsmod
from model.index.scenario import ScenarioError
from model.workspace import NotFound, Workspace

APP = "../app.py"
DAY = dt.date(2025, 3, 31)


@pytest.fixture
def ws(store_target) -> Workspace:
    return store_target.new()


def _reading(ws: Workspace, code: str = "2.2.3", value: float = 45.0, score: float = 4544.4):
    return ws.record_progress(
        "p", "bac-giang", code, kind="raw", value=value, score=score, as_of=DAY, author="A"
    )


# ---- the store ---------------------------------------------------------------------------------
def test_a_corrected_reading_gives_way_and_stays_in_the_log(ws: Workspace):
    first = _reading(ws)
    other = _reading(ws, "2.2.4", 3.0, 30.0)
    fixed = ws.correct_progress(
        first.id, kind="raw", value=0.45, score=44.44, as_of=DAY, note="0,45 chứ", author="B"
    )
    assert (fixed.replaces, fixed.withdrawn, fixed.code, fixed.plan_id) == (
        first.id,
        False,
        "2.2.3",
        "p",
    )
    assert [e.id for e in ws.progress_history("p")] == [fixed.id, other.id]
    assert ws.latest_progress("p")["2.2.3"].value == 0.45
    log = {e.id: e for e in ws.progress_log("p")}
    assert set(log) == {first.id, other.id, fixed.id}
    assert log[first.id].superseded and log[first.id].value == 45.0  # as first recorded
    assert not log[fixed.id].superseded and log[fixed.id].note == "0,45 chứ"


def test_a_withdrawn_reading_no_longer_counts_but_is_kept(ws: Workspace):
    first = _reading(ws)
    gone = ws.withdraw_progress(first.id, note="nhập nhầm", author="B")
    assert gone.withdrawn and gone.replaces == first.id and gone.value == first.value
    assert ws.progress_history("p") == [] and ws.latest_progress("p") == {}
    log = ws.progress_log("p")
    assert {e.id for e in log} == {first.id, gone.id}
    assert next(e for e in log if e.id == first.id).superseded


def test_a_reading_is_replaced_once(ws: Workspace):
    first = _reading(ws)
    ws.correct_progress(first.id, kind="raw", value=0.45, score=44.44, as_of=DAY)
    for again in (
        lambda: ws.withdraw_progress(first.id),
        lambda: ws.correct_progress(first.id, kind="raw", value=1, score=1, as_of=DAY),
        lambda: ws.withdraw_progress(10_000),
    ):
        with pytest.raises(NotFound) as exc:
            again()
        assert "còn hiệu lực" in exc.value.render("vi")
    assert len(ws.progress_log("p")) == 2


def test_readings_of_a_store_made_before_corrections_are_kept(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL, "
        "description VARCHAR)"
    )
    before = [m for m in wsmod.MIGRATIONS if "corrected or withdrawn" not in m[1]]
    for version, _d, statements in before:
        for sql in statements:
            con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?, now(), 'old')", [version])
    con.execute(
        "INSERT INTO plan_progress (plan_id, unit, code, kind, value, score, as_of, recorded_at) "
        "VALUES ('p', 'bac-giang', '2.2.3', 'raw', 45, 4544.4, DATE '2025-03-31', now())"
    )
    con.close()
    ws = Workspace(path)
    (old,) = ws.progress_history("p")
    assert (old.value, old.replaces, old.withdrawn) == (45.0, None, False)
    ws.correct_progress(old.id, kind="raw", value=0.45, score=44.44, as_of=DAY)
    assert [e.value for e in ws.progress_history("p")] == [0.45]


# ---- the range of a reading ---------------------------------------------------------------------
def test_a_reading_of_45_percent_of_grdp_is_refused(built):
    """Issue 20 item 8: 45 % of GRDP on 2.2.3 (range 0.01-1 %) gave 4,544 points."""
    ed = api.edition(2023)
    with pytest.raises(ScenarioError) as exc:
        planmod.progress_score(ed, "2.2.3", "raw", 45.0)
    vi = exc.value.render("vi")
    assert "từ 0 đến 1,99 % GRDP" in vi, vi
    with pytest.raises(ScenarioError) as neg:
        planmod.progress_score(ed, "2.2.3", "raw", -5.0)
    assert neg.value.msg_id == "scenario.err_raw_negative"
    assert planmod.progress_score(ed, "2.2.3", "raw", 0.45) == pytest.approx(44.4444, abs=1e-3)
    # a target is not a reading: 10 % of GRDP is still a plan's target (the best score)
    assert planmod.target_from_raw(ed, "2.2.3", 10.0) == 100.0


# ---- the Plan page -----------------------------------------------------------------------------
@pytest.fixture
def page(built, fresh_workspace):
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception, at.exception
    yield at
    st.cache_data.clear()


def _record(at: AppTest, text: str) -> AppTest:
    at.selectbox(key="pr_code").set_value("2.2.3")
    at.radio(key="pr_kind").set_value("raw")
    at.text_input(key="pr_value").input(text)
    next(b for b in at.button if b.label == "Ghi tiến độ").click().run()
    assert not at.exception, at.exception
    return at


def _log(at: AppTest):
    return next(d.value for d in at.dataframe if "Trạng thái" in d.value.columns)


def test_a_reading_is_refused_corrected_and_withdrawn_on_the_plan_page(page):
    at = _record(page, "45")
    assert any("Không ghi được" in e.value and "1,99" in e.value for e in at.error)
    assert Workspace().progress_log("bac-giang-2024") == []
    at = _record(at, "0,5")
    (first,) = Workspace().progress_history("bac-giang-2024")
    assert first.value == 0.5
    # correct it to 0,45
    at.selectbox(key="pr_fix").set_value(first.id)
    at.text_input(key="pr_fix_value").input("0,45")
    next(b for b in at.button if b.label == "Lưu bản sửa").click().run()
    assert not at.exception, at.exception
    assert any("Đã sửa tiến độ 2.2.3" in s.value for s in at.success)
    (now,) = Workspace().progress_history("bac-giang-2024")
    assert now.value == pytest.approx(0.45) and now.replaces == first.id
    log = _log(at)
    assert list(log["Trạng thái"]) == [f"Bản sửa của #{first.id}", "Đã được sửa hoặc rút"]
    assert list(log["Giá trị nhập"]) == ["0,45", "0,5"]
    # withdraw the correction: nothing counts, everything is kept
    at.selectbox(key="pr_fix").set_value(now.id)
    next(b for b in at.button if b.label == "Rút lần cập nhật này").click().run()
    assert not at.exception, at.exception
    assert Workspace().progress_history("bac-giang-2024") == []
    assert len(Workspace().progress_log("bac-giang-2024")) == 3
    assert len(_log(at)) == 3
    table = next(d.value for d in at.dataframe if "target_text" in d.value.columns)
    assert table.set_index("code").loc["2.2.3", "latest"] == "–"
