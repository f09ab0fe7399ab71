"""Official data in (model/official/importer.py, model/official/versions.py): parse a profile, the dry run that
re-solves the edition around it, and storing a version. No issue sets a target: report only.

`python -m benchmarks --only import` runs the three. The profile is Bắc Giang's 2024 values as
the Ministry prints them (raw, score, national min and max); the dry run reads the current
data version and writes nothing; the store benchmark writes into a temporary DuckDB file.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from benchmarks import register

NO_TARGET = "no target in the issues: report only"


def _profile(bump: float = 0.0):
    """Bắc Giang's 2024 profile; `bump` points added to 2.2.3 (a value the published PII
    does not allow, so the dry run must re-solve the other provinces)."""
    import numpy as np
    import pandas as pd

    from model import api

    ed = api.edition(2024)
    u = ed.unit_index("bac-giang")
    raw = ed.raw[u].copy()
    k = ed.framework.index["2.2.3"]
    raw[k] = float(ed.score_to_raw("2.2.3", min(ed.scores[u, k] + bump, 100.0)))
    rows = [
        {
            "unit": "bac-giang",
            "code": code,
            "raw": round(float(raw[k]), 4),
            "score": round(float(np.clip(ed.raw_to_score(code, round(raw[k], 4)), 0, 100)), 2),
            "min": float(ed.lo[k]),
            "max": float(ed.hi[k]),
        }
        for k, code in enumerate(ed.framework.codes)
    ]
    buf = io.StringIO()
    pd.DataFrame(rows).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8"), ed


@register(
    "official import: parse and check a province profile (CSV, 52 rows)",
    target_ms=None,
    source=NO_TARGET + " (model.official.importer.parse)",
    runs=20,
    quick_runs=5,
    warmup=1,
)
def _parse():
    from model.official import importer

    data, ed = _profile()
    return lambda: importer.parse(data, "ho-so.csv", ed)


def _dry(bump: float):
    from model.official import importer, versions

    data, ed = _profile(bump)
    parsed = importer.parse(data, "ho-so.csv", ed)
    return lambda: versions.apply_import(parsed, dry_run=True)


@register(
    "official import: dry run, published facts still hold (others kept)",
    target_ms=None,
    source=NO_TARGET + " (model.official.versions.apply_import, dry_run=True)",
    runs=3,
    quick_runs=1,
    warmup=0,
)
def _dry_run_kept():
    return _dry(0.0)


@register(
    "official import: dry run that re-solves the other 62 provinces",
    target_ms=None,
    source=NO_TARGET + " (2.2.3 +10 points: the published PII breaks, the edition is re-solved)",
    runs=3,
    quick_runs=1,
    warmup=0,
    full_only=True,
)
def _dry_run_resolved():
    return _dry(10.0)


@register(
    "official import: store a version (63×52 values, DuckDB, one transaction)",
    target_ms=None,
    source=NO_TARGET + " (model.workspace.Workspace.add_dataset_version)",
    runs=10,
    quick_runs=3,
    warmup=1,
)
def _store_version():
    from model.estimates.build import _values_table
    from model.workspace import Workspace

    _, ed = _profile()
    values = _values_table(ed).drop(columns="edition")
    ws = Workspace(Path(tempfile.mkdtemp(prefix="pii-bench-")) / "workspace.duckdb")
    return lambda: ws.add_dataset_version("import", edition=2024, values=values)
