"""One number box for every quantity a user types (raw values, progress readings, money).

st.number_input reads only a decimal point: a Vietnamese "2,5" became 25 without a word. This
box is a text field read by model.fmt.parse_number in the reader's language (vi 2,5; en 2.5),
shown in the reader's format (25, not 25.0000) and refusing, with a message in the reader's
language, what is not one clear number ("1.234" in Vietnamese: 1234 or 1,234?) or lies
outside the allowed range. Counts with whole steps (ranks, runs) keep st.number_input.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from model import fmt
from ui.i18n import _, lang

_LANG, _LAST = "_ne_lang_", "_ne_last_"  # the language the text is in; the last good value


def set_value(key: str, x: float | None, decimals: int = 6) -> None:
    """Put `x` in the box `key` (a callback, or before the box is drawn)."""
    st.session_state[key] = fmt.entry_text(x, lang(), decimals)
    st.session_state[_LANG + key] = lang()
    st.session_state[_LAST + key] = x


def _bound(x: float, decimals: int) -> str:
    return fmt.number(x, lang(), decimals)


def check(
    text: str | None,
    *,
    min_value: float | None = None,
    max_value: float | None = None,
    decimals: int = 2,
    unit: str = "",
) -> tuple[float | None, str | None]:
    """(value, None), or (None, the problem in the reader's language); (None, None): blank."""
    try:
        x = fmt.parse_number(text, lang())
    except fmt.NumberTextError as exc:
        return None, _(exc.msg_id, **exc.params)
    if x is None:
        return None, None
    low = min_value is not None and x < min_value
    high = max_value is not None and x > max_value
    if not (low or high):
        return x, None
    shown = str(text).strip()
    suffix = f" {unit}" if unit else ""
    if min_value is not None and max_value is not None:
        return None, _(
            "common.num_range",
            value=shown,
            lo=_bound(min_value, decimals) + suffix,
            hi=_bound(max_value, decimals) + suffix,
        )
    if low:
        return None, _("common.num_min", value=shown, lo=_bound(min_value, decimals) + suffix)
    return None, _("common.num_max", value=shown, hi=_bound(max_value, decimals) + suffix)


def read(key: str, **limits) -> tuple[float | None, str | None]:
    """The box's value for a callback (a form's submit): see `check`."""
    return check(st.session_state.get(key), **limits)


def _follow_language(key: str, decimals: int) -> None:
    """Text typed in one language, re-written when the reader switches ("2,5" -> "2.5")."""
    was = st.session_state.get(_LANG + key)
    if was is None or was == lang() or key not in st.session_state:
        return
    try:
        x = fmt.parse_number(st.session_state[key], was)
    except fmt.NumberTextError:
        return  # a bad text stays as typed; its message says why
    st.session_state[key] = fmt.entry_text(x, lang(), decimals)
    st.session_state[_LANG + key] = lang()


def number_entry(
    label: str,
    key: str,
    *,
    value: float | None = None,
    min_value: float | None = None,
    max_value: float | None = None,
    decimals: int = 2,
    unit: str = "",
    help: str | None = None,
    place=st,
    on_change: Callable | None = None,
    show_error: bool = True,
) -> float | None:
    """A number box: the value typed (None when blank). Text that cannot be read, or a value
    out of range, shows its reason under the box and gives the last good value instead (the
    page keeps working on it); `decimals` is how the box and the range in messages show it."""
    if key not in st.session_state:
        set_value(key, value, max(decimals, 6))
    else:
        _follow_language(key, max(decimals, 6))
    text = place.text_input(
        label,
        key=key,
        help=" ".join(x for x in (help, _("common.num_help")) if x),
        on_change=on_change,
        placeholder=fmt.entry_text(value, lang(), decimals) if value is not None else None,
    )
    st.session_state[_LANG + key] = lang()
    x, problem = check(text, min_value=min_value, max_value=max_value, decimals=decimals, unit=unit)
    if problem:
        if show_error:
            place.error(problem, icon=":material/error:")
        return st.session_state.get(_LAST + key, value)
    st.session_state[_LAST + key] = x
    return x
