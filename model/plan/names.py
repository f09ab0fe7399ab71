"""Names in the reader's language: the plans are written in Vietnamese; data/sources/
departments.csv gives the departments of the seed plan a short form and an English name, and a
small glossary the timeframes. Anything not listed is shown as written."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import i18n, paths

TIMEFRAMES = {"Thường xuyên": "Ongoing", "Hằng năm": "Annually", "Hàng năm": "Annually"}


@dataclass(frozen=True)
class Department:
    """A department's names (one row of departments.csv)."""

    id: str
    name_vi: str
    short_vi: str
    name_en: str
    short_en: str

    def label(self, lang: str = "vi", short: bool = False) -> str:
        if lang == "en":
            return (self.short_en if short else self.name_en) or self.name_vi
        return (self.short_vi if short else self.name_vi) or self.name_vi


@lru_cache(maxsize=4)
def _departments(path: Path) -> dict[str, Department]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["name_vi"].strip(): Department(
            r["id"].strip(),
            r["name_vi"].strip(),
            r["short_vi"].strip(),
            r["name_en"].strip(),
            r["short_en"].strip(),
        )
        for r in rows
    }


def department_glossary() -> dict[str, Department]:
    """Full Vietnamese name -> Department, from data/sources/departments.csv (read once)."""
    return _glossary_in(os.environ.get("PII_SOURCES_DIR", ""))


@lru_cache(maxsize=8)
def _glossary_in(folder: str) -> dict[str, Department]:
    # keyed on the folder setting (PII_SOURCES_DIR, "" for the default): a label is looked up
    # 125 times a Plan page run, and building the path each time took more than the lookup
    return _departments((Path(folder) if folder else paths.sources_dir()) / "departments.csv")


def department_label(name: str, lang: str = "vi", short: bool = False) -> str:
    """A lead (or coordinating) unit's name for display: its short or English form from
    departments.csv when it has one, else as written; "(not assigned)" when empty."""
    entry = department_glossary().get(name.strip())
    if entry is None:
        return name or i18n.gettext(lang, "plan.unassigned")
    return entry.label(lang, short)


def timeframe_label(text: str, lang: str = "vi") -> str:
    return TIMEFRAMES.get(text.strip(), text) if lang == "en" else text
