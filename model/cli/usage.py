"""argparse's refusals in the user's language: one line and exit code 2, like every other error.

argparse writes its usage and an English sentence, and it takes a value that starts with "-"
and is not a plain negative number ("-1e308", "-inf") for an option, so `--budget -1e308`
is refused as "expected one argument". Parser.error raises UsageError instead, with an id for
each kind of refusal (the sentence names the option, and says how to write a negative value);
main renders it in the language of --lang, read from the command line itself because the
parse did not finish.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

from .common import CliError

# argparse's sentences (Python 3.11-3.13); anything else is passed on as the detail.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^argument (?P<flag>\S+?): expected one argument$"), "cli.err_arg_value"),
    (
        re.compile(
            r"^argument (?P<flag>\S+?): invalid choice: '?(?P<value>.*?)'? "
            r"\(choose from (?P<choices>.*)\)$"
        ),
        "cli.err_arg_choice",
    ),
    (
        re.compile(r"^argument (?P<flag>\S+?): invalid \w+ value: '(?P<value>.*)'$"),
        "cli.err_not_whole",
    ),
    (
        re.compile(r"^argument (?P<flag>\S+?): not allowed with argument (?P<other>\S+)$"),
        "cli.err_arg_together",
    ),
    (re.compile(r"^the following arguments are required: (?P<flags>.+)$"), "cli.err_arg_required"),
    (re.compile(r"^unrecognized arguments: (?P<items>.+)$"), "cli.err_arg_unknown"),
    (
        re.compile(r"^ambiguous option: (?P<option>\S+?) could match (?P<matches>.+)$"),
        "cli.err_arg_ambiguous",
    ),
)


class UsageError(CliError):
    """The command line does not parse (a "cli.err_arg_*" id)."""


def usage_error(message: str) -> UsageError:
    for pattern, msg_id in PATTERNS:
        m = pattern.match(message)
        if m:
            if msg_id == "cli.err_arg_choice" and m["flag"] == "command":
                msg_id = "cli.err_arg_command"  # the subcommand's name
            params = m.groupdict()
            if "choices" in params:  # argparse quotes each choice: 'frozen', 'renormalize'
                params["choices"] = params["choices"].replace("'", "")
            return UsageError(msg_id, **params)
    return UsageError("cli.err_arg_other", detail=message)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose refusals are UsageError (its subparsers are Parsers too)."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        raise usage_error(message)


def lang_in(argv: Sequence[str]) -> str | None:
    """The value of the last --lang on a command line that may not parse."""
    found = None
    for k, arg in enumerate(argv):
        if arg == "--lang" and k + 1 < len(argv):
            found = argv[k + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found
