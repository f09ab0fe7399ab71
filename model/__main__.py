"""Command line: `python -m model <command>` — a thin layer over model.api.

Output is a readable Vietnamese table by default and JSON (English keys, numbers as numbers)
with --json. Unknown names or invalid values: a message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence

from . import api
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
    print(
        f"Xếp hạng PII {args.edition} ({len(df)} địa phương; số liệu tái dựng trừ các số đã công bố)"
    )
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
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if hasattr(args, "edition") and args.command != "build":
            args.edition = str(args.edition)
        return args.fn(args)
    except (UnknownName, ScenarioError, CliError, SourceError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
