"""The shared frame: language, edition, unit and scale mode, in the sidebar and in the URL.

Every frame widget is bound to a query parameter, so a copied link reopens the same view. A
link's parameters are checked once per session: anything invalid is dropped with a warning in
the user's language (short, on the page the link opened, until dismissed), and so is a page
address that does not exist.

The address bar: Streamlit clears the query string when the user switches pages, and every
write to `st.query_params` that changes it adds a browser history entry. Writing the frame's
parameters back after each page switch therefore added a second entry, and the first Back only
took the parameters away. So app.py puts the session's last address back (`keep_link`) before
`st.navigation`: the browser sees the query string it already shows (no entry), and the
navigation then adds one entry, the new page with the same parameters. Pages change the address
through `write_link`, one update per call; a page should not remove another page's parameters,
or its visit adds an entry again.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from model.index.dataset import Edition
from model.index.scenario import SCALES
from model.plan import PLAN_ID
from ui import access
from ui import loaders as data
from ui.i18n import LANG_LABELS, LANGS, _, _n, forget_language, lang
from ui.widgets import matches, md_text, vi_sort_key

DEFAULT_UNIT = "bac-giang"
DEFAULT_EDITION = 2023
TARGET_KEY = re.compile(r"^t_(\d+\.\d+\.\d+)$")
LINK = "_link"  # the address bar's query parameters at the end of the session's last run
SHOWN_ITEMS = 5  # invalid link parameters named in the warning; the rest are counted
SHORT = 60  # characters of an invalid parameter shown (a link can carry 60,000)
MEETING = "meeting"


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
        elif key == "plan" and PLAN_ID.match(text):
            value = text  # a plan's id (model.plan); the page looks it up among the unit's
        elif key == "mode" and text == "meeting":
            value = text  # read-only meeting mode (ui.access); nothing in a link turns it off
        elif key == "scenario" and text.strip() and len(text) <= 120:
            value = text.strip()  # a saved scenario's name (meeting mode); looked up there
        elif key == "t":
            from ui.state import decode_targets

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


def share_url(params: dict[str, object], page: str | None = None) -> str:
    """An address that opens this app (on `page`, else the page shown) with `params`, empty
    values left out: the links the scenario, meeting and plan pages give to copy."""
    base = (st.context.url or "").split("?", 1)[0]
    if page is not None:
        base = f"{base.rsplit('/', 1)[0]}/{page}"
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}"


def write_link(values: dict[str, object]) -> None:
    """Keep the address bar in step: language-neutral values, defaults left out (None removes a
    key). One update for all of them: each change of the address is a browser history entry."""
    current = st.query_params.to_dict()
    wanted = dict(current)
    for key, value in values.items():
        text = "" if value is None or value == DEFAULTS.get(key) else str(value)
        if text:
            wanted[key] = text
        else:
            wanted.pop(key, None)
    if wanted != current:
        st.query_params.from_dict(wanted)


def keep_link() -> None:
    """Before st.navigation: the session's address again, after a page switch cleared it.

    The browser still shows that address, so putting it back adds no history entry; the page
    switch then adds one, with these parameters (see the module's docstring)."""
    kept = st.session_state.get(LINK)
    if kept is not None and st.query_params.to_dict() != kept:
        st.query_params.from_dict(kept)


def remember_link() -> None:
    """After the page ran: what the address bar now says, for keep_link on the next run."""
    st.session_state[LINK] = st.query_params.to_dict()


def check_address(known: tuple[str, ...]) -> None:
    """app.py, before st.navigation: an address that names no page (`/nonexistent`) is noted,
    and Streamlit is asked for its default page instead. Otherwise it would fall back by itself
    but say so in an English dialog over the page; the note here is in the reader's language.
    (PagesManager's intent is Streamlit's own record of the page the browser asked for.)"""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    pages = getattr(get_script_run_ctx(), "pages_manager", None)
    asked = getattr(pages, "intended_page_name", None)
    if isinstance(asked, str) and asked.strip("/") and asked.strip("/") not in known:
        st.session_state["_missing_page"] = asked.strip("/")
        st.session_state["_notes_page"] = "?"  # arrived() puts the page shown instead
        pages.set_script_intent("", "")


def arrived(name: str) -> None:
    """app.py, after st.navigation: the page `name` runs. Remembers the last page that is not
    the meeting screen (`came_from`)."""
    if name != MEETING:
        st.session_state["_came_from"] = name
    if st.session_state.get("_notes_page") == "?":
        st.session_state["_notes_page"] = name


def switch_page(path: str) -> None:
    """st.switch_page keeping the address's parameters. A plain st.switch_page clears them
    first, and the browser records that as a history entry of its own."""
    st.switch_page(path, query_params=st.query_params.to_dict())


def came_from() -> str:
    """The page file the user came from to the meeting screen ("pages/scenario.py"), for its
    exit button: the last other page of this session, the overview when there was none."""
    return f"pages/{st.session_state.get('_came_from') or 'overview'}.py"


def short(text: str, limit: int = SHORT) -> str:
    """At most `limit` characters of a text from a link, "…" marking a cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dismiss_notes() -> None:
    st.session_state["_notes_page"] = None


def _opening_notes(page: str, shown: str) -> None:
    """What the opening link got wrong: on the page it opened, until dismissed or left. An
    unknown unit is said on its own, with the unit shown instead (`shown`)."""
    if st.session_state.get("_notes_page") != page:
        st.session_state["_notes_page"] = None  # left that page: the notes are gone
        return
    missing = st.session_state.get("_missing_page")
    bad = st.session_state.get("_link_warnings") or []
    if not missing and not bad:
        return
    units = [x for x in bad if x.startswith("unit=")]
    bad = [x for x in bad if not x.startswith("unit=")]
    # The texts come from the link: shown as typed (shortened), never as markdown or a link.
    with st.container(key="link_notes"):
        if missing:
            st.warning(_("common.not_found", page=md_text(short(missing))))
        for item in units:
            st.warning(_("common.unit_not_found", item=md_text(short(item)), name=shown))
        if bad:
            items = ", ".join(md_text(short(x)) for x in bad[:SHOWN_ITEMS])
            if len(bad) > SHOWN_ITEMS:
                more = len(bad) - SHOWN_ITEMS
                items = f"{items} {_n('common.ignored_more', more, n=more)}"
            st.warning(_("common.ignored_params", items=items))
        st.button(
            _("common.dismiss"),
            key="link_notes_ok",
            icon=":material/close:",
            type="tertiary",
            on_click=_dismiss_notes,
        )


def early_language() -> None:
    """Take an opening link's language before anything is drawn in it."""
    if "lang" not in st.session_state and st.query_params.get("lang") in LANGS:
        st.session_state["lang"] = st.query_params["lang"]
        forget_language()


# Readable on a projector and by keyboard (tests/browser/test_a11y.py measures both):
# - keyboard focus: Streamlit's own rings are a half-transparent shadow (about 2:1 on white) and
#   the top navigation links have none; a solid ring in the primary colour (6.7:1 on white);
# - captions: Streamlit draws them in the text colour at 60 % opacity, 4.2:1 on the sidebar's
#   grey; a solid slate grey instead (7.6:1 on white, 6.9:1 on the sidebar);
# - text fields clip an outer ring (only a sliver showed beside the search icon): drawn inside;
# - nothing cut at 1280 px: Streamlit keeps badges and segmented-control options on one line
#   and cuts them with "…" ("≈ Reconstructed …", "Theo xu hướng…"), or scrolls a too-wide
#   group out of sight; they wrap instead.
A11Y_CSS = """<style>
:focus-visible { outline: 3px solid #0b5cad !important; outline-offset: 2px !important; }
[data-testid="stTopNavLink"]:focus-visible { outline-offset: -3px !important; }
[data-testid="stTextInputRootElement"] input:focus-visible { outline-offset: -3px !important; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #4b5563 !important; }
.stMarkdownBadge { white-space: normal !important; overflow: visible !important; }
[data-testid="stButtonGroup"] > div { flex-wrap: wrap; }
[data-testid="stButtonGroup"] button,
[data-testid="stButtonGroup"] button div { white-space: normal; text-overflow: clip; }
</style>"""


def _read_link(page: str) -> None:
    """The opening link, once per session: valid values to the widgets, invalid ones noted."""
    values, bad = parse_link({k: st.query_params[k] for k in st.query_params})
    st.session_state["_link_values"] = values
    st.session_state["_link_warnings"] = bad
    if bad:
        st.session_state["_notes_page"] = page
    for key in FRAME_KEYS:
        if key in values:
            st.session_state[key] = values[key]
    if values.get("mode") == "meeting":
        access.set_session_read_only(True)
    dropped = {item.split("=", 1)[0] for item in bad}
    if dropped:
        write_link(dict.fromkeys(dropped))


def _on_unit_search(year: int) -> None:
    """A search typed: the first match in the list's order is shown, unless the current one
    matches too."""
    found = unit_matches(str(st.session_state.get("unit_search") or ""), year)
    if found and st.session_state.get("unit") not in found:
        st.session_state["unit"] = found[0]
        _on_context_change()


def unit_options(year: int) -> list[str]:
    """The edition's unit slugs in Vietnamese alphabetical order of their names (a name in the
    screen's language: the English names are the same without diacritics)."""
    ed = data.edition(year)
    names = dict(zip(ed.units["slug"], ed.units[f"name_{lang()}"], strict=True))
    return sorted(ed.slugs, key=lambda s: vi_sort_key(str(names[s])))


def unit_matches(query: str, year: int) -> list[str]:
    """The units whose name (in either language) or slug matches `query`, accents ignored."""
    if not query.strip():
        return []
    units = data.edition(year).units.set_index("slug")
    return [
        s
        for s in unit_options(year)
        if matches(query, str(units.at[s, "name_vi"]), str(units.at[s, "name_en"]), s)
    ]


def _unit_picker(year: int, unit: str) -> None:
    """The unit's selectbox, and a search under it that finds names typed without accents.

    Streamlit's own selectbox filter runs in the browser on the labels, letter by letter, so
    "dong nai" finds nothing in "Đồng Nai" (and it says "No results" in English). The search
    here matches in Python, accents and đ ignored, and narrows the list to what it finds; the
    selectbox keeps clean labels and no typing of its own (filter_mode=None).
    """
    ed = data.edition(year)
    names = dict(zip(ed.units["slug"], ed.units[f"name_{lang()}"], strict=True))
    query = str(st.session_state.get("unit_search") or "")
    found = unit_matches(query, year)
    options = found if unit in found else unit_options(year)
    st.selectbox(
        _("common.unit"),
        options,
        format_func=names.get,
        key="unit",
        on_change=_on_context_change,
        index=options.index(unit),
        filter_mode=None,
    )
    st.text_input(
        _("common.unit_search"),
        key="unit_search",
        placeholder=_("common.unit_search_hint"),
        label_visibility="collapsed",
        icon=":material/search:",
        on_change=_on_unit_search,
        args=(year,),
    )
    if query.strip() and not found:
        st.caption(_("common.unit_search_none", q=md_text(short(query, 30))))
    elif options is found and len(found) > 1:
        st.caption(_n("common.unit_search_found", len(found), n=len(found)))


def render(page: str = "") -> Frame:
    """Sidebar controls; returns the frame every page renders against. `page`: the name of the
    page about to run (app.py's PAGES), for the opening link's notes.

    The widgets are not bound to the URL with Streamlit 1.67's `bind="query-params"` (checked
    against its source): a bound selectbox or segmented control writes its displayed label (a
    province's name, a label in the current language), not the slug or code a link must keep;
    and once one parameter is bound, `st.query_params.from_dict()` and `.clear()` raise
    (`query-param-bound-cannot-set`), which `keep_link` and `switch_page` need to carry the
    address over a page switch as one history entry. Binding only the edition (its options are
    years) would still break those two. So the frame reads the link once and writes slugs and
    codes back after each run.
    """
    if "_link_values" not in st.session_state:
        _read_link(page)

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
        asked = st.session_state.get("unit")
        requested = asked or DEFAULT_UNIT
        unit, notice = map_unit(str(requested), int(year))
        if not asked:  # the default unit: nobody asked for it, so no merger to explain
            notice = None
        if unit != requested:
            st.session_state["unit"] = unit
        ed = data.edition(int(year))
        _unit_picker(int(year), unit)
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
    _opening_notes(page, ed.name(unit, lang()))
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
