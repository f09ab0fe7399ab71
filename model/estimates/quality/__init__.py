"""How good the estimates are, and how they are shown: the fidelity report (every published
number beside the engine's), the out-of-sample validation (validate; levels: pillars, sub-indices,
groups and indicators against a naive guess), the intervals the app gives each estimate, and the
≈ marks on estimated numbers.

Modules: fidelity, validate, levels, intervals, marks.
"""
