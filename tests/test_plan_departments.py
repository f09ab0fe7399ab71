"""Departments by edition and province (issue 23, item 5): a 2025 plan is offered the provincial
departments after the 2025 reorganisation (Nghị định 45/2025/NĐ-CP and
data/sources/department_renames_2025.csv) and the province's own entries; no other province's
bank branch; no district body after 1/7/2025; the list a user extends is kept per province in
the store; `plan departments`; a carried plan's lead units renamed the same way."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from model import api
from model.cli import main
from model.plan import carry, library
from model.plan.departments import LIST_FILE, department_list, department_options
from model.workspace import InvalidText, Workspace

ROOT = Path(__file__).resolve().parents[1]
# The twelve departments every province has from 1/3/2025 (Nghị định 45/2025/NĐ-CP, as listed
# by hdnd.dongnai.gov.vn, the source named in departments_by_edition.csv); Văn phòng UBND tỉnh
# is "Văn phòng Ủy ban nhân dân" there.
DECREE_45 = {
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
}
ENDED_2025 = {  # merged away by 1/3/2025 (department_renames_2025.csv, rule merged_into/split)
    "Sở Kế hoạch và Đầu tư",
    "Sở Thông tin và Truyền thông",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài nguyên và Môi trường",
    "Sở Giao thông vận tải",
    "Sở Lao động - Thương binh và Xã hội",
}


def names(unit: str, year: int, extra=()) -> set[str]:
    return {d.name_vi for d in department_list(unit, year, extra)}


def test_every_listed_name_has_a_source():
    with (ROOT / "data" / "sources" / LIST_FILE).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["source"].strip() for r in rows)


@pytest.mark.parametrize("unit", ["bac-ninh", "khanh-hoa", "ha-noi"])
def test_a_2025_plan_is_offered_the_departments_after_the_reorganisation(unit):
    got = names(unit, 2025)
    assert DECREE_45 <= got
    assert not (ENDED_2025 & got)
    assert not [n for n in got if "huyện" in n]  # no district body after 1/7/2025
    assert "UBND các xã, phường" in got
    assert not [n for n in got if "chi nhánh" in n]  # the provincial bank branches ended


def test_the_bank_branch_is_bac_giangs_own_and_only_before_2025():
    bank = "Ngân hàng Nhà nước chi nhánh Bắc Giang"
    assert bank in names("bac-giang", 2023) and bank in names("bac-giang", 2024)
    assert bank not in names("bac-ninh", 2024) and bank not in names("khanh-hoa", 2024)
    assert "Ngân hàng Nhà nước Khu vực 12" in names("bac-ninh", 2025)
    assert "Ngân hàng Nhà nước Khu vực 12" not in names("khanh-hoa", 2025)


def test_2024_plans_keep_the_departments_of_their_time():
    got = names("bac-giang", 2024)
    assert ENDED_2025 <= got and "UBND các huyện, thị xã, thành phố" in got
    assert "Sở Nông nghiệp và Môi trường" not in got


def test_a_provinces_own_entries_are_renamed_for_the_year_and_ended_ones_dropped():
    own = ["Sở KH&ĐT", "NHNN chi nhánh Bắc Giang", "Trung tâm Đổi mới sáng tạo tỉnh"]
    got2025 = names("bac-ninh", 2025, own)
    assert "Trung tâm Đổi mới sáng tạo tỉnh" in got2025
    assert "Sở KH&ĐT" not in got2025 and "Sở Kế hoạch và Đầu tư" not in got2025
    assert not [n for n in got2025 if "Bắc Giang" in n]
    got2024 = names("bac-giang", 2024, own)
    assert "Sở Kế hoạch và Đầu tư" in got2024 and "Trung tâm Đổi mới sáng tạo tỉnh" in got2024
    assert "Ngân hàng Nhà nước chi nhánh Bắc Giang" in got2024


def test_the_editor_keeps_the_plans_own_leads_pickable():
    got = department_options("bac-ninh", 2025, [], ["Sở Kế hoạch và Đầu tư"])
    assert "Sở Kế hoạch và Đầu tư" in got  # the plan's own value, as written
    assert DECREE_45 <= set(got)


def test_a_carried_plan_names_only_2025_departments(built):
    seed = library.get_plan("bac-giang-2024")
    c = carry.carry_plan(seed, api.edition(2023), api.edition(2025))
    offered = names("bac-ninh", 2025)
    assert set(c.plan.departments) <= offered, set(c.plan.departments) - offered
    before = {t.lead_unit for t in seed.targets}
    assert "Sở Kế hoạch và Đầu tư" in before and "Sở Kế hoạch và Đầu tư" not in c.plan.departments


def test_the_list_a_user_extends_is_kept_per_province(built, fresh_workspace):
    ws = Workspace()
    assert ws.add_unit_department("khanh-hoa", "  Ban Quản lý Khu kinh tế  Vân Phong ") is True
    assert ws.add_unit_department("khanh-hoa", "Ban Quản lý Khu kinh tế Vân Phong") is False
    assert Workspace().unit_departments("khanh-hoa") == ["Ban Quản lý Khu kinh tế Vân Phong"]
    assert Workspace().unit_departments("ha-noi") == []
    with pytest.raises(InvalidText):
        ws.add_unit_department("khanh-hoa", "x" * 201)
    with pytest.raises(InvalidText):
        ws.add_unit_department("khanh-hoa", "a\x07b")


def test_the_store_list_works_on_both_backends(store_target):
    ws = store_target.new()
    ws.add_unit_department("bac-ninh", "Trung tâm Đổi mới sáng tạo tỉnh Bắc Ninh")
    assert store_target.new().unit_departments("bac-ninh") == [
        "Trung tâm Đổi mới sáng tạo tỉnh Bắc Ninh"
    ]


def test_the_cli_lists_a_units_departments(capsys, built, fresh_workspace):
    Workspace().add_unit_department("bac-ninh", "Trung tâm Đổi mới sáng tạo tỉnh Bắc Ninh")
    assert main(["plan", "departments", "--unit", "bac-ninh", "--edition", "2025", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert set(rows[0]) == {"name_vi", "name_en", "kind", "scope", "source"}
    got = {r["name_vi"]: r for r in rows}
    assert DECREE_45 <= set(got) and not (ENDED_2025 & set(got))
    assert got["Trung tâm Đổi mới sáng tạo tỉnh Bắc Ninh"]["kind"] == "own"
    assert main(["plan", "departments", "--unit", "bac-giang", "--edition", "2024"]) == 0
    text = capsys.readouterr().out
    assert "Ngân hàng Nhà nước chi nhánh Bắc Giang" in text and "Sở Kế hoạch và Đầu tư" in text
    assert main(["plan", "departments", "--unit", "bac-giang", "--edition", "2025"]) == 2
    assert capsys.readouterr().err.startswith("Lỗi: ")  # Bắc Giang is no unit of 2025


def _lead_options(at) -> list[str]:
    """The lead units the Plan page's table editor offers (its column configuration)."""
    (editor,) = list(at.data_editor)
    columns = json.loads(editor.proto.columns)
    return [o["value"] for o in columns["lead"]["type_config"]["options"]]


def _plan_page(unit: str, edition: str):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.query_params["unit"], at.query_params["edition"] = unit, edition
    at.switch_page("pages/plan.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_offers_a_2025_plan_only_2025_departments(built, fresh_workspace):
    at = _plan_page("bac-ninh", "2025")  # the draft carried from the seed opens (item 7)
    options = set(_lead_options(at))
    assert DECREE_45 <= options
    assert not (ENDED_2025 & options)
    assert not [n for n in options if "huyện" in n or "chi nhánh" in n]
    # a department a user adds is kept for the province: a new session offers it too
    at.text_input(key="plan_dept_new").input("Trung tâm Đổi mới sáng tạo tỉnh Bắc Ninh")
    at.button(key="plan_dept_add").click().run()
    assert not at.exception
    assert Workspace().unit_departments("bac-ninh") == ["Trung tâm Đổi mới sáng tạo tỉnh Bắc Ninh"]
    again = _plan_page("bac-ninh", "2025")
    assert "Trung tâm Đổi mới sáng tạo tỉnh Bắc Ninh" in _lead_options(again)
