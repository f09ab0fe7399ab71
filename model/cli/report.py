"""`report`: the scenario report as an Excel workbook or a standalone HTML page.

    python -m model report --unit bac-giang --edition 2023 --preset plan-2024 \\
        --format xlsx --out bao-cao.xlsx
    python -m model report --unit bac-giang --scenario "Kịch bản A" --format html --out r.html
    python -m model report --unit khanh-hoa --edition 2024 --plan ID --out ke-hoach.xlsx

--plan names any plan (built in or stored, `python -m model plan list`): the report is that
plan's (its targets as the scenario), or, with --scenario, the saved scenario beside that plan.
Without --plan the built-in plan is shown where it applies, as before.

Bad input raises ScenarioInputError (a ScenarioError, as this command has always raised). The
file is written to a temporary name beside --out and renamed into place, so it is never
half-written. --lang is the language of the report as well as of the command's output.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from model import api, report
from model.i18n import gettext
from model.index.dataset import UnknownName
from model.index.scenario import Scenario, check
from model.plan import PRESETS
from model.workspace import NotFound, Workspace, WorkspaceError

from .common import CliError, ScenarioInputError, add_lang, lang_of, num


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register the `report` subcommand on the main CLI's subparsers."""
    r = sub.add_parser(
        "report",
        help="write a scenario report: an Excel workbook or a standalone HTML page",
        description="Write the report of a scenario (baseline, scenario, contributions, plan, "
        "progress, assumptions) as an Excel workbook or a standalone HTML page.",
    )
    r.add_argument("--unit", required=True, help="unit slug, e.g. bac-giang")
    r.add_argument("--edition", default="2023", help="PII edition (default 2023)")
    which = r.add_mutually_exclusive_group()
    which.add_argument("--preset", help="baseline or plan-2024")
    which.add_argument("--scenario", help="the name of a saved scenario")
    r.add_argument(
        "--plan", metavar="ID", help="a plan's id (python -m model plan list): its report"
    )
    r.add_argument("--format", choices=report.FORMATS, help="xlsx or html (default: from --out)")
    r.add_argument("--out", required=True, help="the file to write")
    r.add_argument("--scale", choices=["frozen", "renormalize"], help="normalisation")
    add_lang(r)
    r.set_defaults(fn=cmd_report)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix in report.FORMATS:
        return suffix
    raise ScenarioInputError("cli.err_report_format", out=args.out)


def _edition(value: object) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise ScenarioInputError("cli.err_edition_year", value=str(value))
    try:
        return api.edition(int(text)).year
    except UnknownName as exc:
        raise ScenarioInputError("cli.err_detail", error=exc) from None


def _saved(args: argparse.Namespace, year: int) -> tuple[Scenario, str]:
    """The saved scenario --scenario names, checked against --unit, --edition and --scale."""
    try:
        saved = Workspace().get_scenario(args.scenario)
    except NotFound:
        raise ScenarioInputError("cli.err_no_saved_scenario", name=args.scenario) from None
    except WorkspaceError as exc:
        raise ScenarioInputError("cli.err_detail", error=exc) from None
    s = saved.scenario
    if (s.unit, s.edition) != (args.unit, year):
        raise ScenarioInputError(
            "cli.err_saved_other_unit",
            name=saved.name,
            unit=s.unit,
            edition=s.edition,
            wanted_unit=args.unit,
            wanted_edition=year,
        )
    if args.scale and args.scale != s.scale:
        raise ScenarioInputError("cli.err_saved_scale", name=saved.name, scale=s.scale)
    return s, saved.name


def _preset(args: argparse.Namespace, ed, plan, base: Scenario, lang: str) -> tuple[Scenario, str]:
    if args.preset not in PRESETS:
        raise ScenarioInputError(
            "cli.err_unknown_preset", preset=args.preset, valid=", ".join(PRESETS)
        )
    if not plan.applies_to(ed, args.unit):
        raise ScenarioInputError(
            "cli.err_preset_other_unit",
            preset=args.preset,
            owner=plan.unit,
            unit=args.unit,
            edition=ed.year,
        )
    return api.preset(args.preset, base), gettext(lang, "report.preset_plan")


def _plan(args: argparse.Namespace, ed, base: Scenario):
    """The plan --plan names and its scenario on `ed` (bad input: ScenarioInputError, as every
    other problem of this command)."""
    from .plan import load_plan, plan_scenario

    try:
        plan = load_plan(args.plan)
        return plan, plan_scenario(plan.plan_id, args.unit, ed, base, args.preset)
    except CliError as exc:
        raise ScenarioInputError(exc.msg_id, **exc.params) from None


def cmd_report(args: argparse.Namespace) -> int:
    kind = _format(args)
    year = _edition(args.edition)
    ed = api.edition(year)
    try:
        ed.unit_index(args.unit)
    except UnknownName as exc:
        raise ScenarioInputError("cli.err_detail", error=exc) from None
    lang = lang_of(args)
    plan = api.plan()
    progress = []
    base = Scenario(unit=args.unit, edition=year, scale=args.scale or "frozen")
    if args.plan:
        plan, plan_s = _plan(args, ed, base)
    if args.scenario:
        s, label = _saved(args, year)
    elif args.plan:
        s, label = plan_s, report.plan_label(lang, plan)
    elif args.preset and args.preset != "baseline":
        s, label = _preset(args, ed, plan, base, lang)
    else:
        s, label = base, gettext(lang, "report.baseline")
    check(s, ed)
    if plan.applies_to(ed, args.unit):
        try:
            progress = Workspace().progress_history(plan.plan_id)
        except WorkspaceError as exc:
            raise ScenarioInputError("cli.err_progress", error=exc) from None
    rep = report.build(s, label=label, lang=lang, plan=plan, progress=progress)
    try:
        out = report.write(rep, kind, Path(args.out))
    except OSError as exc:
        raise ScenarioInputError(
            "cli.err_cannot_write", out=args.out, error=exc.strerror or str(exc)
        ) from None
    h = report.headline(rep)[-1]
    print(
        gettext(
            lang,
            "cli.report_wrote",
            path=str(out),
            kind=kind,
            name=ed.name(s.unit, lang),
            pii=num(h["pii"], lang),
            rank=h["rank"],
            n=ed.n,
        )
    )
    return 0
