"""`python -m model validate` per edition (issue 22): the PII folds and every level below the
PII hidden and rebuilt by the reconstruction itself. Reported without a target (the issue sets
none); one run each, it takes seconds to a minute on 2 cores."""

from __future__ import annotations

from benchmarks import register

NO_TARGET = "no target: issue 22 asks for the measurement only"


def _setup(edition: int):
    from model import paths
    from model.estimates.build import code_digest
    from model.estimates.quality import validate
    from model.estimates.sources import load_sources

    s = load_sources(paths.sources_dir(), code_digest())
    return lambda: validate.run(s, edition, validate.DEFAULT_FOLDS)


for _year in (2023, 2024, 2025):
    register(
        f"validate {_year}: PII folds and levels below the PII (model validate)",
        target_ms=None,
        source=NO_TARGET + " (model.estimates.quality.validate.run, 5 folds)",
        runs=1,
        quick_runs=1,
        warmup=0,
    )(lambda y=_year: _setup(y))
