"""How the reference dataset is made and how good it is: the CSV sources read and checked, the
build of data/pii.duckdb, the reconstruction of unpublished values (its priors from public
statistics, its slots and LP), the intervals of the estimates, their out-of-sample validation,
and the fidelity report (every published number beside the engine's). Rests on model.index only.

Modules: sources, build, reconstruct, slots, lp, priors, correlates, intervals, validate,
fidelity.
"""
