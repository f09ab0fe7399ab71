"""Scenario: set targets, see the PII and rank they buy. Widgets -> Scenario -> model -> render."""

from __future__ import annotations

import functools

import streamlit as st

from model import api, fmt
from model import plan as planmod
from model.index.framework import PILLARS
from model.index.scenario import ScenarioError
from ui import frame, names, state
from ui import plan_choice as choice
from ui.i18n import _, _n, err, lang, num
from ui.scenario import results as scenario_results
from ui.scenario import saved as saved_scenarios

f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
plans = choice.plans_here(ed, unit)  # the unit's plans (built in and saved) on this edition
# A link's targets (or plan) are applied once, before the sliders and the preset buttons exist.
choice.apply_opening_link(ed, unit, plans, f.scale)
plan = choice.chosen(ed, unit, plans)  # the one whose indicators lead the sliders
plan_here = plan is not None
plan_codes = plan.codes if plan is not None else []

st.subheader(_("scenario.title", unit=f.unit_name))
st.caption(_("scenario.baseline_note", unit=f.unit_name, year=ed.year))


def _preset(name: str) -> None:
    """Callback: the baseline, or the plan with this id (or preset name), under the widgets'
    assumptions; a plan becomes the unit's plan on every page."""
    base = state.assumptions(ed, unit, f.scale)
    if name == "baseline":
        state.apply(api.preset("baseline", base), ed)
        return
    picked = state.plan_by_id(plans, name)
    state.apply_plan(picked, ed, base)
    choice.choose(unit, picked.plan_id)


flash = st.session_state.pop("_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

# ---- presets: the baseline and each of the unit's plans -------------------------------------
SHOWN_PLANS = 3  # plans with a button of their own; the others are in a list beside them
on_buttons = plans[:SHOWN_PLANS]
cols = st.columns([1] * (1 + len(on_buttons)) + [max(1, 4 - len(on_buttons))])
cols[0].button(
    _("scenario.preset_baseline"),
    on_click=_preset,
    args=("baseline",),
    key="preset_baseline",
    width="stretch",
)
for col, p in zip(cols[1:], on_buttons, strict=False):
    col.button(
        choice.label(p, 28),
        on_click=_preset,
        args=(p.plan_id,),
        key=state.preset_key(p),
        type="primary" if p is plan else "secondary",
        help=_("scenario.preset_plan_help")
        if p.plan_id == planmod.SEED_ID
        else _n("plan.pg_preset_help", len(p.targets), name=p.name),
        width="stretch",
    )
if len(plans) > SHOWN_PLANS:
    more = {p.plan_id: p for p in plans[SHOWN_PLANS:]}
    cols[-1].selectbox(
        _("plan.pg_more_plans"),
        list(more),
        index=None,
        key="preset_more",
        placeholder=_("plan.pg_more_plans_pick"),
        format_func={pid: choice.long_label(p) for pid, p in more.items()}.get,
        on_change=lambda: (
            _preset(st.session_state["preset_more"])
            if st.session_state.get("preset_more")
            else None
        ),
    )
elif not plans:
    cols[-1].caption(_("plan.pg_scenario_none", unit=f.unit_name))

left, right = st.columns([5, 6], gap="large")


# ---- sliders ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _label(value: float, language: str) -> str:
    return fmt.number(value, language, 2)


def _slider(code: str) -> None:
    base = state.baseline_value(ed, unit, code)
    lead = plan.lead_of(code) if code in plan_codes else None
    # Plain text: the label is also the slider's accessible name, read aloud without markup.
    label = f"{code} · {names.indicator(fw, code)}" + (
        f" — {names.department(lead)}" if lead else ""
    )
    language = lang()
    value = st.select_slider(
        label,
        state.options(base),
        value=base,
        key=state.slider_key(code),
        format_func=lambda v: _label(v, language),
        persist_state="session",
        on_change=state.overrides().pop,
        args=(code, None),
        help=_("scenario.slider_help", base=num(base)),
    )
    over = state.overrides().get(code)
    shown = over if over is not None else value
    # The raw value in its unit and with its own decimals; baseline and target are points.
    raw = num(float(ed.score_to_raw(code, shown)), ed.raw_decimals(code))
    unit_label = names.indicator_unit(fw, code)
    target = plan.target_of(code) if lead else None
    if target:
        st.caption(
            _(
                "scenario.raw_caption_plan",
                raw=raw,
                unit=unit_label,
                base=num(base),
                target=choice.target_text(target),
            )
        )
    else:
        st.caption(_("scenario.raw_caption", raw=raw, unit=unit_label, base=num(base)))


def _apply_raw() -> None:
    raw = st.session_state.get("raw_value")
    if raw is None:
        return
    problem = state.set_raw(ed, unit, st.session_state["raw_code"], float(raw))
    if problem:
        st.session_state["_flash"] = ("error", problem)


def _clear_overrides() -> None:
    for code in list(state.overrides()):
        state.overrides().pop(code)
        st.session_state[state.slider_key(code)] = state.baseline_value(ed, unit, code)


def scenario_codes() -> set[str]:
    return {c for c, _x in state.current(ed, unit, f.scale).targets}


with left:
    # The sliders scroll inside their own box so the result stays in view beside them.
    with st.container(height=640, border=False, key="sliders_box"):
        if plan_codes:
            st.subheader(
                _("scenario.plan_section")
                if plan.plan_id == planmod.SEED_ID
                else _n("plan.pg_scenario_section", len(plan_codes), name=plan.name)
            )
            for code in plan_codes:
                _slider(code)
        st.subheader(_("scenario.other_section"))
        # One pillar's sliders at a time: the others keep their values (persist_state).
        pillar = st.segmented_control(
            _("common.pillar"),
            list(PILLARS),
            default="1",
            key="pillar_shown",
            required=True,
            format_func=lambda p: f"{p}",
            help=_("scenario.pillar_pick_help"),
        )
        pname = names.pillar(fw, pillar)
        targeted = scenario_codes()
        changed = [c for c in fw.codes if c not in plan_codes and c in targeted]
        st.markdown(f"**{_('common.pillar')} {pillar} · {pname}**")
        for group in [g for g in fw.groups if g.startswith(f"{pillar}.")]:
            codes = [c for c in fw.codes_in(group=group) if c not in plan_codes]
            if not codes:
                continue
            with st.expander(
                f"{_('common.group')} {group} · {names.group(fw, group)}", expanded=True
            ):
                for code in codes:
                    _slider(code)
        if changed:
            st.caption(_("scenario.changed_elsewhere", codes=", ".join(changed)))

    with st.expander(_("scenario.type_raw")):
        with st.form("raw_form", border=False):
            st.selectbox(
                _("scenario.raw_indicator"),
                fw.codes,
                key="raw_code",
                format_func=lambda c: f"{c} · {names.indicator(fw, c)}",
            )
            st.number_input(
                _("scenario.raw_value"),
                value=None,
                key="raw_value",
                help=_("scenario.type_raw_help"),
                format="%.4f",
            )
            st.form_submit_button(_("scenario.apply"), on_click=_apply_raw)
    if outside := state.outside(ed):
        st.info(_("scenario.overrides", items=scenario_results.outside_items(ed, outside, f.scale)))
    if state.overrides():
        st.button(_("scenario.clear_overrides"), key="clear_overrides", on_click=_clear_overrides)

    with st.expander(_("scenario.assumptions"), expanded=False):
        kind = st.segmented_control(
            _("scenario.peers"),
            list(state.PEERS),
            default="static",
            key="peers",
            persist_state="session",  # the meeting screen shows this scenario too
            format_func={
                "static": _("scenario.peers_static"),
                "drift": _("scenario.peers_drift"),
                "trend": _("scenario.peers_trend"),
            }.get,
            required=True,
        )
        if kind == "drift":
            st.number_input(
                _("scenario.drift"),
                -20.0,
                20.0,
                value=state.DEFAULT_DRIFT,
                step=0.1,
                key="drift",
                persist_state="session",
            )
        years = list(range(ed.year + 1, 2031))
        if st.session_state.get("year") not in years:
            st.session_state["year"] = years[0]
        st.selectbox(_("scenario.year"), years, key="year", persist_state="session")

# ---- result ----------------------------------------------------------------------------------
scenario = state.current(ed, unit, f.scale)
try:
    out = api.run(scenario)
except ScenarioError as exc:
    right.warning(_("scenario.scenario_error", msg=err(exc)))
    st.stop()

frame.write_link(
    {
        "t": state.encode_targets(scenario) or None,
        **state.link_assumptions(scenario),
        "preset": None,
        "plan": None,
    }
)
with right:
    scenario_results.render(out, f.unit_name, f.lang)

# ---- saved scenarios and the comparison -----------------------------------------------------
st.divider()
saved = saved_scenarios.saved_panel(scenario, ed)
saved_scenarios.compare_panel(
    scenario, saved, plan_here, plans={choice.label(p): p.scenario(ed, scenario) for p in plans}
)
