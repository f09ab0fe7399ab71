"""Plan against outcome: each target beside what the next edition shows for it, and the planned
PII and rank beside the actual ones.

`review(plan, ed_plan, ed_next, published)` needs the plan's baseline edition (the planned PII
and rank are the plan's scenario there, computed by the engine) and the edition after it, when
that edition has the plan's unit. What the next edition shows comes with its provenance: the
published PII and rank where the ministry published them (published.csv, with their source),
else the unit's own figures from its cells: official when every cell is (an imported profile),
an estimate otherwise. Each target is compared in raw units, so the comparison does not depend
on the two editions' scales; the scores are shown as well, each on its own edition's scale,
with a note (`scale_note`) on why those differ.

Pure: editions and the published table come in; `assumed_goalposts(db)` and `review_plan(...)`
are the conveniences that read them through model.official.store / model.api.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model import api, merge
from model.i18n import Message, msg
from model.index import provenance
from model.index.dataset import Edition
from model.index.scenario import simulate
from model.official import store
from model.plan import Plan, PlanError
from model.plan.carry import assumed_goalposts

# How the actual PII was obtained (literal ids for the extractor).
__all__ = ["ACTUAL_TEXT", "Review", "TargetReview", "assumed_goalposts", "next_edition",
           "published_pii", "review", "review_plan"]  # fmt: skip

ACTUAL_TEXT = {
    "published": "plan.review_actual_published",
    "official": "plan.review_actual_official",
    "estimate": "plan.review_actual_estimate",
}


@dataclass(frozen=True)
class TargetReview:
    """One target beside the next edition's value for its indicator."""

    code: str
    baseline: float  # the plan's baseline score (its edition's scale)
    target: float  # the target score (the plan's edition's scale)
    raw_target: float | None  # the target as a raw value (the plan's edition's goalposts)
    actual: float | None  # the unit's score in the next edition (its own scale)
    actual_raw: float | None  # the unit's raw value in the next edition
    provenance: str | None  # official | published | reconstructed (the next edition's cell)
    met: bool | None  # the raw value reached the raw target (None: not comparable)
    comparable: bool  # the code means the same indicator in both editions

    @property
    def estimate(self) -> bool:
        return self.provenance == "reconstructed"

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "baseline": self.baseline,
            "target": self.target,
            "raw_target": self.raw_target,
            "actual": self.actual,
            "actual_raw": self.actual_raw,
            "provenance": self.provenance,
            "estimate": self.estimate,
            "met": self.met,
            "comparable": self.comparable,
        }


@dataclass(frozen=True)
class Review:
    """A plan beside the outcome of the edition after its baseline."""

    plan_id: str
    unit: str
    edition: int
    next_edition: int
    pii_baseline: float
    rank_baseline: int
    pii_planned: float  # the plan's scenario on its own edition (engine)
    rank_planned: int
    pii_actual: float | None
    rank_actual: int | None
    actual_provenance: str  # a key of ACTUAL_TEXT
    actual_source: str  # the published figure's source ("" when computed)
    n_units: int  # units ranked in the plan's edition
    n_units_next: int
    targets: tuple[TargetReview, ...]
    notes: tuple[Message, ...]  # why the scales differ, and what the figures rest on

    @property
    def n_met(self) -> int:
        return sum(t.met is True for t in self.targets)

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "plan": self.plan_id,
            "unit": self.unit,
            "edition": self.edition,
            "next_edition": self.next_edition,
            "pii_baseline": self.pii_baseline,
            "rank_baseline": self.rank_baseline,
            "pii_planned": self.pii_planned,
            "rank_planned": self.rank_planned,
            "pii_actual": self.pii_actual,
            "rank_actual": self.rank_actual,
            "actual_provenance": self.actual_provenance,
            "actual_source": self.actual_source,
            "n_units": self.n_units,
            "n_units_next": self.n_units_next,
            "n_met": self.n_met,
            "targets": [t.to_dict() for t in self.targets],
            "notes": [m.render(lang) for m in self.notes],
        }


def next_edition(plan: Plan, years: Sequence[int]) -> int | None:
    """The first edition after the plan's baseline among `years` (None: none yet)."""
    later = sorted(int(y) for y in years if int(y) > plan.edition)
    return later[0] if later else None


def published_pii(published: pd.DataFrame, unit: str) -> tuple[float | None, int | None, str]:
    """The unit's published PII, rank and source in `published` (one edition's rows)."""
    rows = published[(published["unit"] == unit) & (published["level"] == "pii")]
    if "use_as_constraint" in rows:
        rows = rows[rows["use_as_constraint"] == "yes"]
    if rows.empty:
        return None, None, ""
    r = rows.iloc[0]
    value = None if pd.isna(r["value"]) else float(r["value"])
    rank = None if pd.isna(r["rank"]) else int(r["rank"])
    return value, rank, str(r.get("source", "") or "")


def _finite(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _targets(plan: Plan, ed: Edition, nxt: Edition, comparable: Mapping) -> list[TargetReview]:
    u = nxt.unit_index(plan.unit)
    out = []
    for t in plan.targets:
        raw_target = plan.raw_target(ed, t.code)
        if t.code not in nxt.framework.index:
            out.append(TargetReview(t.code, t.baseline, t.target, raw_target, None, None, None,
                                    None, False))  # fmt: skip
            continue
        j = nxt.framework.index[t.code]
        same = comparable.get(t.code) is None and t.code in ed.framework.index
        actual, raw = _finite(nxt.scores[u, j]), _finite(nxt.raw[u, j])
        met = None
        if same and raw is not None and raw_target is not None:
            direction = float(nxt.framework.direction[j])
            met = bool((raw - raw_target) * direction >= -1e-9)
        out.append(TargetReview(t.code, t.baseline, t.target, raw_target, actual, raw,
                                str(nxt.provenance[u, j]), met, same))  # fmt: skip
    return out


def _actual(
    plan: Plan, nxt: Edition, published: pd.DataFrame | None
) -> tuple[float | None, int | None, str, str]:
    """(PII, rank, provenance, source) of the unit in the next edition."""
    if published is not None and not published.empty:
        value, rank, source = published_pii(published, plan.unit)
        if value is not None:
            return value, rank, "published", source
    u = nxt.unit_index(plan.unit)
    base = nxt.baseline()
    kind = provenance.composite(nxt, plan.unit, "pii")
    official = kind == "official" and provenance.all_official(nxt)
    return float(base.pii[u]), int(base.rank[u]), "official" if official else "estimate", ""


def _notes(plan: Plan, rows: Sequence[TargetReview], ed: Edition, nxt: Edition,
           actual_kind: str, assumed: Mapping[int, set[str]] | None) -> tuple[Message, ...]:  # fmt: skip
    notes = [msg("plan.review_scale_note", edition=ed.year, next=nxt.year, n=ed.n, n_next=nxt.n)]
    estimates = [t.code for t in rows if t.estimate]
    if estimates:
        notes.append(msg("plan.review_note_estimates", codes=", ".join(estimates)))
    other = [t.code for t in rows if not t.comparable]
    if other:
        notes.append(msg("plan.review_note_not_comparable", codes=", ".join(other), next=nxt.year))
    if assumed is not None:
        codes = [t.code for t in rows if t.code in assumed.get(ed.year, set())]
        if codes:
            notes.append(Message("plan.review_note_goalposts", {"edition": ed.year}, len(codes)))
    parts = merge.edition_parts(nxt, plan.unit)
    if len(parts) > 1:
        # The parts are units of the baseline's map, the one before the merger.
        names = ", ".join(ed.name(p, "vi") if p in ed.slugs else p for p in parts)
        notes.append(msg("plan.review_note_merged", unit=nxt.name(plan.unit, "vi"),
                         next=nxt.year, parts=names))  # fmt: skip
    if actual_kind == "estimate":
        notes.append(msg("plan.review_note_actual_estimate", next=nxt.year))
    return tuple(notes)


def review(
    plan: Plan,
    ed: Edition,
    nxt: Edition,
    published: pd.DataFrame | None = None,
    assumed: Mapping[int, set[str]] | None = None,
) -> Review:
    """The plan (baseline edition `ed`) against the next edition `nxt`: PlanError when `nxt`
    is not later than `ed` or does not have the plan's unit (a merged unit: carry the plan)."""
    if ed.year != plan.edition:
        raise PlanError("plan.carry_err_edition", plan=plan.plan_id, edition=plan.edition,
                        year=ed.year)  # fmt: skip
    if nxt.year <= ed.year:
        raise PlanError("plan.review_err_not_later", edition=ed.year, next=nxt.year)
    if plan.unit not in nxt.slugs:
        raise PlanError("plan.review_err_unit", plan=plan.plan_id, unit=plan.unit, next=nxt.year)
    u = ed.unit_index(plan.unit)
    out = simulate(ed, plan.scenario(ed))
    planned_pii, planned_rank = float(out.result.pii[u]), int(out.result.rank[u])
    rows = _targets(plan, ed, nxt, merge.comparability(ed, nxt))
    pii, rank, kind, source = _actual(plan, nxt, published)
    return Review(
        plan_id=plan.plan_id,
        unit=plan.unit,
        edition=ed.year,
        next_edition=nxt.year,
        pii_baseline=float(out.baseline.pii[u]),
        rank_baseline=int(out.baseline.rank[u]),
        pii_planned=planned_pii,
        rank_planned=planned_rank,
        pii_actual=pii,
        rank_actual=rank,
        actual_provenance=kind,
        actual_source=source,
        n_units=ed.n,
        n_units_next=nxt.n,
        targets=tuple(rows),
        notes=_notes(plan, rows, ed, nxt, kind, assumed),
    )


def review_plan(plan: Plan, db: Path | None = None) -> Review:
    """`review` with the editions and published figures of the reference database (and the
    imported official values of the current dataset versions). PlanError when there is no
    edition after the plan's baseline yet."""
    year = next_edition(plan, store.editions(db))
    if year is None:
        raise PlanError("plan.review_err_no_next", plan=plan.plan_id, edition=plan.edition)
    ed, nxt = api.edition(plan.edition, db), api.edition(year, db)
    return review(plan, ed, nxt, store.published(year, db), assumed_goalposts(db))
