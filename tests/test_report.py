"""Reports: the workbook read back with openpyxl, the standalone HTML, and `report` on the CLI."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from model import api, i18n, report
from model.cli.report import add_commands
from model.fmt import number
from model.i18n_extract import ids_in_template
from model.index.scenario import Scenario, ScenarioError
from model.report import files as report_files
from model.workspace import ProgressEntry, Workspace

BASE = Scenario(unit="bac-giang", edition=2023)
VI_SHEETS = [
    "Hiện trạng",
    "Kịch bản",
    "Đóng góp",
    "Kế hoạch",
    "Sở ngành",
    "Tiến độ theo đơn vị",
    "Tiến độ",
    "Giả định",
]
EN_SHEETS = [
    "Baseline",
    "Scenario",
    "Contributions",
    "Plan",
    "Departments",
    "Progress by department",
    "Progress",
    "Assumptions",
]


def entry(code: str, score: float, day: int, note: str = "", kind: str = "score") -> ProgressEntry:
    return ProgressEntry(
        id=day,
        plan_id="bac-giang-2024",
        unit="bac-giang",
        code=code,
        kind=kind,
        value=score,
        score=score,
        as_of=dt.date(2024, 6, day),
        note=note,
        author="Lan",
        recorded_at=dt.datetime(2024, 6, day, 3, 0, tzinfo=dt.UTC),
    )


@pytest.fixture(scope="module")
def plan_report(built) -> report.Report:
    plan = api.plan()
    progress = [
        entry("2.2.3", 6.0, 20, "<b>quý II</b>"),
        entry("2.2.3", 4.0, 10),
        entry("6.3.3", 5.0, 1),
    ]
    return report.build(
        api.preset("plan-2024", BASE),
        label="Kế hoạch 2024",
        plan=plan,
        progress=progress,
        generated=dt.datetime(2026, 11, 27, 9, 0, tzinfo=report.VN_TIME),
    )


def workbook(rep: report.Report) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(report.to_xlsx(rep)))


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_workbook_sheets_headers_and_formats(plan_report):
    wb = workbook(plan_report)
    assert wb.sheetnames == VI_SHEETS
    headers = {ws.title: [c.value for c in ws[1]] for ws in wb}
    assert headers["Hiện trạng"][:3] == ["Cấp", "Mã", "Tên"]
    assert headers["Kịch bản"] == ["Chỉ tiêu", "Hiện trạng", "Kế hoạch", "Thay đổi"]
    assert headers["Đóng góp"][:7] == [
        "Mã",
        "Chỉ số",
        "Trụ cột",
        "Điểm hiện trạng",
        "Điểm kịch bản",
        "Δ điểm",
        "Δ PII",
    ]
    assert "Đơn vị chủ trì" in headers["Kế hoạch"] and "Nhiệm vụ, giải pháp" in headers["Kế hoạch"]
    assert headers["Sở ngành"][0] == "Sở, ngành chủ trì"
    assert headers["Tiến độ"][:3] == ["Mã", "Chỉ số", "Ngày đo"]
    assert headers["Giả định"] == ["Mục", "Nội dung"]
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert ws["A1"].font.bold
        assert ws.column_dimensions["A"].width >= 6
    sc = wb["Kịch bản"]
    assert sc["B2"].number_format == "#,##0.00" and sc["D2"].number_format.startswith("+#,##0.00")
    assert sc["B3"].number_format == "0"  # ranks are whole numbers
    assert wb["Tiến độ"]["C2"].number_format == "dd/mm/yyyy"


def test_workbook_numbers_are_the_models(plan_report):
    out = api.run(api.preset("plan-2024", BASE)).summary()
    wb = workbook(plan_report)
    sc = {r[0]: r[1:] for r in rows(wb["Kịch bản"])[1:]}
    # openpyxl writes 16 significant digits (as Excel keeps 15): equal to well below a cent.
    assert sc["PII"][0] == pytest.approx(out["baseline"]["pii"], abs=1e-9)
    assert sc["PII"][1] == pytest.approx(out["scenario"]["pii"], abs=1e-9)
    assert sc["Hạng"][:2] == (out["baseline"]["rank"], out["scenario"]["rank"]) == (11, 9)
    assert sc["PII"][2] == pytest.approx(out["scenario"]["pii"] - out["baseline"]["pii"], abs=1e-9)
    base = rows(wb["Hiện trạng"])
    assert base[1][5] == pytest.approx(46.51, abs=1e-9) and base[1][6] == 11
    assert len([r for r in base if r[0] == "Chỉ số"]) == 52
    contrib = rows(wb["Đóng góp"])[1:]
    total = contrib[-1]
    assert total[0] == "Tổng"
    assert total[6] == pytest.approx(out["scenario"]["pii"] - out["baseline"]["pii"], abs=1e-9)
    by_code = {c["code"]: c["delta_pii"] for c in out["contributions"]}
    assert {r[0]: r[6] for r in contrib[:-1]} == pytest.approx(by_code, abs=1e-9)
    depts = rows(wb["Sở ngành"])[1:]
    assert depts[-1][0] == "Tổng" and depts[-1][5] == 9
    assert sum(r[3] for r in depts[:-1]) == pytest.approx(depts[-1][3], abs=1e-9)
    plan_rows = rows(wb["Kế hoạch"])[1:]
    assert len(plan_rows) == 17 and plan_rows[0][:2] == (1, "1.1.1")
    assert any(r[6] == "≥ 10%" for r in plan_rows)


def test_workbook_progress_history_newest_first(plan_report):
    wb = workbook(plan_report)
    prog = rows(wb["Tiến độ"])[1:]
    assert [(r[0], r[5]) for r in prog] == [("2.2.3", 6.0), ("2.2.3", 4.0), ("6.3.3", 5.0)]
    assert prog[0][2] == dt.datetime(2024, 6, 20)  # a date cell, shown dd/mm/yyyy
    assert prog[0][9] == "<b>quý II</b>"  # text stays text
    assert prog[0][11] == dt.datetime(2024, 6, 20, 10, 0)  # recorded 03:00 UTC = 10:00 in Vietnam
    plan_rows = {r[1]: r for r in rows(wb["Kế hoạch"])[1:]}
    latest, done = plan_rows["2.2.3"][12], plan_rows["2.2.3"][14]
    assert latest == 6.0 and done == pytest.approx((6.0 - 2.43) / (10 - 2.43))


def test_english_workbook(built):
    rep = report.build(BASE.with_targets({"2.2.3": 30.0}), label="Try", lang="en", plan=api.plan())
    wb = workbook(rep)
    assert wb.sheetnames == EN_SHEETS
    assert [c.value for c in wb["Scenario"][1]] == [
        "Measure",
        "Baseline",
        "Plan",
        "Scenario: Try",
        "Change",
    ]


def test_html_is_standalone_and_shows_the_numbers_in_vietnamese(plan_report):
    html = report.to_html(plan_report)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="vi">' in html
    assert "48,34" in html and "46,51" in html and "+1,83" in html
    assert "Hạng 9/63" in html and "tăng 2 bậc" in html
    assert "27/11/2026" in html and "20/06/2024" in html
    assert "@media print" in html and "break-before: page" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<svg" in html and "xmlns" not in html
    assert "&lt;b&gt;quý II&lt;/b&gt;" in html and "<b>quý II</b>" not in html
    # The whole tasks text of the plan is in the report.
    assert "Hỗ trợ 100% chi phí gửi kết quả giải quyết TTHC" in html


def test_html_in_english_escapes_the_label(built):
    rep = report.build(
        BASE.with_targets({"2.2.3": 30.0}),
        label="<script>alert(1)</script>",
        lang="en",
        plan=api.plan(),
    )
    html = report.to_html(rep)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "48.34" in html and "Rank 9/63" in html
    pii = api.run(rep.scenario).summary()["scenario"]["pii"]
    assert number(pii, "en") in html


def test_a_unit_without_a_plan(built):
    rep = report.build(
        Scenario(unit="ha-noi", edition=2023), label="Hiện trạng", plan=api.plan(), progress=[]
    )
    assert rep.plan is None and len(report.headline(rep)) == 1
    wb = workbook(rep)
    assert wb.sheetnames == VI_SHEETS and len(rows(wb["Kế hoạch"])) == 1
    assert "Hà Nội" in report.to_html(rep)


# --- the CLI ----------------------------------------------------------------------------------


def cli(*argv: str) -> int:
    """The subcommand through a parser like model/__main__.py's (which adds 'Lỗi: …', exit 2)."""
    p = argparse.ArgumentParser(prog="python -m model")
    sub = p.add_subparsers(dest="command", required=True)
    add_commands(sub)
    args = p.parse_args(list(argv))
    return args.fn(args)


def test_cli_writes_both_formats(built, tmp_path: Path, capsys):
    xlsx, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    base = ["report", "--unit", "bac-giang", "--edition", "2023", "--preset", "plan-2024"]
    assert cli(*base, "--format", "xlsx", "--out", str(xlsx)) == 0
    assert "48,34" in capsys.readouterr().out
    assert cli(*base, "--out", str(html)) == 0  # the format from the file name
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == VI_SHEETS
    out = api.run(api.preset("plan-2024", BASE)).summary()
    assert wb["Kịch bản"]["C2"].value == pytest.approx(out["scenario"]["pii"], abs=1e-9)
    text = html.read_text(encoding="utf-8")
    assert "48,34" in text and "<script" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.xlsx"]  # no temp files


def test_cli_saved_scenario_and_english(built, tmp_path: Path):
    s = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 40.0),))
    Workspace().save_scenario("CLI báo cáo", s, overwrite=True)
    out = tmp_path / "s.html"
    assert (
        cli(
            "report",
            "--unit",
            "bac-giang",
            "--scenario",
            "CLI báo cáo",
            "--lang",
            "en",
            "--out",
            str(out),
        )
        == 0
    )
    text = out.read_text(encoding="utf-8")
    assert "CLI báo cáo" in text and number(api.run(s).summary()["scenario"]["pii"], "en") in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--scenario", "no such scenario"], "no saved scenario is called"),
        (["--preset", "plan-2099"], "unknown preset"),
        (["--edition", "1999"], "1999"),
        (["--edition", "abc"], "edition"),
        (["--unit", "atlantis"], "unknown unit"),
        (["--unit", "ha-noi", "--preset", "plan-2024"], "does not apply"),
    ],
)
def test_cli_bad_input_raises_scenario_error(built, tmp_path: Path, argv, message):
    out = tmp_path / "r.xlsx"
    args = ["report", "--unit", "bac-giang", *argv, "--out", str(out)]
    if argv.count("--unit"):
        args = ["report", *argv, "--out", str(out)]
    with pytest.raises(ScenarioError, match=message):
        cli(*args)
    assert list(tmp_path.iterdir()) == []


def test_cli_needs_a_format_and_an_existing_folder(built, tmp_path: Path):
    with pytest.raises(ScenarioError, match="--format"):
        cli("report", "--unit", "bac-giang", "--out", str(tmp_path / "r.pdf"))
    with pytest.raises(ScenarioError, match="does not exist"):
        cli("report", "--unit", "bac-giang", "--out", str(tmp_path / "nope" / "r.html"))


def test_write_is_atomic(plan_report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "r.html"
    out.write_text("old", encoding="utf-8")

    real = report_files.os.replace

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(report_files.os, "replace", fail)
    with pytest.raises(OSError):
        report.write(plan_report, "html", out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # the temporary file is gone
    monkeypatch.setattr(report_files.os, "replace", real)
    report.write(plan_report, "html", out)
    assert "48,34" in out.read_text(encoding="utf-8")


def test_bad_language_and_format_are_localized_errors(built, plan_report, tmp_path: Path):
    with pytest.raises(i18n.LocalizedError) as exc:
        report.build(BASE, label="x", lang="fr")
    assert exc.value.msg_id == "common.err_lang"
    with pytest.raises(ScenarioError) as exc:
        report.render(plan_report, "pdf")
    assert exc.value.msg_id == "report.err_format" and "pdf" in exc.value.render("vi")
    with pytest.raises(ScenarioError) as exc:
        report.write(plan_report, "html", tmp_path / "nope" / "r.html")
    assert exc.value.msg_id == "report.err_folder"
    assert exc.value.render("vi") != exc.value.render("en")


# --- one language per report --------------------------------------------------------------------

VI_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)


class _Text(HTMLParser):
    """The text nodes of a page, and of the SVG labels and tooltips in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.attrs: list[str] = []
        self.tag = ""

    def handle_data(self, data: str) -> None:
        if data.strip() and self.tag != "style":
            self.nodes.append(data.strip())

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tag = tag
        self.attrs += [v for k, v in attrs if k in ("aria-label", "title") and v]

    def handle_endtag(self, tag: str) -> None:
        self.tag = ""


def page_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.nodes + parser.attrs


def sheet_text(rep: report.Report) -> list[str]:
    wb = workbook(rep)
    cells = [c for ws in wb for row in ws.iter_rows(values_only=True) for c in row]
    return wb.sheetnames + [c for c in cells if isinstance(c, str)]


def english_fragments() -> set[str]:
    """The words of the report's English sentences that the Vietnamese ones do not share."""
    vi, en = i18n.catalogue("vi"), i18n.catalogue("en")
    out = set()
    for key, text in en.items():
        if key.startswith("report.") and text != vi[key]:
            for part in re.split(r"\{[^}]*\}", str(text)):
                out |= set(re.findall(r"[A-Za-z]{4,}", part))
    return out - {"Index"}  # in proper names too: a unit of measure is "% (PAR Index)"


@pytest.fixture(scope="module")
def en_plan_report(built) -> report.Report:
    progress = [entry("2.2.3", 6.0, 20, "second quarter"), entry("6.3.3", 5.0, 1)]
    return report.build(
        api.preset("plan-2024", BASE),
        label="2024 plan",
        lang="en",
        plan=api.plan(),
        progress=progress,
        generated=dt.datetime(2026, 11, 27, 9, 0, tzinfo=report.VN_TIME),
    )


def test_vietnamese_report_has_no_english(plan_report):
    words = english_fragments()
    assert {"Baseline", "Scenario", "Contributions", "Assumptions", "points"} <= words
    for kind, texts in (
        ("html", page_text(report.to_html(plan_report))),
        ("xlsx", sheet_text(plan_report)),
    ):
        found = {w for t in texts for w in re.findall(r"[A-Za-z]+", t) if w in words}
        assert not found, (kind, sorted(found))
        assert any("Hiện trạng" in t for t in texts), kind


def _data_texts(rep: report.Report) -> list[str]:
    """The plan's own Vietnamese text (its tasks and coordinating units, as written)."""
    assert rep.plan is not None
    return [t.tasks for t in rep.plan.targets] + [t.coordinating_units for t in rep.plan.targets]


def test_english_report_has_no_vietnamese(en_plan_report):
    data = {" ".join(t.split()) for t in _data_texts(en_plan_report)}
    for kind, texts in (
        ("html", page_text(report.to_html(en_plan_report))),
        ("xlsx", sheet_text(en_plan_report)),
    ):
        rest = [
            t.replace("Bắc Giang", "")  # a proper name inside a department's English name
            for t in texts
            if " ".join(t.split()) not in data
        ]
        found = [t for t in rest if VI_LETTERS.search(t)]
        assert not found, (kind, found[:5])
        assert any("Baseline" in t for t in texts), kind
    html = report.to_html(en_plan_report)
    assert "Hiện trạng" not in html and "Kịch bản" not in html and "Tóm tắt" not in html


def test_names_with_markup_are_escaped(built):
    """A scenario label and a plan's own text with <script> stay text in the page and charts."""
    evil = "<script>alert(1)</script>"
    seed = api.plan()
    first = dataclasses.replace(seed.targets[0], coordinating_units=evil, tasks=evil)
    plan = dataclasses.replace(seed, plan_id=evil, targets=(first, *seed.targets[1:]))
    rep = report.build(
        BASE.with_targets({"2.2.3": 30.0}),
        label=evil,
        plan=plan,
        progress=[entry("2.2.3", 6.0, 20, evil)],
    )
    html = report.to_html(rep)
    assert "<script" not in html.lower()
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert html.count(escaped) >= 6  # subtitle, card, table head, legend, plan, progress, ...
    assert re.search(r"<svg[^>]*>.*&lt;script&gt;", html, re.S)  # inside the chart's legend
    wb = workbook(rep)
    assert evil in [c.value for c in wb["Kịch bản"][1]][3]  # the workbook keeps it as text


def test_template_ids_are_extracted():
    template = Path(report.__file__).parent / "templates" / "report.html.j2"
    ids = {i for _, i in ids_in_template(template.read_text(encoding="utf-8"))}
    assert {"report.title", "report.rank_up", "report.depts_note", "report.none"} <= ids
    assert all(i.startswith("report.") for i in ids)
    catalogue = i18n.catalogue("vi")
    assert ids <= set(catalogue)
