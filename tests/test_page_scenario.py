"""AppTest for the scenario page: presets, sliders, links, saved scenarios, languages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api
from model.fmt import number
from model.scenario import Scenario
from ui.widgets import md_text

ROOT = Path(__file__).resolve().parents[1]
APP = "../app.py"


@pytest.fixture(autouse=True)
def _clean_caches(built, fresh_workspace):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def scenario_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
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


def test_invalid_link_parameters_are_ignored_with_a_warning():
    at = scenario_page(t="9.9.9~5_2.2.3~abc_6.3.3~20", unit="atlantis", scale="sideways")
    text = " ".join(w.value for w in at.warning)
    for bad in ("9.9.9~5", "2.2.3~abc", "unit=atlantis", "scale=sideways"):
        assert md_text(bad) in text  # named as typed (markdown-escaped, so never markup)
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
    at.number_input(key="raw_value").set_value(far)
    at.button[0]  # the form exists
    at.get("form_submit_button")  # noqa: B018 - forms render their buttons
    submit = next(b for b in at.button if b.label == "Áp dụng")
    submit.click().run()
    assert not at.exception
    assert any("2.2.3" in w.value and "100" in w.value for w in at.warning)


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
