"""Hostile input at every entry point: link parameters, CLI arguments, uploaded plans, scenario
names and notes; and a static check for unsafe HTML, pickle, eval and shell strings.

Bounded: hypothesis with few examples per test (every example of the page tests is a full app
run), no deadline; about a minute in all.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import pytest
import streamlit as st
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from model import api
from model.index.dataset import UnknownName
from model.index.scenario import Scenario
from model.plan import CSV_COLUMNS, Plan, PlanFileError, parse_plan_csv, plan_to_csv
from model.workspace import InvalidText, Workspace
from ui.widgets import md_text

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
# Every parameter a link can carry (ui.frame.parse_link), and values meant to hurt.
KEYS = ("lang", "edition", "unit", "scale", "peers", "drift", "year", "preset", "mode")
KEYS += ("scenario", "t")
HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1))",
    "'; DROP TABLE scenarios; --",
    "' OR '1'='1",
    "Robert'); DELETE FROM scenarios WHERE ('1'='1",
    "../../etc/passwd",
    "%00%ff",
    "\x00",
    "nan",
    "inf",
    "-1e309",
    "9" * 400,
    "2.2.3~1e999_6.3.3~-5_x~y",
    "~~~___",
    "bac-giang\u202e",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ Tiếng Việt",
    "",
    " ",
)
PROFILE = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,  # the same examples in every CI run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = hs.text(hs.characters(blacklist_categories=("Cs",)), max_size=40)
value = hs.one_of(hs.sampled_from(HOSTILE), text)


@pytest.fixture(autouse=True)
def _clean(built, fresh_workspace):
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _run_page(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    if page != "overview":  # the link opens that page, as in a browser
        at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, (page, params, at.exception)
    return at


# ---- link parameters ----------------------------------------------------------------------


@PROFILE
@given(
    page=hs.sampled_from(PAGES),
    params=hs.dictionaries(hs.one_of(hs.sampled_from(KEYS), text.filter(bool)), value, max_size=4),
)
def test_any_link_parameters_open_every_page_without_an_error(page, params):
    at = _run_page(page, params)
    unknown = [k for k in params if k not in KEYS]
    if unknown:  # ignored with a visible warning, never silently
        assert at.warning, params


def test_hostile_values_in_every_parameter_on_every_page():
    from ui import frame

    for k, page in enumerate(PAGES):
        params = {key: HOSTILE[(k + j) % len(HOSTILE)] for j, key in enumerate(KEYS)}
        at = _run_page(page, params)
        assert at.warning  # the invalid ones are named ...
        shown = " ".join(w.value for w in at.warning)
        for item in at.session_state["_link_warnings"][: frame.SHOWN_ITEMS]:
            # ... as typed (shortened): never as markup or a link
            assert md_text(frame.short(item)) in shown, item


def _link_warning(at: AppTest) -> str | None:
    return next((w.value for w in at.warning if "unit=" in w.value), None)


def test_a_long_bad_link_value_is_shown_short_and_until_dismissed():
    at = _run_page("overview", {"unit": "x" * 5000})
    shown = _link_warning(at)
    assert shown and len(shown) < 400 and "…" in shown  # an excerpt, not the whole value
    at.run()  # any other interaction on the same page: still there
    assert _link_warning(at)
    at.button(key="link_notes_ok").click().run()
    assert _link_warning(at) is None
    at.run()
    assert _link_warning(at) is None


def test_the_link_warning_is_shown_once_not_on_every_page():
    at = _run_page("overview", {"unit": "atlantis"})
    assert "atlantis" in _link_warning(at)
    for page in ("scenario", "movers", "overview"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        assert _link_warning(at) is None, page


def test_a_60000_character_parameter_keeps_the_page_quick():
    import time

    _run_page("overview", {})  # warm: the data is loaded once per process
    t0 = time.perf_counter()
    at = _run_page("overview", {"unit": "x" * 60_000, "t": "2.2.3~5_" * 7_500})
    assert time.perf_counter() - t0 < 5.0
    shown = " ".join(w.value for w in at.warning)
    assert len(shown) < 1_000


# ---- the command line ---------------------------------------------------------------------

# Commands that only read (build, import, rollback, report and template write files).
CLI = {
    "rank": ("--edition",),
    "profile": ("--unit", "--edition"),
    "simulate": ("--unit", "--edition", "--set", "--preset", "--peers", "--scale", "--target-year"),
    "fidelity": (),
    "sensitivity": ("--unit", "--edition", "--set", "--step", "--scale"),
    "reach": ("--unit", "--edition", "--rank", "--cap", "--set"),
    "uncertainty": ("--unit", "--edition", "--runs", "--seed", "--spread", "--weights"),
    "optimize": ("--unit", "--edition", "--budget", "--objective", "--target-rank", "--years"),
    "plan-cost": ("--unit", "--edition", "--plan"),
    "merge": ("--unit", "--edition"),
}
CLI_VALUES = hs.one_of(
    hs.sampled_from(HOSTILE),
    hs.sampled_from(("bac-giang", "2023", "2025", "2.2.3=10", "renormalize", "drift:0.5", "3")),
    hs.sampled_from(("0", "-1", "100001", "1e9", "64", "0.0001", "2.2.3=abc", "=", "9.9.9=5")),
    text.filter(lambda s: "\x00" not in s),  # argv cannot hold NUL
)


@settings(PROFILE, max_examples=60)
@given(
    cmd=hs.sampled_from(sorted(CLI)),
    data=hs.data(),
)
def test_cli_arguments_give_exit_code_0_or_2_never_a_traceback(cmd, data):
    from model.__main__ import main

    flags = CLI[cmd]
    argv = [cmd]
    if flags:
        for flag in data.draw(hs.lists(hs.sampled_from(flags), max_size=4), label="flags"):
            argv += [flag, data.draw(CLI_VALUES, label=flag)]
    if data.draw(hs.booleans(), label="json") and cmd != "merge":
        argv.append("--json")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: a usage message and exit code 2
            code = exc.code
    assert code in (0, 2), (argv, code, err.getvalue())
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert err.getvalue().strip(), argv  # a message says why


# ---- uploaded plans -----------------------------------------------------------------------

cell = hs.one_of(
    hs.sampled_from(HOSTILE),
    hs.sampled_from(("2.2.3", "6.3.3", "1.1.1", "12,76", "50", "101", "-3", "x", "")),
    text,
)


@settings(PROFILE, max_examples=80)
@given(
    header=hs.lists(hs.one_of(hs.sampled_from(CSV_COLUMNS), text), max_size=12),
    rows=hs.lists(hs.lists(cell, max_size=12), max_size=8),
    raw=hs.binary(max_size=200),
    use_raw=hs.booleans(),
)
def test_an_uploaded_plan_is_a_plan_or_a_list_of_problems(header, rows, raw, use_raw):
    ed = api.edition(2023)
    if use_raw:
        data = raw
    else:
        buf = io.StringIO()
        import csv

        csv.writer(buf).writerows([header, *rows])
        data = buf.getvalue().encode("utf-8")
    try:
        plan = parse_plan_csv(data, ed, "bac-giang")
    except PlanFileError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return
    assert isinstance(plan, Plan) and plan.targets
    assert all(0 <= x.target <= 100 and x.code in ed.framework.index for x in plan.targets)
    again = parse_plan_csv(plan_to_csv(plan), ed, "bac-giang")  # what we write, we read back
    assert again.targets == plan.targets


def test_an_upload_for_an_unknown_unit_is_refused_by_name():
    with pytest.raises(UnknownName):
        parse_plan_csv(b"code\n", api.edition(2023), "<script>")


def test_uploads_are_limited_in_size():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert 0 < config["server"]["maxUploadSize"] <= 20  # MB, Streamlit enforces it


# ---- scenario names and notes -------------------------------------------------------------

UNESCAPED_TAG = re.compile(r"(?<!\\)<\s*(script|img|iframe|svg|a)\b", re.IGNORECASE)


@settings(PROFILE, max_examples=6)
@given(
    names=hs.lists(
        hs.one_of(hs.sampled_from(HOSTILE), text).filter(lambda s: s.strip()),
        min_size=1,
        max_size=4,
        unique_by=lambda s: s.strip(),
    ),
    note=value,
)
def test_names_and_notes_are_stored_exactly_and_shown_as_text(fresh_workspace, names, note):
    ws = Workspace(fresh_workspace)
    for sv in ws.list_scenarios():
        ws.delete_scenario(sv.name)
    stored = []
    for name in names:
        try:
            ws.save_scenario(name, Scenario(unit="bac-giang", edition=2023), note=note)
        except InvalidText:
            continue  # control characters are refused with a message, never stored garbled
        stored.append(name.strip())
    for name in stored:  # SQL-looking text is data: stored and read back exactly
        got = ws.get_scenario(name)
        assert (got.name, got.note) == (name, note)
    assert sorted(sv.name for sv in ws.list_scenarios()) == sorted(stored)
    at = _run_page("scenario", {})
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for name in stored:
        assert any(md_text(name) in s for s in shown), name
    assert not any(UNESCAPED_TAG.search(s) for s in shown if "<" in s)


def test_a_hostile_saved_scenario_name_in_a_meeting_link_is_shown_as_text():
    name = "<script>alert('x')</script> [x](javascript:1)"
    at = _run_page("meeting", {"scenario": name})
    text = " ".join(w.value for w in at.warning)
    assert md_text(name) in text
    assert not UNESCAPED_TAG.search(text)


# ---- static checks ------------------------------------------------------------------------

SOURCES = [
    p
    for folder in ("model", "ui", "pages", "benchmarks", "scripts")
    for p in (ROOT / folder).rglob("*.py")
] + [ROOT / "app.py"]

# Every call that lets HTML through (st.html, unsafe_allow_html=True), by file and the constant
# or function that supplies the HTML. None may carry user text; a new one is added after review.
ALLOWED_HTML = {
    ("pages/meeting.py", "CSS"): "the projector layout's fixed <style>",
    ("ui/frame.py", "FOCUS_CSS"): "the keyboard focus outline's fixed <style>",
    ("ui/frame.py", "A11Y_CSS"): "focus outline and caption contrast, a fixed <style>",
    ("ui/data/imports.py", "CSS"): "hides a refused upload's stale result, a fixed <style>",
    ("ui/widgets.py", "big_metrics"): "a <style> whose key and size come from the calling code",
    ("ui/plan/editor.py", "unsaved_work"): "the leave guard: a fixed <script>, a true/false flag",
}


def _html_calls(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = str(path.relative_to(ROOT))
    out = []
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for fn in [tree, *[n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]]:
        body = [b for b in tree.body if not isinstance(b, defs)] if fn is tree else [fn]
        for node in (n for b in body for n in ast.walk(b)):
            if not isinstance(node, ast.Call):
                continue
            unsafe = any(
                k.arg == "unsafe_allow_html"
                and not (isinstance(k.value, ast.Constant) and not k.value.value)
                for k in node.keywords
            )
            is_html = isinstance(node.func, ast.Attribute) and node.func.attr == "html"
            if unsafe or is_html:
                arg = node.args[0] if node.args else None
                if isinstance(arg, ast.Name | ast.Attribute):  # CSS or blocks.CSS
                    who = arg.id if isinstance(arg, ast.Name) else arg.attr
                else:
                    who = getattr(fn, "name", "<module>")
                out.append((rel, who))
    return sorted(set(out))


def test_html_only_at_the_reviewed_call_sites():
    found = {call for p in SOURCES for call in _html_calls(p)}
    assert found <= set(ALLOWED_HTML), sorted(found - set(ALLOWED_HTML))
    # big_metrics' key and size are literals at every call, never user text.
    for p in SOURCES:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "big_metrics":
                for k in node.keywords:
                    assert k.arg not in ("key", "size") or isinstance(k.value, ast.Constant), (
                        f"{p.relative_to(ROOT)}:{node.lineno}"
                    )


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\s*import pickle|^\s*from pickle|pickle\.loads?\(",
        r"(?<![\w.])eval\(",
        r"(?<![\w.])exec\(",
        r"shell\s*=\s*True",
        r"yaml\.load\(",
        r"marshal\.loads?\(",
        r"os\.system\(",
    ],
)
def test_no_unsafe_calls(pattern):
    rx = re.compile(pattern, re.MULTILINE)
    hits = [f"{p.relative_to(ROOT)}" for p in SOURCES if rx.search(p.read_text(encoding="utf-8"))]
    assert not hits, hits
