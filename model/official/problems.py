"""What is wrong with an import file: located problems with a catalogue id, and the refusal.

A problem's message is its location ("file, sheet, row, column: ") followed by the catalogue
sentence of its id (fragment `locales/*/LC_MESSAGES/import.po`, ids `import.*`); bodies start in
lower case and say what is wrong and what was expected. Numbers in a problem are the file's own
values, so they are written in full (no rounding, no thousands separators) with the decimal
mark of the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from model.i18n import LocalizedError, Message, gettext, msg, ngettext

Lang = Literal["vi", "en"]

MAX_PROBLEMS = 200

# What a column holds, for messages ("expected ...") and the template's instructions sheet.
EXPECTED = {
    "unit": "import.expected_unit",
    "code": "import.expected_code",
    "edition": "import.expected_edition",
    "raw": "import.expected_raw",
    "score": "import.expected_score",
    "min": "import.expected_min",
    "max": "import.expected_max",
    "rank": "import.expected_rank",
}


def expected(column: str) -> Message:
    """What `column` should hold, as a parameter of a problem."""
    return msg(EXPECTED[column])


def _fmt_number(x: float, lang: str) -> str:
    if not math.isfinite(x):
        return str(x)
    text = f"{x:.6f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if lang == "vi" else text


@dataclass(frozen=True)
class Names:
    """A name in each language (a unit's), shown in the language of the problem."""

    vi: str
    en: str

    def render(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


def _fmt_param(value: Any, lang: str) -> Any:
    """A parameter as the problem shows it; Messages are left for model.i18n to render."""
    if isinstance(value, Names):
        return value.render(lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return _fmt_number(value, lang)
    if isinstance(value, tuple | list):
        return ", ".join(str(_fmt_param(v, lang)) for v in value) or "—"
    if isinstance(value, Message | LocalizedError):
        return value
    return str(value)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an import file, located as the user sees it."""

    file: str
    sheet: str | None
    row: int | None  # spreadsheet row number, the header row being 1
    column: str | None  # the column's header as written in the file (or its letter)
    msg_id: str  # an id of the catalogue fragment "import"
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def where(self, lang: Lang = "vi") -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(gettext(lang, "import.loc_sheet", sheet=self.sheet))
        if self.row is not None:
            parts.append(gettext(lang, "import.loc_row", row=self.row))
        if self.column is not None:
            parts.append(gettext(lang, "import.loc_column", column=self.column))
        return ", ".join(parts)

    def body(self, lang: Lang = "vi") -> str:
        params = {k: _fmt_param(v, lang) for k, v in self.params.items()}
        n = self.params.get("n")
        if isinstance(n, int) and not isinstance(n, bool):  # plural entries count {n}
            return ngettext(lang, self.msg_id, n, **params)
        return gettext(lang, self.msg_id, **params)

    def message(self, lang: Lang = "vi") -> str:
        return f"{self.where(lang)}: {self.body(lang)}"

    render = message

    def __str__(self) -> str:
        return self.message("en")


class ImportRefused(LocalizedError):
    """The file cannot be imported; `problems` lists everything found (capped).

    Rendered (`render(lang)`, `str()` in English) as a headline and the first problems; a page
    or the CLI lists them all with `messages(lang)`."""

    SHOWN = 5

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.warnings: tuple[Problem, ...] = tuple(warnings)
        file = self.problems[0].file if self.problems else ""
        super().__init__("import.refused", file=file, n=len(self.problems))

    @property
    def message(self) -> Message:
        return Message(self.msg_id, self.params, count=len(self.problems))

    def messages(self, lang: Lang = "vi") -> list[str]:
        return [p.message(lang) for p in self.problems]

    def render(self, lang: str) -> str:
        lines = [self.message.render(lang)]
        lines += [p.message(lang) for p in self.problems[: self.SHOWN]]  # type: ignore[arg-type]
        return "\n".join(lines)


class Collector:
    """Errors and warnings found while reading one file; errors past MAX_PROBLEMS are counted."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.overflow = 0
        self.cells: set[tuple] = set()  # (sheet, row, column) of every error, even past the cap

    def error(self, sheet, row, column, msg_id: str, **params) -> None:
        self.cells.add((sheet, row, column))
        if len(self.errors) >= MAX_PROBLEMS:
            self.overflow += 1
            return
        self.errors.append(Problem(self.file, sheet, row, column, msg_id, params))

    def warn(self, sheet, row, column, msg_id: str, **params) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(self.file, sheet, row, column, msg_id, params))

    def has_error(self, sheet, row: int, column: str) -> bool:
        """Whether this cell already has an error (so no second, derived one is added)."""
        return (sheet, row, column) in self.cells

    def refuse(self) -> ImportRefused:
        problems = sorted(self.errors, key=lambda e: (e.row is None, e.row or 0))
        if self.overflow:
            problems.append(
                Problem(
                    self.file, None, None, None, "import.too_many_problems", {"n": self.overflow}
                )
            )
        return ImportRefused(problems, self.warnings)

    def check(self) -> None:
        if self.errors:
            raise self.refuse()
