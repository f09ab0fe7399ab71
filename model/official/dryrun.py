"""What a dry run shows first: the imported units' own cells, then the other units' re-solved
estimates, and each imported unit's PII and rank before → after. Shared by the Data page and
`python -m model import --dry-run`, so both say the same thing in the same order.

Why other units move at all: the estimates of units without official data are the values
closest to every published fact (model.official.solve). When the imported numbers would break
one of those facts (a published PII, rank or pillar value), the others are solved again so that
every fact still holds; their official cells never change.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.index.dataset import Edition


@dataclass(frozen=True)
class Standing:
    """One imported unit's PII and rank before and after the import."""

    unit: str
    pii0: float
    rank0: int
    pii: float
    rank: int


def own_first(changes: pd.DataFrame, units: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The changed cells of the imported `units` (in the file's unit order, then framework
    order), and those of every other unit (re-solved estimates), each with a fresh index."""
    own = changes["unit"].isin(units)
    order = {u: k for k, u in enumerate(units)}
    mine = changes[own].copy()
    mine["_k"] = mine["unit"].map(order)
    mine = mine.sort_values("_k", kind="stable").drop(columns="_k")
    return mine.reset_index(drop=True), changes[~own].reset_index(drop=True)


def standings(before: Edition, after: Edition, units: tuple[str, ...]) -> list[Standing]:
    """PII and rank of each imported unit on the current data and on the data after import."""
    b, a = before.baseline(), after.baseline()
    out = []
    for slug in units:
        i, j = before.unit_index(slug), after.unit_index(slug)
        out.append(Standing(slug, float(b.pii[i]), int(b.rank[i]), float(a.pii[j]), int(a.rank[j])))
    return out
