"""A database that cannot be built or opened stops the app with a message, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from model import store

ROOT = Path(__file__).resolve().parents[1]


def test_broken_sources_give_a_clear_message(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "data" / "sources", sources)
    gp = sources / "goalposts.csv"
    lines = gp.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[2], "not-a-number", 1)
    gp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("PII_SOURCES_DIR", str(sources))
    monkeypatch.setenv("PII_DATA_DIR", str(tmp_path / "data"))
    st.cache_resource.clear()
    store._ensured.clear()
    try:
        at = AppTest.from_file("../app.py", default_timeout=60).run()
        assert not at.exception
        text = " ".join(e.value for e in at.error)
        assert "Không mở được cơ sở dữ liệu PII" in text
        assert "goalposts.csv" in text and "line 2" in text
        assert not (tmp_path / "data" / "pii.duckdb").exists()  # nothing half-written
    finally:
        st.cache_resource.clear()
        store._ensured.clear()
