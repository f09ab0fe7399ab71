"""A unit's profile: its scores at every level, indicator ranks, strengths and weaknesses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.estimates.quality import intervals
from model.index.dataset import Edition
from model.index.engine import Aggregates, percentile_ranks, rank_desc
from model.index.framework import PILLARS

TOP_K = 10  # GII 2023: strengths are at or above the unit's 10th-highest percentile rank
AUTO_STRENGTH_RANK = 3  # an indicator ranked in the top 3 is always a strength


def strengths_weaknesses(
    scores: np.ndarray, unit: int, k: int = TOP_K
) -> tuple[list[int], list[int]]:
    """Indicator positions that are the unit's strengths and weaknesses (GII 2023 rule).

    Percentile ranks of the unit's indicators are compared with its own k-th highest (and
    k-th lowest) percentile rank; ties can give more than k. Rank <= 3 is always a strength.
    """
    pr = percentile_ranks(scores)[unit]  # (m,)
    ranks = rank_desc(scores.T)[:, unit]  # each indicator's rank of the unit
    present = ~np.isnan(scores[unit])
    valid = pr[present]
    if valid.size == 0:
        return [], []
    kk = min(k, valid.size)
    hi_cut = np.sort(valid)[::-1][kk - 1]
    lo_cut = np.sort(valid)[kk - 1]
    strong = [
        i
        for i in range(len(pr))
        if present[i] and (pr[i] >= hi_cut or ranks[i] <= AUTO_STRENGTH_RANK)
    ]
    weak = [i for i in range(len(pr)) if present[i] and pr[i] <= lo_cut and i not in strong]
    return strong, weak


def ranking_table(
    ed: Edition, agg: Aggregates | None = None, published: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The national table: one row per unit, best first.

    With the edition's published rows (model.official.store.published), each PII and rank says where it
    comes from (pii_provenance, rank_provenance: official, published or reconstructed) and
    estimated values carry their interval (model.estimates.quality.intervals): columns pii_low, pii_high,
    rank_low, rank_high, NaN where the value is published.
    """
    agg = agg or ed.baseline()
    df = pd.DataFrame(
        {
            "unit": list(ed.slugs),
            "name_vi": ed.units["name_vi"].to_list(),
            "name_en": ed.units["name_en"].to_list(),
            "region": ed.units["region"].to_list(),
            "pii": agg.pii,
            "rank": agg.rank.astype(int),
            "input": agg.input,
            "output": agg.output,
        }
    )
    for k, p in enumerate(PILLARS):
        df[f"p{p}"] = agg.pillars[:, k]
    if published is not None:
        official = (ed.provenance == "official").all(axis=1)
        known = intervals.known_from_published(published, ed.year, ed.slugs, agg, official)
        # A rank is official only when every unit is (it depends on all of them).
        rank_official = official & bool(official.all())
        for col, fixed, off in (
            ("pii_provenance", known.pii, official),
            ("rank_provenance", known.rank, rank_official),
        ):
            df[col] = np.where(off, "official", np.where(fixed, "published", "reconstructed"))
        iv = intervals.compute(ed.year, agg, known)
        df["pii_low"], df["pii_high"] = iv.pii_low, iv.pii_high
        df["rank_low"] = np.where(iv.rank_low > 0, iv.rank_low, np.nan)
        df["rank_high"] = np.where(iv.rank_high > 0, iv.rank_high, np.nan)
    return df.sort_values(["rank", "unit"]).reset_index(drop=True)


def profile(ed: Edition, unit: str, published: pd.DataFrame | None = None) -> dict:
    """Everything about one unit; with the edition's published rows, the intervals of its
    estimated PII, rank and pillars (pii_low, pii_high, rank_low, rank_high, pillars_low,
    pillars_high: None where published; model.estimates.quality.intervals)."""
    u = ed.unit_index(unit)
    agg = ed.baseline()
    fw = ed.framework
    ind_rank = rank_desc(ed.scores.T)[:, u]
    strong, weak = strengths_weaknesses(ed.scores, u)
    return {
        "unit": unit,
        "name": ed.name(unit),
        "edition": ed.year,
        "pii": float(agg.pii[u]),
        "rank": int(agg.rank[u]),
        "n_units": ed.n,
        "input": float(agg.input[u]),
        "output": float(agg.output[u]),
        # GII's innovation efficiency ratio: what the inputs turn into.
        "efficiency": float(agg.output[u] / agg.input[u]) if agg.input[u] > 0 else None,
        "pillars": {p: float(agg.pillars[u, k]) for k, p in enumerate(PILLARS)},
        "groups": {g: float(agg.groups[u, k]) for k, g in enumerate(fw.groups)},
        "indicators": [
            {
                "code": c,
                "name_vi": fw.indicators[i].name_vi,
                "name_en": fw.indicators[i].name_en,
                "unit_vi": fw.indicators[i].unit_vi,
                "raw": float(ed.raw[u, i]),
                "score": float(ed.scores[u, i]),
                "rank": int(ind_rank[i]),
                "provenance": str(ed.provenance[u, i]),
                "framework_status": fw.indicators[i].status,
            }
            for i, c in enumerate(fw.codes)
        ],
        "strengths": [fw.codes[i] for i in strong],
        "weaknesses": [fw.codes[i] for i in weak],
        **(intervals.for_edition(ed, published).of(u) if published is not None else {}),
    }
