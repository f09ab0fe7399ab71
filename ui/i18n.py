"""The screen's language: Vietnamese first, English on request.

Every sentence comes from the gettext catalogues (`locales/`, see model.i18n) by its id:
`_("scenario.saved_ok", name=...)`. Errors from the library are rendered with `err(exc)`, so a
Vietnamese screen never shows an English sentence from below.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from model import fmt
from model import i18n as core

LANGS = core.LANGS
# Each language's name in itself: the switch reads the same in both languages.
LANG_LABELS = {"vi": "Tiếng Việt", "en": "English"}


def lang() -> str:
    value = st.session_state.get("lang", "vi")
    return value if value in LANGS else "vi"


def _(msg_id: str, /, **params: object) -> str:
    """The sentence `msg_id` in the screen's language."""
    return core.gettext(lang(), msg_id, **params)


def _n(msg_id: str, n: int, /, **params: object) -> str:
    """A sentence with a count (English has a singular and a plural form)."""
    return core.ngettext(lang(), msg_id, n, **params)


def err(exc: object) -> str:
    """An error or Message from the library, in the screen's language."""
    return core.render(exc, lang())


def num(x: float | None, decimals: int = 2, sign: bool = False) -> str:
    return fmt.number(x, lang(), decimals, sign)


def name_of(row: Mapping[str, object]) -> str:
    """The name column in the current language (name_vi / name_en)."""
    return str(row.get(f"name_{lang()}") or row.get("name_vi") or "")
