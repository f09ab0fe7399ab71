"""Dataset versions: official data taken in, the dataset re-solved around it, and rollbacks.

The embedded reference database (data/pii.duckdb, built from data/sources) is version 0 and is
never modified. An accepted import becomes a new version in the user store (model.userstore.datasets, through the store's backend):
a complete snapshot of the edition it changed (every unit x indicator value with its
provenance, and the edition's goalposts), with who, when, the file's name and checksum, a note
and a report of the published facts the new data meet or no longer meet. A rollback is a
version too — it names the version whose state it restores — so the history only grows.

The state of the data at a version, for one edition, is the snapshot of the latest import of
that edition on the chain of versions up to it (following rollbacks), or the embedded data when
there is none. `model.official.edition.load_edition` applies the head version's state, so every
page, the CLI and the reports rest on the official numbers as soon as they are imported.

Why snapshots rather than replaying imports: a re-solve costs seconds (scipy's optimisers) and
several servers share one store (PostgreSQL); a snapshot is read in milliseconds by all of them.
The re-solve itself is model.official.solve.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from model import paths
from model.i18n import LocalizedError, Message, Name, msg
from model.index.dataset import Edition
from model.official import solve as import_solve
from model.official import store
from model.official.solve import Solved
from model.userstore.datasets import DatasetVersions
from model.userstore.errors import NotFound, WorkspaceError
from model.userstore.records import DatasetVersion

HEAD_TTL = 1.0  # seconds a server trusts its last reading of the head version

OFFICIAL = "official"
# An official value "changes" when its score moves beyond the printed rounding (half a unit of the
# second decimal) or the cell stops being official. Raw values are not compared: they follow
# the score under the goalposts, and files print them with fewer decimals than stored (the
# seed plan's official values are scores).
OFFICIAL_SCORE_TOL = 0.005 + 1e-9
SHOWN_CELLS = 10  # official cells named in an error's sentence (the page and CLI list them all)


class DataChangeError(LocalizedError, ValueError):
    """A data change that cannot be made (an unknown version, a stale dry run, ...)."""


class OfficialOverwrite(DataChangeError):
    """An import would replace official values and was not told to: nothing was written.
    `cells` lists them (unit, code, old/new raw and score, old/new provenance)."""

    def __init__(self, cells: pd.DataFrame) -> None:
        self.cells = cells
        names = [f"{u} {c}" for u, c in zip(cells["unit"], cells["code"], strict=True)]
        more = " …" if len(names) > SHOWN_CELLS else ""
        super().__init__(
            "versions.err_official", n=len(cells), cells=", ".join(names[:SHOWN_CELLS]) + more
        )

    @property
    def message(self) -> Message:
        return Message(self.msg_id, self.params, count=len(self.cells))


class AlreadyCurrent(DataChangeError):
    """A rollback to a version whose data are the current data: nothing to do."""


# ---- the head version, read cheaply ----------------------------------------------------------
_head_lock = threading.Lock()
_head_cache: dict[str, tuple[float, int]] = {}


def store_key() -> str:
    return paths.store_url() or str(paths.workspace_db())


def _store_exists() -> bool:
    # An embedded store that was never written holds no versions: do not create it to ask.
    return paths.store_url() is not None or paths.workspace_db().exists()


def head(fresh: bool = False) -> int:
    """The current dataset version (0: the embedded data). Read at most once per HEAD_TTL."""
    key = store_key()
    now = time.monotonic()
    with _head_lock:
        hit = _head_cache.get(key)
        if hit is not None and not fresh and now - hit[0] < HEAD_TTL:
            return hit[1]
    try:
        value = DatasetVersions().head_dataset_version() if _store_exists() else 0
    except WorkspaceError:
        if hit is not None:  # the store is unreachable for a moment: keep what we knew
            return hit[1]
        raise
    with _head_lock:
        _head_cache[key] = (now, value)
    return value


def forget_head() -> None:
    """Drop the cached head (after a change made by this process; for tests)."""
    with _head_lock:
        _head_cache.clear()
    _versions_at.cache_clear()
    _snapshot.cache_clear()


# ---- state of the data at a version -----------------------------------------------------------
def snapshot_for(versions: list[DatasetVersion], at: int, edition: int) -> int:
    """The import version whose snapshot holds `edition` at version `at` (0: embedded data)."""
    ids = [v.id for v in versions]
    by_id = {v.id: v for v in versions}
    seen: set[int] = set()
    vid = at
    while vid:
        if vid in seen or vid not in by_id:  # a cycle or a dangling id cannot come from us
            raise DataChangeError("versions.err_inconsistent", version=vid)
        seen.add(vid)
        v = by_id[vid]
        if v.kind == "rollback":
            vid = int(v.restores or 0)
            continue
        if v.edition == edition:
            return v.id
        k = ids.index(vid)
        vid = ids[k - 1] if k > 0 else 0
    return 0


@lru_cache(maxsize=8)
def _versions_at(key: str, head_id: int) -> tuple[DatasetVersion, ...]:
    del key, head_id  # the cache key: versions are append-only, so the head identifies them
    return tuple(DatasetVersions().dataset_versions())


@lru_cache(maxsize=32)
def _snapshot(key: str, version_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    del key
    ws = DatasetVersions()
    return ws.dataset_values(version_id), ws.dataset_goalposts(version_id)


def versions() -> list[DatasetVersion]:
    """Every version, oldest first (empty when nothing was ever imported)."""
    if not _store_exists():
        return []
    return list(_versions_at(store_key(), head()))


def snapshot_id(edition: int, at: int | None = None) -> int:
    at = head() if at is None else at
    if at == 0:
        return 0
    return snapshot_for(list(_versions_at(store_key(), head())), at, edition)


def with_snapshot(base: Edition, version_id: int) -> Edition:
    """The embedded edition with the values and goalposts of an import's snapshot."""
    if version_id == 0:
        return base
    values, goalposts = _snapshot(store_key(), version_id)
    return _overlay(base, values, goalposts)


def _overlay(base: Edition, values: pd.DataFrame, goalposts: pd.DataFrame) -> Edition:
    fw = base.framework
    ui = values["unit"].map(base._ix)
    ci = values["code"].map(fw.index)
    ok = ui.notna() & ci.notna()
    ui, ci = ui[ok].astype(int).to_numpy(), ci[ok].astype(int).to_numpy()
    scores, raw = base.scores.copy(), base.raw.copy()
    prov = base.provenance.copy()
    scores[ui, ci] = values.loc[ok, "score"].to_numpy(float)
    raw[ui, ci] = values.loc[ok, "raw"].to_numpy(float)
    prov[ui, ci] = values.loc[ok, "provenance"].to_numpy(object)
    lo, hi = base.lo.copy(), base.hi.copy()
    if len(goalposts):
        gp = goalposts.set_index("code")
        for k, code in enumerate(fw.codes):
            if code in gp.index:
                lo[k], hi[k] = float(gp.at[code, "min_raw"]), float(gp.at[code, "max_raw"])
    return dataclasses.replace(base, scores=scores, raw=raw, provenance=prov, lo=lo, hi=hi)


def goalpost_provenance(edition: int, at: int | None = None) -> dict[str, str]:
    """Provenance of each goalpost of an edition at a version ({} for the embedded data)."""
    vid = snapshot_id(edition, at)
    if vid == 0:
        return {}
    _, gp = _snapshot(store_key(), vid)
    return dict(zip(gp["code"], gp["provenance"], strict=True))


def edition_at(year: int, at: int) -> Edition:
    """An edition as it was at a version (for comparisons and imports; the pages' cached
    view of the current data is model.official.edition.load_edition)."""
    return with_snapshot(store.reference_edition(year), snapshot_id(year, at))


# ---- re-solving an edition around official values (model.official.solve) ----------------------
def solve(parsed, current: Edition) -> Solved:
    """The edition re-solved so that the imported official values hold exactly (see
    model.official.solve.solve), with the goalposts earlier imports set kept."""
    return import_solve.solve(parsed, current, goalpost_provenance(current.year))


# ---- changes: import, rollback, compare ------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ImportResult:
    version: DatasetVersion | None  # None for a dry run
    changes: pd.DataFrame  # unit, code, old/new raw and score, old/new provenance
    solved: Solved
    goalposts: pd.DataFrame  # code, old_min, old_max, new_min, new_max (changed ones only)

    @property
    def report(self) -> dict:
        return _report(self.solved, self.changes)

    @property
    def official(self) -> pd.DataFrame:
        """The official cells this import changes (a dry run: would change)."""
        return official_changes(self.changes)


def official_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Rows of `changes_between` whose old value was official and whose score moves beyond its
    printed rounding (or that stop being official)."""
    a, b = changes["old_score"].to_numpy(float), changes["new_score"].to_numpy(float)
    with np.errstate(invalid="ignore"):
        moved = (np.abs(b - a) > OFFICIAL_SCORE_TOL) | (np.isnan(a) != np.isnan(b))
    was = (changes["old_provenance"] == OFFICIAL).to_numpy()
    gone = (changes["new_provenance"] != OFFICIAL).to_numpy()
    return changes[was & (moved | gone)].reset_index(drop=True)


def _cells(cells: pd.DataFrame) -> list[dict]:
    """Cells as JSON records (NaN as null)."""
    return json.loads(cells.to_json(orient="records"))


def _report(solved: Solved, changes: pd.DataFrame) -> dict:
    f = solved.fidelity
    used = f[f["use_as_constraint"]]
    failed = solved.failed
    return {
        "method": solved.method,
        "constraints": int(len(used)),
        "met": int(used["ok"].sum()),
        "failed": [
            {
                "unit": r.unit,
                "level": r.level,
                "item": r.item,
                "stat": r.stat,
                "published": None if pd.isna(r.published) else float(r.published),
                "reproduced": None if pd.isna(r.reproduced) else float(r.reproduced),
            }
            for r in failed.itertuples()
        ],
        "changed_cells": int(len(changes)),
        "official_cells": int((solved.edition.provenance == OFFICIAL).sum()),
        "official_changes": _cells(official_changes(changes)),
        "notes": [{"id": n.msg_id, "params": _plain(n.params)} for n in solved.notes],
    }


def changes_between(old: Edition, new: Edition) -> pd.DataFrame:
    """Cells whose value or provenance differs between two states of one edition."""
    n, m = old.scores.shape
    ds = ~np.isclose(old.scores, new.scores, atol=5e-7, equal_nan=True)
    dr = ~np.isclose(old.raw, new.raw, rtol=1e-9, atol=1e-9, equal_nan=True)
    dp = old.provenance != new.provenance
    u, c = np.nonzero(ds | dr | dp)
    return pd.DataFrame(
        {
            "unit": [old.slugs[k] for k in u],
            "code": [old.framework.codes[k] for k in c],
            "old_raw": old.raw[u, c],
            "new_raw": new.raw[u, c],
            "old_score": old.scores[u, c],
            "new_score": new.scores[u, c],
            "old_provenance": old.provenance[u, c].astype(str),
            "new_provenance": new.provenance[u, c].astype(str),
        }
    )


def goalpost_changes(old: Edition, new: Edition) -> pd.DataFrame:
    """Goalposts (national raw min/max) that differ between two states of one edition."""
    moved = ~(np.isclose(old.lo, new.lo) & np.isclose(old.hi, new.hi))
    k = np.nonzero(moved)[0]
    return pd.DataFrame(
        {
            "code": [old.framework.codes[i] for i in k],
            "old_min": old.lo[k],
            "old_max": old.hi[k],
            "new_min": new.lo[k],
            "new_max": new.hi[k],
        }
    )


def apply_import(
    parsed,
    *,
    author: str = "",
    note: str = "",
    dry_run: bool = False,
    replace_official: bool = False,
) -> ImportResult:
    """Re-solve the edition around a parsed import and, unless a dry run, store the version.

    An import that would change official values (`ImportResult.official`) raises
    OfficialOverwrite unless `replace_official`: official values are never replaced silently.
    Nothing is written before the one transaction that adds the version; a failure anywhere
    before or inside it leaves the store as it was.
    """
    from model.estimates.build import _values_table

    forget_head()
    start = head(fresh=True)
    current = edition_at(parsed.edition, start)
    solved = solve(parsed, current)
    changes = changes_between(current, solved.edition)
    goalposts = goalpost_changes(current, solved.edition)
    result = ImportResult(None, changes, solved, goalposts)
    if dry_run:
        return result
    if not replace_official and len(result.official):
        raise OfficialOverwrite(result.official)
    if head(fresh=True) != start:
        raise DataChangeError("versions.err_changed_meanwhile")
    values = _values_table(solved.edition).drop(columns="edition")
    version = DatasetVersions().add_dataset_version(
        "import",
        edition=parsed.edition,
        author=author,
        file_name=parsed.file_name,
        checksum=parsed.checksum,
        note=note,
        report_json=json.dumps(_report(solved, changes), ensure_ascii=False),
        values=values,
        goalposts=solved.goalposts,
    )
    forget_head()
    return ImportResult(version, changes, solved, goalposts)


def same_state(a: int, b: int) -> bool:
    """Whether versions a and b hold the same data: every edition from the same snapshot."""
    listed = versions()
    editions = {v.edition for v in listed if v.kind == "import"}
    return all(snapshot_for(listed, a, e) == snapshot_for(listed, b, e) for e in editions)


def rollback(target: int, *, author: str = "", note: str = "") -> DatasetVersion:
    """A new version whose state is that of `target` (0: the embedded data).

    AlreadyCurrent when the current data are already `target`'s (say so; nothing written)."""
    forget_head()
    known = {v.id for v in versions()}
    if target != 0 and target not in known:
        valid = ", ".join(["0"] + [str(v) for v in sorted(known)])
        raise DataChangeError("versions.err_unknown", version=target, valid=valid)
    if same_state(target, head(fresh=True)):
        raise AlreadyCurrent("versions.err_already_current", version=target)
    version = DatasetVersions().add_dataset_version(
        "rollback", restores=target, author=author, note=note
    )
    forget_head()
    return version


def compare(a: int, b: int, edition: int) -> pd.DataFrame:
    """Cells of one edition that differ between versions a and b."""
    known = {0} | {v.id for v in versions()}
    for v in (a, b):
        if v not in known:
            valid = ", ".join(map(str, sorted(known)))
            raise DataChangeError("versions.err_unknown", version=v, valid=valid)
    return changes_between(edition_at(edition, a), edition_at(edition, b))


def report_of(version: DatasetVersion) -> dict:
    try:
        return json.loads(version.report_json or "{}")
    except ValueError:
        return {}


__all__ = [
    "AlreadyCurrent",
    "DataChangeError",
    "ImportResult",
    "NotFound",
    "OfficialOverwrite",
    "Solved",
    "apply_import",
    "changes_between",
    "compare",
    "edition_at",
    "head",
    "official_changes",
    "rollback",
    "same_state",
    "snapshot_for",
    "solve",
    "versions",
    "with_snapshot",
]


def _plain(params: dict) -> dict:
    """A note's parameters as JSON: a unit's name in both languages as {"vi", "en"}."""
    return {k: {"vi": v.vi, "en": v.en} if isinstance(v, Name) else v for k, v in params.items()}


def note_message(note: object) -> Message | str:
    """A note of a stored import report as a message: {"id", "params"} (reports stored before
    notes had ids hold their English text, shown as it is); a name stored in both languages is
    shown in the reader's."""
    if isinstance(note, dict) and "id" in note:
        params = {
            k: Name(v["vi"], v["en"]) if isinstance(v, dict) and set(v) == {"vi", "en"} else v
            for k, v in note.get("params", {}).items()
        }
        return msg(note["id"], **params)
    return str(note)
