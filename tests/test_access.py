"""Read-only meeting mode, the admin password for data changes, and accessibility checks that
need no browser: chart text alternatives and colour contrast computed from the colours in use.

AppTest runs the app in this process, so the server-side switches are set with monkeypatch
(PII_READ_ONLY) or AppTest's own secrets (`at.secrets`), never with a secrets file.
"""

from __future__ import annotations

import ast
import os
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model.index.scenario import Scenario
from model.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
APP = "../app.py"
SAVED = "Họp thử"
WRITE_FORMS = {"save_form", "progress_form", "bud_save"}  # the forms that store user data


@pytest.fixture(autouse=True)
def _clean(built, fresh_workspace, monkeypatch):
    from ui import access

    monkeypatch.delenv("PII_READ_ONLY", raising=False)
    st.cache_data.clear()
    access.reset_failures()  # wrong passwords are counted per server process, not per test
    yield
    access.reset_failures()
    st.cache_data.clear()


def page(name: str, *, secrets: dict | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    if name != "overview":  # the link opens that page, as in a browser
        at.switch_page(f"pages/{name}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def keys(elements) -> set[str]:
    return {e.key for e in elements if e.key}


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in (at.info, at.error, at.warning, at.success) for e in kind]
    return "\n".join(str(p) for p in parts)


def write_controls(at: AppTest) -> dict[str, set]:
    """Every control on a page that writes user data (by label or key)."""
    return {
        "submit": {b.form_id for b in at.get("form_submit_button")} & WRITE_FORMS,
        "buttons": {k for k in keys(at.button) if k.startswith(("delete_", "do_rename_"))},
        "inputs": keys(at.text_input) & {"save_name", "bud_set_name", "pr_who"},
    }


# ---- read-only: the pages ---------------------------------------------------------------------
def _saved_scenario() -> None:
    Workspace().save_scenario(SAVED, Scenario(unit="bac-giang", edition=2023), overwrite=True)


def test_scenario_page_write_controls_off_and_on(monkeypatch):
    _saved_scenario()
    at = page("scenario")
    found = write_controls(at)
    assert found["submit"] == {"save_form"} and "save_name" in found["inputs"]
    assert {k.split("_")[0] for k in found["buttons"]} == {"delete", "do"}

    monkeypatch.setenv("PII_READ_ONLY", "1")
    ro = page("scenario")
    assert write_controls(ro) == {"submit": set(), "buttons": set(), "inputs": set()}
    # the only form left sets a raw value in this session's scenario; nothing is stored
    assert [b.form_id for b in ro.get("form_submit_button")] == ["raw_form"]
    # everything else is still there: the result, the saved list (open only), the comparison
    assert [m.label for m in ro.metric][:2] == [m.label for m in at.metric][:2]
    assert any(k.startswith("load_") for k in keys(ro.button))
    assert len(ro.dataframe) == len(at.dataframe) >= 2  # the ranking and the comparison
    assert "Chế độ chỉ xem" in texts(ro)


def test_plan_page_hides_progress_recording():
    at = page("plan")
    assert write_controls(at)["submit"] == {"progress_form"}
    ro = page("plan", mode="meeting")
    assert not ro.get("form_submit_button")
    assert "pr_value" not in keys(ro.text_input)
    # reading stays: the table, the reports and loading another plan's CSV (session only)
    assert len(ro.dataframe) == len(at.dataframe) >= 1
    assert "plan_upload" in {e.key for e in ro.get("file_uploader")}


def test_budget_page_hides_saving_assumption_sets():
    at = page("budget")
    assert "bud_set_name" in keys(at.text_input)
    ro = page("budget", secrets={"read_only": True})
    assert "bud_set_name" not in keys(ro.text_input)
    assert not ro.get("form_submit_button")
    assert len(ro.dataframe) == len(at.dataframe)
    assert [m.value for m in ro.metric] == [m.value for m in at.metric]


def test_a_link_cannot_turn_forced_read_only_off(monkeypatch):
    monkeypatch.setenv("PII_READ_ONLY", "1")
    _saved_scenario()
    at = page("scenario", mode="edit")
    assert write_controls(at)["submit"] == set()
    assert any("mode=edit" in w.value for w in at.warning)  # an invalid parameter, said so


def test_the_meeting_toggle_enters_and_leaves_session_read_only():
    _saved_scenario()
    at = page("meeting")
    toggle = at.toggle(key="meet_read_only")
    assert toggle.value is False and not toggle.disabled
    toggle.set_value(True).run()
    at.switch_page("pages/scenario.py").run()
    assert not at.exception
    assert write_controls(at)["submit"] == set()
    at.switch_page("pages/meeting.py").run()
    assert at.toggle(key="meet_read_only").value is True
    at.toggle(key="meet_read_only").set_value(False).run()
    at.switch_page("pages/scenario.py").run()
    assert write_controls(at)["submit"] == {"save_form"}


def test_forced_read_only_disables_the_toggle(monkeypatch):
    monkeypatch.setenv("PII_READ_ONLY", "true")
    at = page("meeting")
    toggle = at.toggle(key="meet_read_only")
    assert toggle.value is True and toggle.disabled


def test_the_meeting_link_keeps_the_mode():
    at = page("meeting", mode="meeting")
    assert "mode=meeting" in at.code[-1].value


# ---- the admin password -------------------------------------------------------------------------
def gate_app() -> None:
    import streamlit as st

    from ui import access

    ok = access.data_change_gate("en", key="imp")
    st.markdown(f"gate={ok}")
    if ok:
        st.button("Import", key="do_import")


def gate(**secrets: object) -> AppTest:
    at = AppTest.from_function(gate_app, default_timeout=30)
    for k, v in secrets.items():
        at.secrets[k] = v
    return at.run()


def state(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("gate="))


def test_without_a_password_data_changes_are_disabled():
    at = gate()
    assert state(at) == "gate=False"
    info = at.info[0].value  # what to do, in a user's terms: no setting or file name
    assert "administrator" in info and "disabled" in info and "secrets" not in info
    assert not at.text_input and not at.button


def test_the_password_unlocks_for_the_session_only():
    at = gate(admin_password="đúng-mật-khẩu")
    box = at.text_input(key="imp_password")
    assert box.proto.type == box.proto.PASSWORD  # masked as it is typed
    box.input("sai")  # typed and submitted together, as a form does
    at.get("form_submit_button")[0].click().run()
    assert state(at) == "gate=False"
    assert "Wrong password" in at.error[0].value and "sai" not in at.error[0].value
    assert at.text_input(key="imp_password").value == ""  # never kept
    at.text_input(key="imp_password").input("đúng-mật-khẩu")
    at.get("form_submit_button")[0].click().run()
    assert state(at) == "gate=True" and keys(at.button) >= {"do_import", "imp_lock"}
    assert not at.error
    page_text = texts(at) + "".join(str(b.label) for b in at.button)
    assert "đúng-mật-khẩu" not in page_text
    assert "đúng-mật-khẩu" not in repr(at.session_state.to_dict())
    at.button(key="imp_lock").click().run()
    assert state(at) == "gate=False"
    # another session starts locked
    assert state(gate(admin_password="đúng-mật-khẩu")) == "gate=False"


def test_wrong_attempts_pause_the_form():
    from ui import access

    at = gate(admin_password="x")
    for _ in range(access.MAX_FAILURES):
        at.text_input(key="imp_password").input("y")
        at.get("form_submit_button")[0].click().run()
    assert "Too many wrong attempts" in at.error[0].value
    assert at.get("form_submit_button")[0].disabled
    assert state(at) == "gate=False"


def test_read_only_closes_the_gate_without_a_form(monkeypatch):
    monkeypatch.setenv("PII_READ_ONLY", "1")
    at = gate(admin_password="x")
    assert state(at) == "gate=False" and not at.text_input
    assert "Read-only" in at.caption[0].value


# ---- secrets to the environment -----------------------------------------------------------------
def store_app() -> None:
    import os

    import streamlit as st

    from ui import access

    access.export_store_url()
    st.markdown(f"set={bool(os.environ.get('PII_STORE_URL'))}")


def test_store_url_is_copied_from_secrets_once_and_never_shown():
    before = os.environ.pop("PII_STORE_URL", None)
    try:
        at = AppTest.from_function(store_app, default_timeout=30)
        at.secrets["store_url"] = "postgresql://u:p@db.example/pii"
        at.run()
        assert at.markdown[0].value == "set=True"
        assert os.environ["PII_STORE_URL"] == "postgresql://u:p@db.example/pii"
        assert "p@db" not in texts(at)
        os.environ["PII_STORE_URL"] = "postgresql://env-wins/pii"  # an explicit value wins
        at.run()
        assert os.environ["PII_STORE_URL"] == "postgresql://env-wins/pii"
    finally:
        os.environ.pop("PII_STORE_URL", None)
        if before is not None:
            os.environ["PII_STORE_URL"] = before


def password_app() -> None:
    import streamlit as st

    from ui import access

    st.markdown(repr((access.admin_password(), access.read_only())))


def test_no_secrets_file_means_no_password_and_no_error():
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()
    at = AppTest.from_function(password_app, default_timeout=30).run()
    assert not at.exception and not at.error
    assert at.markdown[0].value == "(None, False)"


# ---- the province picker ---------------------------------------------------------------------
def test_the_province_picker_is_in_vietnamese_alphabetical_order():
    from ui.widgets import vi_sort_key

    at = page("overview")
    labels = at.selectbox(key="unit").options
    assert len(labels) == 63
    # a < ă < â < b ... < d < đ: letters first, tone marks only break ties
    assert labels.index("Bà Rịa - Vũng Tàu") < labels.index("Bạc Liêu") < labels.index("Bắc Giang")
    assert labels.index("Bạc Liêu") < labels.index("Bình Định")
    assert labels.index("Bình Dương") < labels.index("Bình Định")
    assert labels.index("Cà Mau") < labels.index("Cao Bằng") < labels.index("Cần Thơ")
    assert labels.index("Cần Thơ") < labels.index("Đà Nẵng")
    assert labels == sorted(labels, key=vi_sort_key)


def test_vietnamese_sort_key():
    from ui.widgets import fold, vi_sort_key

    words = ["Đà Nẵng", "Da", "Ăn", "An", "Ân", "Bà", "Ba", "Bá", "Bả", "Bã", "Bạ", "Bác"]
    assert sorted(words, key=vi_sort_key) == [
        "An", "Ăn", "Ân", "Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Bác", "Da", "Đà Nẵng",
    ]  # fmt: skip
    assert fold("Đồng Nai") == "dong nai" and fold("  Bà Rịa -  Vũng Tàu ") == "ba ria vung tau"


def test_searching_without_diacritics_finds_the_province():
    at = page("overview")
    at.text_input(key="unit_search").input("dong nai").run()
    assert not at.exception
    assert at.selectbox(key="unit").value == "dong-nai"
    assert "Đồng Nai" in texts(at) + " ".join(t.value for t in at.title)
    at.text_input(key="unit_search").input("ha").run()  # several: the list shows the matches
    options = at.selectbox(key="unit").options
    assert {"Hà Nội", "Hà Giang", "Hải Phòng"} <= set(options) and len(options) < 12
    assert at.selectbox(key="unit").value in {"ha-giang", "ha-nam", "ha-noi", "ha-tinh"}
    at.text_input(key="unit_search").input("zzz").run()  # none: said so, the full list stays
    assert len(at.selectbox(key="unit").options) == 63
    assert "zzz" in texts(at)
    at = page("overview", lang="en")
    at.text_input(key="unit_search").input("đồng tháp").run()  # accents typed: found too
    assert at.selectbox(key="unit").value == "dong-thap"


# ---- charts: every plotly chart has a text alternative ------------------------------------------
# The pages and the ui panels they draw through (scenario results, movers, merge view...).
CHART_FILES = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "ui").rglob("*.py"))


def test_every_plotly_chart_has_alt_text_and_its_numbers_nearby():
    calls = 0
    for path in CHART_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "plotly_chart":
                calls += 1
                assert "alt" in {k.arg for k in node.keywords}, f"{path.name}:{node.lineno}"
        for node in ast.walk(tree):  # overview draws through widgets.chart(..., alt=...)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "chart":
                assert "alt" in {k.arg for k in node.keywords}, f"{path.name}:{node.lineno}"
    assert calls >= 6


def test_chart_alternatives_on_the_scenario_page():
    at = page("scenario")
    at.button(key="preset_plan").click().run()
    assert not at.exception
    # the pillars chart's numbers in a table, under the shared label, in the reader's format
    table = next(t for t in at.table if "Trụ cột" in t.value.columns)
    assert len(table.value) == 7 and table.value["Δ"].str.match(r"^[+−-]?\d+,\d\d$").all()
    assert "Số liệu của biểu đồ" in [e.label for e in at.expander]


# ---- contrast (WCAG 2.1 AA: text 4.5:1, marks and controls 3:1) ----------------------------------
def _channel(v: float) -> float:
    v /= 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


NAMED = {"white": "#ffffff", "black": "#000000"}


def luminance(colour: str) -> float:
    colour = NAMED.get(colour, colour)
    m = re.fullmatch(r"#([0-9a-fA-F]{6})", colour)
    assert m, colour
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_known_values():
    # WCAG's own extremes and a well-known pair (#767676 on white is the lightest AA grey).
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_theme_colours_pass_aa_for_text():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    text, bg, bg2 = theme["textColor"], theme["backgroundColor"], theme["secondaryBackgroundColor"]
    assert contrast(text, bg) >= 7 and contrast(text, bg2) >= 7  # AAA: projectors wash out
    assert contrast(theme["primaryColor"], bg) >= 4.5  # links, selected options
    assert contrast(theme["primaryColor"], bg2) >= 4.5
    assert contrast("#ffffff", theme["primaryColor"]) >= 4.5  # label on a primary button
    from ui.widgets import HIGHLIGHT, TEXT_DARK

    highlight = re.search(r"background-color: (#\w{6})", HIGHLIGHT).group(1)
    assert contrast(TEXT_DARK, highlight) >= 4.5


def _colours(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return []  # numbers mapped through a colour axis: checked with the scale


def figure_colours(fig: dict) -> tuple[list[str], list[str], str]:
    """(mark colours, text colours, plot background) of a plotly figure dict."""
    layout = fig.get("layout", {})
    bg = layout.get("plot_bgcolor", "white")
    marks: list[str] = []
    texts_: list[str] = [layout.get("font", {}).get("color", "#444444")]
    for tr in fig.get("data", []):
        marks += _colours(tr.get("marker", {}).get("color"))
        marks += _colours(tr.get("line", {}).get("color"))
        for part in ("increasing", "decreasing", "totals"):
            marks += _colours(tr.get(part, {}).get("marker", {}).get("color"))
        texts_ += _colours(tr.get("textfont", {}).get("color"))
        if tr.get("marker", {}).get("coloraxis"):
            rim = tr["marker"].get("line", {}).get("color", "white")
            scale = layout["coloraxis"]["colorscale"]
            for _, stop in scale:  # each stop is visible itself, or the dark rim keeps 3:1
                assert max(contrast(stop, bg), contrast(rim, bg)) >= 3, (stop, rim)
    for shape in layout.get("shapes", []):
        marks += _colours(shape.get("line", {}).get("color"))
    for ann in layout.get("annotations", []):
        texts_ += _colours(ann.get("font", {}).get("color"))
    for axis in ("xaxis", "yaxis"):
        texts_ += _colours(layout.get(axis, {}).get("tickfont", {}).get("color"))
    return marks, texts_, bg


def _scenario_figures() -> list[dict]:
    from ui import charts as sf

    contrib = pd.DataFrame({"label": ["2.2.3", "5.1.1"], "delta_pii": [0.8, -0.2]})
    return [
        sf.pillars_before_after(list("ABCDEFG"), [40] * 7, [45] * 7, ("Gốc", "Kịch bản")),
        sf.contribution_waterfall(contrib, 46.51, "Kịch bản", "Gốc"),
        sf.movers_tornado(["2.2.3", "5.1.1"], [0.8, 0.3], [True, False], ["Sở KH&CN", ""]),
    ]


def _overview_figures(editions) -> list[dict]:
    from model import api
    from ui import figures

    ed = editions[2023]
    t = api.ranking(2023)
    names = {p: p for p in "1234567"}
    comp = figures.pillar_comparison(t, "bac-giang", names)
    bars = figures.pillar_bars(comp, {"unit": "A", "median": "M", "best": "B", "axis": "x"})
    regions = dict(zip(ed.regions["code"], ed.regions["name_vi"], strict=True))
    points = figures.bubble_map_data(t, ed.units, regions)
    bubbles = figures.bubble_map(points, "bac-giang", {}, list(ed.regions["code"]))
    return [bars.to_plotly_json(), bubbles.to_plotly_json()]


def test_chart_marks_and_text_have_enough_contrast(editions):
    from ui import charts as sf

    palette = [sf.BLUE, sf.GREY, sf.GREEN, sf.RED, sf.ORANGE]
    for colour in palette:  # the budget and movers pages draw with these constants
        assert contrast(colour, "#ffffff") >= 3, colour
    assert contrast(sf.DARK, "#ffffff") >= 7
    checked = 0
    for fig in _scenario_figures() + _overview_figures(editions):
        marks, text_colours, bg = figure_colours(fig)
        for colour in marks:
            if colour.startswith("#"):
                assert contrast(colour, bg) >= 3, (colour, bg)
                checked += 1
        for colour in text_colours:
            assert contrast(colour, bg) >= 4.5, (colour, bg)
    assert checked >= 8


def test_page_figures_use_the_palette_only():
    """The budget, movers and scenario pages (and the panels and figure builders they draw
    through) build figure dicts inline: no colour outside the palette."""
    from ui import charts as sf

    allowed = {sf.BLUE, sf.GREY, sf.GREEN, sf.RED, sf.ORANGE, sf.DARK, sf.GRID}
    files = [ROOT / "pages" / f"{name}.py" for name in ("budget", "movers", "scenario")]
    files += [ROOT / "ui" / "charts.py", ROOT / "ui" / "scenario" / "results.py"]
    files += [ROOT / "ui" / "movers" / "panels.py"]
    for path in files:
        code = path.read_text(encoding="utf-8")
        assert set(re.findall(r'"(#[0-9a-fA-F]{6})"', code)) <= allowed, path.name


def _five_wrong(at: AppTest) -> None:
    from ui import access

    for _ in range(access.MAX_FAILURES):
        at.text_input(key="imp_password").input("y")
        at.get("form_submit_button")[0].click().run()


def test_the_pause_survives_a_reload_and_a_new_tab():
    at = gate(admin_password="x")
    _five_wrong(at)
    again = gate(admin_password="x")  # a reload: a new session, nothing in session state
    assert again.get("form_submit_button")[0].disabled
    assert "Too many wrong attempts" in again.error[0].value
    assert state(again) == "gate=False"


def test_wrong_tries_count_across_sessions():
    from ui import access

    first = gate(admin_password="x")
    first.text_input(key="imp_password").input("y")
    first.get("form_submit_button")[0].click().run()
    second = gate(admin_password="x")  # another tab: one try fewer left
    second.text_input(key="imp_password").input("y")
    second.get("form_submit_button")[0].click().run()
    assert f"{access.MAX_FAILURES - 2}" in second.error[0].value


def test_failures_are_counted_per_client_address_and_thread_safe():
    import threading

    from ui import access

    throttle = access.Throttle(1000, 60)
    threads = [
        threading.Thread(target=lambda: [throttle.fail("10.0.0.1", 0.0) for _ in range(100)])
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert throttle.failures("10.0.0.1", 0.0) == 800
    assert throttle.failures("10.0.0.2", 0.0) == 0  # another address has its own count
    small = access.Throttle(2, 60)
    small.fail("a", 0.0)
    small.fail("a", 0.0)
    assert small.locked_for("a", 1.0) == pytest.approx(59.0)
    assert small.locked_for("b", 1.0) == 0
    assert small.locked_for("a", 61.0) == 0  # the pause ends


def test_secrets_file_is_ignored_by_git():
    """The README says to keep .streamlit/secrets.toml out of version control; .gitignore did
    not list it (defects issue, item 21)."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        ["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=root, check=False
    )
    assert done.returncode == 0
