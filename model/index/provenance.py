"""Provenance of a composite figure (PII, input/output, a pillar or group) of one unit.

An indicator cell carries its own provenance (KINDS): official (the Ministry's values, imported
or the seed's), published (a value printed elsewhere), statistics (computed from the NSO's
official statistics by the published rule: model.estimates.statistics) or reconstructed (an
estimate). A composite is computed from cells, so its claim can be no stronger than what it
rests on:

- **official** when every indicator below it is official (an import of the unit's profile);
- **published** when a published figure exists and the data still give it (to the two
  decimals it was printed with) — the reconstruction was made to;
- **reconstructed** otherwise, including when official values contradict a published figure
  (the published number is then shown beside it, never in its place).
"""

from __future__ import annotations

import numpy as np

from model.index.dataset import Edition

TOL = 0.005  # published figures are printed with two decimals
# A cell's provenance, strongest claim first.
KINDS = ("official", "published", "statistics", "reconstructed")


def subtree(ed: Edition, level: str, item: str = "") -> np.ndarray:
    """Which indicators a composite is computed from (a boolean mask over the framework)."""
    fw = ed.framework
    pillar = fw.group_pillar[fw.ind_group]  # 0-based pillar of each indicator
    if level == "pillar":
        return pillar == int(item) - 1
    if level == "group":
        return fw.ind_group == fw.group_index[str(item)]
    if level == "input":
        return pillar < 5
    if level == "output":
        return pillar >= 5
    return np.ones(fw.m, bool)


def composite(
    ed: Edition,
    unit: str,
    level: str,
    item: str = "",
    value: float | None = None,
    published: float | None = None,
) -> str:
    """official | published | reconstructed for one unit's composite (see the module doc)."""
    u = ed.unit_index(unit)
    if (ed.provenance[u][subtree(ed, level, item)] == "official").all():
        return "official"
    if published is not None and value is not None and abs(published - value) <= TOL:
        return "published"
    return "reconstructed"


def all_official(ed: Edition) -> bool:
    """Every cell of the edition is official (a full edition was imported): ranks are too."""
    return bool((ed.provenance == "official").all())
