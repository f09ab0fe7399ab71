"""The typical shape of a profile below the PII, learned from the published values.

Published pillar, sub-index and group values show that a province's pillars do not sit at its
PII: institutions (pillar 1) and infrastructure (3) lie well above it, knowledge creation (6)
well below, and the input sub-index above the output. This module learns those typical
deviations from every published value visible (all editions: a province's result in another
edition is public) and shrinks each toward the flat profile (the unit's own PII) in
proportion to how little supports it: a pillar offset is the mean of its observed deviations
with SHRINK pseudo-observations of the sub-index offset; a group offset inside its pillar with
SHRINK pseudo-observations of zero. Indicator scores are not learned: the published ones are
selected strengths and weaknesses (a plan's targets, a "led N indicators" list), so they stay
flat inside their group. `python -m model validate` measures the result against the naive
guess (model/estimates/quality/levels.py; data/README.md, "Validation").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.estimates.slots import constraint_rows, published_pii
from model.estimates.sources import EDITION_MAP, Sources
from model.index.framework import Framework

SHRINK = 2.0  # pseudo-observations pulling an offset toward its fallback


@dataclass(frozen=True)
class Shape:
    """Offsets from the unit's PII: per pillar ("1".."7") and per group inside its pillar."""

    pillar: dict[str, float]
    group: dict[str, float]

    def groups(self, fw: Framework) -> np.ndarray:
        """(G,) offset of every group of a framework from the unit's PII, centred so that the
        offsets leave the PII where it is."""
        inner = np.array([self.group.get(code, 0.0) for code in fw.groups])
        inner -= (inner @ fw.w_pillar)[fw.group_pillar]  # a group's offset stays in its pillar
        off = np.array([self.pillar.get(str(k + 1), 0.0) for k in fw.group_pillar]) + inner
        return off - off @ fw.group_weights()


def _observations(s: Sources) -> tuple[list[float], dict[str, list[float]], dict[str, list[float]]]:
    """Deviations seen in the published values: input minus PII, pillar minus PII, group
    minus its published pillar."""
    io: list[float] = []
    pil: dict[str, list[float]] = {}
    grp: dict[str, list[float]] = {}
    for edition in EDITION_MAP:
        cons = constraint_rows(s, edition)
        _r, pii, _g = published_pii(cons)
        vals = cons[(cons["stat"] == "value") & cons["value"].notna() & cons["unit"].ne("")]
        by_unit = {u: part for u, part in vals.groupby("unit")}
        for u, part in by_unit.items():
            sub = {
                r.level: float(r.value) for r in part.itertuples() if r.level in ("input", "output")
            }
            if len(sub) == 2:
                io.append((sub["input"] - sub["output"]) / 2)
            elif u in pii and "input" in sub:
                io.append(sub["input"] - pii[u])
            elif u in pii and "output" in sub:
                io.append(pii[u] - sub["output"])
            pv = {str(r.item): float(r.value) for r in part.itertuples() if r.level == "pillar"}
            if u in pii:
                for k, v in pv.items():
                    pil.setdefault(k, []).append(v - pii[u])
            fw = s.framework_of(edition)
            for r in part.itertuples():
                if r.level == "group" and str(r.item) in fw.group_index:
                    k = str(fw.group_pillar[fw.group_index[str(r.item)]] + 1)
                    if k in pv:
                        grp.setdefault(str(r.item), []).append(float(r.value) - pv[k])
    return io, pil, grp


def learn(s: Sources) -> Shape:
    """The shrunk offsets from every published value in `s` (see the module doc)."""
    io, pil, grp = _observations(s)
    d_in = float(np.sum(io) / (len(io) + SHRINK)) if io else 0.0
    pillar = {}
    for k in range(1, 8):
        obs = pil.get(str(k), [])
        base = d_in if k <= 5 else -d_in
        pillar[str(k)] = float((np.sum(obs) + SHRINK * base) / (len(obs) + SHRINK))
    # The offsets must leave the PII (half input mean, half output mean) where it is.
    c = np.mean([pillar[str(k)] for k in range(1, 6)]) + np.mean([pillar["6"], pillar["7"]])
    pillar = {k: v - c / 2 for k, v in pillar.items()}
    group = {g: float(np.sum(o) / (len(o) + SHRINK)) for g, o in grp.items()}
    return Shape(pillar, group)
