"""Intervals on screen (issue 14, item 4): every estimated PII, rank and pillar the overview and
the scenario page show as an estimate carries the library's interval (model.estimates.quality.intervals);
published values never do.

An Giang 2023 is estimated (no PII of it in data/sources/published.csv for 2023); Bắc Giang 2023
is published (46,51, rank 11).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api, fmt
from model.estimates.quality import intervals
from model.official import store

APP = "../app.py"
ESTIMATED, PUBLISHED = "an-giang", "bac-giang"


@pytest.fixture(autouse=True)
def _clear_caches(built, fresh_workspace):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def opened(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric_notes(at: AppTest) -> dict[str, str]:
    """Each metric's label -> the markdown and captions drawn in the same block (its note)."""
    out: dict[str, str] = {}

    def walk(node) -> None:
        children = list(getattr(node, "children", {}).values())
        labels = [c.label for c in children if getattr(c, "type", "") == "metric"]
        if len(labels) == 1:
            texts = [c.value for c in children if getattr(c, "type", "") in ("markdown",)]
            out[labels[0]] = "\n".join(str(t) for t in texts)
        for c in children:
            walk(c)

    walk(at.main)
    return out


def ranking(at: AppTest) -> pd.DataFrame:
    frames = [
        d.value for d in at.dataframe if {"rank", "name", "pii", "p1"} <= set(d.value.columns)
    ]
    assert len(frames) == 1
    return frames[0]


def span(lo: float, hi: float, lang: str = "vi") -> str:
    """The library's ends (rounded as in its JSON) with one decimal."""
    return f"{fmt.number(round(lo, 4), lang, 1)}–{fmt.number(round(hi, 4), lang, 1)}"


def plain(text: str) -> str:
    """Running text without the word joiners that keep a range on one line."""
    return text.replace("\u2060", "")


def library(unit: str, year: int = 2023) -> dict:
    ed = api.edition(year)
    return intervals.unit_intervals(ed, store.published(year), unit)


def test_the_example_units_are_what_the_sources_say():
    pub = store.published(2023)
    pii = pub[(pub["level"] == "pii") & (pub["stat"] == "value")]
    # An Giang 2023: no published score (only "below 30th", released 12/2026).
    assert ESTIMATED not in set(pii.loc[pii["value"].notna(), "unit"])
    assert library(ESTIMATED)["pii_low"] is not None
    assert library(PUBLISHED)["pii_low"] is None and library(PUBLISHED)["rank_low"] is None


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_estimated_unit_shows_its_interval_on_the_overview(lang):
    at = opened(unit=ESTIMATED, lang=lang)
    iv = library(ESTIMATED)
    notes = metric_notes(at)
    rank_label = "Hạng" if lang == "vi" else "Rank"
    pii_word = "Khoảng ước tính" if lang == "vi" else "Estimate range"
    assert f"{pii_word}  \n**{span(iv['pii_low'], iv['pii_high'], lang)}**" in notes["PII"]
    assert f"**{iv['rank_low']}–{iv['rank_high']}**" in notes[rank_label]
    # The tooltip says where the interval comes from.
    helps = {m.label: m.help for m in at.metric}
    word = "kiểm định chéo" if lang == "vi" else "out-of-fold"
    assert word in helps["PII"] and word in helps[rank_label]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_estimated_sub_indices_show_their_interval_and_efficiency_says_estimate(lang):
    """Issue 22 ("estimates marked wherever a leader looks"): the overview's Input and Output
    of a unit whose sub-indices are estimated carried the badge but no range, and the
    efficiency (output / input) read as a fact."""
    at = opened(unit=ESTIMATED, lang=lang)
    p = api.profile(ESTIMATED, 2023)
    notes = metric_notes(at)
    word = "Khoảng ước tính" if lang == "vi" else "Estimate range"
    labels = {"vi": ("Đầu vào", "Đầu ra", "Hiệu suất"), "en": ("Input", "Output", "Efficiency")}
    inp, out, eff = labels[lang]
    assert f"{word}  \n**{span(p['input_low'], p['input_high'], lang)}**" in notes[inp]
    assert f"{word}  \n**{span(p['output_low'], p['output_high'], lang)}**" in notes[out]
    estimate = "Ước tính tái dựng" if lang == "vi" else "Reconstructed estimate"
    assert estimate in notes[eff]


def test_published_sub_indices_show_no_interval_and_efficiency_no_mark():
    at = opened(unit="tay-ninh")  # input and output published in 2023 (source above)
    notes = metric_notes(at)
    assert "Khoảng" not in notes["Đầu vào"] and "Khoảng" not in notes["Đầu ra"]
    assert "Ước tính" not in notes["Hiệu suất"]


def test_published_unit_shows_no_interval_on_the_overview():
    at = opened()  # Bắc Giang 2023
    notes = metric_notes(at)
    assert "Khoảng" not in notes["PII"] and "Khoảng" not in notes["Hạng"]
    assert "46,51" in notes["PII"]
    helps = {m.label: m.help for m in at.metric}
    assert "kiểm định chéo" not in helps["PII"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_pii_fixed_by_published_input_and_output_reads_as_published(lang):
    """Tây Ninh 2023: input 36.18 and output 33.60 published (its PII is their mean, 34.89,
    https://sokhcn.tayninh.gov.vn/hoat-dong-nganh/chi-so-doi-moi-sang-tao-cap-dia-phuong-nam-2023-2713.html):
    no interval, and the badge says published, not estimated,
    with what the number rests on. (Before: "reconstructed" with no interval.)"""
    at = opened(unit="tay-ninh", lang=lang)
    notes = metric_notes(at)
    word = "Khoảng" if lang == "vi" else "Estimate range"
    assert word not in notes["PII"]
    published = "Đã công bố" if lang == "vi" else "Published"
    assert published in notes["PII"] and ("34,89" if lang == "vi" else "34.89") in notes["PII"]
    said = "đầu vào và đầu ra" if lang == "vi" else "published input and output"
    assert said in notes["PII"]
    rank_label = "Hạng" if lang == "vi" else "Rank"
    assert "38" in notes[rank_label] and word not in notes[rank_label]  # its published rank


def test_ranking_table_has_intervals_for_estimates_only():
    at = opened(unit=ESTIMATED)
    view = ranking(at)
    table = api.ranking(2023)
    by_name = dict(zip(table["name_vi"], table.itertuples(), strict=True))
    facts = store.published(2023).query(
        "level == 'pii' and stat == 'value' and use_as_constraint == 'yes'"
    )
    published_pii = set(facts.loc[facts["value"].notna(), "unit"])
    published_rank = set(facts.loc[facts["rank"].notna(), "unit"])
    n_est = 0
    for row in view.itertuples():
        lib = by_name[row.name]
        if math.isnan(lib.pii_low):
            assert row.pii_range == "", row.name
        else:
            n_est += 1
            assert row.pii_range == span(lib.pii_low, lib.pii_high), row.name
        if math.isnan(lib.rank_low):
            assert row.rank_range == "", row.name
        else:
            lo, hi = int(lib.rank_low), int(lib.rank_high)
            assert row.rank_range == (str(lo) if lo == hi else f"{lo}–{hi}"), row.name
        if lib.unit in published_pii:  # a published score has no range
            assert row.pii_range == "", row.name
        if lib.unit in published_rank:  # nor a published rank (Quảng Ngãi: score only)
            assert row.rank_range == "", row.name
    assert n_est >= 30
    assert view.loc[view["name"] == "Bắc Giang", "pii_range"].item() == ""
    assert view.loc[view["name"] == "An Giang", "pii_range"].item() != ""


def test_estimated_pillars_carry_their_interval_in_the_pillar_table():
    at = opened(unit=ESTIMATED)
    p = api.profile(ESTIMATED, 2023)
    tables = [tb.value for tb in at.table if "Khoảng ước tính" in tb.value.columns]
    pillar = next(t for t in tables if "Trụ cột" in t.columns)
    for k, cell in enumerate(pillar["Khoảng ước tính"], start=1):
        lo, hi = p["pillars_low"][str(k)], p["pillars_high"][str(k)]
        assert plain(cell) == ("" if lo is None else span(lo, hi))
    captions = " ".join(c.value for c in at.caption)
    assert "±" in captions


# --- the scenario page ------------------------------------------------------------------------


def scenario(**params: str) -> AppTest:
    at = opened(**params)
    at.switch_page("pages/scenario.py").run()
    assert not at.exception, at.exception
    return at


def around(at: AppTest, col: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if col in d.value.columns)


@pytest.mark.parametrize("unit", [ESTIMATED, PUBLISHED])
def test_scenario_ranking_shows_intervals_for_estimated_rows_only(unit):
    at = scenario(unit=unit)
    col = "Khoảng ước tính (PII gốc)"
    view = around(at, col)
    table = api.ranking(2023)
    by_name = dict(zip(table["name_vi"], table.itertuples(), strict=True))
    seen = set()
    for name, cell in zip(view["Địa phương"], view[col], strict=True):
        lib = by_name[name.removeprefix("➤ ")]
        expected = "" if math.isnan(lib.pii_low) else span(lib.pii_low, lib.pii_high)
        assert cell == expected, name
        seen.add(bool(cell))
    assert seen == {True, False}  # around either unit: estimated and published neighbours
    mine = view.loc[view["Địa phương"].str.startswith("➤ "), col].item()
    assert (mine == "") == (unit == PUBLISHED)


def test_scenario_metrics_caption_the_baseline_interval():
    at = scenario(unit=ESTIMATED)
    iv = library(ESTIMATED)
    captions = plain(" ".join(c.value for c in at.caption))
    assert span(iv["pii_low"], iv["pii_high"]) in captions
    assert f"{iv['rank_low']}–{iv['rank_high']}" in captions
    at = scenario()
    captions = " ".join(c.value for c in at.caption)
    assert "PII gốc là ước tính" not in captions


def test_a_range_reads_the_same_in_the_metric_and_in_the_tables():
    """Hải Dương 2023: its upper end is Long An's published 44,95 (the table holds
    44,9499…, the profile 44,95): one reading, 45,0, everywhere."""
    at = opened(unit="hai-duong")
    note = metric_notes(at)["PII"]
    row = ranking(at).set_index("name").loc["Hải Dương"]
    assert f"**{row['pii_range']}**" in note
    neighbours = next(tb.value for tb in at.table if "Chênh lệch (điểm)" in tb.value.columns)
    mine = neighbours.set_index("Địa phương").loc["Hải Dương", "Khoảng ước tính"]
    assert plain(mine) == row["pii_range"]
