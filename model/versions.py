"""Dataset versions: official data taken in, the dataset re-solved around it, and rollbacks.

The embedded reference database (data/pii.duckdb, built from data/sources) is version 0 and is
never modified. An accepted import becomes a new version in the user store (model.workspace):
a complete snapshot of the edition it changed (every unit x indicator value with its
provenance, and the edition's goalposts), with who, when, the file's name and checksum, a note
and a report of the published facts the new data meet or no longer meet. A rollback is a
version too — it names the version whose state it restores — so the history only grows.

The state of the data at a version, for one edition, is the snapshot of the latest import of
that edition on the chain of versions up to it (following rollbacks), or the embedded data when
there is none. `model.edition_view.load_edition` applies the head version's state, so every
page, the CLI and the reports rest on the official numbers as soon as they are imported.

Why snapshots rather than replaying imports: a re-solve costs seconds (scipy's optimisers) and
several servers share one store (PostgreSQL); a snapshot is read in milliseconds by all of them.
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

from . import paths, store
from .dataset import Edition
from .engine import denormalise, normalise
from .i18n import LocalizedError
from .workspace import DatasetVersion, NotFound, Workspace, WorkspaceError

HEAD_TTL = 1.0  # seconds a server trusts its last reading of the head version

OFFICIAL = "official"


class DataChangeError(LocalizedError, ValueError):
    """A data change that cannot be made (an unknown version, a stale dry run, ...)."""


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
        value = Workspace().head_dataset_version() if _store_exists() else 0
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
    return tuple(Workspace().dataset_versions())


@lru_cache(maxsize=32)
def _snapshot(key: str, version_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    del key
    ws = Workspace()
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
    view of the current data is model.edition_view.load_edition)."""
    return with_snapshot(store.reference_edition(year), snapshot_id(year, at))


# ---- re-solving an edition around official values ---------------------------------------------
@dataclass(frozen=True, eq=False)
class Solved:
    edition: Edition
    goalposts: pd.DataFrame  # code, min_raw, max_raw, provenance
    fidelity: pd.DataFrame  # model.fidelity rows for this edition
    method: str  # "official-cells-only" (others kept) | "re-solved" | "complete" (all official)
    notes: tuple[str, ...]

    @property
    def failed(self) -> pd.DataFrame:
        f = self.fidelity
        return f[f["use_as_constraint"] & ~f["ok"]]


def _official_cells(current: Edition, seeded: set[tuple[str, str]]) -> pd.DataFrame:
    """Official cells of the current state that came from imports (not from data/sources)."""
    u, c = np.nonzero(current.provenance == OFFICIAL)
    rows = pd.DataFrame(
        {
            "unit": [current.slugs[k] for k in u],
            "code": [current.framework.codes[k] for k in c],
            "raw": current.raw[u, c],
            "score": current.scores[u, c],
        }
    )
    keep = [(a, b) not in seeded for a, b in zip(rows["unit"], rows["code"], strict=True)]
    return rows.loc[np.array(keep, dtype=bool)]


def _facts_rows(year: int, cells: pd.DataFrame, label: str) -> pd.DataFrame:
    """Official cells as indicator facts: raw first, then the exact score (which wins)."""
    out = []
    for kind in ("raw", "score"):
        given = cells[cells[kind].notna()]
        out.append(
            pd.DataFrame(
                {
                    "edition": year,
                    "unit": given["unit"].to_numpy(),
                    "code": given["code"].to_numpy(),
                    "kind": kind,
                    "value": given[kind].to_numpy(float),
                    "status": OFFICIAL,
                    "use_as_constraint": "yes",
                    "note": f"official value imported from {label}",
                    "source": label,
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def _goalposts_with(
    s_goalposts: pd.DataFrame, year: int, new: pd.DataFrame, label: str
) -> pd.DataFrame:
    """The sources' goalposts with an edition's official ones in place."""
    gp = s_goalposts.copy()
    gp["provenance"] = gp["provenance"].astype(object)
    gp["source"] = gp["source"].astype(object)
    for _, r in new.iterrows():
        m = (gp["edition"] == year) & (gp["code"] == r["code"])
        gp.loc[m, "min_raw"] = float(r["min_raw"])
        gp.loc[m, "max_raw"] = float(r["max_raw"])
        gp.loc[m, "provenance"] = r.get("provenance", OFFICIAL) or OFFICIAL
        gp.loc[m, "source"] = label
    return gp


def solve(parsed, current: Edition) -> Solved:
    """The edition re-solved so that the imported official values hold exactly.

    The official cells (this import's and earlier imports' still in force) become indicator
    facts; the edition's other units are reconstructed again from the published facts (the
    same solver as `python -m model build`), so published totals still hold where they can,
    and the fidelity report names those that no longer can. When every cell is official,
    nothing is estimated.
    """
    from .build import code_digest, editions_from
    from .fidelity import check_edition
    from .sources import load_sources

    year = current.year
    label = f"import {parsed.file_name} ({parsed.checksum[:12]})"
    s = load_sources(paths.sources_dir(), code_digest())
    seed = s.facts[(s.facts["edition"] == year) & (s.facts["status"] == OFFICIAL)]
    seeded = set(zip(seed["unit"], seed["code"], strict=True))

    new = parsed.values[["unit", "code", "raw", "score"]]
    earlier = _official_cells(current, seeded)
    new_keys = set(zip(new["unit"], new["code"], strict=True))
    earlier = earlier.loc[
        np.array(
            [(a, b) not in new_keys for a, b in zip(earlier["unit"], earlier["code"], strict=True)],
            dtype=bool,
        )
    ]
    cells = pd.concat([earlier, new], ignore_index=True)
    keys = set(zip(cells["unit"], cells["code"], strict=True))

    # Goalposts: what the import states, else (a complete edition) the range of its raw
    # values — the PII's min-max normalisation across provinces — else the current ones.
    gp_new = parsed.goalposts
    if gp_new is None or len(gp_new) == 0:
        gp_new = _observed_goalposts(current, new)
    carried = _carried_goalposts(current)
    if len(carried):
        carried = carried[~carried["code"].isin(set(gp_new["code"]))]
        gp_new = pd.concat([carried, gp_new], ignore_index=True)
    gp_new = gp_new.assign(provenance=gp_new.get("provenance", OFFICIAL)).fillna(
        {"provenance": OFFICIAL}
    )

    # Facts: official values supersede every fact about the same cell.
    old = s.facts
    drop = [
        (e == year) and (u, c) in keys
        for e, u, c in zip(old["edition"], old["unit"], old["code"], strict=True)
    ]
    facts = pd.concat(
        [old.loc[~np.array(drop, dtype=bool)], _facts_rows(year, cells, label)], ignore_index=True
    )
    goalposts = _goalposts_with(s.goalposts, year, gp_new, label)
    s2 = dataclasses.replace(s, facts=facts, goalposts=goalposts)

    fw = current.framework
    gp_year = goalposts[goalposts["edition"] == year].set_index("code")
    lo = np.array([float(gp_year.at[c, "min_raw"]) for c in fw.codes])
    hi = np.array([float(gp_year.at[c, "max_raw"]) for c in fw.codes])
    notes: list[str] = []

    def failures(e: Edition) -> tuple[pd.DataFrame, int]:
        f = check_edition(e, s2.published, s2.facts)
        return f, int((f["use_as_constraint"] & ~f["ok"]).sum())

    if len(keys) == current.n * fw.m:
        ed, method = _cells_only(current, cells, lo, hi), "complete"  # nothing left to estimate
    else:
        # The official cells alone first: when every published fact still holds, the other
        # units keep their estimates (a re-solve would move them for nothing).
        ed, method = _cells_only(current, cells, lo, hi), "official-cells-only"
        _, missed = failures(ed)
        if missed:
            try:
                alt = editions_from(s2)[year]
            except Exception as exc:  # noqa: BLE001 - an infeasible solve: keep estimates, say why
                notes.append(f"the other units could not be re-solved around these values: {exc}")
            else:
                _, alt_missed = failures(alt)
                if alt_missed < missed:
                    ed, method = alt, "re-solved"
                    notes.extend(getattr(alt, "notes", ()))
    notes.extend(_rank_notes(parsed, ed))
    fidelity, _ = failures(ed)
    gp_out = gp_year.reset_index()[["code", "min_raw", "max_raw", "provenance"]]
    return Solved(ed, gp_out, fidelity, method, tuple(notes))


def _observed_goalposts(current: Edition, new: pd.DataFrame) -> pd.DataFrame:
    """Goalposts of codes whose raw values the import gives for every unit: their range."""
    rows = []
    for code, g in new.groupby("code"):
        r = g["raw"].dropna()
        if g["unit"].nunique() == current.n and len(r) == current.n:
            rows.append({"code": code, "min_raw": float(r.min()), "max_raw": float(r.max())})
    return pd.DataFrame(rows, columns=["code", "min_raw", "max_raw"])


def _carried_goalposts(current: Edition) -> pd.DataFrame:
    """Goalposts an earlier import set for this edition (they stay official)."""
    prov = goalpost_provenance(current.year)
    fw = current.framework
    rows = [
        {"code": c, "min_raw": current.lo[k], "max_raw": current.hi[k], "provenance": p}
        for k, c in enumerate(fw.codes)
        if (p := prov.get(c)) == OFFICIAL
    ]
    return pd.DataFrame(rows, columns=["code", "min_raw", "max_raw", "provenance"])


def _cells_only(current: Edition, cells: pd.DataFrame, lo: np.ndarray, hi: np.ndarray) -> Edition:
    """The official cells put in place; every other cell keeps its score (and its estimated
    raw value follows it under the goalposts lo/hi)."""
    fw = current.framework
    ui = cells["unit"].map(current._ix).to_numpy(int)
    ci = cells["code"].map(fw.index).to_numpy(int)
    d = fw.direction[ci]
    raw_in, score_in = cells["raw"].to_numpy(float), cells["score"].to_numpy(float)
    score = np.where(
        np.isnan(score_in), np.clip(normalise(raw_in, lo[ci], hi[ci], d), 0, 100), score_in
    )
    scores, raws, prov = current.scores.copy(), current.raw.copy(), current.provenance.copy()
    # Estimated raw values follow their scores under the (possibly new) goalposts.
    est = prov == "reconstructed"
    raws[est] = denormalise(scores, lo, hi, fw.direction)[est]
    scores[ui, ci] = score
    raws[ui, ci] = np.where(np.isnan(raw_in), denormalise(score, lo[ci], hi[ci], d), raw_in)
    prov[ui, ci] = OFFICIAL
    return dataclasses.replace(current, scores=scores, raw=raws, provenance=prov, lo=lo, hi=hi)


def _rank_notes(parsed, ed: Edition) -> list[str]:
    """Indicator ranks printed in a profile that the solved edition does not reproduce."""
    ranks = getattr(parsed, "ranks", None)
    if ranks is None or len(ranks) == 0:
        return []
    out = []
    for _, r in ranks.iterrows():
        if pd.isna(r["rank"]):
            continue
        u, i = ed.unit_index(r["unit"]), ed.framework.index[r["code"]]
        col = np.round(ed.scores[:, i], 2)
        got = int((col > col[u]).sum()) + 1
        if got != int(r["rank"]):
            out.append(f"{r['unit']} {r['code']}: published rank {int(r['rank'])}, data give {got}")
    return out


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
        "notes": list(solved.notes),
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
    parsed, *, author: str = "", note: str = "", dry_run: bool = False
) -> ImportResult:
    """Re-solve the edition around a parsed import and, unless a dry run, store the version.

    Nothing is written before the one transaction that adds the version; a failure anywhere
    before or inside it leaves the store as it was.
    """
    from .build import _values_table

    forget_head()
    start = head(fresh=True)
    current = edition_at(parsed.edition, start)
    solved = solve(parsed, current)
    changes = changes_between(current, solved.edition)
    goalposts = goalpost_changes(current, solved.edition)
    if dry_run:
        return ImportResult(None, changes, solved, goalposts)
    if head(fresh=True) != start:
        raise DataChangeError("versions.err_changed_meanwhile")
    values = _values_table(solved.edition).drop(columns="edition")
    version = Workspace().add_dataset_version(
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


def rollback(target: int, *, author: str = "", note: str = "") -> DatasetVersion:
    """A new version whose state is that of `target` (0: the embedded data)."""
    forget_head()
    known = {v.id for v in versions()}
    if target != 0 and target not in known:
        valid = ", ".join(["0"] + [str(v) for v in sorted(known)])
        raise DataChangeError("versions.err_unknown", version=target, valid=valid)
    if target == head(fresh=True):
        raise DataChangeError("versions.err_already_current", version=target)
    version = Workspace().add_dataset_version("rollback", restores=target, author=author, note=note)
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
    "DataChangeError",
    "ImportResult",
    "NotFound",
    "Solved",
    "apply_import",
    "changes_between",
    "compare",
    "edition_at",
    "head",
    "rollback",
    "snapshot_for",
    "solve",
    "versions",
    "with_snapshot",
]
