"""Recommending a draft plan (model.plan.recommend): the reach-a-rank programme and the budget
optimiser over the allowed indicators, leads suggested from the known plans, and the engine's
verdict: the recommender's plan reaches its rank when it says so."""

from __future__ import annotations

import json

import pytest

from model import api
from model.budget import Assumptions
from model.index.scenario import simulate
from model.movers import MoversError, allowed_codes
from model.plan import PlanError, library
from model.plan.recommend import recommend, suggested_leads
from model.workspace import Workspace


@pytest.fixture(scope="module")
def eds(built):
    return {y: api.edition(y) for y in (2023, 2024, 2025)}


@pytest.fixture(scope="module")
def seed(built):
    return library.get_plan("bac-giang-2024")


def _engine(ed, plan):
    """PII and rank of the plan's own scenario, through the engine."""
    out = simulate(ed, plan.scenario(ed))
    u = ed.unit_index(plan.unit)
    return float(out.result.pii[u]), int(out.result.rank[u])


@pytest.mark.parametrize(
    ("year", "unit", "rank", "within"),
    [
        (2023, "bac-giang", 9, "actionable"),
        (2023, "bac-giang", 5, "actionable"),
        (2023, "bac-giang", 1, "all"),
        (2024, "bac-giang", 8, "levers"),
        (2025, "bac-ninh", 3, "actionable"),
        (2025, "gia-lai", 15, "actionable"),
    ],
)
def test_the_recommended_plan_reaches_its_rank_when_it_says_so(eds, seed, year, unit, rank, within):
    ed = eds[year]
    r = recommend(ed, unit, rank=rank, within=within, known=[seed], editions=eds)
    pii, got = _engine(ed, r.plan)
    assert (r.pii, r.rank) == (pytest.approx(pii), got)
    assert r.reached == (got <= rank)
    assert r.reached and r.problem is None and r.rank0 > rank  # each of these ranks is in reach
    assert set(r.plan.codes) <= set(allowed_codes(ed, within))
    p = r.plan
    assert (p.source, p.status, p.unit, p.edition, p.plan_id) == ("recommended", "draft", unit,
                                                                  year, "")  # fmt: skip
    for t in p.targets:  # each target above the baseline, 2 decimals, within 0..100
        assert t.baseline < t.target <= 100 and round(t.target, 2) == t.target


def test_an_unreachable_rank_says_so_and_gives_the_closest(eds, seed):
    ed = eds[2023]
    r = recommend(ed, "bac-giang", rank=1, within="custom", codes=["2.2.3"], known=[seed])
    assert not r.reached and r.problem is not None
    assert r.problem.msg_id == "movers.err_out_of_reach"
    assert r.plan.codes == ["2.2.3"]  # every allowed indicator at the national best
    assert _engine(ed, r.plan)[1] == r.rank > 1


def test_the_best_plan_for_a_budget(eds, seed):
    ed = eds[2023]
    r = recommend(ed, "bac-giang", budget_bn=50.0, known=[seed])
    assert r.reached and r.goal == "budget" and r.spent_bn == pytest.approx(50.0, abs=1e-3)
    assert (r.pii, r.rank) == (pytest.approx(_engine(ed, r.plan)[0]), _engine(ed, r.plan)[1])
    assert r.pii > r.pii0
    levers = {lv.code for lv in Assumptions.default("bac-giang", 2023).levers if lv.moveable}
    assert set(r.plan.codes) <= levers & set(allowed_codes(ed, "actionable"))


def test_a_rank_within_a_budget(eds, seed):
    ed = eds[2023]
    low = recommend(ed, "bac-giang", rank=9, budget_bn=1.0, known=[seed])
    assert low.goal == "rank_budget" and not low.reached and low.problem is not None
    assert low.spent_bn <= 1.0 + 1e-6
    high = recommend(ed, "bac-giang", rank=10, budget_bn=5000.0, within="all", known=[seed])
    assert high.reached == (_engine(ed, high.plan)[1] <= 10)


def test_suggested_leads_come_from_the_known_plans_and_are_renamed(eds, seed):
    leads = suggested_leads(["1.2.1", "2.2.3", "9.9.9"], [seed], eds[2023])
    assert leads == {"1.2.1": ("Sở Kế hoạch và Đầu tư", seed.plan_id),
                     "2.2.3": ("Sở Khoa học và Công nghệ", seed.plan_id)}  # fmt: skip
    later = suggested_leads(["1.2.1", "2.1.2"], [seed], eds[2025], editions=eds)
    assert later["1.2.1"][0] == "Sở Tài chính"  # Sở KH&ĐT merged into Sở Tài chính in 2025
    assert "2.1.2" not in later  # the seed's 2.1.2 is another indicator than 2025's


def test_a_recommended_target_without_a_known_owner_has_no_lead(eds, seed):
    r = recommend(eds[2023], "bac-giang", rank=9, known=[seed])
    for t in r.plan.targets:
        owner = seed.target_of(t.code)
        assert t.lead_unit == (owner.lead_unit if owner else "")
        assert (t.code in r.lead_from) == bool(owner)


def test_the_draft_is_stored_for_the_user_to_edit(eds, seed, fresh_workspace):
    r = recommend(eds[2023], "bac-giang", rank=9, known=[seed], lang="en")
    stored = Workspace().save_plan(r.plan)
    assert stored.source == "recommended" and stored.revision == 1
    edited = stored.with_leads({stored.codes[0]: "Sở Khoa học và Công nghệ"})
    again = Workspace().save_plan(edited)
    assert again.revision == 2 and again.targets[0].lead_unit == "Sở Khoa học và Công nghệ"


def test_bad_goals_are_refused(eds):
    ed = eds[2023]
    with pytest.raises(PlanError) as exc:
        recommend(ed, "bac-giang")
    assert exc.value.msg_id == "plan.rec_err_goal"
    for budget in (-3.0, 0.0, float("nan"), float("inf"), 1e27):
        with pytest.raises(PlanError) as exc:
            recommend(ed, "bac-giang", budget_bn=budget)
        assert exc.value.msg_id == "plan.rec_err_budget"
        assert exc.value.render("en")  # formats without a traceback, however large
    with pytest.raises(MoversError):
        recommend(ed, "bac-giang", rank=0)
    with pytest.raises(MoversError):
        recommend(ed, "bac-giang", rank=9, within="nonsense")


# --- the command line -------------------------------------------------------------------------

PLAN_SHOW_KEYS = {"id", "name", "unit", "edition", "target_year", "status", "source", "targets",
                  "revisions", "effect"}  # fmt: skip


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    from model.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_recommend_stores_the_draft_and_says_whether_it_is_reached(
    eds, built, fresh_workspace, capsys
):
    code, out, err = _cli(capsys, "plan", "recommend", "--unit", "bac-giang", "--edition",
                          "2023", "--rank", "9", "--json")  # fmt: skip
    assert code == 0, err
    d = json.loads(out)
    assert PLAN_SHOW_KEYS <= set(d) and d["reached"] is True
    assert d["source"] == "recommended" and d["status"] == "draft" and d["revisions"]
    assert d["effect"]["rank"] <= 9 and d["goal"]["target_rank"] == 9
    stored = Workspace().get_plan(d["id"])  # stored: `plan show` gives the same
    assert stored.codes == [t["code"] for t in d["targets"]]
    # again without a name: a second draft, not a clash
    code, out2, _ = _cli(capsys, "plan", "recommend", "--unit", "bac-giang", "--edition",
                         "2023", "--budget", "50", "--json")  # fmt: skip
    assert code == 0 and json.loads(out2)["reached"] is True
    code, out3, _ = _cli(capsys, "plan", "recommend", "--unit", "bac-giang", "--edition",
                         "2023", "--rank", "9", "--json")  # fmt: skip
    assert code == 0 and json.loads(out3)["id"] != d["id"]
    code, text, _ = _cli(capsys, "plan", "recommend", "--unit", "bac-giang", "--edition",
                         "2023", "--rank", "9", "--name", "Thử", "--lang", "en")  # fmt: skip
    assert code == 0 and "Goal reached: rank 9" in text


def test_plan_recommend_bad_input_exits_2(built, fresh_workspace, capsys):
    base = ["plan", "recommend", "--unit", "bac-giang", "--edition", "2023", "--lang", "en"]
    for extra in (["--rank", "x"], ["--rank", "0"], ["--budget", "-5"], ["--rank", "9",
                  "--budget", "5"], [], ["--rank", "9", "--within", "nope"]):  # fmt: skip
        code, _out, err = _cli(capsys, *base, *extra)
        assert code == 2 and err.strip(), extra
    assert Workspace().list_plans() == []  # nothing half-written


REC = ["plan", "recommend", "--unit", "bac-giang"]
ODD_OPTIONS = {
    "recommend --rank": [*REC, "--edition", "2023", "--rank", "{v}"],
    "recommend --budget": [*REC, "--edition", "2023", "--budget", "{v}"],
    "recommend --years": [*REC, "--edition", "2023", "--budget", "10", "--years", "{v}"],
    "recommend --edition": [*REC, "--edition", "{v}", "--rank", "9"],
    "carry --edition": ["plan", "carry", "bac-giang-2024", "--edition", "{v}"],
}


@pytest.mark.parametrize("option", list(ODD_OPTIONS))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_numeric_argument_works_or_exits_2(option, lang, built, fresh_workspace, capsys):
    from tests.test_cli import ODD_NUMBERS, _works_or_refuses

    problems = []
    for value in ODD_NUMBERS:
        argv = [a.format(v=value) for a in ODD_OPTIONS[option]]
        code, out, err = _cli(capsys, *argv, "--lang", lang)
        if not _works_or_refuses(code, out, err, lang):
            problems.append(f"{value}: exit {code}: {err.strip()[-160:]!r}")
    assert not problems, "\n".join(problems)
