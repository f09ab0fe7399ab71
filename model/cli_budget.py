"""`optimize` and `plan-cost`: the budget commands of `python -m model` (see model/budget.py).

`add_commands(sub)` registers both on the main CLI's subparsers; each handler takes the parsed
args and returns an exit code. Bad input raises ScenarioError, which the main CLI prints as
"Lỗi: …" with exit code 2. Money is in billion VND (tỷ đồng); output is a Vietnamese table, or
JSON with English keys and plain numbers with --json.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence

from . import api
from .budget import Assumptions, marginal_pii_per_billion, optimize, plan_cost, rules
from .dataset import Edition
from .fmt import number
from .scenario import ScenarioError

PERSISTENCE_VI = {"flow": "hằng năm", "stock": "một lần"}
ITEM_VI = {
    "grdp_billion_vnd": "GRDP (tỷ đồng)",
    "population_persons": "dân số",
    "active_firms": "doanh nghiệp đang hoạt động",
    "new_firms_per_year": "doanh nghiệp thành lập mới/năm",
    "employed_persons": "lao động có việc làm",
    "secondary_students": "học sinh trung học",
    "learners": "người học",
    "communes": "đơn vị hành chính cấp xã",
}
PROVENANCE_VI = {
    "reported": "đã công bố",
    "published": "đã công bố",
    "inferred": "suy ra",
    "assumption": "giả định",
    "projected": "dự phóng",
}


def add_commands(sub: argparse._SubParsersAction) -> None:
    o = sub.add_parser(
        "optimize",
        help="split a yearly budget (billion VND) across the levers to raise the PII, "
        "or reach a rank at least cost",
    )
    o.add_argument("--unit", required=True)
    o.add_argument("--edition", default="2023")
    o.add_argument("--budget", help="billion VND a year (a ceiling with --objective rank)")
    o.add_argument("--objective", default="pii", choices=["pii", "rank"])
    o.add_argument("--target-rank", help="the rank to reach (with --objective rank)")
    o.add_argument("--years", default="1", help="years the allocation runs (effects in the last)")
    o.add_argument("--peers", default="static", help="static | drift:POINTS | trend")
    o.add_argument("--json", action="store_true")
    o.set_defaults(fn=cmd_optimize)

    p = sub.add_parser("plan-cost", help="what meeting each target of an action plan costs")
    p.add_argument("--unit", required=True)
    p.add_argument("--edition", default="2023")
    p.add_argument("--plan", default="bac-giang-2024")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_plan_cost)


# --------------------------------------------------------------------------------------------


def _f(x: float | None, d: int = 2, sign: bool = False) -> str:
    return number(x, "vi", d, sign)


def _float(text: str, flag: str) -> float:
    try:
        v = float(str(text).replace(",", "."))
    except ValueError:
        raise ScenarioError(f"{flag} {text!r} is not a number") from None
    if not math.isfinite(v) or v < 0:
        raise ScenarioError(f"{flag} must be a number ≥ 0, got {text!r}")
    return v


def _int(text: str, flag: str) -> int:
    try:
        return int(str(text))
    except ValueError:
        raise ScenarioError(f"{flag} {text!r} is not a whole number") from None


def _context(args: argparse.Namespace, **kw: object) -> tuple[Edition, Assumptions, object]:
    ed = api.edition(str(args.edition))
    if args.unit not in ed.slugs:
        raise ScenarioError(
            f"unknown unit {args.unit!r} for edition {ed.year}; valid units: {', '.join(ed.slugs)}"
        )
    a = Assumptions.default(args.unit, ed.year, **kw)
    trend = api.trend_for(ed) if a.peers == "trend" else None
    return ed, a, trend


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


# --------------------------------------------------------------------------------------------
# optimize
# --------------------------------------------------------------------------------------------


def cmd_optimize(args: argparse.Namespace) -> int:
    budget = None if args.budget is None else _float(args.budget, "--budget")
    years = _int(args.years, "--years")
    target = None if args.target_rank is None else _int(args.target_rank, "--target-rank")
    if args.objective == "pii" and budget is None:
        raise ScenarioError("--budget (billion VND a year) is needed with --objective pii")
    if args.objective == "rank" and target is None:
        raise ScenarioError("--target-rank is needed with --objective rank")
    kw = {"peers": args.peers} | ({} if budget is None else {"budget_bn_per_year": budget})
    ed, a, trend = _context(args, **kw)
    alloc = optimize(
        a,
        ed,
        budget_bn=budget,
        years=years,
        objective=args.objective,
        target_rank=target,
        trend=trend,
    )
    out = alloc.to_dict()
    out["rules"] = _rules_summary(a, ed, alloc.spent_bn, years, trend)
    out["marginal_pii_per_billion"] = marginal_pii_per_billion(
        a, ed, alloc, years=years, trend=trend
    )
    out["peers"] = a.peers
    if args.json:
        _print_json(out)
    else:
        _print_allocation(ed, a, out)
    return 0


def _rules_summary(a: Assumptions, ed: Edition, money: float, years: int, trend) -> dict | None:
    """Equal split and the best all-on-one-lever rule for the same money."""
    if money <= 0:
        return None
    try:
        r = rules(a, ed, money, years, trend)
    except ScenarioError:  # no lever acts within the horizon
        return None
    singles = {k.split(":", 1)[1]: v for k, v in r.items() if k.startswith("single:")}
    code = max(singles, key=lambda c: singles[c].pii)
    best = singles[code]
    return {
        "budget": money,
        "equal_split": {"levers": len(singles), "pii": r["equal"].pii, "rank": r["equal"].rank},
        "best_single": {"code": code, "pii": best.pii, "rank": best.rank},
    }


def _print_allocation(ed: Edition, a: Assumptions, out: dict) -> None:
    name, b = ed.name(a.unit), out["baseline"]
    print(
        f"{name} — phân bổ ngân sách tăng thêm, nền PII {ed.year} "
        f"(thang điểm cố định; đơn vị khác: {a.peers}; {out['years']} năm)"
    )
    if out["objective"] == "rank":
        ceiling = "không giới hạn" if out["budget"] is None else f"trần {_f(out['budget'])}"
        print(f"Mục tiêu: hạng {out['target_rank']} với chi phí thấp nhất ({ceiling} tỷ đồng/năm)")
    else:
        print(f"Mục tiêu: PII cao nhất với {_f(out['budget'])} tỷ đồng/năm")
    print(
        f"PII: {_f(b['pii'])} → {_f(out['pii'])} ({_f(out['pii'] - b['pii'], sign=True)}); "
        f"hạng {b['rank']} → {out['rank']}"
    )
    levers = {lv.code: lv for lv in a.levers}
    rows = [
        [
            r["code"],
            levers[r["code"]].lever_vi[:48],
            _f(r["spend"]),
            _f(r["delta_raw"], 3),
            _f(r["delta_score"]),
            _f(r["delta_pii"], 3, sign=True),
        ]
        for r in out["allocation"]
    ]
    if rows:
        headers = ["Mã", "Đòn bẩy", "Chi (tỷ đ/năm)", "Δ giá trị", "Δ điểm", "Δ PII"]
        print(_table(headers, rows, [False, False, True, True, True, True]))
    spent = f"Đã chi {_f(out['spent'])} tỷ đồng/năm"
    print(spent + ("" if out["unspent"] is None else f"; còn lại {_f(out['unspent'])}."))
    _print_rules(out["rules"])
    best = sorted(out["marginal_pii_per_billion"].items(), key=lambda kv: -kv[1])[:5]
    print(
        "PII tăng thêm cho 1 tỷ đồng/năm kế tiếp: " + "; ".join(f"{c} {_f(v, 4)}" for c, v in best)
    )
    print("Chi phí đòn bẩy là giả định: data/sources/budget_levers.csv, economy.csv.")


def _print_rules(r: dict | None) -> None:
    if not r:
        return
    eq, one = r["equal_split"], r["best_single"]
    print(
        f"Cùng {_f(r['budget'])} tỷ đồng/năm: chia đều {eq['levers']} đòn bẩy → PII "
        f"{_f(eq['pii'])} (hạng {eq['rank']}); dồn hết vào {one['code']} (tốt nhất) → PII "
        f"{_f(one['pii'])} (hạng {one['rank']})."
    )


# --------------------------------------------------------------------------------------------
# plan-cost
# --------------------------------------------------------------------------------------------


def cmd_plan_cost(args: argparse.Namespace) -> int:
    ed, a, trend = _context(args)
    try:
        plan = api.plan(args.plan)
    except ScenarioError:
        raise ScenarioError(f"plan {args.plan!r} not found") from None
    out = plan_cost(a, ed, plan, trend)
    if args.json:
        _print_json(out)
    else:
        _print_plan_cost(ed, a, out)
    return 0


def _plan_row(r: dict) -> list[str]:
    if not r["moveable"] or r["cost"] is None:
        cost, kind, years = "–", "–", "–"
        why = "không mua được bằng tiền: " if not r["moveable"] else "vượt mức bão hòa: "
        note = why + (r["bottleneck"] or "")
    else:
        cost, kind = _f(r["cost"]), PERSISTENCE_VI[r["persistence"]]
        years, note = str(r["years_needed"]), ""
    return [
        r["code"],
        _f(r["score"]),
        _f(r["target"]),
        _f(r["delta_raw"], 3),
        cost,
        kind,
        years,
        note[:90],
    ]


def _print_plan_cost(ed: Edition, a: Assumptions, out: dict) -> None:
    print(
        f"{ed.name(a.unit)} — chi phí đạt các mục tiêu của kế hoạch {out['plan']} "
        f"(năm {out['year']}, nền PII {ed.year}; tỷ đồng)"
    )
    headers = ["Mã", "Điểm", "Mục tiêu", "Δ giá trị", "Chi phí", "Loại", "Số năm", "Ghi chú"]
    rows = [_plan_row(r) for r in out["targets"]]
    print(_table(headers, rows, [False, True, True, True, True, False, True, False]))
    print(
        f"Tổng (cộng từng dòng): {_f(out['total'])} tỷ đồng; tính trùng (chi KH&CN cũng nâng "
        f"2.2.2): {_f(out['overlap'])}; chi phí chung: {_f(out['joint'])}."
    )
    buys = out["buys"]
    mv, al = buys["moveable_targets"], buys["all_targets"]
    print(
        f"Đạt các mục tiêu mua được bằng tiền: PII {_f(mv['pii'])} (hạng {mv['rank']}); "
        f"đạt tất cả: PII {_f(al['pii'])} (hạng {al['rank']})."
    )
    same = out["same_money"]
    print(
        f"Cùng {_f(same['budget'])} tỷ đồng trong 1 năm (có trần và độ trễ): tối ưu → PII "
        f"{_f(same['optimised']['pii'])} (hạng {same['optimised']['rank']}); chia đều → PII "
        f"{_f(same['equal_split']['pii'])} (hạng {same['equal_split']['rank']})."
    )
    econ = "; ".join(
        f"{ITEM_VI.get(e['item'], e['item'])} {_f(e['value'], 0)} "
        f"({PROVENANCE_VI.get(e['provenance'], e['provenance'])})"
        for e in out["assumptions"]["economy"]
    )
    print(f"Giả định năm {out['year']}: {econ}.")
    print("Loại: hằng năm = phải chi lại mỗi năm; một lần = tích lũy. Số năm: độ trễ + trần/năm.")
