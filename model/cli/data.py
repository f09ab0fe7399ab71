"""`import`, `versions`, `rollback`, `template`: official data in, versions, undo.

    python -m model template --kind profile --unit bac-giang --edition 2024 --out ho-so.xlsx
    python -m model import ho-so.xlsx --edition 2024 --dry-run
    python -m model import ho-so.xlsx --edition 2024 --note "Hồ sơ PII 2024 do Bộ gửi"
    python -m model import ho-so.xlsx --edition 2023 --replace-official
    python -m model versions [--json]
    python -m model rollback 0

An invalid file is refused with every problem on stderr (file, sheet, row, column, what was
expected) and exit code 2; nothing is written. So is a file whose edition column names another
edition than --edition (or, with --unit, a profile of another unit), and an import that would
change official values without --replace-official (the cells are listed). A rollback to the
data already current says so and writes nothing (exit 0). --lang is also the language of the
template.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from model import api
from model.fmt import date_time, number
from model.i18n import gettext, ngettext, render
from model.index.dataset import raw_text
from model.official import dryrun, versions
from model.official.versions import note_message
from model.workspace import WorkspaceError

from .common import (
    PROVENANCE,
    CliError,
    add_lang,
    lang_of,
    read_input_file,
    table,
    writes_store,
)


class DataCliError(CliError):
    """A file, a version or a workspace the data commands cannot use (exit code 2)."""


def add_commands(sub: argparse._SubParsersAction) -> None:
    im = sub.add_parser(
        "import",
        help="import official data (a full edition or one unit's profile; CSV or XLSX)",
        description="Validate a file and, unless --dry-run, add it as a new dataset version.",
    )
    im.add_argument("file", help="the CSV or XLSX file")
    im.add_argument("--edition", required=True, help="PII edition, e.g. 2024")
    im.add_argument("--unit", default=None, help="the unit a profile must be for (default: any)")
    im.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    im.add_argument(
        "--replace-official",
        action="store_true",
        help="allow the import to change official values (listed by a dry run)",
    )
    im.add_argument("--note", default="", help="a note stored with the version")
    im.add_argument("--author", default=None, help="who imports (default: the login name)")
    im.add_argument("--json", action="store_true", help="machine-readable output")
    im.set_defaults(fn=cmd_import)

    ve = sub.add_parser("versions", help="list the dataset versions")
    ve.add_argument("--json", action="store_true")
    ve.set_defaults(fn=cmd_versions)

    rb = sub.add_parser("rollback", help="make the state of an earlier version current")
    rb.add_argument("version", help="the version to restore (0 = the embedded data)")
    rb.add_argument("--note", default="")
    rb.add_argument("--author", default=None)
    rb.set_defaults(fn=cmd_rollback)

    tp = sub.add_parser("template", help="write an import template (CSV or XLSX)")
    tp.add_argument("--kind", required=True, choices=["edition", "profile"])
    tp.add_argument("--edition", required=True)
    tp.add_argument("--unit", default=None, help="unit slug for a profile template")
    tp.add_argument("--out", required=True, help="file to write (.csv or .xlsx)")
    tp.set_defaults(fn=cmd_template)

    for p in (im, ve, rb, tp):
        add_lang(p)


def _author(value: str | None) -> str:
    if value is not None:
        return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container
        return ""


@writes_store(unless=lambda args: args.dry_run)
def cmd_import(args: argparse.Namespace) -> int:
    from model.official import importer

    lang = lang_of(args)
    ed = api.edition(args.edition)
    if args.unit is not None:
        ed.unit_index(args.unit)  # UnknownName lists the valid units
    data = read_input_file(args.file)  # a regular file within the upload limit
    try:
        parsed = importer.parse(data, Path(args.file).name, ed, unit=args.unit)
    except importer.ImportRefused as exc:
        n, name = len(exc.problems), Path(args.file).name
        print(ngettext(lang, "cli.import_refused", n, file=name), file=sys.stderr)
        for p in exc.problems:
            print(f"  - {p.message(lang)}", file=sys.stderr)
        return 2
    for w in parsed.warnings:
        print(f"  ! {w.message(lang)}", file=sys.stderr)
    try:
        result = versions.apply_import(
            parsed,
            author=_author(args.author),
            note=args.note,
            dry_run=args.dry_run,
            replace_official=args.replace_official,
        )
    except versions.OfficialOverwrite as exc:
        n, name = len(exc.cells), Path(args.file).name
        print(ngettext(lang, "import.cli_official_refused", n, file=name), file=sys.stderr)
        _print_cells(exc.cells, lang, sys.stderr)
        return 2
    except (versions.DataChangeError, WorkspaceError) as exc:
        raise DataCliError("cli.err_detail", error=exc) from exc
    report = result.report
    if args.json:
        out = {"version": None if result.version is None else result.version.id, **report}
        out["changes"] = json.loads(result.changes.to_json(orient="records"))
        out["goalposts"] = json.loads(result.goalposts.to_json(orient="records"))
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    n = len(result.changes)
    if result.version is None:
        print(ngettext(lang, "cli.import_dry", n, edition=parsed.edition))
        _print_dry(result, parsed.units, ed, lang)
        if len(result.goalposts):
            print(ngettext(lang, "cli.import_goalposts", len(result.goalposts)))
            print(_goalposts_table(result.goalposts, lang))
        if len(result.official):
            print(ngettext(lang, "import.cli_official_dry", len(result.official)))
            _print_cells(result.official, lang, sys.stdout)
    else:
        print(ngettext(lang, "cli.import_done", n, id=result.version.id, edition=parsed.edition))
        if len(result.official):
            print(ngettext(lang, "import.cli_official_replaced", len(result.official)))
            _print_cells(result.official, lang, sys.stdout)
    _print_facts(report, lang)
    return 0


def _print_dry(result, units: tuple[str, ...], ed, lang: str) -> None:
    """The dry run as the Data page shows it: each imported unit's PII and rank before → after,
    its own changed cells, then the other units' re-solved estimates with why they move. Every
    row is printed (a whole edition's import prints them all)."""
    after = result.solved.edition
    for s in dryrun.standings(ed, after, units):
        line = gettext(
            lang,
            "import.fx_standing",
            unit=ed.name(s.unit, lang),
            pii0=number(s.pii0, lang),
            pii=number(s.pii, lang),
            rank0=s.rank0,
            rank=s.rank,
            n=after.n,
        )
        print(f"  {line}")
    mine, others = dryrun.own_first(result.changes, units)
    if len(mine):
        print(ngettext(lang, "import.fx_own_cells", len(mine)))
        print(_changes_table(mine, ed, lang))
    if len(others):
        print(ngettext(lang, "import.fx_others_cells", len(others), units=others["unit"].nunique()))
        print(gettext(lang, "import.fx_others_why"))
        print(_changes_table(others, ed, lang))


def _changes_table(changes, ed, lang: str) -> str:
    """Changed cells with the Data page's headers and values, in the user's language."""
    heads = (  # literal ids, for the extractor: the Data page's headers
        "data.col_unit",
        "data.col_code",
        "data.col_old_raw",
        "data.col_new_raw",
        "data.col_old_score",
        "data.col_new_score",
        "data.col_old_prov",
        "data.col_new_prov",
    )

    labels = PROVENANCE | {"statistics": "statistics.prov_statistics"}

    def prov(p: str) -> str:
        return gettext(lang, labels[p]) if p in labels else str(p)

    rows = [
        [
            ed.name(c.unit, lang) if c.unit in ed.slugs else str(c.unit),
            str(c.code),
            raw_text(ed, c.code, c.old_raw, lang),
            raw_text(ed, c.code, c.new_raw, lang),
            number(c.old_score, lang),
            number(c.new_score, lang),
            prov(c.old_provenance),
            prov(c.new_provenance),
        ]
        for c in changes.itertuples()
    ]
    headers = [gettext(lang, h) for h in heads]
    return table(headers, rows, [False, False, True, True, True, True, False, False])


def _goalposts_table(goalposts, lang: str) -> str:
    heads = ("data.col_code", "data.col_old_min", "data.col_old_max", "data.col_new_min",
             "data.col_new_max")  # fmt: skip
    rows = [
        [str(r[0]), *(number(v, lang) for v in r[1:5])] for r in goalposts.itertuples(index=False)
    ]
    headers = [gettext(lang, h) for h in heads]
    return table(headers, rows, [False, True, True, True, True])


def _print_cells(cells, lang: str, out) -> None:
    """Every official cell that changes: unit, code, old → new score and raw value."""

    def score(x: float) -> str:
        return "—" if x != x else number(x, lang, 2)  # NaN: not given

    def raw(x: float) -> float | str:
        return "—" if x != x else float(x)

    for c in cells.itertuples():
        line = gettext(
            lang,
            "import.cli_official_cell",
            unit=c.unit,
            code=c.code,
            old_score=score(c.old_score),
            new_score=score(c.new_score),
            old_raw=raw(c.old_raw),
            new_raw=raw(c.new_raw),
        )
        print(f"  - {line}", file=out)


def _print_facts(report: dict, lang: str) -> None:
    print(gettext(lang, "cli.import_facts", met=report["met"], total=report["constraints"]))
    for f in report["failed"]:
        print(
            gettext(
                lang,
                "cli.import_failed",
                unit=f["unit"],
                level=f["level"],
                item=f["item"] or "",
                published=_num(f["published"], lang),
                got=_num(f["reproduced"], lang),
            )
        )
    for note in report.get("notes", []):
        print(f"  · {render(note_message(note), lang)}")


def _num(x: float | None, lang: str) -> str:
    return "—" if x is None else number(x, lang, 2)


def cmd_versions(args: argparse.Namespace) -> int:
    try:
        rows = versions.versions()
        current = versions.head(fresh=True)
    except WorkspaceError as exc:
        raise DataCliError("cli.err_detail", error=exc) from exc
    if args.json:
        out = [
            {
                "id": v.id,
                "kind": v.kind,
                "edition": v.edition,
                "restores": v.restores,
                "author": v.author,
                "file_name": v.file_name,
                "checksum": v.checksum,
                "note": v.note,
                "created_at": v.created_at.isoformat(),
                "current": v.id == current,
                "report": versions.report_of(v),
            }
            for v in rows
        ]
        print(json.dumps({"current": current, "versions": out}, ensure_ascii=False, indent=1))
        return 0
    lang = lang_of(args)
    if not rows:
        print(gettext(lang, "cli.versions_none"))
        return 0
    for v in rows:
        mark = "*" if v.id == current else " "
        what = (
            gettext(
                lang,
                "cli.versions_import",
                edition=v.edition,
                file=v.file_name,
                checksum=v.checksum[:12],
            )
            if v.kind == "import"
            else gettext(lang, "cli.versions_rollback", target=v.restores)
        )
        when = gettext(lang, "common.fx_vn_time", at=date_time(v.created_at, lang))
        print(f"{mark} {v.id:>4}  {when}  {v.author or '-':<12} {what}  {v.note}".rstrip())
    return 0


@writes_store()
def cmd_rollback(args: argparse.Namespace) -> int:
    text = str(args.version).strip()
    if not text.isdigit():
        raise DataCliError("cli.err_version_number", value=str(args.version))
    try:
        v = versions.rollback(int(text), author=_author(args.author), note=args.note)
    except versions.AlreadyCurrent as exc:
        said = render(exc, lang_of(args))
        print(said[:1].upper() + said[1:] + ".")
        return 0
    except (versions.DataChangeError, WorkspaceError) as exc:
        raise DataCliError("cli.err_detail", error=exc) from exc
    print(gettext(lang_of(args), "cli.rollback_done", id=v.id, target=v.restores))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise DataCliError("cli.err_template_suffix", out=args.out)
    from model.official import importer

    lang = lang_of(args)
    ed = api.edition(args.edition)
    if args.unit is not None:
        ed.unit_index(args.unit)  # UnknownName lists the valid units
    data = importer.template_bytes(args.kind, fmt, ed, unit=args.unit, lang=lang)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(gettext(lang, "cli.template_wrote", path=str(out)))
    return 0
