"""Indicators computed from official statistics as near-known cells of the reconstruction:
their values (official and published facts keep precedence), what they say beyond the unit's
level moving their groups' priors (lean_groups), the anchors (each indicator's 100 and 0)
chosen around them, fixing them where the group scores allow and relaxing them, as a note,
where a published fact needs it. Used by model.estimates.reconstruct.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import i18n
from model.estimates import statistics
from model.estimates.slots import INNER
from model.estimates.sources import Sources
from model.index.framework import Framework

MIN_FIT = 10  # units with a statistic before its line on the level is fitted


def statistics_cells(
    s: Sources,
    edition: int,
    units: list[str],
    fw: Framework,
    lo: np.ndarray,
    hi: np.ndarray,
    prov: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and raw values (n, m) computed from statistics.csv, NaN where there are none or
    where a published or official fact already holds the cell (facts keep precedence)."""
    n, m = len(units), fw.m
    score, raw = np.full((n, m), np.nan), np.full((n, m), np.nan)
    if s.statistics is None:
        return score, raw
    for code, ind in statistics.indicators(statistics.Table(s.statistics), edition, units).items():
        if code in fw.index:
            score[:, fw.index[code]], raw[:, fw.index[code]] = ind.score, ind.raw
    taken = (prov != "reconstructed") | (lo == hi)
    score[taken], raw[taken] = np.nan, np.nan
    return score, raw


def rest_of_group(fw: Framework, stat: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """(n, G) the mean score a group leaves to its indicators without statistics: who holds
    such an indicator's 100 or 0 is judged on that, not on a group its statistics lift."""
    known = ~np.isnan(stat)
    share = known.astype(float) @ fw.w_group
    part = np.where(known, stat, 0.0) @ fw.w_group
    rest = (groups - part) / np.where(share < 1.0, 1.0 - share, 1.0)
    return np.where(share < 1.0, rest, groups)


def near_anchors(
    fw: Framework,
    cons: pd.DataFrame,
    uix: dict[str, int],
    stat: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    s0: np.ndarray,
    x0: np.ndarray,
    near_lo: np.ndarray,
    near_hi: np.ndarray,
) -> None:
    """In a group with statistics, the other indicators' 100 and 0 (one unit each, the anchors
    placed after stage A) are chosen now from the prior and made near-known too, so that the
    group scores of stage A leave room for them beside the statistics."""
    have = ~np.isnan(stat).all(axis=0)
    groups = set(fw.ind_group[have])
    led = {uix[x] for x in cons.loc[cons["level"] == "indicators_led", "unit"]}
    rest = rest_of_group(fw, stat, x0)
    for i in np.nonzero(~have)[0]:
        g = fw.ind_group[i]
        if g not in groups:
            continue
        fixed = lo[:, i] == hi[:, i]  # a fact at 100 (or 0) is the anchor itself
        key = s0[:, i] + rest[:, g] / 100
        top = next((int(u) for u in np.argsort(-key) if int(u) not in led and not fixed[u]), -1)
        bottom = next(int(u) for u in np.argsort(key) if int(u) != top and not fixed[u])
        for u, edge in ((top, 100.0), (bottom, 0.0)):
            if u >= 0 and not (fixed & (lo[:, i] == edge)).any():
                near_lo[u, i] = near_hi[u, i] = s0[u, i] = edge


def release_statistic(
    fw: Framework,
    order: list[int],
    i: int,
    edge: float,
    place,
    lo: np.ndarray,
    hi: np.ndarray,
    prov: np.ndarray,
    raw_fixed: dict[tuple[int, int], float],
) -> int | None:
    """The first unit of `order` that can hold `edge` on indicator i once the statistics of
    i's group are free again (they become estimates); None when none can."""
    same = np.nonzero(fw.ind_group == fw.ind_group[i])[0]
    for u in order:
        cells = [j for j in same if prov[u, j] == "statistics"]
        if not cells or any(lo[u, j] in (0.0, 100.0) for j in cells):
            continue  # none to free, or one holds its indicator's 0 or 100
        kept = [(lo[u, j], hi[u, j]) for j in cells]
        for j in cells:
            lo[u, j], hi[u, j] = INNER, 100.0 - INNER
        if place(u, i, edge):
            for j in cells:
                prov[u, j] = "reconstructed"
                raw_fixed.pop((u, j), None)
            return u
        for j, (a, b) in zip(cells, kept, strict=True):
            lo[u, j], hi[u, j] = a, b
    return None


def note_released(
    notes: list[i18n.Message],
    edition: int,
    names: list[i18n.Name],
    fw: Framework,
    u: int | None,
    i: int,
) -> None:
    if u is not None:
        notes.append(
            i18n.msg(
                "reconstruct.note_statistics_anchor",
                edition=edition,
                unit=names[u],
                group=fw.groups[fw.ind_group[i]],
                code=fw.codes[i],
            )
        )


def fix_statistics(
    fw: Framework,
    names: list[i18n.Name],
    groups: np.ndarray,
    stat: np.ndarray,
    stat_raw: np.ndarray,
    bounds: tuple[np.ndarray, np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    prov: np.ndarray,
    raw_fixed: dict[tuple[int, int], float],
    notes: list[i18n.Message],
    edition: int,
) -> None:
    """Fix each statistics cell at its value where the unit's group score (stage A) allows it
    (the other cells within `bounds`), else at the nearest value it allows (an estimate again,
    reported in a note)."""
    for u, i in zip(*np.nonzero(~np.isnan(stat)), strict=True):
        g, v = fw.ind_group[i], float(stat[u, i])
        w = fw.w_group[:, g]
        others_lo = bounds[0][u] @ w - w[i] * bounds[0][u, i]
        others_hi = bounds[1][u] @ w - w[i] * bounds[1][u, i]
        a = max(0.0, (groups[u, g] - others_hi) / w[i])
        b = min(100.0, (groups[u, g] - others_lo) / w[i])
        got = float(np.clip(v, a, max(a, b)))
        lo[u, i] = hi[u, i] = got
        if abs(got - v) <= 1e-6:
            prov[u, i] = "statistics"
            raw_fixed[(u, i)] = float(stat_raw[u, i])
            continue
        notes.append(
            i18n.msg(
                "reconstruct.note_statistics_relaxed",
                edition=edition,
                unit=names[u],
                code=fw.codes[i],
                value=round(v, 2),
                used=round(got, 2),
            )
        )


def lean_groups(fw: Framework, stat: np.ndarray, x0: np.ndarray, level: np.ndarray) -> None:
    """Move each group's prior (n, G) by what its statistics say beyond the unit's level: a
    statistic's residual from its line on the level (least squares over the edition's units)
    times its weight in the group. Every group then gives back the same amount, so that the
    prior profile still averages to the unit's level.

    Without this the group's prior stayed where it was and the statistic, fixed after stage A,
    pushed its sibling indicators the other way (a high firm density made the unknown
    indicators beside it low); now the siblings sit at what is typical for the unit's level and
    the group carries what the statistic says of this unit."""
    known = ~np.isnan(stat)
    resid = np.zeros_like(stat)
    for i in np.nonzero(known.sum(axis=0) >= MIN_FIT)[0]:
        k = known[:, i]
        slope, intercept = np.polyfit(level[k], stat[k, i], 1)
        resid[k, i] = stat[k, i] - (intercept + slope * level[k])
    move = resid @ fw.w_group
    x0 += move - (move @ fw.group_weights())[:, None]
