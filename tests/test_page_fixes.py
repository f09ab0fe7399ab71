"""Issue 20 on the other pages, through AppTest: the Data page's dry run (17), the Movers
headline (21), the scenario page's saved list, compare table and empty-state hint, the empty
Plan page's buttons and its file help (22)."""

from __future__ import annotations

import pytest
import streamlit as st

from model import api
from model import movers as mv
from model.fmt import number
from model.i18n import gettext
from model.index.scenario import Scenario
from model.official import edition as edition_view
from model.official import importer, versions
from tests.test_page_data import PASSWORD, unlock
from tests.test_page_data import page as data_page
from tests.test_page_plan_editor import page, texts
from tests.test_page_scenario import scenario_page
from tests.test_versions import profile_csv


@pytest.fixture(autouse=True)
def _clean(built, fresh_workspace, fresh_store):
    st.cache_data.clear()
    versions.forget_head()
    yield
    st.cache_data.clear()
    versions.forget_head()


# ---- 17: the Data page's dry run -----------------------------------------------------------
def test_the_dry_run_shows_the_provinces_own_cells_first_and_its_standing():
    at = data_page(PASSWORD, edition="2024", unit="bac-giang")
    unlock(at, PASSWORD)
    ed = edition_view.load_edition(2024)
    data = profile_csv(ed, "bac-giang", {"2.2.3": 10.0, "6.3.3": 10.0})
    at.file_uploader(key="dt_upload_0").upload("ho-so.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    res = versions.apply_import(importer.parse(data, "ho-so.csv", ed), dry_run=True)
    after = res.solved.edition
    u, v = ed.unit_index("bac-giang"), after.unit_index("bac-giang")
    b, a = ed.baseline(), after.baseline()
    said = texts(at, ("markdown", "caption"))
    standing = (
        f"Bắc Giang: PII {number(b.pii[u], 'vi')} → {number(a.pii[v], 'vi')}, "
        f"hạng {b.rank[u]} → {a.rank[v]}/{after.n}."
    )
    assert standing in said
    unit_col = gettext("vi", "data.col_unit")
    tables = [d.value for d in at.dataframe if unit_col in d.value.columns]
    mine = int((res.changes["unit"] == "bac-giang").sum())
    first = next(t for t in tables if len(t) == mine)  # the province's own cells, first
    assert set(first[unit_col]) == {"Bắc Giang"}
    assert tables.index(first) <= 1  # (after the official cells it would replace, if any)
    others = len(res.changes) - mine
    if others:
        assert "được giải lại để giữ đúng các số liệu đó" in said
        rest = tables[tables.index(first) + 1]
        assert len(rest) == others and "Bắc Giang" not in set(rest[unit_col])


# ---- 21: the Movers headline says which levers the province cannot pull -----------------------
def test_the_movers_headline_says_outcomes_cannot_be_acted_on():
    ed = api.edition(2023)
    res = mv.movers(ed, "bac-giang", step=10.0)
    top = max(res.items, key=lambda m: m.delta_pii_at_step)
    assert ed.framework.indicator(top.code).actionable is False  # 7.3.1: an outcome
    at = page("movers", unit="bac-giang", edition="2023")
    said = texts(at, ("info",))
    assert f"Tỉnh không trực tiếp tác động được {top.code}" in said
    best = max(
        (m for m in res.items if ed.framework.indicator(m.code).actionable),
        key=lambda m: m.delta_pii_at_step,
    )
    assert f"Đòn bẩy lớn nhất tỉnh tác động được: **{best.code}" in said
    assert f"**{number(best.delta_pii_at_step, 'vi')} điểm PII**" in said


def test_the_movers_headline_in_english():
    at = page("movers", unit="bac-giang", edition="2023", lang="en")
    assert "The province cannot act on 7.3.1" in texts(at, ("info",))


# ---- 22: cosmetics -------------------------------------------------------------------------
def test_saved_scenarios_show_their_pii_and_rank_and_the_compare_names_pillars():
    at = scenario_page(unit="bac-giang", edition="2023")
    at.select_slider(key="t_6.3.3").set_value(100.0).run()
    at.text_input(key="save_name").input("Cao")
    next(b for b in at.button if b.label == "Lưu").click().run()
    out = api.run(Scenario(unit="bac-giang", edition=2023, targets=(("6.3.3", 100.0),)))
    s = out.summary()["scenario"]
    assert f"**Cao** · PII {number(s['pii'], 'vi')} · hạng {s['rank']}/63" in texts(at)
    table = next(d for d in at.dataframe if "B − A" in d.value.columns).value
    pillars = [m for m in table["Chỉ tiêu"] if m.startswith("Trụ cột")]
    assert pillars[0] == "Trụ cột 1. Thể chế" and len(pillars) == 7


def test_the_empty_scenario_names_only_a_plan_the_province_has():
    at = scenario_page(unit="ha-noi", edition="2023")  # no plan of its own
    said = texts(at, ("info",))
    assert "Chưa có chỉ số nào thay đổi" in said and "Kế hoạch 2024" not in said
    seed = scenario_page(unit="bac-giang", edition="2023")
    assert "chọn «Kế hoạch 2024» ở trên" in texts(seed, ("info",))


def test_the_empty_plan_page_does_not_push_another_province():
    at = page(unit="khanh-hoa", edition="2024")
    switch = at.button(key="plan_switch_unit")
    assert "Bắc Giang" in switch.label and switch.proto.type != "primary"


def test_the_plan_file_help_lists_each_column_once():
    at = page(unit="khanh-hoa", edition="2024")
    said = texts(at, ("caption", "markdown"))
    optional = said.split("có thể thêm: ")[1].split(". ")[0].split(", ")
    assert "code" not in optional and "target" not in optional  # they are the required ones
    assert "target_text" in optional and "lead_unit" in optional


def test_an_english_page_names_the_province_with_its_diacritics():
    at = page(unit="khanh-hoa", edition="2024", lang="en")
    said = texts(at)
    assert "Khánh Hòa" in said and "Khanh Hoa" not in said
