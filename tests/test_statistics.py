"""NSO province statistics (data/sources/statistics.csv) and the indicators computed from them.

The tables: sums to the national row, the vintage rule, the merged units as sums of their parts,
strict reading. The rule (COINr's default outlier treatment, then min-max) against every
published value it was checked with, each with its source beside it. The build: every unit of
every edition has at least four indicators with provenance `statistics`, published and official
values keep precedence, and every published constraint stays met.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from model import api, i18n, paths
from model.estimates import statistics as st
from model.estimates.sources import EDITIONS, SourceError, load_sources, read_statistics
from model.paths import ROOT

SOURCES = paths.sources_dir()


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return read_statistics(SOURCES)


@pytest.fixture(scope="module")
def table(rows) -> st.Table:
    return st.Table(rows)


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return pd.read_csv(SOURCES / "units.csv", dtype=str, keep_default_na=False)


def slugs(units: pd.DataFrame, edition: int) -> list[str]:
    return sorted(units.loc[units["map"] == st.map_of(edition), "slug"])


def parts(units: pd.DataFrame) -> dict[str, list[str]]:
    m34 = units[units["map"] == "34"]
    return dict(zip(m34["slug"], m34["merged_from"].str.split(";"), strict=True))


# --- the tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ["active_enterprises", "new_enterprises"])
@pytest.mark.parametrize("map_", ["63", "34"])
def test_enterprise_counts_sum_exactly_to_the_national_row(table, units, item, map_):
    # NSO V05.04 / V05.02: the provinces (and the 34 units, sums of them) add up to the country
    members = sorted(units.loc[units["map"] == map_, "slug"])
    years = table.years("", st.NATIONAL, item)
    assert len(years) >= 8
    for year in years:
        assert np.nansum(table.series(map_, members, item, year)) == table.national(item, year)


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_population_of_the_provinces_sums_to_the_national_figure(table, units, year):
    total = table.series("63", slugs(units, 2023), "population_thousand", year).sum()
    assert total == pytest.approx(table.national("population_thousand", year), rel=1e-4)


def test_merged_units_equal_the_sums_of_their_parts(table, units):
    for unit, ps in parts(units).items():
        for item in ("employed_thousand", "active_enterprises", "new_enterprises"):
            for year in table.years("34", unit, item):
                assert table.get("34", unit, item, year) == pytest.approx(
                    table.series("63", ps, item, year).sum(), abs=1e-6
                ), (unit, item, year)
        # NSO's own 34-unit back-cast (PL tables) against the sum of the 63 provinces (E02)
        for item in ("grdp_bn_vnd", "population_thousand"):
            assert table.get("34", unit, item, 2024) == pytest.approx(
                table.series("63", ps, item, 2024).sum(), rel=1e-3
            ), (unit, item)


def test_the_34_units_partition_the_63_provinces(units):
    every = sorted(p for ps in parts(units).values() for p in ps)
    assert every == slugs(units, 2023)


def test_vintages_one_default_each_grdp_2022_has_the_older_as_default(rows):
    key = ["map", "unit", "year", "item"]
    assert (rows.groupby(key)["is_default"].sum() == 1).all()
    g22 = rows[(rows["map"] == "63") & (rows["item"] == "grdp_bn_vnd") & (rows["year"] == 2022)]
    by = g22.pivot(index="unit", columns="vintage", values="value")
    assert set(by.columns) == {"E02", "V03+V05"} and len(by) == 63
    assert set(g22.loc[g22["is_default"] == 1, "vintage"]) == {"E02"}  # data/README.md's rule
    # the 2026 revision redistributes GRDP between provinces, not the total
    assert by["V03+V05"].sum() == pytest.approx(by["E02"].sum(), rel=5e-4)
    assert (by["V03+V05"] / by["E02"] - 1).abs().max() > 0.03


def test_bac_giang_nso_grdp_against_the_provinces_year_end_figures(table):
    # economy.csv (reported, the province's year-end estimates) vs NSO: +1.8 to +2.4 %
    reported = {2022: 155_600, 2023: 181_800, 2024: 209_150}
    diff = {y: table.get("63", "bac-giang", "grdp_bn_vnd", y) / v - 1 for y, v in reported.items()}
    assert diff == pytest.approx({2022: 0.0214, 2023: 0.0176, 2024: 0.0244}, abs=5e-4)


def _broken(tmp_path, change) -> None:
    for f in SOURCES.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    df = pd.read_csv(SOURCES / st.FILE, dtype=str, keep_default_na=False)
    change(df)
    df.to_csv(tmp_path / st.FILE, index=False)


@pytest.mark.parametrize(
    ("change", "msg_id", "line"),
    [
        (lambda d: d.__setitem__("value", d["value"].where(d.index != 9, "12,5")), "err_number", 11),
        (lambda d: d.__setitem__("unit", d["unit"].where(d.index != 99, "atlantis")), "err_unit", 101),
        (lambda d: d.__setitem__("status", d["status"].where(d.index != 5, "guess")), "err_status", 7),
        (lambda d: d.__setitem__("is_default", d["is_default"].where(d.index != 3, "0")),
         "err_one_default", 5),
    ],
)  # fmt: skip
def test_a_bad_line_is_refused_with_its_number(tmp_path, change, msg_id, line):
    _broken(tmp_path, change)
    with pytest.raises(SourceError) as e:
        load_sources(tmp_path)
    assert e.value.msg_id == f"statistics.{msg_id}" and e.value.params["line"] == line
    assert str(line) in i18n.render(e.value, "vi") and "statistics.csv" in str(e.value)


def test_the_file_is_part_of_the_sources_digest(tmp_path):
    for f in SOURCES.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    before = load_sources(tmp_path).digest
    with open(tmp_path / st.FILE, "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert load_sources(tmp_path).digest != before


# --- the rule against the published values -----------------------------------------------------


def test_coinr_treatment_ports_its_own_unit_test():
    # COINr tests/testthat/test-treat.R ("treat_num"): 1..10 and an outlier of 100
    x = np.array([*range(1, 11), 100.0])
    assert not st._passes(x)
    t, label = st.treat(x)
    assert label == "winsorised 1" and t[-1] == 10 and np.array_equal(t[:10], x[:10])
    assert st.treat(np.arange(30.0))[1] == "none"
    z = np.array([1.0] * 60 + [50, 100, 150, 200, 300, 400, 600, 800, 1000, 2000])
    t, label = st.treat(z)  # more than 5 points: log_CT of the untreated values
    assert label == "log_ct" and np.allclose(t, np.log(z - 1 + 0.01 * (2000 - 1)))


def test_skew_and_kurtosis_are_the_unbiased_estimators():
    from scipy import stats as sps

    x = np.random.default_rng(1).lognormal(size=63)
    assert st.skew(x) == pytest.approx(sps.skew(x, bias=False))
    assert st.kurt(x) == pytest.approx(sps.kurtosis(x, bias=False))


# (edition, unit, code, published score, its source, the rule's value measured here)
CHECKS = [
    # the seed: Bắc Giang plan appendix (KH/UBND 7/2024), "Mức điểm số năm 2023" of 4.2.2
    (2023, "bac-giang", "4.2.2", 21.05, "seed: KH/UBND 7/2024", 20.669),
    # https://m.baophapluat.vn/ben-tre-phan-dau-top-3-tinh-ve-chi-so-doi-moi-sang-tao-cua-dbscl-post535300.amp
    (2023, "ben-tre", "7.3.2", 84.14, "baophapluat.vn", 84.140),
    # https://vneconomy.vn/thanh-hoa-hanh-trinh-cai-thien-cac-chi-so-phat-trien.htm
    (2024, "thanh-hoa", "7.2.1", 92.74, "vneconomy.vn", 92.792),
]


@pytest.mark.parametrize(("edition", "unit", "code", "published", "source", "measured"), CHECKS)
def test_the_rule_reproduces_the_published_scores(
    table, units, edition, unit, code, published, source, measured
):
    units_ = slugs(units, edition)
    ind = st.indicator(table, edition, units_, code)
    got = float(ind.score[units_.index(unit)])
    assert got == pytest.approx(measured, abs=5e-4), source
    # the errors data/README.md states: 4.2.2 -0.38 (within 0.4), 7.3.2 exact, 7.2.1 +0.05
    assert abs(got - published) <= {"4.2.2": 0.4, "7.3.2": 0.005, "7.2.1": 0.06}[code]


def test_without_the_treatment_4_2_2_is_far_from_the_seed(table, units):
    units_ = slugs(units, 2023)
    raw = st.raw_values(table, "4.2.2", "63", units_, 2022)
    plain = st.minmax(raw)[units_.index("bac-giang")]
    assert plain == pytest.approx(9.91, abs=0.01)  # plain min-max: 11 points from 21.05


def test_data_years_and_the_khanh_hoa_profile(table, units):
    assert st.DATA_YEAR[2024]["7.2.1"] == 2022 and st.DATA_YEAR[2024]["7.3.2"] == 2023
    assert set(st.DATA_YEAR[2025].values()) == {2024}
    # Khánh Hòa's PII 2025 profile: population 1,882,000 = NSO's 2024 merged unit
    assert table.get("34", "khanh-hoa", "population_thousand", 2024) == pytest.approx(1882, abs=0.5)


# --- the build --------------------------------------------------------------------------------


@pytest.mark.parametrize("year", EDITIONS)
def test_every_unit_has_at_least_four_indicators_from_statistics(built, year):
    ed = api.edition(str(year))
    per_unit = (ed.provenance == "statistics").sum(axis=1)
    assert per_unit.min() >= 4, dict(zip(ed.slugs, per_unit, strict=True))


def test_official_and_published_values_keep_precedence(built):
    ed = api.edition("2023")
    u, i = ed.unit_index("bac-giang"), ed.framework.index["4.2.2"]
    assert ed.provenance[u, i] == "official" and ed.scores[u, i] == 21.05  # the seed
    u = ed.unit_index("ben-tre")
    assert ed.provenance[u, ed.framework.index["7.3.2"]] == "published"


def test_statistics_cells_carry_the_real_raw_value_and_data_goalposts(built, table, units):
    ed = api.edition("2023")
    i = ed.framework.index["7.3.2"]
    u = ed.unit_index("thanh-hoa")
    assert ed.provenance[u, i] == "statistics"
    emp = table.get("63", "thanh-hoa", "employed_thousand", 2022)
    pop = table.get("63", "thanh-hoa", "population_thousand", 2022)
    assert ed.raw[u, i] == pytest.approx(emp / pop * 100)
    ind = st.indicator(table, 2023, slugs(units, 2023), "4.2.2")
    j = ed.framework.index["4.2.2"]
    assert (ed.lo[j], ed.hi[j]) == pytest.approx((ind.lo, ind.hi))  # 1.426-14.743
    assert ind.treatment == "winsorised 3"


def test_every_published_constraint_stays_met(built):
    f = built.fidelity
    assert f[f["use_as_constraint"]]["ok"].all()


def test_profile_json_names_the_statistics(built):
    env = {**os.environ, "PII_DATA_DIR": str(built.path.parent), "PYTHONIOENCODING": "utf-8"}
    env.pop("PII_SOURCES_DIR", None)
    for unit, edition in (("bac-giang", "2023"), ("cao-bang", "2024"), ("bac-ninh", "2025")):
        p = subprocess.run(
            [sys.executable, "-m", "model", "profile", "--unit", unit, "--edition", edition,
             "--json"],
            cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=180,
        )  # fmt: skip
        assert p.returncode == 0, p.stderr
        inds = json.loads(p.stdout)["indicators"]
        assert sum(x["provenance"] == "statistics" for x in inds) >= 4, (unit, edition)


# --- every screen says which numbers are computed from statistics -------------------------------

BADGE = ":violet-badge[∑ Tính từ số liệu thống kê chính thức]"


def _app(page: str | None = None, **params: str):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _shown(at) -> str:
    parts = [e.value for kind in ("markdown", "caption") for e in at.get(kind)]
    for frame in [*at.dataframe, *at.table]:
        parts += frame.value.astype(str).to_numpy().ravel().tolist()
    return "\n".join(map(str, parts))


@pytest.mark.parametrize(("unit", "edition"), [("cao-bang", "2024"), ("bac-ninh", "2025")])
def test_the_overview_labels_the_statistics(built, fresh_workspace, unit, edition):
    at = _app(unit=unit, edition=edition)
    text = _shown(at)
    n = int(
        (
            api.edition(edition).provenance[api.edition(edition).unit_index(unit)] == "statistics"
        ).sum()
    )
    assert f"{n} chỉ số tính từ số liệu thống kê chính thức" in text  # the provenance box
    assert "Tính từ số liệu thống kê chính thức" in text  # the legend and the badges


@pytest.mark.parametrize("page", ["pages/scenario.py", "pages/plan.py"])
def test_the_scenario_and_the_plan_say_what_rests_on_statistics(built, fresh_workspace, page):
    at = _app(page)
    ed = api.edition("2023")
    n = int((ed.provenance[ed.unit_index("bac-giang")] == "statistics").sum())
    assert f"{BADGE} {n} chỉ số tính từ số liệu thống kê chính thức" in _shown(at)


def test_the_report_says_what_rests_on_statistics(built):
    from model import report
    from model.index.scenario import Scenario

    base = Scenario(unit="bac-giang", edition=2023)
    rep = report.build(base.with_targets({"7.3.2": 80.0}), label="Thống kê", plan=api.plan())
    ed = api.edition("2023")
    n = int((ed.provenance[ed.unit_index("bac-giang")] == "statistics").sum())
    html = report.to_html(rep)
    assert f"{n} chỉ số tính từ số liệu thống kê chính thức" in html  # the assumptions
    assert "7.3.2" in html and "(∑ Tính từ số liệu thống kê chính thức)" in html  # the row


def test_the_sliders_and_the_plan_table_mark_each_statistic(built, fresh_workspace):
    """Each slider of an indicator computed from statistics says so in its label (also its
    accessible name), others do not; the plan table marks such a baseline with ∑ and a legend."""
    ed = api.edition("2023")
    row = ed.provenance[ed.unit_index("bac-giang")]
    stats = {c for c, p in zip(ed.framework.codes, row, strict=True) if p == "statistics"}
    at = _app("pages/scenario.py")
    seen: dict[str, str] = {}
    for pillar in ("1", "4", "5", "6", "7"):  # one pillar's sliders at a time
        at.segmented_control(key="pillar_shown").set_value(pillar).run()
        seen |= {s.label.split(" · ", 1)[0]: s.label for s in at.select_slider}
    assert stats and stats <= set(seen)
    for code, label in seen.items():
        assert label.endswith("∑ Tính từ số liệu thống kê chính thức") == (code in stats), label
    # The seed plan's indicators are official: no mark, no legend on the page.
    assert "∑ sau mức điểm gốc" not in _shown(_app("pages/plan.py"))
    from model.plan import new_plan
    from ui.plan.editor import base_table

    plan = new_plan(ed, "bac-giang", "Thống kê", {"7.3.2": 90.0, "2.2.3": 10.0})
    table = base_table(plan, ed, {})
    marks = dict(zip(table["code"], table["baseline"], strict=True))
    assert marks["7.3.2"].endswith(" ∑") and not marks["2.2.3"].endswith("∑")


def test_the_build_notes_name_units_as_their_reader_does(built):
    """Seen on `python -m model build`: "các chỉ số tính từ thống kê của hai-phong". A note
    names a unit in the reader's language, never by its slug."""
    units = pd.read_csv(paths.sources_dir() / "units.csv", dtype=str)
    slugs = {s for s in units["slug"] if "-" in s}  # a one-word slug is also a name ("hue")
    assert built.notes
    for note in built.notes:
        for lang in ("vi", "en"):
            text = i18n.render(note, lang)
            assert not [s for s in slugs if s in text], text
    stat = [n for n in built.notes if n.msg_id.startswith("reconstruct.note_statistics")]
    assert stat and all(isinstance(n.params["unit"], i18n.Name) for n in stat)
