"""Monte Carlo rank uncertainty (model.movers.uncertainty): reproducible, paired, and true to the engine."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from model import api
from model.index.engine import aggregate, rank_desc
from model.index.scenario import Scenario
from model.movers.uncertainty import (
    UncertaintyError,
    flagged,
    kurtosis,
    skewness,
    treat_column,
    treat_outliers,
    uncertainty,
)

RUNS = 400


@pytest.fixture(scope="module")
def ed(editions):
    return editions[2023]


@pytest.fixture(scope="module")
def plan(ed):
    return api.preset("plan-2024", Scenario(unit="bac-giang", edition=2023))


@pytest.fixture(scope="module")
def with_plan(ed, plan):
    return uncertainty(ed, plan, runs=RUNS)


# --- outliers -------------------------------------------------------------------------------


def test_skewness_and_kurtosis_are_the_sample_estimators():
    rng = np.random.default_rng(3)
    x = rng.lognormal(0, 1, size=(63, 4))
    x[5, 2] = np.nan
    for j in range(4):
        col = x[~np.isnan(x[:, j]), j]
        assert skewness(x)[j] == pytest.approx(stats.skew(col, bias=False))
        assert kurtosis(x)[j] == pytest.approx(stats.kurtosis(col, bias=False))


def test_one_outlier_is_winsorised():
    x = np.r_[np.linspace(10, 20, 62), 200.0]
    assert flagged(x[:, None])[0]
    treated, how = treat_column(x)
    assert how == "winsorised:1"
    assert treated[-1] == pytest.approx(20.0) and np.array_equal(treated[:-1], x[:-1])
    assert not flagged(treated[:, None])[0]


def test_many_outliers_are_logged_and_low_outliers_winsorised_from_below():
    x = np.r_[np.linspace(1, 2, 55), [50, 60, 70, 80, 90, 100, 110, 400.0]]
    assert flagged(x[:, None])[0]
    treated, how = treat_column(x)
    lo, hi = x.min(), x.max()
    assert how == "log" and treated == pytest.approx(np.log(x - lo + 0.01 * (hi - lo)))
    low = np.r_[-200.0, np.linspace(10, 20, 62)]
    t, how = treat_column(low)
    assert how == "winsorised:1" and t[0] == pytest.approx(10.0)


def test_treat_outliers_renormalises_in_the_raw_orientation():
    rng = np.random.default_rng(5)
    scores = rng.uniform(0, 100, size=(63, 3))
    scores[:, 1] = np.r_[np.linspace(0, 10, 62), 100.0]  # a high outlier
    direction = np.array([1.0, -1.0, 1.0])
    out, done = treat_outliers(scores, direction)
    assert set(done) == {1}
    assert np.array_equal(out[:, [0, 2]], scores[:, [0, 2]])
    # "lower is better": raw = 100 - score has a LOW outlier, winsorised to the next value;
    # then re-normalised: the best raw value (lowest) scores 100 again
    assert out[:, 1].min() == pytest.approx(0.0) and out[:, 1].max() == pytest.approx(100.0)
    assert out[-1, 1] == pytest.approx(100.0) and out[-2, 1] == pytest.approx(100.0)


# --- the Monte Carlo ------------------------------------------------------------------------


def test_same_seed_same_output_other_seed_other_draws(ed):
    a = uncertainty(ed, "bac-giang", runs=RUNS, seed=2024)
    b = uncertainty(ed, "bac-giang", runs=RUNS, seed=2024)
    c = uncertainty(ed, "bac-giang", runs=RUNS, seed=7)
    assert np.array_equal(a.ranks, b.ranks) and a.parameters.equals(b.parameters)
    assert a.summary() == b.summary()
    weights = [f"pillar_{p}" for p in range(1, 8)]
    assert not np.allclose(a.parameters[weights], c.parameters[weights])
    assert not a.parameters["aggregation"].equals(c.parameters["aggregation"])
    assert a.seed == 2024 and c.seed == 7


def test_ha_noi_leads_in_every_interval_and_quantiles_are_ordered(ed, with_plan):
    hn = ed.unit_index("ha-noi")
    # Hà Nội leads (published 1st): in the median and the lower bound always; since the
    # estimates below the PII follow the published profiles (issue 22), some reconstructed
    # columns are skewed enough for the outlier rule, and in the runs that treat them Hà Nội
    # can come second, so the 95th percentile is at most 2.
    assert with_plan.median[hn] == 1 and with_plan.p5[hn] == 1 and with_plan.p95[hn] <= 2
    for med, lo, hi in (
        (with_plan.median, with_plan.p5, with_plan.p95),
        (with_plan.scenario_median, with_plan.scenario_p5, with_plan.scenario_p95),
    ):
        assert np.all(lo <= med) and np.all(med <= hi)
        assert np.all(lo >= 1) and np.all(hi <= ed.n)
    assert np.all(with_plan.median == np.percentile(with_plan.ranks, 50, axis=0, method="lower"))
    table = with_plan.table()
    assert len(table) == ed.n and table.iloc[0]["unit"] == "ha-noi"
    assert {"median_rank", "p5", "p95", "scenario_median_rank"} <= set(table.columns)


def test_parameter_table_has_one_row_per_run(ed, with_plan):
    p = with_plan.parameters
    assert len(p) == RUNS and p["run"].tolist() == list(range(1, RUNS + 1))
    assert set(p["aggregation"]) == {"arithmetic", "geometric"}
    assert set(p["outliers"]) == {True, False}
    w = p[[f"pillar_{k}" for k in range(1, 8)]].to_numpy()
    assert w.sum(axis=1) == pytest.approx(np.ones(RUNS))
    ratio = w / ed.framework.pillar_weights  # U(0.8, 1.2) x nominal, renormalised
    assert ratio.min() > 0.8 / 1.2 - 1e-12 and ratio.max() < 1.2 / 0.8 + 1e-12
    u = ed.unit_index("bac-giang")
    assert np.array_equal(p["rank_baseline"], with_plan.ranks[:, u])
    assert np.array_equal(p["rank_scenario"], with_plan.scenario_ranks[:, u])

    ind = uncertainty(ed, "bac-giang", runs=50, weights="indicator")
    cols = [c for c in ind.parameters.columns if c.startswith("indicator_")]
    assert len(ind.parameters) == 50 and len(cols) == 52
    fw = ed.framework
    for g in fw.groups:  # within-group weights sum to 1
        members = [f"indicator_{c}" for c in fw.codes_in(group=g)]
        assert ind.parameters[members].sum(axis=1).to_numpy() == pytest.approx(np.ones(50))


@pytest.mark.parametrize("weights", ["pillar", "indicator"])
def test_without_any_variation_every_run_is_the_engine(ed, weights):
    r = uncertainty(
        ed,
        runs=20,
        spread=0.0,
        weights=weights,
        vary_aggregation=False,
        vary_outliers=False,
    )
    assert np.array_equal(r.ranks, np.tile(ed.baseline().rank, (20, 1)))
    assert np.array_equal(r.median, ed.baseline().rank)


@pytest.mark.parametrize("weights", ["pillar", "indicator"])
def test_each_run_is_reproduced_by_hand(ed, weights):
    r = uncertainty(ed, "bac-giang", runs=60, weights=weights, vary_outliers=False)
    fw, p = ed.framework, r.parameters
    for run in (0, 1, 2, 3, 4, 5, 58, 59):
        row = p.iloc[run]
        if weights == "pillar":
            pw = row[[f"pillar_{k}" for k in range(1, 8)]].to_numpy(float)
            pillars = aggregate(fw, ed.scores).pillars
        else:  # the engine with the drawn indicator weights
            pw = fw.pillar_weights
            wn = row[[f"indicator_{c}" for c in fw.codes]].to_numpy(float)
            groups = (ed.scores * wn) @ (fw.w_raw > 0).astype(float)
            pillars = groups @ fw.w_pillar
        if row["aggregation"] == "geometric":
            pii = np.exp(np.log(1 + 0.99 * pillars) @ pw)  # scores shifted to 1-100
        else:
            pii = pillars @ pw
        assert np.array_equal(r.ranks[run], rank_desc(pii)), run


def test_scenario_shares_the_draws(ed, plan):
    same = uncertainty(ed, Scenario(unit="bac-giang", edition=2023), runs=100)
    assert np.array_equal(same.scenario_ranks, same.ranks)  # no targets: identical runs
    assert same.gain_share() == 0.0
    both = uncertainty(ed, plan, runs=100)
    alone = uncertainty(ed, "bac-giang", runs=100)
    assert np.array_equal(both.ranks, alone.ranks)
    assert both.parameters.drop(columns="rank_scenario").equals(alone.parameters)


def test_verdict_and_summary(ed, plan, with_plan):
    s = with_plan.summary()
    assert {"median_rank", "p5", "p95", "runs", "scenario", "verdict", "gain_share"} <= set(s)
    u = ed.unit_index("bac-giang")
    share = float((with_plan.scenario_ranks[:, u] < with_plan.ranks[:, u]).mean())
    assert s["gain_share"] == pytest.approx(share) and 0 < share <= 1
    assert s["scenario"]["rank"] == 9 and s["rank"] == 11  # the plan: 11 -> 9 (frozen)
    pct = f"{round(100 * share)}%"
    assert pct in with_plan.verdict(lang="en") and pct in with_plan.verdict(lang="vi")
    beyond = with_plan.scenario_median[u] < with_plan.p5[u]
    assert s["beyond_interval"] == beyond
    assert ("beyond" in s["verdict"]) == beyond and ("within" in s["verdict"]) != beyond
    with pytest.raises(UncertaintyError):
        uncertainty(ed, "bac-giang", runs=10).verdict()


def test_an_extreme_target_is_treated_as_an_outlier(ed):
    # Raising one indicator far beyond the national maximum (renormalize) squeezes everyone
    # else near 0: the column becomes skewed and the outlier rule treats it in those runs.
    s = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 500.0),), scale="renormalize")
    r = uncertainty(ed, s, runs=200)
    # the baseline may treat other skewed columns, but not 2.2.3: the target made it skewed
    assert "2.2.3" not in r.treated and "2.2.3" in r.scenario_treated
    on = r.parameters["outliers"].to_numpy()
    off = uncertainty(ed, s, runs=200, vary_outliers=False)
    changed = (r.scenario_ranks != off.scenario_ranks).any(axis=1)
    assert changed[on].any() and not changed[~on].any()


def test_bad_settings_are_refused(ed):
    for kwargs in (
        {"runs": 0},
        {"runs": 100_001},
        {"runs": 2.5},
        {"spread": 1.0},
        {"spread": -0.1},
        {"seed": -1},
        {"weights": "group"},
    ):
        with pytest.raises(UncertaintyError):
            uncertainty(ed, "bac-giang", **kwargs)
    with pytest.raises(Exception, match="valid units"):
        uncertainty(ed, "atlantis", runs=10)
