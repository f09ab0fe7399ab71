"""`python -m model report`: the scenario report as an Excel workbook or a standalone HTML page.

    python -m model report --unit bac-giang --edition 2023 --preset plan-2024 \\
        --format xlsx --out bao-cao.xlsx
    python -m model report --unit bac-giang --scenario "Kịch bản A" --format html --out r.html

Registered by model/__main__.py through `add_commands(sub)`. Handlers return an exit code and
raise ScenarioError on bad input (the main CLI prints "Lỗi: …" and exits 2). The file is written
to a temporary name beside --out and renamed into place, so it is never half-written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import api, report
from .dataset import UnknownName
from .fmt import number
from .plan import PRESETS
from .scenario import Scenario, ScenarioError, check
from .workspace import NotFound, Workspace, WorkspaceError


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
    r.add_argument("--format", choices=report.FORMATS, help="xlsx or html (default: from --out)")
    r.add_argument("--out", required=True, help="the file to write")
    r.add_argument("--lang", default="vi", choices=["vi", "en"], help="language (default vi)")
    r.add_argument("--scale", choices=["frozen", "renormalize"], help="normalisation")
    r.set_defaults(fn=cmd_report)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix in report.FORMATS:
        return suffix
    raise ScenarioError(
        f"--format is needed: cannot tell xlsx or html from the file name {args.out!r}"
    )


def _edition(value: object) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise ScenarioError(f"--edition {value!r}: an edition is a year such as 2023")
    try:
        return api.edition(int(text)).year
    except UnknownName as exc:
        raise ScenarioError(str(exc)) from None


def cmd_report(args: argparse.Namespace) -> int:
    kind = _format(args)
    year = _edition(args.edition)
    ed = api.edition(year)
    try:
        ed.unit_index(args.unit)
    except UnknownName as exc:
        raise ScenarioError(str(exc)) from None
    lang = args.lang
    plan = api.plan()
    progress = []
    base = Scenario(unit=args.unit, edition=year, scale=args.scale or "frozen")
    if args.scenario:
        try:
            ws = Workspace()
            saved = ws.get_scenario(args.scenario)
        except NotFound:
            raise ScenarioError(f"no saved scenario is called {args.scenario!r}") from None
        except WorkspaceError as exc:
            raise ScenarioError(str(exc)) from None
        s = saved.scenario
        if (s.unit, s.edition) != (args.unit, year):
            raise ScenarioError(
                f"the saved scenario {saved.name!r} is for {s.unit} {s.edition}, "
                f"not {args.unit} {year}"
            )
        if args.scale and args.scale != s.scale:
            raise ScenarioError(
                f"the saved scenario {saved.name!r} uses scale {s.scale}; leave out --scale"
            )
        label = saved.name
    elif args.preset and args.preset != "baseline":
        if args.preset not in PRESETS:
            raise ScenarioError(
                f"unknown preset {args.preset!r}; valid presets: baseline, {', '.join(PRESETS)}"
            )
        if not plan.applies_to(ed, args.unit):
            raise ScenarioError(
                f"the preset {args.preset} is {plan.unit}'s plan; it does not apply to "
                f"{args.unit} in edition {year}"
            )
        s = api.preset(args.preset, base)
        label = report.text(lang, "preset_plan")
    else:
        s, label = base, report.text(lang, "baseline")
    check(s, ed)
    if plan.applies_to(ed, args.unit):
        try:
            progress = Workspace().progress_history(plan.plan_id)
        except WorkspaceError as exc:
            raise ScenarioError(f"cannot read the progress updates: {exc}") from None
    rep = report.build(s, label=label, lang=lang, plan=plan, progress=progress)
    try:
        out = report.write(rep, kind, Path(args.out))
    except OSError as exc:
        raise ScenarioError(f"cannot write {args.out!r}: {exc.strerror or exc}") from None
    h = report.headline(rep)[-1]
    print(
        f"Đã ghi {out} ({kind}): {ed.name(s.unit)} — PII {number(h['pii'], 'vi')}, "
        f"hạng {h['rank']}/{ed.n}"
    )
    return 0
