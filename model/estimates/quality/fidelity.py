"""The fidelity report: every published number beside the one the engine reproduces."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import fmt, i18n
from model.estimates.slots import rank_range, region_rank
from model.index.dataset import Edition
from model.index.engine import rank_desc

TOL_VALUE = 0.005  # published scores are printed to two decimals
TOL_REGION = 0.01  # regional averages, as the issue sets them

COLUMNS = [
    "edition",
    "unit",
    "level",
    "item",
    "stat",
    "published",
    "reproduced",
    "tolerance",
    "ok",
    "use_as_constraint",
    "status",
    "source",
]


def _level_values(ed: Edition, level: str, item: str) -> np.ndarray:
    agg = ed.baseline()
    fw = ed.framework
    if level == "pii":
        return agg.pii
    if level in ("input", "output"):
        return getattr(agg, level)
    if level == "pillar":
        return agg.pillars[:, int(item) - 1]
    if level == "group":
        return agg.groups[:, fw.group_index[item]]
    raise KeyError(level)


def _framework_count(ed: Edition, pillars: str, stat: str) -> int:
    """Groups or indicators of the framework in pillar "k" or pillars "a-b"."""
    lo, _, hi = pillars.partition("-")
    keep = set(range(int(lo), int(hi or lo) + 1))
    fw = ed.framework
    if stat == "groups":
        return sum(1 for g in fw.groups if int(fw.group_pillar[fw.group_index[g]]) + 1 in keep)
    return int(sum(int(fw.group_pillar[fw.ind_group[i]]) + 1 in keep for i in range(fw.m)))


def check_edition(ed: Edition, published: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """One row per published number (and per published rank) with pass/fail."""
    rows: list[dict] = []

    def add(
        r: pd.Series, level: str, stat: str, pub: float, rep: float, tol: float, ok: bool
    ) -> None:
        rows.append(
            dict(
                edition=ed.year,
                unit=r["unit"],
                level=level,
                item=str(r.get("item", "")),
                stat=stat,
                published=pub,
                reproduced=rep,
                tolerance=tol,
                ok=bool(ok),
                use_as_constraint=str(r["use_as_constraint"]).lower() == "yes",
                status=r["status"],
                source=r["source"],
            )
        )

    pub = published[published["edition"] == ed.year]
    for _, r in pub.iterrows():
        level, item, stat = r["level"], str(r["item"]), r["stat"]
        if level == "region_average":
            members = ed.units["region"].to_numpy() == r["unit"]
            rep = float(ed.baseline().pii[members].mean())
            add(r, level, "value", r["value"], rep, TOL_REGION, abs(rep - r["value"]) <= TOL_REGION)
            continue
        if level == "indicators_led":
            u = ed.unit_index(r["unit"])
            rep = float((ed.scores[u] >= 100.0 - 1e-9).sum())
            add(r, level, "count", r["value"], rep, 0, rep == r["value"])
            continue
        if level == "framework":  # a count of groups or indicators of pillars (e.g. "4-7")
            rep = float(_framework_count(ed, item, stat))
            add(r, level, stat, r["value"], rep, 0, rep == r["value"])
            continue
        if level == "indicator":  # an indicator the framework does not have: shown only
            add(r, level, "rank", r["rank"], np.nan, 0, False)
            continue
        if level not in ("pii", "input", "output", "pillar", "group"):
            continue
        vals = _level_values(ed, level, item)
        if stat in ("national_min", "national_max"):
            rep = float(vals.min() if stat == "national_min" else vals.max())
            add(
                r,
                level,
                stat,
                r["value"],
                rep,
                TOL_VALUE,
                abs(rep - r["value"]) <= TOL_VALUE + 1e-9,
            )
            continue
        u = ed.unit_index(r["unit"])
        if not np.isnan(r["value"]):
            rep = float(vals[u])
            add(
                r,
                level,
                "value",
                r["value"],
                rep,
                TOL_VALUE,
                abs(rep - r["value"]) <= TOL_VALUE + 1e-9,
            )
        ranks = rank_desc(vals)
        if not np.isnan(r["rank"]):
            add(r, level, "rank", r["rank"], float(ranks[u]), 0, ranks[u] == r["rank"])
        rr = rank_range(r["note"])
        if rr:
            ok = rr[0] <= ranks[u] <= rr[1]
            add(r, level, f"rank {rr[0]}-{rr[1]}", np.nan, float(ranks[u]), 0, ok)
        kn = region_rank(r["note"]) if level == "pii" else None
        members = ed.units["region"].to_numpy() == ed.units["region"].iloc[u]
        if kn and kn[1] == members.sum():  # a rank inside the unit's own planning region
            rep = 1.0 + float((vals[members] > vals[u]).sum())
            add(r, level, "region_rank", float(kn[0]), rep, 0, rep == kn[0])

    fx = facts[facts["edition"] == ed.year]
    for _, f in fx.iterrows():
        u, i = ed.unit_index(f["unit"]), ed.framework.require(f["code"])
        r = f.copy()
        r["item"] = f["code"]
        if f["kind"] == "score":
            rep = float(ed.scores[u, i])
            add(
                r,
                "indicator",
                "score",
                f["value"],
                rep,
                TOL_VALUE,
                abs(rep - f["value"]) <= TOL_VALUE,
            )
        elif f["kind"] == "raw":
            rep = float(ed.raw[u, i])
            add(r, "indicator", "raw", f["value"], rep, 0.005, abs(rep - f["value"]) <= 0.005)
        elif f["kind"] == "rank":
            rep = float(rank_desc(ed.scores[:, i])[u])
            add(r, "indicator", "rank", f["value"], rep, 0, rep == f["value"])
    return pd.DataFrame(rows, columns=COLUMNS)


def summary(report: pd.DataFrame, lang: str = "en") -> str:
    """How many published constraints the data meet, and each one missed, in `lang`."""
    used = report[report["use_as_constraint"]]
    bad = used[~used["ok"]]
    lines = [
        i18n.gettext(
            lang,
            "fidelity.summary",
            checked=len(used),
            met=len(used) - len(bad),
            missed=len(bad),
            shown=len(report) - len(used),
        )
    ]
    for _, r in bad.iterrows():
        lines.append(
            "  "
            + i18n.gettext(
                lang,
                "fidelity.missed",
                edition=int(r["edition"]),
                unit=r["unit"],
                level=r["level"],
                item=r["item"],
                stat=r["stat"],
                published=float(r["published"]),
                reproduced=fmt.number(float(r["reproduced"]), lang, 4),
            )
        )
    return "\n".join(lines)


def format_table(report: pd.DataFrame) -> str:
    """A plain-text table of the whole report, for the build log."""
    out = ["edition unit                 level        item   stat        published reproduced ok"]
    for _, r in report.iterrows():
        pub = "" if pd.isna(r["published"]) else f"{r['published']:.2f}"
        mark = "yes" if r["ok"] else ("NO" if r["use_as_constraint"] else "n/a")
        out.append(
            f"{r['edition']:<7} {r['unit'][:20]:<20} {r['level'][:12]:<12} {r['item'][:6]:<6} "
            f"{r['stat'][:11]:<11} {pub:>9} {r['reproduced']:>10.3f} {mark}"
        )
    return "\n".join(out)
