"""The app's speed: the scenario page's rerun on the server, and in Chromium."""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks import register

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda rec: "missing ScriptRunContext" not in rec.getMessage()
)


def _serve() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={port}",
        ],
        cwd=ROOT,
        env={**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return proc, url
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("streamlit did not come up")
        time.sleep(0.05)


_BROWSER = None


def _browser():
    """One Playwright and one Chromium for every browser benchmark (one sync API per process)."""
    global _BROWSER
    if _BROWSER is None:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        _BROWSER = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        atexit.register(lambda: (_BROWSER.close(), pw.stop()))
    return _BROWSER


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@register(
    "scenario page rerun after a slider change (server, AppTest)",
    target_ms=150.0,
    source="150 ms, scenario issue: the whole page script re-run after one slider moves",
    runs=20,
    quick_runs=5,
    warmup=2,
)
def _page_rerun():
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from model.build import ensure_built

    ensure_built()
    original = PagesManager.__init__

    def init(self, *a, **kw):  # run through app.py's st.navigation, as a served app does
        original(self, *a, **kw)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/scenario.py").run()
    values = iter([40.0, 60.0] * 1000)

    def rerun():
        at.select_slider(key="t_6.3.3").set_value(next(values)).run()

    return rerun


@register(
    "slider release to updated rank on screen (Chromium)",
    target_ms=1000.0,
    source="1 s, scenario issue: keyboard move of a slider to the new rank shown",
    runs=10,
    quick_runs=3,
    warmup=1,
)
def _slider_in_browser():
    from model.build import ensure_built

    ensure_built()
    proc, url = _serve()
    atexit.register(_stop, proc)
    page = _browser().new_page(viewport={"width": 1280, "height": 720})
    page.goto(url + "/scenario")
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=60_000)
    slider = page.locator("[data-testid='stSlider']").filter(has_text="6.3.3").get_by_role("slider")
    rank = page.get_by_test_id("stMetric").filter(has_text="Hạng").get_by_test_id("stMetricValue")
    keys = iter(["End", "Home"] * 1000)

    def move():
        before = rank.inner_text()
        slider.focus()
        page.keyboard.press(next(keys))
        page.wait_for_function(
            "([el, old]) => el.innerText.trim() !== old",
            arg=[rank.element_handle(), before],
            timeout=30_000,
            polling=10,
        )

    return move


@register(
    "app cold start: server start to first full render (Chromium)",
    target_ms=5000.0,
    source="5 s, hardening issue: streamlit run until the overview's numbers are on screen",
    runs=3,
    quick_runs=1,
    warmup=0,
)
def _cold_start():
    from model.build import ensure_built

    ensure_built()
    browser = _browser()

    def start():
        proc, url = _serve()
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            page.get_by_test_id("stMetricValue").first.wait_for(timeout=60_000)
            page.close()
        finally:
            _stop(proc)

    return start
