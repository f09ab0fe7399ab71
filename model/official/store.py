"""Read access to the reference database: one cached read-only connection, a cursor per call.

Editions are loaded once per database file and cached; a rebuild swaps the file, which changes
its identity (inode, mtime) and so the cache key. This is the embedded data only (dataset
version 0): the edition with imported official data is model.official.edition.load_edition.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from model import paths
from model.estimates.build import ensure_built
from model.index.dataset import Edition, UnknownName
from model.index.framework import framework_from_rows

_lock = threading.Lock()
_connections: dict[tuple, duckdb.DuckDBPyConnection] = {}


def _key(db: Path) -> tuple:
    st = db.stat()
    return (str(db), st.st_ino, st.st_mtime_ns)


_ensured: set[str] = set()


def _current_db() -> Path:
    """The reference database, built or rebuilt when missing or stale — checked once per
    process and path (a check opens the file: far too slow for every query)."""
    db = paths.reference_db()
    if str(db) not in _ensured or not db.exists():
        db = ensure_built()
        _ensured.add(str(db))
    return db


def connection(db: Path | None = None) -> tuple[duckdb.DuckDBPyConnection, tuple]:
    """The process-wide read-only connection to the current reference database."""
    db = db or _current_db()
    key = _key(db)
    with _lock:
        con = _connections.get(key)
        if con is None:
            for old in list(_connections):
                if old[0] == key[0]:
                    _connections.pop(old).close()
            con = duckdb.connect(str(db), read_only=True)
            _connections[key] = con
    return con, key


def query(sql: str, params: list | None = None, db: Path | None = None) -> pd.DataFrame:
    """A parameterised read on a thread-local cursor."""
    con, _ = connection(db)
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


def editions(db: Path | None = None) -> list[int]:
    _, key = connection(db)
    return list(_editions(key))


@lru_cache(maxsize=16)
def _editions(key: tuple) -> tuple[int, ...]:
    """Editions in the database file identified by `key` (path, inode, mtime)."""
    df = query("SELECT edition FROM editions ORDER BY edition", db=Path(key[0]))
    return tuple(int(x) for x in df["edition"])


def reference_edition(year: int, db: Path | None = None) -> Edition:
    """An edition as the reference database holds it (the embedded data, dataset version 0).

    Pages, the CLI and the reports want the edition with the official data imported since:
    model.official.edition.load_edition."""
    _, key = connection(db)
    return _load(key, int(year))


def reference_key(db: Path | None = None) -> tuple:
    """The identity (path, inode, mtime) of the current reference database file."""
    return connection(db)[1]


def check_edition(year: int | str, db: Path | None = None) -> int:
    """The edition as a year, or UnknownName listing the valid editions."""
    valid = editions(db)
    try:
        y = int(year)
    except (TypeError, ValueError):
        y = None
    if y not in valid:
        raise UnknownName(
            "dataset.err_unknown_edition", year=str(year), valid=", ".join(map(str, valid))
        )
    return y


@lru_cache(maxsize=16)
def _load(key: tuple, year: int) -> Edition:
    db = Path(key[0])

    def q(sql: str, params: list) -> pd.DataFrame:
        return query(sql, params, db)

    fw_rows = q("SELECT * FROM framework WHERE edition = ? ORDER BY code", [year])
    fw_rows = fw_rows.rename(columns={"group_code": "group"})
    groups = q("SELECT * FROM groups WHERE edition = ?", [year]).rename(
        columns={"group_code": "group"}
    )
    pillars = q("SELECT * FROM pillars", [])
    fw = framework_from_rows(
        year, fw_rows.to_dict("records"), groups.to_dict("records"), pillars.to_dict("records")
    )
    units = q(
        "SELECT u.* FROM units u JOIN editions e ON u.map = e.map WHERE e.edition = ? ORDER BY u.slug",
        [year],
    ).reset_index(drop=True)
    vals = q(
        "SELECT unit, code, score, raw, provenance FROM indicator_values WHERE edition = ?", [year]
    )
    gp = q(
        "SELECT code, min_raw, max_raw, decimals FROM goalposts WHERE edition = ?", [year]
    ).set_index("code")
    n, m = len(units), fw.m
    uix = {s: k for k, s in enumerate(units["slug"])}
    ui = vals["unit"].map(uix).to_numpy()
    ci = vals["code"].map(fw.index).to_numpy()
    scores = np.full((n, m), np.nan)
    raw = np.full((n, m), np.nan)
    prov = np.full((n, m), "missing", dtype=object)
    scores[ui, ci] = vals["score"].to_numpy(dtype=float)
    raw[ui, ci] = vals["raw"].to_numpy(dtype=float)
    prov[ui, ci] = vals["provenance"].to_numpy(dtype=object)
    regions = q("SELECT * FROM regions", [])
    return Edition(
        year=year,
        framework=fw,
        units=units,
        scores=scores,
        raw=raw,
        lo=gp.loc[list(fw.codes), "min_raw"].to_numpy(float),
        hi=gp.loc[list(fw.codes), "max_raw"].to_numpy(float),
        provenance=prov,
        regions=regions,
        decimals=gp.loc[list(fw.codes), "decimals"].to_numpy(float),
    )


def published(year: int | None = None, db: Path | None = None) -> pd.DataFrame:
    """The published results (of one edition), a copy the caller may change."""
    _, key = connection(db)
    return _published(key, year).copy()


@lru_cache(maxsize=16)
def _published(key: tuple, year: int | None) -> pd.DataFrame:
    """Read once per database file (`key`: path, inode, mtime): the Plan page asked for it
    three times a run, 5 ms each."""
    db = Path(key[0])
    if year is None:
        return query("SELECT * FROM published", db=db)
    return query("SELECT * FROM published WHERE edition = ?", [year], db=db)


def fidelity(db: Path | None = None) -> pd.DataFrame:
    return query("SELECT * FROM fidelity ORDER BY edition, level, unit", db=db)


def plan_rows(plan: str = "bac-giang-2024", db: Path | None = None) -> pd.DataFrame:
    return query("SELECT * FROM plans WHERE plan = ? ORDER BY row", [plan], db=db)


def regions(db: Path | None = None) -> pd.DataFrame:
    return query("SELECT * FROM regions ORDER BY code", db=db)


def units(map_: str | None = None, db: Path | None = None) -> pd.DataFrame:
    if map_ is None:
        return query("SELECT * FROM units ORDER BY map, slug", db=db)
    return query("SELECT * FROM units WHERE map = ? ORDER BY slug", [map_], db=db)
