"""No phantom ranks: estimated PIIs spread inside what the published facts allow.

Stage A (model/estimates/lp.py) keeps the full rank order with a minimum gap (GAP, 0.02) and
stays close to each unit's prior in L1; where the priors and the published facts pull against
each other, the cheapest vertex piles estimated units exactly GAP apart. Such a pile reads as
a run of ranks a scenario crosses with hundredths of a point ("up 5 places" on 0.1). After
stage A, each pile is spread by the units' priors between the scores around it (a least-
squares fit to spread targets, keeping the rank order, every published regional average, the
national extremes and the group bounds): a unit's whole profile moves by one amount, so its
pillars and groups keep their shape. A unit with a published value below its PII does not
move; one with only published ranks there moves its other pillars (`_multipliers`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from model.estimates.slots import GAP
from model.index.framework import Framework

TOUCH = GAP + 1e-6  # consecutive scores this close form a pile
RANKED = ("pillar", "group", "input", "output")  # aggregates below the PII
ROOM = 5.0  # a pile is spread over a window of neighbours with this many GAPs per unit


def piles(order: list[int], pii: np.ndarray, movable: np.ndarray) -> list[list[int]]:
    """Runs (in rank order) of two or more movable units whose consecutive scores touch."""
    out: list[list[int]] = []
    run: list[int] = []
    for a, b in zip(order, order[1:], strict=False):
        if movable[a] and movable[b] and pii[a] - pii[b] <= TOUCH:
            run = run or [a]
            run.append(b)
        else:
            if len(run) >= 2:
                out.append(run)
            run = []
    if len(run) >= 2:
        out.append(run)
    return out


def _targets(
    order: list[int], pii: np.ndarray, movable: np.ndarray, prior: np.ndarray
) -> np.ndarray:
    """Where each unit would like to be: its score, except inside a pile, where the units are
    spread between the scores just above and below it, half by their priors (sorted into the
    pile's order), half evenly."""
    t = pii.copy()
    pos = {u: k for k, u in enumerate(order)}
    for run in piles(order, pii, movable):
        a, b = pos[run[0]], pos[run[-1]]
        while True:  # widen the window over movable neighbours until it has room
            hi = pii[order[a - 1]] - GAP if a > 0 else pii[order[a]] + 1.0
            lo = pii[order[b + 1]] + GAP if b + 1 < len(order) else pii[order[b]] - 1.0
            grow_up = a > 0 and movable[order[a - 1]]
            grow_down = b + 1 < len(order) and movable[order[b + 1]]
            if (hi - lo) / (b - a + 2) >= ROOM * GAP or not (grow_up or grow_down):
                break
            a, b = a - grow_up, b + grow_down
        run = order[a : b + 1]
        k = len(run)
        even = hi - (hi - lo) * (np.arange(k) + 1) / (k + 1)
        pr = np.sort(np.clip(prior[run], lo, hi))[::-1]
        t[run] = (even + pr) / 2
    return t


def spread(
    fw: Framework,
    units: list[str],
    groups: np.ndarray,
    lo_g: np.ndarray,
    hi_g: np.ndarray,
    slot: dict[str, int],
    known: dict[str, float],
    cons: pd.DataFrame,
    region: dict[str, str],
    prior: dict[str, float],
    weight: dict[str, float],
    holders: set[int],
) -> np.ndarray:
    """Group scores with every pile of estimated PIIs spread (see the module doc)."""
    n = len(units)
    cw = fw.group_weights()
    pii = groups @ cw
    order = sorted(range(n), key=lambda u: slot[units[u]])
    mult = _multipliers(fw, units, cons)
    movable = np.array(
        [u not in known and mult[k].any() and k not in holders for k, u in enumerate(units)]
    )
    if not piles(order, pii, movable):
        return groups
    step = mult[:, fw.group_pillar]  # (n, G) how far each group moves per point of PII
    # How far each unit can move: its group bounds and the national extremes of aggregates.
    moving = step > 0
    safe = np.where(moving, step, 1.0)
    d_lo = np.where(movable, np.where(moving, (lo_g - groups) / safe, -np.inf).max(axis=1), 0.0)
    d_hi = np.where(movable, np.where(moving, (hi_g - groups) / safe, np.inf).min(axis=1), 0.0)
    d_lo, d_hi = _extreme_room(fw, units, groups, cons, d_lo, d_hi, mult)
    d_lo, d_hi = np.minimum(d_lo, 0.0), np.maximum(d_hi, 0.0)
    pr = np.array([prior.get(u, pii[k]) for k, u in enumerate(units)])
    target = _targets(order, pii, movable, pr)
    w = np.array([float(np.clip(weight.get(u, 1.0), 0.05, 8.0)) for u in units])
    idx = np.nonzero(movable)[0]
    d0 = np.zeros(idx.size)

    def full(d: np.ndarray) -> np.ndarray:
        out = np.zeros(n)
        out[idx] = d
        return out

    # Linear constraints as matrices: A d + c >= 0 (order), E d = 0 (regional averages).
    col = {k: j for j, k in enumerate(idx)}
    pairs = [(a, b) for a, b in zip(order, order[1:], strict=False) if movable[a] or movable[b]]
    A = np.zeros((len(pairs), idx.size))
    c = np.zeros(len(pairs))
    for r, (a, b) in enumerate(pairs):
        if a in col:
            A[r, col[a]] += 1.0
        if b in col:
            A[r, col[b]] -= 1.0
        c[r] = pii[a] - pii[b] - min(GAP, pii[a] - pii[b])  # met at the start
    regions = {region[units[k]] for k in idx}
    avg_regions = set(cons.loc[cons["level"] == "region_average", "unit"])
    E = np.array(
        [[float(region[units[k]] == reg) for k in idx] for reg in sorted(regions & avg_regions)]
    ).reshape(-1, idx.size)
    cons_list = [{"type": "ineq", "fun": lambda d: A @ d + c, "jac": lambda d: A}]
    if len(E):
        cons_list.append({"type": "eq", "fun": lambda d: E @ d, "jac": lambda d: E})
    d_fast = _closed_form(target[idx] - pii[idx], w[idx], E, d_lo[idx], d_hi[idx])
    if d_fast is not None and (A @ d_fast + c >= -1e-9).all():
        return groups + full(d_fast)[:, None] * step
    res = minimize(
        lambda d: float((w[idx] * (pii[idx] + d - target[idx]) ** 2).sum()),
        d0,
        jac=lambda d: 2 * w[idx] * (pii[idx] + d - target[idx]),
        bounds=list(zip(d_lo[idx], d_hi[idx], strict=True)),
        constraints=cons_list,
        method="SLSQP",
        options={"maxiter": 300, "ftol": 1e-10},
    )
    d = full(res.x)
    new = pii + d
    # Accept only a solution that keeps the order and the averages (else leave the piles).
    ok = all(new[a] - new[b] >= GAP - 1e-7 for a, b in zip(order, order[1:], strict=False))
    for reg in regions & avg_regions:
        ok &= abs(sum(d[k] for k in idx if region[units[k]] == reg)) < 1e-6
    if not ok:
        return groups
    return groups + d[:, None] * step


def _multipliers(fw: Framework, units: list[str], cons: pd.DataFrame) -> np.ndarray:
    """(n, 7) how far each pillar of a unit moves when its PII moves by one point: every
    pillar alike, except that a unit with published ranks below its PII (and no published value
    there) keeps those pillars and moves the others; a unit with a published value below its
    PII, or with every pillar ranked, does not move (all zero)."""
    uix = {u: k for k, u in enumerate(units)}
    mult = np.ones((len(units), 7))
    below = cons[(cons["level"] != "pii") & cons["unit"].isin(uix)]
    for r in below.itertuples():
        k = uix[r.unit]
        if r.level not in RANKED or not pd.isna(r.value):
            mult[k] = 0.0
        elif r.level == "pillar":
            mult[k, int(r.item) - 1] = 0.0
        elif r.level == "group":
            mult[k, fw.group_pillar[fw.group_index[str(r.item)]]] = 0.0
        else:
            mult[k, : 5 if r.level == "input" else 5 :] = 0.0
    share = mult @ np.bincount(fw.group_pillar, weights=fw.group_weights(), minlength=7)
    return np.where(share[:, None] > 0, mult / np.where(share > 0, share, 1.0)[:, None], 0.0)


def _extreme_room(
    fw: Framework,
    units: list[str],
    groups: np.ndarray,
    cons: pd.DataFrame,
    d_lo: np.ndarray,
    d_hi: np.ndarray,
    mult: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Narrow each unit's move so that no aggregate passes a published national extreme or a
    unit with a published value or rank on it (`mult`: each pillar's move per point)."""
    pillars = groups @ fw.w_pillar
    uix = {u: k for k, u in enumerate(units)}
    subs = {"input": pillars[:, :5].mean(axis=1), "output": pillars[:, 5:].mean(axis=1)}
    moves = {"input": mult[:, :5].mean(axis=1), "output": mult[:, 5:].mean(axis=1)}

    def aggregate(level: str, item: str) -> tuple[np.ndarray, np.ndarray]:
        """An aggregate's values and how far each moves per point of its unit's PII."""
        if level in moves:
            return subs[level], moves[level]
        k = int(item) - 1 if level == "pillar" else fw.group_pillar[fw.group_index[item]]
        v = pillars[:, k] if level == "pillar" else groups[:, fw.group_index[item]]
        return v, mult[:, k]

    def keep(d_lo, d_hi, v, m, floor, ceiling):
        """Each unit's move keeps its value v + d m above `floor` where it is, below
        `ceiling` where it is (arrays of bounds; nan: none)."""
        on = m > 0
        safe = np.where(on, m, 1.0)
        d_lo = np.where(on & ~np.isnan(floor), np.maximum(d_lo, (floor - v) / safe), d_lo)
        d_hi = np.where(on & ~np.isnan(ceiling), np.minimum(d_hi, (ceiling - v) / safe), d_hi)
        return d_lo, d_hi

    # A unit with a published rank (or top-k) on an aggregate: nobody moves past it there.
    ranked = cons[cons["level"].isin(RANKED) & cons["unit"].ne("")]
    has_rank = ranked["rank"].notna() | ranked["note"].fillna("").str.contains("rank range")
    for r in ranked[(ranked["stat"] == "value") & has_rank].itertuples():
        v, m = aggregate(r.level, str(r.item))
        at = v[uix[r.unit]]
        above = v > at
        nan = np.full(v.shape, np.nan)
        d_lo, d_hi = keep(
            d_lo, d_hi, v, m, np.where(above, at + GAP, nan), np.where(~above, at - GAP, nan)
        )
    for r in cons[cons["stat"].isin(["national_min", "national_max"])].itertuples():
        if r.level not in ("pillar", "group"):
            continue
        v, m = aggregate(r.level, str(r.item))
        val = float(r.value)
        nan = np.full(v.shape, np.nan)
        if r.stat == "national_max":
            inside = v < val - 0.01
            d_lo, d_hi = keep(d_lo, d_hi, v, m, nan, np.where(inside, val - 0.01, v))
        else:
            inside = v > val + 0.01
            d_lo, d_hi = keep(d_lo, d_hi, v, m, np.where(inside, val + 0.01, v), nan)
    return d_lo, d_hi


def _closed_form(
    g: np.ndarray, w: np.ndarray, E: np.ndarray, lo: np.ndarray, hi: np.ndarray, rounds: int = 20
) -> np.ndarray | None:
    """min sum w (d - g)^2 subject to E d = 0 (disjoint regions) and lo <= d <= hi, without
    the order constraints (the caller checks them): each region shares its total pull in
    proportion to 1 / w; units at a bound drop out and the rest share again."""
    d = np.clip(g, lo, hi)
    free = np.ones(g.size, bool)
    for _ in range(rounds):
        d = g.copy()
        for row in E:
            m = row > 0
            fm = m & free
            fixed_sum = np.clip(g, lo, hi)[m & ~free].sum()
            if not fm.any():
                continue
            inv = 1.0 / w[fm]
            d[fm] = g[fm] - inv * (g[fm].sum() + fixed_sum) / inv.sum()
        d = np.where(free, d, np.clip(g, lo, hi))
        out = (d < lo - 1e-12) | (d > hi + 1e-12)
        if not out.any():
            break
        free &= ~out
        d = np.clip(d, lo, hi)
    else:
        return None
    for row in E:
        if abs(d[row > 0].sum()) > 1e-9:
            return None
    return d
