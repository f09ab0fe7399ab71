"""`merge`: a 2025 unit beside the 2024 provinces it was merged from.

    python -m model merge --unit bac-ninh
    python -m model merge --unit bac-ninh --json

Shows each part's 2024 PII, rank and pillars, the estimate from the parts (model/merge.py, rules
in data/sources/merge_rules.csv) and the unit's 2025 values, each number with its provenance.
"""

from __future__ import annotations

import argparse
import json
import math

import pandas as pd

from model import api
from model.fmt import number
from model.i18n import gettext, ngettext
from model.merge import estimate_from_parts, parts_of, side_by_side
from model.official import store

from .common import PROVENANCE as COMMON_PROVENANCE
from .common import CliError, add_lang, lang_of

PROVENANCE = {
    **COMMON_PROVENANCE,
    "estimate_from_parts": "cli.prov_estimate_from_parts",
    "not_comparable": "cli.prov_not_comparable",
}
WEIGHTS = {
    "sum": "cli.merge_weight_sum",
    "max": "cli.merge_weight_max",
    "min": "cli.merge_weight_min",
    "population": "cli.merge_weight_population",
    "equal": "cli.merge_weight_equal",
    "grdp": "cli.merge_weight_grdp",
    "firms": "cli.merge_weight_firms",
    "employed": "cli.merge_weight_employed",
    "new_firms": "cli.merge_weight_new_firms",
    "manufacturing": "cli.merge_weight_manufacturing",
}
LEVELS = {
    "pii": "cli.col_pii",
    "input": "cli.col_input",
    "output": "cli.col_output",
    "pillar": "cli.merge_level_pillar",
}


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register the `merge` subcommand on the main CLI's subparsers."""
    m = sub.add_parser(
        "merge",
        help="a merged 2025 unit beside its pre-merger parts and the estimate from them",
        description="Each part's PII, rank and pillars in the previous edition, the estimate of "
        "the unit from its parts (rules in data/sources/merge_rules.csv) and the unit's values "
        "in the merged edition, with the provenance of every number.",
    )
    m.add_argument("--unit", required=True, help="a unit of the merged edition, e.g. bac-ninh")
    m.add_argument("--edition", default="2025", help="the merged edition (default 2025)")
    m.add_argument("--json", action="store_true")
    add_lang(m)
    m.set_defaults(fn=cmd_merge)


def _clean(x: object) -> object:
    if x is None or x is pd.NA:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if hasattr(x, "item"):  # numpy / pandas scalars
        return _clean(x.item())
    return x


def _value(r: dict, col: str) -> dict:
    return {
        "value": _clean(r[col]),
        "rank": _clean(r[f"{col}_rank"]),
        "provenance": r[f"{col}_provenance"],
    }


def _json(est, ed_prev, ed_next, df) -> dict:
    parts, mcol = df.attrs["part_columns"], df.attrs["merged_column"]
    rows = [
        {
            "level": r["level"],
            "item": r["item"],
            "comparable": bool(r["comparable"]),
            "parts": {p: _value(r, c) for p, c in zip(est.parts, parts, strict=True)},
            "estimate": _value(r, "estimate"),
            "merged": _value(r, mcol),
        }
        for r in df.to_dict("records")
    ]
    return {
        "unit": est.unit,
        "name": ed_next.name(est.unit),
        "parts": list(est.parts),
        "edition_prev": ed_prev.year,
        "edition_next": ed_next.year,
        "n_prev": ed_prev.n,
        "n_next": ed_next.n,
        "estimate": {
            "pii": est.pii,
            "rank": est.rank,
            "input": est.input,
            "output": est.output,
            "pillars": {str(k + 1): float(v) for k, v in enumerate(est.pillars)},
            "coverage": est.coverage,
        },
        "not_comparable": list(est.not_comparable),
        "population_note": est.population_note,
        "rules": [
            {
                "code": c.code,
                "rule": c.rule,
                "weight": c.weight,
                "weight_used": c.weight_used,
                "comparable": c.comparable,
                "shares": dict(zip(est.parts, c.shares, strict=False)),
                "raw": _clean(est.raw_of(c.code)),
                "score": _clean(est.score_of(c.code)),
                "note": c.note,
            }
            for c in est.rules.values()
        ],
        "rows": rows,
    }


def cmd_merge(args: argparse.Namespace) -> int:
    ed_next = api.edition(args.edition)
    years = [y for y in store.editions() if y < ed_next.year]
    if not years:
        raise CliError("cli.err_merge_no_earlier", edition=ed_next.year)
    ed_prev = api.edition(max(years))
    parts_of(args.unit, ed_next)  # unknown unit: a message listing the valid ones
    est = estimate_from_parts(args.unit, ed_prev, ed_next)
    df = side_by_side(args.unit, (ed_prev, ed_next), estimate=est)
    if args.json:
        print(json.dumps(_json(est, ed_prev, ed_next, df), ensure_ascii=False, indent=2))
        return 0
    _print_table(est, ed_prev, ed_next, df, lang_of(args))
    return 0


def _print_table(est, ed_prev, ed_next, df, lang: str) -> None:
    parts, mcol = df.attrs["part_columns"], df.attrs["merged_column"]
    names = [ed_prev.name(p, lang) for p in est.parts]
    name = ed_next.name(est.unit, lang)
    print(
        gettext(
            lang,
            "cli.merge_title",
            name=name,
            edition=ed_next.year,
            n=ed_next.n,
            parts=", ".join(names),
            edition_prev=ed_prev.year,
            n_prev=ed_prev.n,
        )
    )
    headers = [gettext(lang, "cli.col_level"), *(f"{n} {ed_prev.year}" for n in names)]
    headers += [gettext(lang, "cli.merge_estimate"), f"{name} {ed_next.year}"]

    def cell(v: object, rank: object, n: int) -> str:
        return f"{number(_clean(v), lang)} ({_clean(rank) or '–'}/{n})"

    lines = []
    for r in df[df["level"] != "indicator"].to_dict("records"):
        label = gettext(lang, LEVELS[r["level"]]) + (f" {r['item']}" if r["item"] else "")
        row = [label]
        row += [cell(r[c], r[f"{c}_rank"], ed_prev.n) for c in parts]
        row += [cell(r["estimate"], r["estimate_rank"], ed_next.n)]
        row += [cell(r[mcol], r[f"{mcol}_rank"], ed_next.n)]
        lines.append(row)
    widths = [max(len(h), *(len(x[i]) for x in lines)) for i, h in enumerate(headers)]
    for row in (headers, *lines):
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    _print_notes(est, ed_prev, ed_next, df, names, lang)


def _print_notes(est, ed_prev, ed_next, df, names: list[str], lang: str) -> None:
    parts, mcol = df.attrs["part_columns"], df.attrs["merged_column"]

    def prov(key: str) -> str:
        return gettext(lang, PROVENANCE[key])

    first = df[df["level"] == "pii"].iloc[0]
    print(
        gettext(
            lang,
            "cli.merge_sources",
            parts=", ".join(
                f"{n}: {prov(first[f'{c}_provenance'])}" for n, c in zip(names, parts, strict=True)
            ),
            estimate=prov("estimate_from_parts"),
            edition=ed_next.year,
            merged=prov(first[f"{mcol}_provenance"]),
        )
    )
    counts = pd.Series([c.weight_used or c.rule for c in est.rules.values() if c.comparable])
    rules = ", ".join(
        ngettext(
            lang,
            "cli.merge_rule_count",
            int(v),
            rule=gettext(lang, WEIGHTS[k]) if k in WEIGHTS else k,
        )
        for k, v in counts.value_counts().sort_index().items()
    )
    print(gettext(lang, "cli.merge_rules", rules=rules))
    if est.not_comparable:
        print(gettext(lang, "cli.merge_not_comparable", codes=", ".join(est.not_comparable)))
    if est.population_missing:
        missing = ", ".join(ed_prev.name(p, lang) for p in est.population_missing)
        rest = (
            "cli.merge_population_equal"
            if len(est.population_missing) == len(est.parts)
            else "cli.merge_population_mean"
        )
        print(gettext(lang, "cli.merge_population", missing=missing, rest=gettext(lang, rest)))
    print(gettext(lang, "cli.merge_rank_note", n=ed_next.n, edition=ed_next.year))
