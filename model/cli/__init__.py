"""Command line: `python -m model <command>` — a thin layer over model.api.

Output is a readable table in the language of --lang (vi or en, default vi; accepted before or
after the subcommand), every sentence from the catalogue fragment "cli" (ids "cli.*"), or JSON
with --json (English keys, numbers as numbers, the same in both languages). Bad input: one line
"Lỗi: …" / "Error: …" on stderr and exit code 2.

Convention for a command module (model/cli/<group>.py):
- `add_commands(sub)` adds its subparsers to `sub` (the main parser's subparsers action), calls
  `common.add_lang(p)` on each, and registers the handler with `p.set_defaults(fn=handler)`;
- a handler takes the parsed args, reads the language with `common.lang_of(args)`, prints, and
  returns the exit code;
- on bad input it raises `common.CliError("cli.err_…", **params)` (a LocalizedError) or lets a
  library error (ScenarioError, UnknownName, SourceError) through; `main` renders it in the
  chosen language and returns 2.
A new module is wired by adding it to GROUPS below.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from model.estimates.sources import SourceError
from model.i18n import DEFAULT_LANG, LANGS, LocalizedError, gettext, render
from model.index.dataset import UnknownName
from model.index.scenario import ScenarioError

from . import admin, budget, core, data, merge, movers, plan, report, validate
from .common import CliError
from .usage import Parser, UsageError, lang_in

GROUPS = (core, movers, budget, plan, report, merge, data, validate, admin)  # the order of `--help`
ERRORS = (UnknownName, ScenarioError, SourceError, CliError)  # bad input: exit code 2

__all__ = ["CliError", "main", "parser", "run"]


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m model", description="PII scenario simulator — command line")
    p.add_argument(
        "--lang", default=DEFAULT_LANG, metavar="vi|en", help="language of the output (default vi)"
    )
    sub = p.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.add_commands(sub)
    return p


def _error(lang: str, exc: BaseException) -> None:
    print(gettext(lang, "cli.error", error=render(exc, lang)), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser().parse_args(argv)
    except UsageError as exc:  # the line does not parse: its own --lang, if it names one
        lang = lang_in(argv) or DEFAULT_LANG
        for one in [lang] if lang in LANGS else LANGS:
            _error(one, exc)
        return 2
    if args.lang not in LANGS:  # said in every language: the user's is unknown
        exc = LocalizedError("common.err_lang", lang=str(args.lang), valid=", ".join(LANGS))
        for lang in LANGS:
            _error(lang, exc)
        return 2
    try:
        return args.fn(args)
    except ERRORS as exc:
        _error(args.lang, exc)
        return 2


def run() -> None:
    """`python -m model`: main's exit code; output piped into `head` is not an error."""
    try:
        code = main()
    except BrokenPipeError:  # the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
