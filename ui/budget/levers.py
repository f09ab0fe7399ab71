"""The budget page's lever table: the user's edits applied to the assumptions, and the editor.

Only the moveable levers are shown and editable (cost per item, yearly cap, lag); every lever's
note is shown in the screen's language.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import fmt
from model.budget import Assumptions, Lever
from model.i18n import msg
from model.index.scenario import ScenarioError
from ui.i18n import _, lang

# editor column -> Lever field
_EDITABLE = {
    "cost": "cost_million_vnd_per_item",
    "cap": "max_change_per_year_raw",
    "lag": "lag_years",
}
EDITOR_KEY = "bud_levers_edit"


def edits_key() -> str:
    """The editor's key, which is also where its edits are read: a new key after a set is
    opened (bud_version), so the old set's edits go and the opened set's values show."""
    version = st.session_state.get("bud_version", 0)
    return f"{EDITOR_KEY}_{version}" if version else EDITOR_KEY


def moveable(a: Assumptions) -> list[Lever]:
    return [lv for lv in a.levers if lv.moveable]


_LABELS = {"cost": "budget.col_cost_item", "cap": "budget.col_cap", "lag": "budget.col_lag"}


def _value(column: str, v: object) -> object:
    """A cell as the lever field: the lag a whole number; cost and cap typed as text in the
    reader's format (12,5 in Vietnamese), None when cleared; NumberTextError when unclear."""
    if column == "lag":
        return int(v) if v is not None else None
    return fmt.parse_number(None if v is None else str(v), lang())


def apply_edits(base: Assumptions) -> tuple[Assumptions, object | None]:
    """The assumptions with the editor's changed cells applied, and the last edit refused (an
    error, or a Message for a cleared cost or lag cell, which keeps the set's value)."""
    edits = st.session_state.get(edits_key(), {"edited_rows": {}})
    levers = moveable(base)
    out, bad = base, None
    for row, change in edits.get("edited_rows", {}).items():
        lv = levers[int(row)]
        try:
            kw = {_EDITABLE[k]: _value(k, v) for k, v in change.items() if k in _EDITABLE}
        except fmt.NumberTextError as exc:
            bad = msg(exc.msg_id, **exc.params)
            continue
        change = {k: kw.get(_EDITABLE.get(k, ""), v) for k, v in change.items()}
        for k in [k for k in ("cost", "lag") if k in change and change[k] is None]:
            old = getattr(lv, _EDITABLE[k])
            kw.pop(_EDITABLE[k])  # a cleared cell: no cap is a valid empty cap, no cost is not
            shown = fmt.entry_text(old, lang())
            bad = msg("budget.edit_empty", code=lv.code, column=_(_LABELS[k]), value=shown)
        try:
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
            # as text in the reader's format (a number column reads only a decimal point);
            # no cap is an empty cell, not "None"
            "cost": [fmt.entry_text(lv.cost_million_vnd_per_item, lang()) for lv in levers],
            "cap": [fmt.entry_text(lv.max_change_per_year_raw, lang()) for lv in levers],
            "lag": [lv.lag_years for lv in levers],
            "note": [lv.note(lang()) for lv in levers],
        }
    )
    st.data_editor(
        table[["code", "lever", "cost", "cap", "lag", "item", "basis", "note"]],
        hide_index=True,
        key=edits_key(),
        disabled=["code", "lever", "basis", "item", "note"],
        column_config={
            "code": st.column_config.TextColumn(_("budget.col_code"), width=56, pinned=True),
            "lever": st.column_config.TextColumn(_("budget.col_lever"), width=220, pinned=True),
            "basis": st.column_config.TextColumn(_("budget.col_basis")),
            "item": st.column_config.TextColumn(_("budget.col_item")),
            "cost": st.column_config.TextColumn(
                _("budget.col_cost_item"), help=_("common.num_help"), max_chars=40
            ),
            "cap": st.column_config.TextColumn(
                _("budget.col_cap"), help=_("common.num_help"), max_chars=40
            ),
            "lag": st.column_config.NumberColumn(
                _("budget.col_lag"), min_value=0, max_value=10, step=1, help=_("budget.lag_help")
            ),
            "note": st.column_config.TextColumn(_("budget.col_note"), width="large"),
        },
    )
