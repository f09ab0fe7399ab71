"""What every command shares: --lang, the error classes, number checks, tables and JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from model.fmt import number
from model.i18n import DEFAULT_LANG, LocalizedError
from model.index.scenario import ScenarioError, target_score

# How every command names where a number comes from (model.index.provenance's three kinds).
PROVENANCE = {
    "official": "cli.prov_official",
    "published": "cli.prov_published",
    "reconstructed": "cli.prov_reconstructed",
}


class CliError(LocalizedError):
    """Bad command-line input (a "cli.*" id): main prints it as 'Lỗi: …'/'Error: …', exit 2."""


class ScenarioInputError(CliError, ScenarioError):
    """Bad input to the budget and report commands, which have always raised a ScenarioError."""


def add_lang(p: argparse.ArgumentParser) -> None:
    """--lang after the subcommand; SUPPRESS keeps a --lang given before it (main's parser)."""
    p.add_argument(
        "--lang",
        default=argparse.SUPPRESS,
        metavar="vi|en",
        help="language of the output and of the messages (default vi)",
    )


def lang_of(args: argparse.Namespace) -> str:
    """The language main checked; vi where a bare parser (a test's) left --lang out."""
    return getattr(args, "lang", DEFAULT_LANG)


def num(x: float | None, lang: str, d: int = 2, sign: bool = False) -> str:
    return number(x, lang, d, sign)


def print_json(obj: object, indent: int = 2) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=indent))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """A plain-text table: columns as wide as their widest cell, numbers right-aligned."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def float_arg(
    value: str | float | None, flag: str, error: type[CliError] = CliError
) -> float | None:
    """A number typed with a decimal point or comma (2.5 or 2,5); None stays None."""
    if value is None:
        return None
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        raise error("cli.err_not_number", flag=flag, value=str(value)) from None


def int_arg(value: str | int, flag: str, error: type[CliError] = CliError) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise error("cli.err_not_whole", flag=flag, value=str(value)) from None


def parse_set(items: Sequence[str]) -> dict[str, float]:
    """--set CODE=SCORE (repeatable): indicator code → target score-equivalent, checked by the
    scenario page's rule (model.index.scenario.target_score): beyond 0–100 is capped or moves the
    goalposts; only a value far outside the national range is refused."""
    out: dict[str, float] = {}
    for item in items:
        code, sep, value = item.partition("=")
        if not sep:
            raise CliError("cli.err_set_form", item=item)
        try:
            v = float(value.replace(",", "."))
        except ValueError:
            raise CliError("cli.err_set_number", item=item, value=value) from None
        out[code.strip()] = target_score(code.strip(), v)
    return out
