"""`plan show|revisions|restore`: one plan and its history (model.plan.library, model.plan.changes),
and `print_plan`, the printing of one plan that `plan new`, `import`, `recommend` and `carry`
end with too (model.cli.plan lists these subcommands in its SUBCOMMANDS, in `plan --help`'s
order; each `add_<name>(plans)` adds its parser and sets `fn=cmd_<name>`).
"""

from __future__ import annotations

import argparse

from model import api
from model.i18n import gettext
from model.plan import Plan, target_rows
from model.plan import library as lib
from model.plan.changes import describe, saved_when

from .common import add_lang, int_arg, lang_of, num, print_json, store_errors, table, writes_store

STATUS_TEXT = {"draft": "plan.status_draft", "adopted": "plan.status_adopted"}
SOURCE_TEXT = {
    "typed": "plan.source_typed",
    "imported": "plan.source_imported",
    "recommended": "plan.source_recommended",
    "carried": "plan.source_carried",
    "seed": "plan.source_seed",
}


def common_options(p: argparse.ArgumentParser, json: bool = True) -> None:
    """--json (unless the subcommand prints no data) and --lang, for every plan subcommand."""
    if json:
        p.add_argument("--json", action="store_true")
    add_lang(p)


def add_show(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("show", help="one plan: targets, revisions, effect")
    p.add_argument("id")
    common_options(p)
    p.set_defaults(fn=cmd_show)


def add_revisions(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("revisions", help="a stored plan's revisions: who, when, why, changes")
    p.add_argument("id")
    common_options(p)
    p.set_defaults(fn=cmd_revisions)


def add_restore(plans: argparse._SubParsersAction) -> None:
    p = plans.add_parser("restore", help="a revision of a plan, saved as a new revision")
    p.add_argument("id")
    p.add_argument("--revision", required=True)
    p.add_argument("--author", default="")
    p.add_argument("--note", help="why (default: which revision was restored)")
    common_options(p)
    p.set_defaults(fn=cmd_restore)


@store_errors
def cmd_show(args: argparse.Namespace) -> int:
    return print_plan(lib.get_plan(args.id), args)


@store_errors
def cmd_revisions(args: argparse.Namespace) -> int:
    history = lib.history_of(args.id)
    if args.json:
        print_json(lib.revision_rows(history))
        return 0
    lang = lang_of(args)
    for r in history:
        print(_revision(r, lang))
        print("    " + describe(list(r.changes), lang))
    return 0


@store_errors
@writes_store()
def cmd_restore(args: argparse.Namespace) -> int:
    revision = int_arg(args.revision, "--revision")
    saved = lib.restore_plan(
        args.id, revision, author=args.author, note=args.note, lang=lang_of(args)
    )
    return print_plan(saved, args)


def print_plan(plan: Plan, args: argparse.Namespace) -> int:
    """The plan as `plan show` prints it: JSON, or a summary, its targets and its history."""
    ed = api.edition(plan.edition)
    effect = lib.plan_effect(plan, ed) if plan.applies_to(ed) else None
    history = lib.revisions(plan)
    if getattr(args, "json", False):
        print_json(lib.plan_detail(plan, ed, history, effect))
        return 0
    lang = lang_of(args)
    print(
        gettext(
            lang,
            "plan.cli_title",
            name=plan.name,
            plan=plan.plan_id,
            unit=ed.name(plan.unit, lang) if plan.unit in ed.slugs else plan.unit,
            edition=plan.edition,
            year=plan.target_year,
            status=gettext(lang, STATUS_TEXT[plan.status]),
            source=gettext(lang, SOURCE_TEXT[plan.source]),
        )
    )
    if effect is not None:
        print(
            gettext(
                lang,
                "plan.cli_effect",
                pii0=num(effect.baseline_pii, lang),
                pii=num(effect.pii, lang),
                rank0=effect.baseline_rank,
                rank=effect.rank,
                n=ed.n,
            )
        )
    if plan.targets:
        headers = ("cli.col_code", "plan.cli_col_baseline", "plan.cli_col_target")
        headers += ("plan.cli_col_raw", "plan.cli_col_lead")
        rows = [
            [
                r["code"],
                num(r["baseline"], lang),
                num(r["target"], lang),
                "" if r["raw_target"] is None else num(r["raw_target"], lang, 3),
                r["lead_unit"][:45],
            ]
            for r in target_rows(plan, ed)
        ]
        print(table([gettext(lang, h) for h in headers], rows, [False, True, True, True, False]))
    for r in history:
        print(_revision(r, lang))
    return 0


def _revision(r, lang: str) -> str:
    """One revision's line: its number, when, who and why."""
    return gettext(
        lang,
        "plan.cli_revision",
        revision=r.revision,
        at=saved_when(r.saved_at),
        author=r.author or "–",
        note=r.note or "–",
    )
