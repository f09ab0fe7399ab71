"""The action plan in the model: what each department's targets are worth, another province's
plan from a CSV, and progress readings in the workspace (DuckDB round trip, history order)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from model import api
from model import plan as planmod
from model import workspace as wsmod
from model.index.scenario import Scenario, ScenarioError
from model.plan import PlanFileError, department_effects, parse_plan_csv, plan_to_csv
from model.workspace import InvalidText, Workspace

SEED = Path(__file__).resolve().parents[1] / "data" / "sources" / "plan_bac_giang_2024.csv"
HOSTILE = [
    "<script>alert('x')</script>",
    "'; DROP TABLE plan_progress; --",
    'it\'s "quoted" `back` \\slash **bold** [link](http://x)',
    "Sở KH&CN – đã cập nhật số liệu quý III",
    "🚀 👩‍👩‍👧 🇻🇳",
    "%s %d {0} ?? $1 :name",
    "line one\nline two\r\n\ttabbed",
]


@pytest.fixture(scope="module")
def plan(built):
    return api.plan()


@pytest.fixture
def ws(store_target) -> Workspace:
    """An empty store, once on DuckDB and once on PostgreSQL (tests/pg_server.py)."""
    return store_target.new()


# --- what each department's targets are worth -----------------------------------------------


@pytest.mark.parametrize("year", [2023, 2024])
@pytest.mark.parametrize("peers", ["static", "drift:0.5"])
def test_department_sums_add_up_to_the_plan_under_arithmetic_means(plan, year, peers):
    ed = api.edition(year)
    base = Scenario(unit="bac-giang", edition=year, peers=peers)
    effect = department_effects(plan, ed, base)
    whole = api.run(plan.scenario(ed, base)).summary()
    assert effect.pii == pytest.approx(whole["scenario"]["pii"], abs=1e-12)
    assert effect.rank == whole["scenario"]["rank"]
    assert effect.baseline_pii == pytest.approx(whole["baseline"]["pii"], abs=1e-12)
    total = sum(d.delta_pii for d in effect.departments)
    assert total == pytest.approx(effect.delta_pii, abs=1e-9)
    assert effect.delta_pii > 1.0  # the plan moves the PII; the test is not vacuous
    # Every target belongs to exactly one department.
    codes = [c for d in effect.departments for c in d.codes]
    assert sorted(codes) == sorted(plan.codes) and len(codes) == len(set(codes)) == 17


def test_each_department_is_the_plan_restricted_to_its_targets(plan):
    ed = api.edition(2023)
    effect = department_effects(plan, ed)
    full = plan.scenario(ed).target_map
    for d in effect.departments:
        only = Scenario(
            unit="bac-giang", edition=2023, targets=tuple((c, full[c]) for c in d.codes)
        )
        s = api.run(only).summary()
        assert d.pii == pytest.approx(s["scenario"]["pii"], abs=1e-12)
        assert d.rank == s["scenario"]["rank"]
        assert d.rank_change == s["baseline"]["rank"] - s["scenario"]["rank"]
    dost = next(d for d in effect.departments if d.lead_unit == "Sở Khoa học và Công nghệ")
    assert dost.codes == ("2.2.3", "2.2.4", "6.1.1", "6.2.3", "6.3.3")
    assert dost.delta_pii == max(d.delta_pii for d in effect.departments)
    # Bắc Giang 2023 is 11th; Thái Nguyên, 10th, has 47.75 (46.51 + 1.24).
    assert effect.gap_to_next == pytest.approx(47.75 - 46.51, abs=0.01)
    assert (effect.baseline_rank, effect.rank) == (11, 9)


def test_renormalised_departments_are_still_each_departments_own_scenario(plan):
    ed = api.edition(2023)
    base = Scenario(unit="bac-giang", edition=2023, scale="renormalize")
    effect = department_effects(plan, ed, base)
    assert effect.pii == pytest.approx(
        api.run(plan.scenario(ed, base)).summary()["scenario"]["pii"], abs=1e-12
    )
    assert all(math.isfinite(d.delta_pii) for d in effect.departments)


def test_plan_applies_to_its_unit_and_editions(plan):
    assert plan.applies_to(api.edition(2023), "bac-giang")
    assert plan.applies_to(api.edition(2024), "bac-giang")
    assert not plan.applies_to(api.edition(2023), "ha-noi")
    assert not plan.applies_to(api.edition(2025))  # merged into Bắc Ninh on 1 July 2025


def test_department_labels_and_timeframes_in_both_languages(plan):
    assert planmod.department_label("Sở Khoa học và Công nghệ", "vi", short=True) == "Sở KH&CN"
    assert planmod.department_label("Sở Khoa học và Công nghệ", "en") == (
        "Department of Science and Technology"
    )
    assert planmod.department_label("Sở Mới", "en") == "Sở Mới"  # not in the glossary: as written
    for lead in plan.departments:  # the seed plan is fully covered by the glossary
        assert planmod.department_label(lead, "en") != lead
    assert planmod.timeframe_label("Thường xuyên", "en") == "Ongoing"
    assert planmod.timeframe_label("Hằng năm", "vi") == "Hằng năm"


# --- another province's plan from a CSV -------------------------------------------------------


def test_the_seed_csv_parses_to_the_seed_plan(plan):
    ed = api.edition(2023)
    parsed = parse_plan_csv(SEED.read_bytes(), ed, "bac-giang")
    # The same plan, read as an import: its targets, unit, edition and id; its origin differs.
    assert _same(parsed, plan) and parsed.source == "imported" and plan.source == "seed"
    assert _same(parse_plan_csv(plan_to_csv(plan), ed, "bac-giang"), plan)


def _same(a: planmod.Plan, b: planmod.Plan) -> bool:
    return (a.plan_id, a.unit, a.edition, a.targets) == (b.plan_id, b.unit, b.edition, b.targets)


def test_a_plan_for_another_province(plan):
    ed = api.edition(2023)
    text = 'code,score_2023,target_2024,lead_unit\n2.2.3,"1,5",10,Sở KH&CN Hà Nội\n6.3.3,0,12,\n'
    other = parse_plan_csv(text.encode("utf-8-sig"), ed, "ha-noi")
    assert other.unit == "ha-noi" and other.plan_id == "ha-noi-2023"
    assert [(t.code, t.baseline, t.target, t.target_text) for t in other.targets] == [
        ("2.2.3", 1.5, 10.0, "≥ 10"),
        ("6.3.3", 0.0, 12.0, "≥ 12"),
    ]
    effect = department_effects(other, ed)
    assert sum(d.delta_pii for d in effect.departments) == pytest.approx(effect.delta_pii)


def _problems(text: str | bytes, unit: str = "bac-giang") -> list[tuple]:
    with pytest.raises(PlanFileError) as err:
        parse_plan_csv(text, api.edition(2023), unit)
    assert isinstance(err.value, ScenarioError)  # the CLI and the pages catch one family
    return [(p.kind, p.row, p.column, p.value) for p in err.value.problems]


def test_bad_rows_are_named_by_row_and_column():
    lines = SEED.read_text(encoding="utf-8").replace(",2.2.3,2.43,", ",9.9.9,2.43,")
    lines = lines.replace(",6.1.1,18.31,20,", ",6.1.1,abc,20,").replace(
        ",7.1.2,18.79,25,", ",7.1.2,18.79,250,"
    )
    got = _problems(lines)
    # Rows are spreadsheet rows (header = 1): 2.2.3 is the 2nd plan row, 6.1.1 the 4th.
    assert ("unknown_code", 3, "code", "9.9.9") in got
    assert ("not_a_number", 5, "score_2023", "abc") in got
    assert ("out_of_range", 18, "target_2024", "250") in got
    assert len(got) == 3
    assert "row 5, column 'score_2023': 'abc' is not a number" in str(
        PlanFileError([planmod.PlanProblem("not_a_number", 5, "score_2023", "abc")])
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"\xff\xfe\x00bad", ("encoding", None, None, "")),
        ("", ("empty", None, None, "")),
        ("code,score_2023,target_2024,lead_unit\n", ("empty", None, None, "")),
        ("code,score_2023,lead_unit\n2.2.3,1,x\n", ("missing_columns", 1, None, "target_2024")),
        ("code,score_2023,target_2024,lead_unit\n2.2.3,1,5\n", ("field_count", 2, None, "3")),
        ("code,score_2023,target_2024,lead_unit\n2.2,1,5,x\n", ("bad_code", 2, "code", "2.2")),
        (
            "code,score_2023,target_2024,lead_unit\n2.2.3,1,5,x\n2.2.3,1,6,y\n",
            ("duplicate_code", 3, "code", "2.2.3"),
        ),
        (
            "row,code,score_2023,target_2024,lead_unit\nx,2.2.3,1,5,a\n",
            ("not_a_row_number", 2, "row", "x"),
        ),
        (
            "plan,code,score_2023,target_2024,lead_unit\n../etc,2.2.3,1,5,a\n",
            ("bad_plan_id", None, "plan", "../etc"),
        ),
        (
            "code,score_2023,target_2024,lead_unit\n2.2.3,nan,5,a\n",
            ("not_a_number", 2, "score_2023", "nan"),
        ),
    ],
)
def test_unusable_files_say_why(text, expected):
    assert _problems(text) == [expected]


def test_unknown_unit_is_refused():
    with pytest.raises(KeyError, match="unknown unit"):
        parse_plan_csv(
            "code,score_2023,target_2024,lead_unit\n2.2.3,1,5,a\n", api.edition(2023), "x"
        )


# --- progress readings ------------------------------------------------------------------------


def test_progress_score_converts_raw_values_with_the_goalposts():
    ed = api.edition(2023)
    assert planmod.progress_score(ed, "2.2.3", "score", 12.5) == 12.5
    raw = float(ed.score_to_raw("2.2.3", 30.0))
    assert planmod.progress_score(ed, "2.2.3", "raw", raw) == pytest.approx(30.0)
    for kind, value in [("score", 101), ("score", float("nan")), ("pct", 1), ("raw", 1e12)]:
        with pytest.raises(ScenarioError):
            planmod.progress_score(ed, "2.2.3", kind, value)
    with pytest.raises(ScenarioError):
        planmod.progress_score(ed, "9.9.9", "score", 1)


def test_progress_fraction_runs_from_the_baseline_to_the_target():
    f = planmod.progress_fraction
    assert f(10, 20, 10) == 0 and f(10, 20, 15) == 0.5 and f(10, 20, 25) == 1 and f(10, 20, 5) == 0
    assert f(20, 20, 20) == 1 and f(20, 20, 19) == 0


def test_progress_round_trips_newest_first(ws: Workspace):
    d = dt.date
    a = ws.record_progress(
        "p", "bac-giang", "2.2.3", kind="score", value=3, score=3, as_of=d(2024, 3, 1)
    )
    b = ws.record_progress(
        "p",
        "bac-giang",
        "2.2.3",
        kind="raw",
        value=0.12,
        score=4.5,
        as_of=d(2024, 9, 30),
        note="Q3",
        author="Lan",
    )
    c = ws.record_progress(
        "p", "bac-giang", "2.2.3", kind="score", value=4, score=4, as_of=d(2024, 3, 1)
    )
    other = ws.record_progress(
        "p", "bac-giang", "6.3.3", kind="score", value=2, score=2, as_of=d(2024, 1, 5)
    )
    ws.record_progress(
        "another-plan", "ha-noi", "2.2.3", kind="score", value=9, score=9, as_of=d(2024, 1, 1)
    )
    hist = ws.progress_history("p", "2.2.3")
    # Latest measurement date first; the same date: the later recording first.
    assert [e.id for e in hist] == [b.id, c.id, a.id]
    assert hist[0] == b
    assert (b.kind, b.value, b.score, b.note, b.author) == ("raw", 0.12, 4.5, "Q3", "Lan")
    assert b.recorded_at.tzinfo is not None and b.as_of == d(2024, 9, 30)
    assert [e.id for e in ws.progress_history("p")] == [b.id, c.id, a.id, other.id]
    assert {k: e.id for k, e in ws.latest_progress("p").items()} == {
        "2.2.3": b.id,
        "6.3.3": other.id,
    }
    assert ws.progress_history("nothing") == []
    assert ws.schema_version() == wsmod.SCHEMA_VERSION >= 2


def test_hostile_progress_text_is_stored_exactly(ws: Workspace):
    for k, text in enumerate(HOSTILE):
        ws.record_progress(
            "bac-giang-2024",
            "bac-giang",
            "2.2.3",
            kind="score",
            value=k,
            score=k,
            as_of=dt.date(2024, 1, 1) + dt.timedelta(days=k),
            note=text,
            author=text.replace("\n", " ").replace("\r", " ").replace("\t", " ").strip(),
        )
    got = list(reversed(ws.progress_history("bac-giang-2024")))
    assert [e.note for e in got] == HOSTILE
    assert got[0].author == HOSTILE[0]
    with ws._cursor() as cur:
        tables = {
            r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    assert {"plan_progress", "scenarios", "scenario_revisions"} <= tables


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "percent"},
        {"code": "2.2"},
        {"value": float("nan")},
        {"score": float("inf")},
        {"value": True},
        {"as_of": dt.date.today() + dt.timedelta(days=3)},
        {"as_of": dt.date(1999, 12, 31)},
        {"as_of": "2024-01-01"},
        {"author": "two\nlines"},
        {"note": "bell\x07"},
        {"plan_id": "  "},
    ],
)
def test_unstorable_progress_is_refused_and_nothing_written(ws: Workspace, bad):
    args = {
        "plan_id": "p",
        "unit": "bac-giang",
        "code": "2.2.3",
        "kind": "score",
        "value": 1.0,
        "score": 1.0,
        "as_of": dt.date(2024, 5, 1),
    } | bad
    plan_id, unit, code = args.pop("plan_id"), args.pop("unit"), args.pop("code")
    with pytest.raises(InvalidText):
        ws.record_progress(plan_id, unit, code, **args)
    assert ws.progress_history("p") == []


def test_a_datetime_is_stored_as_its_day(ws: Workspace):
    e = ws.record_progress(
        "p",
        "bac-giang",
        "2.2.3",
        kind="score",
        value=1,
        score=1,
        as_of=dt.datetime(2024, 5, 1, 23, 59),
    )
    assert e.as_of == dt.date(2024, 5, 1) and ws.progress_history("p")[0].as_of == dt.date(
        2024, 5, 1
    )


def test_a_version_1_workspace_is_upgraded_and_keeps_its_scenarios(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL, "
        "description VARCHAR)"
    )
    for sql in wsmod.MIGRATIONS[0][2]:
        con.execute(sql)
    con.execute("INSERT INTO schema_version VALUES (1, now(), 'v1')")
    spec = Scenario(unit="bac-giang", edition=2023, targets=(("2.2.3", 10.0),)).to_json()
    con.execute(
        "INSERT INTO scenarios (name, unit, edition, spec_json, created_at, updated_at) "
        "VALUES ('kept', 'bac-giang', 2023, ?, now(), now())",
        [spec],
    )
    con.close()
    ws = Workspace(path)
    assert ws.get_scenario("kept").scenario.target_map == {"2.2.3": 10.0}
    assert ws.schema_version() == wsmod.SCHEMA_VERSION
    ws.record_progress(
        "p", "bac-giang", "2.2.3", kind="score", value=1, score=1, as_of=dt.date(2024, 1, 1)
    )
    assert len(ws.progress_history("p")) == 1


def test_failed_progress_write_leaves_nothing(ws: Workspace):
    ws.record_progress(
        "p", "bac-giang", "2.2.3", kind="score", value=1, score=1, as_of=dt.date(2024, 1, 1)
    )
    # A write that fails half-way through its transaction is rolled back as a whole.
    with pytest.raises(wsmod.ConstraintViolation):
        with ws._transaction() as cur:
            cur.execute(
                "INSERT INTO plan_progress (plan_id, unit, code, kind, value, score, as_of, "
                "recorded_at) VALUES ('p', 'bac-giang', '2.2.4', 'score', 1, 1, DATE '2024-01-02', "
                "now())"
            )
            cur.execute("INSERT INTO plan_progress (plan_id) VALUES (NULL)")
    assert [e.code for e in ws.progress_history("p")] == ["2.2.3"]
    # The kind is checked by the table too, not only by record_progress.
    with pytest.raises(wsmod.ConstraintViolation):
        with ws._transaction() as cur:
            cur.execute(
                "INSERT INTO plan_progress (plan_id, unit, code, kind, value, score, as_of, "
                "recorded_at) VALUES ('p', 'bac-giang', '2.2.4', 'pct', 1, 1, DATE '2024-01-02', "
                "now())"
            )
    assert [e.code for e in ws.progress_history("p")] == ["2.2.3"]


def test_plan_replace_keeps_targets_immutable(plan):
    changed = replace(plan, plan_id="x")
    assert changed.targets is plan.targets and plan.plan_id == "bac-giang-2024"


def test_every_department_of_the_seed_plan_has_an_english_name(plan):
    named = planmod.department_glossary()
    for t in plan.targets:
        for who in filter(None, (t.lead_unit, t.coordinating_units)):
            assert who in named, who  # data/sources/departments.csv covers the seed plan
            en, short = (
                planmod.department_label(who, "en"),
                planmod.department_label(who, "en", True),
            )
            assert en != who and short and len(short) <= len(en)
    assert planmod.department_label("", "vi") == "(chưa giao)"
    assert planmod.department_label("", "en") == "(not assigned)"


def test_plan_file_problems_render_in_both_languages():
    text = "code,score_2023,target_2024,lead_unit\n9.9.9,1,5,a\n2.2.3,abc,5,a\n"
    with pytest.raises(PlanFileError) as err:
        parse_plan_csv(text, api.edition(2023), "bac-giang")
    vi, en = err.value.render("vi"), err.value.render("en")
    assert "Dòng 2" in vi and "PII 2023" in vi and "Dòng 3" in vi and "abc" in vi
    assert "Row 2" in en and "Row 3" in en
    assert str(err.value).startswith("row 2, column 'code': '9.9.9' is not an indicator")
    assert [p.message.msg_id for p in err.value.problems] == [
        "plan.err_unknown_code",
        "plan.err_not_a_number",
    ]
