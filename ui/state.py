"""Widgets <-> Scenario, and the scenario in the URL.

Each indicator has a slider keyed `t_<code>` over a 0.5-point grid plus the unit's baseline
score (rounded to the two decimals shown); a slider away from the baseline is a target. A
typed raw value that falls off the grid or beyond the national range is kept as an exact
score-equivalent override (`raw_over`). Typed values, a link's targets and the CLI's `--set`
pass one rule (model.index.scenario.target_score). Presets and saved scenarios are applied through
callbacks, the only place Streamlit lets code set a widget's value.

The targets travel in one language-neutral URL parameter, `t=2.2.3~10_6.3.3~20` (characters a
URL never escapes), written by
the page after each run and read once when a link is opened; the sliders themselves show
numbers in the user's language (46,51), which a bound widget would put into the URL.
"""

from __future__ import annotations

import streamlit as st

from model import plan as planmod
from model.index.dataset import Edition
from model.index.scenario import Scenario, ScenarioError, beyond, target_score
from ui.i18n import err

PEERS = ("static", "drift", "trend")
DEFAULT_DRIFT = 0.5
GRID = tuple(k / 2 for k in range(201))  # 0, 0.5, ..., 100


def slider_key(code: str) -> str:
    return f"t_{code}"


def baseline_value(ed: Edition, unit: str, code: str) -> float:
    return round(float(ed.scores[ed.unit_index(unit), ed.framework.require(code)]), 2)


def options(base: float) -> list[float]:
    return sorted({*GRID, base})


def on_grid(value: float, base: float) -> bool:
    return abs(value - base) < 1e-9 or abs(value * 2 - round(value * 2)) < 1e-9


def overrides() -> dict[str, float]:
    return st.session_state.setdefault("raw_over", {})


def peers_spec() -> str:
    kind = st.session_state.get("peers", "static")
    if kind == "drift":
        return f"drift:{float(st.session_state.get('drift', DEFAULT_DRIFT)):g}"
    return kind if kind in PEERS else "static"


def target_year(ed: Edition) -> int:
    return int(st.session_state.get("year") or ed.year + 1)


def current(ed: Edition, unit: str, scale: str) -> Scenario:
    """The scenario the widgets describe now."""
    targets: dict[str, float] = {}
    for code in ed.framework.codes:
        v = st.session_state.get(slider_key(code))
        if v is not None and abs(float(v) - baseline_value(ed, unit, code)) > 1e-9:
            targets[code] = float(v)
    targets.update({c: v for c, v in overrides().items() if c in ed.framework.index})
    return Scenario(
        unit=unit,
        edition=ed.year,
        targets=tuple(targets.items()),
        peers=peers_spec(),
        scale=scale,
        target_year=target_year(ed),
    )


def apply(s: Scenario, ed: Edition) -> None:
    """Set every widget to show `s` (call from a callback only)."""
    st.session_state["raw_over"] = {}
    for code in ed.framework.codes:
        st.session_state[slider_key(code)] = baseline_value(ed, s.unit, code)
    for code, v in s.targets:
        _set_target(ed, s.unit, code, v)
    kind = s.peers.split(":", 1)[0]
    st.session_state["peers"] = kind
    if kind == "drift":
        st.session_state["drift"] = s.drift
    st.session_state["year"] = s.target_year or ed.year + 1


def set_raw(ed: Edition, unit: str, code: str, raw: float) -> str | None:
    """A typed raw value: the slider moves to it, or an override holds it exactly (off the
    grid, or beyond 0-100). Returns the problem, in the screen's language, when the value
    cannot be used."""
    try:
        score = target_score(code, raw, ed, raw=True)
    except (ScenarioError, KeyError) as exc:
        return err(exc)
    _set_target(ed, unit, code, score)
    return None


def outside(ed: Edition) -> list[tuple[str, float, str]]:
    """The held values beyond the national range: (code, score-equivalent, "low"|"high")."""
    return [
        (code, v, side)
        for code, v in overrides().items()
        if code in ed.framework.index and (side := beyond(v))
    ]


def _set_target(ed: Edition, unit: str, code: str, value: float) -> None:
    """Slider on its grid when it can show the value exactly, else an exact override."""
    base = baseline_value(ed, unit, code)
    over = overrides()
    if 0.0 <= value <= 100.0 and on_grid(value, base):
        over.pop(code, None)
        st.session_state[slider_key(code)] = (
            base if abs(value - base) < 1e-9 else round(value * 2) / 2
        )
    else:
        over[code] = value
        nearest = min(100.0, max(0.0, round(value * 2) / 2))
        st.session_state[slider_key(code)] = nearest


def encode_targets(s: Scenario) -> str:
    return "_".join(f"{code}~{v:.6g}" for code, v in s.targets)


def decode_targets(text: str, ed: Edition) -> tuple[dict[str, float], list[str]]:
    """Targets from a link's `t` parameter, and the entries that had to be ignored."""
    good: dict[str, float] = {}
    bad: list[str] = []
    for item in (text or "").split("_"):
        if not item:
            continue
        code, _x, value = item.partition("~")
        try:
            good[code] = target_score(code, float(value), ed)
        except (ValueError, KeyError, ScenarioError):
            bad.append(item)
    return good, bad


def link_assumptions(s: Scenario) -> dict[str, object]:
    """The scenario's assumptions as a link writes them, defaults as None (left out): the
    same text on every page, so an address does not change for nothing."""
    return {
        "peers": None if s.peers == "static" else s.peers.split(":", 1)[0],
        "drift": s.drift or None,
        "year": None if s.years == 1 else s.edition + s.years,
    }


def apply_link(ed: Edition, unit: str, text: str) -> list[str]:
    """Set the sliders from a link once per session; returns ignored entries."""
    good, bad = decode_targets(text, ed)
    for code, v in good.items():
        _set_target(ed, unit, code, v)
    return bad


# ---- presets: the baseline and the unit's plans ------------------------------------------------
def assumptions(ed: Edition, unit: str, scale: str) -> Scenario:
    """The widgets' assumptions (others, scale, target year) without targets: a preset's base."""
    return Scenario(
        unit=unit, edition=ed.year, peers=peers_spec(), scale=scale, target_year=target_year(ed)
    )


def preset_key(plan: planmod.Plan) -> str:
    """A plan's preset button: `preset_plan` for the built-in plan (as before), else by id."""
    return "preset_plan" if plan.plan_id == planmod.SEED_ID else f"preset_plan_{plan.plan_id}"


def plan_by_id(plans: list[planmod.Plan], plan_id: str) -> planmod.Plan:
    """The plan with this id (or preset name, e.g. plan-2024) among the unit's plans."""
    pid = planmod.PRESETS.get(plan_id, plan_id)
    return next(p for p in plans if p.plan_id == pid)


def linked_plan(link: dict, plans: list[planmod.Plan]) -> planmod.Plan | None:
    """The plan an opening link names (`plan=ID`, or `preset=plan-2024`) among the unit's."""
    pid = link.get("plan") or (link.get("preset") if link.get("preset") != "baseline" else None)
    pid = planmod.PRESETS.get(str(pid), str(pid)) if pid else None
    return next((p for p in plans if p.plan_id == pid), None)


def apply_plan(plan: planmod.Plan, ed: Edition, base: Scenario) -> None:
    """Set the sliders to the plan's targets under `base`'s assumptions (callbacks only): what
    `simulate --plan ID` (and, for the built-in plan, `--preset plan-2024`) computes."""
    apply(plan.scenario(ed, base), ed)
