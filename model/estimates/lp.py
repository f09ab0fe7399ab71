"""Stage A of the reconstruction: a linear programme over every unit's group scores.

It stays as close as possible (L1) to a prior while meeting every published aggregate, rank,
regional average and national extreme (model/estimates/reconstruct.py explains the whole method).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

from model.estimates.slots import BAND, GAP, SEED, SLACK_PENALTY, rank_range
from model.index.framework import Framework

STAT_PENALTY = 1e3  # a near-known cell (statistics) against a prior (<= 16) and a fact (1e5)


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

    def soft_ge(
        self, row: dict[int, float], rhs: float, label: str, penalty: float = SLACK_PENALTY
    ) -> None:
        """row >= rhs, softened by a heavily penalised slack."""
        s = self.var(penalty)
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
                taken = {holder}  # nor may one unit hold every group's extreme: its pillar
                for g in gs:  # would then pass the pillar's published extreme
                    prior = prior_of("group", g).astype(float)
                    if not same:
                        prior[list(taken)] = -np.inf if stat == "national_max" else np.inf
                    out[(stat, "group", g)] = holder if same else int(pick(prior))
                    if not same and len(taken) < len(gs):
                        taken.add(out[(stat, "group", g)])
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
    level_weight: np.ndarray | None = None,
    near: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Group scores nearest the prior x0 (and each unit's PII nearest its level, a unit with a
    precise prior holding on to it more: `level_weight`) that meet every published fact.

    `near`: group bounds (low, high) of near-known cells (indicators computed from statistics),
    met as soft bounds dearer than any prior (STAT_PENALTY) and cheaper than a published fact
    (SLACK_PENALTY): a fact they would contradict bends them, never the reverse."""
    n, G = x0.shape
    lw = np.ones(n) if level_weight is None else level_weight
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
        cost = (0.2 if u in ranked_units else 1.0) * lw[u]
        for g in range(G):
            dp, dn = lp.var(cost), lp.var(cost)
            lp.eq_rows.append({X[u, g]: 1.0, dp: -1.0, dn: 1.0})
            lp.eq_rhs.append(x0[u, g])
        ep, en = lp.var(2.0 * lw[u]), lp.var(2.0 * lw[u])
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

    # Published ranks on pillars, groups and the two sub-indices (Hà Nội 1st on input and
    # output in 2023).
    ranked = cons[
        (cons["level"].isin(["pillar", "group", "input", "output"])) & cons["unit"].ne("")
    ]
    for (lvl, item), part in ranked.groupby(["level", "item"]):
        exact = part[~part["rank"].isna()].sort_values("rank")
        prior = prior_of(lvl, item)
        if len(exact):
            fixed = [uix[x] for x in exact["unit"]]
            # Units named in a published top-k of this aggregate come first.
            tops = {
                uix[x]
                for x, note in zip(part["unit"], part["note"], strict=True)
                if (rank_range(note) or (0, 0))[0] == 1
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
            part.assign(rr=part["note"].map(rank_range)).dropna(subset=["rr"]).groupby("rr")
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

    if near is not None:
        for u, g in zip(
            *np.nonzero((near[0] > lo_g + 1e-9) | (near[1] < hi_g - 1e-9)), strict=True
        ):
            lp.soft_ge({X[u, g]: 1.0}, near[0][u, g], "statistics", STAT_PENALTY)
            lp.soft_ge({X[u, g]: -1.0}, -near[1][u, g], "statistics", STAT_PENALTY)

    x = lp.solve()
    missed = sorted({label for label, slacks in lp.labels if any(x[v] > 1e-6 for v in slacks)})
    return x[: n * G].reshape(n, G), missed
