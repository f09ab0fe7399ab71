"""A PII plan as a value: per indicator a target score, who leads it and what they will do.

A plan belongs to one unit (province) and is written against one baseline edition: its targets
are scores (0–100) on that edition's scale, each "at least" (a target below the unit's score
leaves the score as it is), with the raw value the target means under that edition's
goalposts (computed, never stored). The seed's plan (Bắc Giang 2024) is built in and read-only;
every other plan is user data kept in the workspace (model.userstore.plans) with revisions.

Plan values are immutable and check themselves on construction (PlanError, a ScenarioError
with a message id), so a malformed plan never reaches a scenario, a file or the store.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
import pandas as pd

from model.index.dataset import Edition
from model.index.scenario import Scenario, ScenarioError

from ..i18n import Message, msg

STATUSES = ("draft", "adopted")
SOURCES = ("typed", "imported", "recommended", "carried", "seed")
LAST_YEAR = 2030  # milestones and target years reach at most the 2030 horizon
NAME_MAX = 120
TEXT_MAX = 20_000  # characters of one text cell (the seed's longest tasks cell is ~2,700)
MAX_TARGETS = 200
MAX_BYTES = 5_000_000  # the largest plan file read (CSV, XLSX, DOCX)
SEED_ID = "bac-giang-2024"
PRESETS = {"plan-2024": SEED_ID}  # preset name -> built-in plan id (`--preset plan-2024`)
_CODE = re.compile(r"^\d+\.\d+\.\d+$")
PLAN_ID = re.compile(r"^[\w.\-]{1,80}$")  # a stored plan's id


# How the sentences name each field (literal ids, for the extractor).
FIELD_NAMES = {
    "name": "plan.field_name",
    "status": "plan.field_status",
    "target_year": "plan.field_target_year",
    "milestones": "plan.field_milestones",
    "author": "plan.field_author",
    "note": "plan.field_note",
    "source": "plan.field_source",
    "source_ref": "plan.field_source_ref",
    "edition": "plan.field_edition",
    "unit": "plan.field_unit",
    "target_text": "plan.field_target_text",
    "lead_unit": "plan.field_lead_unit",
    "coordinating_units": "plan.field_coordinating_units",
    "timeframe": "plan.field_timeframe",
    "tasks": "plan.field_tasks",
    "row": "plan.field_row",
}


class PlanError(ScenarioError):
    """A plan that cannot be made as given (a catalogue id and its parameters)."""


@dataclass(frozen=True)
class Builtin:
    """What the program knows about a built-in plan beyond its rows (data/sources/plan_*.csv)."""

    name: str
    target_year: int
    author: str
    status: str = "adopted"
    milestones: tuple[int, ...] = ()
    note: str = ""


# The plans shipped with the data, read-only (the reference database's `plans` table).
BUILTIN: dict[str, Builtin] = {
    SEED_ID: Builtin(
        name="Kế hoạch nâng cao Chỉ số PII năm 2024",
        target_year=2024,
        author="UBND tỉnh Bắc Giang",
        note="Phụ lục: phân công nhiệm vụ, giải pháp cải thiện và nâng cao điểm số các chỉ số "
        "thành phần Chỉ số PII năm 2024 và những năm tiếp theo.",
    ),
}


def slugify(text: str) -> str:
    """ASCII, lower-case, words joined by '-': 'Kế hoạch PII 2025' -> 'ke-hoach-pii-2025'."""
    t = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:60].strip("-")


def plan_id_for(unit: str, name: str) -> str:
    """The stable id a plan named `name` of `unit` gets (the store adds -2, -3 on a clash)."""
    return f"{unit}-{slugify(name) or 'plan'}"[:80].strip("-")


def _score(value: object, msg_id: str, code: str) -> float:
    if isinstance(value, bool):
        raise PlanError(msg_id, code=code, value=str(value))
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PlanError(msg_id, code=code, value=str(value)) from None
    if not math.isfinite(v) or not 0.0 <= v <= 100.0:
        raise PlanError(msg_id, code=code, value=str(value))
    return v


def field_name(name: str) -> Message:
    """How the sentences name a plan's field (its catalogue id)."""
    return msg(FIELD_NAMES.get(name, "plan.field_name"))


def _text(value: object, what: str, limit: int = TEXT_MAX) -> str:
    if not isinstance(value, str):
        raise PlanError("plan.err_text_type", what=field_name(what))
    if len(value) > limit:
        raise PlanError("plan.err_text_long", what=field_name(what), limit=limit)
    return value


def _year(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise PlanError("plan.err_year_type", what=field_name(what), value=str(value))
    return int(value)


def auto_text(target: float) -> str:
    """The printed target a typed plan gets: '≥ 12.5'."""
    return f"≥ {target:g}"


@dataclass(frozen=True)
class PlanTarget:
    """One indicator of a plan. `baseline`: the unit's score in the baseline edition when the
    plan was written (the seed's "Mức điểm số năm 2023"); `target`: the score aimed at."""

    row: int
    code: str
    baseline: float
    target: float
    target_text: str = ""
    lead_unit: str = ""
    coordinating_units: str = ""
    timeframe: str = ""
    tasks: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not _CODE.match(self.code):
            raise PlanError("plan.err_code_form", code=str(self.code))
        if isinstance(self.row, bool) or not isinstance(self.row, int | np.integer):
            raise PlanError("plan.err_row", code=self.code, value=str(self.row))
        object.__setattr__(self, "row", int(self.row))
        object.__setattr__(self, "target", _score(self.target, "plan.err_target_score", self.code))
        object.__setattr__(
            self, "baseline", _score(self.baseline, "plan.err_baseline_score", self.code)
        )
        for name in ("target_text", "lead_unit", "coordinating_units", "timeframe", "tasks"):
            _text(getattr(self, name), name)

    @property
    def shown_text(self) -> str:
        """The printed target, or '≥ x' when the plan has none."""
        return self.target_text or auto_text(self.target)

    def to_dict(self) -> dict:
        return {
            "row": self.row,
            "code": self.code,
            "baseline": self.baseline,
            "target": self.target,
            "target_text": self.target_text,
            "lead_unit": self.lead_unit,
            "coordinating_units": self.coordinating_units,
            "timeframe": self.timeframe,
            "tasks": self.tasks,
        }


@dataclass(frozen=True)
class Plan:
    """A unit's plan against a baseline edition. `plan_id` is its stable id ("" until it is
    first saved); `revision` is the stored revision it was read at (0: never stored, or built
    in); `source` says where it came from and `source_ref` which file, document or plan."""

    plan_id: str
    unit: str
    edition: int  # the baseline edition: the targets are scores on its scale
    targets: tuple[PlanTarget, ...] = ()
    name: str = ""
    target_year: int | None = None  # None: the year after the edition
    milestones: tuple[int, ...] = ()
    status: str = "draft"
    author: str = ""
    note: str = ""
    source: str = "typed"
    source_ref: str = ""
    revision: int = 0
    updated_at: datetime | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Any short text as a value (a report may show any label); the store keeps only ids
        # of the PLAN_ID form (model.userstore.plans).
        if not isinstance(self.plan_id, str) or len(self.plan_id) > 200:
            raise PlanError("plan.err_id_value", limit=200)
        if not isinstance(self.unit, str) or not self.unit.strip():
            raise PlanError("plan.err_unit_empty")
        edition = _year(self.edition, "edition")
        object.__setattr__(self, "edition", edition)
        _text(self.name, "name", NAME_MAX)
        for name in ("author", "note", "source_ref"):
            _text(getattr(self, name), name)
        if self.status not in STATUSES:
            raise PlanError("plan.err_status", value=str(self.status), valid=", ".join(STATUSES))
        if self.source not in SOURCES:
            raise PlanError("plan.err_source", value=str(self.source), valid=", ".join(SOURCES))
        last = max(LAST_YEAR, edition + 1)
        year = edition + 1 if self.target_year is None else _year(self.target_year, "target_year")
        if not edition < year <= last:
            raise PlanError("plan.err_target_year", value=year, first=edition + 1, last=last)
        object.__setattr__(self, "target_year", year)
        marks = sorted({_year(y, "milestones") for y in self.milestones})
        bad = [y for y in marks if not edition < y <= last]
        if bad:
            raise PlanError("plan.err_milestone", value=bad[0], first=edition + 1, last=last)
        object.__setattr__(self, "milestones", tuple(marks))
        targets = tuple(self.targets)
        if len(targets) > MAX_TARGETS:
            raise PlanError("plan.err_too_many", n=len(targets), limit=MAX_TARGETS)
        seen: set[str] = set()
        for t in targets:
            if not isinstance(t, PlanTarget):
                raise TypeError(f"expected PlanTarget, got {type(t).__name__}")
            if t.code in seen:
                raise PlanError("plan.err_duplicate_target", code=t.code)
            seen.add(t.code)
        object.__setattr__(self, "targets", targets)
        if isinstance(self.revision, bool) or not isinstance(self.revision, int):
            raise PlanError("plan.err_revision", value=str(self.revision))

    # --- construction -----------------------------------------------------------------------
    @classmethod
    def from_rows(cls, rows: pd.DataFrame) -> Plan:
        """A built-in plan from the reference database's `plans` rows (the seed's layout)."""
        if rows.empty:
            raise PlanError("plan.err_not_found")
        first = rows.iloc[0]
        plan_id = str(first["plan"])
        meta = BUILTIN.get(plan_id) or Builtin(
            name=plan_id, target_year=int(first["edition"]) + 1, author=""
        )
        return cls(
            plan_id=plan_id,
            unit=str(first["unit"]),
            edition=int(first["edition"]),
            targets=tuple(
                PlanTarget(
                    int(r["row"]),
                    str(r["code"]),
                    float(r["score_2023"]),
                    float(r["target_2024"]),
                    str(r["target_text"]),
                    str(r["lead_unit"]),
                    str(r["coordinating_units"]),
                    str(r["timeframe"]),
                    str(r["tasks_vi"]),
                )
                for _, r in rows.sort_values("row").iterrows()
            ),
            name=meta.name,
            target_year=meta.target_year,
            milestones=meta.milestones,
            status=meta.status,
            author=meta.author,
            note=meta.note,
            source="seed",
            source_ref=str(first.get("source", "") or ""),
        )

    @classmethod
    def from_dict(cls, d: Mapping) -> Plan:
        """A plan from to_dict()'s JSON shape (a stored revision); PlanError if malformed."""
        if not isinstance(d, Mapping) or not isinstance(d.get("targets", []), list):
            raise PlanError("plan.err_json")
        try:
            targets = tuple(
                PlanTarget(**{k: t[k] for k in TARGET_FIELDS if k in t}) for t in d["targets"]
            )
            return cls(
                plan_id=d.get("id", ""),
                unit=d.get("unit", ""),
                edition=d.get("edition"),
                targets=targets,
                name=d.get("name", ""),
                target_year=d.get("target_year"),
                milestones=tuple(d.get("milestones", ())),
                status=d.get("status", "draft"),
                author=d.get("author", ""),
                note=d.get("note", ""),
                source=d.get("source", "typed"),
                source_ref=d.get("source_ref", ""),
                revision=int(d.get("revision", 0)),
            )
        except PlanError:
            raise
        except (TypeError, ValueError, KeyError):
            raise PlanError("plan.err_json") from None

    def to_dict(self) -> dict:
        return {
            "id": self.plan_id,
            "name": self.name,
            "unit": self.unit,
            "edition": self.edition,
            "target_year": self.target_year,
            "milestones": list(self.milestones),
            "status": self.status,
            "author": self.author,
            "note": self.note,
            "source": self.source,
            "source_ref": self.source_ref,
            "revision": self.revision,
            "targets": [t.to_dict() for t in self.targets],
        }

    # --- reading ----------------------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.targets]

    @property
    def read_only(self) -> bool:
        """Built-in plans are never edited: copy one (model.plan.library.copy_plan)."""
        return self.source == "seed"

    @property
    def provenance(self) -> str:
        """'official' for a plan printed in an official document, else 'user'."""
        return "official" if self.source == "seed" else "user"

    def lead_of(self, code: str) -> str | None:
        return next((t.lead_unit for t in self.targets if t.code == code), None)

    @property
    def departments(self) -> list[str]:
        """The lead units, in the order the plan first names them."""
        return list(dict.fromkeys(t.lead_unit for t in self.targets))

    def targets_of(self, lead_unit: str) -> list[PlanTarget]:
        return [t for t in self.targets if t.lead_unit == lead_unit]

    def target_of(self, code: str) -> PlanTarget | None:
        return next((t for t in self.targets if t.code == code), None)

    def applies_to(self, ed: Edition, unit: str | None = None) -> bool:
        """Whether the plan can be evaluated on this edition (for this unit, when given)."""
        if unit is not None and unit != self.unit:
            return False
        return self.unit in ed.slugs and all(t.code in ed.framework.index for t in self.targets)

    def raw_target(self, ed: Edition, code: str) -> float | None:
        """The raw value a target means under `ed`'s goalposts (None: not an indicator of ed)."""
        t = self.target_of(code)
        if t is None or code not in ed.framework.index:
            return None
        return float(ed.score_to_raw(code, t.target))

    def effective_targets(self, ed: Edition) -> dict[str, float]:
        """Each target as the scenario sets it on `ed`: never below the unit's score there."""
        u = ed.unit_index(self.unit)
        return {
            t.code: max(t.target, float(ed.scores[u, ed.framework.require(t.code)]))
            for t in self.targets
        }

    def scenario(self, ed: Edition, base: Scenario | None = None) -> Scenario:
        """The plan as a scenario: every target met ("≥ x": never below the baseline)."""
        if self.unit not in ed.slugs:
            raise PlanError("plan.err_wrong_unit", plan=self.plan_id, unit=self.unit, year=ed.year)
        targets = self.effective_targets(ed)
        base = base or Scenario(unit=self.unit, edition=ed.year)
        return Scenario(
            unit=self.unit,
            edition=ed.year,
            targets=tuple(targets.items()),
            peers=base.peers,
            scale=base.scale,
            target_year=base.target_year,
            name=self.plan_id,
        )

    # --- editing (each returns a new plan) -------------------------------------------------------
    def with_targets(self, ed: Edition, scores: Mapping[str, float]) -> Plan:
        """Targets set or added; a new indicator's baseline is the unit's score in `ed`, and a
        printed target that was the automatic '≥ x' follows the new score."""
        rows = {t.code: t for t in self.targets}
        for code, score in scores.items():
            old = rows.get(code)
            if old is None:
                rows[code] = new_target(ed, self.unit, code, score, row=len(rows) + 1)
            else:
                text = old.target_text
                if not text or text == auto_text(old.target):
                    text = auto_text(_score(score, "plan.err_target_score", code))
                rows[code] = replace(old, target=score, target_text=text)
        return replace(self, targets=tuple(rows.values()))

    def with_leads(self, leads: Mapping[str, str]) -> Plan:
        """Lead units set per indicator (each code must already have a target)."""
        missing = [c for c in leads if self.target_of(c) is None]
        if missing:
            raise PlanError("plan.err_lead_without_target", code=missing[0])
        return replace(
            self,
            targets=tuple(
                replace(t, lead_unit=leads[t.code]) if t.code in leads else t for t in self.targets
            ),
        )

    def without(self, codes: Iterable[str]) -> Plan:
        drop = set(codes)
        kept = [t for t in self.targets if t.code not in drop]
        return replace(self, targets=tuple(replace(t, row=k) for k, t in enumerate(kept, 1)))


TARGET_FIELDS = (
    "row",
    "code",
    "baseline",
    "target",
    "target_text",
    "lead_unit",
    "coordinating_units",
    "timeframe",
    "tasks",
)


def baseline_of(ed: Edition, unit: str, code: str) -> float:
    """The unit's score of `code` in `ed` (UnknownName for a unit; PlanError for a code)."""
    u = ed.unit_index(unit)
    if code not in ed.framework.index:
        raise PlanError("plan.err_code_unknown", code=str(code), year=ed.year)
    v = float(ed.scores[u, ed.framework.index[code]])
    if not math.isfinite(v):
        raise PlanError("plan.err_no_baseline", code=code, year=ed.year)
    return v


def new_target(
    ed: Edition, unit: str, code: str, score: float, *, row: int, **texts: str
) -> PlanTarget:
    """A target for `code` with its baseline from `ed` and the automatic printed text."""
    base = baseline_of(ed, unit, code)
    value = _score(score, "plan.err_target_score", code)
    texts.setdefault("target_text", auto_text(value))
    return PlanTarget(row=row, code=code, baseline=base, target=value, **texts)


def new_plan(
    ed: Edition,
    unit: str,
    name: str,
    targets: Mapping[str, float] | None = None,
    leads: Mapping[str, str] | None = None,
    **meta,
) -> Plan:
    """A typed plan for `unit` against edition `ed` (not stored; its id comes on first save).

    `meta`: target_year, milestones, status, author, note, source, source_ref, plan_id.
    UnknownName for a unit not in the edition, PlanError for anything else that is wrong.
    """
    ed.unit_index(unit)
    if not isinstance(name, str) or not name.strip():
        raise PlanError("plan.err_name_empty")
    rows = tuple(
        new_target(ed, unit, code, score, row=k)
        for k, (code, score) in enumerate((targets or {}).items(), 1)
    )
    plan = Plan(
        plan_id=meta.pop("plan_id", ""),
        unit=unit,
        edition=ed.year,
        targets=rows,
        name=name.strip(),
        **meta,
    )
    return plan.with_leads(leads) if leads else plan


def target_rows(plan: Plan, ed: Edition) -> list[dict]:
    """Each target with its raw value under `ed`'s goalposts (the CLI's and the page's rows)."""
    return [
        {
            "code": t.code,
            "baseline": t.baseline,
            "target": t.target,
            "raw_target": plan.raw_target(ed, t.code),
            "target_text": t.target_text,
            "lead_unit": t.lead_unit,
            "coordinating_units": t.coordinating_units,
            "timeframe": t.timeframe,
            "tasks": t.tasks,
        }
        for t in plan.targets
    ]
