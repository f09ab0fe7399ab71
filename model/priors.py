"""Priors that predict: the expected PII of every unit before the reconstruction places it.

The reconstruction (model/reconstruct.py) puts each unit without a published rank into a rank
slot close to its prior, and starts its scores from the level of that slot. This module gives
that prior from public information in data/sources only, fitted on the units whose PII the
edition published (a simple Gaussian model; `python -m model validate` measures it out of
fold, and data/README.md, "Validation", says what was tried):

- the unit's own published results in the other editions: the other edition on the same map
  (2023 <-> 2024) and, across the 2025 merger, the merged unit's result for a 2024 province
  (the parts' results for a 2025 unit). A published rank without a score counts as the score
  the edition's published points give that rank; an inferred figure counts too (never a
  constraint, but fair evidence). Each kind is mapped by the mean shift between the editions
  over the units published in both, with the leave-one-out spread of that shift as its
  uncertainty;
- geography: PII against the log distance from the unit's capital to the nearest of Hà Nội,
  TP HCM and Đà Nẵng (units.csv lat/lon), a straight line fitted on the published units;
- the region: a published regional average fixes the mean of the region's unpublished units.

The pieces are combined by precision (1 / variance) weights; then, region by region, the
prior is conditioned on the published average (each unit moves in proportion to its
variance). The reconstruction uses these priors for the editions on the 63-province map; the
2025 edition keeps the population-weighted estimates of the merged units' parts, which
validated better there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .sources import EDITION_MAP, Sources

MIN_PAIRS = 4  # fewer units published in both editions (or in all): the evidence is unused
BASE_SD = 6.0  # spread of provinces around their region's mean, points (wide on purpose)


@dataclass(frozen=True)
class Prior:
    """Expected PII of each unit without a published PII, and its standard deviation."""

    mean: dict[str, float]
    sd: dict[str, float]


def _constraints(s: Sources, edition: int) -> pd.DataFrame:
    p = s.published
    return p[(p["edition"] == edition) & (p["use_as_constraint"].str.lower() == "yes")]


def published_pii(s: Sources, edition: int) -> tuple[dict[str, float], dict[str, int]]:
    """Published PII values (a published input and output give their mean) and ranks."""
    c = _constraints(s, edition)
    pii = c[c["level"] == "pii"]
    value = {r.unit: float(r.value) for r in pii.itertuples() if not math.isnan(r.value)}
    rank = {r.unit: int(r.rank) for r in pii.itertuples() if not math.isnan(r.rank)}
    io = c[c["level"].isin(["input", "output"]) & c["value"].notna()]
    for unit, g in io.groupby("unit"):
        v = dict(zip(g["level"], g["value"], strict=True))
        if {"input", "output"} <= set(v) and unit not in value:
            value[str(unit)] = (v["input"] + v["output"]) / 2
    return value, rank


def rank_curve(points: dict[int, float], n: int) -> np.ndarray:
    """Score at each rank 1..n, interpolated between published (rank, score) points and
    extended along the end slopes (model.recon_slots has the same curve)."""
    from .recon_slots import _interpolate_curve

    return _interpolate_curve(points, n) if points else np.full(n, np.nan)


def evidence(s: Sources, edition: int) -> dict[str, float]:
    """Each unit's best published figure in an edition: its score, else the curve at its
    published rank, else an inferred score or rank (inferred rows: never constraints, but
    fair evidence for a prior)."""
    value, rank = published_pii(s, edition)
    n = len(s.units_of(edition))
    curve = rank_curve({rank[u]: value[u] for u in rank if u in value}, n)
    out = dict(value)
    for u, r in rank.items():
        out.setdefault(u, float(curve[r - 1]))
    p = s.published
    inferred = p[(p["edition"] == edition) & (p["level"] == "pii") & (p["status"] == "inferred")]
    for r in inferred.itertuples():
        if r.unit in out or r.unit == "":
            continue
        if not math.isnan(r.value):
            out[r.unit] = float(r.value)
        elif not math.isnan(r.rank):
            out[r.unit] = float(curve[int(r.rank) - 1])
    return out


def _population(s: Sources, map_: str) -> dict[str, float]:
    u = s.units[s.units["map"] == map_]
    return {
        slug: float(p)
        for slug, p in zip(u["slug"], u["population_thousand"], strict=True)
        if not pd.isna(p)
    }


def features(s: Sources, edition: int) -> dict[str, dict[str, float]]:
    """Evidence from other editions, by kind: kind -> unit -> the other edition's figure."""
    units = list(s.units_of(edition)["slug"])
    out: dict[str, dict[str, float]] = {}
    for other in EDITION_MAP:
        if other == edition:
            continue
        ev = evidence(s, other)
        if EDITION_MAP[other] == EDITION_MAP[edition]:
            out[f"same:{other}"] = {u: ev[u] for u in units if u in ev}
            continue
        merged = s.units[s.units["map"] == "34"]
        parts = {r.slug: [p for p in r.merged_from.split(";") if p] for r in merged.itertuples()}
        if EDITION_MAP[edition] == "63":  # a 2024 province: its merged unit's result
            unit_of = {p: m for m, ps in parts.items() for p in ps}
            out[f"merged:{other}"] = {u: ev[unit_of[u]] for u in units if unit_of.get(u) in ev}
        elif EDITION_MAP[other] == "63":  # a merged unit: its parts' results, by population
            pop = _population(s, "63")
            feat: dict[str, float] = {}
            for u in units:
                have = [p for p in parts.get(u, [u]) if p in ev]
                if have:
                    w = np.array([pop.get(p, np.nan) for p in have])
                    w = np.where(np.isnan(w), np.nanmean(w) if not np.isnan(w).all() else 1.0, w)
                    feat[u] = float(np.dot(w, [ev[p] for p in have]) / w.sum())
            out[f"parts:{other}"] = feat
    return out


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The mean shift y - x between two editions' figures of the same units and the spread of
    its errors, leave-one-out. A fitted slope was tried: pulled by the leaders, most of the
    pairs, it extrapolated badly to the bottom of the table (data/README.md, "Validation")."""
    n = len(x)
    shift = float(np.mean(y - x))
    errors = [y[k] - x[k] - float(np.mean(np.delete(y - x, k))) for k in range(n)]
    sd = float(np.sqrt(np.mean(np.square(errors)))) if errors else BASE_SD
    return shift, max(sd, 0.5)


def region_means(s: Sources, edition: int, known: dict[str, float]) -> dict[str, float]:
    """The mean a region's unpublished units must have for its published average to hold."""
    c = _constraints(s, edition)
    udf = s.units_of(edition)
    out = {}
    for r in c[c["level"] == "region_average"].itertuples():
        members = list(udf.loc[udf["region"] == r.unit, "slug"])
        unknown = [u for u in members if u not in known]
        if unknown:
            total = r.value * len(members) - sum(known[u] for u in members if u in known)
            out[str(r.unit)] = total / len(unknown)
    return out


CENTRES = ("ha-noi", "tp-ho-chi-minh", "da-nang")  # the three largest economic centres


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    d = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(d))


def remoteness(s: Sources, edition: int) -> dict[str, float]:
    """log(1 + km) from each unit's capital to the nearest economic centre (units.csv lat/lon;
    a merged unit: its seat's capital)."""
    u = s.units[s.units["map"] == "63"].set_index("slug")
    centres = [(float(u.at[c, "lat"]), float(u.at[c, "lon"])) for c in CENTRES]
    out = {}
    for r in s.units_of(edition).itertuples():
        if pd.isna(r.lat) or pd.isna(r.lon):
            continue
        km = min(_km(float(r.lat), float(r.lon), a, b) for a, b in centres)
        out[r.slug] = math.log1p(km)
    return out


def geography_prediction(
    s: Sources, edition: int, known: dict[str, float], todo: list[str]
) -> dict[str, tuple[float, float]]:
    """PII ~ a + b * remoteness, fitted on the edition's published units; the spread is the
    leave-one-out error. Empty when too few published units have coordinates."""
    rem = remoteness(s, edition)
    pairs = [(rem[u], known[u]) for u in known if u in rem]
    if len(pairs) < MIN_PAIRS + 1:
        return {}
    x, y = (np.array(v) for v in zip(*pairs, strict=True))
    errors = []
    for k in range(len(x)):
        keep = np.arange(len(x)) != k
        b, a = np.polyfit(x[keep], y[keep], 1)
        errors.append(y[k] - (a + b * x[k]))
    b, a = np.polyfit(x, y, 1)
    sd = max(float(np.sqrt(np.mean(np.square(errors)))), 0.5)
    return {u: (float(a + b * rem[u]), sd) for u in todo if u in rem}


def expected_pii(s: Sources, edition: int) -> Prior:
    """The prior of every unit of an edition whose PII is not published (see the module doc)."""
    units = list(s.units_of(edition)["slug"])
    region = dict(zip(s.units_of(edition)["slug"], s.units_of(edition)["region"], strict=True))
    known, rank = published_pii(s, edition)
    own = evidence(s, edition)  # a published rank without a score: the curve at that rank
    todo = [u for u in units if u not in known]
    # Base: the region's unpublished mean (units with a published rank count with the curve's
    # score at it), else the mean the published curve leaves free.
    ranked = {u: own[u] for u in todo if u in rank}
    rmean = region_means(s, edition, {**known, **ranked})
    free = [v for u, v in own.items() if u not in known]
    fallback = float(np.mean(free)) if free else float(np.mean(list(known.values()) or [40.0]))
    num = {u: 0.0 for u in todo}
    den = {u: 0.0 for u in todo}
    for feat in features(s, edition).values():
        pairs = [(feat[u], known[u]) for u in known if u in feat]
        if len(pairs) < MIN_PAIRS:
            continue
        x, y = (np.array(v) for v in zip(*pairs, strict=True))
        shift, sd = _fit(x, y)
        for u in todo:
            if u in feat:
                num[u] += (feat[u] + shift) / sd**2
                den[u] += 1.0 / sd**2
    geo = geography_prediction(s, edition, known, todo)
    for u in todo:  # geography, for every unit; the region's mean when nothing else is known
        if u in geo:
            g, sd = geo[u]
            num[u] += g / sd**2
            den[u] += 1.0 / sd**2
        elif den[u] == 0.0:
            num[u], den[u] = rmean.get(region[u], fallback) / BASE_SD**2, 1.0 / BASE_SD**2
    mean = {u: num[u] / den[u] for u in todo}
    var = {u: 1.0 / den[u] for u in todo}
    # The unpublished units of a region with a published average must meet it on average:
    # the Gaussian prior conditioned on that sum moves each unit in proportion to its
    # variance (a unit known from another edition barely moves, a vague one takes the rest).
    for reg, m in rmean.items():
        members = [u for u in todo if region[u] == reg and u not in ranked]
        if not members:
            continue
        gap = m * len(members) - sum(mean[u] for u in members)
        total = sum(var[u] for u in members)
        for u in members:
            mean[u] += gap * var[u] / total
    mean.update(ranked)  # a published rank is a fact: its curve score beats any prior
    return Prior(mean, {u: float(np.sqrt(var[u])) for u in todo})
