"""No English on a Vietnamese screen where the app can avoid it (issue 20, item 18): the Data
page's CSV downloads (headers, provenance values, rounded numbers, whole ranks), the lever
table's empty cap, number boxes in the reader's format."""

from __future__ import annotations

import csv
import io

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import model.spreadsheet
from model import api
from model import budget as bm
from model.fmt import entry_text

APP = "../app.py"
ENGLISH = {"reconstructed", "published", "official", "embedded", "edition", "unit", "raw", "rank"}


@pytest.fixture
def csvs(built, fresh_workspace, monkeypatch) -> dict[int, bytes]:
    """Every CSV the page builds (the download buttons' data), in the order built."""
    st.cache_data.clear()
    made: list[bytes] = []
    real = model.spreadsheet.frame_csv

    def spy(frame, **kw):
        made.append(real(frame, **kw))
        return made[-1]

    monkeypatch.setattr(model.spreadsheet, "frame_csv", spy)
    yield made
    st.cache_data.clear()


def data_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_vietnamese_csv_has_vietnamese_headers_and_values(csvs):
    data_page()
    view, whole = csvs[-2:]  # the unit's rows, then the whole edition
    table = rows(whole)
    head = list(table[0])
    assert head[:4] == ["Kỳ", "Mã địa phương", "Địa phương", "Mã"], head
    assert not {h.lower() for h in head} & ENGLISH, head
    values = {r["Nguồn gốc"] for r in table} | {r["Nguồn gốc min–max"] for r in table}
    assert "Ước tính tái dựng" in values and "Dữ liệu có sẵn của công cụ" in values
    assert not {v.lower() for v in values} & ENGLISH, values
    assert len(table) == 63 * 52
    assert len(rows(view)) == 52  # Bắc Giang's indicators


def test_csv_numbers_are_rounded_and_ranks_whole(csvs):
    data_page()
    table = rows(csvs[-1])
    ed = api.edition(2023)
    for r in table:
        assert r["Hạng"].isdigit(), r["Hạng"]  # "24", never "24.0"
        raw = r["Giá trị thô"]
        decimals = len(raw.partition(".")[2])
        assert decimals <= ed.raw_decimals(r["Mã"]), (r["Mã"], raw)  # not 0.03412345678901234
        assert len(r["Điểm (0–100)"].partition(".")[2]) <= 2
    row = next(r for r in table if r["Mã địa phương"] == "bac-giang" and r["Mã"] == "2.2.3")
    i, u = ed.framework.index["2.2.3"], ed.unit_index("bac-giang")
    assert float(row["Giá trị thô"]) == round(float(ed.raw[u, i]), ed.raw_decimals("2.2.3"))


def test_the_english_csv_is_english(csvs):
    data_page(lang="en")
    head = list(rows(csvs[-1])[0])
    assert head[:3] == ["Edition", "Province id", "Province"], head
    assert "The tool's embedded data" in {r["Goalposts' provenance"] for r in rows(csvs[-1])}


def test_the_lever_table_shows_no_none_and_vietnamese_numbers(built, fresh_workspace):
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/budget.py").run()
    assert not at.exception, at.exception
    editor = next(d.value for d in at.dataframe if "cap" in d.value.columns).set_index("code")
    levers = [lv for lv in bm.load_levers() if lv.moveable]
    no_cap = [lv.code for lv in levers if lv.max_change_per_year_raw is None]
    assert no_cap and all(editor.loc[c, "cap"] == "" for c in no_cap), editor["cap"]  # no "None"
    fractions = [lv for lv in levers if (lv.max_change_per_year_raw or 0) % 1]
    assert fractions
    for lv in fractions:  # a decimal comma, as the reader writes it: "0,2"
        assert editor.loc[lv.code, "cap"] == entry_text(lv.max_change_per_year_raw, "vi")
        assert "," in editor.loc[lv.code, "cap"]
    assert at.text_input(key="bud_budget").value == "50"  # not 50.0000


def test_the_uncertainty_download_speaks_the_readers_language():
    """Movers: the draws' CSV had English headers and values ("aggregation", "geometric")."""
    from model import api
    from model.movers import uncertainty as unc
    from ui.movers.panels import draws_table

    result = unc.uncertainty(api.edition(2023), "bac-giang", runs=20)
    table = draws_table(result.parameters)
    assert "Cách tổng hợp" in table.columns and "aggregation" not in table.columns
    assert set(table["Cách tổng hợp"]) <= {"trung bình cộng", "trung bình nhân"}
    assert "Trọng số 1" in table.columns and "Hạng (hiện trạng)" in table.columns
