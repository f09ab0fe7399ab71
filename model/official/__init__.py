"""Official data in, and the edition as users see it: reading a file (read, numbers, problems,
cells), checking it (check), the importer and its templates, re-solving the estimates around
official values (solve), the dataset versions and rollback (versions), the read-only reference
store and `edition.load_edition(year, version)`, which everything that needs an edition uses.

Low in the house: it rests on model.index and model.estimates, and reads the dataset versions
through the storage backend (model.userstore's lower floors), never through model.workspace.

Modules: read, numbers, problems, cells, check, template, importer, solve, versions, store,
edition.
"""
