"""The engine against small hand-computed cases and properties (hypothesis)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.index.engine import aggregate, denormalise, normalise, rank_desc, renormalise
from model.index.framework import Framework, Indicator


def tiny() -> Framework:
    """7 pillars, pillar 1 with two groups (2 + 1 indicators), the others one indicator each."""
    inds = [
        Indicator("1.1.1", "1.1", "1", "a", "a"),
        Indicator("1.1.2", "1.1", "1", "b", "b", weight=3.0),
        Indicator("1.2.1", "1.2", "1", "c", "c"),
    ] + [Indicator(f"{p}.1.1", f"{p}.1", str(p), "x", "x") for p in range(2, 8)]
    return Framework(2023, tuple(inds))


def test_aggregation_by_hand():
    fw = tiny()
    # unit 0: 1.1.1=40, 1.1.2=80 (weight 3) -> group 1.1 = (40 + 240)/4 = 70; 1.2 = 50 -> P1 = 60
    row = np.array([40, 80, 50, 10, 20, 30, 40, 60, 80], dtype=float)
    agg = aggregate(fw, row[None, :])
    assert agg.groups[0, fw.group_index["1.1"]] == pytest.approx(70)
    assert agg.pillars[0].tolist() == pytest.approx([60, 10, 20, 30, 40, 60, 80])
    assert agg.input[0] == pytest.approx((60 + 10 + 20 + 30 + 40) / 5)  # 32
    assert agg.output[0] == pytest.approx(70)
    assert agg.pii[0] == pytest.approx(51)


def test_effective_weights_sum_to_one_and_give_the_pii():
    fw = tiny()
    w = fw.effective_weights()
    assert w.sum() == pytest.approx(1)
    # An output pillar weighs 0.25, an input pillar 0.1: 2.5 times as much.
    assert w[fw.index["6.1.1"]] / w[fw.index["2.1.1"]] == pytest.approx(2.5)
    row = np.array([40, 80, 50, 10, 20, 30, 40, 60, 80], dtype=float)
    assert row @ w == pytest.approx(aggregate(fw, row[None, :]).pii[0])


def test_missing_indicator_is_skipped_in_its_group_with_coverage():
    fw = tiny()
    row = np.array([np.nan, 80, 50, 10, 20, 30, 40, 60, 80], dtype=float)
    agg = aggregate(fw, row[None, :])
    assert agg.groups[0, fw.group_index["1.1"]] == pytest.approx(80)
    assert agg.coverage[0] == pytest.approx(8 / 9)


def test_min_max_normalisation_with_direction():
    lo, hi = np.array([2.0, 2.0]), np.array([12.0, 12.0])
    x = np.array([7.0, 7.0])
    assert normalise(x, lo, hi, np.array([1, -1])).tolist() == pytest.approx([50, 50])
    assert normalise(np.array([4.0, 4.0]), lo, hi, np.array([1, -1])).tolist() == pytest.approx(
        [20, 80]
    )
    back = denormalise(np.array([20.0, 80.0]), lo, hi, np.array([1, -1]))
    assert back.tolist() == pytest.approx([4, 4])


def test_renormalise_recomputes_min_and_max_over_units():
    v = np.array([[0.0], [50.0], [120.0]])
    assert renormalise(v)[:, 0].tolist() == pytest.approx([0, 50 / 1.2, 100])


def test_ranks_share_ties_on_two_decimals():
    assert rank_desc(np.array([50.0, 60.0, 50.001, 40.0])).tolist() == [2, 1, 2, 4]


def test_batch_matches_single_evaluations():
    fw = tiny()
    rng = np.random.default_rng(1)
    batch = rng.uniform(0, 100, (5, 4, fw.m))
    agg = aggregate(fw, batch)
    for s in range(5):
        one = aggregate(fw, batch[s])
        assert np.allclose(agg.pii[s], one.pii)
        assert (agg.rank[s] == one.rank).all()


scores = st.lists(st.floats(0, 100, allow_nan=False), min_size=9, max_size=9)


@settings(max_examples=200, deadline=None)
@given(a=scores, b=scores, code=st.integers(0, 8), bump=st.floats(0, 100))
def test_raising_an_indicator_never_lowers_the_pii(a, b, code, bump):
    fw = tiny()
    base = np.array([a, b])
    up = base.copy()
    up[0, code] = min(100.0, up[0, code] + bump)
    assert aggregate(fw, up).pii[0] >= aggregate(fw, base).pii[0] - 1e-12


@settings(max_examples=200, deadline=None)
@given(a=scores)
def test_pii_is_the_mean_of_input_and_output(a):
    agg = aggregate(tiny(), np.array([a]))
    assert agg.pii[0] == pytest.approx((agg.input[0] + agg.output[0]) / 2)


def test_names_units_and_errors_in_both_languages():
    from model.index.engine import EngineError
    from model.index.framework import FrameworkError, UnknownCode

    ind = Indicator("1.1.1", "1.1", "1", "Chi ngân sách", "Budget spending", "tỷ đồng", "")
    assert (ind.name("vi"), ind.name("en")) == ("Chi ngân sách", "Budget spending")
    assert (ind.unit("vi"), ind.unit("en")) == ("tỷ đồng", "tỷ đồng")  # no English: as written
    fw = Framework(2023, tiny().indicators, {"1.1": ("Nhóm", "Group")}, {"1": ("Trụ cột", "")})
    assert (fw.group_name("1.1", "en"), fw.pillar_name("1", "en"), fw.group_name("9.9")) == (
        "Group",
        "Trụ cột",
        "9.9",
    )
    with pytest.raises(UnknownCode) as err:
        fw.require("9.9.9")
    assert isinstance(err.value, KeyError) and "valid codes: 1.1.1" in str(err.value)
    assert "mã hợp lệ" in err.value.render("vi")
    with pytest.raises(FrameworkError, match="weight must be positive"):
        Framework(2023, (replace(tiny().indicators[0], weight=0.0), *tiny().indicators[1:]))
    with pytest.raises(EngineError, match="expected 9 indicators, got 2"):
        aggregate(fw, np.zeros((1, 2)))


def test_huge_and_infinite_numbers_format_without_failing():
    """Babel's decimal formatting fails from about 1e26 (defects issue, item 5): huge values
    are written in scientific notation in the reader's language."""
    from model import fmt

    assert fmt.number(1e27, "vi") == "1e+27"
    assert fmt.number(1.5e27, "vi") == "1,5e+27" and fmt.number(1.5e27, "en") == "1.5e+27"
    assert fmt.number(float("inf"), "en") == "∞" and fmt.number(-1e308, "vi") == "-1e+308"
    assert fmt.number(46.51, "vi") == "46,51"
