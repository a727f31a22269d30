"""Staff password hashes (scrypt), shared by the halls and the central server's back office.

Pure (no database): :mod:`common.staff` keeps the hall's accounts, the server its own; both
store ``scrypt$N$r$p$salt$hash`` made here, so an account moved from a hall to the back office
keeps its password. Lock-out after repeated failures uses :data:`MAX_FAILURES` and
:data:`LOCK_MINUTES` on both sides.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = [
    "LOCK_MINUTES",
    "MAX_FAILURES",
    "MIN_LENGTH",
    "hash_password",
    "password_problem",
    "verify_password",
]

# scrypt cost: ~50 ms on a hall PC, 16 MiB of memory; stored with the hash so it can be raised.
_N, _R, _P = 2**14, 8, 1
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_LENGTH = 8  # as the back office's add_user asks


def password_problem(password: str, username: str = "") -> tuple[str, str] | None:
    """Why ``password`` may not be set (Chinese, English), or None when it may.

    The one policy for a new or reset staff password: at least :data:`MIN_LENGTH` characters,
    letters and digits both, and not the user name.
    """
    if len(password) < MIN_LENGTH:
        return (f"密码至少 {MIN_LENGTH} 位", f"At least {MIN_LENGTH} characters")
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        return ("密码须同时包含字母和数字", "Use both letters and digits")
    if username and username.lower() in password.lower():
        return ("密码不能包含用户名", "The password may not contain the user name")
    return None


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches ``stored``; a malformed hash is simply a mismatch."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
