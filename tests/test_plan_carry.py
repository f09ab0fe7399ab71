"""Carrying a plan to another edition (model.plan.carry): targets through their raw values onto
the new goalposts, said per row where they cannot be; the unit through the 2025 merger; the
departments through the 2025 reorganisation (department_renames_2025.csv, a source per row)."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from model import api
from model.index.dataset import UnknownName
from model.plan import PlanError, library
from model.plan.carry import (
    RENAME_RULES,
    STATUS_TEXT,
    beside_own_plan,
    carry_plan,
    plan_documents,
    rename_departments,
    renames,
    side_by_side,
    target_unit,
)
from model.plan.review import assumed_goalposts
from model.workspace import Workspace

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


@pytest.fixture(scope="module")
def eds(built):
    return {y: api.edition(y) for y in (2023, 2024, 2025)}


@pytest.fixture(scope="module")
def seed(built):
    return library.get_plan("bac-giang-2024")


@pytest.fixture(scope="module")
def carried(seed, eds):
    return carry_plan(seed, eds[2023], eds[2025], lang="en")


# --- the renames file -------------------------------------------------------------------------


def _csv(name: str) -> list[dict]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_rename_has_a_rule_a_date_and_a_source():
    rows = renames()
    assert rows and all(r.rule in RENAME_RULES for r in rows)
    for r in rows:
        assert r.source.strip(), r.old_name
        assert r.effective_date.startswith("2025-"), r.old_name
        assert r.scope == "all" or r.scope in api.edition(2024).slugs


def test_every_unit_the_seed_and_departments_name_is_covered(built):
    """Each lead or coordinating unit of the seed and of departments.csv is renamed by a row
    or named by one as kept: none is carried into 2025 without a rule."""
    names = {r["name_vi"] for r in _csv("departments.csv")}
    for r in _csv("plan_bac_giang_2024.csv"):
        names |= {r["lead_unit"], r["coordinating_units"]}
    names.discard("")
    for name in names:
        result = rename_departments(name, 2025, "bac-giang")
        kept = {r.old_name for r in renames() if r.rule == "kept"}
        assert result.applied or any(k.casefold() in name.casefold() for k in kept), name


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
        ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường"),
        ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
        ("Sở Giao thông vận tải", "Sở Xây dựng"),
        ("Sở Lao động, Thương binh và Xã hội", "Sở Nội vụ"),  # printed with a comma
        ("Ngân hàng Nhà nước chi nhánh Bắc Giang", "Ngân hàng Nhà nước Khu vực 12"),
        (
            "Sở Kế hoạch và Đầu tư; UBND các huyện, thành phố và các đơn vị liên quan",
            "Sở Tài chính; UBND các xã, phường và các đơn vị liên quan",
        ),
        (
            "Sở Khoa học và Công nghệ, Cục Thống kê tỉnh và các đơn vị liên quan",
            "Sở Khoa học và Công nghệ, Chi cục Thống kê tỉnh và các đơn vị liên quan",
        ),
        ("Các sở, ngành và đơn vị liên quan", "Các sở, ngành và đơn vị liên quan"),
    ],
)
def test_departments_are_renamed_after_the_2025_reorganisation(old, new):
    assert rename_departments(old, 2025, "bac-giang").new == new


def test_renaming_is_idempotent_and_dated():
    once = rename_departments("Sở Kế hoạch và Đầu tư, Cục Thống kê tỉnh", 2025, "bac-giang").new
    assert rename_departments(once, 2025, "bac-giang").new == once  # no "Chi Chi cục"
    assert rename_departments("Sở Kế hoạch và Đầu tư", 2024, "bac-giang").new == (
        "Sở Kế hoạch và Đầu tư"
    )  # not yet reorganised in a 2024 plan
    # a province-specific rule applies to that province's plans only
    assert (
        rename_departments("Ngân hàng Nhà nước chi nhánh Bắc Giang", 2025, "ha-noi").changed
        is False
    )
    assert rename_departments("Sở Lao động - Thương binh và Xã hội", 2025).split


# --- the carry --------------------------------------------------------------------------------


def test_the_seed_carried_to_the_merged_bac_ninh(carried, seed, eds):
    p = carried.plan
    assert (p.unit, p.edition, p.source, p.source_ref, p.status) == (
        "bac-ninh",
        2025,
        "carried",
        "bac-giang-2024",
        "draft",
    )
    assert p.target_year == 2026 and not p.read_only
    assert [r.code for r in carried.rows] == seed.codes  # one row per original target
    assert set(STATUS_TEXT) >= {r.status for r in carried.rows}
    assert [t.code for t in p.targets] == [r.code for r in carried.rows if r.carried]
    assert "Bắc Ninh" in p.note and "Bắc Giang" in p.note


def test_each_target_moves_through_its_raw_value(carried, eds):
    e23, e25 = eds[2023], eds[2025]
    u = e25.unit_index("bac-ninh")
    for r in carried.rows:
        if not r.carried:
            continue
        t = carried.plan.target_of(r.code)
        assert r.raw == pytest.approx(float(e23.score_to_raw(r.code, r.target_from)))
        expected = float(np.clip(e25.raw_to_score(r.code, r.raw), 0, 100))
        assert t.target == pytest.approx(expected, abs=0.005)  # rounded to 2 decimals
        assert t.baseline == pytest.approx(float(e25.scores[u, e25.framework.index[r.code]]))
        assert (r.status == "clipped") == (not 0 <= float(e25.raw_to_score(r.code, r.raw)) <= 100)


def test_a_code_that_means_another_indicator_is_said_not_carried(carried):
    row = next(r for r in carried.rows if r.code == "2.1.2")  # another indicator in 2025
    assert row.status == "not_comparable" and row.target_to is None
    assert carried.plan.target_of("2.1.2") is None
    assert "2.1.2" in row.notes[0].render("en")


def test_leads_and_coordinating_units_are_renamed(carried):
    rows = {r.code: r for r in carried.rows}
    assert rows["1.2.1"].lead_from == "Sở Kế hoạch và Đầu tư"
    assert rows["1.2.1"].lead_to == "Sở Tài chính"
    assert rows["3.1.1"].lead_to == "Sở Khoa học và Công nghệ"  # was Thông tin và Truyền thông
    assert rows["7.1.2"].lead_to == "Sở Nông nghiệp và Môi trường"
    assert rows["4.1.1"].lead_to == "Ngân hàng Nhà nước Khu vực 12"
    assert "UBND các xã, phường" in rows["5.2.3"].coordinating_to
    assert carried.plan.target_of("1.2.1").lead_unit == "Sở Tài chính"


def test_missing_codes_and_goalposts_are_said_per_row(seed, eds):
    e23, e25 = eds[2023], eds[2025]
    j = e25.framework.index["6.1.1"]
    lo = e25.lo.copy()
    lo[j] = np.nan
    no_goalposts = dataclasses.replace(e25, lo=lo)
    rows = {r.code: r for r in carry_plan(seed, e23, no_goalposts).rows}
    assert rows["6.1.1"].status == "no_goalposts"
    scores = e25.scores.copy()
    scores[e25.unit_index("bac-ninh"), e25.framework.index["2.2.4"]] = np.nan
    rows = {r.code: r for r in carry_plan(seed, e23, dataclasses.replace(e25, scores=scores)).rows}
    assert rows["2.2.4"].status == "no_baseline"


def test_goalposts_that_are_assumptions_are_named(seed, eds):
    c = carry_plan(seed, eds[2023], eds[2025], assumed_goalposts=assumed_goalposts())
    assert set(c.goalposts_assumed) == {r.code for r in c.rows if r.carried}


def test_any_plan_to_any_edition(seed, eds):
    c = carry_plan(seed, eds[2023], eds[2024])  # same map: same unit, no renames by 2024
    assert c.plan.unit == "bac-giang" and c.plan.edition == 2024
    assert all(r.lead_to == r.lead_from for r in c.rows)
    assert c.n_carried == len(seed.targets)
    back = carry_plan(c.plan, eds[2024], eds[2023])  # and back again
    assert back.plan.edition == 2023
    with pytest.raises(PlanError):
        carry_plan(seed, eds[2024], eds[2025])  # not the plan's own edition
    with pytest.raises(PlanError):
        carry_plan(seed, eds[2023], eds[2023])


def test_units_follow_the_merger(eds):
    assert target_unit("bac-giang", eds[2025]) == "bac-ninh"
    assert target_unit("bac-ninh", eds[2025]) == "bac-ninh"
    assert target_unit("bac-giang", eds[2024]) == "bac-giang"
    with pytest.raises(UnknownName):
        target_unit("atlantis", eds[2025])


def test_the_carried_draft_can_be_saved_and_edited(carried, built, fresh_workspace):
    stored = Workspace().save_plan(carried.plan)
    assert stored.plan_id and stored.revision == 1 and stored.source == "carried"
    assert Workspace().get_plan(stored.plan_id).codes == carried.plan.codes


# --- beside Bắc Ninh's own plan ---------------------------------------------------------------


def test_the_merged_bac_ninh_beside_its_own_plan(seed, eds):
    b = beside_own_plan("bac-ninh", eds[2025], [seed], {2023: eds[2023]}, lang="en")
    assert len(b.carried) == 1 and b.carried[0].plan.source_ref == "bac-giang-2024"
    docs = {d.document: d for d in b.documents}
    assert "15/KH-UBND" in docs and docs["15/KH-UBND"].table_found is False
    assert "48.76" in docs["15/KH-UBND"].stated_result
    rows = side_by_side(b)
    assert [r["code"] for r in rows] == [t.code for t in b.carried[0].plan.targets] or rows
    assert all("plan_0" in r for r in rows)


def test_no_other_provinces_plan_table_is_invented():
    docs = plan_documents()
    assert {"15/KH-UBND", "7429/KH-UBND", "1665/KH-UBND"} <= {d.document for d in docs}
    assert all(d.source.startswith("http") for d in docs)
    assert not any(d.table_found for d in docs)  # none found: no built-in plan from them


def test_plan_carry_on_the_command_line(built, fresh_workspace, capsys):
    from model.cli import main

    assert main(["plan", "carry", "bac-giang-2024", "--edition", "2025", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert (d["unit"], d["edition"], d["source"], d["source_ref"]) == (
        "bac-ninh",
        2025,
        "carried",
        "bac-giang-2024",
    )
    assert d["carry"]["n_targets"] == 17 and d["carry"]["n_carried"] == len(d["targets"])
    assert Workspace().get_plan(d["id"]).source == "carried"
    assert main(["plan", "carry", "bac-giang-2024", "--edition", "2023", "--lang", "en"]) == 2
    assert main(["plan", "carry", "bac-giang-2024", "--edition", "2030", "--lang", "en"]) == 2


# --- the merged Bắc Ninh's draft, met without asking (issue 23, item 7) ------------------------

AUTO_ID = "bac-ninh-2025-tu-bac-giang-2024"


def _listed(capsys, *extra: str) -> list[dict]:
    from model.cli import main

    assert main(["plan", "list", "--unit", "bac-ninh", "--edition", "2025", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_new_user_meets_bac_ninhs_carried_draft_in_the_list(carried, built, fresh_workspace,
                                                              capsys):  # fmt: skip
    rows = _listed(capsys)
    assert [(r["id"], r["source"], r["edition"]) for r in rows] == [(AUTO_ID, "carried", 2025)]
    assert rows[0]["n_targets"] == carried.n_carried  # the same draft `plan carry` makes
    stored = library.get_plan(AUTO_ID)
    assert stored.targets == carried.plan.targets and stored.source_ref == "bac-giang-2024"
    assert _listed(capsys) == rows  # stored once


def test_a_deleted_carried_draft_does_not_come_back(built, fresh_workspace, capsys):
    _listed(capsys)
    library.delete_plan(AUTO_ID)
    assert _listed(capsys) == []


def test_a_read_only_server_stores_no_draft(built, fresh_workspace, capsys, monkeypatch):
    monkeypatch.setenv("PII_READ_ONLY", "1")
    assert _listed(capsys) == []
    assert Workspace().list_plans() == []


def test_bac_ninhs_plan_page_shows_the_carried_draft(built, fresh_workspace):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.query_params["unit"], at.query_params["edition"] = "bac-ninh", "2025"
    at.switch_page("pages/plan.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (pick,) = [s for s in at.selectbox if s.key and s.key.startswith("plan_pick-")]
    assert pick.value == AUTO_ID
    assert [p.plan_id for p in Workspace().list_plans("bac-ninh")] == [AUTO_ID]
    assert any(d for d in at.data_editor)  # opened as an editable plan
    st.cache_data.clear()
