"""Names shown on screen in the screen's language: indicators, their units, pillars, groups and
departments. One place, so the pages never pick `name_vi`/`name_en` themselves.
"""

from __future__ import annotations

from model import plan as planmod
from model.index.framework import Framework
from ui.i18n import lang


def _li() -> int:
    return 0 if lang() == "vi" else 1


def indicator(fw: Framework, code: str, width: int | None = None) -> str:
    """An indicator's name; cut with an ellipsis beyond `width` characters when given."""
    text = fw.indicator(code).name(lang())
    if width is None or len(text) <= width:
        return text
    return text[: width - 1].rstrip() + "…"


def indicator_unit(fw: Framework, code: str) -> str:
    return fw.indicator(code).unit(lang())


def pillar(fw: Framework, p: str) -> str:
    return fw.pillar_names.get(p, (p, p))[_li()]


def group(fw: Framework, g: str) -> str:
    return fw.group_names.get(g, (g, g))[_li()]


def department(name: str, short: bool = False) -> str:
    """A lead unit's name: the glossary's short or English form ("(not assigned)" when empty)."""
    return planmod.department_label(name, lang(), short)
