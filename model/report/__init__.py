"""Reports of a scenario: an Excel workbook and a standalone HTML page (Vietnamese or English).

`build()` (content) gathers everything a report shows from the model (baseline, scenario, the
plan and its departments, progress readings) into one value; `to_xlsx()` (xlsx) and
`to_html()` (html, from templates/report.html.j2; charts from svg) only lay it out, so the
workbook, the HTML and the screens show the same numbers. `write()` (files) puts a report on
disk through a temporary file and a rename: a failure never leaves a half-written file.
Every sentence is in the catalogue fragment "report" (ids "report.*").
"""

from __future__ import annotations

from .content import (
    VN_TIME,
    Report,
    assumptions,
    build,
    contributions,
    department_rows,
    headline,
    measures,
    pillar_table,
    plan_label,
    plan_rows,
    preset_label,
    text,
)
from .files import FORMATS, MIME, file_name, render, to_html, to_xlsx, write

__all__ = [
    "FORMATS",
    "MIME",
    "VN_TIME",
    "Report",
    "assumptions",
    "build",
    "contributions",
    "department_rows",
    "file_name",
    "headline",
    "measures",
    "pillar_table",
    "plan_label",
    "plan_rows",
    "preset_label",
    "render",
    "text",
    "to_html",
    "to_xlsx",
    "write",
]
