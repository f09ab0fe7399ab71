"""Movers, reach and attribution (model.movers), each checked against the full engine."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from model import api
from model.index.dataset import Edition
from model.index.engine import rank_desc
from model.index.framework import Framework, Indicator
from model.index.scenario import Scenario, evaluate_targets, simulate
from model.movers import (
    MoversError,
    attribution,
    movers,
    movers_frame,
    reach,
    shapley_values,
)
from model.paths import ROOT

SCALES = ("frozen", "renormalize")


@pytest.fixture(scope="module")
def ed(editions):
    return editions[2023]


@pytest.fixture(scope="module")
def plan(ed):
    return api.preset("plan-2024", Scenario(unit="bac-giang", edition=2023))


def _engine(ed, unit, own_rows, scale, peer_delta=None):
    """PII (S, n) through evaluate_targets for full rows of the unit's own values."""
    agg, _, _ = evaluate_targets(
        ed, ed.unit_index(unit), np.atleast_2d(own_rows), scale=scale, peer_delta=peer_delta
    )
    return agg.pii


def _strictly_ahead(pii_row, u, who):
    r = np.round(pii_row, 2)
    return all(r[u] > r[w] for w in who)


# --- movers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("unit", ["bac-giang", "ha-noi", "lai-chau"])
def test_weights_sum_to_one(ed, unit, scale):
    mv = movers(ed, unit, scale=scale)
    w = np.array([m.weight for m in mv])
    assert len(mv) == ed.framework.m == 52
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert w == pytest.approx(ed.framework.effective_weights(), abs=1e-15)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("unit", ["bac-giang", "lai-chau"])
def test_gains_match_the_engine_for_every_indicator(ed, unit, scale):
    mv = movers(ed, unit, scale=scale, step=10)
    u, m = ed.unit_index(unit), ed.framework.m
    start = np.array([x.score for x in mv])
    assert start == pytest.approx(ed.scores[u])  # baseline: scores are the start
    step_rows, best_rows, one_rows = (np.tile(start, (m, 1)) for _ in range(3))
    for i, x in enumerate(mv):
        assert x.step == pytest.approx(min(10.0, 100.0 - x.score))
        assert x.best_gain == pytest.approx(100.0 - x.score)
        step_rows[i, i] += x.step
        best_rows[i, i] += x.best_gain
        one_rows[i, i] += min(1.0, x.best_gain)
    at_step, at_best = _engine(ed, unit, step_rows, scale), _engine(ed, unit, best_rows, scale)
    at_one = _engine(ed, unit, one_rows, scale)
    assert [x.pii_at_step for x in mv] == pytest.approx(at_step[:, u], abs=1e-9)
    assert [x.rank_at_step for x in mv] == rank_desc(at_step)[:, u].tolist()
    assert [x.pii_at_best for x in mv] == pytest.approx(at_best[:, u], abs=1e-9)
    assert [x.rank_at_best for x in mv] == rank_desc(at_best)[:, u].tolist()
    p0 = ed.baseline().pii[u]
    for i, x in enumerate(mv):
        assert x.delta_pii_at_step == pytest.approx(at_step[i, u] - p0, abs=1e-9)
        d = min(1.0, x.best_gain)
        expected = (at_one[i, u] - p0) / d if d > 0 else 0.0
        assert x.delta_pii_per_point == pytest.approx(expected, abs=1e-9)
        if scale == "frozen" and d > 0:
            assert x.delta_pii_per_point == pytest.approx(x.weight, abs=1e-12)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("unit", ["bac-giang", "lai-chau", "long-an"])
def test_points_to_next_rank_overtake_and_one_point_less_does_not(ed, unit, scale):
    mv = movers(ed, unit, scale=scale)
    u = ed.unit_index(unit)
    who = [ed.unit_index(s) for s in mv.next_units]
    assert who and mv.next_pii == pytest.approx(round(float(ed.baseline().pii[who[0]]), 2))
    start = np.array([x.score for x in mv])
    reachable = [i for i, x in enumerate(mv) if x.points_to_next_rank is not None]
    assert reachable  # the test is not vacuous
    rows, less, best = (np.tile(start, (len(mv), 1)) for _ in range(3))
    for i, x in enumerate(mv):
        best[i, i] += x.best_gain
        if x.points_to_next_rank is not None:
            assert 0 < x.points_to_next_rank <= x.best_gain + 1e-9
            rows[i, i] += x.points_to_next_rank
            less[i, i] += x.points_to_next_rank - 1.0
    pii, pii_less, pii_best = (_engine(ed, unit, r, scale) for r in (rows, less, best))
    for i, x in enumerate(mv):
        if x.points_to_next_rank is None:  # unreachable: not even at the national best
            assert not _strictly_ahead(pii_best[i], u, who), x.code
        else:
            assert _strictly_ahead(pii[i], u, who), x.code
            assert not _strictly_ahead(pii_less[i], u, who), x.code
            assert x.rank_at_best <= min(ed.baseline().rank[w] for w in who)


def test_points_to_next_rank_frozen_is_linear(ed):
    mv = movers(ed, "bac-giang")
    x = mv.get("7.3.2")
    # Thái Nguyên 47.75 is next; Bắc Giang 46.51 needs 47.755 - 46.51 = 1.245 PII at 1/24 a point.
    assert mv.next_units == ("thai-nguyen",)
    assert x.weight == pytest.approx(1 / 24)
    assert x.points_to_next_rank == pytest.approx(1.245 * 24, abs=1e-6)


def test_the_leader_has_no_one_to_overtake(ed):
    mv = movers(ed, "ha-noi")
    assert mv.next_units == () and mv.next_pii is None
    assert all(x.points_to_next_rank is None for x in mv)


@pytest.mark.parametrize("scale", SCALES)
def test_movers_start_from_a_scenario(ed, plan, scale):
    s = Scenario(unit="bac-giang", edition=2023, targets=plan.targets, scale=scale)
    mv = movers(ed, s, step=5)
    out = simulate(ed, s)
    u = ed.unit_index("bac-giang")
    assert mv.pii == pytest.approx(out.result.pii[u], abs=1e-12)
    assert mv.rank == out.result.rank[u]
    for code, target in s.targets:
        expected = min(target, 100.0) if scale == "frozen" else target
        assert mv.get(code).score == pytest.approx(expected)
    # the start reproduces the scenario, and each step is checked through the engine
    start = np.array([x.score for x in mv])
    assert _engine(ed, "bac-giang", start, scale)[0, u] == pytest.approx(mv.pii, abs=1e-12)
    rows = np.tile(start, (52, 1))
    for i, x in enumerate(mv):
        rows[i, i] = x.score + x.step
    assert [x.pii_at_step for x in mv] == pytest.approx(_engine(ed, "bac-giang", rows, scale)[:, u])


def test_movers_frame_and_errors(ed):
    df = movers_frame(ed, "bac-giang", step=10)
    assert isinstance(df, pd.DataFrame) and len(df) == 52
    assert {"code", "name_vi", "pillar", "weight", "delta_pii_per_point", "pii_at_step"} <= set(
        df.columns
    ) and {"rank_at_step", "points_to_next_rank"} <= set(df.columns)
    assert df["points_to_next_rank"].isna().any() and df["points_to_next_rank"].notna().any()
    for bad in (0, -1, math.nan, math.inf):
        with pytest.raises(MoversError, match="positive"):
            movers(ed, "bac-giang", step=bad)
    with pytest.raises(Exception, match="valid units"):
        movers(ed, "atlantis")


# --- reach ----------------------------------------------------------------------------------


def _cheapest_on_grid(ed, unit, codes, k, scale, cap, step, cost):
    """Brute force: every grid combination through the engine; the cheapest that reaches k."""
    u, fw = ed.unit_index(unit), ed.framework
    idx = [fw.index[c] for c in codes]
    hi = [min(cap, 100.0 - ed.scores[u, i]) for i in idx]
    axes = [np.append(np.arange(0.0, h, step), h) for h in hi]
    grid = np.array(list(itertools.product(*axes)))  # (G, len(codes))
    rows = np.tile(ed.scores[u], (len(grid), 1))
    rows[:, idx] += grid
    best = math.inf
    for a in range(0, len(grid), 2000):
        pii = _engine(ed, unit, rows[a : a + 2000], scale)
        r = np.round(pii, 2)
        # strictly ahead of the unit now k-th among the others: (others >= own) < k
        ok = (np.delete(r, u, axis=1) >= r[:, [u]]).sum(axis=1) < k
        costs = grid[a : a + 2000] @ np.array([cost.get(c, 1.0) for c in codes])
        if ok.any():
            best = min(best, costs[ok].min())
    return best


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize(
    "cost", [{}, {"7.3.2": 2.0}, {"6.1.1": 3.0, "1.1.1": 0.5}], ids=["plain", "w1", "w2"]
)
def test_reach_is_minimal_against_brute_force(ed, scale, cost):
    codes = ["1.1.1", "6.1.1", "7.3.2"]
    r = reach(ed, "bac-giang", 10, cap=15, codes=codes, cost=cost, scale=scale)
    assert r.feasible and r.verified and r.minimal and r.rank <= 10
    assert {g.code for g in r.gains} <= set(codes)
    assert all(0 < g.delta_score <= 15 + 1e-9 for g in r.gains)
    assert r.cost == pytest.approx(sum(cost.get(g.code, 1.0) * g.delta_score for g in r.gains))
    grid_best = _cheapest_on_grid(ed, "bac-giang", codes, 10, scale, 15, 1.0, cost)
    assert grid_best < math.inf
    assert r.cost <= grid_best + 1e-6  # nothing on the grid is cheaper
    # and the LP is no cheaper than the grid point above it (each gain rounded up to a point)
    assert r.cost >= grid_best - sum(cost.get(c, 1.0) for c in codes)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize(("unit", "k", "cap"), [("bac-giang", 8, None), ("bac-giang", 5, 15)])
def test_reach_is_confirmed_by_the_engine(ed, scale, unit, k, cap):
    r = reach(ed, unit, k, cap=cap, scale=scale)
    assert r.feasible and r.verified
    u = ed.unit_index(unit)
    own = ed.scores[u].copy()
    for g in r.gains:
        i = ed.framework.index[g.code]
        assert g.from_score == pytest.approx(ed.scores[u, i])
        assert g.to_score == pytest.approx(g.from_score + g.delta_score)
        assert g.to_score <= 100.0 + 1e-9
        if cap is not None:
            assert g.delta_score <= cap + 1e-9
        own[i] = g.to_score
    pii = _engine(ed, unit, own, scale)[0]
    assert rank_desc(pii)[u] <= k and r.rank == rank_desc(pii)[u]
    assert r.pii == pytest.approx(pii[u])
    assert r.total_points == pytest.approx(sum(g.delta_score for g in r.gains))
    # as a scenario, through simulate
    s = Scenario(unit=unit, edition=2023, targets=tuple(r.targets().items()), scale=scale)
    assert simulate(ed, s).result.rank[u] <= k


def test_reach_renormalize_with_indicators_at_the_national_minimum(ed):
    # Bắc Giang scores 0 on 6.3.3: raising it first lifts the minimum (others lose points).
    assert ed.scores[ed.unit_index("bac-giang"), ed.framework.index["6.3.3"]] == 0
    codes = ["6.3.3", "6.2.3", "1.1.1"]
    r = reach(ed, "bac-giang", 10, codes=codes, scale="renormalize")
    assert r.feasible and r.verified and r.rank <= 10
    assert not r.minimal  # not provable there
    grid_best = _cheapest_on_grid(ed, "bac-giang", codes, 10, "renormalize", 100, 5.0, {})
    assert r.cost <= grid_best + 1e-6


@pytest.mark.parametrize("scale", SCALES)
def test_reach_infeasible_when_caps_make_it_impossible(ed, scale):
    r = reach(ed, "bac-giang", 1, cap=5, scale=scale)
    assert not r.feasible and r.gains == () and r.best_rank > 1
    u = ed.unit_index("bac-giang")
    own = ed.scores[u] + np.minimum(5.0, 100.0 - ed.scores[u])
    assert rank_desc(_engine(ed, "bac-giang", own, scale)[0])[u] == r.best_rank
    one = reach(ed, "bac-giang", 10, codes=["5.2.3"], scale=scale)  # weight 1/90: not enough
    assert not one.feasible
    # the same target is feasible once the cap allows it
    assert reach(ed, "bac-giang", 10, cap=30, scale=scale).feasible


def test_reach_already_there_and_bad_input(ed):
    r = reach(ed, "ha-noi", 1)
    assert r.feasible and r.gains == () and r.rank == 1 and r.total_points == 0
    assert reach(ed, "bac-giang", 11).gains == ()
    for bad in (0, 64, -1, 2.5, True):
        with pytest.raises(MoversError, match="between 1 and 63"):
            reach(ed, "bac-giang", bad)
    with pytest.raises(MoversError, match="valid codes"):
        reach(ed, "bac-giang", 8, codes=["9.9.9"])
    with pytest.raises(MoversError, match="cap"):
        reach(ed, "bac-giang", 8, cap=0)
    with pytest.raises(MoversError, match="cost"):
        reach(ed, "bac-giang", 8, cost={"1.1.1": -1})


def test_reach_cap_is_per_year(ed):
    s = Scenario(unit="bac-giang", edition=2023, target_year=2025)  # two years
    r = reach(ed, s, 8, cap=10)
    assert r.feasible and max(g.delta_score for g in r.gains) == pytest.approx(20.0)


# --- attribution ----------------------------------------------------------------------------


def test_shapley_equals_linear_contributions_in_frozen_mode(ed, plan):
    small = Scenario(unit="bac-giang", edition=2023, targets=plan.targets[:8])
    for s in (small, plan):  # 8 changes: exact; 17: Monte Carlo
        lin = attribution(ed, s, method="linear")
        sh = attribution(ed, s, method="shapley")
        assert sh.method == ("shapley-exact" if s is small else "shapley-monte-carlo")
        assert lin.method == "linear" and attribution(ed, s).method == "linear"
        assert sh.as_dict() == pytest.approx(lin.as_dict(), abs=1e-9)
        out = simulate(ed, s)
        assert lin.as_dict() == pytest.approx(
            {c.code: c.delta_pii for c in out.contributions}, abs=1e-12
        )
        assert sh.total == pytest.approx(out.summary()["scenario"]["pii"] - 46.51, abs=1e-9)
        assert sum(sh.as_dict().values()) == pytest.approx(sh.total, abs=1e-9)
        assert all(x.stderr == pytest.approx(0.0, abs=1e-9) for x in sh)


@pytest.mark.parametrize("peers", ["static", "drift:1"])
def test_shapley_efficiency_in_renormalize_mode(ed, plan, peers):
    targets = (*plan.targets[:9], ("6.3.3", 5.0), ("7.3.2", 130.0))  # beyond the maximum too
    s = Scenario(unit="bac-giang", edition=2023, targets=targets, scale="renormalize", peers=peers)
    a = attribution(ed, s)
    assert a.method == "shapley-exact" and len(a.items) == 11
    out = simulate(ed, s)
    u = ed.unit_index("bac-giang")
    assert a.pii == pytest.approx(out.result.pii[u], abs=1e-9)
    assert sum(x.delta_pii for x in a) == pytest.approx(a.total, abs=1e-9)
    assert a.start_pii + a.total == pytest.approx(out.result.pii[u], abs=1e-9)
    assert (a.peers_effect == 0) == (peers == "static")


# A tiny edition with two missing values in one group: filling them re-weights the group, so
# the indicators interact (beyond pairs: the group mean divides by the weights present).
def _tiny_edition() -> Edition:
    inds = [
        Indicator("1.1.1", "1.1", "1", "a", "a"),
        Indicator("1.1.2", "1.1", "1", "b", "b", weight=3.0),
        Indicator("1.1.3", "1.1", "1", "b", "b", weight=2.0),
        Indicator("1.2.1", "1.2", "1", "c", "c"),
    ] + [Indicator(f"{p}.1.1", f"{p}.1", str(p), "x", "x") for p in range(2, 8)]
    fw = Framework(2023, tuple(inds))
    rng = np.random.default_rng(7)
    scores = rng.uniform(0, 100, size=(5, fw.m))
    scores[:, :] = (scores - scores.min(0)) / (scores.max(0) - scores.min(0)) * 100
    scores[0, [0, 2]] = np.nan  # unit "u0" has no value for 1.1.1 and 1.1.3
    units = pd.DataFrame({"slug": [f"u{j}" for j in range(5)], "name_vi": "x", "name_en": "x"})
    lo, hi = np.zeros(fw.m), np.full(fw.m, 100.0)
    return Edition(2023, fw, units, scores, scores.copy(), lo, hi, np.full(scores.shape, "x"))


CHANGES = [("1.1.1", 90.0), ("1.1.2", 20.0), ("1.1.3", 10.0), ("1.2.1", 70.0), ("6.1.1", 95.0)]


@pytest.mark.parametrize("scale", SCALES)
def test_shapley_with_interactions_is_efficient_and_order_free(scale):
    tiny = _tiny_edition()
    sv = shapley_values(tiny, "u0", CHANGES, scale=scale)
    assert sv.method == "exact"
    assert sv.values.sum() == pytest.approx(sv.v_full - sv.v_empty, abs=1e-12)
    # interactions: the values differ from each indicator's effect on its own
    alone = [
        shapley_values(tiny, "u0", [c], scale=scale).values[0] for c in CHANGES
    ]  # one player: its own effect
    assert not np.allclose(sv.values, alone, atol=1e-6)
    ref = dict(zip(sv.codes, sv.values, strict=True))
    for perm in itertools.permutations(CHANGES):
        other = shapley_values(tiny, "u0", list(perm), scale=scale)
        assert dict(zip(other.codes, other.values, strict=True)) == pytest.approx(ref, abs=1e-12)


def test_shapley_two_players_by_hand():
    tiny = _tiny_edition()
    a, b = CHANGES[0], CHANGES[1]  # 1.1.1 (filled) and 1.1.2 interact in group 1.1
    u = 0

    def v(*chs):
        t = np.full(tiny.framework.m, np.nan)
        for c, x in chs:
            t[tiny.framework.index[c]] = x
        agg, _, _ = evaluate_targets(tiny, u, t[None, :])
        return agg.pii[0, u]

    sv = shapley_values(tiny, "u0", [a, b])
    phi_a = 0.5 * ((v(a) - v()) + (v(a, b) - v(b)))
    phi_b = 0.5 * ((v(b) - v()) + (v(a, b) - v(a)))
    assert sv.values == pytest.approx([phi_a, phi_b], abs=1e-12)


def test_shapley_monte_carlo_estimate(ed):
    tiny = _tiny_edition()
    exact = shapley_values(tiny, "u0", CHANGES)
    mc = shapley_values(tiny, "u0", CHANGES, exact_max=0, permutations=400, seed=1)
    assert mc.method == "monte-carlo" and mc.permutations == 400
    assert mc.values.sum() == pytest.approx(exact.values.sum(), abs=1e-12)  # efficient exactly
    assert np.all(mc.stderr > 0)
    assert np.all(np.abs(mc.values - exact.values) <= 5 * mc.stderr + 1e-12)
    # the estimate does not depend on the order given, and the seed fixes it
    rev = shapley_values(tiny, "u0", CHANGES[::-1], exact_max=0, permutations=400, seed=1)
    assert dict(zip(rev.codes, rev.values, strict=True)) == pytest.approx(
        dict(zip(mc.codes, mc.values, strict=True)), abs=1e-12
    )
    other = shapley_values(tiny, "u0", CHANGES, exact_max=0, permutations=400, seed=2)
    assert not np.allclose(other.values, mc.values)


def test_an_out_of_reach_rank_is_a_movers_error_in_the_readers_language(ed):
    r = reach(ed, "bac-giang", 10, cap=1)
    assert not r.feasible and reach(ed, "bac-giang", 11).out_of_reach() is None
    err = r.out_of_reach()
    assert isinstance(err, MoversError)
    vi, en = err.render("vi"), err.render("en")
    u = np.flatnonzero(ed.baseline().rank == 10)[0]
    pii = round(float(ed.baseline().pii[u]), 2)  # the unit now 10th: 47.75
    assert f"{pii:.2f}".replace(".", ",") in vi and f"{pii:.2f}" in en
    assert "hạng 10" in vi and "rank 10" in en and "out of reach" in str(err)


# --- which indicators may move (issue 13, item 13) --------------------------------------------

OUTCOMES = ("7.2.1", "7.2.2", "7.2.3", "7.3.1", "7.3.2", "4.3.1", "4.3.2")


def test_every_indicator_of_every_edition_has_an_actionable_flag_and_a_reason():
    fw_rows = pd.read_csv(ROOT / "data" / "sources" / "framework.csv", dtype=str)
    rows = pd.read_csv(
        ROOT / "data" / "sources" / "actionable.csv", dtype=str, keep_default_na=False
    )
    assert list(rows.columns) == [
        "edition",
        "code",
        "actionable",
        "reason_vi",
        "reason_en",
        "source",
    ]
    keys = list(zip(rows["edition"], rows["code"], strict=True))
    assert len(keys) == len(set(keys))
    assert set(keys) == set(zip(fw_rows["edition"], fw_rows["code"], strict=True))
    assert set(rows["actionable"]) == {"yes", "no"}
    for col in ("reason_vi", "reason_en", "source"):
        assert (rows[col].str.strip() != "").all(), col


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_the_framework_carries_the_flag(editions, year):
    fw = editions[year].framework
    assert all(isinstance(i.actionable, bool) for i in fw.indicators)
    assert all(i.actionable_reason("vi") and i.actionable_reason("en") for i in fw.indicators)
    assert fw.indicator("7.3.1").actionable_reason("en") != fw.indicator("7.3.1").actionable_reason(
        "vi"
    )
    for code in OUTCOMES:  # outcome statistics: no department moves them
        assert not fw.indicator(code).actionable, code
    for code in ("1.1.1", "1.2.1", "2.2.2", "2.2.3", "3.1.3", "6.1.1", "7.1.2"):
        assert fw.indicator(code).actionable, code
    assert set(fw.actionable_codes()) == {i.code for i in fw.indicators if i.actionable}


def test_allowed_codes(ed):
    from model.budget import load_levers
    from model.movers import WITHIN, allowed_codes

    fw = ed.framework
    assert set(WITHIN) >= {"actionable", "plan", "levers", "all", "custom"}
    assert allowed_codes(ed, "all") == fw.codes
    default = allowed_codes(ed)
    assert default == allowed_codes(ed, "actionable") == tuple(fw.actionable_codes())
    assert not set(OUTCOMES) & set(default)
    plan = api.plan()
    assert allowed_codes(ed, "plan", plan=plan) == tuple(c for c in fw.codes if c in plan.codes)
    assert allowed_codes(ed, "plan", plan=["2.2.3", "1.1.1"]) == ("1.1.1", "2.2.3")
    moveable = {lv.code for lv in load_levers() if lv.moveable}
    assert set(allowed_codes(ed, "levers")) == moveable
    assert allowed_codes(ed, "custom", codes=["6.1.1", "1.1.1"]) == ("1.1.1", "6.1.1")
    for kwargs, match in [
        ({"within": "nowhere"}, "actionable, plan, levers, all, custom"),
        ({"within": "plan"}, "plan"),
        ({"within": "custom"}, "at least one"),
        ({"within": "custom", "codes": []}, "at least one"),
        ({"within": "custom", "codes": ["9.9.9"]}, "valid codes"),
        ({"within": "all", "codes": ["1.1.1"]}, "custom"),
    ]:
        with pytest.raises(MoversError, match=match):
            allowed_codes(ed, **kwargs)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize(("k", "cap"), [(8, None), (8, 30.0), (8, 15.0), (5, None)])
def test_reach_within_the_actionable_indicators_never_proposes_an_outcome(ed, scale, k, cap):
    from model.movers import allowed_codes

    everything = reach(ed, "bac-giang", k, cap=cap, scale=scale)
    actionable = set(ed.framework.actionable_codes())
    assert {g.code for g in everything.gains} - actionable  # outcomes too (the issue: 7.3.x)
    r = reach(ed, "bac-giang", k, cap=cap, scale=scale, codes=allowed_codes(ed))
    assert r.feasible and r.verified and r.rank <= k
    assert {g.code for g in r.gains} <= actionable
