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


@lru_cache(maxsize=65536)  # pages format the same values on every rerun
def _number(x: float, lang: str, decimals: int, sign: bool) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    if sign:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(x, format=pattern, locale=_locale(lang))


def date(d: dt.date | dt.datetime, lang: str = "vi") -> str:
    return format_date(d, format="dd/MM/yyyy", locale=_locale(lang))
