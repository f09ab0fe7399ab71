"""`plan new|import|export|list|show|revisions|restore|delete|departments|recommend|review|carry`:
plans as user data
(model.plan.library; recommend, review and carry: model.plan.recommend, .review, .carry).

One `_add_<name>(plans)` function per subcommand adds its parser and sets `fn=cmd_<name>`;
SUBCOMMANDS lists them in the order of `plan --help` (add a subcommand by writing the pair and
listing it); `show`, `revisions` and `restore`, and the printing of one plan, are in
model.cli.plan_history. JSON keys are English, numbers are numbers; store errors
(model.workspace's WorkspaceError family) come out as CliError, so main prints them in --lang
and exits 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from model import api
from model.i18n import gettext, ngettext
from model.index.dataset import Edition
from model.index.scenario import Scenario
from model.official import store
from model.paths import read_only_forced
from model.plan import (
    FORMATS,
    LAYOUTS,
    STATUSES,
    Plan,
    export_plan,
    file_says,
    new_plan,
)
from model.plan import appendix as appendix_mod
from model.plan import library as lib
from model.plan.by_department import department_progress
from model.plan.carry import STATUS_TEXT as CARRY_TEXT
from model.plan.carry import assumed_goalposts, auto_drafts, carry_plan
from model.plan.departments import department_list
from model.plan.recommend import known_plans, recommend
from model.plan.review import ACTUAL_TEXT, review_plan
from model.workspace import Workspace, WorkspaceError

from .common import (
    PROVENANCE,
    CliError,
    add_lang,
    float_arg,
    int_arg,
    lang_of,
    num,
    parse_set,
    print_json,
    read_input_file,
    store_errors,
    table,
    writes_store,
)
from .plan_history import (
    SOURCE_TEXT,
    STATUS_TEXT,
    add_restore,
    add_revisions,
    add_show,
    common_options,
    print_plan,
)


def load_plan(plan_id: str) -> Plan:
    """The plan with this id or preset name, for any command (`simulate --plan`): a CliError
    when there is none or the store cannot be read."""
    try:
        return lib.get_plan(plan_id)
    except WorkspaceError as exc:
        raise CliError(exc.msg_id, **exc.params) from None


def plan_scenario(
    plan_id: str, unit: str, ed: Edition, base: Scenario, preset: str | None = None
) -> Scenario:
    """`simulate --plan ID`: the plan's targets on `ed` as `base`'s scenario — exactly what
    `--set` with each target (never below the unit's score) gives."""
    if preset:
        raise CliError("plan.cli_err_plan_and_preset")
    plan = load_plan(plan_id)
    ed.unit_index(unit)  # a clear message for an unknown unit
    if plan.unit != unit:
        raise CliError("plan.cli_err_other_unit", plan=plan.plan_id, owner=plan.unit, unit=unit)
    missing = [c for c in plan.codes if c not in ed.framework.index]
    if missing:
        raise CliError(
            "plan.cli_err_other_edition", plan=plan.plan_id, year=ed.year, codes=", ".join(missing)
        )
    return plan.scenario(ed, base)


# ---- the subcommands -------------------------------------------------------------------------


def _add_new(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("new", help="write a plan: targets as scores, lead units")
    p.add_argument("--unit", required=True)
    p.add_argument("--edition", required=True, help="the baseline edition")
    p.add_argument("--name", required=True)
    p.add_argument("--target-year", help="default: the year after the edition")
    p.add_argument("--milestone", action="append", default=[], metavar="YEAR")
    p.add_argument("--set", action="append", default=[], metavar="CODE=SCORE")
    p.add_argument("--lead", action="append", default=[], metavar="CODE=DEPT")
    p.add_argument("--status", default="draft", choices=STATUSES)
    p.add_argument("--author", default="")
    p.add_argument("--note", default="", help="why this revision (kept in its history)")
    p.add_argument("--replace", action="store_true", help="a new revision of a plan of this name")
    common_options(p)
    p.set_defaults(fn=cmd_new)


def _add_import(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("import", help="a plan from a CSV or XLSX file, or its appendix (.docx)")
    p.add_argument("file")
    p.add_argument("--unit", help="default: the unit the file says")
    p.add_argument("--edition", help="the baseline edition (default: the file's)")
    p.add_argument("--name", help="default: the name the file says, else the file's name")
    p.add_argument("--author", default="")
    p.add_argument("--note", default="")
    p.add_argument("--replace", action="store_true", help="a new revision of a plan of this name")
    common_options(p)
    p.set_defaults(fn=cmd_import)


def _add_export(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("export", help="a plan to a CSV or XLSX file, or its appendix (.docx)")
    p.add_argument("id")
    p.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx|FILE.docx")
    p.add_argument("--layout", default="full", choices=list(LAYOUTS), help="CSV and XLSX")
    p.add_argument("--number", help=".docx: the plan's number (Kế hoạch số …/KH-UBND)")
    p.add_argument("--date", help=".docx: the plan's date, dd/mm/yyyy")
    common_options(p, json=False)
    p.set_defaults(fn=cmd_export)


def _add_list(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("list", help="plans, built-in and stored")
    p.add_argument("--unit")
    p.add_argument("--edition", help="plans against this edition")
    common_options(p)
    p.set_defaults(fn=cmd_list)


def _add_departments(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("departments", help="the departments a plan of a unit and edition names")
    p.add_argument("--unit", required=True)
    p.add_argument("--edition", required=True)
    common_options(p)
    p.set_defaults(fn=cmd_departments)


def _add_delete(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("delete", help="delete a stored plan (its history stays)")
    p.add_argument("id")
    common_options(p, json=False)
    p.set_defaults(fn=cmd_delete)


REC_WITHIN = ("actionable", "plan", "levers", "all")
MET_TEXT = {True: "plan.cli_review_met_yes", False: "plan.cli_review_met_no"}


def _add_recommend(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("recommend", help="a draft plan: reach a rank, or the best for a budget")
    p.add_argument("--unit", required=True)
    p.add_argument("--edition", required=True, help="the baseline edition")
    goal = p.add_mutually_exclusive_group(required=True)
    goal.add_argument("--rank", help="reach this rank with the fewest score points")
    goal.add_argument("--budget", metavar="BILLION_VND", help="the best plan for this a year")
    p.add_argument("--within", default="actionable", choices=REC_WITHIN)
    p.add_argument("--plan", default="plan-2024", help="with --within plan: whose indicators")
    p.add_argument("--years", default="1", help="--budget: years the money is spent (default 1)")
    p.add_argument("--name", help="default: the goal and the edition")
    p.add_argument("--author", default="")
    p.add_argument("--replace", action="store_true", help="a new revision of a plan of this name")
    common_options(p)
    p.set_defaults(fn=cmd_recommend)


def _add_review(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("review", help="a plan against the next edition's outcome")
    p.add_argument("id")
    common_options(p)
    p.set_defaults(fn=cmd_review)


def _add_carry(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("carry", help="a plan carried to another edition, as a new draft")
    p.add_argument("id")
    p.add_argument("--edition", required=True, help="the edition to carry it to")
    p.add_argument("--unit", help="default: the plan's unit, or the merged unit it is part of")
    p.add_argument("--name", help="default: the plan's name and the edition")
    p.add_argument("--author", default="")
    p.add_argument("--replace", action="store_true", help="a new revision of a plan of this name")
    common_options(p)
    p.set_defaults(fn=cmd_carry)


SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_new,
    _add_import,
    _add_export,
    _add_list,
    add_show,
    add_revisions,
    add_restore,
    _add_delete,
    _add_departments,
    _add_recommend,
    _add_review,
    _add_carry,
)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plan",
        help="plans: new, import, export, list, show, revisions, restore, delete, departments, "
        "recommend, review, carry",
    )
    add_lang(p)
    plans = p.add_subparsers(dest="plan_command", required=True, metavar="SUBCOMMAND")
    for add in SUBCOMMANDS:
        add(plans)


# ---- handlers --------------------------------------------------------------------------------


def _pairs(items: Sequence[str], msg_id: str) -> dict[str, str]:
    out = {}
    for item in items:
        code, sep, value = item.partition("=")
        if not sep or not code.strip() or not value.strip():
            raise CliError(msg_id, item=item)
        out[code.strip()] = value.strip()
    return out


@store_errors
@writes_store()
def cmd_new(args: argparse.Namespace) -> int:
    ed = api.edition(args.edition)
    meta = {"status": args.status, "author": args.author}
    if args.target_year is not None:
        meta["target_year"] = int_arg(args.target_year, "--target-year")
    meta["milestones"] = tuple(int_arg(y, "--milestone") for y in args.milestone)
    plan = new_plan(
        ed,
        args.unit,
        args.name,
        parse_set(args.set),
        _pairs(args.lead, "plan.cli_err_lead_form"),
        **meta,
    )
    saved = lib.save_plan(plan, author=args.author, note=args.note, replace=args.replace)
    return print_plan(saved, args)


@store_errors
@writes_store()
def cmd_import(args: argparse.Namespace) -> int:
    if args.edition is not None:
        api.edition(args.edition)  # an unknown edition is said before the file is read
    path = Path(args.file)
    data = read_input_file(args.file)  # a regular file within the upload limit, else exit 2
    said = file_says(data, path.name)  # a full-layout file or an appendix says what it is
    unit, edition = args.unit or said.get("unit"), args.edition or said.get("edition")
    if not unit or edition is None:
        raise CliError("plan.cli_err_import_where", file=path.name)
    ed = api.edition(edition)
    name = args.name or ""
    plan = lib.import_plan(data, ed, unit, name, file_name=path.name, author=args.author)
    saved = lib.save_plan(plan, author=args.author, note=args.note, replace=args.replace)
    return print_plan(saved, args)


@store_errors
def cmd_export(args: argparse.Namespace) -> int:
    plan = lib.get_plan(args.id)
    out = Path(args.out)
    valid = (*FORMATS, ".docx")
    if out.suffix.lower() not in valid:
        raise CliError("plan.cli_err_format", out=args.out, valid=", ".join(valid))
    lang = lang_of(args)
    ed = api.edition(plan.edition)
    try:
        if out.suffix.lower() == ".docx":
            appendix_mod.export_appendix(
                plan,
                out,
                info=appendix_mod.indicator_info(plan, ed, lang),
                lang=lang,
                number=args.number,
                date=_date_arg(args.date),
                progress=_progress_rows(plan, ed),
            )
        else:
            export_plan(plan, out, args.layout, ed=ed, lang=lang)
    except OSError as exc:
        raise CliError("plan.cli_err_write", out=args.out, error=exc.strerror or str(exc)) from None
    print(ngettext(lang, "plan.cli_exported", len(plan.targets), plan=plan.plan_id, path=str(out)))
    return 0


def _date_arg(text: str | None):
    """`--date dd/mm/yyyy` as a date (None: dots left to fill)."""
    if text is None:
        return None
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise CliError("plan.cli_err_date", value=text) from None


def _progress_rows(plan: Plan, ed: Edition) -> list:
    """The appendix's progress-by-department table (none when nothing was recorded)."""
    if not plan.plan_id or not plan.applies_to(ed):  # built-in plans have readings too
        return []
    history = Workspace().progress_history(plan.plan_id)
    if not history:
        return []
    return department_progress(plan, ed, history).appendix_rows()


@store_errors
def cmd_departments(args: argparse.Namespace) -> int:
    ed = api.edition(args.edition)
    ed.unit_index(args.unit)  # a clear message for an unknown unit
    found = department_list(args.unit, ed.year, extra=_kept_departments(args.unit))
    if args.json:
        print_json([d.to_dict() for d in found])
        return 0
    lang = lang_of(args)
    headers = ("plan.cli_dept_col_name", "plan.cli_dept_col_kind", "plan.cli_dept_col_source")
    rows = [[d.label(lang), gettext(lang, d.kind_id), d.source[:60]] for d in found]
    print(table([gettext(lang, h) for h in headers], rows, [False, False, False]))
    return 0


def _kept_departments(unit: str) -> list[str]:
    """The departments users added for this unit (the store's list)."""
    return Workspace().unit_departments(unit)


@store_errors
def cmd_list(args: argparse.Namespace) -> int:
    edition = None
    if args.edition is not None:
        edition = api.edition(args.edition).year  # a clear message for an unknown one
    if args.unit and not read_only_forced():  # a merged unit's draft from a built-in plan,
        auto_drafts(args.unit, edition)  # stored the first time the unit's plans are listed
    plans = lib.list_plans(args.unit, edition)
    if args.json:
        print_json([lib.plan_summary(p) for p in plans])
        return 0
    lang = lang_of(args)
    if not plans:
        print(gettext(lang, "plan.cli_list_none"))
        return 0
    headers = ("plan.cli_col_id", "plan.cli_col_name", "plan.cli_col_unit", "plan.cli_col_years")
    headers += ("plan.cli_col_status", "plan.cli_col_source", "plan.cli_col_targets")
    rows = [
        [
            p.plan_id,
            p.name[:50],
            p.unit,
            f"{p.edition} → {p.target_year}",
            gettext(lang, STATUS_TEXT[p.status]),
            gettext(lang, SOURCE_TEXT[p.source]),
            str(len(p.targets)),
        ]
        for p in plans
    ]
    right = [False, False, False, False, False, False, True]
    print(table([gettext(lang, h) for h in headers], rows, right))
    return 0


@store_errors
@writes_store()
def cmd_delete(args: argparse.Namespace) -> int:
    if lib.is_builtin(args.id):
        raise CliError("plan.err_read_only", plan=args.id)
    lib.delete_plan(args.id)
    print(gettext(lang_of(args), "plan.cli_deleted", plan=args.id))
    return 0


# ---- recommend, review, carry ---------------------------------------------------------------


def _editions() -> dict:
    return {y: api.edition(y) for y in store.editions()}


def _free_name(plan: Plan) -> Plan:
    """The plan under its name, or 'name (2)', 'name (3)'... when the unit has one by it."""
    ws, name, k = Workspace(), plan.name, 1
    while ws.find_plan(plan.unit, name) is not None:
        k += 1
        name = f"{plan.name[:110]} ({k})"
    return dataclasses.replace(plan, name=name)


def _store_draft(draft: Plan, args: argparse.Namespace) -> Plan:
    """Save a generated draft: under --name (taken: --replace), else under a free name."""
    draft = dataclasses.replace(draft, author=args.author)
    if not args.name:
        draft = _free_name(draft)
    return lib.save_plan(draft, author=args.author, replace=args.replace)


def _detail(plan: Plan) -> dict:
    ed = api.edition(plan.edition)
    effect = lib.plan_effect(plan, ed) if plan.applies_to(ed) else None
    return lib.plan_detail(plan, ed, lib.revisions(plan), effect)


@store_errors
@writes_store()
def cmd_recommend(args: argparse.Namespace) -> int:
    ed, lang = api.edition(args.edition), lang_of(args)
    rank = None if args.rank is None else int_arg(args.rank, "--rank")
    budget = None if args.budget is None else float_arg(args.budget, "--budget")
    rec = recommend(
        ed,
        args.unit,
        rank=rank,
        budget_bn=budget,
        within=args.within,
        plan=load_plan(args.plan) if args.within == "plan" else None,
        known=known_plans(args.unit),
        editions=_editions(),
        name=args.name,
        years=int_arg(args.years, "--years"),
        lang=lang,
    )
    saved = _store_draft(rec.plan, args)
    if args.json:
        print_json({**_detail(saved), "reached": rec.reached, "goal": rec.to_dict(lang)})
        return 0
    print_plan(saved, args)
    if rec.reached:
        print(gettext(lang, "plan.cli_rec_reached", rank=rec.rank, pii=num(rec.pii, lang)))
    else:
        why = rec.problem.render(lang) if rec.problem else ""
        print(gettext(lang, "plan.cli_rec_not_reached", rank=rec.rank, reason=why))
    return 0


@store_errors
def cmd_review(args: argparse.Namespace) -> int:
    r, lang = review_plan(load_plan(args.id)), lang_of(args)
    if args.json:
        print_json(r.to_dict(lang))
        return 0
    nxt = api.edition(r.next_edition)
    print(gettext(lang, "plan.cli_review_title", plan=r.plan_id, unit=nxt.name(r.unit, lang),
                  edition=r.edition, next=r.next_edition))  # fmt: skip
    print(gettext(lang, "plan.cli_review_planned", pii=num(r.pii_planned, lang),
                  rank=r.rank_planned, n=r.n_units, edition=r.edition))  # fmt: skip
    kind = gettext(lang, ACTUAL_TEXT[r.actual_provenance])
    print(gettext(lang, "plan.cli_review_actual", pii=num(r.pii_actual, lang), kind=kind,
                  rank=r.rank_actual if r.rank_actual is not None else "–", n=r.n_units_next,
                  next=r.next_edition))  # fmt: skip
    headers = ("cli.col_code", "plan.cli_col_target", "plan.cli_col_raw")
    headers += ("plan.cli_review_col_actual", "plan.cli_review_col_actual_raw")
    headers += ("plan.cli_review_col_provenance", "plan.cli_review_col_met")
    rows = [
        [t.code, num(t.target, lang), num(t.raw_target, lang, 3), num(t.actual, lang),
         num(t.actual_raw, lang, 3),
         gettext(lang, PROVENANCE[t.provenance]) if t.provenance in PROVENANCE else "–",
         gettext(lang, MET_TEXT[t.met]) if t.met is not None else "–"]
        for t in r.targets
    ]  # fmt: skip
    right = [False, True, True, True, True, False, False]
    print(table([gettext(lang, h) for h in headers], rows, right))
    for note in r.notes:
        print(note.render(lang))
    return 0


@store_errors
@writes_store()
def cmd_carry(args: argparse.Namespace) -> int:
    plan, lang = load_plan(args.id), lang_of(args)
    ed_to = api.edition(args.edition)
    c = carry_plan(plan, api.edition(plan.edition), ed_to, unit=args.unit, name=args.name,
                   lang=lang, assumed_goalposts=assumed_goalposts())  # fmt: skip
    saved = _store_draft(c.plan, args)
    if args.json:
        print_json({**_detail(saved), "carry": c.to_dict(lang)})
        return 0
    print_plan(saved, args)
    headers = ("cli.col_code", "plan.cli_carry_col_status", "plan.cli_carry_col_from")
    headers += ("plan.cli_col_raw", "plan.cli_carry_col_to", "plan.cli_col_lead")
    rows = [
        [r.code, gettext(lang, CARRY_TEXT[r.status]), num(r.target_from, lang),
         num(r.raw, lang, 3), num(r.target_to, lang), r.lead_to[:45]]
        for r in c.rows
    ]  # fmt: skip
    print(table([gettext(lang, h) for h in headers], rows, [False, False, True, True, True, False]))
    for r in c.rows:
        for note in r.notes:
            print(f"{r.code}: {note.render(lang)}")
    return 0
