"""Golden tests: the engine reproduces every published number that the sources use as a constraint.

The expected numbers are read, with their source URLs, from the version-controlled source files
(data/sources/published.csv, indicator_facts.csv, plan_bac_giang_2024.csv) and from the seed
document itself, never copied into this file; the only literals are the "done when" numbers of
the foundation issue, each with its source beside it. Values are recomputed here from the
indicator scores with `model.index.engine` (a full re-evaluation, not the cached baseline and not
the build's own fidelity report).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from model import api
from model.estimates.sources import EDITIONS
from model.index.dataset import Edition
from model.index.engine import aggregate, rank_desc
from model.paths import ROOT

SOURCES = ROOT / "data" / "sources"
# The seed document: the appendix of Bắc Giang's PII plan (KH/UBND, 7/2024).
SEED = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "sources"
    / "seed"
    / "ke-hoach-pii-bac-giang-2024-phu-luc.txt"
)

TOL_VALUE = 0.005  # published scores are printed with two decimals
TOL_REGION = 0.01  # regional averages (foundation issue)
PROVENANCE = {"official", "published", "statistics", "reconstructed"}


def _rows(name: str) -> list[dict[str, str]]:
    with open(SOURCES / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


def _rank_range(note: str) -> tuple[int, int] | None:
    m = re.search(r"rank range (\d+)\s*[-–]\s*(\d+)", note)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _row_id(r: dict[str, str]) -> str:
    parts = [r["edition"], r["unit"], r["level"]]
    if r["item"] and r["item"] != r["unit"]:
        parts.append(r["item"])
    parts.append(r["stat"])
    return "-".join(p for p in parts if p)


PUBLISHED = _rows("published.csv")
CONSTRAINTS = [r for r in PUBLISHED if r["use_as_constraint"] == "yes"]
FACTS = [r for r in _rows("indicator_facts.csv") if r["use_as_constraint"] == "yes"]
PLAN = _rows("plan_bac_giang_2024.csv")


def _values(ed: Edition, level: str, item: str) -> np.ndarray:
    """One aggregate for every unit, from a full re-evaluation of the indicator scores."""
    agg = aggregate(ed.framework, ed.scores)
    if level == "pii":
        return agg.pii
    if level == "input":
        return agg.input
    if level == "output":
        return agg.output
    if level == "pillar":
        return agg.pillars[:, int(item) - 1]
    if level == "group":
        return agg.groups[:, ed.framework.group_index[item]]
    raise AssertionError(f"unexpected level {level!r}")


def test_constraint_ids_are_unique_and_cover_every_level():
    ids = [_row_id(r) for r in CONSTRAINTS]
    assert len(ids) == len(set(ids))
    assert {r["level"] for r in CONSTRAINTS} == {
        "pii",
        "input",
        "output",
        "pillar",
        "group",
        "region_average",
        "indicators_led",
    }


@pytest.mark.parametrize(
    ("row", "source"),
    [pytest.param(r, r["source"], id=_row_id(r)) for r in CONSTRAINTS],
)
def test_published_constraint_is_reproduced(editions, row, source):
    ed = editions[int(row["edition"])]
    where = f"{_row_id(row)} (source: {source})"
    level, item, stat, unit = row["level"], row["item"], row["stat"], row["unit"]
    value, rank, rng = _num(row["value"]), _num(row["rank"]), _rank_range(row["note"])
    checks = 0

    if level == "region_average":
        pii = aggregate(ed.framework, ed.scores).pii
        regions = sorted(set(ed.units["region"]))
        means = np.array([pii[(ed.units["region"] == g).to_numpy()].mean() for g in regions])
        k = regions.index(unit)
        assert value is not None, where
        assert abs(means[k] - value) <= TOL_REGION, f"{where}: {means[k]:.4f} vs {value}"
        checks += 1
        if rank is not None:
            assert rank_desc(means)[k] == rank, f"{where}: regional rank"
            checks += 1
    elif level == "indicators_led":
        u = ed.unit_index(unit)
        firsts = rank_desc(ed.scores.T)[:, u] == 1  # the unit's rank on each indicator
        assert int(firsts.sum()) == value, f"{where}: leads {int(firsts.sum())} indicators"
        checks += 1
    elif stat in ("national_min", "national_max"):
        vals = _values(ed, level, item)
        got = vals.min() if stat == "national_min" else vals.max()
        assert abs(got - value) <= TOL_VALUE, f"{where}: {got:.4f} vs {value}"
        checks += 1
    else:
        assert stat == "value", where
        vals = _values(ed, level, item)
        u = ed.unit_index(unit)
        if value is not None:
            assert abs(vals[u] - value) <= TOL_VALUE, f"{where}: {vals[u]:.4f} vs {value}"
            checks += 1
        ranks = rank_desc(vals)
        if rank is not None:
            assert ranks[u] == rank, f"{where}: rank {ranks[u]} vs {int(rank)}"
            checks += 1
        if rng is not None:
            assert rng[0] <= ranks[u] <= rng[1], f"{where}: rank {ranks[u]} outside {rng}"
            checks += 1
    assert checks > 0, f"{where}: the row carries no number to check"


@pytest.mark.parametrize(
    ("fact", "source"),
    [
        pytest.param(f, f["source"], id=f"{f['edition']}-{f['unit']}-{f['code']}-{f['kind']}")
        for f in FACTS
    ],
)
def test_published_indicator_fact_is_reproduced(editions, fact, source):
    ed = editions[int(fact["edition"])]
    u, i = ed.unit_index(fact["unit"]), ed.framework.require(fact["code"])
    value = float(fact["value"])
    where = f"{fact['edition']} {fact['unit']} {fact['code']} {fact['kind']} (source: {source})"
    if fact["kind"] == "score":
        assert abs(ed.scores[u, i] - value) <= TOL_VALUE, where
    elif fact["kind"] == "raw":
        assert abs(ed.raw[u, i] - value) <= TOL_VALUE, where
    else:
        assert fact["kind"] == "rank", where
        assert rank_desc(ed.scores[:, i])[u] == value, where
    assert ed.provenance[u, i] in ("official", "published"), where


# --- the seed: Bắc Giang's 17 official 2023 scores ---------------------------------------------


def _parse_seed(text: str) -> list[tuple[int, str, float, str]]:
    """(row, code, 2023 score, 2024 target text) for each 'Chỉ số: X.Y.Z.' entry of the seed."""
    lines = [ln.strip() for ln in text.splitlines()]
    out = []
    for k, line in enumerate(lines):
        m = re.match(r"Chỉ số:\s*(\d+\.\d+\.\d+)\.", line)
        if not m:
            continue
        before = [ln for ln in lines[:k] if ln]
        after = [ln for ln in lines[k + 1 :] if ln]
        out.append((int(before[-1]), m.group(1), float(after[0]), after[1]))
    return out


@pytest.mark.parametrize(
    ("plan_row", "source"),
    [pytest.param(r, r["source"], id=f"row{int(r['row']):02d}-{r['code']}") for r in PLAN],
)
def test_seed_score_is_bac_giang_2023_score(editions, plan_row, source):
    ed = editions[2023]
    u, i = ed.unit_index("bac-giang"), ed.framework.require(plan_row["code"])
    where = f"Bắc Giang {plan_row['code']} (source: {source})"
    assert ed.scores[u, i] == pytest.approx(float(plan_row["score_2023"]), abs=1e-9), where
    assert ed.provenance[u, i] == "official", where


def test_plan_csv_matches_the_seed_document():
    seed = _parse_seed(SEED.read_text(encoding="utf-8"))
    assert len(seed) == 17
    csv_rows = [
        (int(r["row"]), r["code"], float(r["score_2023"]), r["target_text"].strip()) for r in PLAN
    ]
    assert csv_rows == seed
    for r in PLAN:  # the numeric target is the number in the seed's target text ("≥ 10%")
        assert float(r["target_2024"]) == float(re.search(r"[\d.]+", r["target_text"]).group())
        assert r["source"] == "seed: Bắc Giang plan appendix (KH/UBND 7/2024)"


def test_only_the_seed_scores_are_official(editions):
    official = {
        (ed.year, ed.slugs[u], ed.framework.codes[i])
        for ed in editions.values()
        for u, i in zip(*np.nonzero(ed.provenance == "official"), strict=True)
    }
    assert official == {(2023, "bac-giang", r["code"]) for r in PLAN}


# --- the foundation issue's "done when" numbers -------------------------------------------------


def _ranked(year: int, db: Path, unit: str) -> tuple[int, float]:
    df = api.ranking(year, db)
    row = df[df["unit"] == unit].iloc[0]
    return int(row["rank"]), round(float(row["pii"]), 2)


def test_rank_2023_ha_noi_first_with_62_86(built):
    # Hà Nội 62.86, 1st: https://en.nhandan.vn/vietnam-releases-provincial-innovation-index-for-first-time-post133909.html
    assert _ranked(2023, built.path, "ha-noi") == (1, 62.86)
    assert api.ranking(2023, built.path).iloc[0]["unit"] == "ha-noi"


def test_rank_2023_bac_giang_11th_with_46_51(built):
    # Bắc Giang 46.51, 11th: https://vnexpress.net/16-tinh-thanh-dung-dau-cac-vung-kinh-te-ve-doi-moi-sang-tao-4721102.html
    assert _ranked(2023, built.path, "bac-giang") == (11, 46.51)


def test_rank_2024_bac_giang_10th_with_43_53(built):
    # Bắc Giang 43.53, 10th: https://vneconomy.vn/top-10-dia-phuong-dan-dau-chi-so-doi-moi-sang-tao-nam-2024.htm
    assert _ranked(2024, built.path, "bac-giang") == (10, 43.53)


# --- invariants of every edition ----------------------------------------------------------------


@pytest.mark.parametrize("year", EDITIONS)
def test_each_indicator_has_one_unit_at_100_and_one_at_0(editions, year):
    s = editions[year].scores
    assert not np.isnan(s).any()
    assert ((s >= 0.0) & (s <= 100.0)).all()
    # An indicator computed from statistics has ties at 100: the units COINr's treatment
    # winsorised to the next value (model.estimates.statistics); every other has one unit.
    prov = editions[year].provenance
    ties = ((s == 100.0) & (prov == "statistics")).sum(axis=0)
    assert ((s == 100.0).sum(axis=0) - np.maximum(ties - 1, 0)).tolist() == [1] * s.shape[1]
    assert (s == 0.0).sum(axis=0).tolist() == [1] * s.shape[1]


@pytest.mark.parametrize("year", EDITIONS)
def test_every_cell_has_a_known_provenance(editions, year):
    assert set(editions[year].provenance.ravel()) <= PROVENANCE


def test_conflicting_and_inferred_rows_are_never_constraints(built):
    statuses = ("conflicting", "inferred")
    src = [r for r in PUBLISHED if r["status"] in statuses]
    assert src, "the sources hold conflicting/inferred figures to show"
    assert all(r["use_as_constraint"] == "no" for r in src)
    fid = built.fidelity
    shown = fid[fid["status"].isin(statuses)]
    assert len(shown) > 0
    assert not shown["use_as_constraint"].any()
    # ... and the build report judges itself only on the constraints, which it meets.
    assert built.ok
    assert fid[fid["use_as_constraint"]]["status"].isin(["reported", "official", "published"]).all()
