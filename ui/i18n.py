"""The screen's language: Vietnamese first, English on request.

Every sentence comes from the gettext catalogues (`locales/`, see model.i18n) by its id:
`_("scenario.saved_ok", name=...)`. Errors from the library are rendered with `err(exc)`, so a
Vietnamese screen never shows an English sentence from below.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from model import fmt
from model import i18n as core

LANGS = core.LANGS
# Each language's name in itself: the switch reads the same in both languages.
LANG_LABELS = {"vi": "Tiếng Việt", "en": "English"}
MEMO = "_pii_lang"


def lang() -> str:
    """The screen's language, read once per script run: a Plan page run asks a thousand times
    and each read of st.session_state costs about 8 µs. The memo lives on the run's context and
    is tied to the run by its cursors (a new dict every run); forget_language() drops it."""
    ctx = get_script_run_ctx(suppress_warning=True)
    memo = getattr(ctx, MEMO, None)
    if memo is not None and memo[0] is ctx.cursors:
        return memo[1]
    value = st.session_state.get("lang", "vi")
    value = value if value in LANGS else "vi"
    if ctx is not None:
        setattr(ctx, MEMO, (ctx.cursors, value))
    return value


def forget_language() -> None:
    """After st.session_state["lang"] is written during a run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        setattr(ctx, MEMO, None)


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
