"""The admin password as the server keeps it: a scrypt hash (standard library, no dependency).

Format, one line: `scrypt$N$r$p$SALT$HASH` (N, r, p the scrypt costs; SALT and HASH in
unpadded URL-safe base64; HASH 32 bytes), made by `python -m model admin-hash`. A secret
without that form is a plain password (still accepted, compared in constant time). The
README's example values are refused in either form: a server must not open with a password
everyone can read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1  # OWASP's minimum for scrypt (about 16 MB and 50 ms a check)
DKLEN = 32
MAX_N, MAX_R, MAX_P = 2**20, 32, 16  # a hash costing more is refused, not computed
EXAMPLES = ("CHANGE-ME-TOO", "CHANGE-ME")  # the README's example values


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=DKLEN, maxmem=256 * n * r * p
    )


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """A new hash of `password` (a fresh random salt each time)."""
    salt = secrets.token_bytes(16)
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(_scrypt(password, salt, n, r, p))}"


def is_hash(secret: str) -> bool:
    return _parse(secret) is not None


def _parse(secret: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = secret.strip().split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except ValueError:
        return None
    ok = 1 < n <= MAX_N and n & (n - 1) == 0 and 0 < r <= MAX_R and 0 < p <= MAX_P
    return (n, r, p, salt, digest) if ok and salt and len(digest) == DKLEN else None


def verify(given: str, secret: str) -> bool:
    """Whether `given` is the password `secret` keeps (a hash, or a plain password); the
    comparison takes the same time wherever the two differ."""
    parsed = _parse(secret)
    if parsed is None:
        return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(given, salt, n, r, p), digest)


def looks_like_hash(secret: str) -> bool:
    """Meant as a hash (starts with the scheme) whether or not it parses."""
    return secret.strip().startswith(SCHEME + "$")


@lru_cache(maxsize=8)
def unusable(secret: str) -> str | None:
    """Why a configured secret cannot be the admin password, or None when it can: "empty",
    "example" (the README's value, plain or hashed) or "malformed" (a broken hash)."""
    if not secret.strip():
        return "empty"
    if looks_like_hash(secret) and not is_hash(secret):
        return "malformed"
    if secret.strip() in EXAMPLES or any(verify(example, secret) for example in EXAMPLES):
        return "example"
    return None
