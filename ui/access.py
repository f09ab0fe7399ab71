"""Who may change what: the read-only meeting mode and the admin password for dataset changes.

Two kinds of writes, two rules:

- **User data** (saved scenarios, plan progress, budget assumption sets): allowed unless the
  app is in read-only mode (`can_write_user_data`).
- **Dataset changes** (imports, rollbacks on the data page): allowed only when the server has an
  admin password in Streamlit secrets (`admin_password = "..."` in `.streamlit/secrets.toml`)
  and it was given in this session (`data_change_gate`). Without a password configured, data
  changes are disabled and the gate says how to enable them.

Read-only mode (`read_only`) hides every write control, for a meeting-room screen. It is on when

1. the server forces it: environment `PII_READ_ONLY=1` (also `true`, `yes`, `on`) or
   `read_only = true` in Streamlit secrets. Nothing in a session can turn it off;
2. or this session entered it: an opening link with `?mode=meeting` (ui.frame reads it once),
   or the toggle on the meeting page (`set_session_read_only`). The toggle can leave the
   session's own mode again, and the address bar carries `mode=meeting` while it is on, so a
   copied link opens read-only too. No URL parameter turns read-only off.

Session state used (nothing else is remembered, and never the password itself):
`_read_only` (the session's own mode), `_admin_ok` (the password was given),
`_admin_failures` / `_admin_locked_until` (wrong attempts), `_admin_flash` (answer the last
attempt once).
"""

from __future__ import annotations

import hmac
import os
import time
from typing import Any

import streamlit as st

from model import i18n as core
from ui.i18n import LANGS

READ_ONLY_ENV = "PII_READ_ONLY"
STORE_URL_ENV = "PII_STORE_URL"
TRUE = ("1", "true", "yes", "on")
MAX_FAILURES = 5  # wrong passwords before the form pauses
LOCK_SECONDS = 60


def _secret(key: str) -> Any:
    """A top-level Streamlit secret, or None (also when there is no secrets file at all).

    `st.secrets.get` raises (a FileNotFoundError subclass) when no secrets file exists; that is
    the normal case for this app, so it is not an error here.
    """
    try:
        return st.secrets.get(key)
    except (FileNotFoundError, KeyError):
        return None


def _truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in TRUE


def _text(lang: str | None, key: str, **kw: object) -> str:
    from ui.i18n import lang as current

    return core.gettext(lang if lang in LANGS else current(), key, **kw)


# ---- configuration -------------------------------------------------------------------------
def admin_password() -> str | None:
    """The admin password from Streamlit secrets (`admin_password`), or None when not set."""
    value = _secret("admin_password")
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value)
    return text if text else None


def export_store_url() -> None:
    """Copy `store_url` from Streamlit secrets into the environment (PII_STORE_URL), unless the
    environment already names a store. Called by app.py before any page runs; never printed."""
    if os.environ.get(STORE_URL_ENV):
        return
    value = _secret("store_url")
    if isinstance(value, str) and value.strip():
        os.environ[STORE_URL_ENV] = value.strip()


# ---- read-only mode ------------------------------------------------------------------------
def forced_read_only() -> bool:
    """The server runs read-only for everyone (env PII_READ_ONLY or secrets `read_only`)."""
    return _truthy(os.environ.get(READ_ONLY_ENV)) or _truthy(_secret("read_only"))


def session_read_only() -> bool:
    """This session entered read-only mode itself (link `?mode=meeting` or the toggle)."""
    return bool(st.session_state.get("_read_only"))


def read_only() -> bool:
    """True when every write control is hidden (meeting mode)."""
    return forced_read_only() or session_read_only()


def set_session_read_only(on: bool) -> None:
    """Enter or leave the session's own read-only mode (the server's mode stays as it is)."""
    st.session_state["_read_only"] = bool(on)


def can_write_user_data() -> bool:
    """Saved scenarios, plan progress, assumption sets: allowed unless read-only."""
    return not read_only()


def read_only_note(lang: str | None = None) -> None:
    """A one-line caption where write controls were hidden."""
    st.caption(_text(lang, "common.ro_hidden"))


# ---- dataset changes -----------------------------------------------------------------------
def _check(key: str) -> None:
    """The password form's callback: compare, remember success, count failures."""
    given = str(st.session_state.get(key) or "")
    st.session_state[key] = ""  # never kept, never shown again
    expected = admin_password()
    if expected is None:
        return
    locked = float(st.session_state.get("_admin_locked_until") or 0)
    if time.monotonic() < locked:
        return
    st.session_state["_admin_flash"] = True  # the gate answers this attempt once
    if hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        st.session_state["_admin_ok"] = True
        st.session_state["_admin_failures"] = 0
        return
    failures = int(st.session_state.get("_admin_failures") or 0) + 1
    st.session_state["_admin_failures"] = failures
    if failures >= MAX_FAILURES:
        st.session_state["_admin_locked_until"] = time.monotonic() + LOCK_SECONDS
        st.session_state["_admin_failures"] = 0


def lock() -> None:
    """Forget that the password was given (the gate asks again)."""
    st.session_state.pop("_admin_ok", None)


def data_change_gate(lang: str | None = None, *, key: str = "admin") -> bool:
    """Whether this session may change the dataset now (import, rollback).

    read-only: False, with a short note. No admin password configured: an info saying data
    changes are disabled on this server and how to enable them; False. Otherwise a password
    form; True only after the right password was given in this session.
    """
    if read_only():
        st.caption(_text(lang, "common.ro_data_disabled"))
        return False
    expected = admin_password()
    if expected is None:
        st.info(_text(lang, "common.admin_disabled"), icon=":material/lock:")
        return False
    if st.session_state.get("_admin_ok"):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.caption(_text(lang, "common.admin_unlocked"))
        c2.button(_text(lang, "common.admin_lock"), key=f"{key}_lock", on_click=lock)
        return True
    field = f"{key}_password"
    locked = float(st.session_state.get("_admin_locked_until") or 0) - time.monotonic()
    with st.form(f"{key}_form", border=True):
        st.text_input(
            _text(lang, "common.admin_password"),
            type="password",
            key=field,
            autocomplete="current-password",
            help=_text(lang, "common.admin_password_help"),
        )
        st.form_submit_button(
            _text(lang, "common.admin_unlock"),
            on_click=_check,
            args=(field,),
            disabled=locked > 0,
            icon=":material/lock_open:",
        )
    attempted = st.session_state.pop("_admin_flash", False)
    if locked > 0:
        st.error(_text(lang, "common.admin_locked", s=int(locked) + 1))
    elif attempted:
        left = MAX_FAILURES - int(st.session_state.get("_admin_failures") or 0)
        st.error(_text(lang, "common.admin_wrong", n=left))
    return False
