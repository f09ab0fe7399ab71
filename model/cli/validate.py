"""`validate`: how far off are the estimates of provinces nobody published?

    python -m model validate --edition 2023 --folds 5 --json
    python -m model validate                      # every edition, a table
    python -m model validate --write              # and store the holdout errors (intervals)

Hides the published results of a fold of provinces at a time, rebuilds the estimates with the
reconstruction itself and compares (model/estimates/quality/validate.py). JSON (one edition): {edition, folds, n,
mae_pii, max_abs_pii, mae_rank, max_abs_rank, coverage, n_pii, n_rank, coverage_rank,
coverage_cross, levels, units}; `levels` has, per level (pii, subindex, pillar, group,
indicator), {n, mae, naive_mae, ratio, coverage, coverage_cross, width}: the values below the
PII are hidden one province at a time with its PII kept (model/estimates/quality/levels.py); without
--edition, a list of them. The time taken goes to stderr.
--write stores every hidden province's error in data/validation/holdout_errors.csv, the table
the app's intervals come from (model/estimates/quality/intervals.py), and then judges coverage against it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import pandas as pd

from model import paths
from model.estimates.quality import intervals, validate
from model.estimates.sources import EDITIONS, load_sources
from model.i18n import gettext

from .common import CliError, add_lang, lang_of, num, print_json, table


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="out-of-fold error of the estimates (hide published provinces, rebuild, compare)",
        description="Hide a fold of published provinces at a time, rebuild, compare.",
    )
    p.add_argument("--edition", default=None, help="one edition (default: all)")
    p.add_argument("--folds", default=str(validate.DEFAULT_FOLDS), help="folds (default 5)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--write",
        action="store_true",
        help="store the holdout errors the app's intervals come from (data/validation/)",
    )
    add_lang(p)
    p.set_defaults(fn=cmd_validate)


def _editions(value: str | None) -> list[int]:
    if value is None:
        return list(EDITIONS)
    try:
        year = int(str(value).strip())
    except ValueError:
        year = None
    if year not in EDITIONS:
        raise CliError(
            "validate.err_edition", edition=str(value), valid=", ".join(map(str, EDITIONS))
        )
    return [year]


def _folds(value: str) -> int:
    try:
        k = int(str(value).strip())
    except ValueError:
        k = 0
    if k < 2:
        raise CliError("validate.err_folds", folds=str(value))
    return k


def cmd_validate(args: argparse.Namespace) -> int:
    from model.estimates.build import code_digest  # the build's digest: the same sources it reads

    lang = lang_of(args)
    years, k = _editions(args.edition), _folds(args.folds)
    s = load_sources(paths.sources_dir(), code_digest())
    started = time.perf_counter()
    runs = {year: validate.run(s, year, k) for year in years}
    if args.write:
        errors = pd.concat(
            [validate.error_rows(v, len(s.units_of(y))) for y, v in runs.items()],
            ignore_index=True,
        )
        old = intervals.read_errors()
        kept = old[~old["edition"].isin(years)]
        path = intervals.write_errors(pd.concat([kept, errors], ignore_index=True))
        stored = intervals.read_errors(path)
        runs = {y: validate.rescore(s, v, stored[stored["edition"] != y]) for y, v in runs.items()}
        print(gettext(lang, "validate.wrote", path=str(path)), file=sys.stderr)
    seconds = time.perf_counter() - started
    print(gettext(lang, "validate.took", seconds=num(seconds, lang, 1)), file=sys.stderr)
    results = [{**v.summary(), "units": v.rows()} for v in runs.values()]
    if args.json:
        print_json(results[0] if len(results) == 1 else results)
        return 0
    print(_table(results, lang))
    return 0


def _cell(x: float | int | None, lang: str, d: int = 2) -> str:
    return "–" if x is None else num(float(x), lang, d)


def _table(results: Sequence[dict], lang: str) -> str:
    headers = [
        "validate.col_edition",
        "validate.col_n",
        "validate.col_mae_pii",
        "validate.col_max_pii",
        "validate.col_mae_rank",
        "validate.col_max_rank",
        "validate.col_coverage",
    ]
    rows = [
        [
            str(r["edition"]),
            str(r["n"]),
            _cell(r["mae_pii"], lang),
            _cell(r["max_abs_pii"], lang),
            _cell(r["mae_rank"], lang, 1),
            _cell(r["max_abs_rank"], lang, 0),
            "–" if r["coverage"] is None else f"{num(100 * r['coverage'], lang, 0)} %",
        ]
        for r in results
    ]
    title = gettext(lang, "validate.title", folds=results[0]["folds"] if results else 0)
    right = [False, True, True, True, True, True, True]
    out = title + "\n" + table([gettext(lang, h) for h in headers], rows, right)
    return out + "\n\n" + _levels_table(results, lang)


def _levels_table(results: Sequence[dict], lang: str) -> str:
    """Every level of every edition: out-of-fold MAE beside the naive guess (the unit's own
    PII), the ratio, the coverage of the app's intervals and their mean width."""
    headers = [
        "validate.col_edition",
        "validate.col_level",
        "validate.col_n",
        "validate.col_mae",
        "validate.col_naive",
        "validate.col_ratio",
        "validate.col_cover",
        "validate.col_width",
    ]
    rows = []
    for r in results:
        for level, s in (r.get("levels") or {}).items():
            cover = s.get("coverage")
            rows.append(
                [
                    str(r["edition"]),
                    level,
                    str(s["n"]),
                    _cell(s["mae"], lang),
                    _cell(s.get("naive_mae"), lang),
                    _cell(s.get("ratio"), lang),
                    "–" if cover is None else f"{num(100 * cover, lang, 0)} %",
                    _cell(s.get("width"), lang, 1),
                ]
            )
    right = [False, False, True, True, True, True, True, True]
    title = gettext(lang, "validate.levels_title")
    return title + "\n" + table([gettext(lang, h) for h in headers], rows, right)
