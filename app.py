"""Entry point: navigation first (see streamlit-notes G1), then the shared frame, then the page."""

from pathlib import Path

import streamlit as st

from model.official import versions
from ui import access, frame
from ui import loaders as data
from ui.i18n import _, err

# A local icon: a ":material/…:" page icon makes the browser fetch an SVG from Google's font
# servers (fails offline, and tells them who uses the app). An SVG file becomes a data: URL.
ICON = Path(__file__).resolve().parent / "assets" / "favicon.svg"
st.set_page_config(page_title="PII", page_icon=str(ICON), layout="wide")
# A PostgreSQL store named in secrets (`store_url`) reaches model/ through the environment,
# before any page opens a store; an explicit PII_STORE_URL wins. The URL is never shown.
access.export_store_url()
frame.early_language()  # the navigation's titles are drawn before the frame's widgets

# (file, catalogue key of its title, icon); the first is the default page.
PAGES = (
    ("overview", "common.page_overview", "dashboard"),
    ("scenario", "common.page_scenario", "tune"),
    ("movers", "common.page_movers", "trending_up"),
    ("budget", "common.page_budget", "payments"),
    ("plan", "common.page_plan", "checklist"),
    ("meeting", "common.page_meeting", "co_present"),
    ("data", "common.page_data", "database"),
)
pages = {
    name: st.Page(
        f"pages/{name}.py",
        title=_(key),
        icon=f":material/{icon}:",
        url_path=name,
        default=k == 0,
    )
    for k, (name, key, icon) in enumerate(PAGES)
}
frame.keep_link()  # a page switch keeps the address's parameters: one history entry
frame.check_address(tuple(pages))  # `/nonexistent`: the overview, with a note saying so
page = st.navigation(list(pages.values()), position="top")
name = next((n for n, p in pages.items() if p is page), page.url_path or PAGES[0][0])
frame.arrived(name)

try:
    with st.spinner(_("common.db_building")):
        data.ready()
    versions.head()  # the user store answers (imports decide which data every page shows)
except Exception as exc:  # noqa: BLE001 - any failure to build or open the data: say so, no traceback
    st.error(_("common.db_unavailable", msg=err(exc)))
    st.stop()
frame.render(name)
st.session_state["_in_app"] = True
try:
    page.run()
finally:
    st.session_state["_in_app"] = False
    frame.remember_link()
