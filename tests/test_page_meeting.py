"""Meeting mode through AppTest: the three results, movers, departments, link parameters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api, report
from model.fmt import number
from model.scenario import Scenario
from model.workspace import Workspace

APP = "../app.py"
BASE = Scenario(unit="bac-giang", edition=2023)
SAVED = "Họp giao ban <quý IV>"
SAVED_SCENARIO = BASE.with_targets({"2.2.3": 40.0, "3.2.1": 80.0})


@pytest.fixture(autouse=True)
def _clean_caches(built):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture(scope="module")
def saved(built) -> str:
    ws = Workspace()
    ws.save_scenario(SAVED, SAVED_SCENARIO, overwrite=True)
    ws.save_scenario("Hà Nội thử", Scenario(unit="ha-noi", edition=2024), overwrite=True)
    return SAVED


def meeting(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at: AppTest) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plan_meeting_in_both_languages(lang):
    at = meeting(lang=lang, unit="bac-giang", edition="2023", preset="plan-2024")
    out = api.run(api.preset("plan-2024", BASE)).summary()
    plan_label = "Kế hoạch 2024" if lang == "vi" else "2024 plan"
    assert cards(at) == [
        ("Hiện trạng" if lang == "vi" else "Baseline", number(out["baseline"]["pii"], lang)),
        (plan_label, number(out["scenario"]["pii"], lang)),
    ]
    assert cards(at)[1][1] == ("48,34" if lang == "vi" else "48.34")
    assert at.metric[1].delta == number(1.83268, lang, 2, True) + (
        " điểm" if lang == "vi" else " points"
    )
    ranks = " ".join(m.value for m in at.markdown)
    assert ("Hạng **9**/63" if lang == "vi" else "Rank **9** of 63") in ranks
    movers, depts = (t.value for t in at.table)
    assert len(movers) == 8 and len(depts) == 12
    assert movers.iloc[0, 0].startswith("6\\.3\\.3")  # the plan's largest contribution
    assert depts.iloc[-1, 2] == number(
        out["scenario"]["pii"] - out["baseline"]["pii"], lang, 2, True
    )
    assert [b.label for b in at.get("download_button")] == (
        ["Tải báo cáo Excel", "Tải báo cáo HTML"]
        if lang == "vi"
        else ["Download the Excel report", "Download the HTML report"]
    )
    css = " ".join(h.proto.body for h in at.get("html"))
    assert '[data-testid="stSidebar"]' in css and "display: none" in css
    assert not at.warning


def test_a_saved_scenario_from_the_link(saved):
    at = meeting(unit="bac-giang", edition="2023", scenario=saved)
    assert not at.warning, [w.value for w in at.warning]
    out = api.run(SAVED_SCENARIO).summary()
    labels = [label for label, _ in cards(at)]
    # The saved name reaches the label escaped: it renders as text, never as markup.
    assert labels == ["Hiện trạng", "Kế hoạch 2024", r"Họp giao ban \<quý IV\>"]
    assert cards(at)[2][1] == number(out["scenario"]["pii"], "vi")
    assert (
        at.metric[2].delta
        == number(out["scenario"]["pii"] - out["baseline"]["pii"], "vi", 2, True) + " điểm"
    )
    # The movers are now the scenario's own, largest first.
    movers = at.table[0].value
    assert movers.iloc[0, 0].startswith("3\\.2\\.1")
    assert at.selectbox(key="meet_choice").value == f"saved:{saved}"
    assert any(
        f"scenario={saved}" in c.value.replace("+", " ") or "scenario=" in c.value for c in at.code
    )


def test_choosing_another_scenario_on_the_page(saved):
    at = meeting()
    assert len(at.metric) == 2
    at.selectbox(key="meet_choice").set_value(f"saved:{saved}").run()
    assert not at.exception
    assert [m.label for m in at.metric][-1] == r"Họp giao ban \<quý IV\>"
    at.selectbox(key="meet_choice").set_value("baseline").run()
    assert [m.label for m in at.metric] == ["Hiện trạng", "Kế hoạch 2024"]
    assert any(m.value == "Kịch bản đang xem: **Hiện trạng**" for m in at.markdown)
    assert parse_qs(urlsplit(at.code[0].value).query)["preset"] == ["baseline"]


def test_an_unknown_saved_scenario_falls_back_to_the_plan(built):
    at = meeting(scenario="không có")
    assert any("không có" in w.value for w in at.warning)
    assert [m.value for m in at.metric] == ["46,51", "48,34"]


def test_a_scenario_of_another_province_offers_to_switch(saved):
    at = meeting(scenario="Hà Nội thử")
    assert any("Hà Nội" in w.value and "2024" in w.value for w in at.warning)
    at.button(key="meet_switch").click().run()
    assert not at.exception
    assert (at.session_state["unit"], at.session_state["edition"]) == ("ha-noi", 2024)
    assert len(at.metric) == 1  # no plan for Hà Nội: the baseline only
    assert at.info  # "no plan for this province"


def test_the_screen_shows_what_the_report_holds(saved):
    at = meeting(scenario=saved)
    rep = report.build(SAVED_SCENARIO, label=SAVED, plan=api.plan(), progress=[])
    shown = [m.value for m in at.metric]
    assert shown == [number(h["pii"], "vi") for h in report.headline(rep)]
