"""The store's floors: what users write and the dataset versions, below `model.workspace`.

model.official reads and writes the dataset versions through `datasets` (and the backend under
it) without the workspace of scenarios and plans; the workspace composes them all for the pages.

Floors, each importing only the ones below it:
  errors, schema, validate, records   the error classes, tables, checks, returned values
  backend                             the interface every storage backend implements
  duckdb_backend, pg_backend          the embedded DuckDB file; PostgreSQL (several servers)
  repository                          choosing a backend; cursors and write transactions
  datasets                            the dataset versions' tables (official data imports)
  plans                               plans, their targets and revisions (model.plan's values)
  model.workspace                     Workspace: scenarios, progress, assumption sets, and the
                                      public names of all of these
"""
