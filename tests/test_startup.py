"""What a start costs before the first number shows (issue 20, item 24): the overview's first run
imports no solver or report library, and the README's launcher (scripts/serve.py) does the first
page's imports and reads the editions before the server answers, without touching the user store.

Each check runs in a fresh interpreter: the test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The first run of app.py (the overview) through AppTest, as a served app runs it (app.py's
# st.navigation, not the legacy pages folder); prints the modules it imported, as JSON.
FIRST_RUN = """
import json, sys
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
original = PagesManager.__init__
def init(self, *a, **kw):
    original(self, *a, **kw)
    PagesManager.uses_pages_directory = False
PagesManager.__init__ = init
WARM
before = set(sys.modules)
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
assert not at.exception, [e.message for e in at.exception]
assert at.metric, "no number on the overview"
print(json.dumps({"before": sorted(before), "run": sorted(set(sys.modules) - before)}))
"""

# Modules the overview does not need; each took from 0.1 s (openpyxl) to 1 s (scipy) to import.
NOT_ON_FIRST_PAGE = ("scipy", "openpyxl", "docx", "model.report", "model.plan.recommend")


# The libraries that took time in the first run (python -X importtime), pyarrow through pandas.
WARMED = {"numpy", "pandas", "pyarrow", "duckdb", "jinja2", "babel"}


def _run(code: str, data_dir: Path) -> dict:
    env = {**os.environ, "PII_DATA_DIR": str(data_dir), "PII_I18N_STRICT": "1"}
    env.pop("PII_STORE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fresh_data(built, tmp_path: Path) -> Path:
    """A data folder holding only the reference database (no user store yet)."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(built.path, data / "pii.duckdb")
    return data


def _top(names: list[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def test_the_first_page_imports_no_solver_or_report_library(built, tmp_path):
    mods = _run(FIRST_RUN.replace("WARM", ""), _fresh_data(built, tmp_path))
    loaded = set(mods["run"])
    assert "pandas" in loaded  # the check sees what the run imports
    wrong = [m for m in NOT_ON_FIRST_PAGE if any(n == m or n.startswith(m + ".") for n in loaded)]
    assert wrong == []


def test_the_launcher_warms_what_the_first_page_imports(built, tmp_path):
    data = _fresh_data(built, tmp_path)
    warm = (
        "sys.path.insert(0, 'scripts')\n"
        "import serve\n"
        "serve.warm()\n"
        "from model.official import store\n"
        "assert store._load.cache_info().currsize == len(store.editions()), 'editions not read'\n"
        "import model.paths\n"
        "assert not model.paths.workspace_db().exists(), 'the warm-up opened the user store'\n"
    )
    mods = _run(FIRST_RUN.replace("WARM", warm), data)
    # Left to the first run: the app's ui/ and pages/ (they need Streamlit's runtime), and what
    # Streamlit and plotly load on first use (small); not a library below nor a model module.
    left = _top(mods["run"]) & {*WARMED, "model"}
    assert left == set(), [m for m in mods["run"] if m.split(".")[0] in left]
    assert {*WARMED, "model"} <= _top(mods["before"])


def test_the_launcher_warms_before_the_server_answers(monkeypatch):
    """Issue 20, item 24: warming in a thread beside the server only moved the wait (the
    thread, the server's scripts and Chromium shared two cores: 4 s from the health check to
    the first number). The launcher does the first page's groundwork first, then starts
    Streamlit, and a failed warm-up still starts it."""
    import importlib.util

    from streamlit.web import cli

    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    calls: list[str] = []
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setattr(cli, "main", lambda **kw: calls.append("server"))
    monkeypatch.setattr(serve, "warm", lambda: calls.append("warm"))
    serve.main(["--server.port=1"])
    assert calls == ["warm", "server"]
    assert sys.argv[1:4] == ["run", str(ROOT / "app.py"), "--server.port=1"]

    def broken() -> None:
        calls.append("warm failed")
        raise OSError("disk")

    monkeypatch.setattr(serve, "warm", broken)
    serve.main([])
    assert calls[2:] == ["warm failed", "server"]
