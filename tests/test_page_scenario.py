"""AppTest for the scenario page: presets, sliders, links, saved scenarios, languages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api
from model.fmt import entry_text, number
from model.index.scenario import Scenario
from ui.widgets import md_text

ROOT = Path(__file__).resolve().parents[1]
APP = "../app.py"


@pytest.fixture(autouse=True)
def _clean_caches(built, fresh_workspace):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def opened(**params: str) -> AppTest:
    """The app opened by a link with `params` (its notes show on the page it opened)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    return at


def scenario_page(**params: str) -> AppTest:
    at = opened(**params)
    at.switch_page("pages/scenario.py").run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label_start: str) -> tuple[str, str]:
    m = next(m for m in at.metric if m.label.startswith(label_start))
    return m.value, m.delta


def test_opens_on_the_baseline():
    at = scenario_page()
    # Bắc Giang 2023: 46.51, rank 11 (https://en.nhandan.vn/vietnam-releases-provincial-innovation-index-for-first-time-post133909.html)
    assert metric(at, "PII")[0] == "46,51"
    assert metric(at, "Hạng")[0] == "11/63"


def test_plan_preset_shows_what_the_cli_prints():
    at = scenario_page()
    at.button(key="preset_plan").click().run()
    assert not at.exception
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "model",
            "simulate",
            "--unit",
            "bac-giang",
            "--edition",
            "2023",
            "--preset",
            "plan-2024",
            "--json",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(cli.stdout)
    assert metric(at, "PII")[0] == number(out["scenario"]["pii"], "vi")
    assert metric(at, "PII")[1] == number(
        out["scenario"]["pii"] - out["baseline"]["pii"], "vi", 2, True
    )
    assert metric(at, "Hạng")[0] == f"{out['scenario']['rank']}/63"
    table = at.dataframe[0].value  # the waterfall's table version: one row per changed indicator
    assert sorted(table["Mã"]) == sorted(c["code"] for c in out["contributions"])
    by_code = {c["code"]: c["delta_pii"] for c in out["contributions"]}
    for code, shown in zip(table["Mã"], table["Δ PII"], strict=True):
        assert shown == number(by_code[code], "vi", 3, True)
    assert len(out["contributions"]) == 17


def test_moving_a_slider_changes_the_pii():
    at = scenario_page()
    before = metric(at, "PII")[0]
    at.select_slider(key="t_6.3.3").set_value(50.0).run()
    assert not at.exception
    after = metric(at, "PII")[0]
    expected = api.run(Scenario(unit="bac-giang", edition=2023, targets=(("6.3.3", 50.0),)))
    assert after != before
    assert after == number(expected.summary()["scenario"]["pii"], "vi")


def test_a_link_restores_the_scenario():
    at = scenario_page(t="2.2.3~10_6.3.3~20", peers="drift", drift="0.5", year="2025")
    assert at.select_slider(key="t_2.2.3").value == 10.0
    assert at.select_slider(key="t_6.3.3").value == 20.0
    s = Scenario(
        unit="bac-giang",
        edition=2023,
        targets=(("2.2.3", 10.0), ("6.3.3", 20.0)),
        peers="drift:0.5",
        target_year=2025,
    )
    assert metric(at, "PII")[0] == number(api.run(s).summary()["scenario"]["pii"], "vi")
    assert not at.warning
    # The link to copy reopens the same scenario: the opening link's values, written once.
    shared = parse_qs(urlsplit(at.code[0].value).query)
    assert shared["t"] == ["2.2.3~10_6.3.3~20"] and shared["unit"] == ["bac-giang"]
    assert (shared["peers"], shared["drift"], shared["year"]) == (["drift"], ["0.5"], ["2025"])


def test_invalid_link_parameters_are_ignored_with_a_warning():
    at = opened(t="9.9.9~5_2.2.3~abc_6.3.3~20", unit="atlantis", scale="sideways")
    text = " ".join(w.value for w in at.warning)  # on the page the link opened
    for bad in ("9.9.9~5", "2.2.3~abc", "unit=atlantis", "scale=sideways"):
        assert md_text(bad) in text  # named as typed (markdown-escaped, so never markup)
    at.switch_page("pages/scenario.py").run()
    assert at.select_slider(key="t_6.3.3").value == 20.0  # the valid entry is kept
    assert metric(at, "PII")[0] != "46,51"


def test_english_labels():
    at = scenario_page(lang="en")
    assert any(m.label == "Scenario PII" for m in at.metric)
    assert metric(at, "Scenario PII")[0] == "46.51"


def test_every_edition_and_the_2025_trend_message():
    for year in ("2024", "2025"):
        at = scenario_page(edition=year)
        assert at.metric
    # The library's reason, in the screen's language (scenario.err_trend_missing).
    at = scenario_page(edition="2025", peers="trend")
    assert not at.exception
    assert any("xu hướng" in w.value and "2025" in w.value for w in at.warning)
    at = scenario_page(edition="2025", peers="trend", lang="en")
    assert any("'trend'" in w.value and "2025" in w.value for w in at.warning)


def test_a_typed_raw_value_beyond_the_maximum_is_capped_in_frozen_mode():
    at = scenario_page()
    ed = api.edition(2023)
    far = float(ed.score_to_raw("2.2.3", 150.0))
    at.selectbox(key="raw_code").set_value("2.2.3")
    at.text_input(key="raw_value").input(entry_text(far, "vi", 9))
    at.button[0]  # the form exists
    at.get("form_submit_button")  # noqa: B018 - forms render their buttons
    submit = next(b for b in at.button if b.label == "Áp dụng")
    submit.click().run()
    assert not at.exception
    assert any("2.2.3" in w.value and "100" in w.value for w in at.warning)


def _type_raw(at: AppTest, code: str, raw: float, apply: str = "Áp dụng") -> AppTest:
    box = at.selectbox(key="raw_code")  # by position: the labels are in the page's language
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(f"{code} ")))
    at.text_input(key="raw_value").input(entry_text(raw, "vi", 9))
    next(b for b in at.button if b.label == apply).click().run()
    assert not at.exception, at.exception
    return at


def _texts(elements) -> str:
    return " | ".join(e.value for e in elements)


def test_a_raw_value_ten_times_the_maximum_is_capped_not_refused():
    """Issue 13 item 6: 10 % of GRDP for 2.2.3 (score-equivalent 1009.09) is a target."""
    at = _type_raw(scenario_page(), "2.2.3", 10.0)
    assert not at.error, _texts(at.error)
    assert "1009" not in _texts(at.warning) + _texts(at.info)
    assert any("2.2.3" in w.value and "chặn ở 100" in w.value for w in at.warning)
    assert any("2.2.3" in i.value and "chặn ở 100" in i.value for i in at.info)
    full = api.run(Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 100.0),)))
    assert metric(at, "PII")[0] == number(full.summary()["scenario"]["pii"], "vi")
    # Recomputed min-max: the same value moves the goalposts, in English too.
    at = _type_raw(scenario_page(scale="renormalize", lang="en"), "2.2.3", 10.0, "Apply")
    assert not at.error, _texts(at.error)
    assert any("2.2.3" in w.value and "new maximum" in w.value for w in at.warning)
    assert "capped" not in _texts(at.warning) + _texts(at.info)


def test_a_link_carries_a_target_beyond_the_maximum():
    at = opened(t="2.2.3~1009.09")
    assert "t=" not in _texts(at.warning)  # not refused as an invalid link
    at.switch_page("pages/scenario.py").run()
    assert any("2.2.3" in w.value and "chặn ở 100" in w.value for w in at.warning)


def test_the_note_names_only_values_outside_the_range_and_their_side():
    """Issue 13 item 7: raw 0.5 (score 49.49) is inside 0-100; raw 0 is capped at 0."""
    at = _type_raw(scenario_page(), "2.2.3", 0.5)
    assert not [i.value for i in at.info if "2.2.3" in i.value]
    assert not [w.value for w in at.warning if "2.2.3" in w.value]
    assert any("0,500 % GRDP" in c.value for c in at.caption)  # the exact typed value
    at = _type_raw(at, "2.2.3", 0.0)
    note = " ".join(i.value for i in at.info if "2.2.3" in i.value)
    assert "chặn ở 0" in note and "100" not in note, note
    warning = " ".join(w.value for w in at.warning if "2.2.3" in w.value)
    assert "0 điểm" in warning and "100" not in warning, warning


def test_raw_values_have_their_units_and_own_decimals():
    """Issue 13 items 17-18: 2.2.3 reads 0,034 % GRDP (3 decimals), scores say points."""
    at = scenario_page()
    caption = next(c.value for c in at.caption if "GRDP" in c.value)
    assert caption == "Giá trị thực ≈ 0,034 % GRDP · điểm: gốc 2,43, mục tiêu ≥ 10", caption
    at = scenario_page(lang="en")
    caption = next(c.value for c in at.caption if "GRDP" in c.value)
    assert caption == "Raw value ≈ 0.034 % of GRDP · points: baseline 2.43, target ≥ 10", caption


def test_deleting_a_saved_scenario_asks_first():
    """Issue 13 item 19: one click on Delete only asks; Cancel keeps it, Confirm deletes."""
    at = scenario_page()
    at.text_input(key="save_name").input("Thử xóa")
    next(b for b in at.button if b.label == "Lưu").click().run()
    delete = next(b for b in at.button if b.key and b.key.startswith("delete_"))
    assert delete.label == "Xóa" and delete.proto.icon == ":material/delete:"
    delete.click().run()
    assert not at.success or not any("Đã xóa" in s.value for s in at.success)
    assert any("Thử xóa" in w.value for w in at.warning)  # the question names it
    next(b for b in at.button if b.key and b.key.startswith("cancel_delete_")).click().run()
    assert any(b.key and b.key.startswith("load_") for b in at.button)  # still there
    assert not any(b.key and b.key.startswith("confirm_delete_") for b in at.button)
    next(b for b in at.button if b.key and b.key.startswith("delete_")).click().run()
    next(b for b in at.button if b.key and b.key.startswith("confirm_delete_")).click().run()
    assert any("Đã xóa" in s.value for s in at.success)
    assert not any(b.key and b.key.startswith("load_") for b in at.button)


def test_compare_shows_places_gained_and_every_row():
    """Issue 13 item 20: B three places above A reads "▲ tăng 3 bậc", not -3; 11 rows shown."""
    at = scenario_page()
    at.select_slider(key="t_6.3.3").set_value(100.0).run()
    at.text_input(key="save_name").input("Cao")
    next(b for b in at.button if b.label == "Lưu").click().run()
    at.button(key="preset_baseline").click().run()
    at.selectbox(key="cmp_b").set_value("Cao").run()
    table = next(d for d in at.dataframe if "B − A" in d.value.columns)
    rows = dict(zip(table.value["Chỉ tiêu"], table.value["B − A"], strict=True))
    high = api.run(Scenario(unit="bac-giang", edition=2023, targets=(("6.3.3", 100.0),)))
    gained = 11 - high.summary()["scenario"]["rank"]
    assert gained > 0 and rows["Hạng"] == f"▲ tăng {gained} bậc"
    assert len(table.value) == 11 and "Trụ cột 7. Tác động" in rows  # all shown: tests/browser


def test_save_load_rename_delete_and_compare():
    at = scenario_page()
    at.button(key="preset_plan").click().run()
    at.text_input(key="save_name").input("Kế hoạch <b>thử</b>")
    next(b for b in at.button if b.label == "Lưu").click().run()
    assert not at.exception
    # User text reaches markdown escaped, so it renders as text, never as markup.
    assert any(r"Kế hoạch \<b\>thử\</b\>" in s.value for s in at.success)
    # Back to the baseline, then open the saved scenario.
    at.button(key="preset_baseline").click().run()
    assert metric(at, "PII")[0] == "46,51"
    load = next(b for b in at.button if b.key and b.key.startswith("load_"))
    load.click().run()
    assert metric(at, "PII")[0] != "46,51"
    # The comparison table lists both scenarios.
    cmp = next(d.value for d in at.dataframe if "B − A" in d.value.columns)
    assert len(cmp) == 11  # PII, rank, input, output, 7 pillars
    delete = next(b for b in at.button if b.key and b.key.startswith("delete_"))
    delete.click().run()
    confirm = next(b for b in at.button if b.key and b.key.startswith("confirm_delete_"))
    confirm.click().run()
    assert not at.exception
    assert any("Đã xóa" in s.value for s in at.success)


def test_other_indicators_by_pillar_and_group_keep_their_values():
    at = scenario_page()
    at.segmented_control(key="pillar_shown").set_value("3").run()
    assert any(e.label.startswith("Nhóm 3.2") for e in at.expander)
    at.select_slider(key="t_3.2.1").set_value(90.0).run()
    moved = metric(at, "PII")[0]
    expected = api.run(Scenario(unit="bac-giang", edition=2023, targets=(("3.2.1", 90.0),)))
    assert moved == number(expected.summary()["scenario"]["pii"], "vi")
    # Another pillar shown: the 3.2.1 target stays in the scenario.
    at.segmented_control(key="pillar_shown").set_value("5").run()
    assert metric(at, "PII")[0] == moved
    assert any("3.2.1" in c.value for c in at.caption)
