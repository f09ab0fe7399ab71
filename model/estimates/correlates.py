"""Public information about every province that predicts its PII before anything is published.

Two measures, both from data/sources only and both for every unit of an edition:

- development: the mean of six standardised public statistics (data/sources/correlates.csv,
  one source per row: GSO Statistical Yearbook 2023 and NSO tables), one per kind of evidence
  an innovation index rewards: income, firms, skills, poverty, digital access, formal jobs.
  The six were chosen before any fit and none was dropped after one (data/README.md,
  "Validation", says what single statistics and pairs gave);
- remoteness: the log distance from the unit's capital to the nearest of Hà Nội, TP HCM and
  Đà Nẵng (units.csv lat/lon), used where a development statistic is missing.

A merged unit (the 34-unit map) takes its parts' statistics weighted by population.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.estimates.sources import Sources

# (indicator in correlates.csv, transform, sign): a higher score means more developed.
DEVELOPMENT = (
    ("income_per_capita", "log", 1.0),
    ("firms_per_1000", "log", 1.0),
    ("trained_labour_share", "linear", 1.0),
    ("poverty_rate", "log1p", -1.0),
    ("computer_households", "linear", 1.0),
    ("informal_employment", "linear", -1.0),
)
_TRANSFORM = {"log": np.log, "log1p": np.log1p, "linear": lambda v: v}
CENTRES = ("ha-noi", "tp-ho-chi-minh", "da-nang")  # the three largest economic centres


def population(s: Sources, map_: str) -> dict[str, float]:
    """Population (thousands) of the units of a map that have one in units.csv."""
    u = s.units[s.units["map"] == map_]
    return {
        slug: float(p)
        for slug, p in zip(u["slug"], u["population_thousand"], strict=True)
        if not pd.isna(p)
    }


def part_weights(pop: dict[str, float], parts: list[str]) -> np.ndarray:
    """Population weights of a merged unit's parts: a part without a population takes the
    mean of the others', and when none has one the parts weigh equally."""
    w = np.array([pop.get(p, np.nan) for p in parts], dtype=float)
    return np.where(np.isnan(w), np.nanmean(w) if not np.isnan(w).all() else 1.0, w)


def parts(s: Sources, edition: int) -> list[list[str]]:
    """Each unit's provinces on the 63-province map (itself, or a merged unit's parts)."""
    udf = s.units_of(edition)
    return [
        [p for p in merged.split(";") if p] or [slug]
        for slug, merged in zip(udf["slug"], udf["merged_from"], strict=True)
    ]


def development(s: Sources, edition: int) -> dict[str, float]:
    """Each unit's development score: the mean of the standardised DEVELOPMENT statistics
    (mean 0 over the edition's units). Empty when a statistic is missing for some unit."""
    units = list(s.units_of(edition)["slug"])
    of = parts(s, edition)
    pop = population(s, "63")
    c = s.correlates
    zs = []
    for name, how, sign in DEVELOPMENT:
        v = c[c["indicator"] == name].set_index("unit")["value"]
        if not {p for ps in of for p in ps} <= set(v.index):
            return {}
        raw = [np.average([v[p] for p in ps], weights=part_weights(pop, ps)) for ps in of]
        x = _TRANSFORM[how](np.array(raw, dtype=float))
        zs.append(sign * (x - x.mean()) / x.std())
    return dict(zip(units, np.mean(zs, axis=0), strict=True))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    d = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(d))


def remoteness(s: Sources, edition: int) -> dict[str, float]:
    """log(1 + km) from each unit's capital to the nearest economic centre (units.csv lat/lon;
    a merged unit: its seat's capital)."""
    u = s.units[s.units["map"] == "63"].set_index("slug")
    centres = [(float(u.at[c, "lat"]), float(u.at[c, "lon"])) for c in CENTRES]
    out = {}
    for r in s.units_of(edition).itertuples():
        if pd.isna(r.lat) or pd.isna(r.lon):
            continue
        km = min(_km(float(r.lat), float(r.lon), a, b) for a, b in centres)
        out[r.slug] = math.log1p(km)
    return out
