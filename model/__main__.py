"""Command line: `python -m model <command>` — a thin layer over model.api.

Output is a readable Vietnamese table by default and JSON (English keys, numbers as numbers)
with --json. Unknown names or invalid values: a message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence

from . import api, versions
from .build import build
from .dataset import UnknownName
from .fmt import number
from .scenario import Scenario, ScenarioError
from .sources import SourceError


class CliError(Exception):
    pass


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _f(x: float, d: int = 2) -> str:
    return number(x, "vi", d)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        )

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


# --------------------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    report = build(echo=print, verbose=args.verbose)
    return 0 if report.ok else 1


def cmd_rank(args: argparse.Namespace) -> int:
    df = api.ranking(args.edition)
    if args.json:
        _print_json(
            [
                {
                    "unit": r.unit,
                    "name": r.name_vi,
                    "pii": round(r.pii, 4),
                    "rank": int(r.rank),
                    "input": round(r.input, 4),
                    "output": round(r.output, 4),
                    "pillars": {str(k): round(getattr(r, f"p{k}"), 4) for k in range(1, 8)},
                }
                for r in df.itertuples()
            ]
        )
        return 0
    rows = [[str(r.rank), r.name_vi, _f(r.pii), _f(r.input), _f(r.output)] for r in df.itertuples()]
    ed = api.edition(args.edition)
    official = int((ed.provenance == "official").sum())
    basis = "số liệu tái dựng trừ các số đã công bố"
    if official:
        basis += f" và {official} ô số liệu chính thức (phiên bản dữ liệu {versions.head()})"
    print(f"Xếp hạng PII {args.edition} ({len(df)} địa phương; {basis})")
    print(
        _table(
            ["Hạng", "Địa phương", "PII", "Đầu vào", "Đầu ra"],
            rows,
            [True, False, True, True, True],
        )
    )
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    p = api.profile(args.unit, args.edition)
    if args.json:
        _print_json(p)
        return 0
    print(f"{p['name']} — PII {p['edition']}: {_f(p['pii'])} điểm, hạng {p['rank']}/{p['n_units']}")
    print(f"Đầu vào {_f(p['input'])} · Đầu ra {_f(p['output'])}")
    print("Trụ cột: " + " · ".join(f"{k}: {_f(v)}" for k, v in p["pillars"].items()))
    labels = {
        "official": "chính thức",
        "published": "đã công bố",
        "reconstructed": "ước tính tái dựng",
    }
    rows = [
        [
            i["code"],
            i["name_vi"][:60],
            _f(i["raw"]),
            _f(i["score"]),
            str(i["rank"]),
            labels.get(i["provenance"], i["provenance"]),
        ]
        for i in p["indicators"]
    ]
    print(
        _table(
            ["Mã", "Chỉ số", "Giá trị", "Điểm", "Hạng", "Nguồn"],
            rows,
            [False, False, True, True, True, False],
        )
    )
    print("Điểm mạnh: " + ", ".join(p["strengths"]))
    print("Điểm yếu: " + ", ".join(p["weaknesses"]))
    return 0


def _parse_set(items: Sequence[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        code, sep, value = item.partition("=")
        if not sep:
            raise CliError(f"--set {item!r}: expected CODE=VALUE, e.g. 2.2.3=10")
        try:
            v = float(value.replace(",", "."))
        except ValueError:
            raise CliError(f"--set {item!r}: {value!r} is not a number") from None
        if not math.isfinite(v) or not 0 <= v <= 100:
            raise CliError(f"--set {item!r}: a score must be between 0 and 100")
        out[code.strip()] = v
    return out


def cmd_simulate(args: argparse.Namespace) -> int:
    ed = api.edition(args.edition)  # a clear message for an unknown edition
    base = Scenario(
        unit=args.unit,
        edition=ed.year,
        peers=args.peers,
        scale=args.scale,
        target_year=args.target_year,
    )
    s = api.preset(args.preset, base) if args.preset else base
    if args.set:
        s = s.with_targets(_parse_set(args.set))
    out = api.run(s)
    summary = out.summary()
    if args.json:
        _print_json(summary)
        return 0
    b, r = summary["baseline"], summary["scenario"]
    name = out.edition.name(s.unit)
    print(
        f"{name} — kịch bản trên nền PII {s.edition} (thang điểm: {s.scale}, đơn vị khác: {s.peers})"
    )
    print(
        f"PII: {_f(b['pii'])} → {_f(r['pii'])} ({number(r['pii'] - b['pii'], 'vi', 2, True)}); "
        f"hạng {b['rank']} → {r['rank']}"
    )
    print(f"Đầu vào {_f(r['input'])} · Đầu ra {_f(r['output'])}")
    rows = [
        [c["code"], number(c["delta_score"], "vi", 2, True), number(c["delta_pii"], "vi", 3, True)]
        for c in summary["contributions"]
    ]
    if rows:
        print(_table(["Mã", "Δ điểm", "Δ PII"], rows, [False, True, True]))
    for w in out.warnings:
        print("Lưu ý: " + w)
    return 0


def cmd_fidelity(args: argparse.Namespace) -> int:
    from . import store
    from .fidelity import format_table, summary

    df = store.fidelity()
    df = df.assign(use_as_constraint=df["use_as_constraint"].astype(bool), ok=df["ok"].astype(bool))
    if args.json:
        _print_json(json.loads(df.to_json(orient="records", force_ascii=False)))
    else:
        print(format_table(df))
        print(summary(df))
    return 0 if df[df["use_as_constraint"]]["ok"].all() else 1


# --- movers, reach, uncertainty -------------------------------------------------------------


def _scenario_for(args: argparse.Namespace):
    """The edition, the scenario the command starts from (baseline, --preset, --set) and trend."""
    from .scenario import check

    ed = api.edition(args.edition)
    ed.unit_index(args.unit)  # a clear message for an unknown unit
    base = Scenario(unit=args.unit, edition=ed.year, peers=args.peers, scale=args.scale)
    s = api.preset(args.preset, base) if args.preset else base
    if args.set:
        s = s.with_targets(_parse_set(args.set))
    check(s, ed)
    trend = api.trend_for(ed) if s.peers == "trend" else None
    return ed, s, trend


def _float_arg(value: str | float | None, name: str) -> float | None:
    if value is None:
        return None
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        raise CliError(f"{name} {value!r}: not a number") from None


def _int_arg(value: str | int, name: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise CliError(f"{name} {value!r}: not a whole number") from None


def _opt(x: float | None, d: int = 2) -> str:
    return "–" if x is None else _f(x, d)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .movers import movers

    step = _float_arg(args.step, "--step")
    if step is None or not math.isfinite(step) or step <= 0:
        raise CliError(f"--step {args.step}: the step must be a positive number of points")
    ed, s, trend = _scenario_for(args)
    mv = movers(ed, s, step=step, trend=trend)
    if args.json:  # one object per indicator, in framework order
        _print_json(
            [
                {
                    "code": m.code,
                    "score": None if math.isnan(m.score) else m.score,
                    "weight": m.weight,
                    "delta_pii_per_point": m.delta_pii_per_point,
                    "step": m.step,
                    "pii_at_step": m.pii_at_step,
                    "rank_at_step": m.rank_at_step,
                    "pii_at_best": m.pii_at_best,
                    "rank_at_best": m.rank_at_best,
                    "points_to_next_rank": m.points_to_next_rank,
                }
                for m in mv
            ]
        )
        return 0
    fw = ed.framework
    nxt = ", ".join(ed.name(x) for x in mv.next_units) or "không có (đứng đầu)"
    print(
        f"{ed.name(mv.unit)} — độ nhạy PII {mv.edition} theo từng chỉ số "
        f"(thang điểm: {mv.scale}, bước +{_f(mv.step, 1)} điểm)"
    )
    print(
        f"PII {_f(mv.pii)}, hạng {mv.rank}/{ed.n}; đơn vị ngay trên: {nxt}"
        + (f" ({_f(mv.next_pii)})" if mv.next_pii is not None else "")
    )
    items = sorted(mv, key=lambda m: (-m.delta_pii_at_step, -m.weight, fw.index[m.code]))
    rows = [
        [
            m.code,
            fw.indicator(m.code).name_vi[:48],
            _f(m.score, 1),
            _f(100 * m.weight, 2) + "%",
            _f(m.delta_pii_per_point, 4),
            number(m.delta_pii_at_step, "vi", 2, True),
            str(m.rank_at_step),
            str(m.rank_at_best),
            _opt(m.points_to_next_rank, 1),
        ]
        for m in items
    ]
    print(
        _table(
            [
                "Mã",
                "Chỉ số",
                "Điểm",
                "Trọng số",
                "ΔPII/điểm",
                f"ΔPII (+{_f(mv.step, 0)})",
                "Hạng",
                "Hạng tối đa",
                "Điểm để vượt",
            ],
            rows,
            [False, False, True, True, True, True, True, True, True],
        )
    )
    print(
        "Hạng: sau khi tăng một bước; hạng tối đa: khi chỉ số đạt mức tốt nhất cả nước; "
        "điểm để vượt: số điểm riêng chỉ số đó cần để vượt đơn vị ngay trên (– : không đủ)."
    )
    return 0


def cmd_reach(args: argparse.Namespace) -> int:
    from .movers import reach

    ed, s, trend = _scenario_for(args)
    rank, cap = _int_arg(args.rank, "--rank"), _float_arg(args.cap, "--cap")
    if not 1 <= rank <= ed.n:
        raise CliError(f"--rank {args.rank}: the target rank must be between 1 and {ed.n}")
    if cap is not None and (not math.isfinite(cap) or cap <= 0):
        raise CliError(f"--cap {args.cap}: the cap must be a positive number of points")
    r = reach(ed, s, rank, cap=cap, trend=trend)
    if args.json:
        _print_json(
            {
                "unit": r.unit,
                "edition": r.edition,
                "scale": r.scale,
                "target_rank": r.target_rank,
                "feasible": r.feasible,
                "gains": [{"code": g.code, "delta_score": g.delta_score} for g in r.gains],
                "pii": r.pii,
                "rank": r.rank,
                "start_pii": r.start_pii,
                "start_rank": r.start_rank,
                "total_points": r.total_points,
                "best_pii": r.best_pii,
                "best_rank": r.best_rank,
                "verified": r.verified,
                "minimal": r.minimal,
            }
        )
        return 0
    fw = ed.framework
    cap_text = f", tối đa +{_f(cap, 1)} điểm/chỉ số/năm" if cap is not None else ""
    print(
        f"{ed.name(r.unit)} — mục tiêu hạng {r.target_rank} "
        f"(PII {r.edition}, thang điểm: {r.scale}{cap_text}); hiện tại hạng {r.start_rank}"
    )
    if not r.feasible:
        print(
            f"Không thể đạt hạng {r.target_rank}: kể cả khi mọi chỉ số đạt mức cho phép, "
            f"PII {_f(r.best_pii)}, hạng {r.best_rank}."
        )
        return 0
    if not r.gains:
        print(f"Đã đạt: hạng {r.start_rank} (PII {_f(r.start_pii)}).")
        return 0
    print(
        f"Cần tăng tổng cộng {_f(r.total_points)} điểm ở {len(r.gains)} chỉ số: "
        f"PII {_f(r.start_pii)} → {_f(r.pii)}, hạng {r.start_rank} → {r.rank}"
        + ("" if r.verified else " (chưa kiểm chứng được bằng mô hình đầy đủ)")
    )
    rows = [
        [
            g.code,
            fw.indicator(g.code).name_vi[:60],
            _f(g.from_score),
            number(g.delta_score, "vi", 2, True),
            _f(g.to_score),
        ]
        for g in sorted(r.gains, key=lambda g: -g.delta_score)
    ]
    print(
        _table(
            ["Mã", "Chỉ số", "Điểm hiện tại", "Tăng", "Điểm mới"],
            rows,
            [False, False, True, True, True],
        )
    )
    return 0


def cmd_uncertainty(args: argparse.Namespace) -> int:
    from .uncertainty import MAX_RUNS, uncertainty

    runs, seed = _int_arg(args.runs, "--runs"), _int_arg(args.seed, "--seed")
    spread = _float_arg(args.spread, "--spread")
    if not 1 <= runs <= MAX_RUNS:
        raise CliError(f"--runs {args.runs}: the number of runs must be between 1 and {MAX_RUNS}")
    if seed < 0:
        raise CliError(f"--seed {args.seed}: the seed must be a non-negative whole number")
    if spread is None or not math.isfinite(spread) or not 0 <= spread < 1:
        raise CliError(f"--spread {args.spread}: the weight spread must be between 0 and 1")
    ed, s, trend = _scenario_for(args)
    with_scenario = bool(args.preset or args.set)
    res = uncertainty(
        ed,
        s if with_scenario else s.unit,
        runs=runs,
        seed=seed,
        spread=spread,
        weights=args.weights,
        trend=trend,
    )
    summary = res.summary()
    if args.json:
        _print_json(summary)
        return 0
    print(
        f"{ed.name(s.unit)} — độ bất định của thứ hạng PII {ed.year}: "
        f"{number(res.runs, 'vi', 0)} lần chạy Monte Carlo (hạt giống {res.seed}; trọng số "
        f"{'trụ cột' if res.weights == 'pillar' else 'chỉ số'} ±{_f(100 * res.spread, 0)}%, "
        "trung bình cộng/nhân, xử lý ngoại lai bật/tắt)"
    )
    print(
        f"Nền: hạng {summary['rank']}; hạng trung vị {summary['median_rank']}, "
        f"khoảng 5–95%: {summary['p5']}–{summary['p95']}"
    )
    if "scenario" in summary:
        sc = summary["scenario"]
        print(
            f"Kịch bản: hạng {sc['rank']}; hạng trung vị {sc['median_rank']}, "
            f"khoảng 5–95%: {sc['p5']}–{sc['p95']}"
        )
        print("Kết luận: " + res.verdict(s.unit, "vi"))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m model", description="PII scenario simulator — command line"
    )
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser(
        "build", help="build data/pii.duckdb from data/sources and print the fidelity report"
    )
    b.add_argument(
        "--verbose",
        action="store_true",
        help="print every published number beside the reproduced one",
    )
    b.set_defaults(fn=cmd_build)

    r = sub.add_parser("rank", help="national ranking of an edition")
    r.add_argument("--edition", default="2023")
    r.add_argument("--json", action="store_true")
    r.set_defaults(fn=cmd_rank)

    pr = sub.add_parser("profile", help="one unit's profile")
    pr.add_argument("--unit", required=True)
    pr.add_argument("--edition", default="2023")
    pr.add_argument("--json", action="store_true")
    pr.set_defaults(fn=cmd_profile)

    s = sub.add_parser("simulate", help="PII and rank under targets")
    s.add_argument("--unit", required=True)
    s.add_argument("--edition", default="2023")
    s.add_argument("--set", action="append", default=[], metavar="CODE=SCORE")
    s.add_argument("--preset", help="baseline or plan-2024")
    s.add_argument("--peers", default="static", help="static | drift:POINTS | trend")
    s.add_argument("--scale", default="frozen", choices=["frozen", "renormalize"])
    s.add_argument("--target-year", type=int)
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_simulate)

    f = sub.add_parser("fidelity", help="every published number beside the reproduced one")
    f.add_argument("--json", action="store_true")
    f.set_defaults(fn=cmd_fidelity)

    def scenario_args(c: argparse.ArgumentParser) -> None:
        c.add_argument("--unit", required=True)
        c.add_argument("--edition", default="2023")
        c.add_argument("--preset", help="start from a preset: baseline or plan-2024")
        c.add_argument("--set", action="append", default=[], metavar="CODE=SCORE")
        c.add_argument("--peers", default="static", help="static | drift:POINTS | trend")
        c.add_argument("--scale", default="frozen", choices=["frozen", "renormalize"])
        c.add_argument("--json", action="store_true")

    se = sub.add_parser(
        "sensitivity", help="each indicator's effect on the unit's PII and rank (movers)"
    )
    scenario_args(se)
    se.add_argument("--step", default="10", help="points added (default 10)")
    se.set_defaults(fn=cmd_sensitivity)

    re_ = sub.add_parser("reach", help="the smallest gains that lift the unit to a target rank")
    scenario_args(re_)
    re_.add_argument("--rank", required=True)
    re_.add_argument("--cap", help="at most this many points per indicator and year")
    re_.set_defaults(fn=cmd_reach)

    un = sub.add_parser("uncertainty", help="Monte Carlo median rank and 5-95%% interval")
    scenario_args(un)
    un.add_argument("--runs", default="1000")
    un.add_argument("--seed", default="2024")
    un.add_argument("--spread", default="0.2", help="weights x U(1-p, 1+p)")
    un.add_argument("--weights", default="pillar", choices=["pillar", "indicator"])
    un.set_defaults(fn=cmd_uncertainty)

    from .cli_budget import add_commands as budget_commands  # optimize, plan-cost
    from .cli_data import add_commands as data_commands  # import, versions, rollback, template
    from .cli_merge import add_commands as merge_commands  # merge
    from .cli_report import add_commands as report_commands  # report

    budget_commands(sub)
    report_commands(sub)
    merge_commands(sub)
    data_commands(sub)
    return p


from .cli_data import DataCliError  # noqa: E402 - beside main, which catches it


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if hasattr(args, "edition") and args.command != "build":
            args.edition = str(args.edition)
        return args.fn(args)
    except (UnknownName, ScenarioError, CliError, SourceError, DataCliError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    try:
        code = main()
    except BrokenPipeError:  # output piped into `head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
