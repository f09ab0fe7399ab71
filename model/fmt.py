"""Numbers and dates in the user's language, through Babel (vi: 46,51 and 27/11/2026)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"vi": "vi_VN", "en": "en_GB"}


@lru_cache(maxsize=4)
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES.get(lang, "vi_VN"))


def number(x: float | None, lang: str = "vi", decimals: int = 2, sign: bool = False) -> str:
    if x is None or x != x:  # None or NaN
        return "–"
    return _number(float(x), lang, decimals, sign)


HUGE = 1e15  # beyond this, grouped digits are unreadable (and Babel fails from about 1e26)


@lru_cache(maxsize=65536)  # pages format the same values on every rerun
def _number(x: float, lang: str, decimals: int, sign: bool) -> str:
    if abs(x) >= HUGE or x in (float("inf"), float("-inf")):
        return _scientific(x, lang, sign)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    if sign:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(x, format=pattern, locale=_locale(lang))


def _scientific(x: float, lang: str, sign: bool) -> str:
    """1,5e+27 in Vietnamese, 1.5e+27 in English; ∞ for infinities."""
    if x != x:
        return "–"
    if x in (float("inf"), float("-inf")):
        return ("-" if x < 0 else ("+" if sign else "")) + "∞"
    text = f"{x:+.3g}" if sign else f"{x:.3g}"
    return text.replace(".", ",") if lang == "vi" else text


def date(d: dt.date | dt.datetime, lang: str = "vi") -> str:
    return format_date(d, format="dd/MM/yyyy", locale=_locale(lang))
