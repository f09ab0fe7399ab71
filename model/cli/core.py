"""`build`, `rank`, `profile`, `simulate`, `fidelity`: the index itself."""

from __future__ import annotations

import argparse
import json

from model import api
from model.estimates.build import build, build_guard
from model.estimates.quality import intervals, marks
from model.i18n import gettext, ngettext, render
from model.index.scenario import Scenario
from model.official import versions

from . import common
from .common import (
    PROVENANCE,
    add_lang,
    int_arg,
    lang_of,
    num,
    parse_set,
    print_json,
    table,
)
from .plan import plan_scenario


def add_commands(sub: argparse._SubParsersAction) -> None:
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
    s.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="CODE=SCORE|CODE>=SCORE",
        help="repeatable. CODE=SCORE sets the score exactly (below the baseline lowers it); "
        "'CODE>=SCORE' (quoted: > is the shell's redirection) means at least, as a plan's "
        "targets do: a score already higher stays",
    )
    s.add_argument(
        "--at-least",
        action="store_true",
        help="every --set CODE=SCORE means at least (as CODE>=SCORE)",
    )
    s.add_argument("--preset", help="baseline or plan-2024")
    s.add_argument("--plan", metavar="ID", help="a plan's targets (python -m model plan list)")
    s.add_argument("--peers", default="static", help="static | drift:POINTS | trend")
    s.add_argument("--scale", default="frozen", choices=["frozen", "renormalize"])
    s.add_argument("--target-year", help="the year the targets are for (default: edition + 1)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_simulate)

    f = sub.add_parser("fidelity", help="every published number beside the reproduced one")
    f.add_argument("--json", action="store_true")
    f.set_defaults(fn=cmd_fidelity)

    for p in (b, r, pr, s, f):
        add_lang(p)


# --------------------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    with build_guard():
        report = build(echo=print, verbose=args.verbose, lang=lang_of(args))
    return 0 if report.ok else 1


def cmd_rank(args: argparse.Namespace) -> int:
    df = api.ranking(args.edition)
    if args.json:
        print_json(
            [
                {
                    "unit": r.unit,
                    "name": r.name_vi,
                    "pii": round(r.pii, 4),
                    "rank": int(r.rank),
                    "input": round(r.input, 4),
                    "output": round(r.output, 4),
                    "pillars": {str(k): round(getattr(r, f"p{k}"), 4) for k in range(1, 8)},
                    "pii_provenance": r.pii_provenance,
                    "rank_provenance": r.rank_provenance,
                    **intervals.json_fields(r),  # estimates only: pii_low … rank_high
                }
                for r in df.itertuples()
            ]
        )
        return 0
    lang = lang_of(args)
    names = df["name_en"] if lang == "en" else df["name_vi"]
    rows = [
        [
            common.marked_rank(
                lang, r.rank, getattr(r, "rank_low", None), getattr(r, "rank_high", None)
            ),
            name,
            common.marked_value(
                lang, r.pii, getattr(r, "pii_low", None), getattr(r, "pii_high", None)
            ),
            num(r.input, lang),
            num(r.output, lang),
            gettext(lang, PROVENANCE[r.pii_provenance]),
        ]
        for r, name in zip(df.itertuples(), names, strict=True)
    ]
    official = int((api.edition(args.edition).provenance == "official").sum())
    if official:
        basis = ngettext(lang, "cli.rank_basis_official", official, version=versions.head())
    else:
        basis = gettext(lang, "cli.rank_basis")
    print(gettext(lang, "cli.rank_title", edition=args.edition, n=len(df), basis=basis))
    headers = ["cli.col_rank", "cli.col_unit", "cli.col_pii", "cli.col_input", "cli.col_output"]
    headers.append("cli.col_pii_source")
    right = [True, False, True, True, True, False]
    print(table([gettext(lang, h) for h in headers], rows, right))
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    p = api.profile(args.unit, args.edition)
    if args.json:
        print_json(p)
        return 0
    lang = lang_of(args)
    name = api.edition(args.edition).name(p["unit"], lang)
    print(
        gettext(
            lang,
            "cli.profile_title",
            name=name,
            edition=p["edition"],
            pii=common.marked_value(lang, p["pii"], p.get("pii_low"), p.get("pii_high")),
            rank=common.marked_rank(lang, p["rank"], p.get("rank_low"), p.get("rank_high")),
            n=p["n_units"],
        )
    )
    print(
        gettext(
            lang,
            "cli.input_output",
            input=common.marked_value(lang, p["input"], p.get("input_low"), p.get("input_high")),
            output=common.marked_value(
                lang, p["output"], p.get("output_low"), p.get("output_high")
            ),
        )
    )
    print(gettext(lang, "cli.profile_pillars", pillars=common.marked_pillars(lang, p)))
    rows = [
        [
            i["code"],
            i[f"name_{lang}"][:60],
            num(i["raw"], lang),
            num(i["score"], lang),
            str(i["rank"]),
            gettext(lang, PROVENANCE[i["provenance"]])
            if i["provenance"] in PROVENANCE
            else i["provenance"],
        ]
        for i in p["indicators"]
    ]
    headers = [
        "cli.col_code",
        "cli.col_indicator",
        "cli.col_value",
        "cli.col_score",
        "cli.col_rank",
        "cli.col_source",
    ]
    right = [False, False, True, True, True, False]
    print(table([gettext(lang, h) for h in headers], rows, right))
    strong, weak, estimated = marks.supported(p, intervals.default_widths().below("indicator"))
    print(gettext(lang, "cli.profile_strengths", codes=", ".join(strong)))
    print(gettext(lang, "cli.profile_weaknesses", codes=", ".join(weak)))
    if estimated:
        print(gettext(lang, "reconstruct.sw_note"))
    return 0


def _input_output(lang: str, inp: float, out: float) -> str:
    return gettext(lang, "cli.input_output", input=num(inp, lang), output=num(out, lang))


def _targets(items: list[str], ed, unit: str, at_least: bool) -> dict[str, float]:
    """--set values: CODE=SCORE exact, CODE>=SCORE (or any with --at-least) at least: never
    below the unit's score in `ed`, the rule a plan's targets follow (Plan.effective_targets),
    so a plan and the same targets typed with >= give the same PII."""
    out: dict[str, float] = {}
    for item in items:
        sep = ">=" if ">=" in item else "="
        for code, v in parse_set([item], sep).items():  # a refusal quotes the item as typed
            if sep == ">=" or at_least:
                u = ed.unit_index(unit)
                v = max(v, float(ed.scores[u, ed.framework.require(code)]))
            out[code] = v
    return out


def cmd_simulate(args: argparse.Namespace) -> int:
    ed = api.edition(args.edition)  # a clear message for an unknown edition
    base = Scenario(
        unit=args.unit,
        edition=ed.year,
        peers=args.peers,
        scale=args.scale,
        target_year=None
        if args.target_year is None
        else int_arg(args.target_year, "--target-year"),
    )
    s = api.preset(args.preset, base) if args.preset else base
    if args.plan:
        s = plan_scenario(args.plan, args.unit, ed, base, args.preset)
    if args.set:
        s = s.with_targets(_targets(args.set, ed, args.unit, args.at_least))
    out = api.run(s)
    summary = out.summary()
    if args.json:
        print_json(summary)
        return 0
    lang = lang_of(args)
    b, r = summary["baseline"], summary["scenario"]
    name = out.edition.name(s.unit, lang)
    print(
        gettext(
            lang, "cli.simulate_title", name=name, edition=s.edition, scale=s.scale, peers=s.peers
        )
    )
    print(
        gettext(
            lang,
            "cli.simulate_change",
            before=common.pii_mark(out) + num(b["pii"], lang),
            after=common.pii_mark(out) + num(r["pii"], lang),
            delta=num(r["pii"] - b["pii"], lang, 2, True),
            rank_before=b["rank"],
            rank_after=r["rank"],
        )
    )
    for line in common.simulate_lines(lang, out):  # ≈: an estimated PII, estimated neighbours
        print(line)
    print(_input_output(lang, r["input"], r["output"]))
    rows = [
        [c["code"], num(c["delta_score"], lang, 2, True), num(c["delta_pii"], lang, 3, True)]
        for c in summary["contributions"]
    ]
    if rows:
        headers = [gettext(lang, h) for h in ("cli.col_code", "cli.col_dscore", "cli.col_dpii")]
        print(table(headers, rows, [False, True, True]))
    for w in out.notices:
        print(gettext(lang, "cli.note", text=render(w, lang)))
    return 0


def cmd_fidelity(args: argparse.Namespace) -> int:
    from model.official import store

    df = store.fidelity()
    df = df.assign(use_as_constraint=df["use_as_constraint"].astype(bool), ok=df["ok"].astype(bool))
    if args.json:
        print_json(json.loads(df.to_json(orient="records", force_ascii=False)))
    else:
        lang = lang_of(args)
        print(_fidelity_table(df, lang))
        print(_fidelity_summary(df, lang))
    return 0 if df[df["use_as_constraint"]]["ok"].all() else 1


def _fidelity_table(df, lang: str) -> str:
    """Every published figure beside the reproduced one (model/estimates/quality/fidelity.py's report)."""
    marks = {
        "ok": gettext(lang, "cli.fidelity_ok"),
        "missed": gettext(lang, "cli.fidelity_no"),
        "na": gettext(lang, "cli.fidelity_na"),
    }
    rows = [
        [
            str(r["edition"]),
            str(r["unit"])[:20],
            str(r["level"])[:12],
            str(r["item"])[:6],
            str(r["stat"])[:11],
            _published(r["published"], lang),
            num(r["reproduced"], lang, 3),
            marks["ok" if r["ok"] else ("missed" if r["use_as_constraint"] else "na")],
        ]
        for r in df.to_dict("records")
    ]
    headers = [
        "cli.col_edition",
        "cli.col_unit",
        "cli.col_level",
        "cli.col_item",
        "cli.col_stat",
        "cli.col_published",
        "cli.col_reproduced",
        "cli.col_ok",
    ]
    right = [False, False, False, False, False, True, True, False]
    return table([gettext(lang, h) for h in headers], rows, right)


def _published(x: float | None, lang: str) -> str:
    return "" if x is None or x != x else num(x, lang)  # NaN: no published figure


def _fidelity_summary(df, lang: str) -> str:
    used = df[df["use_as_constraint"]]
    bad = used[~used["ok"]]
    lines = [
        ngettext(
            lang,
            "cli.fidelity_summary",
            len(used),
            met=len(used) - len(bad),
            missed=len(bad),
            shown=len(df) - len(used),
        )
    ]
    for r in bad.to_dict("records"):
        lines.append(
            gettext(
                lang,
                "cli.fidelity_missed",
                edition=r["edition"],
                unit=r["unit"],
                level=r["level"],
                item=r["item"],
                stat=r["stat"],
                published=num(r["published"], lang),
                reproduced=num(r["reproduced"], lang, 4),
            )
        )
    return "\n".join(lines)
