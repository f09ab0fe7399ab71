"""The action-plan page through AppTest: both languages, filters, points at stake, progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api
from model import plan as planmod
from model.fmt import number
from model.index.scenario import Scenario
from model.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
APP = "../app.py"
DOST = "Sở Khoa học và Công nghệ"


@pytest.fixture(autouse=True)
def _clean_caches(built, fresh_workspace):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def plan_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def plan_table(at: AppTest):
    return next(d.value for d in at.dataframe if "target_text" in d.value.columns)


def texts(at: AppTest) -> str:
    return " ".join(
        str(e.value)
        for kind in ("markdown", "caption", "info", "success", "warning", "error")
        for e in at.get(kind)
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_runs_in_both_languages_with_the_models_numbers(lang):
    at = plan_page(lang=lang)
    out = api.run(api.preset("plan-2024", Scenario(unit="bac-giang", edition=2023))).summary()
    m = metrics(at)
    base, with_plan = (
        ("PII hiện trạng", "PII nếu đạt kế hoạch")
        if lang == "vi"
        else (
            "Baseline PII",
            "PII if the plan is met",
        )
    )
    assert m[base] == number(out["baseline"]["pii"], lang) == ("46,51" if lang == "vi" else "46.51")
    assert m[with_plan] == number(out["scenario"]["pii"], lang)
    assert len(plan_table(at)) == 17
    depts = next(d.value for d in at.dataframe if len(d.value) == 12)  # 11 departments + total
    assert depts.iloc[-1, 2] == pytest.approx(out["scenario"]["pii"] - out["baseline"]["pii"])
    assert depts.iloc[:-1, 2].sum() == pytest.approx(depts.iloc[-1, 2])  # they add up
    labels = [b.label for b in at.get("download_button")]
    # the plan as CSV and as Excel, its appendix (.docx) with and without the progress by
    # department, the report workbook, the HTML
    assert len(labels) == 6
    if lang == "en":
        assert "Department of Science and Technology" in set(depts.iloc[:, 0])
        assert "Tải" not in " ".join(labels)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_plans_numbers_say_what_they_rest_on(lang):
    """Bắc Giang 2023: 17 official indicators (the seed), 35 reconstructed estimates, so the
    plan's PII and rank are labelled as estimates, with the counts (as on the scenario page)."""
    body = texts(plan_page(lang=lang))
    badge = "Ước tính tái dựng" if lang == "vi" else "Reconstructed estimate"
    counts = "17 chính thức" if lang == "vi" else "17 official"
    assert badge in body and counts in body


def test_filter_by_department_shows_its_points_at_stake():
    at = plan_page()
    at.selectbox(key="plan_dept").set_value(DOST).run()
    assert not at.exception
    table = plan_table(at)
    assert list(table["code"]) == ["2.2.3", "2.2.4", "6.1.1", "6.2.3", "6.3.3"]
    effect = planmod.department_effects(api.plan(), api.edition(2023))
    d = next(x for x in effect.departments if x.lead_unit == DOST)
    stake = next(m for m in at.metric if m.label.startswith("Sở KH&CN"))
    assert stake.value == f"{number(d.delta_pii, 'vi', 2, True)} điểm" == "+0,55 điểm"
    assert "5 mục tiêu" in stake.label
    assert any(m.value == "giữ nguyên hạng" for m in at.metric)  # alone it moves no place
    assert "Đang hiển thị **5/17** chỉ số." in texts(at)
    # The details follow the filter: one expander per indicator shown.
    # the plan files + progress by department + the five indicators + the plan against the
    # 2024 outcome (a built-in plan has no revision history)
    assert len(at.expander) == 1 + 1 + 5 + 1


def test_filter_by_pillar_and_both_filters():
    at = plan_page()
    at.selectbox(key="plan_pillar").set_value("2").run()
    assert sorted(plan_table(at)["code"]) == ["2.1.2", "2.2.1", "2.2.2", "2.2.3", "2.2.4"]
    at.selectbox(key="plan_dept").set_value(DOST).run()
    assert list(plan_table(at)["code"]) == ["2.2.3", "2.2.4"]
    at.selectbox(key="plan_dept").set_value("").run()
    assert len(plan_table(at)) == 5


def test_recording_progress_shows_it():
    at = plan_page()
    at.selectbox(key="plan_dept").set_value(DOST).run()
    at.selectbox(key="pr_code").set_value("6.3.3")
    at.radio(key="pr_kind").set_value("score")
    at.text_input(key="pr_value").input("5")
    at.date_input(key="pr_date").set_value(dt.date(2024, 6, 30))
    at.text_input(key="pr_who").input("Nguyễn Văn A")
    at.text_area(key="pr_note").input("Số liệu *quý II* <b>")
    next(b for b in at.button if b.label == "Ghi tiến độ").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Đã ghi tiến độ 6.3.3: 5,00 điểm, ngày 30/06/2024" in s.value for s in at.success)
    row = plan_table(at).set_index("code").loc["6.3.3"]
    assert (row["latest"], row["as_of"]) == ("5,00", "30/06/2024")
    assert row["done"] == pytest.approx(50.0)  # per cent of the way from 0,00 to 10,00
    hist = next(d.value for d in at.dataframe if "Ghi chú" in d.value.columns)
    assert hist.iloc[0]["Ghi chú"] == "Số liệu *quý II* <b>"  # stored and shown exactly
    assert hist.iloc[0]["Người cập nhật"] == "Nguyễn Văn A"
    # The PII if every indicator stayed at its latest reading (all of the session's readings).
    latest = Workspace().latest_progress("bac-giang-2024")
    assert latest["6.3.3"].score == 5.0
    expected = api.run(
        Scenario(unit="bac-giang", edition=2023).with_targets(
            {c: e.score for c, e in latest.items()}
        )
    )
    assert metrics(at)["PII theo tiến độ"] == number(expected.summary()["scenario"]["pii"], "vi")
    bars = list(at.get("progress"))
    assert bars and any("50%" in str(p.proto) for p in bars)
    # The form was cleared for the next reading.
    assert at.text_input(key="pr_value").value == ""


def test_a_bad_reading_is_not_recorded():
    at = plan_page()
    at.selectbox(key="pr_code").set_value("2.2.2")
    at.text_input(key="pr_value").input("250")
    next(b for b in at.button if b.label == "Ghi tiến độ").click().run()
    assert not at.exception
    # The library's reason, in the screen's language (plan.err_score_range).
    assert any("Không ghi được" in e.value and "0–100" in e.value for e in at.error)
    assert plan_table(at).set_index("code").loc["2.2.2", "latest"] == "–"


def test_another_unit_is_offered_the_plans_unit():
    at = plan_page(unit="ha-noi")
    assert any("Bắc Giang" in w.value and "Hà Nội" in w.value for w in at.warning)
    assert not [d for d in at.dataframe if "target_text" in d.value.columns]
    at.button(key="plan_switch_unit").click().run()
    assert not at.exception
    assert at.session_state["unit"] == "bac-giang"
    assert len(plan_table(at)) == 17


def test_edition_2025_has_no_bac_giang():
    """Bắc Giang is part of the merged Bắc Ninh in 2025: the page shows Bắc Ninh with the draft
    carried from Bắc Giang's plan, stored the first time the page opens (issue 23, item 7)."""
    at = plan_page(edition="2025")
    (pick,) = [s for s in at.selectbox if s.key and s.key.startswith("plan_pick-")]
    assert pick.value == "bac-ninh-2025-tu-bac-giang-2024"


def test_edition_2025_read_only_offers_the_seeds_province():
    """A read-only session stores nothing: without a plan, the page offers the seed's one."""
    at = plan_page(edition="2025", mode="meeting")
    assert at.warning
    at.button(key="plan_switch_unit").click().run()
    assert not at.exception
    assert at.session_state["edition"] == 2023 and len(plan_table(at)) == 17


def test_edition_2024_shows_the_2024_baseline():
    at = plan_page(edition="2024")
    table = plan_table(at)
    assert "score_now" in table.columns
    out = api.run(api.preset("plan-2024", Scenario(unit="bac-giang", edition=2024))).summary()
    assert metrics(at)["PII nếu đạt kế hoạch"] == number(out["scenario"]["pii"], "vi")
