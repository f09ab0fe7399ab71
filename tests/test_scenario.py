"""Scenarios at the model level: the value object, simulate, simulate_many, presets, properties."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import api
from model import plan as planmod
from model.index.dataset import raw_decimals
from model.index.engine import aggregate
from model.index.scenario import (
    Scenario,
    ScenarioError,
    beyond,
    simulate,
    simulate_many,
    target_score,
)
from model.paths import ROOT

with open(ROOT / "data" / "sources" / "plan_bac_giang_2024.csv", encoding="utf-8") as fh:
    PLAN = list(csv.DictReader(fh))  # the seed: Bắc Giang plan appendix (KH/UBND 7/2024)

N_UNITS_2023, N_CODES = 63, 52


@pytest.fixture(scope="module")
def ed(editions):
    return editions[2023]


def _u(ed, slug="bac-giang") -> int:
    return ed.unit_index(slug)


# --- the Scenario value ---------------------------------------------------------------------


def test_json_round_trip():
    s = Scenario(
        unit="bac-giang",
        edition=2023,
        targets=(("2.2.3", 10.0), ("1.1.1", 20.5), ("6.3.3", 150.0)),
        peers="drift:-0.5",
        scale="renormalize",
        target_year=2025,
        name="Kế hoạch thử",
    )
    text = s.to_json()
    assert json.loads(text)["targets"] == {"1.1.1": 20.5, "2.2.3": 10.0, "6.3.3": 150.0}
    back = Scenario.from_json(text)
    assert back == s
    assert back.to_json() == text
    assert Scenario.from_dict(s.to_dict()) == s
    assert Scenario.from_json(Scenario().to_json()) == Scenario()


def test_targets_are_normalised_so_equal_scenarios_compare_equal():
    a = Scenario(targets=(("2.2.3", 10), ("1.1.1", 20)))
    b = Scenario(targets=(("1.1.1", 20.0), ("2.2.3", 10.0)))
    assert a == b
    assert [c for c, _ in a.targets] == ["1.1.1", "2.2.3"]
    assert a.with_targets({"2.2.3": 12.0}).target_map == {"1.1.1": 20.0, "2.2.3": 12.0}
    assert a.without("1.1.1").target_map == {"2.2.3": 10.0}


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"targets": (("2.2", 10.0),)}, id="code-two-parts"),
        pytest.param({"targets": (("2.2.3.1", 10.0),)}, id="code-four-parts"),
        pytest.param({"targets": (("a.b.c", 10.0),)}, id="code-letters"),
        pytest.param({"targets": ((" 2.2.3", 10.0),)}, id="code-space"),
        pytest.param({"targets": ((223, 10.0),)}, id="code-not-text"),
        pytest.param({"targets": (("2.2.3", math.nan),)}, id="nan"),
        pytest.param({"targets": (("2.2.3", math.inf),)}, id="inf"),
        pytest.param({"targets": (("2.2.3", -math.inf),)}, id="minus-inf"),
        pytest.param({"targets": (("2.2.3", 10_000.5),)}, id="too-high"),
        pytest.param({"targets": (("2.2.3", -10_000.5),)}, id="too-low"),
        pytest.param({"peers": "sometimes"}, id="peers-word"),
        pytest.param({"peers": "drift:"}, id="peers-drift-empty"),
        pytest.param({"peers": "drift:abc"}, id="peers-drift-text"),
        pytest.param({"peers": "drift:1e3"}, id="peers-drift-exponent"),
        pytest.param({"peers": "Static"}, id="peers-case"),
        pytest.param({"scale": "frozen "}, id="scale-space"),
        pytest.param({"scale": "renormalise"}, id="scale-spelling"),
        pytest.param({"unit": ""}, id="unit-empty"),
        pytest.param({"edition": "2023"}, id="edition-text"),
        pytest.param({"edition": True}, id="edition-bool"),
        pytest.param({"target_year": 2022}, id="target-year-before"),
        pytest.param({"target_year": 2044}, id="target-year-too-far"),
    ],
)
def test_invalid_scenario_raises(kwargs):
    with pytest.raises(ScenarioError):
        Scenario(**kwargs)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[1, 2]", id="array"),
        pytest.param('"bac-giang"', id="string"),
        pytest.param("{not json", id="not-json"),
        pytest.param('{"targets": [["2.2.3", 10]]}', id="targets-list"),
        pytest.param('{"targets": "2.2.3=10"}', id="targets-string"),
        pytest.param('{"targets": {"2.2.3": "abc"}}', id="target-text"),
        pytest.param('{"targets": {"2.2.3": null}}', id="target-null"),
        pytest.param('{"targets": {"2.2.3": [10]}}', id="target-list"),
        pytest.param('{"targets": {"2.2.3": 1e999}}', id="target-overflow"),
        pytest.param('{"targets": {"2.2.3": NaN}}', id="target-nan"),
        pytest.param('{"edition": "twenty"}', id="edition-text"),
        pytest.param('{"edition": null}', id="edition-null"),
        pytest.param('{"target_year": "next"}', id="target-year-text"),
        pytest.param('{"peers": "drift:x"}', id="peers"),
        pytest.param('{"scale": 1}', id="scale-number"),
        pytest.param('{"unit": ""}', id="unit-empty"),
    ],
)
def test_invalid_json_raises_scenario_error(text):
    with pytest.raises(ScenarioError):
        Scenario.from_json(text)


def test_scenario_naming_unknown_unit_or_code_is_rejected_by_simulate(ed):
    with pytest.raises(ScenarioError, match="valid units: .*bac-giang"):
        simulate(ed, Scenario(unit="atlantis", edition=2023))
    with pytest.raises(ScenarioError, match="valid codes: .*2.2.3"):
        simulate(ed, Scenario(unit="bac-giang", edition=2023, targets=(("9.9.9", 10.0),)))
    with pytest.raises(ScenarioError, match="edition"):
        simulate(ed, Scenario(unit="bac-giang", edition=2024))


# --- simulate -------------------------------------------------------------------------------


def test_one_indicator_gain_is_its_effective_weight_times_the_change(ed):
    u, i = _u(ed), ed.framework.require("2.2.3")
    # Bắc Giang's 2023 score on 2.2.3 is 2.43 (seed: Bắc Giang plan appendix, KH/UBND 7/2024),
    # so a target of 10 raises it by 7.57.
    assert ed.scores[u, i] == pytest.approx(2.43, abs=1e-9)
    s = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 10.0),))
    out = simulate(ed, s)
    gain = out.result.pii[u] - out.baseline.pii[u]
    assert gain == pytest.approx(ed.framework.effective_weights()[i] * 7.57, abs=1e-12)
    # ... and equals a full re-evaluation of the edited score table.
    scores = ed.scores.copy()
    scores[u, i] = 10.0
    full = aggregate(ed.framework, scores)
    for f in ("pii", "input", "output", "pillars", "groups"):
        np.testing.assert_allclose(getattr(out.result, f), getattr(full, f), atol=1e-12, rtol=0)
    np.testing.assert_array_equal(out.result.rank, full.rank)
    (c,) = out.contributions
    assert (c.code, c.capped) == ("2.2.3", False)
    assert c.delta_score == pytest.approx(7.57, abs=1e-12)
    assert c.delta_pii == pytest.approx(gain, abs=1e-12)
    assert out.warnings == ()


def test_frozen_mode_caps_a_target_above_100_and_flags_it(ed):
    u, i = _u(ed), ed.framework.require("2.2.3")
    out = simulate(ed, Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 150.0),)))
    assert out.scores[u, i] == 100.0
    (c,) = out.contributions
    assert c.capped and c.scenario_score == 100.0
    assert c.delta_score == pytest.approx(100.0 - ed.scores[u, i])
    assert any("2.2.3" in w for w in out.warnings)
    at_100 = simulate(ed, Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 100.0),)))
    assert out.result.pii[u] == at_100.result.pii[u]
    assert not at_100.contributions[0].capped and at_100.warnings == ()
    # Other units keep their scores: 2.2.3 now has two units at 100 under frozen goalposts.
    others = np.arange(ed.n) != u
    np.testing.assert_array_equal(out.scores[others], ed.scores[others])


def test_renormalize_mode_above_the_national_max_rescales_the_others(ed):
    u, i = _u(ed), ed.framework.require("2.2.3")
    s = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 150.0),), scale="renormalize")
    out = simulate(ed, s)
    assert out.scores[u, i] == pytest.approx(100.0, abs=1e-12)
    others = np.arange(ed.n) != u
    old, new = ed.scores[others, i], out.scores[others, i]
    assert old.min() == 0.0  # the national minimum stays the 0 of the scale
    np.testing.assert_allclose(new, old * 100.0 / 150.0, atol=1e-9, rtol=0)
    assert (new[old > 0] < old[old > 0]).all()
    assert new.max() < 100.0  # the former leader no longer holds the maximum
    # Other indicators keep their 0-100 range, hence their scores.
    rest = np.arange(ed.framework.m) != i
    np.testing.assert_allclose(out.scores[:, rest], ed.scores[:, rest], atol=1e-9, rtol=0)
    # Every other unit's PII falls (or stays, for the unit at 0).
    assert (out.result.pii[others] <= out.baseline.pii[others] + 1e-12).all()


def test_contributions_sum_to_the_pii_change_for_the_plan(ed, built):
    s = api.preset("plan-2024", Scenario(unit="bac-giang", edition=2023), db=built.path)
    out = simulate(ed, s)
    u = _u(ed)
    total = sum(c.delta_pii for c in out.contributions)
    assert total == pytest.approx(out.result.pii[u] - out.baseline.pii[u], abs=1e-12)
    assert {c.code for c in out.contributions} == {r["code"] for r in PLAN}
    assert out.result.pii[u] > out.baseline.pii[u]


def test_plan_preset_sets_exactly_the_seed_targets(ed, built):
    s = api.preset("plan-2024", Scenario(unit="bac-giang", edition=2023), db=built.path)
    assert (s.unit, s.edition, s.scale, s.peers) == ("bac-giang", 2023, "frozen", "static")
    # Each target from the seed (plan_bac_giang_2024.csv, source: Bắc Giang plan appendix).
    assert s.target_map == {r["code"]: float(r["target_2024"]) for r in PLAN}
    u = _u(ed)
    for code, target in s.targets:
        assert target >= ed.scores[u, ed.framework.require(code)]
    base = api.preset("baseline", s, db=built.path)
    assert base.targets == () and (base.unit, base.edition) == ("bac-giang", 2023)
    with pytest.raises(ScenarioError, match="valid presets"):
        api.preset("plan-2099", s, db=built.path)


# --- simulate_many --------------------------------------------------------------------------


def _random_scenarios(ed, n: int, scale: str, seed: int) -> list[Scenario]:
    rng = np.random.default_rng(seed)
    codes = ed.framework.codes
    out = []
    for _ in range(n):
        k = int(rng.integers(0, 18))
        idx = rng.choice(len(codes), size=k, replace=False)
        vals = rng.uniform(-10.0, 130.0, size=k)  # some beyond the 0-100 range
        targets = tuple((codes[j], float(v)) for j, v in zip(idx, vals, strict=True))
        out.append(Scenario(unit="bac-giang", edition=2023, targets=targets, scale=scale))
    return out


@pytest.mark.parametrize(("scale", "n"), [("frozen", 10_000), ("renormalize", 1_000)])
def test_simulate_many_equals_one_by_one(ed, scale, n):
    scenarios = _random_scenarios(ed, n, scale, seed=2023)
    many = simulate_many(ed, scenarios)
    assert many.pii.shape == (n, ed.n)
    sample = np.random.default_rng(1).choice(n, size=20, replace=False)
    for k in sample:
        one = simulate(ed, scenarios[k]).result
        for f in ("pii", "input", "output", "pillars", "groups"):
            np.testing.assert_allclose(getattr(many, f)[k], getattr(one, f), atol=1e-9, rtol=0)
        np.testing.assert_array_equal(many.rank[k], one.rank)


def test_simulate_many_refuses_mixed_scenarios(ed):
    a = Scenario(unit="bac-giang", edition=2023)
    with pytest.raises(ScenarioError):
        simulate_many(ed, [a, Scenario(unit="ha-noi", edition=2023)])
    with pytest.raises(ScenarioError):
        simulate_many(ed, [a, Scenario(unit="bac-giang", edition=2023, scale="renormalize")])
    with pytest.raises(ScenarioError):
        simulate_many(ed, [])


# --- properties -----------------------------------------------------------------------------

targets_st = st.dictionaries(
    st.integers(0, N_CODES - 1), st.floats(0.0, 100.0, allow_nan=False), max_size=8
)


@settings(max_examples=200, deadline=None)
@given(
    unit=st.integers(0, N_UNITS_2023 - 1),
    start=targets_st,
    code=st.integers(0, N_CODES - 1),
    up=st.floats(1e-6, 200.0, allow_nan=False),
)
def test_frozen_raising_one_indicator_never_hurts(ed, unit, start, code, up):
    codes = ed.framework.codes
    slug = ed.slugs[unit]
    s0 = Scenario(unit=slug, edition=2023, targets=tuple((codes[k], v) for k, v in start.items()))
    current = s0.target_map.get(codes[code], float(ed.scores[unit, code]))
    s1 = s0.with_targets({codes[code]: current + up})
    r0, r1 = simulate(ed, s0).result, simulate(ed, s1).result
    assert r1.pii[unit] >= r0.pii[unit] - 1e-12
    assert r1.rank[unit] <= r0.rank[unit]
    others = np.arange(ed.n) != unit
    np.testing.assert_array_equal(r1.pii[others], r0.pii[others])


@settings(max_examples=200, deadline=None)
@given(
    unit=st.integers(0, N_UNITS_2023 - 1),
    targets=st.dictionaries(
        st.integers(0, N_CODES - 1), st.floats(-50.0, 200.0, allow_nan=False), max_size=10
    ),
    scale=st.sampled_from(["frozen", "renormalize"]),
    peers=st.sampled_from(["static", "drift:2", "drift:-1.5"]),
)
def test_pii_is_the_mean_of_input_and_output_and_contributions_add_up(
    ed, unit, targets, scale, peers
):
    codes = ed.framework.codes
    s = Scenario(
        unit=ed.slugs[unit],
        edition=2023,
        targets=tuple((codes[k], v) for k, v in targets.items()),
        scale=scale,
        peers=peers,
    )
    out = simulate(ed, s)
    r = out.result
    np.testing.assert_allclose(r.pii, (r.input + r.output) / 2, atol=1e-12, rtol=0)
    np.testing.assert_allclose(r.pii, aggregate(ed.framework, out.scores).pii, atol=1e-9, rtol=0)
    assert ((out.scores >= 0.0) & (out.scores <= 100.0)).all()
    total = sum(c.delta_pii for c in out.contributions)
    assert total == pytest.approx(r.pii[unit] - out.baseline.pii[unit], abs=1e-7)


# --- messages in both languages ---------------------------------------------------------------

ENGLISH_WORDS = {"score", "must", "between", "got", "target", "number", "the", "for", "and"}


def _words(text: str) -> set[str]:
    return {w.strip(".,:;()«»'“”").lower() for w in text.split()}


def _has_vietnamese(text: str) -> bool:
    """Letters beyond ASCII (ạ, ư, đ...): English sentences have none."""
    return any(not ch.isascii() and ch.isalpha() for ch in text)


@pytest.mark.parametrize(
    "make",
    [
        lambda ed: planmod.progress_score(ed, "2.2.3", "score", 150),
        lambda ed: Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 20_000.5),)),
    ],
    ids=["progress-score", "scenario-target"],
)
def test_an_out_of_range_score_reads_in_one_language_at_a_time(ed, make):
    with pytest.raises(ScenarioError) as err:
        make(ed)
    vi, en = err.value.render("vi"), err.value.render("en")
    assert str(err.value) == en and vi != en
    assert not (_words(vi) & ENGLISH_WORDS), vi
    assert _has_vietnamese(vi) and not _has_vietnamese(en), (vi, en)
    number = "150" if "150" in en else "20.000,5"
    assert number in vi  # floats in the Vietnamese format (20.000,5)
    if err.value.msg_id == "plan.err_score_range":
        assert "between 0 and 100, got" in en  # a measured score is a score: 0-100
    else:  # a target says how far it may go, never that a target must lie within 0-100
        assert "between 0 and 100" not in en and "-10,000" in en and "10,000" in en


# --- one rule for a typed raw value, a link's t= and the CLI's --set (issue 13, items 6-7) --


def test_a_raw_value_ten_times_the_national_maximum_is_a_target_not_an_error(ed):
    score = target_score("2.2.3", 10.0, ed, raw=True)  # goalposts 0.01-1 % of GRDP
    assert score == pytest.approx((10.0 - 0.01) / 0.99 * 100.0)  # 1009.09
    s = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", score),))
    frozen = simulate(ed, s)
    assert [m.msg_id for m in frozen.notices] == ["scenario.warn_capped_high"]
    assert "100" in frozen.notices[0].render("vi") and "100" in frozen.warnings[0]
    moved = simulate(ed, replace(s, scale="renormalize"))
    assert [m.msg_id for m in moved.notices] == ["scenario.warn_new_max"]
    assert "100" not in moved.warnings[0]  # nothing is capped: the maximum moves


def test_a_target_below_the_national_minimum_is_reported_on_its_own_side(ed):
    score = target_score("2.2.3", 0.0, ed, raw=True)  # below the minimum of 0.01
    assert score < 0
    s = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", score),))
    (notice,) = simulate(ed, s).notices
    assert notice.msg_id == "scenario.warn_capped_low"
    for lang in ("vi", "en"):
        text = notice.render(lang)
        assert " 0 " in text and "100" not in text, text
    (notice,) = simulate(ed, replace(s, scale="renormalize")).notices
    assert notice.msg_id == "scenario.warn_new_min"
    assert [beyond(v) for v in (-0.1, 0.0, 49.49, 100.0, 100.1)] == [
        "low",
        None,
        None,
        None,
        "high",
    ]


def test_a_target_too_far_away_is_refused_in_the_users_language(ed):
    with pytest.raises(ScenarioError) as raw_err:
        target_score("2.2.3", 1e6, ed, raw=True)
    assert raw_err.value.msg_id == "scenario.err_target_far_raw"
    vi, en = raw_err.value.render("vi"), raw_err.value.render("en")
    assert "GRDP" in vi and "GRDP" in en and _has_vietnamese(vi) and not _has_vietnamese(en)
    assert "99,01" in vi and "99.01" in en  # the largest raw value accepted (10,000 points)
    with pytest.raises(ScenarioError) as score_err:
        target_score("2.2.3", 20_000.0)
    assert score_err.value.msg_id == "scenario.err_target_far"
    with pytest.raises(ScenarioError) as huge:
        target_score("2.2.3", -1e300, ed, raw=True)
    assert "-1e+300" in huge.value.render("vi")  # no number formatting beyond 1e15
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ScenarioError) as nan_err:
            target_score("2.2.3", bad, ed, raw=True)
        assert nan_err.value.msg_id == "scenario.err_target_finite"


@pytest.mark.parametrize("value", [150.0, 1009.09, -20.0, 9_999.5, 0.0, 100.0])
def test_the_page_the_link_and_the_cli_accept_the_same_targets(ed, value):
    from model.cli.common import parse_set
    from ui.state import decode_targets

    assert target_score("2.2.3", value, ed) == value
    assert parse_set([f"2.2.3={value}"]) == {"2.2.3": value}
    assert decode_targets(f"2.2.3~{value}", ed) == ({"2.2.3": value}, [])
    assert Scenario(targets=(("2.2.3", value),)).target_map == {"2.2.3": value}


@pytest.mark.parametrize("text", ["20000", "-1e5", "nan", "inf", "1e308"])
def test_the_page_the_link_and_the_cli_refuse_the_same_targets_alike(ed, text):
    from model.cli.common import parse_set
    from ui.state import decode_targets

    with pytest.raises(ScenarioError) as lib:
        target_score("2.2.3", float(text), ed)
    with pytest.raises(ScenarioError) as cli:
        parse_set([f"2.2.3={text}"])
    with pytest.raises(ScenarioError) as value:
        Scenario(targets=(("2.2.3", float(text)),))
    assert lib.value.msg_id == cli.value.msg_id == value.value.msg_id
    assert "2.2.3" in lib.value.render("vi") and "2.2.3" in lib.value.render("en")
    assert decode_targets(f"2.2.3~{text}", ed) == ({}, [f"2.2.3~{text}"])


# --- raw values with the indicator's own decimals (issue 13, item 17) -----------------------


def test_raw_values_have_the_indicators_own_decimals(ed):
    assert raw_decimals(ed, "2.2.3") == 3  # goalposts.csv: 0.010-1.000 % of GRDP
    assert raw_decimals(ed, "1.1.1") == 2
    assert ed.raw_decimals("7.1.1") == 3
    # An edition without the column (built in memory) falls back on the goalposts' span.
    bare = replace(ed, decimals=None)
    assert raw_decimals(bare, "2.2.3") == 3  # span 0.99
    assert raw_decimals(bare, "4.1.1") == 2  # span 880
    assert raw_decimals(bare, "7.1.1") == 4  # span 0.05
