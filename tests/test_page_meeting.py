"""Meeting mode through AppTest: the three results, movers, departments, link parameters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api, report
from model.fmt import number
from model.index.scenario import Scenario
from model.workspace import Workspace
from ui.widgets import md_text

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


# ---- the scenario being worked on (issue 13, item 4) -----------------------------------------
PLAN = api.preset("plan-2024", BASE)
OFF_PLAN = "1.1.2"  # an indicator outside the plan (in pillar 1, shown first)


def on_scenario_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/scenario.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def to_meeting(at: AppTest) -> AppTest:
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def subtitle(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(("Kịch bản đang xem", "Scen")))


def rank_lines(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(("Hạng", "Rank"))]


def shows(at: AppTest, scenario: Scenario, label: str, lang: str = "vi") -> None:
    """The third card is `scenario` under `label`, with the model's PII and rank."""
    out = api.run(scenario).summary()["scenario"]
    assert [m.label for m in at.metric][-1] == md_text(label)  # as text, never markup
    assert at.metric[-1].value == number(out["pii"], lang)
    rank = f"Hạng **{out['rank']}**/63" if lang == "vi" else f"Rank **{out['rank']}** of 63"
    assert rank_lines(at)[-1].startswith(rank)


@pytest.mark.parametrize(
    ("lang", "label"), [("vi", "Kế hoạch 2024 + 1 thay đổi"), ("en", "2024 plan + 1 change")]
)
def test_the_meeting_shows_the_scenario_being_worked_on(lang, label):
    """The plan and one more slider: the meeting said "Kế hoạch 2024" and showed the plan."""
    at = on_scenario_page()
    at.button(key="preset_plan").click().run()
    at.select_slider(key=f"t_{OFF_PLAN}").set_value(80.0).run()
    page_pii = next(m.value for m in at.metric if m.label.startswith("PII"))
    to_meeting(at)
    if lang == "en":  # (AppTest formats the scenario page's choices in Vietnamese only)
        at.segmented_control(key="lang").set_value("en").run()
        page_pii = page_pii.replace(",", ".")
    assert subtitle(at).endswith(f"**{md_text(label)}**")
    labels = [m.label for m in at.metric]
    assert labels[:2] == (
        ["Hiện trạng", "Kế hoạch 2024"] if lang == "vi" else ["Baseline", "2024 plan"]
    )
    shows(at, PLAN.with_targets({OFF_PLAN: 80.0}), label, lang)
    assert at.metric[-1].value == page_pii  # what the scenario page showed
    assert not at.warning


def test_the_plan_itself_is_called_the_plan():
    at = on_scenario_page()
    at.button(key="preset_plan").click().run()
    to_meeting(at)
    assert subtitle(at) == "Kịch bản đang xem: **Kế hoạch 2024**"
    assert [m.value for m in at.metric] == [
        number(api.run(PLAN).summary()[k]["pii"], "vi") for k in ("baseline", "scenario")
    ]


def test_a_loaded_saved_scenario_is_called_by_its_name(saved):
    at = on_scenario_page()
    load = next(
        b
        for b in at.button
        if b.key and b.key.startswith("load_") and b.key.endswith(str(_saved_id(saved)))
    )
    load.click().run()
    to_meeting(at)
    shows(at, SAVED_SCENARIO, SAVED)
    # One more change: named after it, with the count.
    at.switch_page("pages/scenario.py").run()
    at.select_slider(key="t_1.1.1").set_value(90.0).run()
    to_meeting(at)
    shows(at, SAVED_SCENARIO.with_targets({"1.1.1": 90.0}), f"{SAVED} + 1 thay đổi")


def _saved_id(name: str) -> int:
    return next(
        s.id for s in Workspace().list_scenarios(unit="bac-giang", edition=2023) if s.name == name
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_meeting_link_with_targets_shows_them(lang):
    """`t=` on a meeting link was dropped without a word: the screen showed the plan."""
    at = meeting(lang=lang, unit="bac-giang", edition="2023", t="2.2.3~30_3.2.1~70")
    label = "Hiện trạng + 2 thay đổi" if lang == "vi" else "Baseline + 2 changes"
    shows(at, BASE.with_targets({"2.2.3": 30.0, "3.2.1": 70.0}), label, lang)
    assert not at.warning
    assert at.query_params["t"] == "2.2.3~30_3.2.1~70"
    assert "preset" not in at.query_params
    link = parse_qs(urlsplit(at.code[0].value).query)
    assert link["t"] == ["2.2.3~30_3.2.1~70"] and "preset" not in link


def test_a_link_with_the_plan_and_one_more_target():
    from ui.state import encode_targets

    s = PLAN.with_targets({OFF_PLAN: 75.0})
    at = meeting(t=encode_targets(s))
    shows(at, s, "Kế hoạch 2024 + 1 thay đổi")


def test_the_choice_below_the_fold_stays_until_the_work_changes():
    at = on_scenario_page()
    at.select_slider(key=f"t_{OFF_PLAN}").set_value(80.0).run()
    to_meeting(at)
    assert at.selectbox(key="meet_choice").value == "current"
    at.selectbox(key="meet_choice").set_value("baseline").run()
    assert subtitle(at) == "Kịch bản đang xem: **Hiện trạng**"
    at.switch_page("pages/overview.py").run()
    to_meeting(at)
    assert subtitle(at) == "Kịch bản đang xem: **Hiện trạng**"  # nothing changed meanwhile
    at.switch_page("pages/scenario.py").run()
    at.select_slider(key=f"t_{OFF_PLAN}").set_value(85.0).run()
    to_meeting(at)
    shows(at, BASE.with_targets({OFF_PLAN: 85.0}), "Hiện trạng + 1 thay đổi")


def test_the_assumptions_travel_with_the_scenario():
    """Other units drifting: the meeting shows the scenario page's numbers, and the scenario page
    still has the assumption when the user comes back."""
    at = on_scenario_page()
    at.select_slider(key=f"t_{OFF_PLAN}").set_value(80.0).run()
    at.segmented_control(key="peers").set_value("drift").run()
    page = [(m.label, m.value) for m in at.metric][:2]
    to_meeting(at)
    s = BASE.with_targets({OFF_PLAN: 80.0})
    drifting = Scenario(unit=s.unit, edition=s.edition, targets=s.targets, peers="drift:0.5")
    shows(at, drifting, "Hiện trạng + 1 thay đổi")  # one target; the assumption is shared
    assert at.metric[-1].value == page[0][1]
    at.run()  # the meeting's own rerun (the selector, the read-only switch)
    shows(at, drifting, "Hiện trạng + 1 thay đổi")
    at.switch_page("pages/scenario.py").run()
    assert at.segmented_control(key="peers").value == "drift"
    assert [(m.label, m.value) for m in at.metric][:2] == page


@pytest.mark.parametrize("came_from", ["scenario", "plan", "movers"])
def test_leaving_the_meeting_goes_back_where_the_user_came_from(came_from):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(f"pages/{came_from}.py").run()
    to_meeting(at)
    (exit_link,) = [p for p in at.get("page_link") if p.proto.label == "Thoát chế độ họp"]
    assert exit_link.proto.page == came_from


def test_the_plan_under_other_assumptions_is_still_the_plan():
    """The plan preset with other units drifting: the plan (its card under the same
    assumption), not "the plan + 1 change"."""
    at = on_scenario_page()
    at.segmented_control(key="peers").set_value("drift").run()
    at.button(key="preset_plan").click().run()
    page_pii = next(m.value for m in at.metric if m.label.startswith("PII"))
    to_meeting(at)
    assert subtitle(at) == "Kịch bản đang xem: **Kế hoạch 2024**"
    drifting = api.preset("plan-2024", Scenario(unit="bac-giang", edition=2023, peers="drift:0.5"))
    out = api.run(drifting).summary()["scenario"]
    assert (
        [m.value for m in at.metric] == ["46,51", number(out["pii"], "vi")] == ["46,51", page_pii]
    )
