"""Departments by edition and province: who a plan can name as a lead unit, and how a name
printed before the 2025 reorganisation of provincial departments reads after it.

- `rename_departments(text, year, origin)`: a lead or coordinating unit as named after the
  reorganisation (data/sources/department_renames_2025.csv); model.plan.carry renames a carried
  plan's leads with it;
- `department_list(unit, year, extra)`: the departments a plan of `unit` against edition `year`
  is offered (data/sources/departments_by_edition.csv: each name with the unit it belongs to,
  "all" for every province, and the dates it existed; an edition's list is the one in force at
  the end of its year, so a 2025 plan gets the departments after the reorganisation and no
  district body, which ended on 1/7/2025), then `extra` (the unit's own entries: the names its
  users added, kept in the store, and the leads its plans name), each renamed for the year;
- `department_options(...)`: that list with the leads of the plans shown (the Plan page's
  editor, where a plan's own lead must stay pickable).

No Streamlit, no store: the CSV files are read (and cached) from data/sources.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from .. import paths
from .core import PlanError
from .names import department_glossary

RENAMES_FILE = "department_renames_2025.csv"
LIST_FILE = "departments_by_edition.csv"
RENAME_RULES = ("kept", "merged_into", "renamed", "split", "district_level_ended")
KINDS = ("department", "body", "bank", "local", "generic", "own")
KIND_IDS = {  # literal ids, for the extractor
    "department": "plan.dept_kind_department",
    "body": "plan.dept_kind_body",
    "bank": "plan.dept_kind_bank",
    "local": "plan.dept_kind_local",
    "generic": "plan.dept_kind_generic",
    "own": "plan.dept_kind_own",
}
_SEP = r"[\s,\-–—]+"  # how the words of a department's name may be separated as printed


@dataclass(frozen=True)
class Rename:
    """One row of department_renames_2025.csv."""

    old_name: str
    new_name: str
    new_name_en: str
    rule: str
    scope: str  # "all" or the slug of the unit whose plans name `old_name`
    effective_date: str  # ISO date
    note: str
    source: str

    @property
    def year(self) -> int:
        return int(self.effective_date[:4])

    def applies(self, year: int, origin: str | None) -> bool:
        return self.year <= year and self.scope in ("all", origin)


@lru_cache(maxsize=4)
def _renames(path: Path, mtime: int) -> tuple[Rename, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        rename = Rename(**{k: (r.get(k) or "").strip() for k in Rename.__dataclass_fields__})
        if rename.rule not in RENAME_RULES or not re.match(
            r"^\d{4}-\d{2}-\d{2}$", rename.effective_date
        ):
            raise PlanError("plan.carry_err_renames_row", name=rename.old_name, file=path.name)
        out.append(rename)
    return tuple(out)


def renames(directory: Path | None = None) -> tuple[Rename, ...]:
    """The rows of department_renames_2025.csv (cached per file version)."""
    path = (directory or paths.sources_dir()) / RENAMES_FILE
    return _renames(path, path.stat().st_mtime_ns)


def _pattern(name: str) -> str:
    words = [re.escape(w) for w in re.split(_SEP, name.strip()) if w]
    return _SEP.join(words)


@lru_cache(maxsize=16)
def _compiled(rows: tuple[Rename, ...]) -> tuple[re.Pattern, dict[str, Rename]]:
    """One alternation of every old and new name, longest first, so a name is replaced once
    and a name already renamed ("Chi cục Thống kê tỉnh") is never renamed again."""
    by_key: dict[str, Rename] = {}
    for r in rows:
        by_key.setdefault(_key(r.old_name), r)
        keep = Rename(r.new_name, r.new_name, r.new_name_en, "kept", r.scope, r.effective_date,
                      "", "")  # fmt: skip
        by_key.setdefault(_key(r.new_name), keep)
    names = sorted(by_key, key=len, reverse=True)
    alternation = "|".join(f"(?:{_pattern(n)})" for n in names)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE), by_key


@lru_cache(maxsize=4096)
def _key(name: str) -> str:
    # cached: the lead-unit list compares every listed name with every own entry, 2,900 calls
    # (8 ms) each time the Plan page runs
    return " ".join(w.casefold() for w in re.split(_SEP, name.strip()) if w)


@dataclass(frozen=True)
class Renamed:
    """A department's (or a list of departments') name before and after the reorganisation."""

    old: str
    new: str
    applied: tuple[Rename, ...]  # the rules that changed something, in the text's order

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def split(self) -> bool:
        """A department whose tasks were divided: the new lead needs a person's choice."""
        return any(r.rule == "split" for r in self.applied)


def rename_departments(
    text: str, year: int, origin: str | None = None, rows: Sequence[Rename] | None = None
) -> Renamed:
    """`text` (a lead or coordinating unit as printed, possibly several names) with each
    department named as it is in `year`: the rules in force by then whose scope is every
    province or `origin` (the unit the plan was written for)."""
    active = tuple(r for r in (rows if rows is not None else renames()) if r.applies(year, origin))
    if not text or not active:
        return Renamed(text, text, ())
    pattern, by_key = _compiled(active)
    applied: list[Rename] = []

    def swap(m: re.Match) -> str:
        rule = by_key.get(_key(m.group(0)))
        if rule is None or _key(rule.new_name) == _key(m.group(0)):
            return m.group(0)
        applied.append(rule)
        return rule.new_name

    new = pattern.sub(swap, text)
    return Renamed(text, new, tuple(applied))


# --------------------------------------------------------------------------------------------
# Departments by edition and province
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentEntry:
    """One name a plan can give as its lead unit, for a unit and an edition."""

    name_vi: str
    name_en: str
    kind: str  # a key of KINDS ("own": the unit's own entry)
    scope: str  # "all" or the unit's slug
    source: str

    @property
    def kind_id(self) -> str:
        return KIND_IDS[self.kind]

    def label(self, lang: str = "vi") -> str:
        return (self.name_en or self.name_vi) if lang == "en" else self.name_vi

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Listed:
    entry: DepartmentEntry
    valid_from: dt.date
    valid_to: dt.date


@lru_cache(maxsize=4)
def _listed(path: Path, mtime: int) -> tuple[_Listed, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        r = {k: (v or "").strip() for k, v in r.items()}
        try:
            start = dt.date.fromisoformat(r["valid_from"])
            end = dt.date.fromisoformat(r["valid_to"])
        except (KeyError, ValueError):
            raise PlanError("plan.carry_err_renames_row", name=r.get("name_vi", ""),
                            file=path.name) from None  # fmt: skip
        if r.get("kind") not in KINDS or not r.get("name_vi"):
            raise PlanError("plan.carry_err_renames_row", name=r.get("name_vi", ""), file=path.name)
        entry = DepartmentEntry(r["name_vi"], r["name_en"], r["kind"], r["scope"], r["source"])
        out.append(_Listed(entry, start, end))
    return tuple(out)


def listed(directory: Path | None = None) -> tuple[_Listed, ...]:
    path = (directory or paths.sources_dir()) / LIST_FILE
    return _listed(path, path.stat().st_mtime_ns)


def in_force(year: int) -> dt.date:
    """The day an edition's list is taken on: the end of its year (a 2025 plan is carried out
    after the 2025 reorganisation and the end of the district level)."""
    return dt.date(int(year), 12, 31)


def department_list(
    unit: str, year: int, extra: Iterable[str] = (), directory: Path | None = None
) -> list[DepartmentEntry]:
    """The departments a plan of `unit` against edition `year` is offered: those in force at
    the end of the year for every province or for `unit` (no other province's bodies), then the
    unit's own entries (`extra`) renamed for the year, without repeats; an own entry that the
    reorganisation ended (a district body in 2025) is left out."""
    folder = directory or paths.sources_dir()
    own = tuple(" ".join(str(name).split()) for name in extra)
    stamp = tuple((folder / f).stat().st_mtime_ns for f in (LIST_FILE, RENAMES_FILE))
    return list(_department_list(unit, year, own, directory, stamp))


@lru_cache(maxsize=64)
def _department_list(
    unit: str, year: int, extra: tuple[str, ...], directory: Path | None, stamp: tuple
) -> tuple[DepartmentEntry, ...]:
    """Cached by the list's and the renames' modification times: the Plan page asks on every
    run (12 ms)."""
    del stamp  # the cache key
    day = in_force(year)
    out: dict[str, DepartmentEntry] = {}
    for item in listed(directory):
        e = item.entry
        if e.scope in ("all", unit) and item.valid_from <= day <= item.valid_to:
            out.setdefault(_key(e.name_vi), e)
    for name in extra:
        text = " ".join(str(name).split())
        if not text:
            continue
        renamed = rename_departments(_full_name(text), year, unit)
        if _ended(renamed.new, unit, day, directory):
            continue
        out.setdefault(_key(renamed.new), DepartmentEntry(renamed.new, "", "own", unit, ""))
    return tuple(out.values())


def _full_name(name: str) -> str:
    """A short form the seed's glossary knows ("NHNN chi nhánh Bắc Giang") as its full name."""
    shorts = {_key(d.short_vi): d.name_vi for d in department_glossary().values() if d.short_vi}
    return shorts.get(_key(name), name)


def _ended(name: str, unit: str, day: dt.date, directory: Path | None) -> bool:
    """A listed name that no longer exists on `day` (for every province or this unit)."""
    key = _key(name)
    return any(
        _key(i.entry.name_vi) == key and i.entry.scope in ("all", unit) and i.valid_to < day
        for i in listed(directory)
    ) or any(
        _key(i.entry.name_vi) == key and i.entry.scope not in ("all", unit)
        for i in listed(directory)
    )


def department_options(
    unit: str, year: int, own: Sequence[str] = (), current: Sequence[str] = ()
) -> list[str]:
    """Names for the editor's lead-unit list: department_list with the unit's own entries,
    plus the leads of the plan shown (`current`, kept as written so they stay pickable)."""
    names = [d.name_vi for d in department_list(unit, year, own)]
    names += [" ".join(c.split()) for c in current if c and c.strip()]
    return list(dict.fromkeys(names))
