"""`admin-hash`: the admin password as the server keeps it (a scrypt hash, model.password).

    python -m model admin-hash            # asks twice, without echo
    printf '%s\n' "$PASSWORD" | python -m model admin-hash   # from a script (first line)

Prints one line, `scrypt$N$r$p$SALT$HASH`, for `admin_password = "…"` in the Streamlit
secrets (.streamlit/secrets.toml). An empty password, the README's example or two different
typings: a message and exit 2, nothing printed on stdout.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from model import password as pw
from model.i18n import gettext

from .common import CliError, add_lang, lang_of


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "admin-hash",
        help="hash the admin password for the Streamlit secrets (read without echo)",
    )
    add_lang(p)
    p.set_defaults(fn=cmd_admin_hash)


def _read(lang: str) -> str:
    """The password: typed twice without echo at a terminal, else the first line of stdin."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(gettext(lang, "cli.admin_prompt"))
    if getpass.getpass(gettext(lang, "cli.admin_again")) != first:
        raise CliError("cli.err_admin_mismatch")
    return first


def cmd_admin_hash(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    given = _read(lang)
    if not given.strip():
        raise CliError("cli.err_admin_empty")
    if given.strip() in pw.EXAMPLES:
        raise CliError("cli.err_admin_example")
    print(pw.hash_password(given))
    print(gettext(lang, "cli.admin_hash_use"), file=sys.stderr)
    return 0
