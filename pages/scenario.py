"""Scenario: set targets, see the PII and rank they buy. Widgets -> Scenario -> model -> render."""

from __future__ import annotations

import functools

import streamlit as st

from model import api, fmt
from model import plan as planmod
from model.index.framework import PILLARS
from model.index.scenario import ScenarioError
from ui import frame, names, number_input, provenance, state
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


# ---- sliders ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _label(value: float, language: str) -> str:
    return fmt.number(value, language, 2)


def _slider(code: str) -> None:
    base = state.baseline_value(ed, unit, code)
    lead = plan.lead_of(code) if code in plan_codes else None
    # Plain text: the label is also the slider's accessible name, read aloud without markup.
    label = (
        f"{code} · {names.indicator(fw, code)}"
        + (f" — {names.department(lead)}" if lead else "")
        + provenance.statistics_mark(ed, unit, code)  # computed from official statistics
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
    raw, problem = number_input.read("raw_value")  # the reader's decimal mark: 2,5 is 2.5
    if raw is not None:
        problem = state.set_raw(ed, unit, st.session_state["raw_code"], raw)
    if problem:
        st.session_state["_flash"] = ("error", problem)


def _clear_overrides() -> None:
    for code in list(state.overrides()):
        state.overrides().pop(code)
        st.session_state[state.slider_key(code)] = state.baseline_value(ed, unit, code)


DRIFT_LIMITS = (-20.0, 20.0)  # points per year, as a link's drift= is bounded (ui.frame)


def _drift_typed() -> None:
    """Callback: a drift typed the reader's way (0,5) becomes the session's `drift` (a number,
    as links and the meeting screen set it); a bad text leaves it and says why."""
    value, _problem = number_input.read(
        "drift_text", min_value=DRIFT_LIMITS[0], max_value=DRIFT_LIMITS[1]
    )
    if value is not None:
        st.session_state["drift"] = value


def _drift_box() -> None:
    drift = float(st.session_state.setdefault("drift", state.DEFAULT_DRIFT))
    shown, problem = number_input.read(
        "drift_text", min_value=DRIFT_LIMITS[0], max_value=DRIFT_LIMITS[1]
    )
    if problem is None and shown != drift:  # a link or a preset set it: the box follows
        number_input.set_value("drift_text", drift)
    number_input.number_entry(
        _("scenario.drift"),
        "drift_text",
        value=drift,
        min_value=DRIFT_LIMITS[0],
        max_value=DRIFT_LIMITS[1],
        decimals=1,
        on_change=_drift_typed,
    )


def scenario_codes() -> set[str]:
    return {c for c, _x in state.current(ed, unit, f.scale).targets}


@st.fragment
def targets_and_result() -> None:
    """Everything below the plan buttons, as a fragment: a slider, a typed value or an assumption
    reruns only this part, not app.py's frame and the top of the page (issue 20, item 23: the
    new rank waited for the whole app to run and be sent again). A fragment's rerun skips
    app.py, so this part remembers the link itself and shows the messages its own callbacks
    leave (`_flash`); ed, unit and the plans are those of the page's last full run."""
    flash = st.session_state.pop("_flash", None)
    if flash:
        getattr(st, flash[0])(flash[1])
    years = list(range(ed.year + 1, 2031))
    if st.session_state.get("year") not in years:
        st.session_state["year"] = years[0]
    left, right = st.columns([5, 6], gap="large")
    # The result before the sliders: the widgets' values are known when the run starts, and
    # the new rank reaches the browser before the sliders and the charts are sent again.
    scenario = state.current(ed, unit, f.scale)
    try:
        out, problem = api.run(scenario), None
    except ScenarioError as exc:
        out, problem = None, exc
    if out is not None:
        with right:
            scenario_results.headline(out)
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
                number_input.number_entry(
                    _("scenario.raw_value"),
                    "raw_value",
                    help=_("scenario.type_raw_help"),
                    show_error=False,  # said once, by _apply_raw, after the form is sent
                )
                st.form_submit_button(_("scenario.apply"), on_click=_apply_raw)
        if outside := state.outside(ed):
            st.info(
                _("scenario.overrides", items=scenario_results.outside_items(ed, outside, f.scale))
            )
        if state.overrides():
            st.button(
                _("scenario.clear_overrides"), key="clear_overrides", on_click=_clear_overrides
            )

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
                _drift_box()
            st.selectbox(_("scenario.year"), years, key="year", persist_state="session")

    # ---- result ------------------------------------------------------------------------------
    if out is None:
        right.warning(_("scenario.scenario_error", msg=err(problem)))
        st.stop()

    frame.write_link(
        {
            "t": state.encode_targets(scenario) or None,
            **state.link_assumptions(scenario),
            "preset": None,
            "plan": None,
        }
    )
    frame.remember_link()  # app.py does it after a full run only
    with right:
        scenario_results.details(out, f.unit_name, f.lang)

    # ---- saved scenarios and the comparison -------------------------------------------------
    st.divider()
    saved = saved_scenarios.saved_panel(scenario, ed)
    saved_scenarios.compare_panel(
        scenario, saved, plan_here, plans={choice.label(p): p.scenario(ed, scenario) for p in plans}
    )


targets_and_result()
