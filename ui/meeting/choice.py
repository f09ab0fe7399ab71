"""Which scenario the meeting screen shows, what it is called, and what the address says.

The room sees the scenario the user is working on: the scenario page's sliders
(ui.state), saved or not. It is called by what it is: the plan, the baseline or a
saved scenario when it equals one, else the nearest of them with its count of changes
("Kế hoạch 2024 + 1 thay đổi"). Its numbers are the model's for that scenario, the same as the
scenario page shows.

An opening link's `t=` (or `preset=plan-2024`, or `plan=ID`: any plan of the unit) becomes the
working scenario, exactly as on the scenario page; `scenario=NAME` and `preset=baseline` choose
what the screen shows first. The selector below the fold can show another; that choice stays
until the working scenario changes (then the screen follows the work again). The plan is the
unit's plan chosen on any page (ui.plan_choice); a link's `plan=ID` chooses it.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from model import plan as planmod
from model.index.dataset import Edition
from model.index.scenario import Scenario
from model.workspace import NotFound, SavedScenario, Workspace, WorkspaceError
from ui import frame, plan_choice, state
from ui import loaders as data
from ui.i18n import _, _n, err, lang
from ui.widgets import md_text

CURRENT, PLAN, BASELINE = "current", "plan", "baseline"
SAVED = "saved:"  # + the saved scenario's name
PICK = "_meet_pick"  # (the selector's value, the working scenario's signature) of the last run
TOL = 1e-6  # score points: closer targets are the same target


@dataclass(frozen=True)
class Choice:
    """A scenario the screen can show: the selector's value, the scenario and its name."""

    key: str  # "plan", "baseline", "saved:NAME" or "current"
    scenario: Scenario
    label: str

    @property
    def is_plan(self) -> bool:
        return self.key == PLAN

    @property
    def saved_name(self) -> str | None:
        return self.key[len(SAVED) :] if self.key.startswith(SAVED) else None


# ---- the working scenario -------------------------------------------------------------------


def plan_label(plan: planmod.Plan) -> str:
    """The plan's name on the screen: "Kế hoạch 2024" for the built-in plan, else its name."""
    return _("meeting.plan") if plan.plan_id == planmod.SEED_ID else plan_choice.label(plan, 80)


def working(ed: Edition, unit: str, scale: str) -> Scenario | None:
    """The scenario the user works on, or None when no slider was ever set in this session
    (for this unit and edition: a change of either clears the sliders)."""
    touched = bool(state.overrides()) or any(
        isinstance(k, str) and frame.TARGET_KEY.match(k) for k in st.session_state
    )
    return state.current(ed, unit, scale) if touched else None


def base_like(ed: Edition, unit: str, scale: str, work: Scenario | None) -> Scenario:
    """The baseline under the working scenario's assumptions (other units, target year), as
    the scenario page builds its presets: the plan and the baseline differ from the work only
    by targets then, and the plan's card shows the plan under the same assumptions."""
    if work is None:
        return Scenario(unit=unit, edition=ed.year, scale=scale)
    return Scenario(
        unit=unit, edition=ed.year, peers=work.peers, scale=scale, target_year=work.target_year
    )


def changes(a: Scenario, b: Scenario, ed: Edition) -> int:
    """How many things differ: each indicator whose target differs (a target equal to the
    baseline is no target), and each assumption (other units, target year, scale)."""
    base = ed.scores[ed.unit_index(a.unit)]
    ta, tb = dict(a.targets), dict(b.targets)

    def value(t: dict[str, float], code: str) -> float:
        return t.get(code, float(base[ed.framework.require(code)]))

    n = sum(abs(value(ta, c) - value(tb, c)) > TOL for c in set(ta) | set(tb))
    return n + (a.peers != b.peers) + (a.years != b.years) + (a.scale != b.scale)


def signature(s: Scenario | None) -> tuple | None:
    if s is None:
        return None
    targets = tuple(sorted((c, round(v, 6)) for c, v in s.targets))
    return (s.unit, s.edition, targets, s.peers, s.years, s.scale)


def references(
    plan: planmod.Plan | None, ed: Edition, base: Scenario, saved: list[SavedScenario]
) -> list[Choice]:
    """What a working scenario is named after, in order of preference."""
    refs = [Choice(PLAN, plan.scenario(ed, base), plan_label(plan))] if plan is not None else []
    refs.append(Choice(BASELINE, base, _("meeting.baseline")))
    refs += [Choice(SAVED + sv.name, sv.scenario, sv.name) for sv in saved]
    return refs


def named(s: Scenario, refs: list[Choice], ed: Edition) -> Choice:
    """The reference `s` equals, or `s` named after the nearest one with its changes."""
    counted = [(changes(s, r.scenario, ed), k, r) for k, r in enumerate(refs)]
    n, _k, nearest = min(counted, key=lambda x: x[:2])
    if n == 0:
        return nearest
    return Choice(CURRENT, s, _n("meeting.changed", n, name=nearest.label, n=n))


# ---- the choice -----------------------------------------------------------------------------


def pick(work: Choice | None, plan_here: bool) -> None:
    """Set the selector's value before it is drawn: the user's choice while the work is
    unchanged, else what the work (or, on the session's first visit, the link) says."""
    sig = signature(work.scenario if work else None)
    last = st.session_state.get(PICK)
    link = frame.link_values()
    if last is not None and last[1] == sig:
        choice = st.session_state.get("meet_choice", last[0])
    elif last is None and link.get("scenario"):
        choice = SAVED + str(link["scenario"])
    elif last is None and link.get("preset") == "baseline":
        choice = BASELINE
    elif work is not None:
        choice = work.key
    else:
        choice = PLAN if plan_here else BASELINE
    st.session_state["meet_choice"] = choice
    st.session_state[PICK] = (choice, sig)


def remember(work: Choice | None) -> None:
    """After the selector: its value, for the next run's pick."""
    st.session_state[PICK] = (
        st.session_state["meet_choice"],
        signature(work.scenario if work else None),
    )


def _switch(unit: str, year: int) -> None:
    frame._on_context_change()
    st.session_state["edition"] = year
    st.session_state["unit"] = unit


def _saved(ws: Workspace, name: str, ed: Edition, unit: str, plan: Choice | None):
    """The saved scenario `name` when it is this unit's and edition's; else a warning (and a
    button to the scenario's own province) and None."""
    fallback = plan.label if plan is not None else _("meeting.baseline")
    try:
        sv = ws.get_scenario(name)
    except NotFound:
        st.warning(_("meeting.not_found", name=md_text(name), fallback=md_text(fallback)))
        return None
    except WorkspaceError as exc:
        st.warning(_("meeting.store_error", msg=err(exc)))
        return None
    if (sv.unit, sv.edition) == (unit, ed.year):
        return sv
    other_ed = data.edition(sv.edition) if sv.edition in data.editions() else None
    known = other_ed is not None and sv.unit in other_ed.slugs
    other = other_ed.name(sv.unit, lang()) if known else sv.unit
    st.warning(_("meeting.saved_other", name=md_text(sv.name), unit=other, year=sv.edition))
    if known:
        st.button(
            _("meeting.switch", unit=other, year=sv.edition),
            on_click=_switch,
            args=(sv.unit, sv.edition),
            key="meet_switch",
            type="primary",
        )
    return None


def choose(ws: Workspace, refs: list[Choice], work: Choice | None, ed: Edition) -> Choice:
    """The scenario the selector names, falling back to the plan or the baseline."""
    key = str(st.session_state["meet_choice"])
    if work is not None and key == work.key:
        return work
    by_key = {r.key: r for r in refs}
    if key in by_key and not key.startswith(SAVED):
        return by_key[key]
    if key.startswith(SAVED):
        base = by_key[BASELINE].scenario
        sv = _saved(ws, key[len(SAVED) :], ed, base.unit, by_key.get(PLAN))
        if sv is not None:
            return Choice(key, sv.scenario, sv.name)
    return by_key.get(PLAN) or by_key[BASELINE]


# ---- the address ----------------------------------------------------------------------------


def link_params(c: Choice) -> dict[str, object]:
    """The parameters that make a link open this screen (the meeting's link below the fold):
    the built-in plan as `preset=plan-2024` (as before), any other plan as `plan=ID`."""
    if c.key == CURRENT:
        return {"t": state.encode_targets(c.scenario), **state.link_assumptions(c.scenario)}
    if c.saved_name:
        return {"scenario": c.saved_name}
    if c.is_plan and c.scenario.name != planmod.SEED_ID:
        return {"plan": c.scenario.name}  # a plan's scenario is named by the plan's id
    return {"preset": "plan-2024" if c.is_plan else "baseline"}


def write_address(c: Choice) -> None:
    """Keep the address bar opening this screen, changing it only when it would not (each
    change is a browser history entry; see ui.frame)."""
    q = st.query_params.to_dict()
    if c.key == CURRENT:
        frame.write_link({**link_params(c), "preset": None, "scenario": None, "plan": None})
    elif c.saved_name:
        if q.get("scenario") != c.saved_name:
            frame.write_link({"scenario": c.saved_name})
    elif c.is_plan and "plan" in link_params(c):  # any plan but the built-in one: by its id
        pid = link_params(c)["plan"]
        if q.get("plan") != pid or {"preset", "scenario", "t"} & set(q):
            frame.write_link({"plan": pid, "preset": None, "scenario": None, "t": None})
    elif c.is_plan:
        bare = not {"preset", "scenario", "t", "plan"} & set(q)  # a bare link opens on the plan
        if not bare and (q.get("preset") != "plan-2024" or {"scenario", "plan"} & set(q)):
            frame.write_link({"preset": "plan-2024", "scenario": None, "t": None, "plan": None})
    elif q.get("preset") != "baseline" or {"scenario", "plan"} & set(q):
        frame.write_link({"preset": "baseline", "scenario": None, "plan": None})
