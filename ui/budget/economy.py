"""The Budget page's economy of the province: GRDP, its growth, population and the S&T budget of
the first budget year, each a labelled assumption the user can edit (model.budget.economy says
where each comes from). Typed figures become `user` facts of the assumptions, saved with a set.
"""

from __future__ import annotations

import math

import streamlit as st

from model.budget import Assumptions
from model.budget import economy as econ
from model.index.dataset import Edition
from model.index.scenario import ScenarioError
from ui import number_input
from ui.i18n import _, num
from ui.widgets import badge_md

_LABEL = {
    "grdp_billion_vnd": "statistics.econ_grdp",
    "grdp_growth_pct": "statistics.econ_growth",
    "population_persons": "statistics.econ_population",
    "st_budget_billion_vnd": "statistics.econ_st_budget",
}
_KIND = {
    "statistics": "statistics.source_statistics",
    "estimate": "statistics.source_estimate",
    "assumption": "cli.source_assumption",
    "user": "statistics.source_user",
    "reported": "cli.source_reported",
    "projected": "cli.source_projected",
}
# shown as a reader reads them (592236, not 592236.1788); an untouched box is this figure
_DECIMALS = {"grdp_billion_vnd": 0, "grdp_growth_pct": 2, "population_persons": 0}


def _current(a: Assumptions, item: str, year: int | None) -> float | None:
    try:
        if year is None:
            f = a.economy_fact(item, None)
            return None if f is None else f.value
        return a.economy_value(item, year)
    except ScenarioError:
        return None  # the S&T budget without the edition's 2.2.2: the user may type it


def _kind(a: Assumptions, item: str, year: int | None) -> str:
    f = a.economy_fact(item, year)
    return f.provenance if f else "projected"


def panel(a: Assumptions, ed: Edition) -> Assumptions:
    """Draw the four figures of year edition + 1 and return `a` with what the user typed."""
    year, version = ed.year + 1, st.session_state.get("bud_version", 0)
    out = a
    with st.container(border=True):
        st.markdown(f"**{_('statistics.economy_title', year=year)}**")
        cols = st.columns(len(econ.SHOWN))
        for col, item in zip(cols, econ.SHOWN, strict=True):
            yr = None if item == "grdp_growth_pct" else year
            now = _current(a, item, yr)
            shown = _DECIMALS.get(item, 1)
            now = round(now, shown) if now is not None else None
            typed = number_input.number_entry(
                _(_LABEL[item], year=year),
                f"bud_econ_{item}_{a.unit}_{ed.year}_{version}",
                value=now,
                min_value=-50.0 if yr is None else 0.0,
                max_value=100.0 if yr is None else None,
                decimals=shown,
                place=col,
            )
            col.markdown(_badge(_kind(a, item, yr)))
            # an untouched box is the figure itself, as shown
            if typed is None or (now is not None and math.isclose(typed, now, abs_tol=1e-6)):
                continue
            try:
                out = out.with_economy(item, yr, typed)
            except ScenarioError:
                continue  # a zero or negative count: the box says why, the figure is kept
        _reported_note(a.unit, ed.year)
        st.caption(_("statistics.economy_note"))
    return out


def _badge(kind: str) -> str:
    badge = "statistics" if kind == "statistics" else "reconstructed"
    return badge_md(badge, _(_KIND.get(kind, "cli.source_assumption")))


def _reported_note(unit: str, edition: int) -> None:
    """The province's own year-end GRDP beside NSO's (economy.csv; Bắc Giang only)."""
    for r in econ.reported(unit, edition):
        st.caption(
            _(
                "statistics.reported_note",
                year=r["year"],
                reported=num(r["reported"], 0),
                nso=num(r["statistics"], 0),
                diff=num(r["difference_pct"], 1),
            )
        )
