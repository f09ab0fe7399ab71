"""The running app and one headless Debian Chromium, shared by the browser tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from benchmarks.serve import CHROMIUM_ARGS, ROOT, SHOTS, running_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def server(built) -> Iterator[str]:
    """A `streamlit run app.py` on a free port, its log in artifacts/ (one per test module)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with open(ROOT / "artifacts" / "browser-server.log", "a") as log, running_app(log) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "chromium is installed by scripts/test.sh"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
