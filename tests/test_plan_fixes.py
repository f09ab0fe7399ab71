"""Issue 20's plan items through AppTest and the model: a target below the baseline is marked
and needs a confirmation (10), the change card's gap follows the plan (11), drafts, the saver's
name and empty plans (14), the recommendation's cap, its agreement with the Movers page's reach
and its form (12), the Plan page's dates (20) and its empty-page button (22)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import streamlit as st

from model import api
from model import movers as mv
from model.fmt import number
from model.index.scenario import Scenario
from model.movers.reach import REACH_CAP
from model.plan import library
from model.plan.recommend import recommend
from tests.test_page_plan_editor import (
    edit,
    editor,
    errors,
    new_plan,
    ok,
    page,
    save,
    stored,
    texts,
)

SEED_UNIT = "bac-giang"


@pytest.fixture(autouse=True)
def _clean_caches(built, fresh_workspace):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def seed_page(lang: str = "vi"):
    return page(unit=SEED_UNIT, edition="2023", lang=lang)


# ---- 11: the change card's "to climb one more place" follows the plan ------------------------
def test_the_gap_under_the_change_card_is_the_plans_gap():
    ed = api.edition(2023)
    out = api.run(api.preset("plan-2024", Scenario(unit=SEED_UNIT, edition=2023)))
    u = ed.unit_index(SEED_UNIT)
    own, base = float(out.result.pii[u]), float(out.baseline.pii[u])
    plan_gap = min(float(v) for v in out.result.pii if v > own) - own
    base_gap = min(float(v) for v in out.baseline.pii if v > base) - base
    assert number(plan_gap, "vi") != number(base_gap, "vi")  # the test can tell them apart
    said = texts(seed_page())
    assert f"Cần thêm {number(plan_gap, 'vi')} điểm PII để vượt lên một bậc." in said
    assert f"Cần thêm {number(base_gap, 'vi')} điểm PII" not in said


# ---- 10: a target below the baseline is marked and needs a confirmation -----------------------
def khanh_hoa_score(code: str) -> float:
    ed = api.edition(2024)
    return float(ed.scores[ed.unit_index("khanh-hoa"), ed.framework.index[code]])


def test_a_target_below_the_baseline_is_marked_and_saved_only_when_confirmed():
    low = khanh_hoa_score("6.3.3") - 10  # below Khánh Hòa's 2024 score
    at = new_plan(page())
    edit(at, added_rows=[{"code": "2.2.3", "target": "60"}, {"code": "6.3.3", "target": "5"}])
    assert low > 5  # the row typed is below the baseline
    said = texts(at, ("warning",))
    assert "Dòng 2 (6.3.3): mục tiêu 5,00 thấp hơn hiện trạng" in said
    assert "không thêm điểm PII nào" in said
    save(at)
    assert not stored()  # not saved without the confirmation
    assert "Chưa lưu: mục tiêu ở dòng 2 thấp hơn hiện trạng." in errors(at)
    # the committed table colours the computed cells of row 2 only
    styled = editor(at).proto.arrow_data.styler.styles
    assert "#fde2e1" in styled
    (box,) = [c for c in at.checkbox if c.key and c.key.startswith("pm_below_ok_2_")]
    box.check()
    save(at)
    (plan,) = stored()
    assert {t.code: t.target for t in plan.targets} == {"2.2.3": 60.0, "6.3.3": 5.0}


# ---- 14: drafts, the saver's name, empty plans ---------------------------------------------
def test_an_empty_plan_is_refused_at_save():
    at = new_plan(page())
    save(at)
    assert not stored()
    assert "Chưa lưu: kế hoạch chưa có mục tiêu nào." in errors(at)


def guard(at) -> str:
    return " ".join(h.proto.body for h in at.get("html") if "__piiUnsaved" in h.proto.body)


def test_an_unsaved_draft_is_announced_and_guarded_and_the_saver_remembered():
    at = new_plan(page())
    edit(at, added_rows=[{"code": "2.2.3", "target": "60"}])
    assert "Bản nháp chưa lưu" in texts(at, ("warning",))
    assert "__piiUnsaved = true" in guard(at)  # the browser asks before a reload
    save(at, who="Trần Thị B")
    assert len(stored()) == 1
    assert "Bản nháp chưa lưu" not in texts(at, ("warning",))
    assert "__piiUnsaved = false" in guard(at)
    # the next save of this session starts from the same name
    edit(at, edited_rows={0: {"target": "65"}})
    (who,) = [t for t in at.text_input if t.key.startswith("pm_who")]
    assert who.value == "Trần Thị B"
    next(b for b in at.button if b.label == "Lưu kế hoạch").click().run()
    ok(at)
    (plan,) = stored()
    assert plan.revision == 2
    assert [r.author for r in library.revisions(plan)] == ["Trần Thị B", "Trần Thị B"]


# ---- 12: Đề xuất caps each indicator and answers as the Movers page's reach ------------------
def test_a_recommended_plan_caps_each_gain_as_the_movers_reach_does():
    ed = api.edition(2024)
    r = recommend(ed, "khanh-hoa", rank=5)  # before the cap: four targets at the national best
    assert r.reached
    best = {c: float(np.nanmax(ed.scores[:, ed.framework.index[c]])) for c in r.plan.codes}
    for t in r.plan.targets:  # at most REACH_CAP points (+ the 0.01 a target is rounded up)
        assert t.target - t.baseline <= REACH_CAP + 0.01 + 1e-9
    assert not [t.code for t in r.plan.targets if abs(t.target - best[t.code]) < 0.01]
    # the Movers page's reach, with its defaults, gives the same targets
    rr = mv.reach(ed, "khanh-hoa", 5, cap=REACH_CAP, codes=mv.allowed_codes(ed, "actionable"))
    want = {g.code: math.ceil(g.to_score * 100 - 1e-9) / 100 for g in rr.gains}
    assert {t.code: t.target for t in r.plan.targets} == pytest.approx(want, abs=1e-9)


def test_the_movers_page_and_the_recommender_share_the_cap():
    at = page("movers", unit="khanh-hoa", edition="2024")
    assert at.number_input(key="mv_cap").value == REACH_CAP


def test_the_recommend_form_shows_only_the_picked_goals_input():
    at = seed_page()  # Bắc Giang: the budget's levers need its economy (economy.csv)
    at.button(key="plan_btn_recommend").click().run()
    ok(at)
    keys = {n.key for n in [*at.number_input, *at.text_input]}
    assert "plan_rec_rank" in keys and "plan_rec_budget" not in keys
    assert "tối đa 30 điểm" in texts(at, ("caption",))
    at.radio(key="plan_rec_goal").set_value("budget").run()
    ok(at)
    keys = {n.key for n in [*at.number_input, *at.text_input]}
    assert "plan_rec_budget" in keys and "plan_rec_rank" not in keys
    at.text_input(key="plan_rec_budget").set_value("12,5")  # money typed the Vietnamese way
    next(b for b in at.button if b.key and "plan_rec_form" in b.key).click().run()
    ok(at)
    assert len(editor(at).value) > 0  # a draft from the budget


# ---- 20: the Plan page's dates -------------------------------------------------------------
def test_a_plan_documents_date_is_a_vietnamese_date():
    at = page(unit="bac-ninh", edition="2025")
    said = texts(at, ("caption",))
    assert "15/KH-UBND ngày 19/01/2026" in said  # data/sources/plans_other_provinces.csv
    assert "2026-01-19" not in said


def test_the_recommend_budget_is_read_the_vietnamese_way(monkeypatch):
    """12,5 billion typed in Vietnamese is 12.5 (a number box read it as 125 before)."""
    from model.plan import recommend as rec_mod

    asked = []
    real = rec_mod.recommend

    def spy(*args, **kwargs):
        asked.append(kwargs.get("budget_bn"))
        return real(*args, **kwargs)

    monkeypatch.setattr(rec_mod, "recommend", spy)
    at = seed_page()
    at.button(key="plan_btn_recommend").click().run()
    at.radio(key="plan_rec_goal").set_value("budget").run()
    at.text_input(key="plan_rec_budget").set_value("12,5")
    next(b for b in at.button if b.key and "plan_rec_form" in b.key).click().run()
    ok(at)
    assert asked == [12.5]
    at.button(key="plan_btn_recommend").click().run()
    at.radio(key="plan_rec_goal").set_value("budget").run()
    at.text_input(key="plan_rec_budget").set_value("1.234")  # 1234 or 1,234? refused, said why
    next(b for b in at.button if b.key and "plan_rec_form" in b.key).click().run()
    assert asked == [12.5] and at.error
