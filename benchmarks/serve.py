"""Start the app with `streamlit run` on a free port, for browser tests and benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(
    log=subprocess.DEVNULL,
    timeout: float = 60.0,
    launcher: tuple[str, ...] | None = None,
    port: int | None = None,
) -> tuple[subprocess.Popen, str]:
    """A running server and its URL (health endpoint answered). `launcher` replaces
    `python -m streamlit run app.py` (e.g. the README's `bash scripts/app.sh`); `port` keeps
    one address over several starts, as the README's command does (8501)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [
            *(launcher or (sys.executable, "-m", "streamlit", "run", "app.py")),
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={port}",
        ],
        cwd=ROOT,
        env={**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return proc, url
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError("streamlit did not come up")
        time.sleep(0.05)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM, then kill: leaves no stray server."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def running_app(log=subprocess.DEVNULL) -> Iterator[str]:
    proc, url = start(log)
    try:
        yield url
    finally:
        stop(proc)


SHOTS = ROOT / "artifacts" / "screenshots"


def settled(page) -> None:
    """Wait until Streamlit has finished the run triggered by the last interaction (Playwright)."""
    page.wait_for_timeout(300)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000
    )
