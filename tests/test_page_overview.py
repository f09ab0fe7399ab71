"""The Overview page through AppTest, started from app.py (the overview is the default page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api, fmt
from model.estimates.quality import intervals, marks
from model.merge import parts_of

APP = "../app.py"
PAGE = Path(__file__).resolve().parents[1] / "pages" / "overview.py"
EDITIONS = (2023, 2024, 2025)
LANGS = ("vi", "en")
N_UNITS = {2023: 63, 2024: 63, 2025: 34}


@pytest.fixture(autouse=True)
def _clear_caches(built):
    """Streamlit caches are process-global; `built` (conftest) points the app at the session's
    reference database."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def run(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def ranking(at: AppTest):
    """The national ranking table: the page's st.dataframe with pillar columns."""
    frames = [
        d.value for d in at.dataframe if {"rank", "name", "pii", "p1"} <= set(d.value.columns)
    ]
    assert len(frames) == 1
    return frames[0]


# --- every edition, both languages -------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("year", EDITIONS)
def test_runs_and_numbers_match_the_model(year, lang):
    at = run(edition=str(year), lang=lang)
    unit = at.selectbox(key="unit").value
    p = api.profile(unit, year)
    m = metrics(at)
    pii, rank = ("PII", "Hạng") if lang == "vi" else ("PII", "Rank")
    assert m[pii] == fmt.number(p["pii"], lang, 2)
    assert m[rank] == f"{p['rank']}/{p['n_units']}"
    inp, out = ("Đầu vào", "Đầu ra") if lang == "vi" else ("Input", "Output")
    assert m[inp] == fmt.number(p["input"], lang, 2)
    assert m[out] == fmt.number(p["output"], lang, 2)
    assert len(ranking(at)) == N_UNITS[year]
    assert at.title[0].value.endswith(f"PII {year}")
    name = api.edition(year).name(unit, lang)
    assert name in at.title[0].value
    # Pillars and map; a merged 2025 unit (Bắc Giang's link opens Bắc Ninh) adds its parts.
    merged = year == 2025 and len(parts_of(unit)) > 1
    assert len(at.get("plotly_chart")) == (3 if merged else 2)


def test_golden_bac_giang_2023():
    """46,51 and rank 11 of 63: the published figures (en.nhandan.vn, PII 2023)."""
    at = run()
    m = metrics(at)
    assert m["PII"] == "46,51"
    assert m["Hạng"] == "11/63"
    body = "\n".join(md.value for md in at.markdown)
    assert "**46,51** · ✓ khớp" in body  # the published value beside the engine's
    assert "vnexpress.net" in body  # with its source link
    # A published PII and rank have no range; the two ranges shown are the estimated input's
    # and output's (Bắc Giang's sub-indices were not published in 2023).
    p = api.profile("bac-giang", 2023)
    ranges = [
        f"Khoảng ước tính  \n**{fmt.number(round(p[f'{k}_low'], 4), 'vi', 1)}–"
        f"{fmt.number(round(p[f'{k}_high'], 4), 'vi', 1)}**"
        for k in ("input", "output")
    ]
    assert body.count("Khoảng ước tính  \n**") == 2 and all(r in body for r in ranges)


def test_english_uses_english_decimals_and_labels():
    at = run(lang="en")
    m = metrics(at)
    assert m["PII"] == "46.51"
    assert m["Rank"] == "11/63"
    assert "Efficiency" in m


def test_switching_the_unit_changes_the_numbers():
    at = run()
    at.selectbox(key="unit").set_value("ha-noi").run()
    assert not at.exception
    m = metrics(at)
    assert m["PII"] == "62,86"
    assert m["Hạng"] == "1/63"
    assert "Hà Nội" in at.title[0].value


def test_vietnamese_numbers_have_decimal_commas():
    at = run()
    for value in metrics(at).values():
        assert not re.search(r"\d\.\d", value), value
    nb = [tb.value for tb in at.table if "Chênh lệch (điểm)" in tb.value.columns]
    assert len(nb) == 1 and len(nb[0]) == 5  # two above, the unit, two below


def test_ranking_search_reduces_rows():
    at = run()
    assert len(ranking(at)) == 63
    at.text_input(key="rank_search").set_value("bac").run()
    rows = ranking(at)
    assert 0 < len(rows) < 63
    assert "Bắc Giang" in set(rows["name"])
    at.text_input(key="rank_search").set_value("no such place").run()
    assert len(ranking(at)) == 0
    assert at.info and "no such place" in at.info[0].value


def test_ranking_2025_has_34_units():
    assert len(ranking(run(edition="2025"))) == 34


def test_reconstructed_numbers_are_labelled():
    """A unit with no published figure: its PII is labelled a reconstructed estimate."""
    at = run(unit="an-giang")
    assert at.selectbox(key="unit").value == "an-giang"
    body = "\n".join(md.value for md in at.markdown)
    assert ":orange-badge[≈ Ước tính tái dựng]" in body
    assert "Chưa có số công bố nào về An Giang" in body
    p = api.profile("an-giang", 2023)  # with its range (tests/test_intervals_ui)
    lo, hi = (fmt.number(round(p[k], 4), "vi", 1) for k in ("pii_low", "pii_high"))
    assert f"Khoảng ước tính  \n**{lo}–{hi}**" in body
    assert "Đã công bố" not in body.split("Nguồn gốc")[0]  # no published badge in the metrics


def test_strengths_and_weaknesses_show_provenance_and_provisional_placements():
    at = run()
    p = api.profile("bac-giang", 2023)
    # Only what the intervals support is listed for estimated indicators (issue 22).
    strong, weak, _est = marks.supported(p, intervals.default_widths().below("indicator"))
    tables = [tb.value for tb in at.table if "Mã" in tb.value.columns]
    assert [len(t) for t in tables] == [len(strong), len(weak)]
    assert set(tables[0]["Mã"]) == set(strong)
    assert len(strong) < len(p["strengths"])  # the estimated ones the intervals cannot hold
    cells = " ".join(tables[0]["Nguồn số liệu"]) + " ".join(tables[1]["Nguồn số liệu"])
    assert "Chính thức" in cells
    provisional = {i["code"] for i in p["indicators"] if i["framework_status"] == "provisional"}
    flagged = set(tables[0].loc[tables[0]["Ghi chú"].str.contains("vị trí tạm đặt"), "Mã"])
    assert flagged == provisional & set(strong)
    assert any("ước tính" in c.value for c in at.caption)


def test_every_section_is_computed_before_the_first_chart_is_drawn(monkeypatch):
    """Issue 20, item 24: a browser reveals the big numbers only once no new kind of element
    has arrived for about 300 ms, so the overview computes every section (the map's figure is
    the last) before it draws its first chart. Drawn while computing, the pillars chart came
    70 ms after the numbers and kept them hidden for 1–2 s on a first visit."""
    import ui.figures
    import ui.widgets

    events: list[str] = []
    bubble_map, plotly_chart = ui.figures.bubble_map, ui.widgets.st.plotly_chart

    def computed(*a, **kw):
        events.append("map computed")
        return bubble_map(*a, **kw)

    def drawn(*a, **kw):
        events.append("chart drawn")
        return plotly_chart(*a, **kw)

    monkeypatch.setattr(ui.figures, "bubble_map", computed)
    monkeypatch.setattr(ui.widgets.st, "plotly_chart", drawn)
    at = run(lang="vi")
    assert events[0] == "map computed", events
    assert events.count("chart drawn") == 2  # the pillars and the map, both still drawn
    assert at.metric and at.dataframe  # numbers, charts and the ranking all there
