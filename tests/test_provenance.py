"""A composite's provenance is no stronger than the cells it is computed from."""

from __future__ import annotations

import dataclasses

import numpy as np

from model.index import provenance


def test_composite_provenance(editions):
    ed = editions[2024]
    u = ed.unit_index("bac-giang")
    pii = float(ed.baseline().pii[u])
    # Bắc Giang 2024: PII 43.53 published (published.csv), reproduced by the reconstruction.
    assert provenance.composite(ed, "bac-giang", "pii", value=pii, published=43.53) == "published"
    assert provenance.composite(ed, "bac-giang", "pii", value=pii + 0.5, published=43.53) == (
        "reconstructed"
    )
    prov = ed.provenance.copy()
    pillar1 = provenance.subtree(ed, "pillar", "1")
    prov[u, pillar1] = "official"
    ed1 = dataclasses.replace(ed, provenance=prov)
    assert provenance.composite(ed1, "bac-giang", "pillar", "1") == "official"
    assert provenance.composite(ed1, "bac-giang", "input") == "reconstructed"
    assert provenance.subtree(ed, "input").sum() + provenance.subtree(ed, "output").sum() == 52
    group = ed.framework.groups[0]
    assert provenance.subtree(ed, "group", group).sum() == np.sum(ed.framework.ind_group == 0)
    assert not provenance.all_official(ed1)
