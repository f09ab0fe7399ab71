"""`python -m model sensitivity | reach | uncertainty`: JSON shapes, output in both languages,
exit codes.

Most cases call `model.cli.main` in this process (the session database is already loaded);
two run as real subprocesses so the exit codes are those a user sees.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from model.cli import main
from model.paths import ROOT


@pytest.fixture
def cli(built, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _json(cli, *args):
    code, out, err = cli(*args, "--json")
    assert code == 0, err
    return json.loads(out)


# --- sensitivity ----------------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["frozen", "renormalize"])
def test_sensitivity_json(cli, scale):
    rows = _json(cli, "sensitivity", "--unit", "bac-giang", "--edition", "2023", "--scale", scale)
    assert isinstance(rows, list) and len(rows) == 52
    keys = {"code", "weight", "delta_pii_per_point", "pii_at_step", "rank_at_step"}
    for r in rows:
        assert set(r) >= keys | {"points_to_next_rank"}
        assert isinstance(r["weight"], float) and isinstance(r["rank_at_step"], int)
        assert r["points_to_next_rank"] is None or r["points_to_next_rank"] > 0
    assert sum(r["weight"] for r in rows) == pytest.approx(1.0)
    assert any(r["points_to_next_rank"] is None for r in rows)
    by_code = {r["code"]: r for r in rows}
    # 7.3.2: weight 1/24, +10 points: 46.51 + 10/24
    assert by_code["7.3.2"]["pii_at_step"] == pytest.approx(46.51 + 10 / 24, abs=1e-6)
    assert by_code["7.3.2"]["points_to_next_rank"] == pytest.approx(29.88, abs=1e-6)


def test_sensitivity_step_and_table(cli):
    rows = _json(cli, "sensitivity", "--unit", "bac-giang", "--step", "2,5")
    assert all(r["step"] == pytest.approx(min(2.5, 100 - r["score"])) for r in rows)
    code, out, err = cli("sensitivity", "--unit", "bac-giang", "--edition", "2023")
    assert code == 0 and err == ""
    assert "Bắc Giang" in out and "46,51" in out and "Thái Nguyên" in out
    lines = [ln for ln in out.splitlines() if ln[:1].isdigit()]
    assert len(lines) == 52
    assert lines[0].split()[0] in {"7.3.1", "7.3.2"}  # sorted by gain: weight 1/24 first
    assert "29,9" in next(ln for ln in lines if ln.startswith("7.3.2"))


# --- reach ----------------------------------------------------------------------------------


def test_reach_json(cli):
    r = _json(cli, "reach", "--unit", "bac-giang", "--edition", "2023", "--rank", "8")
    assert set(r) >= {"feasible", "gains", "pii", "rank", "verified"}
    assert r["feasible"] is True and r["rank"] <= 8 and r["verified"] is True
    assert r["gains"] and all(set(g) >= {"code", "delta_score"} for g in r["gains"])
    assert all(g["delta_score"] > 0 for g in r["gains"])
    capped = _json(cli, "reach", "--unit", "bac-giang", "--rank", "8", "--cap", "15")
    assert capped["feasible"] and max(g["delta_score"] for g in capped["gains"]) <= 15 + 1e-9
    assert sum(g["delta_score"] for g in capped["gains"]) >= sum(
        g["delta_score"] for g in r["gains"]
    )


def test_reach_infeasible_and_human_output(cli):
    r = _json(cli, "reach", "--unit", "bac-giang", "--rank", "1", "--cap", "5")
    assert r["feasible"] is False and r["gains"] == [] and r["best_rank"] > 1
    code, out, _ = cli("reach", "--unit", "bac-giang", "--rank", "1", "--cap", "5")
    assert code == 0 and "Không thể đạt hạng 1" in out
    code, out, _ = cli("reach", "--unit", "bac-giang", "--rank", "8", "--scale", "renormalize")
    assert code == 0 and "hạng 11 → 8" in out and "Cần tăng" in out


# --- uncertainty ----------------------------------------------------------------------------


def test_uncertainty_json(cli):
    base = _json(cli, "uncertainty", "--unit", "bac-giang", "--edition", "2023", "--runs", "300")
    assert set(base) >= {"median_rank", "p5", "p95", "runs"} and "scenario" not in base
    assert base["runs"] == 300 and base["p5"] <= base["median_rank"] <= base["p95"]
    hn = _json(cli, "uncertainty", "--unit", "ha-noi", "--runs", "300")
    assert hn["median_rank"] == 1
    plan = _json(
        cli, "uncertainty", "--unit", "bac-giang", "--runs", "300", "--preset", "plan-2024"
    )
    assert {k: plan[k] for k in ("median_rank", "p5", "p95")} == {
        k: base[k] for k in ("median_rank", "p5", "p95")
    }  # same seed, same draws
    sc = plan["scenario"]
    assert set(sc) >= {"median_rank", "p5", "p95"} and sc["p5"] <= sc["median_rank"] <= sc["p95"]
    assert isinstance(plan["verdict"], str) and "%" in plan["verdict"]
    one = _json(cli, "uncertainty", "--unit", "bac-giang", "--runs", "300", "--set", "7.3.2=100")
    assert "scenario" in one
    other_seed = _json(cli, "uncertainty", "--unit", "bac-giang", "--runs", "300", "--seed", "1")
    assert other_seed["seed"] == 1


def test_uncertainty_human_output(cli):
    code, out, _ = cli(
        "uncertainty", "--unit", "bac-giang", "--runs", "200", "--preset", "plan-2024"
    )
    assert code == 0
    assert "200 lần chạy" in out and "Nền: hạng 11" in out and "Kịch bản: hạng 9" in out
    assert "Kết luận:" in out


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["sensitivity", "--unit", "atlantis"], ["atlantis", "valid units:", "bac-giang"]),
        (["sensitivity", "--unit", "bac-giang", "--edition", "2030"], ["valid editions:"]),
        (["sensitivity", "--unit", "bac-giang", "--step", "0"], ["--step", "positive"]),
        (["sensitivity", "--unit", "bac-giang", "--step", "-2"], ["--step", "positive"]),
        (["sensitivity", "--unit", "bac-giang", "--set", "9.9.9=1"], ["9.9.9", "valid codes:"]),
        (["reach", "--unit", "bac-giang", "--rank", "0"], ["--rank", "between 1 and 63"]),
        (["reach", "--unit", "bac-giang", "--rank", "64"], ["--rank", "between 1 and 63"]),
        (["reach", "--unit", "bac-giang", "--rank", "abc"], ["--rank", "not a whole number"]),
        (["reach", "--unit", "bac-giang", "--rank", "5", "--cap", "0"], ["--cap", "positive"]),
        (["reach", "--unit", "atlantis", "--rank", "5"], ["atlantis", "valid units:"]),
        (["uncertainty", "--unit", "bac-giang", "--runs", "0"], ["--runs", "100000"]),
        (["uncertainty", "--unit", "bac-giang", "--runs", "100001"], ["--runs", "100000"]),
        (["uncertainty", "--unit", "bac-giang", "--runs", "-5"], ["--runs"]),
        (["uncertainty", "--unit", "bac-giang", "--preset", "nope"], ["nope", "plan-2024"]),
        (["uncertainty", "--unit", "atlantis"], ["atlantis", "valid units:"]),
    ],
)
def test_bad_input_exits_2_with_a_message(cli, args, expected):
    code, out, err = cli(*args, "--lang", "en")
    assert code == 2 and out == ""
    assert err.startswith("Error: ")
    for text in expected:
        assert text in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["sensitivity", "--unit", "bac-giang", "--step", "0"], ["--step", "bước", "dương"]),
        (["reach", "--unit", "bac-giang", "--rank", "64"], ["--rank", "từ 1 đến 63"]),
        (["reach", "--unit", "bac-giang", "--rank", "abc"], ["--rank", "số nguyên"]),
        (["uncertainty", "--unit", "bac-giang", "--runs", "0"], ["--runs", "100000"]),
    ],
)
def test_bad_input_in_vietnamese_by_default(cli, args, expected):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.startswith("Lỗi: ") and "between" not in err and "number" not in err
    for text in expected:
        assert text in err


def test_human_output_in_english(cli):
    code, out, err = cli("sensitivity", "--unit", "bac-giang", "--lang", "en")
    assert code == 0 and err == ""
    assert "Bắc Giang" in out and "46.51" in out and "Points to overtake" in out
    code, out, _ = cli("reach", "--unit", "bac-giang", "--rank", "1", "--cap", "5", "--lang", "en")
    assert code == 0 and "Rank 1 cannot be reached" in out
    code, out, _ = cli(
        "uncertainty",
        "--unit",
        "bac-giang",
        "--runs",
        "200",
        "--preset",
        "plan-2024",
        "--lang",
        "en",
    )
    assert code == 0
    assert "200 Monte Carlo runs" in out and "Baseline: rank 11" in out and "Verdict:" in out
    assert "hạng" not in out and "Kết luận" not in out


def test_as_a_subprocess(built):
    env = {**os.environ, "PII_DATA_DIR": str(built.path.parent), "PYTHONIOENCODING": "utf-8"}
    env.pop("PII_SOURCES_DIR", None)
    commands = [
        ["reach", "--unit", "bac-giang", "--edition", "2023", "--rank", "8", "--json"],
        ["uncertainty", "--unit", "bac-giang", "--runs", "0"],
    ]

    def run(args):
        return subprocess.run(
            [sys.executable, "-m", "model", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=180,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        ok, bad = pool.map(run, commands)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["feasible"] is True
    assert bad.returncode == 2 and bad.stdout == "" and bad.stderr.startswith("Lỗi: ")
    assert "Traceback" not in bad.stderr


# --- reach --within / --codes (issue 13, item 13) ------------------------------------------


def _actionable(year: int = 2023) -> set[str]:
    from model import api

    return set(api.edition(year).framework.actionable_codes())


@pytest.mark.parametrize(
    "extra", [[], ["--cap", "15"], ["--cap", "30"], ["--scale", "renormalize"]], ids=str
)
def test_reach_by_default_moves_only_actionable_indicators(cli, extra):
    r = _json(cli, "reach", "--unit", "bac-giang", "--rank", "8", *extra)
    assert r["feasible"] and r["verified"] and r["rank"] <= 8
    assert r["within"] == "actionable"
    assert set(r["allowed_codes"]) == _actionable()
    assert r["gains"] and {g["code"] for g in r["gains"]} <= _actionable()


def test_reach_within_all_can_propose_outcome_indicators(cli):
    r = _json(cli, "reach", "--unit", "bac-giang", "--rank", "8", "--within", "all")
    assert r["within"] == "all" and len(r["allowed_codes"]) == 52
    assert {g["code"] for g in r["gains"]} - _actionable()  # outcomes too (the issue: 7.3.x)


def test_reach_within_plan_levers_and_a_custom_list(cli):
    from model import api
    from model.budget import load_levers

    plan = _json(cli, "reach", "--unit", "bac-giang", "--rank", "8", "--within", "plan")
    assert set(plan["allowed_codes"]) == set(api.plan().codes)
    assert {g["code"] for g in plan["gains"]} <= set(api.plan().codes)
    levers = _json(cli, "reach", "--unit", "bac-giang", "--rank", "8", "--within", "levers")
    moveable = {lv.code for lv in load_levers() if lv.moveable}
    assert set(levers["allowed_codes"]) == moveable
    assert {g["code"] for g in levers["gains"]} <= moveable
    own = _json(cli, "reach", "--unit", "bac-giang", "--rank", "10", "--codes", "2.2.3, 1.1.1")
    assert own["within"] == "custom" and own["allowed_codes"] == ["1.1.1", "2.2.3"]
    assert own["feasible"] and {g["code"] for g in own["gains"]} <= {"1.1.1", "2.2.3"}


def test_reach_says_which_indicators_may_move(cli):
    code, out, err = cli("reach", "--unit", "bac-giang", "--rank", "8")
    assert code == 0 and err == ""
    n = len(_actionable())
    assert f"{n} chỉ số tỉnh tác động được" in out
    assert "7.3.1" not in out and "7.3.2" not in out
    code, out, _ = cli("reach", "--unit", "bac-giang", "--rank", "8", "--lang", "en")
    assert code == 0 and f"{n} indicators the province can act on" in out
    code, out, _ = cli(
        "reach", "--unit", "bac-giang", "--rank", "8", "--within", "all", "--lang", "en"
    )
    assert code == 0 and "all 52 indicators" in out


@pytest.mark.parametrize(
    ("args", "en", "vi"),
    [
        (
            ["--within", "everything"],
            ["everything", "actionable, plan, levers, all"],
            ["everything"],
        ),
        (["--codes", "1.1.1,9.9.9"], ["9.9.9", "valid codes:"], ["9.9.9"]),
        (["--codes", " , "], ["--codes", "at least one"], ["--codes"]),
        (["--within", "all", "--codes", "1.1.1"], ["--within", "--codes"], ["--within", "--codes"]),
    ],
)
def test_reach_bad_within_or_codes_exit_2(cli, args, en, vi):
    for lang, expected in (("en", en), ("vi", vi)):
        code, out, err = cli("reach", "--unit", "bac-giang", "--rank", "8", *args, "--lang", lang)
        assert code == 2 and out == "", err
        assert err.startswith("Error: " if lang == "en" else "Lỗi: ")
        for text in expected:
            assert text in err
