"""The public entry points used by the CLI and the pages: names in, results out.

Each function loads what it needs from the reference database (cached) and calls the engine;
nothing here computes the index on the side.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from model.index.dataset import Edition, UnknownName
from model.index.scenario import Outcome, Scenario, ScenarioError, peer_trend, simulate
from model.official import edition as edition_view
from model.official import store

from .plan import PRESETS, Plan
from .profile import profile as _profile
from .profile import ranking_table


def edition(year: int | str, db: Path | None = None) -> Edition:
    return edition_view.require_edition(year, db)


def ranking(year: int | str, db: Path | None = None) -> pd.DataFrame:
    """The national table, estimated values with their intervals (model.estimates.quality.intervals)."""
    ed = edition(year, db)
    return ranking_table(ed, published=store.published(ed.year, db))


def profile(unit: str, year: int | str, db: Path | None = None) -> dict:
    ed = edition(year, db)
    return _profile(ed, unit, published=store.published(ed.year, db))


def plan(plan_id: str = "bac-giang-2024", db: Path | None = None) -> Plan:
    return Plan.from_rows(store.plan_rows(plan_id, db))


def preset(name: str, base: Scenario, db: Path | None = None) -> Scenario:
    """A named preset: 'baseline' or an action plan ('plan-2024')."""
    if name == "baseline":
        return Scenario(
            unit=base.unit,
            edition=base.edition,
            peers=base.peers,
            scale=base.scale,
            target_year=base.target_year,
        )
    if name not in PRESETS:
        raise ScenarioError(
            "scenario.err_unknown_preset", name=str(name), valid=", ".join(["baseline", *PRESETS])
        )
    return plan(PRESETS[name], db).scenario(edition(base.edition, db), base)


def trend_for(ed: Edition, db: Path | None = None) -> np.ndarray | None:
    """Yearly change of every unit between this edition and its neighbour on the same map."""
    years = store.editions(db)
    for other in (ed.year - 1, ed.year + 1):
        if other in years:
            o = edition_view.load_edition(other, db)
            if o.slugs == ed.slugs and o.framework.codes == ed.framework.codes:
                return peer_trend(*(sorted([ed, o], key=lambda e: e.year)))
    return None


def run(s: Scenario, db: Path | None = None) -> Outcome:
    ed = edition(s.edition, db)
    trend = trend_for(ed, db) if s.peers == "trend" else None
    return simulate(ed, s, trend)


def next_published(unit: str, year: int, db: Path | None = None) -> dict | None:
    """The unit's published result in the following edition, when there is one."""
    rows = store.published(year + 1, db)
    rows = rows[
        (rows["unit"] == unit) & (rows["level"] == "pii") & (rows["use_as_constraint"] == "yes")
    ]
    if rows.empty:
        return None
    r = rows.iloc[0]
    return {
        "edition": year + 1,
        "pii": None if pd.isna(r["value"]) else float(r["value"]),
        "rank": None if pd.isna(r["rank"]) else int(r["rank"]),
        "source": r["source"],
    }


__all__ = [
    "Edition",
    "Outcome",
    "Plan",
    "Scenario",
    "ScenarioError",
    "UnknownName",
    "edition",
    "next_published",
    "plan",
    "preset",
    "profile",
    "ranking",
    "run",
]
