"""The priors of unpublished provinces (model/estimates/priors.py): public information only, fitted on
the published provinces, and what the reconstruction does with them.

Numbers quoted with their source are published results (data/sources/published.csv).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from model import paths
from model.estimates import correlates, priors
from model.estimates.build import code_digest
from model.estimates.reconstruct import without
from model.estimates.sources import load_sources


@pytest.fixture(scope="module")
def s():
    return load_sources(paths.sources_dir(), code_digest())


@pytest.mark.parametrize("year", [2023, 2024])
def test_every_unpublished_unit_gets_a_prior_and_no_published_one(s, year):
    known, _ = priors.published_pii(s, year)
    pr = priors.expected_pii(s, year)
    units = set(s.units_of(year)["slug"])
    assert set(pr.mean) == units - set(known)
    assert set(pr.sd) == set(pr.mean)
    assert all(0 < sd < 10 for sd in pr.sd.values())
    assert all(0 < m < 100 for m in pr.mean.values())
    assert priors.expected_pii(s, year) == pr  # deterministic


def test_published_values_and_ranks_are_read_as_published(s):
    known, rank = priors.published_pii(s, 2023)
    # Hà Nội 62.86, 1st: https://en.nhandan.vn/vietnam-releases-provincial-innovation-index-for-first-time-post133909.html
    assert known["ha-noi"] == 62.86 and rank["ha-noi"] == 1
    # Tây Ninh 2023: input 36.18 and output 33.60 published, so its PII is their mean.
    assert known["tay-ninh"] == pytest.approx(34.89)
    # Đắk Nông 2023: rank 54 published without a score (a bottom-10 list).
    assert "dak-nong" not in known and rank["dak-nong"] == 54


def test_a_rank_without_a_score_takes_the_published_curve_there(s):
    ev = priors.evidence(s, 2023)
    # Đắk Nông 54th lies between Cà Mau 30.52 (50th) and Hà Giang 26.14 (60th).
    assert 26.14 < ev["dak-nong"] < 30.52
    pr = priors.expected_pii(s, 2023)
    assert pr.mean["dak-nong"] == pytest.approx(ev["dak-nong"])


def test_the_shift_between_editions_by_hand():
    # y - x = (1, 2, 3): shift 2; leaving each out gives 2.5, 2, 1.5 -> errors -1.5, 0, 1.5.
    x = np.array([40.0, 50.0, 60.0])
    y = x + np.array([1.0, 2.0, 3.0])
    shift, sd = priors._fit(x, y)
    assert shift == pytest.approx(2.0)
    assert sd == pytest.approx(np.sqrt((1.5**2 + 0 + 1.5**2) / 3))


def test_the_other_edition_is_the_evidence_it_should_be(s):
    feats = priors.features(s, 2024)
    # Bắc Giang 46.51 in 2023 (https://vnexpress.net/16-tinh-thanh-dung-dau-cac-vung-kinh-te-ve-doi-moi-sang-tao-4721102.html)
    assert feats["same:2023"]["bac-giang"] == 46.51
    # ... and the merged Bắc Ninh's 48.76 in 2025 for both its parts (plan 15/KH-UBND-2026).
    assert feats["merged:2025"]["bac-giang"] == feats["merged:2025"]["bac-ninh"] == 48.76


def test_regional_averages_hold_on_the_priors(s):
    """The unpublished units of a region with a published average meet it on average."""
    year = 2023
    known, rank = priors.published_pii(s, year)
    pr = priors.expected_pii(s, year)
    udf = s.units_of(year)
    p = s.published
    avg = p[(p["edition"] == year) & (p["level"] == "region_average")]
    for r in avg.itertuples():
        members = list(udf.loc[udf["region"] == r.unit, "slug"])
        values = [known.get(u, pr.mean.get(u)) for u in members]
        assert np.mean(values) == pytest.approx(r.value, abs=1e-6), r.unit


def test_geography_the_centres_are_closest(s):
    rem = correlates.remoteness(s, 2023)
    assert rem["ha-noi"] == rem["tp-ho-chi-minh"] == rem["da-nang"] == 0.0
    assert rem["lai-chau"] > rem["bac-ninh"]  # the far north-west against Hà Nội's neighbour


def test_a_hidden_province_is_not_its_own_evidence(s):
    """Hiding a province's 2023 results leaves its prior to public information (its 2024
    result, geography, the region), never to the hidden 2023 numbers."""
    hidden = without(s, [(2023, "ben-tre")])
    pr = priors.expected_pii(hidden, 2023)
    assert "ben-tre" in pr.mean
    known, _ = priors.published_pii(hidden, 2023)
    assert "ben-tre" not in known
    # Its prior does not move if its own published value is changed while hidden.
    p = s.published.copy()
    p.loc[(p["edition"] == 2023) & (p["unit"] == "ben-tre") & (p["level"] == "pii"), "value"] = 99
    changed = without(dataclasses.replace(s, published=p), [(2023, "ben-tre")])
    assert priors.expected_pii(changed, 2023).mean["ben-tre"] == pr.mean["ben-tre"]
