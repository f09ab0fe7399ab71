"""The plan's official appendix as a Word document (.docx), out and in.

Out: `appendix_docx` (bytes) and `export_appendix` (a file) write the appendix a provincial
People's Committee issues with its plan, in the seed's layout and Decree 30/2020's form, with
an optional progress-by-department table (`ProgressRow`); `indicator_info` gives what the
edition says of each indicator (`IndicatorInfo`). In: `read_appendix` (the rows as printed),
`read_appendix_docx` and `read_appendix_for` (a plan, alone or against an edition),
`appendix_header`, `is_docx`, `appendix_records` (the rows in the seed's CSV layout) and
`target_number`; a file that cannot be read raises AppendixError, its rows named by their STT.

Modules (each importing only the ones above it):
  layout  the page, the columns and the header words; the values (Appendix, AppendixRow, …);
          numbers, targets and names as printed and read; the plan files' columns, which
          model.plan.files shares (the seed's layout is the appendix as a table)
  meta    what a plan says of itself: the appendix's custom XML part, the full layout's label
          rows of a plan file
  write   the document written
  read    the document read
"""

from .layout import (
    DOCX_MIME,
    ROW_IDS,
    Appendix,
    AppendixError,
    AppendixRow,
    IndicatorInfo,
    ProgressRow,
    RowProblem,
    appendix_records,
    target_number,
)
from .read import appendix_header, is_docx, read_appendix, read_appendix_docx, read_appendix_for
from .write import appendix_docx, export_appendix, indicator_info

__all__ = [
    "DOCX_MIME",
    "ROW_IDS",
    "Appendix",
    "AppendixError",
    "AppendixRow",
    "IndicatorInfo",
    "ProgressRow",
    "RowProblem",
    "appendix_docx",
    "appendix_header",
    "appendix_records",
    "export_appendix",
    "indicator_info",
    "is_docx",
    "read_appendix",
    "read_appendix_docx",
    "read_appendix_for",
    "target_number",
]
