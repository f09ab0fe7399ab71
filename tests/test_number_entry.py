"""Numbers typed the reader's way (issue 20, items 7, 9 and 18): one rule for every number box
(model.fmt.parse_number), the scenario's raw value, a progress reading and the budget read "2,5"
as 2.5 in Vietnamese, refuse what is ambiguous or out of range in the reader's language."""

from __future__ import annotations

import math

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api, i18n
from model import budget as bm
from model.fmt import NumberTextError, entry_text, number, parse_number
from model.index.scenario import ScenarioError, target_score
from model.workspace import Workspace

APP = "../app.py"


# ---- the rule --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("vi", "2,5", 2.5),
        ("vi", "0,45", 0.45),
        ("vi", "12,5", 12.5),
        ("vi", "1,234", 1.234),  # the decimal mark alone is the decimal mark
        ("vi", "1.234,5", 1234.5),  # both: the decimal mark last, the other groups by three
        ("vi", "1.234.567", 1234567.0),  # the other mark repeated groups thousands
        ("vi", "2.5", 2.5),  # a point that cannot group thousands is a decimal point
        ("vi", "0.125", 0.125),
        ("vi", " −5 ", -5.0),
        ("vi", "1 234,5", 1234.5),
        ("vi", "1e9", 1e9),
        ("vi", "1,5e3", 1500.0),
        ("en", "2.5", 2.5),
        ("en", "1,234.5", 1234.5),
        ("en", "1.234", 1.234),
        ("en", "2,5", 2.5),
        ("en", "1,234,567", 1234567.0),
        ("vi", "", None),
        ("en", "  ", None),
    ],
)
def test_a_typed_number_is_read_in_the_readers_language(lang, text, value):
    assert parse_number(text, lang) == value


@pytest.mark.parametrize(
    ("lang", "text", "msg_id"),
    [
        ("vi", "1.234", "common.num_ambiguous"),  # 1234 or 1,234?
        ("en", "1,234", "common.num_ambiguous"),
        ("vi", "1,234.5", "common.num_foreign"),  # the English way round on a Vietnamese screen
        ("en", "1.234,5", "common.num_foreign"),
        ("vi", "abc", "common.num_not_number"),
        ("vi", "1,2,3", "common.num_not_number"),
        ("vi", "12.34.5", "common.num_not_number"),
        ("vi", "inf", "common.num_not_number"),
        ("vi", "1e999", "common.num_not_finite"),
    ],
)
def test_what_is_not_one_clear_number_is_refused(lang, text, msg_id):
    with pytest.raises(NumberTextError) as exc:
        parse_number(text, lang)
    assert exc.value.msg_id == msg_id


def test_the_ambiguity_message_shows_both_ways_to_write_it():
    with pytest.raises(NumberTextError) as exc:
        parse_number("1.234", "vi")
    text = i18n.gettext("vi", exc.value.msg_id, **exc.value.params)
    assert "1234" in text and "1,234" in text and "dấu phẩy là dấu thập phân" in text


def test_a_box_shows_the_readers_format_and_reads_it_back():
    for x in (25.0, 2.5, 0.45, 1234.5, -3.125, 0.0):
        for lang in ("vi", "en"):
            assert parse_number(entry_text(x, lang), lang) == x
    assert entry_text(25.0, "vi") == "25" and entry_text(2.5, "vi") == "2,5"  # not 25.0000
    assert entry_text(2.5, "en") == "2.5" and entry_text(1234.5, "vi") == "1234,5"


# ---- item 9: negative quantities and the range a refusal names ----------------------------------
def test_a_negative_share_of_grdp_is_refused_and_a_growth_rate_is_not(built):
    ed = api.edition(2023)
    with pytest.raises(ScenarioError) as exc:
        target_score("2.2.3", -5.0, ed, raw=True)
    assert exc.value.msg_id == "scenario.err_raw_negative"
    assert "không thể âm" in exc.value.render("vi") and "-5" in exc.value.render("vi")
    assert target_score("7.2.1", -1.0, ed, raw=True) == pytest.approx(
        float(ed.raw_to_score("7.2.1", -1.0))
    )  # labour productivity growth (% per year) can fall


def test_the_refusal_of_1e9_names_a_raw_range_from_zero(built):
    """Issue 20 item 9: it said "từ −98,99 đến 99,01 % GRDP"."""
    ed = api.edition(2023)
    with pytest.raises(ScenarioError) as exc:
        target_score("2.2.3", 1e9, ed, raw=True)
    vi, en = exc.value.render("vi"), exc.value.render("en")
    assert "từ 0 đến 99,01 % GRDP" in vi, vi
    assert "from 0 to 99.01 % of GRDP" in en, en
    assert "98,99" not in vi and "−" not in vi


# ---- the three places of item 7 on screen -----------------------------------------------------
@pytest.fixture
def clean(built, fresh_workspace):
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


def _type_raw(at: AppTest, code: str, text: str, apply: str = "Áp dụng") -> AppTest:
    box = at.selectbox(key="raw_code")
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(f"{code} ")))
    at.text_input(key="raw_value").input(text)
    next(b for b in at.button if b.label == apply).click().run()
    assert not at.exception, at.exception
    return at


def test_scenario_raw_value_2_comma_5_is_2_point_5(clean):
    ed = api.edition(2023)
    at = _type_raw(page("pages/scenario.py"), "2.2.3", "2,5")
    assert not at.error, [e.value for e in at.error]
    held = at.session_state["raw_over"]["2.2.3"]  # beyond 100: held exactly, not on the grid
    assert float(ed.score_to_raw("2.2.3", held)) == pytest.approx(2.5)


def test_scenario_raw_value_ambiguous_or_negative_is_refused_in_vietnamese(clean):
    at = _type_raw(page("pages/scenario.py"), "2.2.3", "1.234")
    assert any("1234" in e.value and "1,234" in e.value for e in at.error), at.error
    assert "2.2.3" not in at.session_state["raw_over"]
    at = _type_raw(at, "2.2.3", "-5")
    assert any("không thể âm" in e.value for e in at.error), [e.value for e in at.error]


def test_progress_reading_0_comma_45_is_0_point_45(clean):
    ed = api.edition(2023)
    at = page("pages/plan.py")
    at.selectbox(key="pr_code").set_value("2.2.3")
    at.radio(key="pr_kind").set_value("raw")
    at.text_input(key="pr_value").input("0,45")
    next(b for b in at.button if b.label == "Ghi tiến độ").click().run()
    assert not at.exception, at.exception
    (entry,) = Workspace().progress_history("bac-giang-2024")
    assert entry.value == pytest.approx(0.45)
    assert entry.score == pytest.approx(float(ed.raw_to_score("2.2.3", 0.45)))


def test_budget_12_comma_5_billion_is_12_point_5(clean):
    ed = api.edition(2023)
    a = bm.Assumptions.default(unit="bac-giang", edition=2023)
    right, wrong = (bm.optimize(a, ed, budget_bn=b).pii for b in (12.5, 125.0))
    assert number(right, "vi") != number(wrong, "vi")  # the test can tell them apart
    at = page("pages/budget.py")
    at.text_input(key="bud_budget").input("12,5").run()
    assert not at.exception and not at.error
    pii = next(m.value for m in at.metric if m.label == "PII sau 1 năm")
    assert pii == number(right, "vi")


def test_budget_out_of_range_says_so_in_vietnamese_and_keeps_the_last_value(clean):
    at = page("pages/budget.py")
    before = next(m.value for m in at.metric if m.label == "PII sau 1 năm")
    at.text_input(key="bud_budget").input(entry_text(bm.MAX_BUDGET_BN * 10, "vi")).run()
    (error,) = at.error
    assert "nằm ngoài khoảng cho phép" in error.value and "must" not in error.value
    assert number(bm.MAX_BUDGET_BN, "vi", 1) in error.value
    assert next(m.value for m in at.metric if m.label == "PII sau 1 năm") == before
    at.text_input(key="bud_budget").input("50").run()
    assert not at.error


def test_number_boxes_show_the_readers_format(clean):
    at = page("pages/budget.py", lang="en")
    assert at.text_input(key="bud_budget").value == "50"  # not 50.0000
    at.text_input(key="bud_budget").input("12.5").run()
    at.session_state["lang"] = "vi"
    at.run()
    assert at.text_input(key="bud_budget").value == "12,5"  # follows the reader's language
    assert not at.error


def test_lever_cost_typed_with_a_decimal_comma(clean):
    ed = api.edition(2023)
    code = "3.1.3"
    codes = [lv.code for lv in bm.load_levers() if lv.moveable]
    a = bm.Assumptions.default(unit="bac-giang", edition=2023)
    old = a.lever(code).cost_million_vnd_per_item
    cost = old / 4 + 0.5  # a fraction: typed "x,5"
    expected = bm.optimize(a.with_lever(code, cost_million_vnd_per_item=cost), ed, budget_bn=50.0)
    at = page("pages/budget.py")
    at.session_state["bud_levers_edit"] = {
        "edited_rows": {codes.index(code): {"cost": entry_text(cost, "vi")}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert "," in entry_text(cost, "vi") and not math.isclose(cost, round(cost))
    assert not at.warning or all("3.1.3" not in w.value for w in at.warning)
    assert next(m.value for m in at.metric if m.label == "PII sau 1 năm") == number(
        expected.pii, "vi"
    )


def test_scenario_drift_typed_with_a_decimal_comma(clean):
    at = page("pages/scenario.py", peers="drift", drift="0.5")
    assert at.text_input(key="drift_text").value == "0,5"  # a link's drift, the reader's way
    at.text_input(key="drift_text").input("1,5").run()
    assert not at.exception and not at.error
    assert at.session_state["drift"] == 1.5
    at.text_input(key="drift_text").input("25").run()  # beyond ±20 points a year
    assert any("nằm ngoài khoảng cho phép" in e.value for e in at.error)
    assert at.session_state["drift"] == 1.5
