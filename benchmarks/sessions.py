"""Browser-free app sessions over Streamlit's websocket, for load tests and the memory benchmark.

A `Session` speaks the protocol the browser speaks (`/_stcore/stream`, protobuf BackMsg and
ForwardMsg): it asks for a page with a query string, receives the elements the script drew, and
sends widget values and button clicks back. Many sessions run at once on one asyncio loop, so a
single test can hold 50 real sessions against one `streamlit run` server.

Only what the load test needs is modelled: metrics, buttons, text inputs, alerts and exceptions.
Widgets are found by their key (the element id of a keyed widget ends with `-<key>`) or label.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect


class SessionError(AssertionError):
    """The server answered with an exception, a compile error, or not at all."""


@dataclass
class Run:
    """What one script run drew: every element of the page, in order of arrival."""

    elements: list = field(default_factory=list)  # streamlit.proto.Element_pb2.Element

    def of(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]

    def metric(self, label_start: str) -> str:
        return next(m.body for m in self.of("metric") if m.label.startswith(label_start))

    def widget_id(self, kind: str, key: str | None = None, label: str | None = None) -> str:
        for w in self.of(kind):
            if (key is not None and w.id.endswith(f"-{key}")) or (
                label is not None and w.label == label
            ):
                return w.id
        raise SessionError(f"no {kind} with key {key!r} / label {label!r} on the page")

    @property
    def exceptions(self) -> list[str]:
        return [f"{e.type}: {e.message}" for e in self.of("exception")]


class Session:
    """One app session over one websocket (use `async with Session(url) as s`)."""

    def __init__(self, url: str, timeout: float = 120.0) -> None:
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.timeout = timeout
        self.ws = None
        self.page_name = ""
        self.query = ""
        self.states: dict[str, WidgetState] = {}  # persistent widget values we have set

    async def __aenter__(self) -> Session:
        self.ws = await connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def open(self, page: str = "", query: str = "") -> Run:
        """The first run of a page (its URL path) with a link's query string."""
        self.page_name, self.query = page, query
        return await self._rerun()

    async def set_text(self, widget_id: str, text: str) -> None:
        """Type into a text input (sent with the next run, as the browser does on submit)."""
        self.states[widget_id] = WidgetState(id=widget_id, string_value=text)

    async def click(self, widget_id: str) -> Run:
        """Click a button: a run with its trigger set."""
        return await self._rerun(trigger=widget_id)

    async def _rerun(self, trigger: str | None = None) -> Run:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_name = self.page_name
        for st in self.states.values():
            cs.widget_states.widgets.append(st)
        if trigger is not None:
            cs.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        await self.ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._collect(), self.timeout)

    async def _collect(self) -> Run:
        run = Run()
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await self.ws.recv())
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                run.elements.append(fm.delta.new_element)
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string  # the page rewrites its link
            elif kind == "script_finished":
                status = fm.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run = Run()  # a rerun the page asked for (st.rerun): keep reading
                    continue
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise SessionError("the script did not compile")
                if run.exceptions:
                    raise SessionError("; ".join(run.exceptions))
                return run


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (MB), from /proc (Linux)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
        total += int(line.split()[1])
    return total / 1024.0


# --------------------------------------------------------------------------------------------
# The benchmark: the server's memory while 50 sessions use it at once.
# --------------------------------------------------------------------------------------------

from benchmarks import register  # noqa: E402 - the client above needs nothing of the registry

CONCURRENT = 50


async def _use(url: str, i: int) -> None:
    """One session: the scenario page with targets of its own, a save (the workspace is written
    while the others read), then the overview."""
    async with Session(url) as s:
        run = await s.open("scenario", f"t=2.2.3~{i % 100}_6.3.3~{(7 * i) % 100}")
        await s.set_text(run.widget_id("text_input", key="save_name"), f"bench {i}")
        await s.click(run.widget_id("button", label="Lưu"))
        s.page_name, s.query = "overview", ""
        await s._rerun()


def peak_server_memory(sessions: int = CONCURRENT) -> float:
    """Peak resident memory (MB) of a fresh `streamlit run` server while `sessions` sessions
    use it at once; it writes to a temporary workspace, never data/workspace.duckdb."""
    import os
    import shutil
    import tempfile
    import threading

    from benchmarks.serve import start, stop

    folder = tempfile.mkdtemp(prefix="pii-bench-ws-")
    old = os.environ.get("PII_WORKSPACE_DB")
    os.environ["PII_WORKSPACE_DB"] = str(Path(folder) / "workspace.duckdb")
    try:
        proc, url = start()
    finally:
        if old is None:
            os.environ.pop("PII_WORKSPACE_DB")
        else:
            os.environ["PII_WORKSPACE_DB"] = old
    peak = [rss_mb(proc.pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak.append(rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    async def all_sessions() -> None:
        await asyncio.gather(*(_use(url, i) for i in range(sessions)))

    try:
        asyncio.run(all_sessions())
    finally:
        done.set()
        sampler.join()
        stop(proc)
        shutil.rmtree(folder, ignore_errors=True)
    return max(peak)


@register(
    "server memory, 50 concurrent sessions (peak RSS)",
    target_ms=1500.0,
    source=(
        "1.5 GB, assumed (the hardening issue asks for the number, not a limit): a third of the "
        "project machine's 24 GB would hold 5 such servers beside the OS; each of 50 "
        "websocket sessions opens the scenario page, saves and opens the overview"
    ),
    runs=1,
    quick_runs=1,
    warmup=0,
    unit="MB",
    full_only=True,  # a minute or more on 2 cores: --quick must stay under one
)
def _server_memory():
    from model.estimates.build import ensure_built

    ensure_built()
    return peak_server_memory
