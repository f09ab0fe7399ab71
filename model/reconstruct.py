"""Reconstructed indicator scores: the most honest estimate consistent with every published fact.

The Ministry's unit x indicator tables are not public. For each edition we estimate a 0-100
score for every unit and indicator such that the engine reproduces every published number used
as a constraint (scores, sub-indices, pillars, groups, ranks, regional averages, national
minima/maxima, indicator facts), deterministically (fixed seed).

Two stages, both exact:
  A. group scores for every unit: a linear programme (scipy HiGHS) that stays as close as
     possible (L1) to a prior while meeting every published aggregate and rank as a constraint;
  B. indicator scores inside each unit's group: the least-squares projection of a prior onto
     "weighted mean = the group score from A" within bounds (water-filling, exact to 1e-9).

Rules for what is not published (documented in data/README.md):
  - Rank slots of units without a published rank are assigned by a linear assignment that keeps
    each region's mean at its published average and each unit near its rank in the other
    edition (or an inferred rank); the LP then fixes exact values inside the rank order.
  - Every indicator has exactly one unit at 100 (its national maximum) and one at 0 (minimum):
    published facts decide where they can (a score of 100, a rank of 1, "led N indicators"),
    else the unit with the highest / lowest prior score. Other units stay strictly inside.
  - Priors: 2023 from each unit's score level plus seeded pillar/group/indicator variation;
    2024 from the 2023 estimate shifted to the 2024 level; 2025 from the population-weighted
    2024 estimates of each merged unit's parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .engine import aggregate, denormalise, normalise
from .framework import Framework
from .sources import EDITION_MAP, Sources

SEED = 20240312  # the day PII 2023 was published; any fixed seed would do
INNER = 0.05  # non-anchor scores stay in [INNER, 100 - INNER]: one unit holds each extreme
GAP = 0.02  # minimum gap between consecutive ranked scores (keeps two-decimal ranks strict)
SLACK_PENALTY = 1e5  # a published constraint is only ever missed if it cannot be met
BAND = 0.0045  # a published two-decimal number x stands for [x - 0.005, x + 0.005)
PROVENANCE = ("official", "published", "reconstructed")


@dataclass
class Reconstruction:
    edition: int
    units: list[str]
    scores: np.ndarray  # (n, m)
    raw: np.ndarray  # (n, m)
    provenance: np.ndarray  # (n, m) of str
    slot: dict[str, int]  # rank slot each unit was placed in
    notes: list[str] = field(default_factory=list)


def _constraint_rows(s: Sources, edition: int) -> pd.DataFrame:
    p = s.published[s.published["edition"] == edition]
    return p[p["use_as_constraint"].str.lower() == "yes"].copy()


def _range(note: str) -> tuple[int, int] | None:
    m = re.search(r"rank range (\d+)\s*[-–]\s*(\d+)", note or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


# --------------------------------------------------------------------------------------------
# Priors
# --------------------------------------------------------------------------------------------


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


def _published_ranks(
    cons: pd.DataFrame,
) -> tuple[dict[str, int], dict[str, float], dict[str, tuple[int, int]]]:
    """Published PII ranks, values (a published input and output imply the PII) and ranges."""
    fixed_rank: dict[str, int] = {}
    known: dict[str, float] = {}
    ranges: dict[str, tuple[int, int]] = {}
    for _, r in cons[cons["level"] == "pii"].iterrows():
        if not np.isnan(r["rank"]):
            fixed_rank[r["unit"]] = int(r["rank"])
        if not np.isnan(r["value"]):
            known[r["unit"]] = float(r["value"])
        rr = _range(r["note"])
        if rr:
            ranges[r["unit"]] = rr
    io = cons[cons["level"].isin(["input", "output"])].pivot_table(
        index="unit", columns="level", values="value", aggfunc="first"
    )
    for unit, row in io.iterrows():
        if {"input", "output"} <= set(row.index) and not row.isna().any() and unit not in known:
            known[str(unit)] = (row["input"] + row["output"]) / 2
    return fixed_rank, known, ranges


def _assign_slots(
    units: list[str],
    region: dict[str, str],
    cons: pd.DataFrame,
    region_avg: dict[str, float],
    proxy_value: dict[str, float],
) -> tuple[dict[str, int], np.ndarray, dict[str, float], dict[str, float]]:
    """Rank slot and a PII level for every unit, meeting every published rank and average.

    Units with a published rank keep it. The free rank positions form blocks between
    published ranks (and the edges of published rank ranges). A small integer programme
    puts each unranked unit into a block and gives every unit a score so that: scores fall
    with rank, a published score stays within its rounding, each region's mean equals its
    published average, ranged units land in their range; among those placements it picks
    the one nearest each unit's proxy (its score in the other edition, or an inferred rank).
    Inside a block, units are ordered by their score.
    """
    n = len(units)
    fixed_rank, known, ranges = _published_ranks(cons)
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
        con({boundary_var(a_): 1.0, boundary_var(b_): -1.0}, GAP * (between + 1), np.inf)
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
            cost[a * B + b] = (mid - proxy_value[u]) ** 2 if u in proxy_value else 0.0
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
    for reg, avg in region_avg.items():
        members = [uix_[u] for u in units if region[u] == reg]
        con({iv + k: 1.0 / len(members) for k in members}, avg - 0.004, avg + 0.004)
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
        inside = sorted((to_place[a] for a in range(A) if y[a, b]), key=lambda u: (-feasible[u], u))
        for r, u in zip(blk, inside, strict=True):
            slot[u] = r
    # The programme's scores only prove the placement feasible (any vertex will do, often
    # at a bound); the prior level of an unpublished unit is the score curve at its rank.
    level = {u: known.get(u, float(curve[slot[u] - 1])) for u in units}
    return slot, curve, known, level


# --------------------------------------------------------------------------------------------
# Stage A: the LP over group scores
# --------------------------------------------------------------------------------------------


class _LP:
    """A small builder for linprog's sparse inequality/equality form."""

    def __init__(self, n_vars: int):
        self.n = n_vars
        self.cost: list[float] = [0.0] * n_vars
        self.lb: list[float] = [0.0] * n_vars
        self.ub: list[float | None] = [None] * n_vars
        self.ub_rows: list[dict[int, float]] = []
        self.ub_rhs: list[float] = []
        self.eq_rows: list[dict[int, float]] = []
        self.eq_rhs: list[float] = []
        self.labels: list[tuple[str, list[int]]] = []  # soft constraints: label, slack vars

    def var(self, cost: float = 0.0, lb: float = 0.0, ub: float | None = None) -> int:
        self.cost.append(cost)
        self.lb.append(lb)
        self.ub.append(ub)
        self.n += 1
        return self.n - 1

    def le(self, row: dict[int, float], rhs: float) -> None:
        self.ub_rows.append(row)
        self.ub_rhs.append(rhs)

    def band(self, row: dict[int, float], value: float, tol: float, label: str) -> None:
        """value - tol <= row <= value + tol (a published, rounded number), pulled to value."""
        sp, sn = self.var(SLACK_PENALTY), self.var(SLACK_PENALTY)
        dp, dn = self.var(50.0, ub=tol), self.var(50.0, ub=tol)
        r = dict(row)
        for j, c in ((sp, -1.0), (sn, 1.0), (dp, -1.0), (dn, 1.0)):
            r[j] = r.get(j, 0.0) + c
        self.eq_rows.append(r)
        self.eq_rhs.append(value)
        self.labels.append((label, [sp, sn]))

    def soft_ge(self, row: dict[int, float], rhs: float, label: str) -> None:
        """row >= rhs, softened by a heavily penalised slack."""
        s = self.var(SLACK_PENALTY)
        r = {k: -v for k, v in row.items()}
        r[s] = r.get(s, 0) - 1.0
        self.le(r, -rhs)
        self.labels.append((label, [s]))

    def solve(self) -> np.ndarray:
        def mat(rows: list[dict[int, float]]) -> sparse.csr_matrix:
            data, ri, ci = [], [], []
            for i, row in enumerate(rows):
                for j, v in row.items():
                    ri.append(i)
                    ci.append(j)
                    data.append(v)
            return sparse.csr_matrix((data, (ri, ci)), shape=(len(rows), self.n))

        res = linprog(
            np.array(self.cost),
            A_ub=mat(self.ub_rows) if self.ub_rows else None,
            b_ub=np.array(self.ub_rhs) if self.ub_rows else None,
            A_eq=mat(self.eq_rows) if self.eq_rows else None,
            b_eq=np.array(self.eq_rhs) if self.eq_rows else None,
            bounds=list(zip(self.lb, self.ub, strict=True)),
            method="highs",
        )
        if res.status != 0:
            raise RuntimeError(f"reconstruction LP failed: {res.message}")
        return res.x


def _add(row: dict[int, float], other: dict[int, float], k: float = 1.0) -> dict[int, float]:
    out = dict(row)
    for j, v in other.items():
        out[j] = out.get(j, 0.0) + k * v
    return out


def _level_of(fw: Framework, groups: np.ndarray, lvl: str, item: str) -> np.ndarray:
    """An aggregate (pii, input, output, pillar k, group g) from group scores (n, G)."""
    pillars = groups @ fw.w_pillar
    if lvl == "group":
        return groups[:, fw.group_index[item]]
    if lvl == "pillar":
        return pillars[:, int(item) - 1]
    if lvl == "input":
        return pillars[:, :5].mean(axis=1)
    if lvl == "output":
        return pillars[:, 5:].mean(axis=1)
    return groups @ fw.group_weights()


def _extreme_holders(fw: Framework, cons: pd.DataFrame, uix: dict, x0: np.ndarray) -> dict:
    """Which unit holds each published national minimum / maximum of an aggregate.

    A pillar's extreme is held by the unit with rank 1 on it if published, else the unit
    with the most extreme prior. When the pillar's published group extremes average to the
    pillar's extreme, the same unit must hold them all (no one else can reach the mean);
    otherwise group extremes go to other units.
    """
    extremes = cons[cons["stat"].isin(["national_min", "national_max"])]

    def prior_of(lvl: str, item: str) -> np.ndarray:
        return _level_of(fw, x0, lvl, item)

    out: dict[tuple[str, str, str], int] = {}
    for stat in ("national_max", "national_min"):
        rows = extremes[extremes["stat"] == stat]
        pick = np.argmax if stat == "national_max" else np.argmin
        for _, r in rows[rows["level"] == "pillar"].iterrows():
            item = str(r["item"])
            top = cons[
                (cons["level"] == "pillar")
                & (cons["item"].astype(str) == item)
                & (cons["rank"] == 1)
            ]
            holder = (
                uix[top["unit"].iloc[0]]
                if stat == "national_max" and len(top)
                else int(pick(prior_of("pillar", item)))
            )
            out[(stat, "pillar", item)] = holder
            gs = [g for g in fw.groups if fw.group_pillar[fw.group_index[g]] == int(item) - 1]
            gv = {
                str(x["item"]): float(x["value"])
                for _, x in rows[rows["level"] == "group"].iterrows()
            }
            if all(g in gv for g in gs):
                same = abs(np.mean([gv[g] for g in gs]) - float(r["value"])) < 0.01
                for g in gs:
                    prior = prior_of("group", g).astype(float)
                    if not same:
                        prior[holder] = -np.inf if stat == "national_max" else np.inf
                    out[(stat, "group", g)] = holder if same else int(pick(prior))
        for _, r in rows[rows["level"] != "pillar"].iterrows():
            key = (stat, r["level"], str(r["item"]))
            out.setdefault(key, int(pick(prior_of(r["level"], str(r["item"])))))
    return out


def _stage_a(
    fw: Framework,
    units: list[str],
    region: dict[str, str],
    cons: pd.DataFrame,
    slot: dict[str, int],
    known: dict[str, float],
    level: np.ndarray,
    x0: np.ndarray,
    lo_g: np.ndarray,
    hi_g: np.ndarray,
    holders: dict[tuple[str, str, str], int],
) -> tuple[np.ndarray, list[str]]:
    n, G = x0.shape
    lp = _LP(n * G)
    X = np.arange(n * G).reshape(n, G)
    for u in range(n):
        for g in range(G):
            lp.lb[X[u, g]] = lo_g[u, g]
            lp.ub[X[u, g]] = hi_g[u, g]
    cw = fw.group_weights()
    wp = fw.w_pillar  # (G, 7)
    uix = {u: k for k, u in enumerate(units)}

    def pii(u: int) -> dict[int, float]:
        return {X[u, g]: cw[g] for g in range(G)}

    def pillar(u: int, k: int) -> dict[int, float]:
        return {X[u, g]: wp[g, k] for g in range(G) if wp[g, k] > 0}

    def sub(u: int, which: str) -> dict[int, float]:
        ks = range(5) if which == "input" else range(5, 7)
        row: dict[int, float] = {}
        for k in ks:
            row = _add(row, pillar(u, k), 1.0 / len(ks))
        return row

    # L1 closeness to the prior: |X - x0| per group, |PII - level| per unit. A unit with a
    # published rank on an aggregate moves more cheaply than its neighbours: otherwise the LP
    # keeps it and pushes every neighbour onto its bound (a pile of equal scores).
    ranked_units = {
        uix[x]
        for x in cons.loc[cons["level"].isin(["pillar", "group"]) & ~cons["rank"].isna(), "unit"]
    }
    for u in range(n):
        cost = 0.2 if u in ranked_units else 1.0
        for g in range(G):
            dp, dn = lp.var(cost), lp.var(cost)
            lp.eq_rows.append({X[u, g]: 1.0, dp: -1.0, dn: 1.0})
            lp.eq_rhs.append(x0[u, g])
        ep, en = lp.var(2.0), lp.var(2.0)
        lp.eq_rows.append(_add(pii(u), {ep: -1.0, en: 1.0}))
        lp.eq_rhs.append(level[u])

    # Published values.
    for _, r in cons.iterrows():
        if np.isnan(r["value"]) or r["unit"] == "" or r["stat"] != "value":
            continue
        lvl, val = r["level"], float(r["value"])
        if lvl == "region_average":
            members = [uix[x] for x in units if region[x] == r["unit"]]
            row: dict[int, float] = {}
            for u in members:
                row = _add(row, pii(u), 1.0 / len(members))
            lp.soft_ge(row, val - 0.004, f"region average {r['unit']}")
            lp.soft_ge(
                {k: -v for k, v in row.items()}, -(val + 0.004), f"region average {r['unit']}"
            )
            continue
        u = uix[r["unit"]]
        label = f"{lvl} {r['item']} {r['unit']}"
        if lvl == "pii":
            lp.band(pii(u), val, BAND, label)
        elif lvl in ("input", "output"):
            lp.band(sub(u, lvl), val, BAND, label)
        elif lvl == "pillar":
            lp.band(pillar(u, int(r["item"]) - 1), val, BAND, label)
        elif lvl == "group":
            lp.band({X[u, fw.group_index[r["item"]]]: 1.0}, val, BAND, label)

    # The full PII order implied by the rank slots.
    order = sorted(units, key=lambda x: slot[x])
    for a, b in zip(order, order[1:], strict=False):
        if a in known and b in known:
            continue  # both fixed by published values
        lp.soft_ge(_add(pii(uix[a]), pii(uix[b]), -1.0), GAP, f"pii order {a} > {b}")

    # Aggregate expressions by level for ranks and national extremes.
    def expr(lvl: str, item: str, u: int) -> dict[int, float]:
        if lvl == "pillar":
            return pillar(u, int(item) - 1)
        if lvl == "group":
            return {X[u, fw.group_index[item]]: 1.0}
        return sub(u, lvl) if lvl in ("input", "output") else pii(u)

    def prior_of(lvl: str, item: str) -> np.ndarray:
        return _level_of(fw, x0, lvl, item)

    ranked = cons[(cons["level"].isin(["pillar", "group"])) & cons["unit"].ne("")]
    for (lvl, item), part in ranked.groupby(["level", "item"]):
        exact = part[~part["rank"].isna()].sort_values("rank")
        prior = prior_of(lvl, item)
        if len(exact):
            fixed = [uix[x] for x in exact["unit"]]
            # Units named in a published top-k of this aggregate come first.
            tops = {
                uix[x]
                for x, note in zip(part["unit"], part["note"], strict=True)
                if (_range(note) or (0, 0))[0] == 1
            }
            others = sorted(
                (u for u in range(n) if u not in fixed), key=lambda u: (u not in tops, -prior[u])
            )
            seq = list(others)
            for u, rk in zip(fixed, exact["rank"].astype(int), strict=True):
                seq.insert(rk - 1, u)
            # Units the LP must push past a ranked unit would all stop at the same bound;
            # a seeded margin per pair spreads them instead of piling them up.
            margin = np.random.default_rng(SEED + len(lp.labels)).uniform(0.0, 0.8, n)
            for u in fixed:
                pos = seq.index(u)
                for v in range(n):
                    if v == u:
                        continue
                    gap = GAP + (0.0 if v in fixed else margin[v])
                    if seq.index(v) < pos:
                        lp.soft_ge(
                            _add(expr(lvl, item, v), expr(lvl, item, u), -1.0),
                            gap,
                            f"{lvl} {item} rank of {units[u]}",
                        )
                    else:
                        lp.soft_ge(
                            _add(expr(lvl, item, u), expr(lvl, item, v), -1.0),
                            gap,
                            f"{lvl} {item} rank of {units[u]}",
                        )
        for (lo_r, hi_r), grp in (
            part.assign(rr=part["note"].map(_range)).dropna(subset=["rr"]).groupby("rr")
        ):
            if lo_r != 1:
                continue  # only "top k" sets are used; other ranges are checked, not imposed
            inside = {uix[x] for x in grp["unit"]}
            z = lp.var(0.0, lb=-1e3)
            margin = np.random.default_rng(SEED + len(lp.labels)).uniform(0.0, 0.8, n)
            for u in range(n):
                e = expr(lvl, item, u)
                if u in inside:
                    lp.soft_ge(_add(e, {z: -1.0}), GAP, f"{lvl} {item} top {hi_r}")
                else:
                    lp.soft_ge(_add({z: 1.0}, e, -1.0), margin[u], f"{lvl} {item} top {hi_r}")

    # National minimum / maximum of an aggregate: one unit holds it, the rest are inside.
    extremes = cons[cons["stat"].isin(["national_min", "national_max"])]
    for _, r in extremes.iterrows():
        lvl, item, val = r["level"], str(r["item"]), float(r["value"])
        holder = holders[(r["stat"], lvl, item)]
        lp.band(expr(lvl, item, holder), val, BAND, f"{r['stat']} {lvl} {item}")
        for v in range(n):
            if v == holder:
                continue
            e = expr(lvl, item, v)
            if r["stat"] == "national_max":
                lp.soft_ge(
                    {k: -c for k, c in e.items()}, -(val - 0.01), f"{r['stat']} {lvl} {item}"
                )
            else:
                lp.soft_ge(e, val + 0.01, f"{r['stat']} {lvl} {item}")

    x = lp.solve()
    missed = sorted({label for label, slacks in lp.labels if any(x[v] > 1e-6 for v in slacks)})
    return x[: n * G].reshape(n, G), missed


# --------------------------------------------------------------------------------------------
# Stage B: indicator scores inside each group
# --------------------------------------------------------------------------------------------


def waterfill(
    fw: Framework, prior: np.ndarray, lo: np.ndarray, hi: np.ndarray, target: np.ndarray
) -> np.ndarray:
    """Closest scores to `prior` (least squares) whose weighted group means equal `target`.

    Solves every (unit, group) block at once: s = clip(prior + lambda * w, lo, hi) with one
    lambda per block, found by bisection (the group mean is monotone in lambda).
    """
    w = fw.weights
    wg = fw.w_group
    lam_lo = np.full(target.shape, -200.0)
    lam_hi = np.full(target.shape, 200.0)
    for _ in range(80):
        lam = (lam_lo + lam_hi) / 2
        s = np.clip(prior + lam[:, fw.ind_group] * w, lo, hi)
        too_high = s @ wg > target
        lam_hi = np.where(too_high, lam, lam_hi)
        lam_lo = np.where(too_high, lam_lo, lam)
    s = np.clip(prior + ((lam_lo + lam_hi) / 2)[:, fw.ind_group] * w, lo, hi)
    # Remove the last float residue on a free cell of each block.
    resid = target - s @ wg
    for u, g in zip(*np.nonzero(np.abs(resid) > 1e-12), strict=True):
        idx = np.nonzero(fw.ind_group == g)[0]
        free = [i for i in idx if hi[u, i] - lo[u, i] > 1e-9 and lo[u, i] < s[u, i] < hi[u, i]]
        if free:
            i = free[0]
            s[u, i] += resid[u, g] / wg[i, g]
    return s


# --------------------------------------------------------------------------------------------
# One edition
# --------------------------------------------------------------------------------------------


def _raw_interval(
    raw: float, lo: float, hi: float, decimals: int, direction: int
) -> tuple[float, float]:
    """Score interval consistent with a raw value and goalposts each rounded to `decimals`."""
    h = 0.5 * 10.0 ** (-decimals)
    vals = [
        float(normalise(np.array(raw + a), np.array(lo + b), np.array(hi + c), np.array(direction)))
        for a in (-h, h)
        for b in (-h, h)
        for c in (-h, h)
    ]
    return max(0.0, min(vals)), min(100.0, max(vals))


def reconstruct_edition(
    s: Sources,
    edition: int,
    prior_scores: np.ndarray | None = None,
    proxy_value: dict[str, float] | None = None,
) -> Reconstruction:
    fw = s.framework_of(edition)
    udf = s.units_of(edition)
    units = list(udf["slug"])
    region = dict(zip(udf["slug"], udf["region"], strict=True))
    n, m, G = len(units), fw.m, len(fw.groups)
    uix = {u: k for k, u in enumerate(units)}
    rng = np.random.default_rng(SEED + edition)
    cons = _constraint_rows(s, edition)
    notes: list[str] = []

    region_avg = {
        r["unit"]: float(r["value"]) for _, r in cons[cons["level"] == "region_average"].iterrows()
    }
    slot, curve, known, levels = _assign_slots(units, region, cons, region_avg, proxy_value or {})
    level = np.array([levels[u] for u in units])

    # ---- priors ---------------------------------------------------------------------------
    if prior_scores is None:
        pill_var = rng.normal(0, 9.0, (n, 7))
        grp_var = rng.normal(0, 6.0, (n, G))
        x0 = level[:, None] + pill_var[:, fw.group_pillar] + grp_var
        s0 = x0[:, fw.ind_group] + rng.normal(0, 11.0, (n, m))
    else:
        prev = aggregate(fw, prior_scores)
        x0 = prev.groups + (level - prev.pii)[:, None]
        s0 = prior_scores + (level - prev.pii)[:, None] + rng.normal(0, 3.0, (n, m))
    x0 = np.clip(x0, 2.0, 98.0)

    # Published pillar and group values move the prior to them, so that orderings taken
    # from the prior (for published ranks) agree with what is known; then published pillar
    # ranks steer it, so the LP does not have to move far (nor pile units onto a bound).
    def shift(u: int, gs: np.ndarray, by: float) -> None:
        x0[u, gs] += by
        s0[u, np.isin(fw.ind_group, np.nonzero(gs)[0])] += by

    for _, r in cons[
        (cons["level"] == "pillar") & (~cons["value"].isna()) & cons["unit"].ne("")
    ].iterrows():
        k, u = int(r["item"]) - 1, uix[r["unit"]]
        gs = fw.group_pillar == k
        shift(u, gs, float(r["value"]) - x0[u, gs].mean())
    for _, r in cons[
        (cons["level"] == "group") & (~cons["value"].isna()) & cons["unit"].ne("")
    ].iterrows():
        u, g = uix[r["unit"]], fw.group_index[str(r["item"])]
        gs = np.arange(G) == g
        shift(u, gs, float(r["value"]) - x0[u, g])
    for _, r in cons[(cons["level"] == "pillar") & (~cons["rank"].isna())].iterrows():
        k, u = int(r["item"]) - 1, uix[r["unit"]]
        gs = fw.group_pillar == k
        pv = x0[:, gs].mean(axis=1)
        others = np.sort(np.delete(pv, u))[::-1]
        rk = int(r["rank"])
        want = others[0] + 3.0 if rk == 1 else (others[rk - 2] + others[rk - 1]) / 2
        x0[u, gs] += want - pv[u]
        s0[u, np.isin(fw.ind_group, np.nonzero(gs)[0])] += want - pv[u]
    x0 = np.clip(x0, 2.0, 98.0)
    s0 = np.clip(s0, 1.0, 99.0)

    # ---- cells fixed by facts ------------------------------------------------------------
    lo = np.full((n, m), INNER)
    hi = np.full((n, m), 100.0 - INNER)
    prov = np.full((n, m), "reconstructed", dtype=object)
    raw_fixed: dict[tuple[int, int], float] = {}
    gp = s.goalposts[s.goalposts["edition"] == edition].set_index("code")
    glo = np.array([gp.at[c, "min_raw"] for c in fw.codes])
    ghi = np.array([gp.at[c, "max_raw"] for c in fw.codes])
    facts = s.facts[
        (s.facts["edition"] == edition) & (s.facts["use_as_constraint"].str.lower() == "yes")
    ]
    max_holder: dict[int, int] = {}
    min_holder: dict[int, int] = {}
    rank_facts: list[tuple[int, int, int]] = []
    for _, f in facts.iterrows():
        u, i, v = uix[f["unit"]], fw.index[f["code"]], float(f["value"])
        kind = f["kind"]
        status = "official" if f["status"] == "official" else "published"
        if kind == "score":
            lo[u, i] = hi[u, i] = v
            s0[u, i] = v
            prov[u, i] = status
            if v >= 100.0:
                max_holder[i] = u
            elif v <= 0.0:
                min_holder[i] = u
        elif kind == "raw":
            a, b = _raw_interval(
                v, glo[i], ghi[i], int(gp.at[fw.codes[i], "decimals"]), int(fw.direction[i])
            )
            lo[u, i], hi[u, i] = max(a, INNER), min(b, 100 - INNER)
            if lo[u, i] > hi[u, i]:  # the fact sits on a goalpost
                lo[u, i] = hi[u, i] = (a + b) / 2
            s0[u, i] = (lo[u, i] + hi[u, i]) / 2
            prov[u, i] = status
            raw_fixed[(u, i)] = v
        elif kind == "rank":
            if int(v) == 1:
                max_holder[i] = u
                lo[u, i] = hi[u, i] = 100.0
                prov[u, i] = status
            else:
                rank_facts.append((u, i, int(v)))

    # ---- published indicator ranks r > 1: the unit's score sits between its prior
    # neighbours; r - 1 units (by prior) stay above it, every other unit below.
    holders = _extreme_holders(fw, cons, uix, x0)
    for u, i, rk in rank_facts:
        g, p = fw.groups[fw.ind_group[i]], str(fw.group_pillar[fw.ind_group[i]] + 1)
        tops = {holders.get(("national_max", lvl, it)) for lvl, it in (("group", g), ("pillar", p))}
        order = sorted((v for v in range(n) if v != u), key=lambda v: (v not in tops, -s0[v, i]))
        above, below = order[: rk - 1], order[rk - 1 :]
        want = float(np.clip((s0[above[-1], i] + s0[below[0], i]) / 2, 60.0, 97.0))
        lo[u, i] = hi[u, i] = want
        prov[u, i] = "published"
        for v in above:
            lo[v, i] = max(lo[v, i], min(want + 0.5, hi[v, i]))
        for v in below:
            hi[v, i] = min(hi[v, i], max(want - 0.5, lo[v, i]))

    # ---- stage A: group scores, before anchors so that no guess about who holds an
    # indicator's extremes can stand in the way of a published number.
    lo_g, hi_g = lo @ fw.w_group, hi @ fw.w_group
    x0 = np.clip(x0, lo_g, hi_g)
    groups, missed = _stage_a(fw, units, region, cons, slot, known, level, x0, lo_g, hi_g, holders)
    # `missed` lists soft constraints the LP had to bend; the fidelity report judges the
    # result against the published tolerances, so nothing is claimed here.
    del missed
    groups = np.clip(groups, lo_g, hi_g)

    # ---- anchors: who holds each indicator's 100 and 0, where the group scores allow it ----
    def place(u: int, i: int, value: float) -> bool:
        if lo[u, i] == hi[u, i] or not lo[u, i] - INNER <= value <= hi[u, i] + INNER:
            return False
        g = fw.ind_group[i]
        new_lo = lo[u] @ fw.w_group[:, g] + fw.w_group[i, g] * (value - lo[u, i])
        new_hi = hi[u] @ fw.w_group[:, g] + fw.w_group[i, g] * (value - hi[u, i])
        if not new_lo - 1e-9 <= groups[u, g] <= new_hi + 1e-9:
            return False
        lo[u, i] = hi[u, i] = value
        return True

    led = cons[cons["level"] == "indicators_led"]
    capped_units = {uix[x] for x in led["unit"]}
    for _, r in led.iterrows():
        u = uix[r["unit"]]
        need = int(r["value"]) - sum(1 for hu in max_holder.values() if hu == u)
        for i in sorted(range(m), key=lambda i: -groups[u, fw.ind_group[i]] - s0[u, i] / 100):
            if need <= 0:
                break
            if i not in max_holder and place(u, i, 100.0):
                max_holder[i] = u
                need -= 1
        if need > 0:
            notes.append(
                f"{edition}: {units[u]} could lead only {int(r['value']) - need} indicators"
            )
    for i in range(m):
        g = fw.ind_group[i]
        if i not in max_holder:
            for u in np.argsort(-(groups[:, g] + s0[:, i] / 100)):
                if u not in capped_units and place(int(u), i, 100.0):
                    max_holder[i] = int(u)
                    break
            else:
                raise RuntimeError(f"{edition}: no unit can hold the maximum of {fw.codes[i]}")
        if i not in min_holder:
            for u in np.argsort(groups[:, g] + s0[:, i] / 100):
                if u != max_holder[i] and place(int(u), i, 0.0):
                    min_holder[i] = int(u)
                    break
            else:
                raise RuntimeError(f"{edition}: no unit can hold the minimum of {fw.codes[i]}")

    # ---- stage B: indicator scores inside each group ---------------------------------------
    scores = waterfill(fw, np.clip(s0, lo, hi), lo, hi, groups)

    raw = denormalise(scores, glo, ghi, fw.direction)
    for (u, i), v in raw_fixed.items():
        raw[u, i] = v
    return Reconstruction(edition, units, scores, raw, prov, slot, notes)


def _merge_prior(s: Sources, prev: Reconstruction, edition: int) -> np.ndarray:
    """Population-weighted mean of each merged unit's parts' scores in the previous edition."""
    udf = s.units_of(edition)
    prev_ix = {u: k for k, u in enumerate(prev.units)}
    pop = s.units[s.units["map"] == EDITION_MAP[prev.edition]].set_index("slug")[
        "population_thousand"
    ]
    rows = []
    for _, r in udf.iterrows():
        parts = [p for p in r["merged_from"].split(";") if p] or [r["slug"]]
        w = np.array([pop.get(p, np.nan) for p in parts], dtype=float)
        w = np.where(np.isnan(w), np.nanmean(w) if not np.isnan(w).all() else 1.0, w)
        rows.append((w[:, None] * prev.scores[[prev_ix[p] for p in parts]]).sum(0) / w.sum())
    return np.array(rows)


def reconstruct_all(s: Sources) -> dict[int, Reconstruction]:
    """Reconstruct 2023, then 2024 from it, then 2025 from 2024's merged parts."""
    out: dict[int, Reconstruction] = {}
    inferred = s.published[(s.published["status"] == "inferred") & (s.published["level"] == "pii")]
    prev: Reconstruction | None = None
    for edition in sorted(EDITION_MAP):
        fw = s.framework_of(edition)
        proxy: dict[str, float] = {}
        prior = None
        if prev is not None:
            if EDITION_MAP[edition] == EDITION_MAP[prev.edition]:
                prior = prev.scores
            else:
                prior = _merge_prior(s, prev, edition)
            agg = aggregate(fw, prior)
            proxy = dict(zip(s.units_of(edition)["slug"], agg.pii, strict=True))
        for _, r in inferred[inferred["edition"] == edition].iterrows():
            if not np.isnan(r["value"]):
                proxy[r["unit"]] = float(r["value"])
        rec = reconstruct_edition(s, edition, prior, proxy)
        if edition == 2023:
            # Units inferred to a rank (e.g. Lâm Đồng 15th) guide the 2023 slots when re-run
            # with those ranks' expected scores.
            ranks = inferred[(inferred["edition"] == 2023) & (~inferred["rank"].isna())]
            if len(ranks):
                curve_pii = aggregate(fw, rec.scores).pii
                order = np.sort(curve_pii)[::-1]
                for _, r in ranks.iterrows():
                    proxy.setdefault(r["unit"], float(order[int(r["rank"]) - 1]))
                later = s.published[
                    (s.published["edition"] == 2024) & (~s.published["rank"].isna())
                ]
                for _, r in later[later["use_as_constraint"].str.lower() == "yes"].iterrows():
                    if r["level"] == "pii" and r["unit"] in rec.slot:
                        proxy.setdefault(r["unit"], float(order[int(r["rank"]) - 1]))
                rec = reconstruct_edition(s, edition, None, proxy)
        out[edition] = rec
        prev = rec
    return out
