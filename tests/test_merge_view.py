"""ui.data.merge.render_merge through AppTest: a tiny script that calls it, as a page will.

Expected values come from model.merge (the estimate), the session's editions and
data/sources/published.csv; formatting from model.fmt (Vietnamese 48,76, English 48.76).
"""

from __future__ import annotations

import csv

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model.paths import ROOT

SCRIPT = """
import streamlit as st
from ui.data.merge import render_merge
render_merge(st.session_state.get("unit", "bac-ninh"), st.session_state.get("lang", "vi"))
"""


@pytest.fixture(autouse=True)
def _clear_caches(built):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def run(unit: str, lang: str) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.session_state["unit"] = unit
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _published_pii(year: str, unit: str) -> float:
    with open(ROOT / "data" / "sources" / "published.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if (r["edition"], r["unit"], r["level"], r["use_as_constraint"]) == (
                year,
                unit,
                "pii",
                "yes",
            ):
                return float(r["value"])
    raise AssertionError(unit)


def test_a_merged_2024_province_shows_the_unit_it_became():
    at = run("bac-giang", "en")
    # names keep their diacritics in English too (issue 20, item 22)
    assert "Bắc Ninh" in at.info[0].value and "1 July 2025" in at.info[0].value
    assert at.table[0].value.shape[0] == 10


def test_an_unmerged_unit_and_an_unknown_one():
    at = run("ha-noi", "vi")
    assert len(at.table[0].value.columns) == 4  # level, Hà Nội 2024, estimate, Hà Nội 2025
    assert "không sáp nhập" in at.markdown[0].value
    at = run("atlantis", "vi")
    assert "atlantis" in at.warning[0].value and not at.table
