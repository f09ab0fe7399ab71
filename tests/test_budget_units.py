"""The budget for every unit of every edition (issue 21): the economy from NSO's statistics,
labelled estimates where no table has a figure, the Budget page (AppTest) and the CLI
(`optimize`, `path`, `plan-cost`, `plan recommend --budget`) answering for units of 2023, 2024
and 2025 with the same numbers.

Before issue 21 every unit but Bắc Giang was refused (`budget.err_no_economy`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api
from model import budget as bm
from model.budget import economy as econ
from model.fmt import number, parse_number
from model.paths import ROOT
from model.workspace import Workspace

APP = "../app.py"
# one unit of each edition besides the seed's Bắc Giang: a 2023 and a 2024 province, a 2025 unit
UNITS = [("cao-bang", 2023), ("khanh-hoa", 2024), ("bac-ninh", 2025)]


@pytest.fixture(autouse=True)
def _clean_caches(built, fresh_workspace):
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()


def cli(*args: str, workspace=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PII_SOURCES_DIR", None)
    p = subprocess.run(
        [sys.executable, "-m", "model", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    return p


# --- the economy of every unit -------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "year"), UNITS)
def test_every_unit_has_an_economy_from_statistics(unit, year):
    ed = api.edition(str(year))
    a = bm.Assumptions.default(unit, year, ed=ed)  # raised budget.err_no_economy before
    given = {(f.item, f.year): f for f in a.economy}
    t = econ.table()
    grdp = t.get(st_map(year), unit, "grdp_bn_vnd", year - 1)
    assert given[("grdp_billion_vnd", year - 1)].value == grdp
    assert given[("grdp_billion_vnd", year - 1)].provenance == "statistics"
    for item in ("secondary_students", "learners", "communes"):  # no table: labelled estimates
        f = next(f for f in a.economy if f.item == item)
        # the ratio economy.csv assumed for Bắc Giang; the 34 units' communes: the 3,321 of the
        # 2025 reorganisation (dientuungdung.vn) over the national population
        basis = "3,321" if (item, year) == ("communes", 2025) else "economy.csv"
        assert f.provenance == "estimate" and basis in f.source
    budget = a.economy_fact("st_budget_billion_vnd", year - 1)
    assert budget.provenance == "estimate" and budget.value > 0
    # every denominator of every lever answers for every year to the horizon
    for lv in a.levers:
        if lv.moveable and lv.denominator:
            assert a.economy_value(lv.denominator, 2030) > 0


def st_map(year: int) -> str:
    return "34" if year >= 2025 else "63"


def test_merged_units_use_nso_back_cast_not_the_sum_of_guesses():
    a = bm.Assumptions.default("khanh-hoa", 2025)
    # PL.V02: the merged Khánh Hòa (with Ninh Thuận) had 1,881.98 thousand people in 2024
    assert a.economy_value("population_persons", 2024) == pytest.approx(1_881_980, abs=10)


def test_the_provinces_own_figures_stay_visible_beside_nso():
    rows = {r["year"]: r for r in econ.reported("bac-giang", 2023)}
    assert rows[2023]["reported"] == 181_800 and rows[2023]["statistics"] == 184_991
    assert rows[2024]["difference_pct"] == pytest.approx(2.44, abs=0.01)
    assert econ.reported("bac-ninh", 2025) == []  # a merged unit has no pre-2025 figures


def test_a_typed_figure_replaces_the_default_and_round_trips():
    a = bm.Assumptions.default("cao-bang", 2023)
    b = a.with_economy("grdp_billion_vnd", 2024, 50_000.0).with_economy(
        "st_budget_billion_vnd", 2024, 12.5
    )
    assert b.economy_value("grdp_billion_vnd", 2024) == 50_000.0
    assert b.economy_fact("grdp_billion_vnd", 2024).provenance == "user"
    assert bm.Assumptions.from_json(b.to_json()).to_dict() == b.to_dict()


# --- the CLI --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "year"), UNITS)
def test_optimize_and_path_answer_for_every_edition(unit, year):
    ed = api.edition(str(year))
    a = bm.Assumptions.default(unit, year, ed=ed)
    best = bm.optimize(a, ed, budget_bn=50.0)
    out = json.loads(
        cli("optimize", "--unit", unit, "--edition", str(year), "--budget", "50", "--json").stdout
    )
    assert out["spent"] == pytest.approx(best.spent_bn) and out["pii"] == pytest.approx(best.pii)
    assert {e["item"] for e in out["economy"]} >= {"grdp_billion_vnd", "population_persons"}
    route = json.loads(
        cli("path", "--unit", unit, "--edition", str(year), "--horizon", "2027", "--json").stdout
    )
    lib = bm.path(bm.Assumptions.from_dict(a.to_dict() | {"horizon_year": 2027}), ed).to_dict()
    assert [y["pii"] for y in route["years"]] == pytest.approx([y["pii"] for y in lib["years"]])
    assert route["years"][0]["year"] == year + 1


@pytest.mark.parametrize(("unit", "year"), UNITS)
def test_plan_recommend_budget_and_plan_cost_for_any_unit(unit, year):
    rec = json.loads(
        cli("plan", "recommend", "--unit", unit, "--edition", str(year), "--budget", "30",
            "--json").stdout
    )  # fmt: skip
    assert rec["unit"] == unit and rec["n_targets"] > 0
    cost = json.loads(
        cli(
            "plan-cost", "--unit", unit, "--edition", str(year), "--plan", rec["id"], "--json"
        ).stdout
    )
    assert cost["unit"] == unit and cost["total"] >= 0
    items = {e["item"]: e for e in cost["assumptions"]["economy"]}
    assert items["grdp_billion_vnd"]["provenance"] in ("statistics", "projected")


# --- the Budget page ------------------------------------------------------------------------------


def page(unit: str, year: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["unit"] = unit
    at.query_params["edition"] = str(year)
    at.run()
    at.switch_page("pages/budget.py").run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize(("unit", "year"), [("cao-bang", 2024), ("bac-ninh", 2025)])
def test_the_budget_page_answers_and_agrees_with_the_cli(unit, year):
    at = page(unit, year)
    assert not at.info or all("GRDP" not in i.value for i in at.info)
    ed = api.edition(str(year))
    a = bm.Assumptions.default(unit, year, ed=ed)
    out = json.loads(
        cli("optimize", "--unit", unit, "--edition", str(year), "--budget", "50", "--json").stdout
    )
    assert metric(at, "PII sau 1 năm") == number(out["pii"], "vi")
    assert metric(at, "PII sau 1 năm") == number(bm.optimize(a, ed, budget_bn=50.0).pii, "vi")
    box = at.text_input(key=f"bud_econ_grdp_billion_vnd_{unit}_{year}_0")
    shown = parse_number(box.value, "vi")  # the reader's format, to the nearest billion: 27196
    assert shown == pytest.approx(a.economy_value("grdp_billion_vnd", year + 1), abs=0.5)
    assert "," not in box.value and "." not in box.value  # not 27195.826043
    text = "\n".join(m.value for m in at.markdown)
    assert "Kinh tế của tỉnh năm" in text


def test_an_edited_economy_changes_the_result_and_is_saved_with_the_set():
    unit, year = "cao-bang", 2024
    at = page(unit, year)
    before = metric(at, "PII sau 1 năm")
    key = f"bud_econ_grdp_billion_vnd_{unit}_{year}_0"
    at.text_input(key=key).set_value("1000000").run()  # a GRDP 40 times larger
    assert not at.exception
    after = metric(at, "PII sau 1 năm")
    assert after != before  # a share of GRDP costs more money
    at.text_input(key="bud_set_name").set_value("GRDP sửa")
    next(b for b in at.button if b.label == "Lưu bộ giả định").click().run()
    saved = bm.Assumptions.from_json(Workspace().get_assumptions("GRDP sửa"))
    fact = saved.economy_fact("grdp_billion_vnd", year + 1)
    assert fact is not None and fact.provenance == "user" and fact.value == 1_000_000
    # opened again: the typed GRDP is back in its box and in the result
    at = page(unit, year)
    at.button(key="bud_set_open").click().run()
    assert metric(at, "PII sau 1 năm") == after


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--growth", "abc"], "--growth «abc»: không phải là số"),
        (["--horizon", "2060"], "năm đích phải sau 2023"),
        (["--budget", "-1"], "--budget"),
    ],
)
def test_path_refuses_bad_input_in_the_users_language(args, said):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    p = subprocess.run(
        [sys.executable, "-m", "model", "path", "--unit", "cao-bang", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert p.returncode == 2 and p.stderr.startswith("Lỗi: ") and said in p.stderr
    assert p.stdout == ""
