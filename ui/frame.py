"""The shared frame: language, edition, unit and scale mode, in the sidebar and in the URL.

Every frame widget is bound to a query parameter, so a copied link reopens the same view. A
link's parameters are checked once per session: anything invalid is dropped with a visible
warning in the user's language instead of being silently ignored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import streamlit as st

from model.dataset import Edition
from model.scenario import SCALES
from ui import access, data
from ui.i18n import LANG_LABELS, LANGS, _, lang
from ui.widgets import md_text

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
        return str(new["slug"]), _("common.merged_notice", old=name_old, new=new[f"name_{lang()}"])
    # A merged unit asked for in an older edition: show its first part.
    parts = units[(units["slug"] == slug) & units["merged_from"].fillna("").ne("")]
    for part in parts.iloc[0]["merged_from"].split(";") if len(parts) else []:
        if part in ed.slugs:
            return part, _(
                "common.unit_fallback", slug=slug, edition=year, name=ed.name(part, lang())
            )
    fallback = DEFAULT_UNIT if DEFAULT_UNIT in ed.slugs else map_unit(DEFAULT_UNIT, year)[0]
    return fallback, _(
        "common.unit_fallback", slug=slug, edition=year, name=ed.name(fallback, lang())
    )


def _number(text: str, lo: float, hi: float) -> float | None:
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) and lo <= v <= hi else None


def parse_link(params: dict[str, str]) -> tuple[dict[str, object], list[str]]:
    """A link's parameters: the valid ones parsed, and the invalid ones as `key=value`."""
    values: dict[str, object] = {}
    bad: list[str] = []
    years = data.editions()
    if "edition" in params:
        if params["edition"].isdigit() and int(params["edition"]) in years:
            values["edition"] = int(params["edition"])
        else:
            bad.append(f"edition={params['edition']}")
    ed = data.edition(int(values.get("edition", DEFAULT_EDITION)))
    for key, text in params.items():
        value: object | None = None
        if key == "edition":
            continue
        if key == "lang" and text in LANGS:
            value = text
        elif key == "unit" and text in set(data.units_table()["slug"]):
            value = text
        elif key == "scale" and text in SCALES:
            value = text
        elif key == "peers" and text in ("static", "drift", "trend"):
            value = text
        elif key == "drift":
            value = _number(text, -20, 20)
        elif key == "year" and text.isdigit() and ed.year < int(text) <= 2030:
            value = int(text)
        elif key == "preset" and text in ("baseline", "plan-2024"):
            value = text
        elif key == "mode" and text == "meeting":
            value = text  # read-only meeting mode (ui.access); nothing in a link turns it off
        elif key == "scenario" and text.strip() and len(text) <= 120:
            value = text.strip()  # a saved scenario's name (meeting mode); looked up there
        elif key == "t":
            from ui.scenario_state import decode_targets

            bad.extend(f"t={item}" for item in decode_targets(text, ed)[1])
            value = text
        if value is None:
            bad.append(f"{key}={text}")
        else:
            values[key] = value
    return values, bad


FRAME_KEYS = ("lang", "edition", "unit", "scale")
DEFAULTS: dict[str, object] = {"lang": "vi", "edition": DEFAULT_EDITION, "scale": "frozen"}


def _on_context_change() -> None:
    """A new unit or edition: the scenario's sliders start again from its baseline."""
    for key in list(st.session_state):
        if isinstance(key, str) and (TARGET_KEY.match(key) or key == "raw_over"):
            del st.session_state[key]


def link_values() -> dict[str, object]:
    """The opening link's valid parameters (pages read their own, e.g. the targets)."""
    return st.session_state.get("_link_values", {})


def write_link(values: dict[str, object]) -> None:
    """Keep the address bar in step: language-neutral values, defaults left out."""
    for key, value in values.items():
        text = "" if value is None or value == DEFAULTS.get(key) else str(value)
        if text:
            if st.query_params.get(key) != text:
                st.query_params[key] = text
        elif key in st.query_params:
            del st.query_params[key]


def early_language() -> None:
    """Take an opening link's language before anything is drawn in it."""
    if "lang" not in st.session_state and st.query_params.get("lang") in LANGS:
        st.session_state["lang"] = st.query_params["lang"]


# Readable on a projector and by keyboard (tests/browser/test_a11y.py measures both):
# - keyboard focus: Streamlit's own rings are a half-transparent shadow (about 2:1 on white) and
#   the top navigation links have none; a solid ring in the primary colour (6.7:1 on white);
# - captions: Streamlit draws them in the text colour at 60 % opacity, 4.2:1 on the sidebar's
#   grey; a solid slate grey instead (7.6:1 on white, 6.9:1 on the sidebar).
A11Y_CSS = """<style>
:focus-visible { outline: 3px solid #0b5cad !important; outline-offset: 2px !important; }
[data-testid="stTopNavLink"]:focus-visible { outline-offset: -3px !important; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #4b5563 !important; }
</style>"""


def render() -> Frame:
    """Sidebar controls; returns the frame every page renders against.

    The widgets are not bound to the URL, because a bound widget writes its displayed label
    (a province's name, a label in the current language) rather than a stable value; the
    frame reads the link once and writes slugs and codes back after each run instead.
    """
    if "_link_values" not in st.session_state:
        values, bad = parse_link({k: st.query_params[k] for k in st.query_params})
        st.session_state["_link_values"] = values
        st.session_state["_link_warnings"] = bad
        for key in FRAME_KEYS:
            if key in values:
                st.session_state[key] = values[key]
        if values.get("mode") == "meeting":
            access.set_session_read_only(True)
        for item in bad:
            st.query_params.pop(item.split("=", 1)[0], None)

    st.html(A11Y_CSS)
    years = data.editions()
    with st.sidebar:
        st.segmented_control(
            _("common.language"),
            LANGS,
            default="vi",
            format_func=LANG_LABELS.get,
            key="lang",
            required=True,
        )
        year = st.selectbox(
            _("common.edition"),
            years,
            index=years.index(DEFAULT_EDITION),
            key="edition",
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
            _("common.unit"),
            options,
            format_func=names.get,
            key="unit",
            on_change=_on_context_change,
            index=options.index(unit),
        )
        scale = st.segmented_control(
            _("common.scale"),
            list(SCALES),
            default="frozen",
            key="scale",
            format_func={
                "frozen": _("common.scale_frozen"),
                "renormalize": _("common.scale_renormalize"),
            }.get,
            help=_("common.scale_help"),
            required=True,
        )
        if access.read_only():
            st.caption(f":material/lock: {_('common.ro_banner')}")
    if notice:
        st.info(notice)
    if st.session_state.get("_link_warnings"):
        # The ignored text comes from the link: shown as typed, never as markdown or a link.
        bad = ", ".join(md_text(x) for x in st.session_state["_link_warnings"])
        st.warning(_("common.ignored_params", items=bad))
    frame = Frame(lang(), ed, str(st.session_state["unit"]), str(scale or "frozen"))
    write_link(
        {
            "lang": frame.lang,
            "edition": ed.year,
            "unit": frame.unit,
            "scale": frame.scale,
            "mode": "meeting" if access.session_read_only() else None,
        }
    )
    st.session_state["_frame"] = frame
    return frame


def current() -> Frame:
    """The frame app.py rendered in this run (pages call this first).

    Streamlit runs a `pages/*.py` file on its own (its legacy multipage mode) when a fresh
    server's first request asks for a page's URL before any run of app.py has called
    st.navigation. Then the legacy mode is switched off and the run starts again, this time
    through app.py (navigation, wide layout, the frame). It is the session's first run, so no
    interaction is lost. (AppTest always selects the legacy mode: tests/conftest.py keeps it
    off, as a served app is after its first run.)
    """
    if not st.session_state.get("_in_app"):
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state["_frame"]
