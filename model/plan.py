"""Action plans: each weak indicator given to a department with a target (the seed is one)."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import i18n, paths
from .dataset import Edition
from .scenario import TARGET_LIMITS, Scenario, ScenarioError, simulate_many
from .sources import REQUIRED

PRESETS = {"plan-2024": "bac-giang-2024"}  # preset name -> plan id in the plans table


@dataclass(frozen=True)
class PlanTarget:
    row: int
    code: str
    score_2023: float
    target: float
    target_text: str
    lead_unit: str
    coordinating_units: str
    timeframe: str
    tasks_vi: str


@dataclass(frozen=True)
class Plan:
    plan_id: str
    unit: str
    edition: int
    targets: tuple[PlanTarget, ...]

    @classmethod
    def from_rows(cls, rows: pd.DataFrame) -> Plan:
        if rows.empty:
            raise ScenarioError("plan.err_not_found")
        first = rows.iloc[0]
        return cls(
            plan_id=str(first["plan"]),
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
        )

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.targets]

    def lead_of(self, code: str) -> str | None:
        return next((t.lead_unit for t in self.targets if t.code == code), None)

    def scenario(self, ed: Edition, base: Scenario | None = None) -> Scenario:
        """The plan as a scenario: every target met ("≥ x": never below the baseline)."""
        if self.unit not in ed.slugs:
            raise ScenarioError(
                "plan.err_wrong_unit", plan=self.plan_id, unit=self.unit, year=ed.year
            )
        u = ed.unit_index(self.unit)
        targets = {
            t.code: max(t.target, float(ed.scores[u, ed.framework.require(t.code)]))
            for t in self.targets
        }
        base = base or Scenario(unit=self.unit, edition=ed.year)
        if base.unit != self.unit:
            base = Scenario(
                unit=self.unit,
                edition=ed.year,
                peers=base.peers,
                scale=base.scale,
                target_year=base.target_year,
            )
        return Scenario(
            unit=self.unit,
            edition=ed.year,
            targets=tuple(targets.items()),
            peers=base.peers,
            scale=base.scale,
            target_year=base.target_year,
            name=self.plan_id,
        )

    # --- departments, applicability ------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# What each department's targets are worth
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentEffect:
    """The plan restricted to one lead unit's targets: the PII and rank they buy on their own."""

    lead_unit: str
    codes: tuple[str, ...]
    pii: float
    rank: int
    delta_pii: float  # PII change from the baseline
    rank_change: int  # places gained (positive = better)


@dataclass(frozen=True)
class PlanEffect:
    """The whole plan's effect and each department's share of it, for one unit and edition."""

    unit: str
    edition: int
    baseline_pii: float
    baseline_rank: int
    pii: float
    rank: int
    departments: tuple[DepartmentEffect, ...]  # in the plan's order
    gap_to_next: float | None = None  # PII points between the baseline and the unit ranked above

    @property
    def delta_pii(self) -> float:
        return self.pii - self.baseline_pii

    @property
    def rank_change(self) -> int:
        return self.baseline_rank - self.rank


def department_effects(
    plan: Plan, ed: Edition, base: Scenario | None = None, trend: np.ndarray | None = None
) -> PlanEffect:
    """Per lead unit, the scenario with only that department's targets met.

    Under arithmetic means with frozen goalposts and static peers the PII is linear in the
    unit's own scores and no target is capped, so the departments' PII changes add up exactly
    to the whole plan's; ranks never add up (they move in steps).
    """
    full = plan.scenario(ed, base)
    goal = full.target_map
    depts = plan.departments
    scenarios = [replace(full, targets=()), full] + [
        replace(full, targets=tuple((t.code, goal[t.code]) for t in plan.targets_of(d)), name=d)
        for d in depts
    ]
    agg = simulate_many(ed, scenarios, trend)
    u = ed.unit_index(plan.unit)
    pii, rank = agg.pii[:, u], agg.rank[:, u]
    b_pii, b_rank = float(pii[0]), int(rank[0])
    above = [float(v) for v in agg.pii[0] if v > b_pii]
    gap = min(above) - b_pii if above else None
    return PlanEffect(
        unit=plan.unit,
        edition=ed.year,
        baseline_pii=b_pii,
        baseline_rank=b_rank,
        pii=float(pii[1]),
        rank=int(rank[1]),
        departments=tuple(
            DepartmentEffect(
                lead_unit=d,
                codes=tuple(t.code for t in plan.targets_of(d)),
                pii=float(pii[k]),
                rank=int(rank[k]),
                delta_pii=float(pii[k]) - b_pii,
                rank_change=b_rank - int(rank[k]),
            )
            for k, d in enumerate(depts, start=2)
        ),
        gap_to_next=gap,
    )


# --------------------------------------------------------------------------------------------
# Names in the reader's language: the plan is written in Vietnamese; data/sources/departments.csv
# gives the departments of the seed plan a short form and an English name, and a small glossary
# the timeframes. Anything not listed is shown as written.
# --------------------------------------------------------------------------------------------

TIMEFRAMES = {"Thường xuyên": "Ongoing", "Hằng năm": "Annually", "Hàng năm": "Annually"}


@dataclass(frozen=True)
class Department:
    """A department's names (one row of departments.csv)."""

    id: str
    name_vi: str
    short_vi: str
    name_en: str
    short_en: str

    def label(self, lang: str = "vi", short: bool = False) -> str:
        if lang == "en":
            return (self.short_en if short else self.name_en) or self.name_vi
        return (self.short_vi if short else self.name_vi) or self.name_vi


@lru_cache(maxsize=4)
def _departments(path: Path) -> dict[str, Department]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["name_vi"].strip(): Department(
            r["id"].strip(),
            r["name_vi"].strip(),
            r["short_vi"].strip(),
            r["name_en"].strip(),
            r["short_en"].strip(),
        )
        for r in rows
    }


def department_glossary() -> dict[str, Department]:
    """Full Vietnamese name -> Department, from data/sources/departments.csv (read once)."""
    return _departments(paths.sources_dir() / "departments.csv")


def department_label(name: str, lang: str = "vi", short: bool = False) -> str:
    """A lead (or coordinating) unit's name for display: its short or English form from
    departments.csv when it has one, else as written; "(not assigned)" when empty."""
    entry = department_glossary().get(name.strip())
    if entry is None:
        return name or i18n.gettext(lang, "plan.unassigned")
    return entry.label(lang, short)


def timeframe_label(text: str, lang: str = "vi") -> str:
    return TIMEFRAMES.get(text.strip(), text) if lang == "en" else text


# --------------------------------------------------------------------------------------------
# Progress: a measured value as a score on the plan's scale, and how far it is along the way
# --------------------------------------------------------------------------------------------

PROGRESS_KINDS = ("score", "raw")


def progress_score(ed: Edition, code: str, kind: str, value: float) -> float:
    """The score-equivalent of a progress reading (a score as is; a raw value through the
    edition's goalposts, not clipped). ScenarioError for anything that is not a usable number."""
    if kind not in PROGRESS_KINDS:
        raise ScenarioError("plan.err_progress_kind", kind=str(kind))
    if code not in ed.framework.index:
        raise ScenarioError("plan.err_progress_code", code=str(code), year=ed.year)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ScenarioError("plan.err_progress_value", value=str(value)) from None
    if not math.isfinite(v):
        raise ScenarioError("plan.err_progress_finite", value=str(value))
    score = v if kind == "score" else float(ed.raw_to_score(code, v))
    if kind == "score" and not 0.0 <= score <= 100.0:
        raise ScenarioError("plan.err_score_range", value=v)
    if not TARGET_LIMITS[0] <= score <= TARGET_LIMITS[1]:
        raise ScenarioError("plan.err_far_outside", value=v, code=code)
    return score


def progress_fraction(baseline: float, target: float, score: float) -> float:
    """How far `score` has come from the plan's baseline towards its target, 0..1."""
    if target <= baseline:
        return 1.0 if score >= target else 0.0
    return float(min(1.0, max(0.0, (score - baseline) / (target - baseline))))


# --------------------------------------------------------------------------------------------
# Another province's plan, from the seed's CSV layout
# --------------------------------------------------------------------------------------------

CSV_COLUMNS = REQUIRED["plan_bac_giang_2024.csv"]  # the seed plan's layout
REQUIRED_COLUMNS = ("code", "score_2023", "target_2024", "lead_unit")
MAX_ROWS = 200
MAX_PROBLEMS = 20
_CODE = re.compile(r"^\d+\.\d+\.\d+$")
_PLAN_ID = re.compile(r"^[\w.\-]{1,60}$")


@dataclass(frozen=True)
class PlanProblem:
    """One thing wrong with an uploaded plan; `row` is the spreadsheet row (header = row 1).

    kind: encoding | empty | missing_columns | field_count | too_many_rows | unknown_code |
    bad_code | not_a_number | out_of_range | duplicate_code | not_a_row_number | bad_plan_id
    """

    kind: str
    row: int | None = None
    column: str | None = None
    value: str = ""
    year: int | None = None  # the edition the file was checked against

    @property
    def message(self) -> i18n.Message:
        """The problem as a catalogue sentence (app.po's plan.err_* ids), for any language."""
        return i18n.msg(
            PROBLEM_IDS.get(self.kind, "plan.err_empty"),
            row=self.row,
            column=self.column or "",
            value=self.value,
            year=self.year,
        )

    def __str__(self) -> str:
        """English, for logs and tracebacks (the screens render `message`)."""
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column!r}" if self.column else "",
            )
            if part
        )
        detail = {
            "encoding": "the file is not UTF-8 text (save it as 'CSV UTF-8')",
            "empty": "the file has no plan rows",
            "missing_columns": f"missing column(s): {self.value}",
            "field_count": f"expected {len(CSV_COLUMNS)} fields, found {self.value}",
            "too_many_rows": f"more than {MAX_ROWS} rows",
            "unknown_code": f"{self.value!r} is not an indicator of this edition",
            "bad_code": f"{self.value!r} is not an indicator code like 2.2.3",
            "not_a_number": f"{self.value!r} is not a number",
            "out_of_range": f"{self.value!r} is not a score between 0 and 100",
            "duplicate_code": f"indicator {self.value} appears twice",
            "not_a_row_number": f"{self.value!r} is not a whole number",
            "bad_plan_id": f"{self.value!r} is not a plan id (letters, digits, - _ .)",
        }.get(self.kind, self.value)
        return f"{where}: {detail}" if where else detail


PROBLEM_IDS = {  # the catalogue's sentence for each kind of problem
    "encoding": "plan.err_encoding",
    "empty": "plan.err_empty",
    "missing_columns": "plan.err_missing_columns",
    "field_count": "plan.err_field_count",
    "too_many_rows": "plan.err_too_many_rows",
    "unknown_code": "plan.err_unknown_code",
    "bad_code": "plan.err_bad_code",
    "not_a_number": "plan.err_not_a_number",
    "out_of_range": "plan.err_out_of_range",
    "duplicate_code": "plan.err_duplicate_code",
    "not_a_row_number": "plan.err_not_a_row_number",
    "bad_plan_id": "plan.err_bad_plan_id",
}


class PlanFileError(ScenarioError):
    """An uploaded plan that cannot be used; `problems` says where and why (nothing is loaded).

    Its id and parameters are the first problem's; `render(lang)` gives every problem."""

    def __init__(self, problems: Sequence[PlanProblem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0].message if self.problems else i18n.msg("plan.err_empty")
        super().__init__(first.msg_id, **first.params)

    def render(self, lang: str) -> str:
        return " ".join(p.message.render(lang) for p in self.problems) or super().render(lang)

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


def _number(text: str) -> float | None:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in t and "." not in t:
        t = t.replace(",", ".")  # a Vietnamese decimal comma: 12,76
    try:
        v = float(t)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


@dataclass
class _Problems:
    year: int | None = None
    items: list[PlanProblem] = field(default_factory=list)

    def add(self, kind: str, row: int | None = None, column: str | None = None, value="") -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(PlanProblem(kind, row, column, str(value)[:80], self.year))

    def raise_if_any(self) -> None:
        if self.items:
            raise PlanFileError(self.items)


def parse_plan_csv(data: bytes | str, ed: Edition, unit: str, plan_id: str = "") -> Plan:
    """A plan from a CSV in the layout of data/sources/plan_bac_giang_2024.csv, for `unit`.

    Columns code, score_2023, target_2024 and lead_unit are required; the others may be absent
    or empty (target_text then reads "≥ target"). Every problem found is reported at once with
    its spreadsheet row and column; on any problem PlanFileError is raised and nothing is made.
    """
    problems = _Problems(ed.year)
    ed.unit_index(unit)  # UnknownName for a unit not in the edition
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.add("encoding")
            problems.raise_if_any()
    else:
        text = data.removeprefix("\ufeff")
    records = list(csv.reader(io.StringIO(text, newline="")))
    while records and not any(c.strip() for c in records[-1]):
        records.pop()  # trailing blank lines
    if not records:
        problems.add("empty")
        problems.raise_if_any()
    header = [h.strip().lower() for h in records[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.add("missing_columns", 1, None, ", ".join(missing))
        problems.raise_if_any()
    body = records[1:]
    if not any(any(c.strip() for c in r) for r in body):
        problems.add("empty")
        problems.raise_if_any()
    if len(body) > MAX_ROWS:
        problems.add("too_many_rows", None, None, len(body))
        problems.raise_if_any()
    col = {h: k for k, h in enumerate(header)}
    targets: list[PlanTarget] = []
    seen: dict[str, int] = {}
    ids: list[str] = []
    for k, rec in enumerate(body):
        row = k + 2  # spreadsheet row: the header is row 1
        if not any(c.strip() for c in rec):
            continue
        if len(rec) != len(header):
            problems.add("field_count", row, None, len(rec))
            continue

        def get(name: str, rec: list[str] = rec) -> str:
            return rec[col[name]].strip() if name in col else ""

        code = get("code")
        ok = True
        if not _CODE.match(code):
            problems.add("bad_code", row, "code", code)
            ok = False
        elif code not in ed.framework.index:
            problems.add("unknown_code", row, "code", code)
            ok = False
        elif code in seen:
            problems.add("duplicate_code", row, "code", code)
            ok = False
        values: dict[str, float] = {}
        for name in ("score_2023", "target_2024"):
            v = _number(get(name))
            if v is None:
                problems.add("not_a_number", row, name, get(name))
                ok = False
            elif not 0.0 <= v <= 100.0:
                problems.add("out_of_range", row, name, get(name))
                ok = False
            else:
                values[name] = v
        number = len(targets) + 1
        if get("row"):
            n = _number(get("row"))
            if n is None or n != int(n):
                problems.add("not_a_row_number", row, "row", get("row"))
                ok = False
            else:
                number = int(n)
        if get("plan"):
            ids.append(get("plan"))
        if not ok:
            continue
        seen[code] = row
        targets.append(
            PlanTarget(
                row=number,
                code=code,
                score_2023=values["score_2023"],
                target=values["target_2024"],
                target_text=get("target_text") or f"≥ {values['target_2024']:g}",
                lead_unit=get("lead_unit"),
                coordinating_units=get("coordinating_units"),
                timeframe=get("timeframe"),
                tasks_vi=get("tasks_vi"),
            )
        )
    pid = plan_id or (ids[0] if ids else f"{unit}-{ed.year}")
    if not _PLAN_ID.match(pid):
        problems.add("bad_plan_id", None, "plan", pid)
    problems.raise_if_any()
    if not targets:
        problems.add("empty")
        problems.raise_if_any()
    return Plan(plan_id=pid, unit=unit, edition=ed.year, targets=tuple(targets))


def plan_to_csv(plan: Plan) -> str:
    """The plan in the upload layout (round-trips through parse_plan_csv)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for t in plan.targets:
        w.writerow(
            [
                plan.plan_id,
                t.row,
                t.code,
                f"{t.score_2023:g}",
                f"{t.target:g}",
                t.target_text,
                t.lead_unit,
                t.coordinating_units,
                t.timeframe,
                t.tasks_vi,
                "",
            ]
        )
    return out.getvalue()
