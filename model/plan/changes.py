"""What changed between two revisions of a plan, as data (stored with each revision) and as
sentences in either language (for the Plan page's history and the CLI).

A change is a dict with English keys: {"change": kind, ...}
- created: {"n": number of targets}
- field: {"field": name|status|target_year|milestones|author|note|source|source_ref|edition|
  unit, "from": old, "to": new} (a note's texts are not repeated: only that it changed)
- added: {"code", "target"}; removed: {"code"}; target: {"code", "from", "to"}
- text: {"code", "field": target_text|lead_unit|coordinating_units|timeframe|tasks|row,
  "from", "to"} (tasks: without the texts, which can be long)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from ..i18n import Message, msg
from .core import FIELD_NAMES, Plan

FIELDS = (
    "name",
    "status",
    "target_year",
    "milestones",
    "author",
    "note",
    "source",
    "source_ref",
    "edition",
    "unit",
)
TEXTS = ("target_text", "lead_unit", "coordinating_units", "timeframe", "tasks", "row")
_LONG = {"note", "tasks"}  # said to have changed, without the texts
VN_TIME = timezone(timedelta(hours=7), "ICT")  # Vietnam: UTC+7 all year (no summer time)


def _value(plan: Plan, name: str) -> object:
    v = getattr(plan, name)
    return list(v) if isinstance(v, tuple) else v


def plan_changes(old: Plan | None, new: Plan) -> list[dict]:
    """The changes from `old` (None: the plan is new) to `new`, in the plan's order."""
    if old is None:
        return [{"change": "created", "n": len(new.targets)}]
    out: list[dict] = []
    for name in FIELDS:
        a, b = _value(old, name), _value(new, name)
        if a != b:
            out.append(
                {"change": "field", "field": name} | ({} if name in _LONG else {"from": a, "to": b})
            )
    before = {t.code: t for t in old.targets}
    after = {t.code: t for t in new.targets}
    for t in new.targets:
        was = before.get(t.code)
        if was is None:
            out.append({"change": "added", "code": t.code, "target": t.target})
            continue
        if was.target != t.target:
            out.append({"change": "target", "code": t.code, "from": was.target, "to": t.target})
        for name in TEXTS:
            a, b = getattr(was, name), getattr(t, name)
            if a != b:
                out.append(
                    {"change": "text", "code": t.code, "field": name}
                    | ({} if name in _LONG else {"from": a, "to": b})
                )
    out += [{"change": "removed", "code": c} for c in before if c not in after]
    return out


def _shown(value: object) -> object:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return "–" if value in ("", None) else value


def change_message(change: dict) -> Message:
    """One change as a sentence (render it with .render(lang))."""
    kind = change.get("change")
    if kind == "created":
        return Message("plan.change_created", {"n": change.get("n", 0)}, count=change.get("n", 0))
    if kind == "added":
        return msg("plan.change_added", code=change["code"], target=change["target"])
    if kind == "removed":
        return msg("plan.change_removed", code=change["code"])
    if kind == "target":
        return msg("plan.change_target", code=change["code"], old=change["from"], new=change["to"])
    field = msg(FIELD_NAMES.get(change.get("field", ""), "plan.field_name"))
    if "from" not in change:
        if kind == "text":
            return msg("plan.change_text_edited", code=change["code"], field=field)
        return msg("plan.change_field_edited", field=field)
    old, new = _shown(change["from"]), _shown(change["to"])
    if kind == "text":
        return msg("plan.change_text", code=change["code"], field=field, old=old, new=new)
    return msg("plan.change_field", field=field, old=old, new=new)


def describe(changes: list[dict], lang: str) -> str:
    """Every change in one line of `lang` ('no change' when there is none)."""
    if not changes:
        return msg("plan.change_none").render(lang)
    return "; ".join(change_message(c).render(lang) for c in changes)


def saved_when(at: datetime) -> str:
    """When a revision was saved, as the screens and the CLI show it: Vietnam time,
    dd/mm/yyyy HH:MM (a naive time is taken as UTC, as the store keeps it)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(VN_TIME).strftime("%d/%m/%Y %H:%M")


def owner_and_target_changes(changes: list[dict]) -> list[dict]:
    """The changes that matter most when comparing revisions: targets set, added or removed,
    and lead units changed."""
    return [
        c
        for c in changes
        if c.get("change") in ("added", "removed", "target")
        or (c.get("change") == "text" and c.get("field") == "lead_unit")
    ]
