"""One language layer: gettext catalogues (Babel) and messages that carry an id and parameters.

Every sentence a user reads lives in `locales/<lang>/LC_MESSAGES/messages.po` (what a
translator edits; `locales/messages.pot` is the extracted template). Code names a sentence by a
symbolic id (`"scenario.saved_ok"`) and passes named parameters; the UI, the CLI and the
reports render it in the user's language. The library never formats a sentence itself: it
raises a `LocalizedError` (or returns a `Message`) with an id and parameters.

Parameters that are numbers are formatted in the target language (46,51 in Vietnamese);
parameters that are `Message` values are rendered in the same language, so a sentence can be
built from parts without ever mixing languages.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from model import fmt

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locales"
_FORMATTER = string.Formatter()


def N_(msg_id: str) -> str:
    """Mark an id for extraction where it is used later through a variable."""
    return msg_id


def check_lang(lang: object) -> str:
    """`lang` if it is a language of the catalogues; LocalizedError otherwise."""
    if lang in LANGS:
        return str(lang)
    raise LocalizedError("common.err_lang", lang=str(lang), valid=", ".join(LANGS))


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def po_files(lang: str) -> list[Path]:
    return sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po"))


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> dict[str, str | tuple[str, ...]]:
    """id → translation (a tuple of plural forms for plural entries), read once per process.

    Reading the .po files takes ~0.4 s, the compiled .mo ~3 ms, so the .po files are compiled
    (Babel) into a git-ignored messages.mo whenever one of them is newer; a read-only checkout
    just reads the .po files."""
    sources = po_files(lang)
    mo = mo_path(lang)
    newest = max((p.stat().st_mtime for p in sources), default=0.0)
    if mo.exists() and mo.stat().st_mtime >= newest:
        with mo.open("rb") as fh:
            return _entries(read_mo(fh))
    merged = Catalog(locale=lang, domain=DOMAIN)
    for path in sources:
        with path.open("rb") as fh:
            for entry in read_po(fh, locale=lang, domain=DOMAIN):
                if entry.id:
                    merged[entry.id] = entry
    _write_mo(mo, merged)
    return _entries(merged)


def _entries(cat: Catalog) -> dict[str, str | tuple[str, ...]]:
    out: dict[str, str | tuple[str, ...]] = {}
    for entry in cat:
        if not entry.id:
            continue
        key = entry.id[0] if isinstance(entry.id, tuple | list) else entry.id
        text = entry.string
        out[key] = tuple(text) if isinstance(text, tuple | list) else text
    return out


def _write_mo(path: Path, cat: Catalog) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            write_mo(fh, cat, use_fuzzy=False)
        os.replace(tmp, path)
    except OSError:  # a read-only checkout: the .po files are read on every start instead
        tmp.unlink(missing_ok=True)


def _strict() -> bool:
    """Tests set PII_I18N_STRICT=1: an unknown id is an error, not a visible key."""
    return os.environ.get("PII_I18N_STRICT", "") == "1"


def _lookup(lang: str, msg_id: str) -> str | tuple[str, ...]:
    cat = catalogue(lang if lang in LANGS else DEFAULT_LANG)
    text = cat.get(msg_id)
    if text:
        return text
    if _strict():
        raise KeyError(f"message id {msg_id!r} is missing from the {lang} catalogue")
    return msg_id


def _value(value: Any, lang: str) -> Any:
    """A parameter as the sentence shows it in `lang`."""
    if isinstance(value, Message | Name):
        return value.render(lang)
    if isinstance(value, LocalizedError):
        return value.render(lang)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return _float(value, lang)
    return value


def _float(x: float, lang: str) -> str:
    """Up to 2 decimals (more for small values), trailing zeros dropped, in lang's format."""
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return fmt.number(x, lang, 0)
    if abs(x) >= fmt.HUGE:
        return fmt.number(x, lang)
    decimals = 2 if abs(x) >= 0.1 else 4
    text = fmt.number(x, lang, decimals)
    sep = "," if lang == "vi" else "."
    return text.rstrip("0").rstrip(sep) if sep in text else text


def format_text(text: str, lang: str, params: Mapping[str, Any]) -> str:
    if not params:
        return text
    return text.format(**{k: _value(v, lang) for k, v in params.items()})


def gettext(lang: str, msg_id: str, /, **params: Any) -> str:
    text = _lookup(lang, msg_id)
    if isinstance(text, tuple):
        text = text[-1]
    return format_text(text, lang, params)


def ngettext(lang: str, msg_id: str, n: int, /, **params: Any) -> str:
    """A sentence with a count: English has two forms, Vietnamese one."""
    text = _lookup(lang, msg_id)
    if isinstance(text, tuple):
        form = Locale.parse(lang).plural_form(abs(n))
        text = text[0] if (form == "one" and len(text) > 1) else text[-1]
    return format_text(text, lang, {"n": n, **params})


def placeholders(text: str) -> set[str]:
    """The named fields of a catalogue string ({name} and {name:...})."""
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name}


@dataclass(frozen=True)
class Message:
    """A sentence not yet rendered: an id and its parameters (which may be Messages)."""

    msg_id: str
    params: Mapping[str, Any] = field(default_factory=dict)
    count: int | None = None  # set for plural sentences

    def render(self, lang: str) -> str:
        if self.count is not None:
            return ngettext(lang, self.msg_id, self.count, **self.params)
        return gettext(lang, self.msg_id, **self.params)

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True)
class Name:
    """A proper name in both languages (a province), shown in the reader's: a message
    parameter like any other."""

    vi: str
    en: str

    def render(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    def __str__(self) -> str:
        return self.render("en")


def msg(msg_id: str, /, **params: Any) -> Message:
    return Message(msg_id, params)


class LocalizedError(Exception):
    """An error whose text is a catalogue message: `.msg_id` and `.params`.

    `str(exc)` is the English text (logs, tracebacks); the UI, CLI and reports call
    `exc.render(lang)` (or `render(exc, lang)` for any exception)."""

    def __init__(self, msg_id: str, /, **params: Any) -> None:
        self.msg_id = msg_id
        self.params = params
        super().__init__(msg_id)

    @property
    def message(self) -> Message:
        return Message(self.msg_id, self.params)

    def render(self, lang: str) -> str:
        return self.message.render(lang)

    def __str__(self) -> str:
        try:
            return self.render("en")
        except Exception:  # noqa: BLE001 - a traceback must never fail on its own message
            return f"{self.msg_id} {self.params!r}"


def render(value: object, lang: str) -> str:
    """Any error or message as the user reads it in `lang`: LocalizedError and Message through
    the catalogue; anything else (an unexpected exception) by its own text."""
    if isinstance(value, LocalizedError | Message):
        return value.render(lang)
    return str(value)
