"""Which plan a screen shows: the unit's plans (built in and stored), the session's choice per
unit, their names, a picker, and the Plan page's unsaved drafts.

Every page that shows a plan (plan, scenario, budget, movers, meeting) asks here, so a plan
picked on one page is the plan of the others. Session state:
- `_plan_chosen`: {unit: key} the plan last picked for the unit, on any page (a stored or
  built-in plan's id, or a draft's key); an opening link's `plan=ID` is the default;
- `_plan_drafts`: {key: Plan} the Plan page's unsaved work: a stored plan being edited under its
  own id, a plan never saved under "new-<n>". Other pages show stored plans only.
"""

from __future__ import annotations

import streamlit as st

from model import fmt
from model import plan as planmod
from model.index.dataset import Edition
from model.plan import library
from model.workspace import Workspace, WorkspaceError
from ui import frame, state
from ui.i18n import _, err, lang
from ui.widgets import md_text

CHOSEN = "_plan_chosen"
DRAFTS = "_plan_drafts"
NEW = "new-"  # a draft never saved: "new-1", "new-2", ...
NAME_SHOWN = 48  # characters of a plan's name on a button or in a list


@st.cache_resource(show_spinner=False)
def _builtin() -> tuple[planmod.Plan, ...]:
    """The built-in plans (immutable; read once per server from the reference database)."""
    return tuple(library.builtin(pid) for pid in planmod.BUILTIN)


def plans_here(ed: Edition, unit: str) -> list[planmod.Plan]:
    """The unit's plans that can be shown on `ed` (model.plan.library.plans_for's order:
    those written against `ed` first, built-in first, then last saved). A store that cannot
    be read is said once; the built-in plans are still listed."""
    try:
        stored = Workspace().list_plans(unit)
    except WorkspaceError as exc:
        st.error(_("plan.pg_store_error", msg=err(exc)))
        stored = []
    plans = [p for p in (*_builtin(), *stored) if p.applies_to(ed, unit)]
    return sorted(plans, key=lambda p: p.edition != ed.year)


def drafts() -> dict[str, planmod.Plan]:
    return st.session_state.setdefault(DRAFTS, {})


def new_key() -> str:
    n = int(st.session_state.get("_plan_new_n", 0)) + 1
    st.session_state["_plan_new_n"] = n
    return f"{NEW}{n}"


def drafts_here(ed: Edition, unit: str) -> dict[str, planmod.Plan]:
    """The session's never-saved drafts of this unit that apply to `ed`."""
    return {k: p for k, p in drafts().items() if k.startswith(NEW) and p.applies_to(ed, unit)}


def remember(unit: str, key: str | None) -> None:
    """Make `key` the unit's plan on every page (None forgets the choice)."""
    chosen = st.session_state.setdefault(CHOSEN, {})
    if key is None:
        chosen.pop(unit, None)
    else:
        chosen[unit] = key


def choose(unit: str, key: str | None) -> None:
    """A choice of plan made by the program (a new draft, a save, a preset): remembered, and
    every plan picker starts again from it. A picker is a new widget then (its key changes):
    a widget keeps the value the browser last sent, whatever its index says."""
    remember(unit, key)
    st.session_state[GENERATION] = int(st.session_state.get(GENERATION, 0)) + 1


GENERATION = "_plan_pick_gen"


def picker_key(name: str) -> str:
    """A plan picker's widget key: its name and the choices' generation ("plan_pick-3")."""
    return f"{name}-{st.session_state.get(GENERATION, 0)}"


def link_plan() -> str | None:
    """The opening link's `plan=ID` (a preset name such as plan-2024 names its plan)."""
    pid = frame.link_values().get("plan")
    return planmod.PRESETS.get(str(pid), str(pid)) if pid else None


def chosen_key(unit: str, keys: list[str]) -> str | None:
    """The unit's chosen key among `keys`: the session's choice, else the link's, else the
    first."""
    for want in (st.session_state.get(CHOSEN, {}).get(unit), link_plan()):
        if want in keys:
            return want
    return keys[0] if keys else None


def chosen(ed: Edition, unit: str, plans: list[planmod.Plan]) -> planmod.Plan | None:
    """The stored or built-in plan the session shows for the unit (None: it has none)."""
    key = chosen_key(unit, [p.plan_id for p in plans])
    return next((p for p in plans if p.plan_id == key), None)


def label(plan: planmod.Plan, width: int = NAME_SHOWN) -> str:
    """A plan's short name: "Kế hoạch 2024" for the seed, else its name (cut at `width`)."""
    if plan.plan_id == planmod.SEED_ID:
        return _("plan.preset_plan")
    text = plan.name or plan.plan_id or _("plan.pg_unnamed")
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


STATUS = {"draft": "plan.pg_status_draft", "adopted": "plan.pg_status_adopted"}


def target_text(t: planmod.PlanTarget) -> str:
    """A target as printed; the automatic "≥ x" in the reader's number format (≥ 70,5)."""
    if t.target_text and t.target_text != planmod.auto_text(t.target):
        return t.target_text
    return f"≥ {fmt.number(t.target, lang(), _decimals(t.target))}"


def _decimals(x: float) -> int:
    """As many decimals as the value has, up to four (70.5 -> 1, 12 -> 0)."""
    text = f"{x:.4f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def long_label(plan: planmod.Plan, *, unsaved: bool = False) -> str:
    """A plan in a list: its name, baseline edition and status (or 'unsaved')."""
    state = _("plan.pg_unsaved") if unsaved else _(STATUS.get(plan.status, "plan.pg_status_draft"))
    return _("plan.pg_plan_item", name=label(plan, 70), year=plan.edition, state=state)


def picker(
    ed: Edition, unit: str, plans: list[planmod.Plan], *, key: str, where=st
) -> planmod.Plan | None:
    """A selectbox of the unit's stored and built-in plans, on the session's choice; a pick is
    the plan of every page. Nothing is shown for fewer than two plans."""
    current = chosen(ed, unit, plans)
    if len(plans) < 2 or current is None:
        return current
    ids = [p.plan_id for p in plans]
    by_id = {p.plan_id: p for p in plans}
    key = picker_key(key)
    picked = where.selectbox(
        _("plan.pg_pick"),
        ids,
        index=ids.index(current.plan_id),
        key=key,
        format_func={pid: long_label(p) for pid, p in by_id.items()}.get,
        on_change=lambda: remember(unit, st.session_state.get(key)),
    )
    return by_id.get(picked, current)


def apply_opening_link(ed: Edition, unit: str, plans: list[planmod.Plan], scale: str) -> None:
    """The opening link, once per session, whichever page (scenario or meeting) opens first:
    its assumptions (`peers`, `drift`, `year`), then its plan (`plan=ID` or
    `preset=plan-2024`: the working scenario and the unit's plan on every page; a plan the unit
    does not have is said) or else its targets (`t=`)."""
    if st.session_state.get("_t_link_applied"):
        return
    st.session_state["_t_link_applied"] = True
    link = frame.link_values()
    for key in ("peers", "drift", "year"):
        if key in link:
            st.session_state[key] = link[key]
    linked = state.linked_plan(link, plans)
    if linked is not None:
        state.apply_plan(linked, ed, state.assumptions(ed, unit, scale))
        choose(unit, linked.plan_id)
    elif link.get("plan"):
        name = ed.name(unit, lang())
        st.warning(_("plan.pg_link_no_plan", plan=md_text(str(link["plan"])), unit=name))
    elif "t" in link:
        state.apply_link(ed, unit, str(link["t"]))
