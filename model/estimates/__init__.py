"""How the reference dataset is made: the CSV sources read and checked, the NSO statistics and
the indicators computed from them, the build of data/pii.duckdb, and the reconstruction of
unpublished values (priors from public statistics, rank slots, the LP, the statistics as
near-known cells, the typical profile below the PII, the spreading of packed estimates). How
good it is lives in `quality/` (fidelity, validation, levels, intervals, ≈ marks). Rests on
model.index only.

Modules: sources, statistics, build, reconstruct, slots, lp, near_known, priors, correlates,
shape, unpack; quality/.
"""
