"""A report as a file: its bytes in a format, its default name, and an atomic write."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from model.index.scenario import ScenarioError

from .content import Report

FORMATS = ("xlsx", "html")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
}


def to_xlsx(rep: Report) -> bytes:
    """The Excel workbook (openpyxl is imported only when a workbook is made)."""
    from .xlsx import to_xlsx as workbook

    return workbook(rep)


def to_html(rep: Report) -> str:
    """The standalone HTML page (Jinja2 is imported only when a page is made)."""
    from .html import to_html as page

    return page(rep)


def render(rep: Report, kind: str) -> bytes:
    if kind == "xlsx":
        return to_xlsx(rep)
    if kind == "html":
        return to_html(rep).encode("utf-8")
    raise ScenarioError("report.err_format", kind=kind, valid=", ".join(FORMATS))


def file_name(rep: Report, kind: str) -> str:
    stamp = rep.generated.strftime("%Y%m%d")
    label = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in rep.label)[:40].strip("-")
    return f"pii-{rep.unit}-{rep.edition.year}-{label or 'report'}-{stamp}.{kind}"


def write(rep: Report, kind: str, out: Path) -> Path:
    """Write the report atomically: a temporary file beside `out`, then a rename."""
    data = render(rep, kind)
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ScenarioError("report.err_folder", folder=str(folder))
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    return out
