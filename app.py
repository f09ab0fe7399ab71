"""Entry point: navigation first (see streamlit-notes G1), then the shared frame, then the page."""

import streamlit as st

from model import versions
from ui import access, data, frame
from ui.i18n import _, err

st.set_page_config(page_title="PII", page_icon=":material/insights:", layout="wide")
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
page = st.navigation(
    [
        st.Page(
            f"pages/{name}.py",
            title=_(key),
            icon=f":material/{icon}:",
            url_path=name,
            default=k == 0,
        )
        for k, (name, key, icon) in enumerate(PAGES)
    ],
    position="top",
)

try:
    with st.spinner(_("common.db_building")):
        data.ready()
    versions.head()  # the user store answers (imports decide which data every page shows)
except Exception as exc:  # noqa: BLE001 - any failure to build or open the data: say so, no traceback
    st.error(_("common.db_unavailable", msg=err(exc)))
    st.stop()
frame.render()
st.session_state["_in_app"] = True
try:
    page.run()
finally:
    st.session_state["_in_app"] = False
