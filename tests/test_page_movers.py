"""AppTest for the movers page and the budget page: the numbers shown are the model's."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api
from model import budget as bm
from model import movers as mv
from model.fmt import number

APP = "../app.py"


@pytest.fixture(autouse=True)
def _clean_caches(built, fresh_workspace):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def page(path: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def test_movers_headline_and_table_are_the_model_s():
    at = page("pages/movers.py")
    ed = api.edition(2023)
    res = mv.movers(ed, "bac-giang", step=10.0)
    top = max(res.items, key=lambda m: m.delta_pii_at_step)
    headline = next(m.value for m in at.markdown if "điểm PII" in m.value)
    assert top.code in headline
    assert number(top.delta_pii_at_step, "vi") in headline
    table = next(d.value for d in at.dataframe if len(d.value) == 52)
    assert set(table["Mã"]) == set(ed.framework.codes)
    # The plan's 17 indicators carry their lead department.
    assert (table["Đơn vị chủ trì (KH 2024)"] != "").sum() == 17


def test_reach_a_rank_and_open_it_as_a_scenario():
    at = page("pages/movers.py")
    at.number_input(key="mv_rank").set_value(8).run()
    ed = api.edition(2023)
    rr = mv.reach(ed, "bac-giang", 8, cap=30.0, codes=mv.allowed_codes(ed))  # the default
    assert rr.feasible
    assert any(f"hạng {rr.rank}" in s.value.lower() for s in at.success)
    at.button(key="mv_apply").click().run()
    assert not at.exception
    ranks = [m.value for m in at.metric if m.label.startswith("Hạng")]
    assert ranks == [f"{rr.rank}/63"]


def _reach_gains(at) -> set[str]:
    """The codes of the reach-a-rank table (the one with the 'Đạt' column)."""
    table = next(d.value for d in at.dataframe if "Đạt" in d.value.columns)
    return set(table["Mã"])


def test_reach_moves_only_actionable_indicators_by_default():
    at = page("pages/movers.py")
    ed = api.edition(2023)
    actionable = set(ed.framework.actionable_codes())
    assert at.selectbox(key="mv_within").value == "actionable"
    gains = _reach_gains(at)
    assert gains and gains <= actionable
    assert not gains & {"7.3.1", "7.3.2"}
    rr = mv.reach(ed, "bac-giang", 8, cap=30.0, codes=mv.allowed_codes(ed))
    assert gains == {g.code for g in rr.gains}
    # what is left out, and why, in the user's language
    assert any("7.3.1" in m.value and "Tỷ lệ giảm nghèo" in m.value for m in at.markdown)


def test_reach_lets_the_user_choose_which_indicators_may_move():
    at = page("pages/movers.py")
    ed = api.edition(2023)
    at.selectbox(key="mv_within").set_value("all").run()
    assert not at.exception
    assert _reach_gains(at) - set(ed.framework.actionable_codes())  # outcomes too
    at.selectbox(key="mv_within").set_value("plan").run()
    assert _reach_gains(at) <= set(api.plan().codes)
    at.selectbox(key="mv_within").set_value("levers").run()
    assert _reach_gains(at) <= set(mv.allowed_codes(ed, "levers"))
    at.selectbox(key="mv_within").set_value("custom").run()
    assert not at.exception
    at.multiselect(key="mv_codes").set_value([]).run()
    assert not at.exception
    assert any("ít nhất một" in i.value for i in at.info)
    assert not any("Đạt" in d.value.columns for d in at.dataframe)
    at.multiselect(key="mv_codes").set_value(["6.2.3", "6.3.3", "7.1.2"]).run()
    assert not at.exception
    assert _reach_gains(at) <= {"6.2.3", "6.3.3", "7.1.2"}


def test_reach_choice_in_english_and_without_the_plan():
    at = page("pages/movers.py", lang="en", unit="ha-noi")
    options = at.selectbox(key="mv_within").options
    assert "Indicators the province can act on" in options[0]
    assert not any("plan" in o.lower() for o in options)  # the plan is Bắc Giang's


def test_movers_table_starts_with_code_name_and_gain():
    at = page("pages/movers.py")
    table = next(d.value for d in at.dataframe if len(d.value) == 52)
    assert list(table.columns[:3]) == ["Mã", "Chỉ số", "ΔPII khi +10 điểm"]


def test_uncertainty_runs_and_offers_its_parameters():
    at = page("pages/movers.py")
    at.number_input(key="mv_runs").set_value(200).run()
    at.button(key="mv_run_unc").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Hạng trung vị" in d.value.columns)
    assert len(table) >= 6
    assert at.get("download_button")


def test_movers_in_english_and_for_2025():
    at = page("pages/movers.py", lang="en", edition="2025")
    assert any("PII points" in m.value for m in at.markdown)


def test_budget_page_shows_the_optimiser_s_result():
    at = page("pages/budget.py")
    ed = api.edition(2023)
    best = bm.optimize(bm.Assumptions.default(), ed, budget_bn=50.0)
    values = [m.value for m in at.metric]
    assert number(best.pii, "vi") in values
    assert f"{best.rank}/63" in values
    path_rows = next(d.value for d in at.dataframe if "Năm" in d.value.columns)
    assert list(path_rows["Năm"]) == list(range(2024, 2031))


def test_budget_page_answers_for_a_unit_other_than_bac_giang():
    """Only Bắc Giang had an economy (economy.csv) and the page explained that for the others;
    now every unit's comes from the NSO tables (issue 21), so Hà Nội gets its budget."""
    at = page("pages/budget.py", unit="ha-noi")
    assert not at.exception
    assert not any("Bắc Giang" in i.value for i in at.info)
    assert at.metric


def test_budget_assumptions_are_saved_and_opened_again():
    at = page("pages/budget.py")
    at.text_input(key="bud_budget").input("80").run()
    at.text_input(key="bud_set_name").set_value("Tám mươi tỷ")
    next(b for b in at.button if b.label == "Lưu bộ giả định").click().run()
    assert not at.exception
    assert any("Tám mươi tỷ" in s.value for s in at.success)
    at.text_input(key="bud_budget").input("20").run()
    at.button(key="bud_set_open").click().run()
    assert not at.exception
    assert at.text_input(key="bud_budget").value == "80"


def test_the_plan_s_choice_falls_back_when_the_province_has_no_plan():
    at = page("pages/movers.py")
    at.selectbox(key="mv_within").set_value("plan").run()
    at.selectbox(key="unit").set_value("ha-noi").run()
    assert not at.exception
    box = at.selectbox(key="mv_within")
    assert box.value == "actionable" and not any("2024" in o for o in box.options)
    assert any("hạng 1" in x.value for x in at.success)  # Hà Nội leads: nothing to add
