"""Issue 20's safety items: no formula in any spreadsheet the tool hands out (1), plan files read
with bounds (2), no stack traces for users (3), the admin password (5), and user text shown as
plain text (16).

A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or carriage return before one)
as a formula (OWASP, "CSV injection"). The checks below read the files back as a spreadsheet
would: openpyxl without data_only (a formula cell has data_type "f") and the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api, report
from model import password as pw
from model import plan as planmod
from model.cli import main
from model.index.scenario import Scenario
from model.plan import library
from model.spreadsheet import csv_text, frame_csv, restore
from model.workspace import ProgressEntry, Workspace

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bac-giang"
NAME = '=HYPERLINK("http://x","y")'
TEXTS = {  # each field of a target, a formula in disguise (read back exactly)
    "target_text": "+1+1",
    "lead_unit": "-2+3",
    "coordinating_units": '@SUM(1,1) cmd|" /C calc"!A0',
    "tasks": "=1+1",
}
SPACED = {"timeframe": "\t=1+1"}  # leading white space: neutralised (a reader strips it)
NOTE, AUTHOR = "=2+2", "@tác giả"
RISKY = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def live(cell: str) -> bool:
    """A CSV cell a spreadsheet would run: it starts with a formula character and is not a
    plain number."""
    return cell.startswith(RISKY) and not is_number(cell)


def formulas(data: bytes) -> list[str]:
    """Every formula cell of a workbook, as Sheet!A1."""
    wb = openpyxl.load_workbook(io.BytesIO(data))  # not data_only: a formula stays a formula
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def xlsx_texts(data: bytes) -> set[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value}


def csv_cells(data: bytes | str) -> list[str]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


@pytest.fixture(scope="module")
def ed(built):
    return api.edition(2023)


def hostile_plan(ed) -> planmod.Plan:
    plan = planmod.new_plan(
        ed, UNIT, NAME, {"2.2.3": 60.0, "6.3.3": 70.0}, author=AUTHOR, note=NOTE
    )
    first = replace(plan.targets[0], **TEXTS, **SPACED)
    return replace(plan, targets=(first, *plan.targets[1:]))


# ---- 1. formula injection: the shared rule -------------------------------------------------
@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-x", "@A1", "\t=1", "\r=1", "'=1", "''", "'-", "'a", "a=b", ""]
)
def test_a_csv_cell_is_neutralised_and_reads_back_as_typed(text):
    cell = csv_text(text)
    assert not live(cell) and restore(cell) == text


@pytest.mark.parametrize("value", [-5, 2.5, "-5", "-12,5", "+3", "1e-3", None])
def test_numbers_stay_numbers(value):
    assert csv_text(value) == value


def test_a_table_download_keeps_numbers_and_neutralises_text():
    frame = pd.DataFrame({"name": [NAME, "Hà Nội"], "x": [-1.5, 2.0], "t": ["-3", "@b"]})
    cells = csv_cells(frame_csv(frame))
    assert not [c for c in cells if live(c)]
    assert cells[3:6] == ["'" + NAME, "-1.5", "-3"]  # numbers, numeric text: as they are


# ---- 1. every exporter ---------------------------------------------------------------------
@pytest.mark.parametrize("layout", list(planmod.LAYOUTS))
def test_the_plan_workbook_has_no_formula(ed, layout):
    data = planmod.plan_to_xlsx(hostile_plan(ed), layout)
    assert formulas(data) == []
    assert set(TEXTS.values()) <= xlsx_texts(data)  # shown as typed


@pytest.mark.parametrize("layout", list(planmod.LAYOUTS))
def test_the_plan_csv_has_no_live_cell_and_reads_back(ed, layout):
    plan = hostile_plan(ed)
    text = planmod.plan_to_csv(plan, layout)
    assert [c for c in csv_cells(text) if live(c)] == []
    back = planmod.read_plan_file(text.encode("utf-8-sig"), ed, UNIT)
    got = back.targets[0]
    assert {k: getattr(got, k) for k in TEXTS} == TEXTS


def test_the_report_workbook_has_no_formula(ed):
    plan = hostile_plan(ed)
    progress = [
        ProgressEntry(
            id=1,
            plan_id="x",
            unit=UNIT,
            code="2.2.3",
            kind="score",
            value=20.0,
            score=20.0,
            as_of=dt.date(2024, 6, 1),
            note=NOTE,
            author=AUTHOR,
            recorded_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
        )
    ]
    rep = report.build(Scenario(unit=UNIT, edition=2023), label=NAME, plan=plan, progress=progress)
    data = report.to_xlsx(rep)
    assert formulas(data) == []
    assert {NAME, NOTE, AUTHOR, *TEXTS.values()} <= xlsx_texts(data)


@pytest.fixture
def saved(built, fresh_workspace, ed) -> planmod.Plan:
    return library.save_plan(hostile_plan(ed))


@pytest.mark.parametrize(
    ("suffix", "layout"), [(".csv", "plan"), (".xlsx", "plan"), (".csv", "seed")]
)
def test_the_cli_plan_export_has_no_formula(saved, tmp_path, capsys, suffix, layout):
    out = tmp_path / f"p{suffix}"
    assert main(["plan", "export", saved.plan_id, "--out", str(out), "--layout", layout]) == 0
    if suffix == ".xlsx":
        assert formulas(out.read_bytes()) == []
    else:
        assert [c for c in csv_cells(out.read_bytes()) if live(c)] == []


def test_the_cli_report_has_no_formula(saved, tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    code = main(
        ["report", "--unit", UNIT, "--edition", "2023", "--plan", saved.plan_id, "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert formulas(out.read_bytes()) == [] and NAME in xlsx_texts(out.read_bytes())


def test_every_csv_download_on_the_pages_goes_through_the_shared_rule():
    """The pages' CSV downloads: pandas' to_csv writes text as it is, so none is called from
    ui/ or pages/ (frame_csv or the plan's own exporters instead)."""
    found = [
        f"{p.relative_to(ROOT)}:{k}"
        for tree in ("ui", "pages")
        for p in sorted((ROOT / tree).rglob("*.py"))
        for k, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if ".to_csv(" in line
    ]
    assert found == []


# ---- 2. plan files with bounds -------------------------------------------------------------
IMPORT = ["plan", "import", "{}", "--unit", UNIT, "--edition", "2023", "--name", "x"]


def run_cli(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The command line as a program, so a read that would hang or grow is cut by `timeout`."""
    return subprocess.run(
        [sys.executable, "-m", "model", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def _import(path: object) -> list[str]:
    return [a.format(path) for a in IMPORT]


def test_plan_import_refuses_a_pipe_and_a_device(built, fresh_workspace, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path in (fifo, "/dev/zero", tmp_path):
        got = run_cli(*_import(path), timeout=60)
        assert got.returncode == 2, (path, got.stderr[-500:])
        assert got.stderr.startswith("Lỗi: ") and "không phải một tệp thông thường" in got.stderr
        assert "Traceback" not in got.stderr
    assert Workspace().list_plans() == []


def test_plan_import_refuses_a_file_over_the_limit_before_reading_it(
    built, fresh_workspace, tmp_path, capsys
):
    big = tmp_path / "lon.csv"
    with big.open("wb") as fh:  # sparse: 6 MB that take no room
        fh.truncate(6_000_000)
    assert main([*_import(big), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "6,000,000 bytes" in err


def long_cell_csv() -> bytes:
    return ("code,target,tasks\n2.2.3,50," + "x" * 200_000 + "\n").encode()


def test_plan_import_of_a_huge_cell_is_a_message(built, fresh_workspace, tmp_path, capsys):
    path = tmp_path / "o.csv"
    path.write_bytes(long_cell_csv())
    for lang, start in (("vi", "Lỗi: Không đọc được tệp CSV"), ("en", "Error: The CSV file")):
        assert main([*_import(path), "--lang", lang]) == 2
        assert capsys.readouterr().err.startswith(start)
    assert Workspace().list_plans() == []


def test_the_plan_page_says_what_is_wrong_with_a_huge_cell(built, fresh_workspace):
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.run()
    at.switch_page("pages/plan.py").run()
    at.file_uploader(key="plan_upload").upload("o.csv", long_cell_csv(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Không đọc được tệp CSV" in e.value for e in at.error)


# ---- 3. no stack traces to users ------------------------------------------------------------
def test_users_get_a_message_and_the_log_keeps_the_details():
    from streamlit.config import ShowErrorDetailsConfigOptions as Options

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    value = config["client"]["showErrorDetails"]
    assert value in {o.value for o in Options}  # a value Streamlit knows
    assert value in (Options.NONE, Options.TYPE)  # no traceback, no exception text on screen


# ---- 5. the admin password ------------------------------------------------------------------
def test_a_scrypt_hash_is_checked_and_the_plain_form_still_works():
    secret = pw.hash_password("Mật-khẩu riêng 2026")
    assert re.fullmatch(r"scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}", secret)
    assert pw.verify("Mật-khẩu riêng 2026", secret) and not pw.verify("mật-khẩu", secret)
    assert pw.hash_password("a") != pw.hash_password("a")  # a fresh salt each time
    assert pw.verify("plain", "plain") and not pw.verify("plai", "plain")
    assert pw.unusable(secret) is None and pw.unusable("plain") is None


def test_the_comparison_takes_constant_time(monkeypatch):
    import hmac

    calls = []
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append((a, b)) or a == b)
    pw.verify("x", pw.hash_password("x", n=2**4))
    pw.verify("x", "y")
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        ("CHANGE-ME-TOO", "example"),
        (" CHANGE-ME-TOO ", "example"),
        (pw.hash_password("CHANGE-ME-TOO", n=2**4), "example"),
        ("   ", "empty"),
        ("scrypt$16384$8$1$abc", "malformed"),
        ("scrypt$1073741824$8$1$c2FsdA$" + "A" * 43, "malformed"),  # too costly: never computed
    ],
    # fixed ids: the hash's salt is random, and pytest-xdist's workers must collect the same ids
    ids=["plain", "spaces", "hashed", "empty", "short-hash", "too-costly"],
)
def test_the_readme_example_and_broken_hashes_are_refused(secret, why):
    assert pw.unusable(secret) == why


def admin_hash(monkeypatch, capsys, typed: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code = main(["admin-hash", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_makes_a_hash(monkeypatch, capsys):
    code, out, err = admin_hash(monkeypatch, capsys, "riêng-của-tôi\n")
    assert code == 0 and out.count("\n") == 1 and "secrets.toml" in err
    assert pw.verify("riêng-của-tôi", out.strip()) and "riêng-của-tôi" not in out + err
    for typed in ("CHANGE-ME-TOO\n", "\n"):
        code, out, err = admin_hash(monkeypatch, capsys, typed, "--lang", "en")
        assert code == 2 and out == "" and err.startswith("Error: ")


def gate_app() -> None:
    import streamlit as st

    from ui import access

    st.markdown(f"gate={access.data_change_gate('vi', key='imp')}")


def gate(**secrets: object) -> AppTest:
    from ui import access

    access.reset_failures()
    at = AppTest.from_function(gate_app, default_timeout=30)
    for k, v in secrets.items():
        at.secrets[k] = v
    return at.run()


def test_the_gate_refuses_the_readme_example():
    at = gate(admin_password="CHANGE-ME-TOO")
    assert "gate=False" in [m.value for m in at.markdown]
    assert not at.text_input  # no form: the example can never unlock
    assert "giá trị ví dụ" in at.error[0].value


def test_the_gate_opens_with_the_hashed_password():
    at = gate(admin_password=pw.hash_password("đúng-rồi", n=2**4))
    at.text_input(key="imp_password").input("đúng-rồi")
    at.get("form_submit_button")[0].click().run()
    assert "gate=True" in [m.value for m in at.markdown]


def test_the_lockout_uses_the_forwarded_address_only_behind_a_trusted_proxy(monkeypatch):
    from ui.access import LOCAL, client_address

    xff = "203.0.113.9, 198.51.100.7"  # the client's claim, then what the proxy saw
    assert client_address("10.0.0.2", xff, 0) == "10.0.0.2"  # no trusted proxy: the peer
    assert client_address("10.0.0.2", xff, 1) == "198.51.100.7"  # the proxy's own entry
    assert client_address("10.0.0.2", xff, 2) == "203.0.113.9"
    assert client_address("10.0.0.2", None, 1) == "10.0.0.2"  # no header: the peer
    assert client_address(None, None, 0) == LOCAL


@pytest.mark.parametrize(("env", "n"), [(None, 0), ("true", 1), ("2", 2), ("no", 0)])
def test_the_deployment_says_whether_the_proxy_is_trusted(monkeypatch, env, n):
    from ui import access

    if env is None:
        monkeypatch.delenv("PII_TRUSTED_PROXY", raising=False)
    else:
        monkeypatch.setenv("PII_TRUSTED_PROXY", env)
    monkeypatch.setattr(access, "_secret", lambda key: None)
    assert access.trusted_proxies() == n


def test_the_readme_shows_no_plain_example_password():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'admin_password = "CHANGE-ME-TOO"' not in readme
    assert "python -m model admin-hash" in readme


# ---- 16. user text as plain text -------------------------------------------------------------
# GFM's autolink literals (mdast-util-gfm-autolink-literal), matched on the text after the
# markdown escapes are read: what Streamlit's markdown turns into a live link.
GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE)
GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


def unescaped(md: str) -> str:
    """The text markdown shows for `md` (backslash escapes read)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)


def links_in(md: str) -> list[str]:
    text = unescaped(md)
    return [m.group(0) for m in (*GFM_URL.finditer(text), *GFM_EMAIL.finditer(text))]


@pytest.mark.parametrize(
    "text",
    ["http://evil.example/x", "HTTPS://a.b", "www.evil.example", "WWW.a.vn", "a.b@evil.example"],
)
def test_md_text_never_makes_a_link(text):
    from ui.widgets import md_text

    assert links_in(md_text(text)) == []
    assert unescaped(md_text(text)).replace("\u2060", "") == text  # and reads as typed


def test_the_meeting_screen_shows_a_plan_name_with_a_url_as_text(built, fresh_workspace):
    ed = api.edition(2023)
    name = "Kế hoạch www.evil.example http://evil.example a@evil.example"
    plan = library.save_plan(planmod.new_plan(ed, UNIT, name, {"2.2.3": 60.0}))
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    for key, value in {"unit": UNIT, "edition": "2023", "plan": plan.plan_id}.items():
        at.query_params[key] = value
    at.switch_page("pages/meeting.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [m.label for m in at.metric] + [m.value for m in at.markdown]
    shown += [e.value for kind in ("warning", "info", "caption") for e in at.get(kind)]
    named = [s for s in shown if "evil" in s]
    assert named, "the plan's name is on the screen"
    assert [links_in(s) for s in named] == [[] for _ in named]


# ---- 15. links that name what does not exist -------------------------------------------------
def opened(page: str, **params: str) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def said(at: AppTest) -> str:
    """The page's messages as they read (markdown escapes undone)."""
    return unescaped("\n".join(e.value for k in ("warning", "info", "error") for e in at.get(k)))


@pytest.mark.parametrize("edition", ["2023", "2025"])
def test_an_unknown_unit_on_the_meeting_screen_is_said(built, fresh_workspace, edition):
    at = opened("meeting", unit="atlantis", edition=edition)
    text = said(at)
    assert "Không tìm thấy địa phương" in text and "unit=atlantis" in text
    assert "sáp nhập" not in text  # nobody asked for Bắc Giang: no merger to explain


def test_an_unknown_unit_is_said_in_english(built, fresh_workspace):
    text = said(opened("meeting", unit="atlantis", lang="en"))
    assert "was not found" in text and "unit=atlantis" in text and "; showing " in text


def test_an_unknown_plan_on_the_plan_page_is_said(built, fresh_workspace):
    at = opened("plan", unit=UNIT, edition="2023", plan="no-such-plan")
    assert any(
        "no-such-plan" in w.value.replace("\\", "") and "Không tìm thấy kế hoạch" in w.value
        for w in at.warning
    )
    at.run()  # said once, not on every rerun
    assert not any("no-such-plan" in w.value.replace("\\", "") for w in at.warning)


# ---- 19. no developer words on the screens ---------------------------------------------------
DEV_WORDS = re.compile(
    r"[\w./-]+\.(csv|toml|md|py|duckdb)\b|\bdata/|README|secrets|\bPII_[A-Z_]+|python -m"
)
# Library sentences that reach a screen through err() (the Budget, Data and Movers pages).
LIBRARY_ON_SCREEN = (
    "budget.err_no_economy",
    "budget.err_no_economy_item",
    "budget.err_no_growth",
    "merge.note_population_equal",
    "merge.note_population_mean",
    "movers.err_no_actionable",
)


def screen_ids() -> set[str]:
    """Every message id named in ui/, pages/ and app.py."""
    found = {*LIBRARY_ON_SCREEN}
    files = [*(ROOT / "ui").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]
    for path in files:
        found |= set(re.findall(r"[\"']([a-z_]+\.[a-z0-9_]+)[\"']", path.read_text("utf-8")))
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_screen_sentences_name_no_file_or_setting(lang):
    from model import i18n

    bad = {}
    for msg_id in sorted(screen_ids()):
        text = i18n.catalogue(lang).get(msg_id) or ""
        text = " ".join(text) if isinstance(text, tuple) else text
        if DEV_WORDS.search(text):
            bad[msg_id] = text[:120]
    assert bad == {}
