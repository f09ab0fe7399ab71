"""Rank slots for the reconstruction: where each unit without a published rank is placed.

Shared constants of the reconstruction live here too (model/estimates/lp.py and
model/estimates/reconstruct.py import them), so that the three modules agree on tolerances.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from model.estimates.sources import Sources

SEED = 20240312  # the day PII 2023 was published; any fixed seed would do
INNER = 0.05  # non-anchor scores stay in [INNER, 100 - INNER]: one unit holds each extreme
GAP = 0.02  # minimum gap between consecutive ranked scores (keeps two-decimal ranks strict)
SLACK_PENALTY = 1e5  # a published constraint is only ever missed if it cannot be met
BAND = 0.0045  # a published two-decimal number x stands for [x - 0.005, x + 0.005)
PROVENANCE = ("official", "published", "statistics", "reconstructed")  # statistics: issue 21


def constraint_rows(s: Sources, edition: int) -> pd.DataFrame:
    """The edition's published rows used as constraints (use_as_constraint = yes)."""
    p = s.published[s.published["edition"] == edition]
    return p[p["use_as_constraint"].str.lower() == "yes"].copy()


def region_rank(note: str) -> tuple[int, int] | None:
    """A published rank inside the unit's region and the region's size ("region rank 3/11
    ĐBSH"). Without the size, the region may be another grouping (Bắc Trung Bộ is half of
    the planning region): not used."""
    m = re.search(r"region rank (\d+)/(\d+)", note or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def rank_range(note: str) -> tuple[int, int] | None:
    m = re.search(r"rank range (\d+)\s*[-–]\s*(\d+)", note or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def _interpolate_curve(points: dict[int, float], n: int) -> np.ndarray:
    """Score expected at each rank 1..n from the published (rank, score) points."""
    ranks = np.array(sorted(points))
    vals = np.array([points[r] for r in ranks])
    curve = np.interp(np.arange(1, n + 1), ranks, vals)
    if len(ranks) >= 2:  # extend the ends along the nearest published slope
        lo_slope = (vals[1] - vals[0]) / (ranks[1] - ranks[0])
        hi_slope = (vals[-1] - vals[-2]) / (ranks[-1] - ranks[-2])
        head = np.arange(1, n + 1) < ranks[0]
        tail = np.arange(1, n + 1) > ranks[-1]
        curve[head] = vals[0] + lo_slope * (np.arange(1, n + 1)[head] - ranks[0])
        curve[tail] = vals[-1] + hi_slope * (np.arange(1, n + 1)[tail] - ranks[-1])
    return np.clip(curve, 5.0, 95.0)


def published_pii(
    cons: pd.DataFrame,
) -> tuple[dict[str, int], dict[str, float], dict[str, tuple[int, int]]]:
    """Published PII ranks, values (a published input and output imply the PII: their mean)
    and rank ranges, from an edition's constraint rows."""
    fixed_rank: dict[str, int] = {}
    known: dict[str, float] = {}
    ranges: dict[str, tuple[int, int]] = {}
    for _, r in cons[cons["level"] == "pii"].iterrows():
        if not np.isnan(r["rank"]):
            fixed_rank[r["unit"]] = int(r["rank"])
        if not np.isnan(r["value"]):
            known[r["unit"]] = float(r["value"])
        rr = rank_range(r["note"])
        if rr:
            ranges[r["unit"]] = rr
    io = cons[cons["level"].isin(["input", "output"])].pivot_table(
        index="unit", columns="level", values="value", aggfunc="first"
    )
    for unit, row in io.iterrows():
        if {"input", "output"} <= set(row.index) and not row.isna().any() and unit not in known:
            known[str(unit)] = (row["input"] + row["output"]) / 2
    return fixed_rank, known, ranges


def _known_at(edge: float, rank_unit: dict[int, str], known: dict[str, float]) -> float | None:
    """The published score at a published rank (None: a virtual edge or a rank alone)."""
    if edge != int(edge) or int(edge) not in rank_unit:
        return None
    return known.get(rank_unit[int(edge)])


def _assign_slots(
    units: list[str],
    region: dict[str, str],
    cons: pd.DataFrame,
    region_avg: dict[str, float],
    proxy_value: dict[str, float],
    proxy_weight: dict[str, float] | None = None,
    region_ranks: bool = True,
) -> tuple[dict[str, int], np.ndarray, dict[str, float], dict[str, float]]:
    """Rank slot and a PII level for every unit, meeting every published rank and average.

    Units with a published rank keep it. The free rank positions form blocks between
    published ranks (and the edges of published rank ranges). A small integer programme
    puts each unranked unit into a block and gives every unit a score so that: scores fall
    with rank, a published score stays within its rounding, each region's mean equals its
    published average, ranged units land in their range, and (`region_ranks`) a published
    rank inside a region ("region rank 3/11") leaves exactly that many of the region's units
    above; among those placements it picks the one nearest each unit's proxy (its prior).
    Inside a block, units are ordered by their score.
    """
    n = len(units)
    weight = proxy_weight or {}
    fixed_rank, known, ranges = published_pii(cons)
    points = {fixed_rank[u]: known[u] for u in fixed_rank if u in known}
    curve = _interpolate_curve(points, n)
    free = sorted(set(range(1, n + 1)) - set(fixed_rank.values()))
    to_place = [u for u in units if u not in fixed_rank]
    if len(free) != len(to_place):
        raise ValueError(f"rank slots do not add up: {len(free)} free, {len(to_place)} units")
    # Cuts: published ranks, and the edges of published ranges (virtual boundaries).
    cuts = set(fixed_rank.values())
    for lo_r, hi_r in ranges.values():
        cuts |= {lo_r - 0.5, hi_r + 0.5}
    edges = sorted(cuts)
    blocks: list[list[int]] = []
    for r in free:
        key = sum(1 for c in edges if c < r)
        if blocks and sum(1 for c in edges if c < blocks[-1][0]) == key:
            blocks[-1].append(r)
        else:
            blocks.append([r])
    B, A = len(blocks), len(to_place)
    # Variables: y[a, b]; v[u] per unit; c[e] per virtual edge.
    virtual = [c for c in edges if c != int(c)]
    ny = A * B
    iv = ny
    ic = iv + n
    nv = ic + len(virtual)
    uix_ = {u: k for k, u in enumerate(units)}
    rank_unit = {r: u for u, r in fixed_rank.items()}

    def boundary_var(edge: float) -> int:
        return ic + virtual.index(edge) if edge != int(edge) else iv + uix_[rank_unit[int(edge)]]

    cost = np.zeros(nv)
    lb, ub = np.zeros(nv), np.ones(nv)
    lb[iv:], ub[iv:] = 0.0, 100.0
    for u, v in known.items():
        lb[iv + uix_[u]], ub[iv + uix_[u]] = v - BAND, v + BAND
    rows, lbs, ubs = [], [], []

    def con(entries: dict[int, float], lo: float, hi: float) -> None:
        row = np.zeros(nv)
        for j, c in entries.items():
            row[j] += c
        rows.append(row)
        lbs.append(lo)
        ubs.append(hi)

    for k in range(len(edges) - 1):  # boundaries fall with rank, leaving room for the slots between
        a_, b_ = edges[k], edges[k + 1]
        between = sum(1 for r in free if a_ < r < b_)
        # A range's edge is no score of its own: beside it, only the slots between need room.
        need = GAP * (between + (0 if a_ != int(a_) or b_ != int(b_) else 1))
        ka, kb = (_known_at(e, rank_unit, known) for e in (a_, b_))
        if ka is not None and kb is not None:  # two published scores a hundredth apart
            need = min(need, max(0.0, ka - kb - 2 * BAND))
        con({boundary_var(a_): 1.0, boundary_var(b_): -1.0}, need, np.inf)
    for a, u in enumerate(to_place):
        con({a * B + b: 1.0 for b in range(B)}, 1, 1)
        for b, blk in enumerate(blocks):
            ok = True
            if u in ranges:
                ok = ranges[u][0] <= blk[0] and blk[-1] <= ranges[u][1]
            if not ok:
                ub[a * B + b] = 0
                continue
            mid = curve[int(np.mean(blk)) - 1]
            if u in proxy_value:
                cost[a * B + b] = weight.get(u, 1.0) * (mid - proxy_value[u]) ** 2
            above = [e for e in edges if e < blk[0]]
            below = [e for e in edges if e > blk[-1]]
            k = iv + uix_[u]
            if above:  # v[u] <= boundary above - GAP when in this block
                con(
                    {k: 1.0, boundary_var(max(above)): -1.0, a * B + b: 100.0}, -np.inf, 100.0 - GAP
                )
            if below:
                con(
                    {boundary_var(min(below)): 1.0, k: -1.0, a * B + b: 100.0}, -np.inf, 100.0 - GAP
                )
    for b, blk in enumerate(blocks):
        con({a * B + b: 1.0 for a in range(A)}, len(blk), len(blk))
    # A published rank inside a region: exactly k - 1 of the region's units rank above.
    for _, r in cons[cons["level"] == "pii"].iterrows():
        kn, u = region_rank(r["note"]), r["unit"]
        if not region_ranks or kn is None or u not in fixed_rank:
            continue
        at, reg = fixed_rank[u], region[u]
        if kn[1] != sum(1 for v in units if region[v] == reg):  # another grouping's rank
            continue
        fixed_above = sum(1 for v, rk in fixed_rank.items() if region[v] == reg and rk < at)
        entries = {
            a * B + b: 1.0
            for a, v in enumerate(to_place)
            if region[v] == reg
            for b, blk in enumerate(blocks)
            if blk[-1] < at
        }
        need = kn[0] - 1 - fixed_above
        con(entries, need, need)
    for reg, avg in region_avg.items():
        members = [uix_[u] for u in units if region[u] == reg]
        con({iv + k: 1.0 / len(members) for k in members}, avg - 0.004, avg + 0.004)
    # Imported here: every app start imports this module (rank_range), and scipy.optimize
    # alone took a second of the first page's run.
    from scipy.optimize import Bounds, LinearConstraint, milp

    integrality = np.zeros(nv)
    integrality[:ny] = 1
    res = milp(
        cost,
        integrality=integrality,
        bounds=Bounds(lb, ub),
        constraints=[LinearConstraint(np.array(rows), lbs, ubs)],
    )
    if res.x is None:
        raise RuntimeError(
            f"no placement of unranked units meets the published facts: {res.message}"
        )
    y = res.x[:ny].reshape(A, B) > 0.5
    feasible = {u: float(res.x[iv + k]) for k, u in enumerate(units)}
    slot = dict(fixed_rank)
    for b, blk in enumerate(blocks):
        # Inside a block, by the priors when they carry a precision (model.estimates.priors), else by
        # the programme's scores.
        order_of = proxy_value if proxy_weight is not None else {}
        inside = sorted(
            (to_place[a] for a in range(A) if y[a, b]),
            key=lambda u: (-order_of.get(u, feasible[u]), u),
        )
        for r, u in zip(blk, inside, strict=True):
            slot[u] = r
    # The programme's scores only prove the placement feasible (any vertex will do, often
    # at a bound); the prior level of an unpublished unit is the score curve at its rank.
    level = {u: known.get(u, float(curve[slot[u] - 1])) for u in units}
    return slot, curve, known, level
