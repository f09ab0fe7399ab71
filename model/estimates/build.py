"""Sources -> the reference database data/pii.duckdb, with a fidelity report.

The database is written to a temporary file and moved into place in one step, so a failed
build leaves the previous database intact, and readers never see a half-written file. What
users write lives in a different file (workspace.duckdb) that no build touches.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from filelock import FileLock

from model import i18n, paths
from model.estimates.quality.fidelity import check_edition, format_table, summary
from model.estimates.sources import EDITION_MAP, Sources, load_sources
from model.index.dataset import Edition

# The database also depends on the code that makes it: a change here rebuilds it.
_CODE = (
    "model.estimates.sources",
    "model.estimates.statistics",
    "model.index.framework",
    "model.index.engine",
    "model.estimates.reconstruct",
    "model.estimates.near_known",
    "model.estimates.shape",
    "model.estimates.unpack",
    "model.estimates.slots",
    "model.estimates.lp",
    "model.estimates.priors",
    "model.estimates.correlates",
    "model.estimates.build",
    "model.estimates.quality.fidelity",
)


def code_digest() -> str:
    """The source of the modules that make the database, found by module name (not by path)."""
    return "".join(Path(find_spec(name).origin).read_text(encoding="utf-8") for name in _CODE)


class BuildError(i18n.LocalizedError, OSError):
    """The reference database could not be written; the previous one is kept."""


@dataclass(frozen=True)
class BuildReport:
    path: Path
    fidelity: pd.DataFrame
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        used = self.fidelity[self.fidelity["use_as_constraint"]]
        return bool(used["ok"].all())


def editions_from(s: Sources) -> dict[int, Edition]:
    """Reconstruct every edition into Edition objects (no database involved)."""
    from model.estimates.reconstruct import (
        reconstruct_all,  # scipy's optimisers: only a build needs them
    )

    recs = reconstruct_all(s)
    out = {}
    for year, rec in recs.items():
        fw = s.framework_of(year)
        gp = s.goalposts[s.goalposts["edition"] == year].set_index("code")
        out[year] = Edition(
            year=year,
            framework=fw,
            units=s.units_of(year),
            scores=rec.scores,
            raw=rec.raw,
            lo=np.array([gp.at[c, "min_raw"] for c in fw.codes]),
            hi=np.array([gp.at[c, "max_raw"] for c in fw.codes]),
            provenance=rec.provenance,
            regions=s.regions,
        )
        object.__setattr__(out[year], "notes", tuple(rec.notes))
    return out


def _values_table(ed: Edition) -> pd.DataFrame:
    n, m = ed.scores.shape
    return pd.DataFrame(
        {
            "edition": ed.year,
            "unit": np.repeat(np.array(ed.slugs, dtype=object), m),
            "code": np.tile(np.array(ed.framework.codes, dtype=object), n),
            "score": ed.scores.reshape(-1),
            "raw": ed.raw.reshape(-1),
            "provenance": ed.provenance.reshape(-1).astype(str),
        }
    )


def _write(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    df = df.rename(columns={"group": "group_code"})
    con.register("_df", df)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM _df")  # name is one of ours, not user input
    con.unregister("_df")


def build(
    sources_dir: Path | None = None,
    db_path: Path | None = None,
    echo: Callable[[str], None] | None = None,
    verbose: bool = False,
    lang: str = "en",
) -> BuildReport:
    """Build the reference database from the sources; `echo` receives the log, in `lang`."""
    sources_dir = sources_dir or paths.sources_dir()
    db_path = db_path or paths.reference_db()
    say = echo or (lambda _msg: None)
    s = load_sources(sources_dir, code_digest())
    say(i18n.gettext(lang, "build.sources_read", path=str(sources_dir), digest=s.digest[:12]))
    eds = editions_from(s)
    reports = [check_edition(ed, s.published, s.facts) for ed in eds.values()]
    fidelity = pd.concat(reports, ignore_index=True)
    notes = tuple(n for ed in eds.values() for n in getattr(ed, "notes", ()))

    _write_database(db_path, s, eds, fidelity)
    report = BuildReport(db_path, fidelity, notes)
    if verbose:
        say(format_table(fidelity))
    say(summary(fidelity, lang))
    for n in notes:
        say(i18n.render(n, lang))
    say(i18n.gettext(lang, "build.wrote", path=str(db_path)))
    return report


def _write_database(
    db_path: Path, s: Sources, eds: dict[int, Edition], fidelity: pd.DataFrame
) -> None:
    """Write the database beside its place and move it there in one step."""
    # A name of its own for every attempt: DuckDB keeps an instance per path inside a process,
    # and after a failed write (e.g. a full disk) reusing the path would reuse that broken
    # instance, so a server's retry would write an empty database.
    tmp = db_path.with_name(f"{db_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("BEGIN")
            meta = pd.DataFrame(
                {
                    "key": ["sources_digest", "built_at", "editions"],
                    "value": [
                        s.digest,
                        datetime.now(UTC).isoformat(timespec="seconds"),
                        ",".join(map(str, eds)),
                    ],
                }
            )
            _write(con, "meta", meta)
            _write(con, "regions", s.regions)
            _write(con, "units", s.units)
            _write(
                con,
                "editions",
                pd.DataFrame(
                    {
                        "edition": list(EDITION_MAP),
                        "map": list(EDITION_MAP.values()),
                        "n_units": [eds[y].n for y in EDITION_MAP],
                    }
                ),
            )
            _write(con, "pillars", s.pillars)
            _write(con, "groups", s.groups)
            _write(con, "framework", s.framework)
            _write(con, "goalposts", s.goalposts)
            _write(con, "published", s.published)
            _write(con, "indicator_facts", s.facts)
            _write(con, "plans", s.plan.assign(unit="bac-giang", edition=2023))
            _write(con, "indicator_values", pd.concat([_values_table(e) for e in eds.values()]))
            _write(con, "fidelity", fidelity)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")  # everything into the file itself, or an error now
        finally:
            con.close()
        # A write that failed quietly (a full disk during the checkpoint on close leaves the
        # data in the .wal file beside it) must never replace a good database.
        wal = tmp.with_name(tmp.name + ".wal")
        if wal.exists() or stored_digest(tmp) != s.digest:
            raise BuildError("build.err_incomplete", folder=str(db_path.parent))
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)


def stored_digest(db_path: Path) -> str | None:
    """The sources digest a database was built from (None when missing or unreadable).

    The file is ATTACHed to a fresh in-memory database rather than opened with
    duckdb.connect(path): DuckDB hands out its cached instance of a path while any connection
    to it is open, which would still show a file that a rebuild has since replaced.
    """
    if not db_path.exists():
        return None
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS ref (READ_ONLY)", [str(db_path)])
        row = con.execute("SELECT value FROM ref.meta WHERE key = ?", ["sources_digest"]).fetchone()
        return row[0] if row else None
    except duckdb.Error:
        return None  # unreadable (truncated, foreign file): treat as missing
    finally:
        con.close()


def is_stale(sources_dir: Path | None = None, db_path: Path | None = None) -> bool:
    from model.estimates.sources import digest_of, source_files

    sources_dir = sources_dir or paths.sources_dir()
    db_path = db_path or paths.reference_db()
    current = digest_of(source_files(sources_dir), code_digest())
    return stored_digest(db_path) != current


def _build_lock(db_path: Path) -> FileLock:
    """The lock every build of `db_path` holds, so two processes starting at once build once.

    filelock rather than fcntl: the package imports on any platform. One instance per path
    (is_singleton), so build() inside ensure_built() takes it again without waiting for itself.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(db_path.with_name(".build.lock"), is_singleton=True)


@contextmanager
def build_guard(db_path: Path | None = None) -> Iterator[None]:
    """Hold the build lock and remove what killed builds left: around every build the app and
    `python -m model build` run (build() alone writes without asking anyone)."""
    db_path = db_path or paths.reference_db()
    with _build_lock(db_path):
        _remove_strays(db_path)
        yield


def _remove_strays(db_path: Path) -> None:
    """Half-written databases of builds that were killed (kill -9, power loss): with the lock
    held no other build is writing, so every temporary file of this database is a stray."""
    for stray in db_path.parent.glob(f"{db_path.name}.*.tmp*"):
        stray.unlink(missing_ok=True)


def ensure_built(echo: Callable[[str], None] | None = None) -> Path:
    """Build the reference database when it is missing or older than its sources."""
    db = paths.reference_db()
    if not is_stale(db_path=db):
        return db
    with build_guard(db):
        if is_stale(db_path=db):
            build(db_path=db, echo=echo)
    return db
