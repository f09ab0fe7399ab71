"""`sensitivity`, `reach`, `uncertainty`: what moves a unit's PII and rank, and how sure it is."""

from __future__ import annotations

import argparse
import math

from model import api
from model.i18n import gettext, ngettext
from model.index.scenario import Scenario

from .common import CliError, add_lang, float_arg, int_arg, lang_of, num, parse_set, print_json
from .common import table as _table

WEIGHTS = {"pillar": "cli.uncertainty_pillar", "indicator": "cli.uncertainty_indicator"}
# reach --within: the choice -> how the output names it ({n} indicators); --codes is "custom"
REACH_WITHIN = ("actionable", "plan", "levers", "all")
WITHIN_TEXT = {
    "actionable": "cli.within_actionable",
    "plan": "cli.within_plan",
    "levers": "cli.within_levers",
    "all": "cli.within_all",
    "custom": "cli.within_custom",
}


def add_commands(sub: argparse._SubParsersAction) -> None:
    se = sub.add_parser(
        "sensitivity", help="each indicator's effect on the unit's PII and rank (movers)"
    )
    _scenario_args(se)
    se.add_argument("--plan", metavar="ID", help="start from a plan's targets (plan list)")
    se.add_argument("--step", default="10", help="points added (default 10)")
    se.set_defaults(fn=cmd_sensitivity)

    re_ = sub.add_parser("reach", help="the smallest gains that lift the unit to a target rank")
    _scenario_args(re_)
    re_.add_argument("--rank", required=True)
    re_.add_argument("--cap", help="at most this many points per indicator and year")
    re_.add_argument(
        "--within",
        metavar="|".join(REACH_WITHIN),
        help="which indicators may move: those the province can act on (default), the plan's, "
        "the budget's moveable levers, or all",
    )
    re_.add_argument("--codes", metavar="1.1.1,2.2.3", help="only these indicators may move")
    re_.add_argument(
        "--plan", metavar="ID", help="with --within plan: whose indicators (default plan-2024)"
    )
    re_.set_defaults(fn=cmd_reach)

    un = sub.add_parser("uncertainty", help="Monte Carlo median rank and 5-95%% interval")
    _scenario_args(un)
    un.add_argument("--runs", default="1000")
    un.add_argument("--seed", default="2024")
    un.add_argument("--spread", default="0.2", help="weights x U(1-p, 1+p)")
    un.add_argument("--weights", default="pillar", choices=["pillar", "indicator"])
    un.add_argument("--plan", metavar="ID", help="start from a plan's targets (plan list)")
    un.set_defaults(fn=cmd_uncertainty)


def _scenario_args(c: argparse.ArgumentParser) -> None:
    c.add_argument("--unit", required=True)
    c.add_argument("--edition", default="2023")
    c.add_argument("--preset", help="start from a preset: baseline or plan-2024")
    c.add_argument("--set", action="append", default=[], metavar="CODE=SCORE")
    c.add_argument("--peers", default="static", help="static | drift:POINTS | trend")
    c.add_argument("--scale", default="frozen", choices=["frozen", "renormalize"])
    c.add_argument("--json", action="store_true")
    add_lang(c)


def _scenario_for(args: argparse.Namespace, start_from_plan: bool = True):
    """The edition, the scenario the command starts from (baseline, --preset or --plan, --set)
    and trend. (reach's --plan names the plan of --within plan instead: start_from_plan off.)"""
    from model.index.scenario import check

    ed = api.edition(args.edition)
    ed.unit_index(args.unit)  # a clear message for an unknown unit
    base = Scenario(unit=args.unit, edition=ed.year, peers=args.peers, scale=args.scale)
    if start_from_plan and getattr(args, "plan", None):
        from .plan import plan_scenario

        s = plan_scenario(args.plan, args.unit, ed, base, args.preset)
    else:
        s = api.preset(args.preset, base) if args.preset else base
    if args.set:
        s = s.with_targets(parse_set(args.set))
    check(s, ed)
    trend = api.trend_for(ed) if s.peers == "trend" else None
    return ed, s, trend


def _headers(lang: str, ids: list[str], **params: object) -> list[str]:
    return [gettext(lang, h, **params) for h in ids]


# --- sensitivity ----------------------------------------------------------------------------


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from model.movers import movers

    step = float_arg(args.step, "--step")
    if step is None or not math.isfinite(step) or not 0 < step <= 100:  # scores run 0-100
        raise CliError("cli.err_step", value=str(args.step))
    ed, s, trend = _scenario_for(args)
    mv = movers(ed, s, step=step, trend=trend)
    if args.json:  # one object per indicator, in framework order
        print_json(
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
    lang = lang_of(args)
    _print_movers(ed, mv, lang)
    return 0


def _print_movers(ed, mv, lang: str) -> None:
    fw = ed.framework
    nxt = ", ".join(ed.name(x, lang) for x in mv.next_units) or gettext(lang, "cli.movers_leader")
    if mv.next_pii is not None:
        nxt += f" ({num(mv.next_pii, lang)})"
    print(
        gettext(
            lang,
            "cli.movers_title",
            name=ed.name(mv.unit, lang),
            edition=mv.edition,
            scale=mv.scale,
            step=num(mv.step, lang, 1),
        )
    )
    print(
        gettext(lang, "cli.movers_position", pii=num(mv.pii, lang), rank=mv.rank, n=ed.n, next=nxt)
    )
    items = sorted(mv, key=lambda m: (-m.delta_pii_at_step, -m.weight, fw.index[m.code]))
    rows = [
        [
            m.code,
            getattr(fw.indicator(m.code), f"name_{lang}")[:48],
            num(m.score, lang, 1),
            num(100 * m.weight, lang, 2) + "%",
            num(m.delta_pii_per_point, lang, 4),
            num(m.delta_pii_at_step, lang, 2, True),
            str(m.rank_at_step),
            str(m.rank_at_best),
            "–" if m.points_to_next_rank is None else num(m.points_to_next_rank, lang, 1),
        ]
        for m in items
    ]
    headers = [
        "cli.col_code",
        "cli.col_indicator",
        "cli.col_score",
        "cli.col_weight",
        "cli.col_dpii_point",
        "cli.col_dpii_step",
        "cli.col_rank",
        "cli.col_best_rank",
        "cli.col_to_overtake",
    ]
    right = [False, False, True, True, True, True, True, True, True]
    print(_table(_headers(lang, headers, step=num(mv.step, lang, 0)), rows, right))
    print(gettext(lang, "cli.movers_legend"))


# --- reach ----------------------------------------------------------------------------------


def _within(args: argparse.Namespace, ed) -> tuple[str, tuple[str, ...]]:
    """--within / --codes: the choice and the indicators that may move (default actionable)."""
    from model.movers import allowed_codes

    if args.codes is not None:
        if args.within is not None:
            raise CliError("cli.err_within_codes")
        codes = [c.strip() for c in args.codes.split(",") if c.strip()]
        if not codes:
            raise CliError("cli.err_codes_empty", value=args.codes)
        return "custom", allowed_codes(ed, "custom", codes=codes)
    within = args.within or "actionable"
    if within not in REACH_WITHIN:
        raise CliError("cli.err_within", value=within, valid=", ".join(REACH_WITHIN))
    plan = None
    if within == "plan":
        from .plan import load_plan

        plan = load_plan(args.plan) if args.plan else api.plan()
    return within, allowed_codes(ed, within, plan=plan)


def cmd_reach(args: argparse.Namespace) -> int:
    from model.movers import reach

    ed, s, trend = _scenario_for(args, start_from_plan=False)
    rank, cap = int_arg(args.rank, "--rank"), float_arg(args.cap, "--cap")
    if not 1 <= rank <= ed.n:
        raise CliError("cli.err_rank", value=str(args.rank), n=ed.n)
    if cap is not None and (not math.isfinite(cap) or not 0 < cap <= 100):
        raise CliError("cli.err_cap", value=str(args.cap))
    within, allowed = _within(args, ed)
    r = reach(ed, s, rank, cap=cap, codes=allowed, trend=trend)
    if args.json:
        print_json(
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
                "within": within,
                "allowed_codes": list(allowed),
            }
        )
        return 0
    lang = lang_of(args)
    _print_reach(ed, r, cap, lang, _within_text(lang, within, allowed))
    return 0


def _within_text(lang: str, within: str, allowed: tuple[str, ...]) -> str:
    what = ngettext(
        lang, WITHIN_TEXT[within], len(allowed), n=len(allowed), codes=", ".join(allowed)
    )
    return gettext(lang, "cli.reach_within", what=what)


def _print_reach(ed, r, cap: float | None, lang: str, within: str = "") -> None:
    cap_text = "" if cap is None else gettext(lang, "cli.reach_cap", cap=num(cap, lang, 1))
    print(
        gettext(
            lang,
            "cli.reach_title",
            name=ed.name(r.unit, lang),
            target=r.target_rank,
            edition=r.edition,
            scale=r.scale,
            cap=cap_text,
            rank=r.start_rank,
        )
    )
    if within:
        print(within)
    if not r.feasible:
        print(
            gettext(
                lang,
                "cli.reach_infeasible",
                target=r.target_rank,
                pii=num(r.best_pii, lang),
                rank=r.best_rank,
            )
        )
        return
    if not r.gains:
        print(gettext(lang, "cli.reach_reached", rank=r.start_rank, pii=num(r.start_pii, lang)))
        return
    need = ngettext(
        lang,
        "cli.reach_need",
        len(r.gains),
        points=num(r.total_points, lang),
        pii_before=num(r.start_pii, lang),
        pii_after=num(r.pii, lang),
        rank_before=r.start_rank,
        rank_after=r.rank,
    )
    print(need + ("" if r.verified else gettext(lang, "cli.reach_unverified")))
    fw = ed.framework
    rows = [
        [
            g.code,
            getattr(fw.indicator(g.code), f"name_{lang}")[:60],
            num(g.from_score, lang),
            num(g.delta_score, lang, 2, True),
            num(g.to_score, lang),
        ]
        for g in sorted(r.gains, key=lambda g: -g.delta_score)
    ]
    headers = ["cli.col_code", "cli.col_indicator", "cli.col_now", "cli.col_gain", "cli.col_new"]
    print(_table(_headers(lang, headers), rows, [False, False, True, True, True]))


# --- uncertainty ----------------------------------------------------------------------------


def cmd_uncertainty(args: argparse.Namespace) -> int:
    from model.movers.uncertainty import MAX_RUNS, uncertainty

    runs, seed = int_arg(args.runs, "--runs"), int_arg(args.seed, "--seed")
    spread = float_arg(args.spread, "--spread")
    if not 1 <= runs <= MAX_RUNS:
        raise CliError("cli.err_runs", value=str(args.runs), max=MAX_RUNS)
    if seed < 0:
        raise CliError("cli.err_seed", value=str(args.seed))
    if spread is None or not math.isfinite(spread) or not 0 <= spread < 1:
        raise CliError("cli.err_spread", value=str(args.spread))
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
        print_json(summary)
        return 0
    lang = lang_of(args)
    print(
        ngettext(
            lang,
            "cli.uncertainty_title",
            res.runs,
            name=ed.name(s.unit, lang),
            edition=ed.year,
            runs=num(res.runs, lang, 0),
            seed=res.seed,
            weights=gettext(lang, WEIGHTS[res.weights]),
            spread=num(100 * res.spread, lang, 0),
        )
    )
    print(_interval(lang, "cli.uncertainty_base", summary))
    if "scenario" in summary:
        print(_interval(lang, "cli.uncertainty_scenario", summary["scenario"]))
        print(gettext(lang, "cli.uncertainty_verdict", text=res.verdict(s.unit, lang)))
    return 0


def _interval(lang: str, msg_id: str, d: dict) -> str:
    return gettext(lang, msg_id, rank=d["rank"], median=d["median_rank"], p5=d["p5"], p95=d["p95"])
