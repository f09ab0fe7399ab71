"""The shared frame: language, edition, unit and scale mode, in the sidebar and in the URL.

Every frame widget is bound to a query parameter, so a copied link reopens the same view. A
link's parameters are checked once per session: anything invalid is dropped with a visible
warning in the user's language instead of being silently ignored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from model.dataset import Edition
from model.scenario import SCALES
from ui import data
from ui.i18n import LANG_LABELS, LANGS, lang, t

DEFAULT_UNIT = "bac-giang"
DEFAULT_EDITION = 2023
TARGET_KEY = re.compile(r"^t_(\d+\.\d+\.\d+)$")


@dataclass(frozen=True)
class Frame:
    lang: str
    edition: Edition
    unit: str
    scale: str

    @property
    def unit_name(self) -> str:
        return self.edition.name(self.unit, self.lang)


def _units_for(year: int) -> pd.DataFrame:
    ed = data.edition(year)
    return ed.units


def map_unit(slug: str, year: int) -> tuple[str, str | None]:
    """The unit to show for `slug` in edition `year`, and a notice when it had to change."""
    units = data.units_table()
    ed = data.edition(year)
    if slug in ed.slugs:
        return slug, None
    merged = ed.units[ed.units["merged_from"].fillna("").str.split(";").map(lambda xs: slug in xs)]
    old = units[units["slug"] == slug]
    if len(merged) and len(old):
        new = merged.iloc[0]
        name_old = old.iloc[0][f"name_{lang()}"]
        return str(new["slug"]), t("merged_notice", old=name_old, new=new[f"name_{lang()}"])
    # A merged unit asked for in an older edition: show its first part.
    parts = units[(units["slug"] == slug) & units["merged_from"].fillna("").ne("")]
    for part in parts.iloc[0]["merged_from"].split(";") if len(parts) else []:
        if part in ed.slugs:
            return part, t("unit_fallback", slug=slug, edition=year, name=ed.name(part, lang()))
    fallback = DEFAULT_UNIT if DEFAULT_UNIT in ed.slugs else map_unit(DEFAULT_UNIT, year)[0]
    return fallback, t("unit_fallback", slug=slug, edition=year, name=ed.name(fallback, lang()))


def _valid_number(text: str, lo: float, hi: float) -> bool:
    try:
        v = float(text)
    except ValueError:
        return False
    return math.isfinite(v) and lo <= v <= hi


def check_link(params: dict[str, str]) -> list[str]:
    """Names of link parameters that are invalid for this app (checked once per session)."""
    bad: list[str] = []
    years = data.editions()
    year = DEFAULT_EDITION
    if "edition" in params:
        if params["edition"].isdigit() and int(params["edition"]) in years:
            year = int(params["edition"])
        else:
            bad.append(f"edition={params['edition']}")
    ed = data.edition(year)
    for key, value in params.items():
        if key == "edition":
            continue
        if key == "lang":
            ok = value in LANGS
        elif key == "unit":
            ok = value in set(data.units_table()["slug"])
        elif key == "scale":
            ok = value in SCALES
        elif key == "peers":
            ok = value in ("static", "drift", "trend")
        elif key == "drift":
            ok = _valid_number(value, -20, 20)
        elif key == "year":
            ok = value.isdigit() and year <= int(value) <= 2030
        elif key == "preset":
            ok = value in ("baseline", "plan-2024")
        elif key == "t":
            from ui.scenario_state import decode_targets

            bad.extend(f"t={item}" for item in decode_targets(value, ed)[1])
            continue
        else:
            ok = False
        if not ok:
            bad.append(f"{key}={value}")
    return bad


def _on_context_change() -> None:
    """A new unit or edition: the scenario's sliders start again from its baseline."""
    for key in list(st.session_state):
        if isinstance(key, str) and (TARGET_KEY.match(key) or key.startswith("raw_")):
            del st.session_state[key]


def render() -> Frame:
    """Sidebar controls; returns the frame every page renders against."""
    st.session_state.setdefault("_link_checked", False)
    if not st.session_state["_link_checked"]:
        st.session_state["_link_checked"] = True
        bad = check_link({k: st.query_params[k] for k in st.query_params})
        st.session_state["_link_warnings"] = bad
        for item in bad:  # unbound keys must be removed by hand; bound ones drop themselves
            key = item.split("=", 1)[0]
            if key not in ("lang", "edition", "unit", "scale", "t", "peers", "drift", "year"):
                st.query_params.pop(key, None)

    years = data.editions()
    with st.sidebar:
        st.segmented_control(
            t("language"),
            LANGS,
            default="vi",
            format_func=LANG_LABELS.get,
            key="lang",
            bind="query-params",
            required=True,
        )
        year = st.selectbox(
            t("edition"),
            years,
            index=years.index(DEFAULT_EDITION),
            key="edition",
            bind="query-params",
            on_change=_on_context_change,
        )
        requested = st.session_state.get("unit") or DEFAULT_UNIT
        unit, notice = map_unit(str(requested), int(year))
        if unit != requested:
            st.session_state["unit"] = unit
        ed = data.edition(int(year))
        names = dict(zip(ed.units["slug"], ed.units[f"name_{lang()}"], strict=True))
        options = sorted(ed.slugs, key=lambda s: names[s])
        st.selectbox(
            t("unit"),
            options,
            format_func=names.get,
            key="unit",
            bind="query-params",
            on_change=_on_context_change,
            index=None if "unit" in st.session_state else options.index(unit),
        )
        scale = st.segmented_control(
            t("scale"),
            list(SCALES),
            default="frozen",
            key="scale",
            bind="query-params",
            format_func=lambda s: t(f"scale_{s}"),
            help=t("scale_help"),
            required=True,
        )
    if notice:
        st.info(notice)
    if st.session_state.get("_link_warnings"):
        st.warning(t("ignored_params", items=", ".join(st.session_state["_link_warnings"])))
    frame = Frame(lang(), ed, str(st.session_state["unit"]), str(scale or "frozen"))
    st.session_state["_frame"] = frame
    return frame


def current() -> Frame:
    """The frame app.py rendered in this run (pages call this first).

    Streamlit runs a `pages/*.py` file on its own (its legacy multipage mode) when a fresh
    server's very first request asks for a page's URL, before any run of app.py has called
    st.navigation. Then there is no frame yet: switch the legacy mode off and run again,
    this time through app.py.
    """
    if not st.session_state.get("_in_app"):
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state["_frame"]
