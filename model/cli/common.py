"""What every command shares: --lang, the error classes, number checks, tables and JSON."""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import stat
from collections.abc import Callable, Sequence

from model import api
from model.estimates.quality import intervals, marks
from model.fmt import number
from model.i18n import DEFAULT_LANG, LocalizedError, gettext
from model.index.scenario import ScenarioError, target_score
from model.official.read import MAX_BYTES
from model.paths import read_only_forced
from model.workspace import NameTaken, WorkspaceError

# How every command names where a number comes from (model.index.provenance's three kinds).
PROVENANCE = {
    "official": "cli.prov_official",
    "published": "cli.prov_published",
    "statistics": "statistics.prov_statistics",  # computed from official statistics (NSO)
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


def parse_set(items: Sequence[str], sep: str = "=") -> dict[str, float]:
    """--set CODE=SCORE (repeatable; `sep` ">=" for CODE>=SCORE): indicator code → target
    score-equivalent, checked by the scenario page's rule (model.index.scenario.target_score):
    beyond 0–100 is capped or moves the goalposts; only a value far outside the national range
    is refused. A refusal quotes the item as the user typed it."""
    out: dict[str, float] = {}
    for item in items:
        code, found, value = item.partition(sep)
        if not found:
            raise CliError("cli.err_set_form", item=item)
        try:
            v = float(value.replace(",", "."))
        except ValueError:
            raise CliError("cli.err_set_number", item=item, value=value) from None
        out[code.strip()] = target_score(code.strip(), v)
    return out


def read_input_file(path: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a file named on the command line (`import`, `plan import`), read with
    bounds: a regular file of at most `max_bytes` (the upload limit), else a CliError and
    nothing read. Opened without blocking and checked on the open file (fstat), so a device
    (/dev/zero), a pipe or a folder is refused before a byte is read, and the read stops one
    byte past the limit should the file grow meanwhile."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise CliError("cli.err_no_file", path=path) from None
    except OSError as exc:
        raise CliError("plan.cli_err_read", path=path, error=exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CliError("cli.err_not_a_file", path=path)
        too_big = CliError(
            "cli.err_file_too_big", path=path, size=float(info.st_size), max=float(max_bytes)
        )
        if info.st_size > max_bytes:
            raise too_big
        chunks, left = [], max_bytes + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise CliError("plan.cli_err_read", path=path, error=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise too_big
    return data


def writes_store(
    unless: Callable[[argparse.Namespace], bool] | None = None,
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """A command that writes the store (plans, dataset versions): refused with exit 2 and
    nothing written while the server is read-only (PII_READ_ONLY, as for the app), unless
    `unless(args)` says this run writes nothing (e.g. `import --dry-run`)."""

    def wrap(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        @functools.wraps(fn)
        def run(args: argparse.Namespace) -> int:
            if read_only_forced() and not (unless is not None and unless(args)):
                raise CliError("cli.err_read_only")
            return fn(args)

        return run

    return wrap


def store_errors(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A handler whose store errors are bad input for main: the same message, exit 2."""

    @functools.wraps(fn)
    def run(args: argparse.Namespace) -> int:
        try:
            return fn(args)
        except NameTaken as exc:
            if "plan" in exc.params:  # a plan of this name exists: say how to revise it
                raise CliError("plan.cli_err_exists", **exc.params) from None
            raise CliError(exc.msg_id, **exc.params) from None
        except WorkspaceError as exc:
            raise CliError(exc.msg_id, **exc.params) from None

    return run


# ---- the ≈ mark in the tables ----------------------------------------------------------------
# An estimated PII, rank, sub-index or pillar shows "≈ value (low–high)"; a published one the
# bare number (model/estimates/quality/marks.py).


def _known(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def marked_value(lang: str, v: float, low, high) -> str:
    """A score with its mark and interval where it is an estimate."""
    if not _known(low) or not _known(high):
        return num(v, lang)
    return gettext(
        lang,
        "reconstruct.approx_range",
        value=num(v, lang),
        low=num(low, lang, 1),
        high=num(high, lang, 1),
    )


def marked_rank(lang: str, r: int, low, high) -> str:
    """A rank with its mark and range where it is an estimate."""
    if not _known(low) or not _known(high) or int(low) <= 0:
        return str(int(r))
    return gettext(lang, "reconstruct.approx_rank", rank=int(r), low=int(low), high=int(high))


def marked_pillars(lang: str, p: dict) -> str:
    """ "1: ≈ 44,27 (30,1–58,4) · 2: …" from a profile (model.profile)."""
    lows, highs = p.get("pillars_low") or {}, p.get("pillars_high") or {}
    return " · ".join(
        f"{k}: {marked_value(lang, v, lows.get(k), highs.get(k))}" for k, v in p["pillars"].items()
    )


def pii_mark(out) -> str:
    """ "≈ " when the scenario's unit has an estimated PII in its edition, else ""."""
    ed = out.edition
    iv = intervals.for_edition(ed, api.store.published(ed.year))
    return (
        f"{marks.MARK} "
        if marks.estimated(float(iv.pii_low[ed.unit_index(out.scenario.unit)]))
        else ""
    )


def simulate_lines(lang: str, out) -> list[str]:
    """Under `simulate`'s change: the baseline's interval and the places gained as a range
    where the unit's PII is estimated or estimated neighbours are passed."""
    ed = out.edition
    u = ed.unit_index(out.scenario.unit)
    iv = intervals.for_edition(ed, api.store.published(ed.year))
    base, new = out.baseline.pii, out.result.pii
    lines = []
    if marks.estimated(float(iv.pii_low[u])):
        d = float(new[u] - base[u])
        lines.append(
            gettext(lang, "reconstruct.row_pii")
            + ": "
            + marked_value(lang, float(base[u]), iv.pii_low[u], iv.pii_high[u])
            + " → "
            + marked_value(lang, float(new[u]), iv.pii_low[u] + d, iv.pii_high[u] + d)
        )
    lo, hi = marks.places_range(base, new, u, iv.pii_low, iv.pii_high)
    if lo != hi:
        lines.append(
            gettext(
                lang,
                "reconstruct.places_range",
                low=num(lo, lang, 0, bool(lo)),  # "0", not "+0"
                high=num(hi, lang, 0, bool(hi)),
            )
        )
    return lines
