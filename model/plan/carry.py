"""Carry a plan to another edition: its targets through their raw values onto the new edition's
goalposts, its unit through the 2025 merger, its departments through the 2025 reorganisation.

- `carry_plan(plan, ed_from, ed_to)`: a draft (source "carried", source_ref the original id) and
  one row per original target saying what became of it: moved, clipped at the new goalposts,
  left out (the code is not in the new edition, means another indicator there, has no usable
  goalposts, or the unit has no value for it);
- `rename_departments(text, year, origin)` (model.plan.departments, re-exported): a lead or
  coordinating unit as named after the reorganisation of provincial departments
  (data/sources/department_renames_2025.csv);
- `target_unit(unit, ed_to)`: the unit a plan's unit is in on the new edition's map;
- `merged_drafts(unit, ed_to, plans, editions)` and `beside_own_plan(...)`: the drafts a merged
  unit gets from its parts' plans, shown beside the unit's own plan document; `beside_for(unit,
  year)` is the same with every plan and edition loaded (what the Plan page calls);
- `assumed_goalposts()`: which goalposts are assumptions, per edition (the goalposts table);
- `auto_drafts(unit, year)`: the drafts carried from the built-in plans to merged units,
  stored once so that a new user meets them (the seed's Bắc Ninh 2025 draft).

No Streamlit, no store writes; the CSV files are read (and cached) from data/sources; only
`beside_for` and `assumed_goalposts` read the databases.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from model import api, merge, paths
from model.estimates.sources import EDITION_MAP
from model.i18n import Message, gettext, msg, ngettext
from model.index.dataset import Edition, UnknownName
from model.official import store
from model.plan import BUILTIN, LAST_YEAR, Plan, PlanError, PlanTarget, auto_text, library
from model.plan.departments import (  # noqa: F401 (re-exported: carry.rename_departments)
    RENAME_RULES,
    RENAMES_FILE,
    Rename,
    Renamed,
    rename_departments,
    renames,
)
from model.workspace import NameTaken, Workspace

OTHER_PLANS_FILE = "plans_other_provinces.csv"
# Row statuses of a carry (literal ids for the extractor).
STATUS_TEXT = {
    "moved": "plan.carry_status_moved",
    "clipped": "plan.carry_status_clipped",
    "code_missing": "plan.carry_status_code_missing",
    "not_comparable": "plan.carry_status_not_comparable",
    "no_goalposts": "plan.carry_status_no_goalposts",
    "no_baseline": "plan.carry_status_no_baseline",
}
CARRIED = ("moved", "clipped")  # the statuses whose target is in the draft


# --------------------------------------------------------------------------------------------
# Units across the merger
# --------------------------------------------------------------------------------------------


def target_unit(unit: str, ed_to: Edition) -> str:
    """The unit `unit` is (part of) on `ed_to`'s map: itself when the edition has it, else the
    merged unit whose parts include it (UnknownName when neither)."""
    if unit in ed_to.slugs:
        return unit
    for slug, merged in zip(ed_to.units["slug"], ed_to.units.get("merged_from", []), strict=False):
        if unit in str(merged or "").split(";"):
            return str(slug)
    raise UnknownName("plan.carry_err_unit", unit=unit, year=ed_to.year)


# --------------------------------------------------------------------------------------------
# The carry
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CarryRow:
    """What became of one target of the original plan."""

    code: str
    status: str  # a key of STATUS_TEXT
    target_from: float  # the original target score (ed_from's scale)
    raw: float | None  # the raw value it means under ed_from's goalposts
    target_to: float | None  # the score that raw value has under ed_to's goalposts (0..100)
    baseline_to: float | None  # the unit's score in ed_to
    lead_from: str
    lead_to: str
    coordinating_from: str
    coordinating_to: str
    notes: tuple[Message, ...] = ()

    @property
    def carried(self) -> bool:
        return self.status in CARRIED

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "code": self.code,
            "status": self.status,
            "target_from": self.target_from,
            "raw": self.raw,
            "target_to": self.target_to,
            "baseline_to": self.baseline_to,
            "lead_from": self.lead_from,
            "lead_to": self.lead_to,
            "coordinating_from": self.coordinating_from,
            "coordinating_to": self.coordinating_to,
            "notes": [m.render(lang) for m in self.notes],
        }


@dataclass(frozen=True)
class Carry:
    """A plan carried to another edition: the draft and the fate of every original target."""

    plan: Plan  # the draft (not stored): source "carried", source_ref the original's id
    original: Plan
    edition_from: int
    edition_to: int
    rows: tuple[CarryRow, ...]
    goalposts_assumed: tuple[str, ...]  # carried codes whose goalposts (either side) are assumed

    @property
    def n_carried(self) -> int:
        return sum(r.carried for r in self.rows)

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "from": {"id": self.original.plan_id, "unit": self.original.unit,
                     "edition": self.edition_from},
            "to": {"unit": self.plan.unit, "edition": self.edition_to},
            "n_targets": len(self.rows),
            "n_carried": self.n_carried,
            "goalposts_assumed": list(self.goalposts_assumed),
            "rows": [r.to_dict(lang) for r in self.rows],
        }  # fmt: skip


def _goalposts_ok(ed: Edition, i: int) -> bool:
    lo, hi = float(ed.lo[i]), float(ed.hi[i])
    return math.isfinite(lo) and math.isfinite(hi) and hi != lo


def _move(
    t: PlanTarget, ed_from: Edition, ed_to: Edition, unit: str, comparable: Mapping
) -> tuple[str, float | None, float | None, float | None, tuple[Message, ...]]:
    """(status, raw, new target, new baseline, notes) of one target."""
    code = t.code
    if code not in ed_from.framework.index:
        return "code_missing", None, None, None, (msg("plan.carry_note_not_in", code=code,
                                                      year=ed_from.year),)  # fmt: skip
    if code not in ed_to.framework.index:
        return "code_missing", None, None, None, (msg("plan.carry_note_not_in", code=code,
                                                      year=ed_to.year),)  # fmt: skip
    reason = comparable.get(code)
    if reason is not None:
        return "not_comparable", None, None, None, (reason,)
    i, j = ed_from.framework.index[code], ed_to.framework.index[code]
    if not _goalposts_ok(ed_from, i) or not _goalposts_ok(ed_to, j):
        return "no_goalposts", None, None, None, (msg("plan.carry_note_no_goalposts", code=code),)
    raw = float(ed_from.score_to_raw(code, t.target))
    base = float(ed_to.scores[ed_to.unit_index(unit), j])
    if not math.isfinite(base):
        return "no_baseline", raw, None, None, (msg("plan.carry_note_no_baseline", code=code,
                                                    year=ed_to.year),)  # fmt: skip
    score = float(ed_to.raw_to_score(code, raw))
    notes: list[Message] = []
    status = "moved"
    if not 0.0 <= score <= 100.0:
        status = "clipped"
        notes.append(msg("plan.carry_note_clipped", code=code, score=round(score, 2)))
        score = min(100.0, max(0.0, score))
    if score <= base:
        notes.append(msg("plan.carry_note_met", code=code, score=round(score, 2),
                         baseline=round(base, 2)))  # fmt: skip
    return status, raw, score, base, tuple(notes)


def _note(
    plan: Plan, rows: Sequence[CarryRow], ed_from: Edition, ed_to: Edition, unit: str, lang: str
) -> str:
    """The draft's note: where it comes from, how many targets came along, and (merged unit)
    that the raw targets were written for one part."""
    n = sum(r.status in CARRIED for r in rows)
    part = ed_from.name(plan.unit, lang)
    note = ngettext(lang, "plan.carry_plan_note", len(rows), carried=n, plan=plan.plan_id,
                    unit=part, edition=plan.edition, year=ed_to.year)  # fmt: skip
    if unit != plan.unit:
        merged = ed_to.name(unit, lang)
        note += " " + gettext(lang, "plan.carry_plan_note_merged", part=part, unit=merged)
    return note


def _assumed(ed: Edition, codes: Sequence[str], assumed: Mapping[int, set[str]] | None) -> set:
    if assumed is None:
        return set()
    return {c for c in codes if c in assumed.get(ed.year, set())}


def carry_plan(
    plan: Plan,
    ed_from: Edition,
    ed_to: Edition,
    *,
    unit: str | None = None,
    name: str | None = None,
    lang: str = "vi",
    assumed_goalposts: Mapping[int, set[str]] | None = None,
) -> Carry:
    """The plan as a draft on `ed_to` (see the module docstring). `ed_from` is the plan's own
    baseline edition; `unit` overrides the unit on the new map (default: `target_unit`);
    `assumed_goalposts`: edition -> codes whose goalposts are assumptions (plan_review's
    `assumed_goalposts()`), named in the result so a page can say so."""
    if ed_from.year != plan.edition:
        raise PlanError("plan.carry_err_edition", plan=plan.plan_id, edition=plan.edition,
                        year=ed_from.year)  # fmt: skip
    if ed_to.year == ed_from.year:
        raise PlanError("plan.carry_err_same_edition", year=ed_to.year)
    to_unit = unit or target_unit(plan.unit, ed_to)
    ed_to.unit_index(to_unit)
    comparable = merge.comparability(ed_from, ed_to)  # per code of ed_to: same indicator?
    rows, targets = [], []
    for t in plan.targets:
        status, raw, score, base, notes = _move(t, ed_from, ed_to, to_unit, comparable)
        lead = rename_departments(t.lead_unit, ed_to.year, plan.unit)
        coord = rename_departments(t.coordinating_units, ed_to.year, plan.unit)
        if lead.split:
            notes += (msg("plan.carry_note_split", lead=t.lead_unit),)
        rows.append(CarryRow(t.code, status, t.target, raw, score, base, t.lead_unit, lead.new,
                             t.coordinating_units, coord.new, notes))  # fmt: skip
        if status in CARRIED:
            value = round(float(score), 2)
            targets.append(replace(t, row=len(targets) + 1, baseline=float(base), target=value,
                                   target_text=auto_text(value), lead_unit=lead.new,
                                   coordinating_units=coord.new))  # fmt: skip
    year = ed_to.year + 1
    draft = Plan(
        plan_id="",
        unit=to_unit,
        edition=ed_to.year,
        targets=tuple(targets),
        name=name
        or gettext(lang, "plan.carry_name", name=plan.name or plan.plan_id, year=ed_to.year)[
            :120
        ],  # fmt: skip
        target_year=min(max(year, ed_to.year + 1), max(LAST_YEAR, ed_to.year + 1)),
        milestones=tuple(y for y in plan.milestones if ed_to.year < y <= LAST_YEAR),
        status="draft",
        author="",
        note=_note(plan, rows, ed_from, ed_to, to_unit, lang),
        source="carried",
        source_ref=plan.plan_id,
    )
    carried = [r.code for r in rows if r.status in CARRIED]
    assumed = _assumed(ed_from, carried, assumed_goalposts) | _assumed(
        ed_to, carried, assumed_goalposts
    )
    return Carry(draft, plan, ed_from.year, ed_to.year, tuple(rows),
                 tuple(c for c in carried if c in assumed))  # fmt: skip


# --------------------------------------------------------------------------------------------
# Merged units: the drafts from their parts' plans, beside their own plan documents
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDocument:
    """A province's own plan found in the sources (plans_other_provinces.csv), with or without
    its target table."""

    province: str
    unit: str
    map: str
    document: str
    date: str
    edition: int | None
    stated_result: str
    stated_goal: str
    table_found: bool
    searched: str
    source: str


@lru_cache(maxsize=4)
def _documents(path: Path, mtime: int) -> tuple[PlanDocument, ...]:
    if not path.exists():
        return ()
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        PlanDocument(
            r["province"], r["unit"], r["map"], r["document"], r["date"],
            int(r["edition_referenced"]) if r["edition_referenced"].isdigit() else None,
            r["stated_result"], r["stated_goal"], r["table_found"].strip() == "yes",
            r["searched"], r["source"],
        )
        for r in rows
    )  # fmt: skip


def plan_documents(unit: str | None = None, map_: str | None = None) -> list[PlanDocument]:
    """Provinces' own plan documents found in the sources (of a unit and map, when given)."""
    path = paths.sources_dir() / OTHER_PLANS_FILE
    docs = _documents(path, path.stat().st_mtime_ns if path.exists() else 0)
    return [d for d in docs if unit in (None, d.unit) and map_ in (None, d.map)]


def merged_drafts(
    unit: str,
    ed_to: Edition,
    plans: Sequence[Plan],
    editions: Mapping[int, Edition],
    lang: str = "vi",
    assumed_goalposts: Mapping[int, set[str]] | None = None,
) -> list[Carry]:
    """Drafts carried onto `ed_to` for `unit` from the plans of its parts (a merged unit) or of
    itself, written against an earlier edition held in `editions`. Made on demand: a draft
    follows the data it is made from (goalposts, renames), and is stored only once the user
    saves it."""
    parts = merge.edition_parts(ed_to, unit)
    out = []
    for p in plans:
        if p.unit in parts and p.edition < ed_to.year and p.edition in editions:
            out.append(carry_plan(p, editions[p.edition], ed_to, unit=unit, lang=lang,
                                  assumed_goalposts=assumed_goalposts))  # fmt: skip
    return out


@dataclass(frozen=True)
class Beside:
    """The carried drafts of a unit beside its own plans: stored or built in, and the plan
    documents found in the sources (their target tables, when found)."""

    unit: str
    edition: int
    carried: tuple[Carry, ...]
    own: tuple[Plan, ...]  # the unit's plans on this edition (not carried from another)
    documents: tuple[PlanDocument, ...]

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "unit": self.unit,
            "edition": self.edition,
            "carried": [c.to_dict(lang) | {"plan": c.plan.to_dict()} for c in self.carried],
            "own": [p.to_dict() for p in self.own],
            "documents": [asdict(d) for d in self.documents],
        }


def beside_own_plan(
    unit: str,
    ed_to: Edition,
    plans: Sequence[Plan],
    editions: Mapping[int, Edition],
    lang: str = "vi",
    assumed_goalposts: Mapping[int, set[str]] | None = None,
) -> Beside:
    """What the Plan page shows for a (merged) unit: each draft carried from its parts' plans,
    the unit's own plans of this edition, and its own plan documents of this edition's map
    (Bắc Ninh 15/KH-UBND: its target table was not found, so only its stated result)."""
    carried = merged_drafts(unit, ed_to, plans, editions, lang, assumed_goalposts)
    own = tuple(p for p in plans if p.unit == unit and p.edition == ed_to.year
                and p.source != "carried")  # fmt: skip
    map_ = EDITION_MAP[ed_to.year]
    docs = tuple(d for d in plan_documents(unit, map_) if d.edition in (None, ed_to.year))
    return Beside(unit, ed_to.year, tuple(carried), own, docs)


def side_by_side(b: Beside) -> list[dict]:
    """One row per indicator of the carried drafts and the unit's own plans: the target each
    gives it (None where a plan has none), for a table on the Plan page."""
    plans = [c.plan for c in b.carried] + list(b.own)
    codes = sorted({t.code for p in plans for t in p.targets},
                   key=lambda c: tuple(int(x) for x in c.split(".")))  # fmt: skip
    rows = []
    for code in codes:
        row: dict = {"code": code}
        for k, p in enumerate(plans):
            t = p.target_of(code)
            row[f"plan_{k}"] = None if t is None else t.target
            row[f"lead_{k}"] = None if t is None else t.lead_unit
        rows.append(row)
    return rows


def assumed_goalposts(db: Path | None = None) -> dict[int, set[str]]:
    """Edition -> the codes whose goalposts are assumptions, not published (goalposts table)."""
    df = store.query("SELECT edition, code, provenance FROM goalposts", db=db)
    out: dict[int, set[str]] = {}
    for r in df.itertuples(index=False):
        if str(r.provenance) != "published":
            out.setdefault(int(r.edition), set()).add(str(r.code))
    return out


def beside_for(unit: str, year: int, lang: str = "vi", *, ws: Workspace | None = None) -> Beside:
    """`beside_own_plan` with every plan the user can open (built-in and stored) and the
    editions of the reference database: what the Plan page calls for a unit and edition."""
    editions = {y: api.edition(y) for y in store.editions()}
    plans = library.list_plans(ws=ws)
    ed_to = api.edition(year)
    return beside_own_plan(unit, ed_to, plans, editions, lang, assumed_goalposts())


# --------------------------------------------------------------------------------------------
# The drafts a merged unit gets without asking
# --------------------------------------------------------------------------------------------

AUTO_LANG = "vi"  # the stored draft's name and note: Vietnamese first, whoever opens it


def auto_draft_id(unit: str, year: int, plan_id: str) -> str:
    """The fixed id of the draft carried from built-in plan `plan_id` to `unit` in `year`."""
    return f"{unit}-{year}-tu-{plan_id}"[:80]


def auto_drafts(
    unit: str | None = None, year: int | None = None, *, ws: Workspace | None = None
) -> list[Plan]:
    """Store, once, the drafts carried from the built-in plans to the merged unit their
    province became part of on a later edition's map (the seed: Bắc Giang's plan against 2023
    to the merged Bắc Ninh of 2025), so a new user meets them in `plan list` and on the Plan
    page without knowing `plan carry`. Only for `unit` and `year` when given. Each is stored
    under auto_draft_id, once: one that exists, or was deleted (its history stays), is left
    alone. Returns the drafts stored by this call (the caller checks the store is writable)."""
    ws = ws if ws is not None else Workspace()
    years = [y for y in store.editions() if year is None or y == int(year)]
    made = []
    for pid in BUILTIN:
        original = library.builtin(pid)
        for y in years:
            if y <= original.edition:
                continue
            ed_to = api.edition(y)
            if original.unit in ed_to.slugs:
                continue  # the same unit on the new map: carried on request only
            to = target_unit(original.unit, ed_to)
            if unit is not None and to != unit:
                continue
            draft_id = auto_draft_id(to, y, pid)
            if ws.plan_history_exists(draft_id):
                continue
            c = carry_plan(original, api.edition(original.edition), ed_to, unit=to,
                           lang=AUTO_LANG, assumed_goalposts=assumed_goalposts())  # fmt: skip
            draft = replace(c.plan, plan_id=draft_id)
            note = gettext(AUTO_LANG, "plan.carry_auto_note", plan=pid, year=y)
            try:
                made.append(ws.save_plan(draft, note=note))
            except NameTaken:  # the unit has a plan of that name already: theirs stays
                continue
    return made
