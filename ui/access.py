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

The password is kept as a scrypt hash (`python -m model admin-hash`, model.password) or, as
before, in plain text; either is compared in constant time, and the README's example value
(or a broken hash) keeps data changes disabled with a message to the administrator.

Wrong passwords are counted on the server, not in the session (a reload or a new tab must not
give new tries): per client address where Streamlit knows it (`st.context.ip_address`, the
connection's peer; None for localhost, behind a proxy the proxy's, so everyone would share
one count: the deployment says `trusted_proxy = true` (or a number of proxies) and the
address the proxy forwarded in X-Forwarded-For counts instead, `client_address`), and for the
whole server process, in memory shared by every session (`Throttle`). After `MAX_FAILURES` wrong tries from
one address, or `PROCESS_LIMIT` from all together, the form pauses for `LOCK_SECONDS`.

Session state used (nothing else is remembered, and never the password itself):
`_read_only` (the session's own mode), `_admin_ok` (the password was given), `_admin_flash`
(answer the last attempt once).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any

import streamlit as st

from model import i18n as core
from model import password as pw
from model.paths import read_only_forced, truthy
from ui.i18n import LANGS

STORE_URL_ENV = "PII_STORE_URL"
TRUSTED_PROXY_ENV = "PII_TRUSTED_PROXY"
MAX_FAILURES = 5  # wrong passwords from one client address before the form pauses
PROCESS_LIMIT = 4 * MAX_FAILURES  # from all addresses together (many addresses, one guesser)
LOCK_SECONDS = 60
FORGET_SECONDS = 15 * 60  # a count with no new failure for this long starts again
LOCAL = "local"  # sessions whose address Streamlit does not give (localhost, tests)


def _secret(key: str) -> Any:
    """A top-level Streamlit secret, or None (also when there is no secrets file at all).

    `st.secrets.get` raises (a FileNotFoundError subclass) when no secrets file exists; that is
    the normal case for this app, so it is not an error here.
    """
    try:
        return st.secrets.get(key)
    except (FileNotFoundError, KeyError):
        return None


def _text(lang: str | None, key: str, **kw: object) -> str:
    from ui.i18n import lang as current

    return core.gettext(lang if lang in LANGS else current(), key, **kw)


# ---- configuration -------------------------------------------------------------------------
def admin_password() -> str | None:
    """The admin password from Streamlit secrets (`admin_password`): a scrypt hash made by
    `python -m model admin-hash` (model.password), or a plain password; None when not set or
    empty (data changes are then disabled). The README's example value is refused by the gate."""
    value = _secret("admin_password")
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value)
    return text if text.strip() else None


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
    return read_only_forced() or truthy(_secret("read_only"))


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
@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0
    locked_until: float = 0.0


class Throttle:
    """Wrong attempts per client, in this server process, safe to use from every session's thread.

    `limit` failures pause that client for `seconds`; the count starts again after the pause, after
    a success, or after `FORGET_SECONDS` without a failure. At most `max_clients` addresses are
    kept (the oldest quiet one is forgotten first), so a flood of addresses cannot fill memory.
    """

    def __init__(self, limit: int, seconds: float, max_clients: int = 10_000) -> None:
        self.limit, self.seconds, self.max_clients = limit, seconds, max_clients
        self._lock = threading.Lock()
        self._counts: dict[str, _Count] = {}

    def _get(self, client: str, now: float) -> _Count:
        count = self._counts.get(client)
        if count is None:
            if len(self._counts) >= self.max_clients:
                quiet = min(self._counts, key=lambda k: self._counts[k].last)
                del self._counts[quiet]
            count = self._counts[client] = _Count()
        elif now >= count.locked_until and now - count.last > FORGET_SECONDS:
            count.failures = 0
        return count

    def locked_for(self, client: str, now: float) -> float:
        """Seconds until `client` may try again (0 when it may now)."""
        with self._lock:
            count = self._counts.get(client)
            return max(0.0, count.locked_until - now) if count else 0.0

    def failures(self, client: str, now: float) -> int:
        with self._lock:
            return self._get(client, now).failures if client in self._counts else 0

    def fail(self, client: str, now: float) -> None:
        with self._lock:
            count = self._get(client, now)
            if now < count.locked_until:
                return
            count.failures += 1
            count.last = now
            if count.failures >= self.limit:
                count.locked_until = now + self.seconds
                count.failures = 0

    def succeed(self, client: str) -> None:
        with self._lock:
            self._counts.pop(client, None)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


# Shared by every session of this server process.
BY_CLIENT = Throttle(MAX_FAILURES, LOCK_SECONDS)
WHOLE_PROCESS = Throttle(PROCESS_LIMIT, LOCK_SECONDS, max_clients=1)


def trusted_proxies() -> int:
    """How many reverse proxies in front of the app the deployment vouches for (secret
    `trusted_proxy = true` or a number, or env PII_TRUSTED_PROXY); 0: none, the connection's
    peer is the client."""
    value = os.environ.get(TRUSTED_PROXY_ENV)
    if value is None:
        value = _secret("trusted_proxy")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return max(0, value)
    text = str(value or "").strip()
    return int(text) if text.isdigit() else int(truthy(text))


def client_address(peer: object, forwarded: object, proxies: int) -> str:
    """The address wrong passwords are counted by. Behind `proxies` trusted proxies it is the
    address the outermost one saw: the `proxies`-th entry of X-Forwarded-For from the right
    (entries further left come from the client and can be forged). Otherwise, or when the
    header is missing, the connection's peer; LOCAL when there is none."""
    if proxies > 0 and isinstance(forwarded, str):
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return peer if isinstance(peer, str) and peer else LOCAL


def _client() -> str:
    """This session's client address (client_address of Streamlit's peer and headers)."""
    try:
        peer = st.context.ip_address
        proxies = trusted_proxies()
        forwarded = st.context.headers.get("X-Forwarded-For") if proxies else None
    except Exception:  # noqa: BLE001 - no session context: counted with the local sessions
        return LOCAL
    return client_address(peer, forwarded, proxies)  # (AppTest's runtime answers a mock)


def _locked_for(client: str) -> float:
    now = time.monotonic()
    return max(BY_CLIENT.locked_for(client, now), WHOLE_PROCESS.locked_for("*", now))


def reset_failures() -> None:
    """Forget every wrong attempt (tests; a restart of the server does the same)."""
    BY_CLIENT.clear()
    WHOLE_PROCESS.clear()


def _check(key: str) -> None:
    """The password form's callback: compare, remember success, count failures on the server."""
    given = str(st.session_state.get(key) or "")
    st.session_state[key] = ""  # never kept, never shown again
    expected = admin_password()
    if expected is None or pw.unusable(expected):
        return
    client = _client()
    if _locked_for(client) > 0:
        return
    st.session_state["_admin_flash"] = True  # the gate answers this attempt once
    if pw.verify(given, expected):  # a scrypt hash or a plain password, in constant time
        st.session_state["_admin_ok"] = True
        BY_CLIENT.succeed(client)
        return
    now = time.monotonic()
    BY_CLIENT.fail(client, now)
    WHOLE_PROCESS.fail("*", now)


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
    if pw.unusable(expected):  # the README's example, or a broken hash: never a way in
        st.error(_text(lang, "common.admin_unusable"), icon=":material/lock:")
        return False
    if st.session_state.get("_admin_ok"):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.caption(_text(lang, "common.admin_unlocked"))
        c2.button(_text(lang, "common.admin_lock"), key=f"{key}_lock", on_click=lock)
        return True
    field = f"{key}_password"
    client = _client()
    locked = _locked_for(client)
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
        left = MAX_FAILURES - BY_CLIENT.failures(client, time.monotonic())
        st.error(_text(lang, "common.admin_wrong", n=left))
    return False
