"""Budget levers, the optimiser, the path and the budget commands (model/budget, model/cli/budget).

Hand calculations use the published or assumed numbers with their sources beside them; every PII
that is compared is recomputed here with the engine (`evaluate_targets`), not taken on trust.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import api
from model.budget import (
    Assumptions,
    eligible_levers,
    evaluate_allocation,
    lever_table,
    load_economy,
    load_levers,
    marginal_pii_per_billion,
    optimize,
    path,
    plan_cost,
    rank_threshold,
    reach_rank,
    rules,
)
from model.cli.budget import add_commands
from model.estimates.sources import SourceError
from model.i18n import render
from model.index.scenario import ScenarioError, evaluate_targets
from model.paths import ROOT

SOURCES = ROOT / "data" / "sources"
# Bắc Giang GRDP 2024, current prices: 214,258 billion VND, NSO (E02.58 labour productivity x
# E02.45 employed persons; the default row of data/sources/statistics.csv, issue 21). The
# province's own year-end estimate, 209,150 (economy.csv, reported), is shown, not used.
GRDP_2024_BN = 214_258.0
# Bắc Giang average population 2024: 1,962,600 (NSO, statistics.csv default row).
POPULATION_2024 = 1_962_600.0
SETTINGS = settings(max_examples=15, deadline=None)


@pytest.fixture(scope="module")
def ed(editions):
    return editions[2023]


@pytest.fixture(scope="module")
def a() -> Assumptions:
    return Assumptions.default("bac-giang", 2023)


@pytest.fixture(scope="module")
def plan(built):
    return api.plan("bac-giang-2024")


def engine_pii(ed, alloc) -> tuple[float, int]:
    """PII and rank of an allocation's score changes, recomputed with the engine."""
    u = ed.unit_index("bac-giang")
    t = np.full((1, ed.framework.m), np.nan)
    for r in alloc.levers:
        i = ed.framework.index[r.code]
        t[0, i] = ed.scores[u, i] + r.delta_score
    agg, _, _ = evaluate_targets(ed, u, t)
    return float(agg.pii[0, u]), int(agg.rank[0, u])


def lever_change(alloc, code: str):
    return next((r for r in alloc.levers if r.code == code), None)


# --- the source files -----------------------------------------------------------------------


def test_lever_table_covers_the_framework(ed, a):
    assert sorted(lv.code for lv in a.levers) == sorted(ed.framework.codes)
    by_basis = {b: [lv.code for lv in a.levers if lv.basis == b] for b in ("exact", "assumed")}
    assert by_basis["exact"] == ["2.1.3", "2.2.2", "2.2.3", "4.1.2"]
    fixed = [lv for lv in a.levers if not lv.moveable]
    # 24 (data/README.md, budget_levers.csv): 25 until 5.2.1 became research collaboration,
    # which a province co-funds (framework_evidence.csv K3)
    assert len(fixed) == 24 and all(lv.note_vi and lv.note_en for lv in fixed)
    # PCI and PAR survey scores and exam results are bottlenecks, not levers
    for code in ("1.1.2", "1.1.3", "1.2.1", "1.2.2", "1.2.3", "1.2.4", "2.1.1"):
        assert not a.lever(code).moveable
    # where a bottleneck is in the plan, its note comes from the seed's task text
    with open(SOURCES / "plan_bac_giang_2024.csv", encoding="utf-8") as fh:
        plan_rows = {r["code"]: r["row"] for r in csv.DictReader(fh)}
    for lv in fixed:
        if lv.code in plan_rows:
            assert lv.source.endswith(f"row {plan_rows[lv.code]}"), lv.code
    for lv in a.levers:
        if lv.moveable:
            assert lv.source.startswith(("exact:", "assumption:")), lv.code


def test_lever_table_prices_every_moveable_lever(ed, a):
    rows = {r["code"]: r for r in lever_table(a, ed)}
    for lv in a.levers:
        assert ("unit_cost_million_vnd_per_raw" in rows[lv.code]) == lv.moveable
    # 2.2.2: one percentage point of GRDP in 2024 costs GRDP / 100 (million VND)
    cost = rows["2.2.2"]["unit_cost_million_vnd_per_raw"]
    assert cost == pytest.approx(GRDP_2024_BN * 1000 / 100)


def test_csv_errors_name_file_line_and_column(tmp_path):
    text = (SOURCES / "budget_levers.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = next(csv.reader([text[9]]))  # line 10: 2.1.2, moveable
    row[header.index("cost_million_vnd_per_item")] = "ba triệu"
    bad = tmp_path / "budget_levers.csv"
    with open(bad, "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(text[:9]) + "\n")
        csv.writer(fh, lineterminator="\n").writerow(row)
    with pytest.raises(SourceError, match=r"budget_levers.csv, line 10, column cost_million"):
        load_levers(bad)
    row[header.index("cost_million_vnd_per_item")] = "-3"
    with open(bad, "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(text[:9]) + "\n")
        csv.writer(fh, lineterminator="\n").writerow(row)
    with pytest.raises(SourceError, match=r"line 10: lever 2.1.2: cost_million_vnd_per_item"):
        load_levers(bad)
    bad.write_bytes("code,lever_vi\n1.1.1,x\xff\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8"):
        load_levers(bad)
    bad.write_text("code,lever_vi\n1.1.1,x\n", encoding="utf-8")
    with pytest.raises(SourceError, match="line 1: missing column"):
        load_levers(bad)
    econ = tmp_path / "economy.csv"
    econ.write_text(
        "unit,year,item,value,measure,provenance,source,note\n"
        "bac-giang,2023,grdp_billion_vnd,181800,,,,\n"
        "bac-giang,2023,gdp_per_head,3950,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="economy.csv, line 3: unknown economy item"):
        load_economy(econ)


def test_every_lever_note_is_in_both_languages(a):
    for lv in a.levers:
        assert lv.note_vi and lv.note_en and lv.note_vi != lv.note_en, lv.code
        assert (lv.note("vi"), lv.note("en")) == (lv.note_vi, lv.note_en)
    # the Vietnamese note keeps the seed row it quotes
    assert "dòng 7" in a.lever("1.2.1").note_vi and "seed row 7" in a.lever("1.2.1").note_en


def test_a_note_in_one_language_only_is_refused(tmp_path):
    rows = list(csv.reader((SOURCES / "budget_levers.csv").open(encoding="utf-8")))
    rows[3][rows[0].index("note_vi")] = ""
    bad = tmp_path / "budget_levers.csv"
    with open(bad, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    with pytest.raises(SourceError, match="line 4: a note needs both note_vi and note_en"):
        load_levers(bad)


def test_a_set_saved_with_english_notes_only_opens_with_both(a):
    # sets saved before the notes had two languages hold one "note" per lever
    old = json.loads(a.to_json())
    for lv in old["levers"]:
        lv["note"] = lv.pop("note_en")
        del lv["note_vi"]
    assert Assumptions.from_dict(old) == a


def test_budget_errors_are_messages_in_both_languages(ed, a):
    with pytest.raises(ScenarioError) as neg:
        optimize(a, ed, budget_bn=-1)
    assert neg.value.msg_id == "budget.err_budget_negative"
    assert render(neg.value, "vi") == "ngân sách không được âm"
    assert str(neg.value) == "budget must not be negative"
    # a sub-phrase is a message of its own: the whole sentence is in one language
    with pytest.raises(ScenarioError) as nan:
        replace(a, budget_growth_pct=float("nan"))
    assert render(nan.value, "vi").startswith("mức tăng ngân sách (% mỗi năm) phải là một số")
    assert str(nan.value).startswith("budget growth (% per year) must be a finite number")
    with pytest.raises(ScenarioError) as far:
        optimize(a, ed, objective="rank", target_rank=3, budget_bn=10.0)
    vi = render(far.value, "vi")
    assert "không thể đạt hạng 3" in vi and "10 tỷ đồng" in vi


def test_a_file_error_wraps_the_lever_error_in_the_same_language(tmp_path):
    rows = list(csv.reader((SOURCES / "budget_levers.csv").open(encoding="utf-8")))
    rows[9][rows[0].index("cost_million_vnd_per_item")] = "-3"
    bad = tmp_path / "budget_levers.csv"
    with open(bad, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    with pytest.raises(SourceError) as exc:
        load_levers(bad)
    assert render(exc.value, "vi") == (
        "budget_levers.csv, dòng 10: đòn bẩy 2.1.2: cost_million_vnd_per_item phải là số dương, "
        "nhận được -3"
    )


def test_the_budget_code_raises_catalogue_messages_only():
    """Every ScenarioError / SourceError of model/budget/ names a literal budget.* id."""
    for file in (ROOT / "model" / "budget").glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
                "ScenarioError",
                "SourceError",
            ):
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant), (file.name, node.lineno)
                assert str(first.value).startswith("budget."), (file.name, node.lineno)


def test_economy_projection(a):
    # NSO's years are used as they are; later years grow by NSO's last nominal growth
    # (214,258 / 184,991 - 1 = 15.82 %, statistics.csv 2023 -> 2024)
    assert a.economy_value("grdp_billion_vnd", 2024) == GRDP_2024_BN
    assert a.economy_value("grdp_billion_vnd", 2026) == pytest.approx(GRDP_2024_BN * 1.1582**2)
    assert a.economy_value("population_persons", 2024) == pytest.approx(POPULATION_2024)
    # an estimate: economy.csv's 209 communes / 1,910,000 people x 1,962,600; held constant
    assert a.economy_value("communes", 2030) == round(209 / 1_910_000 * POPULATION_2024)
    with pytest.raises(ScenarioError, match="figures for 'atlantis'"):
        Assumptions.default("atlantis", 2023)  # not a unit of the map


# --- exact levers: hand calculations ---------------------------------------------------------


def test_local_st_budget_share_of_grdp_is_exact(ed, a):
    # 10 billion VND more local S&T spending in 2024: + 10 / 209,150 x 100 % of GRDP.
    alloc = evaluate_allocation(a, ed, {"2.2.2": 10.0})
    delta_raw = 10.0 / GRDP_2024_BN * 100
    r = lever_change(alloc, "2.2.2")
    assert r.delta_raw == pytest.approx(delta_raw, rel=1e-12)
    # goalposts.csv 2023, 2.2.2: 0.010-0.250 % GRDP (assumption) -> score = raw / 0.24 x 100
    assert r.delta_score == pytest.approx(delta_raw / 0.24 * 100, rel=1e-12)
    # weight of 2.2.2 in the PII: 1/2 (input) x 1/5 (pillar 2) x 1/2 (group 2.2) x 1/4 = 1/80
    assert alloc.pii == pytest.approx(46.51 + r.delta_score / 80, abs=1e-9)
    assert engine_pii(ed, alloc)[0] == pytest.approx(alloc.pii, abs=1e-12)


def test_rd_spending_also_counts_as_st_budget(ed, a):
    # 20 billion VND of R&D tasks: 2.2.3 and 2.2.2 both rise by 20 / 209,150 x 100 % of GRDP.
    alloc = evaluate_allocation(a, ed, {"2.2.3": 20.0})
    share = 20.0 / GRDP_2024_BN * 100
    assert lever_change(alloc, "2.2.3").delta_raw == pytest.approx(share, rel=1e-12)
    assert lever_change(alloc, "2.2.2").delta_raw == pytest.approx(share, rel=1e-12)


def test_per_capita_lever_is_count_over_population(ed, a):
    # 0.5 billion VND on trademark support at 10 million VND per application (assumption,
    # budget_levers.csv) = 50 applications; per 10,000 people of 2024.
    alloc = evaluate_allocation(a, ed, {"6.2.1": 0.5})
    assert lever_change(alloc, "6.2.1").delta_raw == pytest.approx(
        50 * 10_000 / POPULATION_2024, rel=1e-9
    )
    # the same money is S&T budget, so 2.2.2 moves by 0.5 / 209,150 x 100 too
    assert lever_change(alloc, "2.2.2").delta_raw == pytest.approx(0.5 / GRDP_2024_BN * 100)


def test_stock_lever_with_lag(ed, a):
    # OCOP (lag 1, stock): 1 billion VND a year for 2 years; by year 2 the first year's
    # 1,000 / 150 = 6.67 products count, over 215 communes (estimate: economy.csv's 209 per
    # 1,910,000 people x NSO's 1,962,600).
    one = evaluate_allocation(a, ed, {"7.1.2": 1.0}, years=1)
    assert lever_change(one, "7.1.2") is not None and lever_change(one, "7.1.2").delta_raw == 0
    two = evaluate_allocation(a, ed, {"7.1.2": 1.0}, years=2)
    assert lever_change(two, "7.1.2").delta_raw == pytest.approx(1000 / 150 / 215, rel=1e-12)


def test_marginal_pii_of_the_exact_lever(ed, a):
    m = marginal_pii_per_billion(a, ed, {})
    # 1 billion VND = 100 / 214,258 % of GRDP = that / 0.24 x 100 points, weight 1/80
    assert m["2.2.2"] == pytest.approx(100 / GRDP_2024_BN / 0.24 * 100 / 80, rel=1e-6)
    assert m["7.1.2"] == 0.0  # lag 1: nothing within one year
    # at its yearly cap a lever buys no more
    cap = 0.1 * POPULATION_2024 / 10_000 * 100 / 1000  # +0.1 per 10,000 at 100 million VND each
    at_cap = marginal_pii_per_billion(a, ed, {"6.1.1": cap * 1.5})
    assert at_cap["6.1.1"] == pytest.approx(m["2.2.2"], rel=1e-6)  # only its S&T-budget share


# --- the optimiser ---------------------------------------------------------------------------


@SETTINGS
@given(budget=st.floats(0.0, 3000.0), years=st.integers(1, 3))
def test_spending_never_exceeds_the_budget(ed, a, budget, years):
    alloc = optimize(a, ed, budget_bn=budget, years=years)
    assert alloc.spent_bn <= budget + 1e-9
    assert all(r.spend_bn >= 0 for r in alloc.levers)


def test_caps_hold_along_the_path(ed, a):
    big = replace(a, budget_bn_per_year=5000.0, horizon_year=2027)
    p = path(big, ed)
    fw = ed.framework
    prev = dict.fromkeys(fw.codes, 0.0)
    for y in p.years:
        assert y.spent_bn <= y.budget_bn + 1e-9
        for lv in a.levers:
            if not lv.moveable or lv.max_change_per_year_raw is None:
                continue
            i = fw.index[lv.code]
            per_raw = 100.0 / (ed.hi[i] - ed.lo[i])
            now = y.delta_score.get(lv.code, 0.0)
            assert now - prev[lv.code] <= lv.max_change_per_year_raw * per_raw + 1e-9, lv.code
            prev[lv.code] = now
    # the one-shot optimiser too: at most cap x (years the lever has acted)
    alloc = optimize(a, ed, budget_bn=5000.0, years=3)
    for r in alloc.levers:
        lv = a.lever(r.code)
        if lv.max_change_per_year_raw is not None:
            assert r.delta_raw <= lv.max_change_per_year_raw * (3 - lv.lag_years) + 1e-9


@pytest.mark.parametrize(("budget", "years"), [(2.0, 1), (50.0, 1), (400.0, 1), (50.0, 3)])
def test_optimiser_beats_simple_rules(ed, a, budget, years):
    best = optimize(a, ed, budget_bn=budget, years=years)
    best_pii, best_rank = engine_pii(ed, best)
    assert best_pii == pytest.approx(best.pii, abs=1e-9) and best_rank == best.rank
    others = rules(a, ed, budget, years)
    assert "equal" in others and len(others) == 1 + len(eligible_levers(a, ed, years))
    for name, alloc in others.items():
        assert alloc.spent_bn == pytest.approx(budget)
        assert best_pii >= engine_pii(ed, alloc)[0] - 1e-6, name
    # and every random split of the same money
    rng = np.random.default_rng(7)
    codes = eligible_levers(a, ed, years)
    for _ in range(20):
        shares = rng.dirichlet(np.full(len(codes), 0.3))
        alloc = evaluate_allocation(
            a, ed, dict(zip(codes, budget * shares, strict=True)), years=years
        )
        assert best_pii >= engine_pii(ed, alloc)[0] - 1e-6


def test_reach_a_rank_at_least_cost(ed, a):
    need = rank_threshold(a, ed, 10)
    ranks = api.ranking(2023)
    assert need == pytest.approx(float(ranks[ranks["rank"] == 10]["pii"].iloc[0]), abs=0.005)
    alloc = optimize(a, ed, objective="rank", target_rank=10, years=2)
    pii, rank = engine_pii(ed, alloc)
    assert rank <= 10 and rank == alloc.rank and pii >= need
    # least cost: 1 % less money a year cannot reach rank 10
    cheaper = optimize(a, ed, budget_bn=alloc.spent_bn * 0.99, years=2)
    assert cheaper.rank > 10
    with pytest.raises(ScenarioError, match="out of reach.*best reachable is rank"):
        optimize(a, ed, objective="rank", target_rank=3, budget_bn=10.0, years=1)
    already = optimize(a, ed, objective="rank", target_rank=20)
    assert already.spent_bn == 0 and already.rank == 11


def test_a_rank_beyond_the_ceiling_says_what_ceiling_reaches_it(ed, a):
    r = reach_rank(a, ed, 10, budget_bn=50.0)
    within = optimize(a, ed, budget_bn=50.0)  # the most PII the ceiling buys
    free = optimize(a, ed, objective="rank", target_rank=10)  # no ceiling
    assert not r.reached and r.target_rank == 10 and r.need_pii == rank_threshold(a, ed, 10)
    assert (r.best.pii, r.best.rank, r.best.spent_bn) == (within.pii, within.rank, within.spent_bn)
    assert r.ceiling_bn == pytest.approx(free.spent_bn) and r.unbounded.rank == 10
    with pytest.raises(ScenarioError) as exc:
        optimize(a, ed, objective="rank", target_rank=10, budget_bn=50.0)
    assert render(r.problem(), "vi") == render(exc.value, "vi")  # the same sentence as before
    # the ceiling it names is enough, and a little less is not
    enough = reach_rank(a, ed, 10, budget_bn=math.ceil(r.ceiling_bn))
    assert enough.reached and enough.best.rank <= 10 and enough.problem() is None
    assert enough.best.spent_bn == pytest.approx(r.ceiling_bn, rel=1e-6)
    assert not reach_rank(a, ed, 10, budget_bn=r.ceiling_bn * 0.99).reached


def test_a_rank_no_budget_reaches_names_the_best_reachable(ed, a):
    r = reach_rank(a, ed, 1, budget_bn=50.0)
    assert not r.reached and r.ceiling_bn is None
    with pytest.raises(ScenarioError) as exc:
        optimize(a, ed, objective="rank", target_rank=1)
    assert exc.value.params["best_rank"] == r.unbounded.rank
    assert exc.value.params["best_pii"] == pytest.approx(r.unbounded.pii)
    already = reach_rank(a, ed, 20, budget_bn=50.0)
    assert already.reached and already.best.spent_bn == 0 and already.ceiling_bn == 0


def test_bad_input_is_refused(ed, a):
    with pytest.raises(ScenarioError):
        optimize(a, ed, budget_bn=-1)
    with pytest.raises(ScenarioError):
        optimize(a, ed, budget_bn=float("nan"))
    with pytest.raises(ScenarioError, match="years"):
        optimize(a, ed, budget_bn=1, years=0)
    with pytest.raises(ScenarioError, match="objective"):
        optimize(a, ed, budget_bn=1, objective="fame")
    with pytest.raises(ScenarioError, match="no moveable lever"):
        evaluate_allocation(a, ed, {"1.2.1": 5.0})  # PCI: a bottleneck
    with pytest.raises(ScenarioError, match="saturation_raw"):
        a.with_lever("6.1.1", saturation_raw=None)


# --- assumptions ------------------------------------------------------------------------------


def test_assumptions_round_trip_through_json(a):
    edited = replace(
        a.with_lever("6.1.1", cost_million_vnd_per_item=150.0, lag_years=1),
        name="Kịch bản thận trọng",
        budget_bn_per_year=37.5,
        peers="drift:0.25",
    )
    for x in (a, edited):
        text = x.to_json()
        back = Assumptions.from_json(text)
        assert back == x and back.to_json() == text
    assert json.loads(edited.to_json())["levers"][0]["code"] == "1.1.1"
    with pytest.raises(ScenarioError, match="JSON"):
        Assumptions.from_json("{")
    bad = json.loads(a.to_json())
    bad["levers"][10]["lag_years"] = "two"
    with pytest.raises(ScenarioError, match="lag_years"):
        Assumptions.from_dict(bad)


@SETTINGS
@given(
    budget=st.floats(0, 1e4, allow_nan=False),
    growth=st.floats(-50, 100, allow_nan=False),
    horizon=st.integers(2024, 2043),
    drift=st.floats(-2, 2, allow_nan=False).map(lambda x: round(x, 3)),
)
def test_any_assumption_set_round_trips(a, budget, growth, horizon, drift):
    x = replace(
        a, budget_bn_per_year=budget, budget_growth_pct=growth, horizon_year=horizon,
        peers=f"drift:{drift}",
    )  # fmt: skip
    assert Assumptions.from_json(x.to_json()) == x


# --- the path to 2030 -----------------------------------------------------------------------


def test_seven_year_path_is_monotone(ed, a):
    p = path(a, ed)  # 2024..2030, 50 billion VND growing 10 % a year, peers static
    assert [y.year for y in p.years] == list(range(2024, 2031))
    budgets = [y.budget_bn for y in p.years]
    assert budgets == pytest.approx([50 * 1.1**t for t in range(7)])
    pii = [p.baseline_pii] + [y.pii for y in p.years]
    ranks = [p.baseline_rank] + [y.rank for y in p.years]
    assert all(b >= x - 1e-9 for x, b in zip(pii, pii[1:], strict=False))
    assert all(b <= x for x, b in zip(ranks, ranks[1:], strict=False))
    assert pii[-1] > pii[0]


@pytest.mark.parametrize("allocation", ["optimal", "equal", {"2.2.2": 2, "6.1.1": 1, "7.1.2": 1}])
@pytest.mark.parametrize("budget", [5.0, 300.0])
def test_path_is_monotone_when_the_budget_outgrows_the_economy(ed, a, allocation, budget):
    # growth at least the economy's (GRDP 15.82 % a year, NSO in statistics.csv): ratios hold
    x = replace(a, budget_bn_per_year=budget, budget_growth_pct=16.0)
    pii = [y.pii for y in path(x, ed, allocation=allocation).years]
    assert all(b >= x - 1e-9 for x, b in zip(pii, pii[1:], strict=False))


def test_peers_that_improve_cost_ranks_not_points(ed, a):
    static = path(a, ed)
    drift = path(replace(a, peers="drift:0.5"), ed)
    for s, d in zip(static.years, drift.years, strict=True):
        assert d.pii == pytest.approx(s.pii)  # frozen goalposts: own points do not change
        assert d.rank >= s.rank


def test_peers_on_their_trend(built, ed, a):
    trending = replace(a, peers="trend")
    with pytest.raises(ScenarioError, match="trend"):
        path(trending, ed)
    p = path(trending, ed, trend=api.trend_for(ed))  # 2023 -> 2024 change of every unit
    assert [y.pii for y in p.years] == pytest.approx([y.pii for y in path(a, ed).years])


def test_a_one_year_path_is_the_one_year_optimum_and_a_longer_one_starts_no_higher(ed, a):
    best = optimize(a, ed)
    one = path(replace(a, horizon_year=2024), ed).years
    assert len(one) == 1 and one[0].pii == pytest.approx(best.pii, abs=1e-9)
    assert one[0].rank == best.rank
    # over seven years every edition counts: 2024 may give way to later years, never exceed
    seven = path(a, ed).years
    assert seven[0].pii <= best.pii + 1e-9


def test_optimal_path_beats_equal_split(ed, a):
    best = sum(y.pii for y in path(a, ed).years)
    equal = sum(y.pii for y in path(a, ed, allocation="equal").years)
    assert best >= equal - 1e-6


# --- plan cost --------------------------------------------------------------------------------


def test_plan_cost(ed, a, plan):
    out = plan_cost(a, ed, plan)
    rows = {r["code"]: r for r in out["targets"]}
    assert list(rows) == plan.codes
    costs = [r["cost"] for r in out["targets"] if r["cost"] is not None]
    assert out["total"] == pytest.approx(math.fsum(costs), rel=1e-12)
    assert out["joint"] == pytest.approx(out["total"] - out["overlap"]) and out["overlap"] > 0
    # non-moveable targets: no cost, the bottleneck note instead
    for code in ("1.1.1", "1.2.1", "4.1.1", "4.2.2", "5.2.2"):
        assert rows[code]["cost"] is None and "seed row" in rows[code]["bottleneck"]
        assert rows[code]["bottleneck_vi"] == a.lever(code).note_vi
    # 2.2.2 exact: (25 - 17.07) / 100 x 0.24 % of GRDP (plan seed row 12; goalposts.csv)
    # times 209,150 billion VND / 100
    expected = (25 - 17.07) / 100 * 0.24 * GRDP_2024_BN / 100
    assert rows["2.2.2"]["cost"] == pytest.approx(expected, rel=1e-9)
    assert rows["2.2.2"]["persistence"] == "flow" and rows["2.2.2"]["years_needed"] == 1
    # what meeting the targets buys, recomputed with the plan as a scenario
    s = plan.scenario(ed)
    u = ed.unit_index("bac-giang")
    t = np.full((1, ed.framework.m), np.nan)
    for code, v in s.targets:
        t[0, ed.framework.index[code]] = v
    agg, _, _ = evaluate_targets(ed, u, t)
    assert out["buys"]["all_targets"]["pii"] == pytest.approx(float(agg.pii[0, u]))


def test_a_target_without_a_lever_says_so_in_both_languages(ed, a, plan):
    fewer = replace(a, levers=tuple(lv for lv in a.levers if lv.code != "1.2.1"))
    row = next(r for r in plan_cost(fewer, ed, plan)["targets"] if r["code"] == "1.2.1")
    assert row["bottleneck"] == "no lever in budget_levers.csv"
    assert row["bottleneck_vi"] == "không có đòn bẩy trong budget_levers.csv"


def test_plan_of_another_unit_is_refused(ed, a, plan):
    other = replace(a, unit="bac-ninh")
    with pytest.raises(ScenarioError, match="plan"):
        plan_cost(other, ed, plan)


# --- the commands -----------------------------------------------------------------------------


def run_cli(argv: list[str], capsys) -> tuple[int, str]:
    """The budget commands through a tiny argparse harness (not wired into `python -m model`)."""
    p = argparse.ArgumentParser(prog="python -m model")
    sub = p.add_subparsers(dest="command", required=True)
    add_commands(sub)
    args = p.parse_args(argv)
    code = args.fn(args)
    return code, capsys.readouterr().out


def test_cli_optimize_json(built, capsys):
    code, out = run_cli(
        ["optimize", "--unit", "bac-giang", "--edition", "2023", "--budget", "50", "--json"],
        capsys,
    )
    d = json.loads(out)
    assert code == 0
    assert {"allocation", "spent", "pii", "rank"} <= set(d)
    assert d["spent"] <= 50 + 1e-9 and d["rank"] >= 1 and d["pii"] > 46.51
    for r in d["allocation"]:
        assert {"code", "spend", "delta_raw", "delta_score"} <= set(r)
    assert d["rules"]["equal_split"]["pii"] <= d["pii"] + 1e-6
    assert d["rules"]["best_single"]["pii"] <= d["pii"] + 1e-6


def test_cli_optimize_rank_and_table(built, capsys):
    argv = ["optimize", "--unit", "bac-giang", "--objective", "rank", "--target-rank", "8"]
    code, out = run_cli([*argv, "--years", "3", "--json"], capsys)
    assert code == 0 and json.loads(out)["rank"] <= 8
    code, out = run_cli(["optimize", "--unit", "bac-giang", "--budget", "50"], capsys)
    assert code == 0
    assert "PII: 46,51 →" in out and "hạng 11" in out and "tỷ đồng/năm" in out


def test_cli_plan_cost(built, capsys):
    code, out = run_cli(["plan-cost", "--unit", "bac-giang", "--edition", "2023", "--json"], capsys)
    d = json.loads(out)
    assert code == 0 and {"targets", "total", "assumptions"} <= set(d)
    assert d["total"] == pytest.approx(math.fsum(r["cost"] or 0 for r in d["targets"]))
    pci = next(r for r in d["targets"] if r["code"] == "1.2.1")
    assert pci["cost"] is None and pci["bottleneck"]
    code, out = run_cli(["plan-cost", "--unit", "bac-giang"], capsys)
    assert code == 0 and "không mua được bằng tiền" in out and "Tổng" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["optimize", "--unit", "atlantis", "--budget", "5"], "unknown unit"),
        (["optimize", "--unit", "bac-giang", "--budget", "abc"], "not a number"),
        (["optimize", "--unit", "bac-giang"], "--budget"),
        (["optimize", "--unit", "bac-giang", "--budget", "5", "--years", "x"], "whole number"),
        (["optimize", "--unit", "bac-giang", "--objective", "rank"], "--target-rank"),
        (["plan-cost", "--unit", "bac-giang", "--plan", "nowhere"], "not found"),
    ],
)
def test_cli_bad_input(built, capsys, argv, message):
    with pytest.raises(ScenarioError, match=message):
        run_cli(argv, capsys)
