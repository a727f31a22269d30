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

__all__ = ["LOCK_MINUTES", "MAX_FAILURES", "hash_password", "verify_password"]

# scrypt cost: ~50 ms on a hall PC, 16 MiB of memory; stored with the hash so it can be raised.
_N, _R, _P = 2**14, 8, 1
MAX_FAILURES = 5
LOCK_MINUTES = 15


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
