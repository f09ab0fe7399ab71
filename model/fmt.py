"""Numbers and dates in the user's language, through Babel (vi: 46,51 and 27/11/2026)."""

from __future__ import annotations

import datetime as dt
import math
import re
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
    x = round(x, decimals) + 0.0  # -3.55e-15 reads 0,00, never −0,00 (+ 0.0 drops the sign)
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


# Every date and time a user reads is Vietnam's (UTC+7, no daylight saving), whatever the
# server's zone: a store's UTC timestamp of 20:00 on 19/01 is already 20/01 in Hà Nội.
VN_TZ = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


def vn_time(d: dt.datetime) -> dt.datetime:
    """A moment in Vietnam time (a naive datetime is UTC, as the stores keep them)."""
    return (d if d.tzinfo else d.replace(tzinfo=dt.UTC)).astimezone(VN_TZ)


def today() -> dt.date:
    """Today in Vietnam."""
    return dt.datetime.now(VN_TZ).date()


def date(d: dt.date | dt.datetime, lang: str = "vi") -> str:
    """dd/mm/yyyy in both languages (a moment: its date in Vietnam)."""
    if isinstance(d, dt.datetime):
        d = vn_time(d).date()
    return format_date(d, format="dd/MM/yyyy", locale=_locale(lang))


def date_time(d: dt.datetime, lang: str = "vi") -> str:
    """dd/mm/yyyy HH:MM in Vietnam time, for revisions and versions."""
    t = vn_time(d)
    return f"{date(t.date(), lang)} {t:%H:%M}"


# ---- numbers as a user types them -------------------------------------------------------------
# One rule for every typed quantity (the app's number boxes); the reader's language names the
# decimal mark (vi ",", en "."), the other mark groups thousands:
#   - the decimal mark alone is the decimal mark: vi "2,5" = 2.5, "1,234" = 1.234;
#   - both marks: the decimal mark last, the other grouping by three: vi "1.234,5" = 1234.5;
#     the other way round ("1,234.5" in Vietnamese) is refused, not guessed;
#   - the other mark alone: grouping when repeated ("1.234.567"); once, it is a decimal point
#     when it cannot be grouping (vi "2.5" = 2.5, "0.125"), and refused when it could be both
#     (vi "1.234": 1234 or 1,234?): the message shows both ways to write it;
#   - spaces are ignored, "−" is a minus, "1,5e3" is scientific notation.
_TYPED = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_TYPED_SCI = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d{1,4}$")
_BLANKS = dict.fromkeys(map(ord, "\u00a0\u202f\u2009 \t"), None)


class NumberTextError(ValueError):
    """Typed text that is not one clear number: a catalogue id (`common.num_*`) and its
    parameters, rendered by the caller (this module sits below model.i18n)."""

    def __init__(self, msg_id: str, /, **params: object) -> None:
        self.msg_id, self.params = msg_id, params
        super().__init__(msg_id)


def decimal_mark(lang: str) -> str:
    return "," if lang == "vi" else "."


def _grouped(groups: list[str]) -> bool:
    """Thousands grouping: 1-3 digits (not a leading 0), then groups of three."""
    first, rest = groups[0], groups[1:]
    return 1 <= len(first) <= 3 and first[0] != "0" and all(len(g) == 3 for g in rest)


def parse_number(text: str | None, lang: str = "vi") -> float | None:
    """A typed number in `lang`'s format (the rule above); None when blank.
    NumberTextError(`common.num_not_number` | `num_ambiguous` | `num_foreign` | `num_not_finite`)."""
    raw = "" if text is None else str(text).strip()
    s = raw.translate(_BLANKS).replace("\u2212", "-")
    if not s:
        return None
    dec = decimal_mark(lang)
    other = "." if dec == "," else ","
    if _TYPED_SCI.match(s):
        return _finite(float(s.replace(",", ".")), raw)
    if not _TYPED.match(s):
        raise NumberTextError("common.num_not_number", value=raw)
    sign, body = ("-" if s[0] == "-" else ""), s.lstrip("+-")
    if dec in body and other in body:
        whole, _mark, frac = body.rpartition(dec)
        if other in frac:  # "1,234.5" in Vietnamese: the other language's way round
            raise NumberTextError("common.num_foreign", value=raw, mark=dec)
        if dec in whole or not _grouped(whole.split(other)):
            raise NumberTextError("common.num_not_number", value=raw)
        return _finite(float(sign + whole.replace(other, "") + "." + frac), raw)
    if dec in body:
        if body.count(dec) > 1:
            raise NumberTextError("common.num_not_number", value=raw)
        return _finite(float(sign + body.replace(dec, ".")), raw)
    if other in body:
        groups = body.split(other)
        if len(groups) > 2:
            if not _grouped(groups):
                raise NumberTextError("common.num_not_number", value=raw)
            return _finite(float(sign + "".join(groups)), raw)
        whole, frac = groups
        if _grouped(groups):  # "1.234" in Vietnamese: 1234, or 1,234 typed with a point?
            raise NumberTextError(
                "common.num_ambiguous",
                value=raw,
                as_thousands=sign + whole + frac,
                as_decimal=sign + whole + dec + frac,
            )
        return _finite(float(f"{sign}{whole}.{frac}"), raw)
    return _finite(float(sign + body), raw)


def _finite(x: float, raw: str) -> float:
    if not math.isfinite(x):
        raise NumberTextError("common.num_not_finite", value=raw)
    return x


def entry_text(x: float | None, lang: str = "vi", decimals: int = 6) -> str:
    """A number as a number box shows it, for reading back with parse_number: the language's
    decimal mark, no grouping (never ambiguous), at most `decimals` decimals, trailing zeros
    dropped (vi 2,5; en 2.5; 25 rather than 25.0000)."""
    if x is None or not math.isfinite(float(x)):
        return ""
    text = f"{float(x):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "+0"):
        text = "0"
    return text.replace(".", decimal_mark(lang))
