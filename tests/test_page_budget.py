"""AppTest for the budget page's language: a Vietnamese screen shows the levers' Vietnamese notes
and the budget model's errors in Vietnamese (model/budget, ui/budget_*.py)."""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import budget as bm
from model.workspace import Workspace

APP = "../app.py"


@pytest.fixture(autouse=True)
def _clean_caches(built, fresh_workspace):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/budget.py").run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    """Every text the page shows: markdown, captions, messages and the cells of every table."""
    parts = [e.value for kind in ("markdown", "caption", "warning", "error", "success", "info")
             for e in at.get(kind)]  # fmt: skip
    for frame in [*at.dataframe, *at.table]:
        parts += frame.value.astype(str).to_numpy().ravel().tolist()
    return "\n".join(str(p) for p in parts)


def lever_notes(at: AppTest) -> list[str]:
    """The note column of the lever editor."""
    editor = next(d for d in at.dataframe if d.key == "bud_levers_edit")
    return list(editor.value["note"])


def test_vietnamese_page_shows_no_english_lever_note():
    at = page()
    levers = bm.load_levers()
    moveable = [lv for lv in levers if lv.moveable]
    assert lever_notes(at) == [lv.note_vi for lv in moveable]
    text = shown_text(at)
    for lv in levers:
        assert lv.note_en not in text, lv.code


def test_english_page_shows_the_english_notes():
    at = page(lang="en")
    assert lever_notes(at) == [lv.note_en for lv in bm.load_levers() if lv.moveable]


def test_an_unreachable_rank_is_explained_in_vietnamese():
    at = page()
    at.segmented_control(key="bud_obj").set_value("rank").run()
    at.number_input(key="bud_rank").set_value(1).run()
    assert not at.exception
    warning = next(w.value for w in at.warning if w.value.startswith("Không tính được"))
    assert "không thể đạt hạng 1" in warning and "tỷ đồng mỗi năm" in warning
    assert "out of reach" not in warning


def test_a_broken_saved_set_is_refused_in_vietnamese():
    a = bm.Assumptions.default()
    bad = json.loads(a.to_json()) | {"budget_bn_per_year": -5}
    Workspace().save_assumptions("Âm", json.dumps(bad), unit=a.unit, edition=a.edition)
    at = page()
    at.button(key="bud_set_open").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["ngân sách không được âm"]
