"""The edition as the user should see it: the reference data with the official data imported.

The reference database (model.official.store) holds the embedded data, dataset version 0, and is never
written at run time; official data come in as dataset versions (model.official.versions) kept in the
user store. This module sits above both and is where pages, the CLI and the reports get an
edition: `load_edition(year)` is the embedded edition with the head version's snapshot applied,
so everything rests on the official numbers as soon as they are imported.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from model.index.dataset import Edition
from model.official import store, versions


def load_edition(year: int, db: Path | None = None, version: int | None = None) -> Edition:
    """An edition at a dataset version: None = the current one (the head of model.official.versions),
    0 = the embedded data. An explicit database file means its embedded data unless a
    version is asked for."""
    key = store.reference_key(db)  # first: builds the reference database when it is missing
    year = int(year)
    if version is None and db is not None:
        version = 0
    if version == 0:
        return store.reference_edition(year, db)
    vid = versions.snapshot_id(year, version)
    if vid == 0:
        return store.reference_edition(year, db)
    return _load_at(key, year, versions.store_key(), vid)


@lru_cache(maxsize=16)
def _load_at(key: tuple, year: int, store_key: str, version_id: int) -> Edition:
    """The embedded edition with an import's snapshot applied (cached: editions are immutable
    and a version's snapshot never changes)."""
    del store_key  # part of the cache key only
    return versions.with_snapshot(store.reference_edition(year, Path(key[0])), version_id)


def require_edition(year: int | str, db: Path | None = None) -> Edition:
    """Load an edition, or raise UnknownName listing the valid editions."""
    return load_edition(store.check_edition(year, db), db)


def forget() -> None:
    """Drop the cached editions with snapshots (tests)."""
    _load_at.cache_clear()
