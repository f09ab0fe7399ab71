"""Official PII data files: templates, parsing and validation (pure: nothing is stored here).

Two kinds of file, as CSV (UTF-8, `,` `;` or tab separated) or XLSX (sheet "data"):

- **edition**: `unit, code, raw, score` (raw and/or score; optional `edition`), one row per unit ×
  indicator; in XLSX an optional sheet "goalposts" with `code, min, max` (national raw min/max).
- **profile**: one unit's profile as printed in the PII report: `unit, code, raw, score, min,
  max` and optional `rank` and `edition`. A file with a `min`, `max` or `rank` column is a
  profile.

Templates fill the `edition` column in (and a profile's `unit`): a file that says another
edition than the one imported into, or (when a unit is the target) another unit, is refused.

Columns whose header starts with `#` are notes and never read. `parse` returns a `ParsedImport`
or raises `ImportRefused` with every problem found (each names file, sheet, row as the
spreadsheet shows it, header = row 1, and column; each carries a catalogue id, rendered in vi or
en). `template_bytes` writes the templates. What an import would change (the dry run) is
`model.official.versions`' job: it depends on the re-solved dataset, not on the file alone. The rules
(numbers, tolerances, errors vs warnings) are documented in data/README.md, "Importing official
data".

This module is the importer's public face; the work is done in
`import_read` (files: CSV/XLSX, encodings, size limits), `import_numbers` (number parsing),
`import_check` (validation against the edition), `import_problems` (located problems and the
refusal) and `import_template` (templates).
"""

from __future__ import annotations

from model.index.dataset import Edition
from model.official.check import ParsedImport, validate
from model.official.numbers import CellError, Num, parse_number
from model.official.problems import MAX_PROBLEMS, Collector, ImportRefused, Lang, Problem
from model.official.read import (
    DATA_SHEET,
    EDITION_COLUMNS,
    GOALPOST_COLUMNS,
    GOALPOST_SHEET,
    INSTRUCTION_SHEET,
    MAX_BYTES,
    MAX_MB,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    PROFILE_COLUMNS,
    Kind,
    read_tables,
)
from model.official.template import TemplateError, template_bytes, template_columns


def parse(data: bytes, file_name: str, edition: Edition, unit: str | None = None) -> ParsedImport:
    """Parse and validate an import file against `edition`; raises ImportRefused.

    A file whose `edition` column names another edition is refused (a file without one is
    read as `edition`'s); with `unit`, so is a profile of another unit."""
    p = Collector(file_name)
    tables = read_tables(data, file_name, p)
    p.check()
    result = validate(tables, data, file_name, edition, p, unit)
    p.check()
    return result


__all__ = [
    "DATA_SHEET",
    "EDITION_COLUMNS",
    "GOALPOST_COLUMNS",
    "GOALPOST_SHEET",
    "INSTRUCTION_SHEET",
    "MAX_BYTES",
    "MAX_MB",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "MAX_UNZIPPED_BYTES",
    "PROFILE_COLUMNS",
    "CellError",
    "ImportRefused",
    "Kind",
    "Lang",
    "Num",
    "ParsedImport",
    "Problem",
    "TemplateError",
    "parse",
    "parse_number",
    "template_bytes",
    "template_columns",
]
