"""Public statistics of every province (data/sources/correlates.csv, model/estimates/correlates.py) and
how the priors and the reconstruction use them and the other editions (model/estimates/priors.py,
model/estimates/slots.py, model/estimates/reconstruct.py).

Numbers quoted with their source are published results (data/sources/published.csv) or the
statistics' own tables (the `source` column of correlates.csv).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from model import i18n, paths
from model.estimates import correlates, priors, reconstruct
from model.estimates.build import code_digest
from model.estimates.quality import validate
from model.estimates.reconstruct import without
from model.estimates.slots import SEED
from model.estimates.sources import SourceError, load_sources

LEGACY_SEEDS = 4  # draws of the first priors' seeded profiles


@pytest.fixture(scope="module")
def s():
    return load_sources(paths.sources_dir(), code_digest())


def test_every_statistic_covers_the_63_provinces_once_with_its_source(s):
    c = s.correlates
    slugs = set(s.units_of(2023)["slug"])
    for name, _how, _sign in correlates.DEVELOPMENT:
        rows = c[c["indicator"] == name]
        assert set(rows["unit"]) == slugs and len(rows) == 63, name
        assert rows["source"].str.len().gt(20).all(), name
        assert rows["year"].between(2020, 2023).all(), name


def test_a_statistic_for_an_unknown_province_is_refused_with_its_line(tmp_path, s):
    src = paths.sources_dir()
    for f in src.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    bad = pd.read_csv(src / "correlates.csv", dtype=str, keep_default_na=False)
    bad.loc[5, "unit"] = "atlantis"
    bad.to_csv(tmp_path / "correlates.csv", index=False)
    with pytest.raises(SourceError) as e:
        load_sources(tmp_path)
    assert e.value.msg_id == "sources.err_correlate"
    assert e.value.params["line"] == 7 and e.value.params["unit"] == "atlantis"
    assert "atlantis" in i18n.render(e.value, "vi")


def test_development_orders_the_capital_above_the_far_north_west(s):
    dev = correlates.development(s, 2023)
    assert set(dev) == set(s.units_of(2023)["slug"])
    assert np.mean(list(dev.values())) == pytest.approx(0.0, abs=1e-9)
    # Hà Nội: income 6,869 thousand VND a month, poverty 0.1 %; Lai Châu: among the poorest.
    assert dev["ha-noi"] > 0 > dev["lai-chau"]


def test_a_merged_unit_takes_its_parts_statistics_by_population(s):
    dev25 = correlates.development(s, 2025)
    assert set(dev25) == set(s.units_of(2025)["slug"])
    # Only the population weights move a merged unit: equal weights give another score.
    flat = dataclasses.replace(s, units=s.units.assign(population_thousand=1.0))
    assert correlates.development(flat, 2025)["tuyen-quang"] != dev25["tuyen-quang"]


def test_without_a_statistic_for_every_unit_there_is_no_development_score(s):
    c = s.correlates
    partial = dataclasses.replace(s, correlates=c[c["unit"] != "lai-chau"])
    assert correlates.development(partial, 2023) == {}
    # ... and the priors fall back on geography (a prior for every unpublished unit still).
    pr = priors.expected_pii(partial, 2023)
    known, _ = priors.published_pii(partial, 2023)
    assert set(pr.mean) == set(s.units_of(2023)["slug"]) - set(known)


# --- reading another edition at the same place ------------------------------------------------


def test_a_rank_in_another_edition_reads_as_the_score_at_that_place(s):
    # Bắc Giang 43.53, 10th in 2024 (plan 15/KH-UBND-2026) reads, in 2023 terms, as the score
    # 2023 published at 10th: Thái Nguyên's 47.75 (its own 2023 point, 11th, is left out).
    got = priors.at_same_place(s, 2024, 2023, {"bac-giang": 43.53})
    assert got["bac-giang"] == pytest.approx(47.75)


def test_beyond_the_published_end_a_figure_keeps_its_distance(s):
    # Hidden Hà Nội, 60.76 and 1st in 2024: 2023's curve starts at TP HCM's 55.85 (2nd), and
    # 2024's 2nd scored 55.81, so Hà Nội reads 55.85 + (60.76 - 55.81) = 60.80.
    hidden = without(s, [(2023, "ha-noi")])
    got = priors.at_same_place(hidden, 2024, 2023, {"ha-noi": 60.76})
    assert got["ha-noi"] == pytest.approx(55.85 + 60.76 - 55.81)


def test_too_few_pairs_keep_the_shift(s):
    """With fewer than MIN_CHOICE_PAIRS units published in both editions the place reading is
    never chosen, whatever its error."""
    known = {f"u{k}": 40.0 + k for k in range(6)}
    todo = ["x"]
    shift = {**{u: v - 1.0 for u, v in known.items()}, "x": 30.0}
    place = {**{u: v for u, v in known.items()}, "x": 50.0}  # a perfect fit: error 0
    feats = {"same:2024": shift, "place-same:2024": place}
    num, den = priors._other_editions(feats, known, todo)
    assert num["x"] / den["x"] == pytest.approx(31.0)  # 30 + the mean shift of 1
    many = {f"u{k}": 40.0 + k for k in range(priors.MIN_CHOICE_PAIRS)}
    feats = {
        "same:2024": {**{u: v - 1.0 + (k % 2) for k, (u, v) in enumerate(many.items())}, "x": 30},
        "place-same:2024": {**many, "x": 50.0},
    }
    num, den = priors._other_editions(feats, many, todo)
    assert num["x"] / den["x"] == pytest.approx(50.0, abs=0.01)


# --- published ranks inside a region ----------------------------------------------------------


def test_published_ranks_inside_a_region_hold_and_others_are_not_imposed(s):
    """Phú Thọ "region rank 3/14 TDMNPB" at 20th: exactly two of the region's provinces rank
    above it (https://vnexpress.net/16-tinh-thanh-dung-dau-cac-vung-kinh-te-ve-doi-moi-sang-tao-4721102.html).
    Hà Tĩnh's "region rank 4 Bắc Trung Bộ" names half a planning region: not imposed."""
    from model.estimates.slots import region_rank
    from model.index.engine import aggregate

    rec = reconstruct.reconstruct_all(s)
    p = s.published
    checked = 0
    for year in (2023, 2024, 2025):
        udf = s.units_of(year)
        pii = aggregate(s.framework_of(year), rec[year].scores).pii
        value = dict(zip(udf["slug"], pii, strict=True))
        region = dict(zip(udf["slug"], udf["region"], strict=True))
        rows = p[(p["edition"] == year) & (p["level"] == "pii")]
        for r in rows.itertuples():
            kn = region_rank(r.note)
            members = [u for u in region if region[u] == region.get(r.unit)]
            if kn is None or kn[1] != len(members):
                continue
            above = sum(1 for u in members if value[u] > value[r.unit])
            assert above == kn[0] - 1, (year, r.unit)
            checked += 1
    # Ten, and three released 12/2026: Đồng Tháp 3/13, Tiền Giang 4/13, Vĩnh Long 6/13 ĐBSCL
    # (data/sources/framework_evidence.csv R1).
    assert checked == 13
    assert region_rank("region rank 4 Bắc Trung Bộ") is None


def test_a_level_leans_on_a_precise_prior_but_stays_between_its_neighbours():
    levels = {"a": 50.0, "x": 45.0, "b": 40.0}
    slot = {"a": 10, "x": 11, "b": 12}
    known = {"a": 50.0, "b": 40.0}
    # A vague prior barely moves the curve's 45; a precise one at 60 is held below 50.
    vague = reconstruct._lean_on_priors(levels, slot, known, {"x": 48.0}, {"x": 0.01})
    assert 45.0 < vague["x"] < 45.5
    sharp = reconstruct._lean_on_priors(levels, slot, known, {"x": 60.0}, {"x": 100.0})
    assert sharp["x"] == pytest.approx(50.0 - reconstruct.GAP)


# --- the measured result ----------------------------------------------------------------------


@pytest.mark.parametrize("year", [2023, 2024])
def test_the_out_of_fold_error_is_at_most_half_of_the_first_priors(s, year, monkeypatch):
    """The issue's target: today's mean absolute PII error out of fold (the stored errors,
    which test_validate checks are the current model's) is at most half of the first priors'
    (reconstruct.PRIORS = "legacy", on the same facts). The first priors draw a seeded random
    profile, and their error is one draw of it: on 2023 with the facts of 8/12/2026 it is 3.28,
    4.36, 3.91 and 3.03 with four seeds (the first alone fell from 3.57 when TP HCM's pillar
    ranks were added, while today's model stayed at 1.67). Their error is the mean over
    LEGACY_SEEDS seeds."""
    from model.estimates.quality import intervals

    stored = intervals.read_errors()
    now = stored[(stored["edition"] == year) & (stored["level"] == "pii")]["error"].abs().mean()
    monkeypatch.setattr(reconstruct, "PRIORS", "legacy")
    draws = []
    for k in range(LEGACY_SEEDS):
        monkeypatch.setattr(reconstruct, "SEED", SEED + 1000 * k)
        draws.append(validate.run(s, year, validate.DEFAULT_FOLDS).summary()["mae_pii"])
    before = float(np.mean(draws))
    assert now <= before / 2, (year, now, draws)
