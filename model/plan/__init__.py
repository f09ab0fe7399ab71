"""PII plans: a unit's targets against a baseline edition, who leads each, and what they do.

Modules (each importing only the ones above it):
  core      the Plan and PlanTarget values, their checks (PlanError), ids, the plan as a
            scenario, raw values of the targets, typed plans (new_plan), the built-in plans
  effects   what the plan and each lead unit's targets are worth (department_effects)
  names     departments' and timeframes' names in the reader's language
  progress  progress readings as scores, and how far along the way they are
  departments  the lead units a plan of a unit and edition is offered; the 2025 renames
  appendix  the plan's official Word appendix (.docx), out and in (a package: layout, meta,
            write, read; its layout and meta also hold the plan files' columns and labels)
  files     plan files: CSV and XLSX in the full, plan and seed layouts, and the appendix
            (.docx), both ways
  changes   what changed between two revisions, as data and as sentences; times in Vietnam time
  by_department  progress by department: latest readings against targets, on track or not
  library   built-in and stored plans together: list, get, save, copy, import, delete, the
            effect (imported on its own: `from model.plan import library`; it uses the store)
  carry     a 2024 plan carried to the 2025 merged unit (Bắc Giang's into Bắc Ninh's draft)
  recommend targets proposed for a goal: a rank within reach, or a budget
  review    a plan against the next edition's published outcome
  (carry, recommend and review are imported on their own, like library: they use the store)

This package re-exports core, effects, names, progress and files, so `from model import plan`
and `from model.plan import Plan, department_effects, parse_plan_csv` work as before.
"""

from .core import (
    BUILTIN,
    LAST_YEAR,
    PLAN_ID,
    PRESETS,
    SEED_ID,
    SOURCES,
    STATUSES,
    Builtin,
    Plan,
    PlanError,
    PlanTarget,
    auto_text,
    baseline_of,
    new_plan,
    new_target,
    plan_id_for,
    slugify,
    target_rows,
)
from .effects import DepartmentEffect, PlanEffect, department_effects
from .files import (
    CSV_COLUMNS,
    FORMATS,
    FULL_COLUMNS,
    LAYOUTS,
    MAX_ROWS,
    PLAN_COLUMNS,
    PROBLEM_IDS,
    REQUIRED_COLUMNS,
    SEED_COLUMNS,
    PlanFileError,
    PlanProblem,
    export_plan,
    file_says,
    is_xlsx,
    parse_plan_csv,
    plan_from_table,
    plan_to_csv,
    plan_to_xlsx,
    read_plan_file,
)
from .names import TIMEFRAMES, Department, department_glossary, department_label, timeframe_label
from .progress import PROGRESS_KINDS, progress_fraction, progress_score, target_from_raw

__all__ = [
    "BUILTIN",
    "CSV_COLUMNS",
    "FORMATS",
    "FULL_COLUMNS",
    "LAST_YEAR",
    "LAYOUTS",
    "MAX_ROWS",
    "PLAN_COLUMNS",
    "PLAN_ID",
    "PRESETS",
    "PROBLEM_IDS",
    "PROGRESS_KINDS",
    "REQUIRED_COLUMNS",
    "SEED_COLUMNS",
    "SEED_ID",
    "SOURCES",
    "STATUSES",
    "TIMEFRAMES",
    "Builtin",
    "Department",
    "DepartmentEffect",
    "Plan",
    "PlanEffect",
    "PlanError",
    "PlanFileError",
    "PlanProblem",
    "PlanTarget",
    "auto_text",
    "baseline_of",
    "department_effects",
    "department_glossary",
    "department_label",
    "export_plan",
    "file_says",
    "is_xlsx",
    "new_plan",
    "new_target",
    "parse_plan_csv",
    "plan_from_table",
    "plan_id_for",
    "plan_to_csv",
    "plan_to_xlsx",
    "progress_fraction",
    "progress_score",
    "read_plan_file",
    "slugify",
    "target_from_raw",
    "target_rows",
    "timeframe_label",
]
