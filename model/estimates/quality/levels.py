"""Below the PII: how far off are the estimated sub-indices, pillars, groups and indicators?

The published values below the PII (input/output sub-indices, pillars, groups, indicator
scores or raw values) belong to few provinces, so each such province is its own fold: its
published values below the PII are hidden (its PII and rank stay: the case a user meets, a
province whose PII is known and whose profile is not), the estimates are rebuilt by the
reconstruction itself and compared with the hidden values, beside the naive guess "every
pillar, sub-index, group and indicator equals the unit's own PII" (data/README.md,
"Validation").
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from model.estimates.reconstruct import reconstruct_all
from model.estimates.sources import Sources
from model.index.engine import aggregate, normalise

BELOW = ("input", "output", "pillar", "group")  # published levels below the PII
LEVELS = ("subindex", "pillar", "group", "indicator")
COLUMNS = ("edition", "unit", "fold", "level", "item", "est_rank", "n_units", "published")
COLUMNS_OUT = (*COLUMNS, "estimate", "naive", "error")


def fact_score(s: Sources, edition: int, code: str, kind: str, value: float) -> float | None:
    """A published indicator fact as a 0-100 score (a raw value through the goalposts; a rank
    is not a value)."""
    if kind == "score":
        return float(value)
    if kind != "raw":
        return None
    gp = s.goalposts[(s.goalposts["edition"] == edition) & (s.goalposts["code"] == code)]
    if gp.empty:
        return None
    fw = s.framework_of(edition)
    d = np.array(fw.direction[fw.index[code]])
    lo, hi = np.array(float(gp["min_raw"].iloc[0])), np.array(float(gp["max_raw"].iloc[0]))
    return float(np.clip(normalise(np.array(float(value)), lo, hi, d), 0.0, 100.0))


def truth(s: Sources, edition: int) -> pd.DataFrame:
    """unit, level, item, published: every published value below the PII used as a
    constraint (sub-indices as level `subindex`, item input/output)."""
    p = s.published
    p = p[
        (p["edition"] == edition)
        & (p["use_as_constraint"].str.lower() == "yes")
        & (p["stat"] == "value")
        & p["level"].isin(BELOW)
        & p["unit"].ne("")
        & p["value"].notna()
    ]
    rows = [
        {
            "unit": r.unit,
            "level": "subindex" if r.level in ("input", "output") else r.level,
            "item": r.level if r.level in ("input", "output") else str(r.item),
            "published": float(r.value),
        }
        for r in p.itertuples()
    ]
    f = s.facts[
        (s.facts["edition"] == edition) & (s.facts["use_as_constraint"].str.lower() == "yes")
    ]
    for r in f.itertuples():
        v = fact_score(s, edition, r.code, r.kind, float(r.value))
        if v is not None:
            rows.append({"unit": r.unit, "level": "indicator", "item": r.code, "published": v})
    return pd.DataFrame(rows, columns=["unit", "level", "item", "published"])


def hide_below(s: Sources, edition: int, units: set[str]) -> Sources:
    """The sources without these units' published values below the PII in this edition (their
    PII and rank rows stay) and without their indicator facts."""
    p, f = s.published, s.facts
    drop_p = (p["edition"] == edition) & p["unit"].isin(units) & p["level"].isin(BELOW)
    drop_f = (f["edition"] == edition) & f["unit"].isin(units)
    return dataclasses.replace(s, published=p[~drop_p], facts=f[~drop_f])


def _estimates(s: Sources, edition: int, rec, t: pd.DataFrame) -> pd.DataFrame:
    fw = s.framework_of(edition)
    agg = aggregate(fw, rec.scores)
    ix = {u: k for k, u in enumerate(rec.units)}
    est, naive, rank = [], [], []
    for r in t.itertuples():
        u = ix[r.unit]
        if r.level == "subindex":
            e = float(getattr(agg, r.item)[u])
        elif r.level == "pillar":
            e = float(agg.pillars[u, int(r.item) - 1])
        elif r.level == "group":
            e = float(agg.groups[u, fw.group_index[r.item]])
        else:
            e = float(rec.scores[u, fw.index[r.item]])
        est.append(e)
        naive.append(float(agg.pii[u]))
        rank.append(int(agg.rank[u]))
    return t.assign(est_rank=rank, estimate=est, naive=naive)


def holdout(s: Sources, edition: int) -> pd.DataFrame:
    """Every published value below the PII, estimated with its unit's values below the PII
    hidden (one fold per unit), in the layout of data/validation/holdout_errors.csv plus the
    naive guess."""
    t = truth(s, edition)
    n = len(s.units_of(edition))
    out = []
    for fold, unit in enumerate(sorted(set(t["unit"]))):
        rec = reconstruct_all(hide_below(s, edition, {unit}), until=edition)[edition]
        mine = t[t["unit"] == unit]
        out.append(_estimates(s, edition, rec, mine).assign(fold=fold))
    if not out:
        return pd.DataFrame(columns=list(COLUMNS_OUT))
    df = pd.concat(out, ignore_index=True).assign(edition=edition, n_units=n)
    return df.assign(error=df["estimate"] - df["published"])[list(COLUMNS_OUT)]


def summarise(errors: pd.DataFrame, widths: dict[str, float] | None = None) -> dict:
    """Per level: n, MAE, the naive guess's MAE, their ratio; with `widths` (half-widths by
    level) also the coverage and mean width of the intervals est ± width."""
    out = {}
    for level in LEVELS:
        e = errors[errors["level"] == level]
        if e.empty:
            continue
        mae = float(e["error"].abs().mean())
        naive = float((e["naive"] - e["published"]).abs().mean())
        row = {
            "n": len(e),
            "mae": round(mae, 4),
            "naive_mae": round(naive, 4),
            "ratio": round(mae / naive, 4) if naive > 0 else None,
        }
        if widths and not math.isnan(widths.get(level, math.nan)):
            w = widths[level]
            lo = np.clip(e["estimate"] - w, 0, 100)
            hi = np.clip(e["estimate"] + w, 0, 100)
            inside = (e["published"] >= lo - 1e-9) & (e["published"] <= hi + 1e-9)
            row["coverage"] = round(float(inside.mean()), 4)
            row["width"] = round(float((hi - lo).mean()), 4)
        out[level] = row
    return out
