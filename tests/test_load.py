"""Load: 50 concurrent sessions against one `streamlit run` server, every answer checked.

Each session speaks the browser's websocket protocol (benchmarks.sessions), all at once: open
the scenario page from a link with its own random targets → the PII and rank equal
model.api.run for those targets → save under a unique name (with markup in it) → load it from
the saved list → the same PII and rank again. Afterwards (server stopped) every saved scenario is in the workspace with exactly the targets its session set, and the server's
memory stayed under its budget. Bounded: about a minute on 2 cores.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time

import pytest

from benchmarks.serve import start, stop
from benchmarks.sessions import Session, SessionError, rss_mb
from model import api
from model.fmt import number
from model.index.scenario import Scenario
from model.workspace import Workspace, close_all
from ui.widgets import md_text

SESSIONS = 50
ROUNDS = 1  # per session; raise it (and BUDGET_S) for a longer soak outside CI
BUDGET_S = 20.0  # rounds start only within this many seconds; each session does at least one
MEMORY_BUDGET_MB = 1500.0  # as the benchmark in benchmarks/sessions.py


def _targets(rng: random.Random, codes: list[str]) -> tuple[tuple[str, float], ...]:
    return tuple((c, float(rng.randint(0, 100))) for c in sorted(rng.sample(codes, 3)))


def _expected(s: Scenario) -> tuple[str, str]:
    out = api.run(s).summary()
    n = api.edition(s.edition).n
    return (
        number(out["scenario"]["pii"], "vi"),
        f"{out['scenario']['rank']}/{n}",
    )


async def _round(url: str, s: Scenario, name: str) -> None:
    pii, rank = _expected(s)
    link = "t=" + "_".join(f"{c}~{v:g}" for c, v in s.targets)
    async with Session(url) as ses:
        run = await ses.open("scenario", link)
        assert (run.metric("PII kịch bản"), run.metric("Hạng kịch bản")) == (pii, rank), name
        await ses.set_text(run.widget_id("text_input", key="save_name"), name)
        run = await ses.click(run.widget_id("button", label="Lưu"))
        assert f"Đã lưu «{md_text(name)}»." in [a.body for a in run.of("alert")], name
        # The load button in the row of this scenario's name.
        at = next(k for k, e in enumerate(run.elements) if md_text(name) in e.markdown.body)
        load = next(
            e.button.id for e in run.elements[at:] if e.button.id and "-load_" in e.button.id
        )
        run = await ses.click(load)
        assert (run.metric("PII kịch bản"), run.metric("Hạng kịch bản")) == (pii, rank), name


async def _drive(url: str, codes: list[str], slugs: list[str]) -> tuple[dict, list]:
    saved: dict[str, Scenario] = {}
    errors: list[str] = []
    t_end = time.monotonic() + BUDGET_S

    async def worker(i: int) -> None:
        rng = random.Random(i)
        k = 0
        while k < ROUNDS and (k == 0 or time.monotonic() < t_end):
            unit = slugs[i % len(slugs)]
            s = Scenario(unit=unit, edition=2023, targets=_targets(rng, codes))
            name = f"Tải {i}-{k} <b>{unit}</b>"
            try:
                await _round(url, s, name)
                saved[name] = s
            except (AssertionError, SessionError, StopIteration, OSError) as exc:
                errors.append(f"{name}: {exc!r}")
            k += 1

    await asyncio.gather(*(worker(i) for i in range(SESSIONS)))
    return saved, errors


@pytest.mark.timeout(240)
def test_fifty_concurrent_sessions(built, fresh_workspace):
    ed = api.edition(2023)
    # One province: a session that does not send back every widget's value (this client sends
    # only those it sets) keeps the frame's default province on reruns.
    codes, slugs = list(ed.framework.codes), ["bac-giang"]
    proc, url = start()
    peak = [rss_mb(proc.pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak.append(rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.monotonic()
    try:
        saved, errors = asyncio.run(_drive(url, codes, slugs))
    finally:
        done.set()
        sampler.join()
        stop(proc)
    elapsed = time.monotonic() - t0
    print(
        f"\n{len(saved)} rounds by {SESSIONS} sessions in {elapsed:.0f} s; "
        f"server RSS peak {max(peak):.0f} MB"
    )
    assert not errors, errors[:5]
    assert len(saved) >= SESSIONS
    assert max(peak) < MEMORY_BUDGET_MB

    close_all()
    ws = Workspace(fresh_workspace)
    stored = {sv.name: sv for sv in ws.list_scenarios()}
    assert set(stored) == set(saved)  # nothing lost, nothing extra
    for name, s in saved.items():
        got = ws.get_scenario(name)
        assert got.scenario.unit == s.unit and got.revision == 1
        assert dict(got.scenario.targets) == dict(s.targets), name
