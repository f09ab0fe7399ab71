"""Estimates marked wherever a leader looks (issue 22): the meeting screen and the reports
show an estimated PII and rank with ≈ and their interval; published numbers carry no mark; a
rank change that passes estimated neighbours reads as a range.

Khánh Hòa 2024 has no published PII or rank (data/sources/published.csv has none for it);
Bắc Giang 2023's PII 46.51 and rank 11 are published (its PII plan, the seed document).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from model import api, report
from model.estimates.quality import marks
from model.fmt import number
from model.index.scenario import Scenario

APP = "../app.py"
ESTIMATED = Scenario(unit="khanh-hoa", edition=2024)
PUBLISHED = Scenario(unit="bac-giang", edition=2023)


@pytest.fixture(autouse=True)
def _clean_caches(built):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def meeting(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_example_units_are_what_the_sources_say(built):
    assert api.profile("khanh-hoa", 2024)["pii_low"] is not None  # estimated
    assert api.profile("bac-giang", 2023)["pii_low"] is None  # published


def test_meeting_marks_an_estimated_pii_and_rank():
    at = meeting(lang="vi", unit="khanh-hoa", edition="2024")
    value = at.metric[0].value
    assert value.startswith("≈ "), value
    p = api.profile("khanh-hoa", 2024)
    texts = " ".join(c.value for c in at.caption)
    assert "≈" in texts and "ước tính" in texts
    ranks = " ".join(m.value for m in at.markdown if "hạng" in m.value.lower())
    assert f"{p['rank_low']}–{p['rank_high']}" in ranks.replace("\u2060", "") or "≈" in ranks


def test_meeting_leaves_a_published_pii_unmarked():
    at = meeting(lang="vi", unit="bac-giang", edition="2023")
    assert "≈" not in at.metric[0].value
    assert not any("≈" in c.value for c in at.caption)


def _report(scenario: Scenario, lang: str = "vi") -> report.Report:
    return report.build(scenario, label="x", lang=lang)


def test_html_report_of_an_estimated_unit_has_the_mark_and_interval():
    rep = _report(ESTIMATED.with_targets({"2.2.3": 60.0}))
    html = report.to_html(rep)
    h = report.headline(rep)[0]
    assert h["pii_estimated"] and h["pii_low"] < h["pii"] < h["pii_high"]
    low = number(h["pii_low"], "vi", 1)
    assert f"≈ {number(h['pii'], 'vi')} ({low}–" in html


def test_html_report_of_a_published_unit_marks_only_its_estimates():
    html = report.to_html(_report(PUBLISHED))
    card = html.split('data-key="pii-0">')[1].split("<")[0]
    assert card == "46,51"  # Bắc Giang 2023's published PII: no mark
    rank = html.split('class="rank">')[1].split("</div>")[0]
    assert "≈" not in rank
    # Its pillars are not published: the summary table marks them with their interval.
    p = api.profile("bac-giang", 2023)
    low = number(p["pillars_low"]["1"], "vi", 1)
    assert f"≈ {number(p['pillars']['1'], 'vi')} ({low}–" in html


def test_xlsx_report_marks_the_estimate_in_cells():
    rep = _report(ESTIMATED.with_targets({"2.2.3": 60.0}), "en")
    wb = load_workbook(io.BytesIO(report.to_xlsx(rep)))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert any(c.startswith("≈ ") and "–" in c for c in cells)


def test_places_range_counts_sure_and_possible_neighbours():
    # By hand: u rises from 10 to 20; v1 is published at 15 (surely passed), v2 estimated in
    # [18, 22] (possibly passed), v3 estimated in [30, 35] (never passed).
    base = np.array([10.0, 15.0, 20.0, 32.0])
    new = np.array([20.0, 15.0, 20.0, 32.0])
    low = np.array([np.nan, np.nan, 18.0, 30.0])
    high = np.array([np.nan, np.nan, 22.0, 35.0])
    assert marks.places_range(base, new, 0, low, high) == (1, 2)
    assert marks.places_range(base, base, 0, low, high) == (0, 0)


def _plan_page(unit: str, year: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in {"unit": unit, "edition": year, "lang": "vi"}.items():
        at.query_params[k] = v
    at.switch_page("pages/plan.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _new_plan(at: AppTest) -> AppTest:
    at.button(key="plan_btn_new").click().run()
    at.text_input(key="plan_new_name").input("Kế hoạch thử")
    at.button(key="plan_new_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_plan_headline_marks_an_estimated_unit(fresh_workspace):
    at = _new_plan(_plan_page("khanh-hoa", "2024"))
    m = {x.label: x.value for x in at.metric}
    assert m["PII hiện trạng"].startswith("≈ "), m
    assert m["PII nếu đạt kế hoạch"].startswith("≈ "), m
    p = api.profile("khanh-hoa", 2024)
    notes = " ".join(x.value for x in at.markdown)
    low = number(p["pii_low"], "vi", 1)
    assert f"≈ PII ước tính {low}–" in notes


def test_plan_headline_of_a_published_unit_has_no_mark(fresh_workspace):
    at = _plan_page("bac-giang", "2023")
    m = {x.label: x.value for x in at.metric}
    assert m["PII hiện trạng"] == "46,51"  # published (Bắc Giang's PII plan, the seed)
    assert "≈ PII ước tính" not in " ".join(x.value for x in at.markdown)


def _cli(*args: str) -> str:
    import os
    import subprocess
    import sys

    from model.paths import ROOT

    env = {**os.environ, "PII_I18N_STRICT": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "model", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_cli_rank_and_profile_mark_estimates_only(built):
    table = _cli("rank", "--edition", "2024")
    kh = next(line for line in table.splitlines() if "Khánh Hòa" in line)
    hn = next(line for line in table.splitlines() if "Hà Nội" in line)
    p = api.profile("khanh-hoa", 2024)
    assert f"≈ {p['rank']} ({p['rank_low']}–{p['rank_high']})" in kh
    assert f"≈ {number(p['pii'], 'vi')} (" in kh
    assert "≈" not in hn  # Hà Nội 2024: 60.76, 1st, published
    prof = _cli("profile", "--unit", "khanh-hoa", "--edition", "2024", "--lang", "en")
    assert f"≈ {number(p['pii'], 'en')} (" in prof.splitlines()[0]
    assert "Input ≈" in prof and "1: ≈" in prof
    pub = _cli("profile", "--unit", "bac-giang", "--edition", "2023", "--lang", "en")
    assert pub.splitlines()[0].endswith("46.51 points, rank 11/63")


def test_strengths_of_estimated_indicators_need_their_interval():
    profile = {
        "pii": 40.0,
        "strengths": ["a", "b", "c"],
        "weaknesses": ["d", "e"],
        "indicators": [
            {"code": "a", "score": 95.0, "provenance": "reconstructed"},  # 95 - 50 > 40: kept
            {"code": "b", "score": 80.0, "provenance": "reconstructed"},  # 30 < 40: dropped
            {"code": "c", "score": 60.0, "provenance": "official"},  # not an estimate: kept
            {"code": "d", "score": 5.0, "provenance": "reconstructed"},  # 55 > 40: dropped
            {"code": "e", "score": 2.0, "provenance": "statistics"},  # kept
            {"code": "f", "score": 100.0, "provenance": "reconstructed"},  # an anchor: dropped
        ],
    }
    profile["strengths"].append("f")
    strong, weak, estimated = marks.supported(profile, 50.0)
    assert (strong, weak, estimated) == (["a", "c"], ["e"], True)


def test_a_rank_change_past_estimated_neighbours_reads_as_a_range():
    """Vĩnh Phúc 2024 (estimated; the issue's example): a few tenths of a point on 2.2.3 passed
    "5 places" of estimated neighbours; the reports now give the places as a range."""
    ed = api.edition(2024)
    now = float(ed.scores[ed.unit_index("vinh-phuc"), ed.framework.index["2.2.3"]])
    rep = _report(Scenario(unit="vinh-phuc", edition=2024).with_targets({"2.2.3": now + 20}))
    h = report.headline(rep)[-1]
    assert h["places_low"] < h["places_high"]
    assert h["places_low"] <= h["rank_change"] <= h["places_high"]
    html = report.to_html(rep)
    assert "vượt qua địa phương có điểm ước tính" in html


def test_the_scenario_page_gives_places_past_estimated_neighbours_as_a_range():
    """The Scenario page said a bare "up 5 places" for Vĩnh Phúc 2024 (the issue's example);
    under the rank it now gives the range and why."""
    ed = api.edition(2024)
    now = float(ed.scores[ed.unit_index("vinh-phuc"), ed.framework.index["2.2.3"]])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update(unit="vinh-phuc", edition="2024", t=f"2.2.3~{now + 20:.4f}")
    at.run()
    at.switch_page("pages/scenario.py").run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert "vượt qua địa phương có điểm ước tính" in captions


def test_the_meeting_screen_counts_the_indicators_computed_from_statistics():
    """The meeting screen's note counted official, published and reconstructed indicators but
    not those computed from official statistics (6 of Khánh Hòa's 52 in 2024)."""
    ed = api.edition(2024)
    n = int((ed.provenance[ed.unit_index("khanh-hoa")] == "statistics").sum())
    at = meeting(unit="khanh-hoa", edition="2024")
    note = " ".join(c.value for c in at.caption)
    assert n > 0 and f"∑ {n} chỉ số tính từ số liệu thống kê chính thức" in note
