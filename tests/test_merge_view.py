"""ui.merge_view.render_merge through AppTest: a tiny script that calls it, as a page will.

Expected values come from model.merge (the estimate), the session's editions and
data/sources/published.csv; formatting from model.fmt (Vietnamese 48,76, English 48.76).
"""

from __future__ import annotations

import csv
import string

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import fmt
from model.merge import estimate_from_parts
from model.paths import ROOT
from ui.merge_view import MERGE_TEXT

SCRIPT = """
import streamlit as st
from ui.merge_view import render_merge
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


def test_catalogue_has_the_same_keys_and_placeholders_in_both_languages():
    vi, en = MERGE_TEXT["vi"], MERGE_TEXT["en"]
    assert set(vi) == set(en)

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key in vi:
        assert fields(vi[key]) == fields(en[key]), key


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_bac_ninh_side_by_side(editions, lang):
    e24, e25 = editions[2024], editions[2025]
    est = estimate_from_parts("bac-ninh", e24, e25)
    at = run("bac-ninh", lang)
    n = lambda x: fmt.number(x, lang, 2)  # noqa: E731
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert (n(est.pii), MERGE_TEXT[lang]["metric_rank"].format(rank=est.rank, n=34)) in (
        metrics.values()
    )
    published = _published_pii("2025", "bac-ninh")  # 48.76, Bắc Ninh plan 15/KH-UBND-2026
    assert (n(published), MERGE_TEXT[lang]["metric_rank"].format(rank=6, n=34)) in (
        metrics.values()
    )
    table = at.table[0].value
    assert list(table.columns)[1:3] == [f"{e24.name(p, lang)} 2024" for p in est.parts]
    pii = table.iloc[0].tolist()
    bg = _published_pii("2024", "bac-giang")  # 43.53, 10th of 63
    assert pii[1].startswith(n(bg)) and "10/63" in pii[1] and pii[1].endswith("●")
    assert pii[3].startswith(n(est.pii)) and pii[3].endswith("◇")
    assert pii[4].startswith(n(published)) and "6/34" in pii[4] and pii[4].endswith("●")
    assert len(table) == 10  # PII, input, output, 7 pillars
    captions = " ".join(c.value for c in at.caption)
    assert MERGE_TEXT[lang]["prov_estimate_from_parts"] in captions
    assert "2.1.2" in captions  # not comparable between 2024 and 2025
    assert len(at.get("plotly_chart")) == 1
    assert len(at.dataframe[0].value) == 52  # every indicator with its rule


def test_a_merged_2024_province_shows_the_unit_it_became():
    at = run("bac-giang", "en")
    assert "Bac Ninh" in at.info[0].value and "1 July 2025" in at.info[0].value
    assert at.table[0].value.shape[0] == 10


def test_an_unmerged_unit_and_an_unknown_one():
    at = run("ha-noi", "vi")
    assert len(at.table[0].value.columns) == 4  # level, Hà Nội 2024, estimate, Hà Nội 2025
    assert "không sáp nhập" in at.markdown[0].value
    at = run("atlantis", "vi")
    assert "atlantis" in at.warning[0].value and not at.table
