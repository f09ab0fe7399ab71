"""Merged provinces (2025): rules, the estimate from a unit's 2024 parts, side by side, the CLI.

Expected numbers come from the version-controlled sources (published.csv, units.csv,
framework.csv, merge_rules.csv) and from the editions of the session database; the only
literals are the issue's "done when" figures for the merged Bắc Ninh, each checked against the
published.csv rows that cite their sources (Bắc Ninh plan 15/KH-UBND-2026 and vietnam.vn).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from model.__main__ import main
from model.estimates.sources import (
    MERGE_RULES,
    MERGE_WEIGHTS,
    SourceError,
    check_merge_rules,
    load_sources,
)
from model.index.engine import aggregate, normalise
from model.merge import (
    DENOMINATOR_SOURCE,
    comparable_codes,
    estimate_from_parts,
    merge_rules,
    parts_of,
    side_by_side,
)
from model.paths import ROOT

SOURCES = ROOT / "data" / "sources"
PROVENANCE = {
    "official",
    "published",
    "statistics",  # computed from official statistics (issue 21)
    "reconstructed",
    "estimate_from_parts",
    "not_comparable",
}

# The "done when" (issue 7, item 4): the merged Bắc Ninh in the 2025 edition.
# Source: published.csv rows citing the Bắc Ninh plan 15/KH-UBND-2026 (nhansu.vn) and
# https://www.vietnam.vn/en/xep-thu-6-toan-quoc-bac-ninh-tiep-tuc-khang-dinh-vi-the-dan-dau-ve-doi-moi-sang-tao
BAC_NINH_2025 = {
    ("pii", ""): 48.76,
    ("input", ""): 53.06,
    ("output", ""): 44.47,
    **{
        ("pillar", str(k + 1)): v
        for k, v in enumerate((59.17, 39.99, 62.30, 47.43, 56.40, 28.74, 60.20))
    },
}
BAC_NINH_RANK = (6, 34)


def _rows(name: str) -> list[dict[str, str]]:
    with open(SOURCES / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _population(slug: str) -> float:
    for r in _rows("units.csv"):
        if r["map"] == "63" and r["slug"] == slug:
            return float(r["population_thousand"])
    raise AssertionError(slug)


@pytest.fixture(scope="module")
def eds(editions):
    return editions[2024], editions[2025]


# --- the rules file ---------------------------------------------------------------------------


def test_rules_cover_every_2025_code_exactly_once():
    codes = [r["code"] for r in _rows("framework.csv") if r["edition"] == "2025"]
    rules = merge_rules()
    assert sorted(rules["code"]) == sorted(codes)
    assert not rules["code"].duplicated().any()
    assert set(rules["rule"]) <= set(MERGE_RULES)
    mean = rules[rules["rule"] == "denominator_mean"]
    assert set(mean["weight"]) <= set(MERGE_WEIGHTS)
    assert (rules.loc[rules["rule"] == "population_mean", "weight"] == "population").all()
    assert rules["rationale"].str.strip().ne("").all()
    assert rules["source"].str.strip().ne("").all()
    # the build reads it as one of the sources
    assert len(load_sources(SOURCES).merge_rules) == len(codes)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda df: df.iloc[1:], "no rule for codes"),
        (lambda df: pd.concat([df, df.iloc[:1]]), "more than once"),
        (lambda df: df.assign(rule=["median"] + list(df["rule"].iloc[1:])), "unknown rule"),
        (
            lambda df: df.assign(code=["9.9.9"] + list(df["code"].iloc[1:])),
            "not an indicator code",
        ),
        (
            lambda df: df.assign(weight=df["weight"].where(df["rule"] != "sum", "grdp")),
            "takes no weight",
        ),
        (
            lambda df: df.assign(
                weight=df["weight"].where(df["rule"] != "denominator_mean", "area")
            ),
            "needs a weight",
        ),
        (lambda df: df.assign(rationale=""), "rationale is empty"),
    ],
)
def test_malformed_rules_are_rejected_with_the_line(change, message):
    codes = [r["code"] for r in _rows("framework.csv") if r["edition"] == "2025"]
    good = merge_rules()
    check_merge_rules(good, codes)
    with pytest.raises(SourceError, match=message):
        check_merge_rules(change(good).reset_index(drop=True), codes)


# --- the estimate -------------------------------------------------------------------------------


def test_parts_come_from_units_csv():
    merged = {
        r["slug"]: r["merged_from"].split(";") for r in _rows("units.csv") if r["map"] == "34"
    }
    assert parts_of("bac-ninh") == merged["bac-ninh"] == ["bac-giang", "bac-ninh"]
    assert parts_of("ha-noi") == ["ha-noi"]
    with pytest.raises(KeyError, match="bac-giang is part of bac-ninh"):
        parts_of("bac-giang")


def test_sum_rule_is_the_exact_sum_of_the_parts(eds):
    e24, e25 = eds
    sums = merge_rules().query("rule == 'sum'")["code"]
    comp = comparable_codes(e24, e25)
    codes = [c for c in sums if comp[c] == ""]
    assert codes, "at least one comparable sum indicator (4.3.2 share of national GDP)"
    for unit in ("bac-ninh", "tp-ho-chi-minh", "can-tho"):
        est = estimate_from_parts(unit, e24, e25)
        for code in codes:
            parts = [e24.raw[e24.unit_index(p), e24.framework.index[code]] for p in est.parts]
            assert est.raw_of(code) == pytest.approx(math.fsum(parts), rel=1e-12, abs=0)
            assert est.rules[code].rule == "sum"


def test_population_mean_with_known_populations(eds):
    e24, e25 = eds
    est = estimate_from_parts("dak-lak", e24, e25)  # Đắk Lắk + Phú Yên: both have a population
    pops = [_population(p) for p in est.parts]
    assert est.population == tuple(pops) and est.population_note == ""
    codes = merge_rules().query("rule == 'population_mean'")["code"]
    checked = 0
    for code in codes:
        rule = est.rules[code]
        if not rule.comparable:
            continue
        vals = [e24.raw[e24.unit_index(p), e24.framework.index[code]] for p in est.parts]
        want = sum(w * v for w, v in zip(pops, vals, strict=True)) / sum(pops)
        assert est.raw_of(code) == pytest.approx(want, rel=1e-12)
        assert rule.weight_used == "population"
        assert rule.shares == pytest.approx([w / sum(pops) for w in pops])
        checked += 1
    assert checked >= 20


def test_missing_populations_fall_back_and_say_so(eds):
    e24, e25 = eds
    # Every province has a population in units.csv now: blank both parts' here.
    parts = e24.units["slug"].isin(["bac-giang", "bac-ninh"])
    units = e24.units.assign(population_thousand=e24.units["population_thousand"].mask(parts))
    e24 = dataclasses.replace(e24, units=units)
    est = estimate_from_parts("bac-ninh", e24, e25)
    assert est.population_missing == ("bac-giang", "bac-ninh")
    assert "weigh equally" in est.population_note
    assert est.rules["2.2.1"].weight_used == "equal"
    assert est.rules["2.2.1"].shares == (0.5, 0.5)


def test_denominator_mean_weights_by_the_named_denominator(eds):
    e24, e25 = eds
    est = estimate_from_parts("bac-ninh", e24, e25)
    gdp_code = DENOMINATOR_SOURCE["grdp"]
    gdp = np.array([e24.raw[e24.unit_index(p), e24.framework.index[gdp_code]] for p in est.parts])
    for code in merge_rules().query("rule == 'denominator_mean' and weight == 'grdp'")["code"]:
        vals = np.array([e24.raw[e24.unit_index(p), e24.framework.index[code]] for p in est.parts])
        assert est.rules[code].weight_used == "grdp"
        assert est.raw_of(code) == pytest.approx(float(gdp @ vals / gdp.sum()), rel=1e-12)


def test_a_unit_with_one_part_rescores_to_its_own_values(eds):
    e24, e25 = eds
    est = estimate_from_parts("ha-noi", e24, e25)
    assert est.parts == ("ha-noi",)
    u24 = e24.unit_index("ha-noi")
    for k, code in enumerate(est.codes):
        if not est.rules[code].comparable:
            assert math.isnan(est.raw[k]) and math.isnan(est.scores[k])
            continue
        raw = e24.raw[u24, e24.framework.index[code]]
        assert est.raw[k] == raw
        want = float(np.clip(e25.raw_to_score(code, raw), 0, 100))
        assert est.scores[k] == pytest.approx(want, abs=1e-12)
        i24, i25 = e24.framework.index[code], e25.framework.index[code]
        if (e24.lo[i24], e24.hi[i24]) == (e25.lo[i25], e25.hi[i25]):  # same goalposts
            assert est.scores[k] == pytest.approx(e24.scores[u24, i24], abs=1e-9)


def test_changed_indicators_are_not_comparable_and_left_out(eds):
    e24, e25 = eds
    comp = comparable_codes(e24, e25)
    changed = sorted(c for c, why in comp.items() if why)
    fw24, fw25 = e24.framework, e25.framework
    want = sorted(
        c
        for c in fw25.codes
        if (fw24.indicator(c).name_en, fw24.indicator(c).unit_en)
        != (fw25.indicator(c).name_en, fw25.indicator(c).unit_en)
    )
    assert changed == want and "2.1.2" in changed  # framework.csv: 2025 2.1.2 is another one
    est = estimate_from_parts("bac-ninh", e24, e25)
    assert est.not_comparable == tuple(changed)
    assert est.coverage == pytest.approx(1 - len(changed) / fw25.m)


def test_aggregates_and_rank_follow_the_engine(eds):
    e24, e25 = eds
    for unit in ("bac-ninh", "hai-phong", "cao-bang"):
        est = estimate_from_parts(unit, e24, e25)
        assert np.all(
            (est.scores[~np.isnan(est.scores)] >= 0) & (est.scores <= 100)[~np.isnan(est.scores)]
        )
        agg = aggregate(e25.framework, est.scores[None, :])
        assert est.pii == pytest.approx(float(agg.pii[0]), abs=1e-12)
        assert est.pillars == pytest.approx(agg.pillars[0], abs=1e-12)
        u = e25.unit_index(unit)
        others = np.delete(e25.baseline().pii, u)
        assert est.rank == 1 + int((np.round(others, 2) > round(est.pii, 2)).sum())
        assert est.n_units == 34


def test_raw_scores_use_the_2025_goalposts(eds):
    e24, e25 = eds
    est = estimate_from_parts("tp-ho-chi-minh", e24, e25)
    ok = ~np.isnan(est.raw)
    want = np.clip(normalise(est.raw, e25.lo, e25.hi, e25.framework.direction), 0, 100)
    assert np.allclose(est.scores[ok], want[ok])


def test_estimate_from_parts_is_fast(eds):
    e24, e25 = eds
    estimate_from_parts("bac-ninh", e24, e25)
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        estimate_from_parts("bac-ninh", e24, e25)
        times.append(time.perf_counter() - t0)
    median = sorted(times)[len(times) // 2]
    print(f"estimate_from_parts median {median * 1000:.1f} ms")
    assert median < 0.25  # measured ~6 ms; generous for a shared 2-core machine


# --- side by side and the published 2025 figures ------------------------------------------------


def test_bac_ninh_2025_published_figures_are_reproduced(eds, built):
    e24, e25 = eds
    cited = [
        r
        for r in _rows("published.csv")
        if r["edition"] == "2025"
        and r["unit"] == "bac-ninh"
        and r["use_as_constraint"] == "yes"
        and ("15-KH-UBND-2026" in r["source"] or "vietnam.vn" in r["source"])
    ]
    from_csv = {
        (r["level"], r["item"] if r["level"] == "pillar" else ""): float(r["value"]) for r in cited
    }
    assert from_csv == BAC_NINH_2025  # the numbers are the ones the sources print
    df = side_by_side("bac-ninh", {2024: e24, 2025: e25})
    col = df.attrs["merged_column"]
    for (level, item), value in BAC_NINH_2025.items():
        row = df[(df["level"] == level) & (df["item"] == item)].iloc[0]
        assert row[col] == pytest.approx(value, abs=0.005), (level, item)
        assert row[f"{col}_provenance"] == "published"
    pii = df[df["level"] == "pii"].iloc[0]
    assert (int(pii[f"{col}_rank"]), df.attrs["n_next"]) == BAC_NINH_RANK


def test_side_by_side_columns_values_and_provenance(eds, built):
    e24, e25 = eds
    est = estimate_from_parts("bac-ninh", e24, e25)
    df = side_by_side("bac-ninh", (e24, e25), estimate=est)
    assert df.attrs["parts"] == ["bac-giang", "bac-ninh"]
    assert df.attrs["part_columns"] == ["bac-giang_2024", "bac-ninh_2024"]
    assert (df.attrs["n_prev"], df.attrs["n_next"]) == (63, 34)
    levels = df["level"].value_counts().to_dict()
    assert levels == {"pii": 1, "input": 1, "output": 1, "pillar": 7, "indicator": 52}
    for c in [*df.attrs["part_columns"], "estimate", df.attrs["merged_column"]]:
        assert set(df[f"{c}_provenance"]) <= PROVENANCE
    base = e24.baseline()
    for part, c in zip(est.parts, df.attrs["part_columns"], strict=True):
        u = e24.unit_index(part)
        pii = df[df["level"] == "pii"].iloc[0]
        assert pii[c] == pytest.approx(float(base.pii[u]))
        assert int(pii[f"{c}_rank"]) == int(base.rank[u])
    # Bắc Giang 2024 (43.53, 10th) is published, so its PII cell says so
    published = {
        r["unit"]: float(r["value"])
        for r in _rows("published.csv")
        if r["edition"] == "2024"
        and r["level"] == "pii"
        and r["use_as_constraint"] == "yes"
        and r["value"]
    }
    pii = df[df["level"] == "pii"].iloc[0]
    assert pii["bac-giang_2024"] == pytest.approx(published["bac-giang"], abs=0.005)
    assert pii["bac-giang_2024_provenance"] == "published"
    assert pii["estimate"] == est.pii and pii["estimate_rank"] == est.rank
    assert pii["estimate_provenance"] == "estimate_from_parts"
    nc = df[(df["level"] == "indicator") & ~df["comparable"]]
    assert list(nc["item"]) == list(est.not_comparable)
    assert (nc["estimate_provenance"] == "not_comparable").all() and nc["estimate"].isna().all()


# --- the command line -------------------------------------------------------------------------


def test_cli_merge_json(built, capsys):
    assert main(["merge", "--unit", "bac-ninh", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["unit"] == "bac-ninh" and out["parts"] == ["bac-giang", "bac-ninh"]
    assert (out["edition_prev"], out["edition_next"], out["n_next"]) == (2024, 2025, 34)
    pii = next(r for r in out["rows"] if r["level"] == "pii")
    assert pii["merged"]["value"] == pytest.approx(BAC_NINH_2025[("pii", "")], abs=0.005)
    assert (pii["merged"]["rank"], pii["merged"]["provenance"]) == (6, "published")
    assert pii["estimate"]["provenance"] == "estimate_from_parts"
    assert pii["estimate"]["value"] == pytest.approx(out["estimate"]["pii"])
    assert set(pii["parts"]) == {"bac-giang", "bac-ninh"}
    assert {r["code"] for r in out["rules"]} == {r["code"] for r in _rows("merge_rules.csv")}
    assert out["not_comparable"] == ["2.1.2"]


def test_cli_merge_table(built, capsys):
    assert main(["merge", "--unit", "bac-ninh"]) == 0
    text = capsys.readouterr().out
    assert "Bắc Giang 2024" in text and "Bắc Ninh 2025" in text
    assert "48,76 (6/34)" in text  # Vietnamese number format, rank of 34
    assert "Không so sánh được" in text and "2.1.2" in text


def test_cli_merge_unknown_unit_exits_2_with_a_message(built):
    env = {**os.environ, "PII_DATA_DIR": str(built.path.parent), "PYTHONIOENCODING": "utf-8"}
    env.pop("PII_SOURCES_DIR", None)
    said = {}
    for lang in ("vi", "en"):
        p = subprocess.run(
            [sys.executable, "-m", "model", "merge", "--unit", "bac-giang", "--lang", lang],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=180,
        )
        assert p.returncode == 2 and p.stdout == ""
        said[lang] = p.stderr
    assert said["vi"].startswith("Lỗi:") and "bac-giang là một phần của bac-ninh" in said["vi"]
    assert "bac-giang is part of bac-ninh" in said["en"]
