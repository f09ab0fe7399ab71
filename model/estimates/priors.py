"""Priors that predict: the expected PII of every unit before the reconstruction places it.

The reconstruction (model/estimates/reconstruct.py) puts each unit without a published rank into a rank
slot close to its prior, and leans its level on it. This module gives that prior from public
information in data/sources only, fitted on the units whose PII the edition published (a
simple Gaussian model; `python -m model validate` measures it out of fold, and data/README.md,
"Validation", says what was tried and what each piece gave):

- the unit's own published results in the other editions: the other edition on the same map
  (2023 <-> 2024) and, across the 2025 merger, the merged unit's result for a 2024 province
  (the parts' results for a 2025 unit). A published rank without a score counts as the score
  the edition's published points give that rank; an inferred figure counts too (never a
  constraint, but fair evidence). Each figure is read in this edition's terms two ways: moved
  by the mean shift between the editions, or placed at the same relative rank on this
  edition's published curve; the way with the smaller leave-one-out error is used (the shift
  when too few units are published in both to choose), and that error is its uncertainty;
- the estimates of the previous edition, for an edition on a new map (the reconstruction
  passes them in as `extra`);
- development (model/estimates/correlates.py: income, firms, skills, poverty, digital access, formal
  jobs), a straight line fitted on the published units; geography where it is missing;
- the region: a published regional average fixes the mean of the region's unpublished units.

The pieces are combined by precision (1 / variance) weights; then, region by region, the
prior is conditioned on the published average (each unit moves in proportion to its
variance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from model.estimates.correlates import development, part_weights, population, remoteness
from model.estimates.slots import _interpolate_curve, constraint_rows
from model.estimates.slots import published_pii as recon_published_pii
from model.estimates.sources import EDITION_MAP, Sources

MIN_PAIRS = 4  # fewer units published in both editions (or in all): the evidence is unused
BASE_SD = 6.0  # spread of provinces around their region's mean, points (wide on purpose)
# Choosing between the two readings of another edition (shift or place) on fewer pairs than
# this is noise: the shift, which fits one number, is kept (data/README.md, "Validation").
MIN_CHOICE_PAIRS = 8


@dataclass(frozen=True)
class Prior:
    """Expected PII of each unit without a published PII, and its standard deviation."""

    mean: dict[str, float]
    sd: dict[str, float]


def published_pii(s: Sources, edition: int) -> tuple[dict[str, float], dict[str, int]]:
    """Published PII values (a published input and output give their mean) and ranks."""
    rank, value, _ranges = recon_published_pii(constraint_rows(s, edition))
    return value, rank


def rank_curve(points: dict[int, float], n: int) -> np.ndarray:
    """Score at each rank 1..n, interpolated between published (rank, score) points and
    extended along the end slopes (model.estimates.slots has the same curve)."""
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


def _points(s: Sources, edition: int) -> dict[int, float]:
    value, rank = published_pii(s, edition)
    return {rank[u]: value[u] for u in rank if u in value}


def at_same_place(s: Sources, other: int, edition: int, ev: dict[str, float]) -> dict[str, float]:
    """Each figure of the other edition read as the score at the same relative place of
    this edition's published curve. Beyond the curve's published ends, the figure keeps its
    distance from the other edition's score at the end's place (an extrapolated curve knows
    nothing there). A unit published in this edition is read off the curve without its own
    point (else the fit would see its own answer)."""
    no, nt = len(s.units_of(other)), len(s.units_of(edition))
    co = rank_curve(_points(s, other), no)
    pts = _points(s, edition)
    _, rank = published_pii(s, other)
    _, own_rank = published_pii(s, edition)
    full = rank_curve(pts, nt)
    out = {}
    for u, v in ev.items():
        r = float(rank[u]) if u in rank else float(np.interp(-v, -co, np.arange(1, no + 1)))
        at = 1 + (r - 1) / (no - 1) * (nt - 1)
        mine = {k: x for k, x in pts.items() if k != own_rank.get(u)}
        curve = full if len(mine) == len(pts) else rank_curve(mine, nt)
        anchor = float(np.clip(at, min(mine), max(mine))) if mine else at
        back = 1 + (anchor - 1) / (nt - 1) * (no - 1)  # the anchor's place in the other edition
        there = float(np.interp(back, np.arange(1, no + 1), co))
        out[u] = float(np.interp(anchor, np.arange(1, nt + 1), curve)) + (v - there)
    return out


def features(s: Sources, edition: int) -> dict[str, dict[str, float]]:
    """Evidence from other editions, by kind: kind -> unit -> the other edition's figure
    (kinds "place-…": the same figure read at its place on this edition's curve)."""
    out: dict[str, dict[str, float]] = {}
    for other in EDITION_MAP:
        if other == edition:
            continue
        ev = evidence(s, other)
        out.update(_kinds(s, edition, other, ev, ""))
        out.update(_kinds(s, edition, other, at_same_place(s, other, edition, ev), "place-"))
    return out


def _kinds(
    s: Sources, edition: int, other: int, ev: dict[str, float], tag: str
) -> dict[str, dict[str, float]]:
    """The other edition's figures as evidence about this edition's units."""
    units = list(s.units_of(edition)["slug"])
    if EDITION_MAP[other] == EDITION_MAP[edition]:
        return {f"{tag}same:{other}": {u: ev[u] for u in units if u in ev}}
    merged = s.units[s.units["map"] == "34"]
    parts = {r.slug: [p for p in r.merged_from.split(";") if p] for r in merged.itertuples()}
    if EDITION_MAP[edition] == "63":  # a 2024 province: its merged unit's result
        unit_of = {p: m for m, ps in parts.items() for p in ps}
        feat = {u: ev[unit_of[u]] for u in units if unit_of.get(u) in ev}
        return {f"{tag}merged:{other}": feat}
    pop = population(s, "63")  # a merged unit: its parts' results, by population
    feat = {}
    for u in units:
        have = [p for p in parts.get(u, [u]) if p in ev]
        if have:
            w = part_weights(pop, have)
            feat[u] = float(np.dot(w, [ev[p] for p in have]) / w.sum())
    return {f"{tag}parts:{other}": feat}


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
    c = constraint_rows(s, edition)
    udf = s.units_of(edition)
    out = {}
    for r in c[c["level"] == "region_average"].itertuples():
        members = list(udf.loc[udf["region"] == r.unit, "slug"])
        unknown = [u for u in members if u not in known]
        if unknown:
            total = r.value * len(members) - sum(known[u] for u in members if u in known)
            out[str(r.unit)] = total / len(unknown)
    return out


def line_prediction(
    x: dict[str, float], known: dict[str, float], todo: list[str]
) -> dict[str, tuple[float, float]]:
    """PII ~ a + b * x on the published units, for the units to do, with the leave-one-out
    error as its spread. Empty when too few published units have an x."""
    pairs = [(x[u], known[u]) for u in known if u in x]
    if len(pairs) < MIN_PAIRS + 1:
        return {}
    xs, ys = (np.array(v) for v in zip(*pairs, strict=True))
    errors = []
    for k in range(len(xs)):
        keep = np.arange(len(xs)) != k
        b, a = np.polyfit(xs[keep], ys[keep], 1)
        errors.append(ys[k] - (a + b * xs[k]))
    b, a = np.polyfit(xs, ys, 1)
    sd = max(float(np.sqrt(np.mean(np.square(errors)))), 0.5)
    return {u: (float(a + b * x[u]), sd) for u in todo if u in x}


def public_prediction(
    s: Sources, edition: int, known: dict[str, float], todo: list[str]
) -> dict[str, tuple[float, float]]:
    """The line on development, else (a statistic missing) on remoteness. Geography and
    development together validated worse for 2023 than development alone."""
    return line_prediction(development(s, edition), known, todo) or line_prediction(
        remoteness(s, edition), known, todo
    )


def _other_editions(
    feats: dict[str, dict[str, float]], known: dict[str, float], todo: list[str]
) -> tuple[dict[str, float], dict[str, float]]:
    """Precision-weighted sums over the evidence kinds: of each kind and its "place-" twin,
    the one with the smaller leave-one-out error (the shift on too few pairs to choose)."""
    fits = {}
    for kind, feat in feats.items():
        pairs = [(feat[u], known[u]) for u in known if u in feat]
        if len(pairs) >= MIN_PAIRS:
            x, y = (np.array(v) for v in zip(*pairs, strict=True))
            fits[kind] = (*_fit(x, y), len(pairs))
    num = {u: 0.0 for u in todo}
    den = {u: 0.0 for u in todo}
    for kind, (shift, sd, n) in fits.items():
        place = kind.startswith("place-")
        twin = kind.removeprefix("place-") if place else "place-" + kind
        if place and (n < MIN_CHOICE_PAIRS or twin in fits and fits[twin][1] <= sd):
            continue
        if not place and n >= MIN_CHOICE_PAIRS and twin in fits and fits[twin][1] < sd:
            continue
        for u in todo:
            if u in feats[kind]:
                num[u] += (feats[kind][u] + shift) / sd**2
                den[u] += 1.0 / sd**2
    return num, den


def expected_pii(
    s: Sources, edition: int, extra: dict[str, dict[str, float]] | None = None
) -> Prior:
    """The prior of every unit of an edition whose PII is not published (see the module doc);
    `extra`: more evidence kinds (kind -> unit -> figure), fitted like the others."""
    udf = s.units_of(edition)
    units = list(udf["slug"])
    region = dict(zip(udf["slug"], udf["region"], strict=True))
    known, rank = published_pii(s, edition)
    own = evidence(s, edition)  # a published rank without a score: the curve at that rank
    todo = [u for u in units if u not in known]
    # Base: the region's unpublished mean (units with a published rank count with the curve's
    # score at it), else the mean the published curve leaves free.
    ranked = {u: own[u] for u in todo if u in rank}
    rmean = region_means(s, edition, {**known, **ranked})
    free = [v for u, v in own.items() if u not in known]
    fallback = float(np.mean(free)) if free else float(np.mean(list(known.values()) or [40.0]))
    num, den = _other_editions({**features(s, edition), **(extra or {})}, known, todo)
    public = public_prediction(s, edition, known, todo)
    for u in todo:  # public information for every unit; the region's mean when none
        if u in public:
            g, sd = public[u]
            num[u] += g / sd**2
            den[u] += 1.0 / sd**2
        if den[u] == 0.0:
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
