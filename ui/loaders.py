"""The pages' door to the model: cached, read-only, and never arithmetic of its own."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import api
from model.estimates.build import ensure_built
from model.index.dataset import Edition
from model.official import store


@st.cache_resource(show_spinner=False)
def ready() -> str:
    """Build the reference database once per server when missing or stale."""
    return str(ensure_built())


def edition(year: int) -> Edition:
    return api.edition(
        year
    )  # cached per database file and dataset version (model.official.edition)


@st.cache_data(show_spinner=False)
def editions() -> list[int]:
    return store.editions()


@st.cache_data(show_spinner=False)
def units_table() -> pd.DataFrame:
    return store.units()


@st.cache_data(show_spinner=False)
def regions() -> pd.DataFrame:
    return store.regions()


@st.cache_data(show_spinner=False)
def published(year: int) -> pd.DataFrame:
    return store.published(year)


@st.cache_resource(show_spinner=False)
def plan():
    return api.plan()  # immutable; one per server


@st.cache_data(show_spinner=False)
def next_published(unit: str, year: int) -> dict | None:
    return api.next_published(unit, year)
