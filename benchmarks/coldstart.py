"""Where the app's cold start goes: `python -m benchmarks.coldstart [--runs N]`.

Splits "server start to first full render in Chromium" (the benchmark in benchmarks/ui.py) into
its phases, and times the first script run on its own through a websocket session (no browser):

  server      `streamlit run` until /_stcore/health answers (Python, Streamlit, the server)
  page        the browser loads the HTML and Streamlit's JavaScript (DOMContentLoaded)
  first run   from then until the overview's first number is on screen: the websocket, the
              first script run (imports of pandas, plotly, the model; the data checked and
              loaded) and the render
  script      the first script run alone, measured by a websocket session right after health
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import threading
import time

from benchmarks.serve import CHROMIUM_ARGS, start, stop
from benchmarks.sessions import Session


def _first_script_run(url: str) -> float:
    out: list[float] = []

    async def go() -> None:
        t0 = time.perf_counter()
        async with Session(url) as s:
            await s.open("", "")
        out.append(time.perf_counter() - t0)

    th = threading.Thread(target=lambda: asyncio.run(go()))  # Playwright owns this thread's loop
    th.start()
    th.join()
    return out[0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.coldstart")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from model.estimates.build import ensure_built

    ensure_built()  # the benchmark starts with the data built, as a deployed server does
    rows: dict[str, list[float]] = {"server": [], "page": [], "first run": [], "script": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            headless=True,
            args=CHROMIUM_ARGS,
        )
        for _ in range(args.runs):
            t0 = time.perf_counter()
            proc, url = start()
            t1 = time.perf_counter()
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(url, wait_until="domcontentloaded")
                t2 = time.perf_counter()
                page.get_by_test_id("stMetricValue").first.wait_for(timeout=60_000)
                t3 = time.perf_counter()
                page.close()
            finally:
                stop(proc)
            rows["server"].append(t1 - t0)
            rows["page"].append(t2 - t1)
            rows["first run"].append(t3 - t2)
            proc, url = start()
            try:
                rows["script"].append(_first_script_run(url))
            finally:
                stop(proc)
        browser.close()
    total = [sum(x) for x in zip(rows["server"], rows["page"], rows["first run"], strict=True)]
    for name, xs in [*rows.items(), ("total (browser)", total)]:
        print(
            f"{name:<16} median {statistics.median(xs):6.2f} s   runs: "
            + ", ".join(f"{x:.2f}" for x in xs)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
