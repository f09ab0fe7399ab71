"""`optimize` and `plan-cost`: the budget commands (see model/budget.py).

Money is in billion VND (tỷ đồng). Bad input raises ScenarioInputError, a ScenarioError as these
commands have always raised.
"""

from __future__ import annotations

import argparse
import math

from model import api
from model.budget import (
    MAX_BUDGET_BN,
    Assumptions,
    marginal_pii_per_billion,
    optimize,
    plan_cost,
    rules,
)
from model.budget import path as budget_path
from model.i18n import gettext, ngettext
from model.index.dataset import Edition
from model.index.scenario import ScenarioError

from .common import ScenarioInputError, add_lang, float_arg, int_arg, lang_of, num, print_json
from .common import table as _table

PERSISTENCE = {"flow": "cli.persistence_flow", "stock": "cli.persistence_stock"}
ITEMS = {
    "grdp_billion_vnd": "cli.item_grdp",
    "population_persons": "cli.item_population",
    "active_firms": "cli.item_active_firms",
    "new_firms_per_year": "cli.item_new_firms",
    "employed_persons": "cli.item_employed",
    "secondary_students": "cli.item_secondary_students",
    "learners": "cli.item_learners",
    "communes": "cli.item_communes",
    "st_budget_billion_vnd": "statistics.item_st_budget",
}
SOURCES = {
    "reported": "cli.source_reported",
    "published": "cli.source_published",
    "inferred": "cli.source_inferred",
    "assumption": "cli.source_assumption",
    "projected": "cli.source_projected",
    "statistics": "statistics.source_statistics",
    "estimate": "statistics.source_estimate",
    "user": "statistics.source_user",
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
    p.add_argument(
        "--plan",
        metavar="ID",
        help="a plan's id (python -m model plan list); default: the unit's first plan",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_plan_cost)

    pa = sub.add_parser(
        "path", help="PII and rank year by year to the horizon, the budget growing each year"
    )
    pa.add_argument("--unit", required=True)
    pa.add_argument("--edition", default="2023")
    pa.add_argument("--budget", default="50", help="billion VND in the first year")
    pa.add_argument("--growth", default="10", help="% a year the budget grows")
    pa.add_argument("--horizon", default="2030", help="the last year")
    pa.add_argument("--allocation", default="optimal", choices=["optimal", "equal"])
    pa.add_argument("--peers", default="static", help="static | drift:POINTS | trend")
    pa.add_argument("--json", action="store_true")
    pa.set_defaults(fn=cmd_path)

    for c in (o, p, pa):
        add_lang(c)


def _money(text: str, flag: str) -> float:
    v = float_arg(text, flag, ScenarioInputError)
    assert v is not None
    if not math.isfinite(v) or v < 0:
        raise ScenarioInputError("cli.err_not_negative", flag=flag, value=str(text))
    return v


def _budget(text: str) -> float:
    """--budget: money a year, up to the budget page's ceiling (far beyond that, the numbers
    printed lose their meaning and, from about 1e26, cannot be formatted at all)."""
    v = _money(text, "--budget")
    if v > MAX_BUDGET_BN:
        raise ScenarioInputError("cli.err_budget_range", value=str(text), max=float(MAX_BUDGET_BN))
    return v


def _context(args: argparse.Namespace, **kw: object) -> tuple[Edition, Assumptions, object]:
    ed = api.edition(str(args.edition))
    if args.unit not in ed.slugs:
        raise ScenarioInputError(
            "cli.err_unknown_unit", unit=args.unit, edition=ed.year, valid=", ".join(ed.slugs)
        )
    a = Assumptions.default(args.unit, ed.year, ed=ed, **kw)
    trend = api.trend_for(ed) if a.peers == "trend" else None
    return ed, a, trend


def _label(lang: str, ids: dict[str, str], key: str) -> str:
    return gettext(lang, ids[key]) if key in ids else key


# --------------------------------------------------------------------------------------------
# optimize
# --------------------------------------------------------------------------------------------


def cmd_optimize(args: argparse.Namespace) -> int:
    budget = None if args.budget is None else _budget(args.budget)
    years = int_arg(args.years, "--years", ScenarioInputError)
    target = (
        None
        if args.target_rank is None
        else int_arg(args.target_rank, "--target-rank", ScenarioInputError)
    )
    if args.objective == "pii" and budget is None:
        raise ScenarioInputError("cli.err_budget_needed")
    if args.objective == "rank" and target is None:
        raise ScenarioInputError("cli.err_target_rank_needed")
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
    out["economy"] = economy_summary(a, ed.year + 1)
    if args.json:
        print_json(out)
    else:
        _print_allocation(ed, a, out, lang_of(args))
        _print_economy(out["economy"], lang_of(args))
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


def _print_allocation(ed: Edition, a: Assumptions, out: dict, lang: str) -> None:
    b = out["baseline"]
    print(
        ngettext(
            lang,
            "cli.optimize_title",
            out["years"],
            name=ed.name(a.unit, lang),
            edition=ed.year,
            peers=a.peers,
        )
    )
    if out["objective"] == "rank":
        ceiling = (
            gettext(lang, "cli.optimize_no_ceiling")
            if out["budget"] is None
            else gettext(lang, "cli.optimize_ceiling", budget=num(out["budget"], lang))
        )
        print(gettext(lang, "cli.optimize_goal_rank", rank=out["target_rank"], ceiling=ceiling))
    else:
        print(gettext(lang, "cli.optimize_goal_pii", budget=num(out["budget"], lang)))
    print(
        gettext(
            lang,
            "cli.simulate_change",
            before=num(b["pii"], lang),
            after=num(out["pii"], lang),
            delta=num(out["pii"] - b["pii"], lang, sign=True),
            rank_before=b["rank"],
            rank_after=out["rank"],
        )
    )
    levers = {lv.code: lv for lv in a.levers}
    rows = [
        [
            r["code"],
            getattr(levers[r["code"]], f"lever_{lang}")[:48],
            num(r["spend"], lang),
            num(r["delta_raw"], lang, 3),
            num(r["delta_score"], lang),
            num(r["delta_pii"], lang, 3, sign=True),
        ]
        for r in out["allocation"]
    ]
    if rows:
        ids = ["cli.col_code", "cli.col_lever", "cli.col_spend"]
        ids += ["cli.col_draw", "cli.col_dscore", "cli.col_dpii"]
        headers = [gettext(lang, h) for h in ids]
        print(_table(headers, rows, [False, False, True, True, True, True]))
    spent = gettext(lang, "cli.optimize_spent", spent=num(out["spent"], lang))
    if out["unspent"] is not None:
        spent += gettext(lang, "cli.optimize_unspent", unspent=num(out["unspent"], lang))
    print(spent)
    _print_rules(out["rules"], lang)
    best = sorted(out["marginal_pii_per_billion"].items(), key=lambda kv: -kv[1])[:5]
    marginal = "; ".join(f"{c} {num(v, lang, 4)}" for c, v in best)
    print(gettext(lang, "cli.optimize_marginal", levers=marginal))
    print(gettext(lang, "cli.optimize_assumed"))


def _print_rules(r: dict | None, lang: str) -> None:
    if not r:
        return
    eq, one = r["equal_split"], r["best_single"]
    print(
        gettext(
            lang,
            "cli.optimize_rules",
            budget=num(r["budget"], lang),
            levers=eq["levers"],
            equal_pii=num(eq["pii"], lang),
            equal_rank=eq["rank"],
            code=one["code"],
            best_pii=num(one["pii"], lang),
            best_rank=one["rank"],
        )
    )


# --------------------------------------------------------------------------------------------
# path
# --------------------------------------------------------------------------------------------


def cmd_path(args: argparse.Namespace) -> int:
    """The Budget page's path to the horizon, for any unit of any edition."""
    budget = _budget(args.budget)
    growth = float_arg(args.growth, "--growth", ScenarioInputError)
    horizon = int_arg(args.horizon, "--horizon", ScenarioInputError)
    kw = {"budget_bn_per_year": budget, "budget_growth_pct": growth, "horizon_year": horizon}
    ed, a, trend = _context(args, peers=args.peers, **kw)
    out = budget_path(a, ed, allocation=args.allocation, trend=trend).to_dict()
    out["economy"] = economy_summary(a, ed.year + 1)
    if args.json:
        print_json(out)
        return 0
    lang = lang_of(args)
    print(gettext(lang, "statistics.path_title", name=ed.name(a.unit, lang), edition=ed.year))
    headers = [gettext(lang, h) for h in ("statistics.col_year", "statistics.col_budget")]
    headers += [gettext(lang, h) for h in ("cli.col_spend", "statistics.col_pii", "cli.col_rank")]
    rows = [
        [str(y["year"]), num(y["budget"], lang), num(y["spent"], lang), num(y["pii"], lang),
         str(y["rank"])]
        for y in out["years"]
    ]  # fmt: skip
    print(_table(headers, rows, [False, True, True, True, True]))
    _print_economy(out["economy"], lang)
    return 0


def economy_summary(a: Assumptions, year: int) -> list[dict]:
    """The economy the budget rests on in `year`: value, provenance (statistics, estimate,
    assumption, user, or projected from an earlier year) and source."""
    out = []
    for item in ("grdp_billion_vnd", "population_persons", "st_budget_billion_vnd"):
        try:
            value = a.economy_value(item, year)
        except ScenarioError:
            continue  # the S&T budget is missing without the edition's 2.2.2
        f = a.economy_fact(item, year)
        out.append(
            {
                "item": item,
                "year": year,
                "value": value,
                "provenance": f.provenance if f else "projected",
                "source": f.source if f else "",
            }
        )
    return out


def _print_economy(economy: list[dict], lang: str) -> None:
    items = "; ".join(
        f"{_label(lang, ITEMS, e['item'])} {num(e['value'], lang, 0)} "
        f"({_label(lang, SOURCES, e['provenance'])})"
        for e in economy
    )
    print(gettext(lang, "statistics.economy_line", items=items))


# --------------------------------------------------------------------------------------------
# plan-cost
# --------------------------------------------------------------------------------------------


def cmd_plan_cost(args: argparse.Namespace) -> int:
    ed, a, trend = _context(args)
    plan = _plan_of(args, ed)
    out = plan_cost(a, ed, plan, trend)
    if args.json:
        print_json(out)
    else:
        _print_plan_cost(ed, a, out, lang_of(args))
    return 0


def _plan_of(args: argparse.Namespace, ed: Edition):
    """The plan --plan names (built in or stored), else the unit's first plan on `ed`."""
    from model.plan import library
    from model.workspace import WorkspaceError

    try:
        if args.plan is None:
            plans = library.plans_for(args.unit, ed)
            if not plans:
                raise ScenarioInputError("plan.cli_no_plan", unit=args.unit, year=ed.year)
            return plans[0]
        return library.get_plan(args.plan)
    except (ScenarioError, WorkspaceError) as exc:
        if isinstance(exc, ScenarioInputError):
            raise
        raise ScenarioInputError("cli.err_plan_not_found", plan=args.plan) from None


def _plan_row(r: dict, lang: str) -> list[str]:
    if not r["moveable"] or r["cost"] is None:
        cost, kind, years = "–", "–", "–"
        why = "cli.plan_not_buyable" if not r["moveable"] else "cli.plan_saturated"
        reason = (r.get("bottleneck_vi") if lang == "vi" else None) or r["bottleneck"] or ""
        note = gettext(lang, why, reason=reason)
    else:
        cost, kind = num(r["cost"], lang), gettext(lang, PERSISTENCE[r["persistence"]])
        years, note = str(r["years_needed"]), ""
    return [
        r["code"],
        num(r["score"], lang),
        num(r["target"], lang),
        num(r["delta_raw"], lang, 3),
        cost,
        kind,
        years,
        note[:90],
    ]


def _print_plan_cost(ed: Edition, a: Assumptions, out: dict, lang: str) -> None:
    name = ed.name(a.unit, lang)
    print(
        gettext(
            lang,
            "cli.plan_cost_title",
            name=name,
            plan=out["plan"],
            year=out["year"],
            edition=ed.year,
        )
    )
    ids = ["cli.col_code", "cli.col_score", "cli.col_target", "cli.col_draw", "cli.col_cost"]
    ids += ["cli.col_kind", "cli.col_years", "cli.col_note"]
    rows = [_plan_row(r, lang) for r in out["targets"]]
    right = [False, True, True, True, True, False, True, False]
    print(_table([gettext(lang, h) for h in ids], rows, right))
    print(
        gettext(
            lang,
            "cli.plan_cost_total",
            total=num(out["total"], lang),
            overlap=num(out["overlap"], lang),
            joint=num(out["joint"], lang),
        )
    )
    mv, al = out["buys"]["moveable_targets"], out["buys"]["all_targets"]
    print(
        gettext(
            lang,
            "cli.plan_cost_buys",
            moveable_pii=num(mv["pii"], lang),
            moveable_rank=mv["rank"],
            all_pii=num(al["pii"], lang),
            all_rank=al["rank"],
        )
    )
    same = out["same_money"]
    print(
        gettext(
            lang,
            "cli.plan_cost_same_money",
            budget=num(same["budget"], lang),
            best_pii=num(same["optimised"]["pii"], lang),
            best_rank=same["optimised"]["rank"],
            equal_pii=num(same["equal_split"]["pii"], lang),
            equal_rank=same["equal_split"]["rank"],
        )
    )
    econ = "; ".join(
        f"{_label(lang, ITEMS, e['item'])} {num(e['value'], lang, 0)} "
        f"({_label(lang, SOURCES, e['provenance'])})"
        for e in out["assumptions"]["economy"]
    )
    print(gettext(lang, "cli.plan_cost_assumed", year=out["year"], items=econ))
    print(gettext(lang, "cli.plan_cost_legend"))
