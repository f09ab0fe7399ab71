"""The Plan page's speed on the server: the whole page script re-run after one table edit."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from benchmarks import register
from benchmarks.serve import ROOT


@register(
    "recompute the Plan page after one table edit (server side)",
    target_ms=150.0,
    source="150 ms, plans issue: a stored 17-target plan (a copy of the seed), one target "
    "typed in the table editor, the page re-run (AppTest) until its PII and rank are new",
    runs=20,
    quick_runs=5,
    warmup=2,
)
def _plan_table_edit():
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from model import api
    from model.estimates.build import ensure_built
    from model.plan import library

    ensure_built()
    folder = tempfile.mkdtemp(prefix="pii-bench-plan-")
    atexit.register(shutil.rmtree, folder, True)
    os.environ["PII_WORKSPACE_DB"] = str(Path(folder) / "workspace.duckdb")  # never data/'s
    copy = library.save_plan(library.copy_plan(api.plan(), "Bản sao để đo"))
    original = PagesManager.__init__

    def init(self, *a, **kw):  # run through app.py's st.navigation, as a served app does
        original(self, *a, **kw)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/plan.py").run()
    (pick,) = [s for s in at.selectbox if (s.key or "").startswith("plan_pick-")]
    pick.set_value(copy.plan_id).run()  # the stored copy, editable
    (editor,) = list(at.data_editor)
    values = iter(["20", "30"] * 1000)

    def rerun():
        at.session_state[editor.key] = {
            "edited_rows": {0: {"target": next(values)}},
            "added_rows": [],
            "deleted_rows": [],
        }
        at.run()

    return rerun
