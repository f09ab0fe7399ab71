"""The index itself: the framework (codes → groups → pillars → sub-indices, weights), one
edition's numbers (`dataset.Edition`), the engine that normalises, aggregates and ranks, the
`Scenario` a question is asked as, and each number's provenance. The ground floor: it imports
nothing of the model but i18n, fmt and paths.

Modules: framework, dataset, engine, scenario, provenance.
"""
