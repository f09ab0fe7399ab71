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

Indicators computed from official statistics (model/estimates/statistics.py, provenance
`statistics`) are near-known: a published or official value keeps its cell; the others move
their groups' priors by what they say beyond the unit's level, are soft bounds in stage A
(dearer than a prior, cheaper than a fact) and fixed after it where the groups allow, else
they yield and a note names them (data/README.md, "Indicators computed from statistics").

Rules for what is not published (documented in data/README.md):
  - Rank slots of units without a published rank are assigned by a small integer programme
    that keeps each region's mean at its published average and each unit near its prior
    (model/estimates/slots.py); the LP then fixes exact values inside the rank order.
  - Every indicator has exactly one unit at 100 (its national maximum) and one at 0 (minimum):
    published facts decide where they can (a score of 100, a rank of 1, "led N indicators"),
    else the unit with the highest / lowest prior score. Other units stay strictly inside.
  - Priors (model/estimates/priors.py, validated out of fold by model/estimates/quality/validate.py): every edition from
    each unit's expected PII (other editions' published results, public statistics of the
    province, the region's average; for 2025 also the 2024 estimates of the merged parts)
    with a precision that decides how firmly the unit holds on to it, both in its slot and in
    its level (the curve at the slot and the prior, by precision); the profile below the PII
    from seeded pillar/group/indicator variation (2023), the 2023 estimate (2024) or the
    population-weighted 2024 estimates of each merged unit's parts (2025).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model import i18n
from model.estimates import near_known, unpack
from model.estimates.correlates import part_weights, population
from model.estimates.correlates import parts as correlates_parts
from model.estimates.lp import _extreme_holders, _stage_a
from model.estimates.priors import expected_pii
from model.estimates.shape import Shape
from model.estimates.shape import learn as learn_shape
from model.estimates.slots import GAP, INNER, PROVENANCE, SEED, _assign_slots, constraint_rows
from model.estimates.sources import EDITION_MAP, Sources
from model.index.engine import aggregate, denormalise, normalise
from model.index.framework import Framework

# "legacy": the first priors (a unit's level plus seeded variation; 2024 and 2025 from the
# previous estimate), kept to measure the change (data/README.md, "Validation").
PRIORS = "model"
WMIN = 0.05  # the least a vague prior weighs in the LP (a precise one: up to 8)
CURVE_SD = (2.0, 1.0)  # the score curve's error at a published rank, and its growth per rank

__all__ = [
    "PROVENANCE",
    "Reconstruction",
    "reconstruct_all",
    "reconstruct_edition",
    "waterfill",
    "without",
]


@dataclass
class Reconstruction:
    edition: int
    units: list[str]
    scores: np.ndarray  # (n, m)
    raw: np.ndarray  # (n, m)
    provenance: np.ndarray  # (n, m) of str
    slot: dict[str, int]  # rank slot each unit was placed in
    notes: list[i18n.Message] = field(default_factory=list)


def _miss(x: float, lo: float, hi: float) -> float:
    """How far x lies outside [lo, hi]."""
    return max(lo - x, x - hi, 0.0)


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
    pin_top: bool = False,
    proxy_weight: dict[str, float] | None = None,
    shape: Shape | None = None,
) -> Reconstruction:
    """One edition (see the module doc). `pin_top` puts the maximum of an indicator with a
    published rank r > 1 on the first unit above it: the retry when nobody could hold it."""
    fw = s.framework_of(edition)
    udf = s.units_of(edition)
    units = list(udf["slug"])
    # the build's notes name a unit as its reader does, not by its slug
    names = [i18n.Name(a, b) for a, b in zip(udf["name_vi"], udf["name_en"], strict=True)]
    region = dict(zip(udf["slug"], udf["region"], strict=True))
    n, m, G = len(units), fw.m, len(fw.groups)
    uix = {u: k for k, u in enumerate(units)}
    rng = np.random.default_rng(SEED + edition)
    cons = constraint_rows(s, edition)
    notes: list[i18n.Message] = []

    region_avg = {
        r["unit"]: float(r["value"]) for _, r in cons[cons["level"] == "region_average"].iterrows()
    }
    slot, curve, known, levels = _assign_slots(
        units, region, cons, region_avg, proxy_value or {}, proxy_weight, PRIORS == "model"
    )
    if proxy_weight is not None:
        levels = _lean_on_priors(levels, slot, known, proxy_value or {}, proxy_weight)
        levels = _meet_region_averages(levels, slot, known, region, region_avg, proxy_weight)
    level = np.array([levels[u] for u in units])

    # ---- priors ---------------------------------------------------------------------------
    if prior_scores is None and shape is not None:
        # The learned typical profile (model/estimates/shape.py), no seeded variation: where
        # nothing informs a group or an indicator, it stays at the unit's level.
        x0 = level[:, None] + shape.groups(fw)[None, :]
        s0 = x0[:, fw.ind_group].copy()
    elif prior_scores is None:
        pill_var = rng.normal(0, 9.0, (n, 7))
        grp_var = rng.normal(0, 6.0, (n, G))
        x0 = level[:, None] + pill_var[:, fw.group_pillar] + grp_var
        if proxy_weight is not None:
            # The variation shapes an estimated unit's profile, not its PII: that is its level.
            # (A published PII is met by the LP anyway; its profile is left as it was.)
            est = np.array([u not in known for u in units])
            x0[est] -= (x0[est] @ fw.group_weights() - level[est])[:, None]
        s0 = x0[:, fw.ind_group] + rng.normal(0, 11.0, (n, m))
    else:
        prev = aggregate(fw, prior_scores)
        x0 = prev.groups + (level - prev.pii)[:, None]
        s0 = prior_scores + (level - prev.pii)[:, None]
        if shape is None:  # the first priors' seeded variation (PRIORS = "legacy")
            s0 = s0 + rng.normal(0, 3.0, (n, m))
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
        if pin_top and i not in max_holder:
            lo[above[0], i] = hi[above[0], i] = 100.0
            max_holder[i] = above[0]
        for v in below:
            hi[v, i] = min(hi[v, i], max(want - 0.5, lo[v, i]))

    # ---- indicators computed from official statistics (issue 21): near-known. A fact keeps
    # its cell; the others are soft group bounds in stage A and fixed after it where the groups
    # allow (else the nearest value the published facts leave, and a note says so).
    stat, stat_raw = near_known.statistics_cells(s, edition, units, fw, lo, hi, prov)
    near_known.lean_groups(fw, stat, x0, level)  # the groups' priors say what they know
    s0 = np.where(np.isnan(stat), s0, stat)
    near_lo, near_hi = np.where(np.isnan(stat), lo, stat), np.where(np.isnan(stat), hi, stat)
    near_known.near_anchors(fw, cons, uix, stat, lo, hi, s0, x0, near_lo, near_hi)

    # ---- stage A: group scores, before anchors so that no guess about who holds an
    # indicator's extremes can stand in the way of a published number.
    lo_g, hi_g = lo @ fw.w_group, hi @ fw.w_group
    near = (near_lo @ fw.w_group, near_hi @ fw.w_group)
    x0 = np.clip(np.clip(x0, lo_g, hi_g), *near)
    lw = None
    if proxy_weight is not None:
        lw = np.array([float(np.clip(proxy_weight.get(u, 1.0), WMIN, 8.0)) for u in units])
    groups, missed = _stage_a(
        fw, units, region, cons, slot, known, level, x0, lo_g, hi_g, holders, lw, near
    )
    # `missed` lists soft constraints the LP had to bend; the fidelity report judges the
    # result against the published tolerances, so nothing is claimed here.
    del missed
    groups = np.clip(groups, lo_g, hi_g)
    if proxy_weight is not None:  # no phantom ranks (model/estimates/unpack.py)
        groups = unpack.spread(
            fw, units, groups, lo_g, hi_g, slot, known, cons, region,
            proxy_value or {}, proxy_weight, set(holders.values()),
        )  # fmt: skip

    # ---- anchors: who holds each indicator's 100 and 0, where the group scores allow it ----
    def place(u: int, i: int, value: float) -> bool:
        if lo[u, i] == hi[u, i] or not lo[u, i] - INNER <= value <= hi[u, i] + INNER:
            return False
        g = fw.ind_group[i]
        w, x = fw.w_group[:, g], groups[u, g]
        new_lo = lo[u] @ w + w[i] * (value - lo[u, i])
        new_hi = hi[u] @ w + w[i] * (value - hi[u, i])
        # A group stage A set beside two near anchors of the same unit (its 0 on two
        # indicators) is out of reach until both are placed: a step toward it is taken.
        if _miss(x, new_lo, new_hi) > 1e-9 and not _miss(x, new_lo, new_hi) < _miss(
            x, lo[u] @ w, hi[u] @ w
        ):
            return False
        lo[u, i] = hi[u, i] = value
        return True

    # the near anchors' 0 and 100 are among the values their cells may take
    bounds = (np.minimum(lo, near_lo), np.maximum(hi, near_hi))
    near_known.fix_statistics(
        fw, names, groups, stat, stat_raw, bounds, lo, hi, prov, raw_fixed, notes, edition
    )
    for i in np.nonzero(~np.isnan(stat).all(axis=0))[0]:
        fixed = (prov[:, i] == "statistics") & (lo[:, i] == hi[:, i])
        for holders_of, edge in ((max_holder, 100.0), (min_holder, 0.0)):
            at = np.nonzero(fixed & (lo[:, i] == edge))[0]
            if i not in holders_of and len(at):
                holders_of[i] = int(at[0])

    led = cons[cons["level"] == "indicators_led"]
    capped_units = {uix[x] for x in led["unit"]}
    for _, r in led.iterrows():
        u = uix[r["unit"]]
        # every cell already fixed at 100 counts (facts, and the ties of a winsorised statistic)
        need = int(r["value"]) - int((lo[u] >= 100.0).sum())
        for i in sorted(range(m), key=lambda i: -groups[u, fw.ind_group[i]] - s0[u, i] / 100):
            if need <= 0:
                break
            if i not in max_holder and place(u, i, 100.0):
                max_holder[i] = u
                need -= 1
        if need > 0:
            notes.append(
                i18n.msg(
                    "reconstruct.note_led_fewer",
                    edition=edition,
                    unit=names[u],
                    n=int(r["value"]) - need,
                )
            )
    rest = near_known.rest_of_group(fw, stat, groups)
    for i in range(m):
        g = fw.ind_group[i]
        if i not in max_holder:
            order = np.argsort(-(rest[:, g] + s0[:, i] / 100))
            # A unit whose "led N" is spent holds one more only when nobody else can (a
            # published rank leaves it alone above; the fidelity report then says so).
            holder = next(
                (int(u) for u in order if u not in capped_units and place(u, i, 100.0)), None
            )
            if holder is None:  # statistics of its group leave no room: one of them yields
                free = [int(u) for u in order if u not in capped_units]  # before a "led N"
                holder = near_known.release_statistic(
                    fw, free, i, 100.0, place, lo, hi, prov, raw_fixed
                )
                near_known.note_released(notes, edition, names, fw, holder, i)
            if holder is None and pin_top:
                holder = next((int(u) for u in order if place(u, i, 100.0)), None)
            if holder is None and pin_top:
                holder = near_known.release_statistic(
                    fw, order, i, 100.0, place, lo, hi, prov, raw_fixed
                )
                near_known.note_released(notes, edition, names, fw, holder, i)
            if holder is None and not pin_top:  # the retry, before a spent "led N" takes it
                return reconstruct_edition(
                    s, edition, prior_scores, proxy_value, True, proxy_weight, shape
                )
            if holder is None:
                raise RuntimeError(f"{edition}: no unit can hold the maximum of {fw.codes[i]}")
            max_holder[i] = holder
        if i not in min_holder:
            order = [int(u) for u in np.argsort(rest[:, g] + s0[:, i] / 100)]
            order = [u for u in order if u != max_holder[i]]
            holder = next((u for u in order if place(u, i, 0.0)), None)
            if holder is None:
                holder = near_known.release_statistic(
                    fw, order, i, 0.0, place, lo, hi, prov, raw_fixed
                )
                near_known.note_released(notes, edition, names, fw, holder, i)
            if holder is None:
                raise RuntimeError(f"{edition}: no unit can hold the minimum of {fw.codes[i]}")
            min_holder[i] = holder

    # ---- stage B: indicator scores inside each group ---------------------------------------
    scores = waterfill(fw, np.clip(s0, lo, hi), lo, hi, groups)

    raw = denormalise(scores, glo, ghi, fw.direction)
    for (u, i), v in raw_fixed.items():
        raw[u, i] = v
    return Reconstruction(edition, units, scores, raw, prov, slot, notes)


def _lean_on_priors(
    levels: dict[str, float],
    slot: dict[str, int],
    known: dict[str, float],
    prior: dict[str, float],
    weight: dict[str, float],
) -> dict[str, float]:
    """An unpublished unit's level: the curve at its slot and its prior, by precision, kept
    strictly between the published scores ranked around it."""
    pub = sorted((slot[u], v) for u, v in known.items() if u in slot)
    out = dict(levels)
    for u, lv in levels.items():
        if u in known or u not in prior:
            continue
        r = slot[u]
        above = [(k, v) for k, v in pub if k < r]
        below = [(k, v) for k, v in pub if k > r]
        gaps = ([r - above[-1][0]] if above else []) + ([below[0][0] - r] if below else [])
        d = min(gaps) if gaps else r
        sc = CURVE_SD[0] + CURVE_SD[1] * d
        sp2 = 4.0 / max(weight.get(u, 1e-6), 1e-6)  # the prior's variance: weight = (2 / sd)²
        v = (lv / sc**2 + prior[u] / sp2) / (1 / sc**2 + 1 / sp2)
        hi = above[-1][1] - GAP * (r - above[-1][0]) if above else 100.0
        lo = below[0][1] + GAP * (below[0][0] - r) if below else 0.0
        out[u] = float(np.clip(v, lo, max(lo, hi)))
    return out


def _meet_region_averages(
    levels: dict[str, float],
    slot: dict[str, int],
    known: dict[str, float],
    region: dict[str, str],
    region_avg: dict[str, float],
    weight: dict[str, float],
    rounds: int = 30,
) -> dict[str, float]:
    """Levels moved so that every published regional average holds, each unpublished unit
    taking a share of the gap in proportion to its prior variance (1 / weight) and staying
    between the units ranked next to it; otherwise the LP would put the whole gap on the one
    unit it can move most freely (often a region's leader)."""
    out = dict(levels)
    order = sorted(out, key=lambda u: slot[u])
    members = {r: [u for u in order if region[u] == r] for r in region_avg}
    for _ in range(rounds):
        for reg, avg in region_avg.items():
            free = [u for u in members[reg] if u not in known]
            gap = avg * len(members[reg]) - sum(out[u] for u in members[reg])
            if not free or abs(gap) < 1e-6:
                continue
            var = {u: 1.0 / max(weight.get(u, 1.0), 1e-6) for u in free}
            total = sum(var.values())
            for u in free:
                k = order.index(u)
                hi = out[order[k - 1]] - GAP if k > 0 else 100.0
                lo = out[order[k + 1]] + GAP if k + 1 < len(order) else 0.0
                out[u] = float(np.clip(out[u] + gap * var[u] / total, lo, max(lo, hi)))
    return out


def _merge_prior(s: Sources, prev: Reconstruction, edition: int) -> np.ndarray:
    """Population-weighted mean of each merged unit's parts' scores in the previous edition."""
    prev_ix = {u: k for k, u in enumerate(prev.units)}
    pop = population(s, EDITION_MAP[prev.edition])
    rows = []
    for parts in correlates_parts(s, edition):
        w = part_weights(pop, parts)
        rows.append((w[:, None] * prev.scores[[prev_ix[p] for p in parts]]).sum(0) / w.sum())
    return np.array(rows)


def without(s: Sources, hide: Collection[tuple[int, str]]) -> Sources:
    """The sources as if nothing had been published about these (edition, unit) pairs: their
    published rows (values, ranks, pillars, groups; any status) and indicator facts dropped."""
    if not hide:
        return s
    keys = {(int(e), str(u)) for e, u in hide}

    def keep(df: pd.DataFrame) -> pd.DataFrame:
        pairs = zip(df["edition"].astype(int), df["unit"], strict=True)
        return df.loc[np.array([p not in keys for p in pairs], dtype=bool)]

    return dataclasses.replace(s, published=keep(s.published), facts=keep(s.facts))


def reconstruct_all(
    s: Sources, hide: Collection[tuple[int, str]] = (), until: int | None = None
) -> dict[int, Reconstruction]:
    """Reconstruct 2023, then 2024 from it, then 2025 from 2024's merged parts.

    `hide` drops every published fact about those (edition, unit) pairs first (the validation
    rebuilds the estimates without them); `until` stops after that edition.
    """
    s = without(s, hide)
    out: dict[int, Reconstruction] = {}
    inferred = s.published[(s.published["status"] == "inferred") & (s.published["level"] == "pii")]
    prev: Reconstruction | None = None
    profile = learn_shape(s) if PRIORS == "model" else None
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
        weight: dict[str, float] | None = None
        if PRIORS == "model":
            # On a new map the previous edition's estimates of the merged parts are one more
            # piece of evidence; on the same map they validated worse than the published
            # results alone (data/README.md, "Validation") and only shape the profile.
            new_map = prev is not None and EDITION_MAP[edition] != EDITION_MAP[prev.edition]
            pr = expected_pii(s, edition, {"estimate:previous": proxy} if new_map else None)
            proxy = dict(pr.mean)
            weight = {u: (2.0 / sd) ** 2 for u, sd in pr.sd.items()}
        for _, r in inferred[inferred["edition"] == edition].iterrows():
            if not np.isnan(r["value"]):
                proxy[r["unit"]] = float(r["value"])
                if weight is not None:
                    weight[r["unit"]] = 4.0
        rec = reconstruct_edition(s, edition, prior, proxy, proxy_weight=weight, shape=profile)
        if edition == 2023 and PRIORS == "legacy":
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
        if until is not None and edition >= until:
            break
    return out
