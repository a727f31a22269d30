"""People: resident ID numbers (GB 11643), masking and keyed hashing.

Personal data rules (DESIGN.md "Security and privacy"): full numbers and names never reach
tickets, displays or logs; the queue tables keep only a keyed hash of the number. Everything
that shows a person to the public goes through :func:`mask_name` / :func:`mask_id_number`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

__all__ = [
    "InvalidIdNumber",
    "age_at",
    "birth_date_of",
    "check_character",
    "gender_of",
    "hash_id_number",
    "mask_id_number",
    "mask_name",
    "normalize_id_number",
    "validate_id_number",
]

# GB 11643-1999: weights for the first 17 digits, and the check character by sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^[1-9]\d{5}(\d{8})\d{3}[\dX]$")
# First digit of the area code: 1..8 are the province groups; 9 is used by the 2023 foreigner
# permanent residence card ('Y', area 9xxxxx). Anything else is not a real number.
_AREA_FIRST = set("123456789")


class InvalidIdNumber(ValueError):
    """An ID number that fails GB 11643: wrong shape, birth date or check character.

    ``reason`` is a short English code; ``message_zh`` the text a clerk sees. The offending
    number is deliberately *not* part of the message, so the exception can be logged.
    """

    def __init__(self, reason: str, message_zh: str) -> None:
        super().__init__(f"invalid ID number: {reason}")
        self.reason = reason
        self.message_zh = message_zh


def check_character(first17: str) -> str:
    """The GB 11643 check character for 17 leading digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise InvalidIdNumber("shape", "身份证号码格式不正确")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize_id_number(raw: str) -> str:
    """Strip blanks and upper-case a trailing x (cards and people write it either way)."""
    return raw.strip().replace(" ", "").upper()


def validate_id_number(raw: str, *, today: dt.date | None = None) -> str:
    """Return the normalised 18-character number, or raise :class:`InvalidIdNumber`.

    Checks the shape, the area code's first digit, a real birth date not in the future and
    not before 1900, and the check character.
    """
    number = normalize_id_number(raw)
    match = _SHAPE.match(number)
    if match is None or number[0] not in _AREA_FIRST:
        raise InvalidIdNumber("shape", "身份证号码应为18位，前17位为数字，末位为数字或X")
    birth = _parse_birth(match.group(1))
    if birth is None:
        raise InvalidIdNumber("birth-date", "身份证号码中的出生日期无效")
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise InvalidIdNumber("birth-date", "身份证号码中的出生日期超出合理范围")
    if check_character(number[:17]) != number[17]:
        raise InvalidIdNumber("check-digit", "身份证号码校验位错误")
    return number


def _parse_birth(yyyymmdd: str) -> dt.date | None:
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def birth_date_of(number: str) -> dt.date:
    """Birth date encoded in a validated number."""
    birth = _parse_birth(normalize_id_number(number)[6:14])
    if birth is None:
        raise InvalidIdNumber("birth-date", "身份证号码中的出生日期无效")
    return birth


def gender_of(number: str) -> str:
    """'male' or 'female' from the sequence digit (odd = male)."""
    return "male" if int(normalize_id_number(number)[16]) % 2 == 1 else "female"


def age_at(birth: dt.date, when: dt.date) -> int:
    """Completed years of age on ``when`` (a person born on 29 Feb ages on 1 Mar)."""
    years = when.year - birth.year
    if (when.month, when.day) < (birth.month, birth.day):
        years -= 1
    return years


def mask_id_number(number: str) -> str:
    """``3501**********1234``: first four and last four kept, the rest starred.

    Works for any length so that foreign card numbers are masked too; very short strings are
    starred entirely rather than revealed.
    """
    number = normalize_id_number(number)
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """``张*三`` for three characters, ``张*`` for two, first and last kept for longer names.

    Latin names (foreign cards) keep the first letter of each word: ``J*** S****``.
    """
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        return " ".join(w[0] + "*" * (len(w) - 1) for w in name.split())
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def hash_id_number(number: str, secret: str | bytes) -> str:
    """Keyed hash (HMAC-SHA256, hex) of a normalised number, for per-ID limits.

    Keyed with the hall secret so a leaked queue table cannot be reversed by enumerating the
    (small) space of valid ID numbers.
    """
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, normalize_id_number(number).encode(), hashlib.sha256).hexdigest()
