"""The repository's dataset versions: official data imports and rollbacks, each stored with
its snapshot (every unit x indicator value, the edition's goalposts) in one transaction.

model.official.versions decides what a version means (the state of the data at it); this part only
keeps them, append-only.
"""

from __future__ import annotations

import pandas as pd

from .errors import NotFound
from .records import DATASET_VERSION_SELECT, DatasetVersion, dataset_version
from .repository import Repository
from .schema import now as _now
from .schema import utc as _utc
from .validate import (
    CHECKSUM_MAX,
    FILE_NAME_MAX,
    GOAL_NUMBERS,
    GOAL_TEXT,
    VALUE_NUMBERS,
    VALUE_TEXT,
    clean_frame,
    validate_author,
    validate_kind,
    validate_line,
    validate_note,
    validate_report,
)


class DatasetVersions(Repository):
    """The dataset_versions, dataset_values and dataset_goalposts tables."""

    def add_dataset_version(
        self,
        kind: str,
        *,
        edition: int | None = None,
        restores: int | None = None,
        author: str = "",
        file_name: str = "",
        checksum: str = "",
        note: str = "",
        report_json: str = "{}",
        values: pd.DataFrame | None = None,
        goalposts: pd.DataFrame | None = None,
    ) -> DatasetVersion:
        """Record one import or rollback with its values and goalposts, in one transaction.

        An import names the edition it changed (restores None); a rollback names the version
        whose state it restores (0 = the embedded data; edition None). `values` has columns
        unit, code, score, raw, provenance; `goalposts` code, min_raw, max_raw, provenance
        (extra columns are ignored; NaN is stored as NULL).
        """
        validate_kind(kind, edition, restores)
        author, note = validate_author(author), validate_note(note)
        file_name = validate_line(file_name, "file name", FILE_NAME_MAX)
        checksum = validate_line(checksum, "checksum", CHECKSUM_MAX)
        report_json = validate_report(report_json)
        vals = clean_frame(values, VALUE_TEXT, VALUE_NUMBERS, ("unit", "code"), "values")
        goals = clean_frame(goalposts, GOAL_TEXT, GOAL_NUMBERS, ("code",), "goalposts")
        now = _now()
        with self._transaction() as cur:
            if kind == "rollback" and restores:
                found = cur.execute(
                    "SELECT 1 FROM dataset_versions WHERE id = ?", [restores]
                ).fetchone()
                if found is None:
                    raise NotFound("workspace.err_no_version_to_restore", id=restores)
            row = cur.execute(
                "INSERT INTO dataset_versions (kind, edition, restores, author, file_name, "
                "checksum, note, report_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING id",
                [kind, edition, restores, author, file_name, checksum, note, report_json, now],
            ).fetchone()
            version_id = int(row[0])
            if len(vals):
                self._backend.insert_frame(cur, "dataset_values", version_id, vals)
            if len(goals):
                self._backend.insert_frame(cur, "dataset_goalposts", version_id, goals)
        return DatasetVersion(
            version_id,
            kind,
            edition,
            restores,
            author,
            file_name,
            checksum,
            note,
            report_json,
            _utc(now),
            len(vals),
        )

    def dataset_versions(self) -> list[DatasetVersion]:
        """Every dataset version, oldest first (ascending id)."""
        with self._cursor() as cur:
            rows = cur.execute(DATASET_VERSION_SELECT + " ORDER BY v.id").fetchall()
        return [dataset_version(r) for r in rows]

    def dataset_version(self, version_id: int) -> DatasetVersion:
        with self._cursor() as cur:
            row = cur.execute(
                DATASET_VERSION_SELECT + " WHERE v.id = ?", [int(version_id)]
            ).fetchone()
        if row is None:
            raise NotFound("workspace.err_no_version", id=version_id)
        return dataset_version(row)

    def head_dataset_version(self) -> int:
        """The newest dataset version's id, 0 when there is none (one indexed query)."""
        with self._cursor() as cur:
            return int(
                cur.execute("SELECT coalesce(max(id), 0) FROM dataset_versions").fetchone()[0]
            )

    def dataset_values(self, version_id: int) -> pd.DataFrame:
        """The values stored with a version: unit, code, score, raw, provenance (NULL = NaN),
        sorted by unit then code; empty (with those columns) if it stored none."""
        return self._frame(
            "SELECT unit, code, score, raw, provenance FROM dataset_values WHERE version_id = ?",
            version_id,
            [*VALUE_TEXT[:2], *VALUE_NUMBERS, VALUE_TEXT[2]],
            ["unit", "code"],
        )

    def dataset_goalposts(self, version_id: int) -> pd.DataFrame:
        """The goalposts stored with a version: code, min_raw, max_raw, provenance."""
        return self._frame(
            "SELECT code, min_raw, max_raw, provenance FROM dataset_goalposts WHERE version_id = ?",
            version_id,
            ["code", *GOAL_NUMBERS, "provenance"],
            ["code"],
        )

    def _frame(
        self, sql: str, version_id: int, columns: list[str], order: list[str]
    ) -> pd.DataFrame:
        with self._cursor() as cur:
            rows = cur.execute(sql, [int(version_id)]).fetchall()
        frame = pd.DataFrame(rows, columns=columns)
        for col in columns:
            if col in VALUE_NUMBERS or col in GOAL_NUMBERS:
                frame[col] = pd.to_numeric(frame[col]).astype("float64")  # None -> NaN
            else:
                frame[col] = frame[col].astype(str)
        # Sorted here, not in SQL: DuckDB and PostgreSQL collate text differently.
        return frame.sort_values(order, kind="stable", ignore_index=True)
