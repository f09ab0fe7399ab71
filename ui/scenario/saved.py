"""Saved scenarios on the scenario page: save the current one, open, rename and delete saved
ones (hidden in read-only meeting mode), and compare any two side by side.

Messages raised in a callback travel to the next run through session state: `_flash` (shown at
the top of the page) and `_save_msg` (under the save form).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from model import api
from model.index.dataset import Edition
from model.index.framework import PILLARS
from model.index.scenario import Outcome, Scenario, ScenarioError
from model.workspace import NameTaken, NotFound, SavedScenario, Workspace, WorkspaceError
from ui import access, names, state
from ui.i18n import _, err, num
from ui.widgets import md_text, places


def load(name: str, ed: Edition) -> None:
    """Callback: set every widget to the saved scenario `name`."""
    try:
        saved = Workspace().get_scenario(name)
    except WorkspaceError as exc:
        st.session_state["_flash"] = ("error", err(exc))
        return
    state.apply(saved.scenario, ed)


def _save(ws: Workspace, current: Scenario) -> None:
    name = str(st.session_state.get("save_name") or "")
    try:
        ws.save_scenario(
            name,
            current,
            note=str(st.session_state.get("save_note") or ""),
            overwrite=bool(st.session_state.get("save_overwrite")),
        )
        st.session_state["_save_msg"] = (
            "success",
            _("scenario.saved_ok", name=md_text(name.strip())),
        )
    except NameTaken:
        st.session_state["_save_msg"] = (
            "error",
            _("scenario.name_taken", name=md_text(name.strip())),
        )
    except WorkspaceError as exc:
        st.session_state["_save_msg"] = ("error", _("scenario.store_error", msg=err(exc)))


def _save_form(ws: Workspace, current: Scenario, writable: bool) -> None:
    if not writable:
        access.read_only_note()
    else:
        with st.form("save_form"):
            st.text_input(_("scenario.save_name"), max_chars=120, key="save_name")
            st.text_area(_("scenario.save_note"), max_chars=1000, key="save_note", height=80)
            st.checkbox(_("scenario.overwrite"), key="save_overwrite")
            st.form_submit_button(
                _("scenario.save"), type="primary", on_click=_save, args=(ws, current)
            )
    msg = st.session_state.pop("_save_msg", None)
    if msg:
        getattr(st, msg[0])(msg[1])


def _rename(ws: Workspace, sv: SavedScenario) -> None:
    new = st.text_input(_("scenario.new_name"), key=f"rename_{sv.id}", max_chars=120)
    if st.button(_("scenario.rename"), key=f"do_rename_{sv.id}") and new:
        try:
            ws.rename_scenario(sv.name, new)
            st.rerun()
        except NameTaken:
            st.error(_("scenario.name_taken", name=md_text(new.strip())))
        except WorkspaceError as exc:
            st.error(_("scenario.store_error", msg=err(exc)))


CONFIRM_KEY = "_confirm_delete"  # the id of the saved scenario whose deletion is being asked


def _ask_delete(sv_id: int | None) -> None:
    """Callback: ask before deleting `sv_id` (None: the question is withdrawn)."""
    st.session_state[CONFIRM_KEY] = sv_id


def _delete(ws: Workspace, sv: SavedScenario) -> None:
    """Callback of the confirmation: delete, and say so at the top of the page."""
    st.session_state[CONFIRM_KEY] = None
    try:
        ws.delete_scenario(sv.name)
        st.session_state["_flash"] = ("success", _("scenario.deleted", name=md_text(sv.name)))
    except NotFound:
        st.session_state["_flash"] = ("error", _("scenario.not_found", name=md_text(sv.name)))
    except WorkspaceError as exc:
        st.session_state["_flash"] = ("error", _("scenario.store_error", msg=err(exc)))


def _confirm(ws: Workspace, sv: SavedScenario) -> None:
    """The question under a scenario whose Delete was pressed: delete for good, or keep it."""
    st.warning(_("scenario.delete_confirm", name=md_text(sv.name)))
    with st.container(horizontal=True):
        st.button(
            _("scenario.delete_yes"),
            key=f"confirm_delete_{sv.id}",
            type="primary",
            icon=":material/delete_forever:",
            on_click=_delete,
            args=(ws, sv),
        )
        st.button(
            _("scenario.delete_no"),
            key=f"cancel_delete_{sv.id}",
            on_click=_ask_delete,
            args=(None,),
        )


def _standing(sv: SavedScenario, ed: Edition) -> str:
    """The saved scenario's PII and rank, so the list says what each one buys."""
    try:
        out = api.run(sv.scenario).summary()["scenario"]
    except ScenarioError:  # a scenario the current data cannot evaluate: named, not valued
        return "–"
    return _("scenario.fx_saved_standing", pii=num(out["pii"]), rank=out["rank"], n=ed.n)


def _saved_row(ws: Workspace, ed: Edition, sv: SavedScenario, writable: bool) -> None:
    """One saved scenario: its name and note, then its buttons on a row of their own, so
    every label reads in full at 1280 px in both languages."""
    with st.container(border=True):
        st.markdown(
            f"**{md_text(sv.name)}** · {_standing(sv, ed)}"
            + (f"  \n{md_text(sv.note)}" if sv.note else "")
        )
        with st.container(horizontal=True):
            st.button(
                _("scenario.load"),
                key=f"load_{sv.id}",
                icon=":material/open_in_browser:",
                on_click=load,
                args=(sv.name, ed),
            )
            if not writable:
                return
            with st.popover(_("scenario.rename"), icon=":material/edit:"):
                _rename(ws, sv)
            st.button(
                _("scenario.delete"),
                key=f"delete_{sv.id}",
                icon=":material/delete:",
                on_click=_ask_delete,
                args=(sv.id,),
            )
        if st.session_state.get(CONFIRM_KEY) == sv.id:
            _confirm(ws, sv)


def _saved_list(ws: Workspace, ed: Edition, unit: str, writable: bool) -> list[SavedScenario]:
    try:
        saved = ws.list_scenarios(unit=unit, edition=ed.year)
    except WorkspaceError as exc:
        saved = []
        st.error(_("scenario.store_error", msg=err(exc)))
    if not saved:
        st.caption(_("scenario.none_saved"))
    for sv in saved:
        _saved_row(ws, ed, sv, writable)
    return saved


def saved_panel(current: Scenario, ed: Edition) -> list[SavedScenario]:
    """The save form beside the unit's saved scenarios; returns the saved scenarios listed."""
    st.subheader(_("scenario.saved"))
    ws = Workspace()
    writable = access.can_write_user_data()  # read-only meeting mode: open and compare only
    scol, lcol = st.columns([2, 3], gap="large")
    with scol:
        _save_form(ws, current, writable)
    with lcol:
        return _saved_list(ws, ed, current.unit, writable)


def compare_rows(a: tuple[str, Outcome], b: tuple[str, Outcome]) -> list[dict[str, str]]:
    """PII, rank, sub-indices and pillars of two scenarios, and B − A, as table rows."""
    (name_a, out_a), (name_b, out_b) = a, b
    sa, sb = out_a.summary()["scenario"], out_b.summary()["scenario"]
    measures = [
        ("PII", "pii", 2),
        (_("common.rank"), "rank", 0),
        (_("common.input"), "input", 2),
        (_("common.output"), "output", 2),
    ]
    rows = []
    for label, key, dec in measures:
        rows.append(_row(label, float(sa[key]), float(sb[key]), dec, name_a, name_b))
    # A smaller rank is better: the rank row says the places B gains over A, not B − A.
    rows[1]["B − A"] = places(int(sa["rank"]) - int(sb["rank"]))
    fw = out_a.edition.framework
    for p in PILLARS:  # with its name: "Trụ cột 6" alone says nothing to a reader
        label = f"{_('common.pillar')} {p}. {names.pillar(fw, p)}"
        rows.append(_row(label, sa["pillars"][p], sb["pillars"][p], 2, name_a, name_b))
    return rows


def _row(label: str, va: float, vb: float, dec: int, name_a: str, name_b: str) -> dict[str, str]:
    return {
        _("scenario.measure"): label,
        f"A · {name_a}": num(va, dec),
        f"B · {name_b}": num(vb, dec),
        "B − A": num(vb - va, dec, sign=True),
    }


def compare_panel(
    current: Scenario,
    saved: list[SavedScenario],
    plan_here: bool,
    plans: Mapping[str, Scenario] | None = None,
) -> None:
    """Two selectors (the current scenario, the saved ones, the plans) and their table.
    `plans`: each of the unit's plans by its name (default: the built-in plan when it applies)."""
    if not saved:
        return
    st.subheader(_("scenario.compare"))
    choices = {_("scenario.current"): current} | {sv.name: sv.scenario for sv in saved}
    if plans is not None:
        choices |= {name: s for name, s in plans.items() if name not in choices}
    elif plan_here:
        choices[_("scenario.preset_plan")] = api.preset("plan-2024", current)
    keys = list(choices)
    ca, cb = st.columns(2)
    a = ca.selectbox(_("scenario.compare_a"), keys, index=0, key="cmp_a")
    b = cb.selectbox(_("scenario.compare_b"), keys, index=min(1, len(keys) - 1), key="cmp_b")
    rows = compare_rows((a, api.run(choices[a])), (b, api.run(choices[b])))
    # height="content": all eleven rows, pillar 7 included, without a scroll of its own.
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="compare_table", height="content")
