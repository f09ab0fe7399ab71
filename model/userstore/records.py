"""What the user store hands back: immutable values, timestamps in UTC (timezone-aware), and
the rows they are read from (each *_COLUMNS list is the shape its converter reads)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from model.index.scenario import Scenario

from .schema import utc


@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    scenario: Scenario
    author: str
    note: str
    created_at: datetime  # UTC, timezone-aware
    updated_at: datetime  # UTC: when this content was saved (a rename does not change it)
    revision: int

    @property
    def unit(self) -> str:
        return self.scenario.unit

    @property
    def edition(self) -> int:
        return self.scenario.edition


@dataclass(frozen=True)
class ProgressEntry:
    """One progress reading of a plan's indicator, as recorded."""

    id: int
    plan_id: str
    unit: str
    code: str
    kind: str  # 'score' | 'raw': what `value` is
    value: float
    score: float  # score-equivalent under the plan's baseline goalposts
    as_of: date  # when the value was measured
    note: str
    author: str
    recorded_at: datetime  # UTC, timezone-aware
    replaces: int | None = None  # a correction or withdrawal: the reading it replaces
    withdrawn: bool = False  # a withdrawal: the replaced reading no longer counts
    superseded: bool = False  # (in a full log) replaced by a later correction or withdrawal


@dataclass(frozen=True)
class ScenarioRevision:
    scenario_id: int
    revision: int
    name: str  # the name it had when this revision was saved
    scenario: Scenario
    author: str
    note: str
    saved_at: datetime  # UTC, timezone-aware


@dataclass(frozen=True)
class DatasetVersion:
    """One change of the official data: an import of an edition's file, or a rollback."""

    id: int
    kind: str  # 'import' | 'rollback'
    edition: int | None  # the edition an import changed; None for a rollback
    restores: int | None  # a rollback: the version whose state it restores (0 = embedded data)
    author: str
    file_name: str
    checksum: str
    note: str
    report_json: str
    created_at: datetime  # UTC, timezone-aware
    n_values: int  # rows of dataset_values stored with it


SCENARIO_COLUMNS = "id, name, spec_json, author, note, created_at, updated_at, revision"
PROGRESS_COLUMNS = (
    "id, plan_id, unit, code, kind, value, score, as_of, note, author, recorded_at, "
    "replaces, coalesce(withdrawn, FALSE)"
)
DATASET_VERSION_SELECT = (
    "SELECT v.id, v.kind, v.edition, v.restores, v.author, v.file_name, v.checksum, v.note, "
    "v.report_json, v.created_at, "
    "(SELECT count(*) FROM dataset_values d WHERE d.version_id = v.id) "
    "FROM dataset_versions v"
)


def saved_scenario(row: Sequence) -> SavedScenario:
    """A row of SCENARIO_COLUMNS as a value; ScenarioError if its JSON no longer validates."""
    id_, name, spec_json, author, note, created, updated, revision = row
    return SavedScenario(
        id=int(id_),
        name=name,
        scenario=Scenario.from_json(spec_json),
        author=author,
        note=note,
        created_at=utc(created),
        updated_at=utc(updated),
        revision=int(revision),
    )


def progress_entry(row: Sequence, superseded: bool = False) -> ProgressEntry:
    id_, plan_id, unit, code, kind, value, score, as_of, note, author, recorded = row[:11]
    replaces, withdrawn = (row[11], row[12]) if len(row) > 11 else (None, False)
    return ProgressEntry(
        int(id_),
        plan_id,
        unit,
        code,
        kind,
        float(value),
        float(score),
        as_of,
        note,
        author,
        utc(recorded),
        None if replaces is None else int(replaces),
        bool(withdrawn),
        superseded,
    )


def dataset_version(row: Sequence) -> DatasetVersion:
    id_, kind, edition, restores, author, file_name, checksum, note, report, created, n = row
    return DatasetVersion(
        int(id_),
        kind,
        None if edition is None else int(edition),
        None if restores is None else int(restores),
        author,
        file_name,
        checksum,
        note,
        report,
        utc(created),
        int(n),
    )
