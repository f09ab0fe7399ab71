"""Entry point: navigation first (see streamlit-notes G1), then the shared frame, then the page."""

import streamlit as st

from ui import data, frame
from ui.i18n import t

st.set_page_config(page_title="PII", page_icon=":material/insights:", layout="wide")
frame.early_language()  # the navigation's titles are drawn before the frame's widgets

page = st.navigation(
    [
        st.Page(
            "pages/overview.py",
            title=t("page_overview"),
            icon=":material/dashboard:",
            url_path="overview",
            default=True,
        ),
        st.Page(
            "pages/scenario.py",
            title=t("page_scenario"),
            icon=":material/tune:",
            url_path="scenario",
        ),
        st.Page(
            "pages/movers.py",
            title=t("page_movers"),
            icon=":material/trending_up:",
            url_path="movers",
        ),
        st.Page(
            "pages/budget.py",
            title=t("page_budget"),
            icon=":material/payments:",
            url_path="budget",
        ),
        st.Page(
            "pages/plan.py",
            title=t("page_plan"),
            icon=":material/checklist:",
            url_path="plan",
        ),
        st.Page(
            "pages/meeting.py",
            title=t("page_meeting"),
            icon=":material/co_present:",
            url_path="meeting",
        ),
    ],
    position="top",
)

try:
    with st.spinner(t("db_building")):
        data.ready()
except Exception as exc:  # noqa: BLE001 - any failure to build or open the data: say so, no traceback
    st.error(t("db_unavailable", msg=str(exc)))
    st.stop()
frame.render()
st.session_state["_in_app"] = True
try:
    page.run()
finally:
    st.session_state["_in_app"] = False
