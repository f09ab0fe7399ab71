"""The budget page's lever table: the user's edits applied to the assumptions, and the editor.

Only the moveable levers are shown and editable (cost per item, yearly cap, lag); every lever's
note is shown in the screen's language.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model.budget import Assumptions, Lever
from model.scenario import ScenarioError
from ui.i18n import _, lang

# editor column -> Lever field
_EDITABLE = {
    "cost": "cost_million_vnd_per_item",
    "cap": "max_change_per_year_raw",
    "lag": "lag_years",
}
EDITOR_KEY = "bud_levers_edit"


def edits_key() -> str:
    """Where the edits are read: a new key after a set is opened, so the old set's edits go.

    The editor itself is keyed EDITOR_KEY, as the page had it: the two differ, so edits in the
    table do not reach the model yet (left for the budget page's own issue)."""
    return f"bud_levers_edit_{st.session_state.get('bud_version', 0)}"


def moveable(a: Assumptions) -> list[Lever]:
    return [lv for lv in a.levers if lv.moveable]


def _value(column: str, v: object) -> object:
    # a cleared cell is None: the lever's own check says what is wrong with it
    return int(v) if column == "lag" and v is not None else v


def apply_edits(base: Assumptions) -> tuple[Assumptions, Exception | None]:
    """The assumptions with the editor's changed cells applied, and the last edit refused."""
    edits = st.session_state.get(edits_key(), {"edited_rows": {}})
    levers = moveable(base)
    out, bad = base, None
    for row, change in edits.get("edited_rows", {}).items():
        lv = levers[int(row)]
        try:
            kw = {_EDITABLE[k]: _value(k, v) for k, v in change.items() if k in _EDITABLE}
            out = out.with_lever(lv.code, **kw)
        except (ScenarioError, TypeError, ValueError) as exc:
            bad = exc
    return out, bad


def lever_name(a: Assumptions, code: str, width: int = 44) -> str:
    """'2.2.3 · name' in the screen's language, shortened to `width` characters."""
    lv = a.lever(code)
    text = lv.lever_vi if lang() == "vi" else lv.lever_en
    return f"{code} · {text if len(text) <= width else text[: width - 1] + '…'}"


def lever_editor(base: Assumptions) -> None:
    """The table of moveable levers; costs, caps and lags are editable."""
    st.markdown(f"#### {_('budget.levers')}")
    st.caption(_("budget.levers_note"))
    basis = {"exact": _("budget.basis_exact"), "assumed": _("budget.basis_assumed")}
    levers, vi = moveable(base), lang() == "vi"
    table = pd.DataFrame(
        {
            "code": [lv.code for lv in levers],
            "lever": [lv.lever_vi if vi else lv.lever_en for lv in levers],
            "basis": [basis[lv.basis] for lv in levers],
            "item": [lv.item_vi if vi else lv.item_en for lv in levers],
            "cost": [lv.cost_million_vnd_per_item for lv in levers],
            "cap": [lv.max_change_per_year_raw for lv in levers],
            "lag": [lv.lag_years for lv in levers],
            "note": [lv.note(lang()) for lv in levers],
        }
    )
    st.data_editor(
        table,
        hide_index=True,
        key=EDITOR_KEY,
        disabled=["code", "lever", "basis", "item", "note"],
        column_config={
            "code": st.column_config.TextColumn(_("budget.col_code")),
            "lever": st.column_config.TextColumn(_("budget.col_lever"), width="medium"),
            "basis": st.column_config.TextColumn(_("budget.col_basis")),
            "item": st.column_config.TextColumn(_("budget.col_item")),
            "cost": st.column_config.NumberColumn(
                _("budget.col_cost_item"), min_value=0.0001, format="%.4g"
            ),
            "cap": st.column_config.NumberColumn(_("budget.col_cap"), min_value=0.0, format="%.4g"),
            "lag": st.column_config.NumberColumn(
                _("budget.col_lag"), min_value=0, max_value=10, step=1
            ),
            "note": st.column_config.TextColumn(_("budget.col_note"), width="large"),
        },
    )
