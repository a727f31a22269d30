"""People: resident ID numbers (GB 11643), credit codes (GB 32100), masking and keyed hashing.

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
    "InvalidCreditCode",
    "InvalidIdNumber",
    "age_at",
    "birth_date_of",
    "check_character",
    "credit_code_check_character",
    "gender_of",
    "hash_id_number",
    "mask_id_number",
    "mask_name",
    "normalize_id_number",
    "org_code_check_character",
    "validate_credit_code",
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


# GB 32100-2015 unified social credit code: 18 characters from a 31-character set (no I, O,
# S, V, Z), laid out as registration authority (1), organisation type (1), area code (6), the
# GB 11714 organisation code (9: eight body characters and its own check character) and the
# GB 32100 check character over the first 17.
_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_SHAPE = re.compile(
    r"^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{8}[0-9X][0-9A-HJ-NP-RTUW-Y]$"
)
# GB 11714-1997: the organisation code's body weights; the check is 11 - (sum mod 11), where
# 10 is written X and 11 is written 0. Letters count A = 10 .. Z = 35.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class InvalidCreditCode(ValueError):
    """A unified social credit code that fails GB 32100 or its embedded GB 11714 code.

    ``reason`` is a short English code ("shape", "check-character", "org-check-character");
    ``message_zh`` the text a clerk sees.
    """

    def __init__(self, reason: str, message_zh: str) -> None:
        super().__init__(f"invalid unified social credit code: {reason}")
        self.reason = reason
        self.message_zh = message_zh


def org_code_check_character(body8: str) -> str:
    """The GB 11714 check character for an organisation code's eight body characters."""
    if len(body8) != 8 or not all(c.isdigit() or "A" <= c <= "Z" for c in body8):
        raise InvalidCreditCode("shape", "组织机构代码格式不正确")
    total = sum(
        (int(c) if c.isdigit() else ord(c) - ord("A") + 10) * w
        for c, w in zip(body8, _ORG_WEIGHTS, strict=True)
    )
    rest = 11 - total % 11
    return "X" if rest == 10 else "0" if rest == 11 else str(rest)


def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character for a credit code's first 17 characters."""
    if len(first17) != 17 or any(c not in _CREDIT_CHARSET for c in first17):
        raise InvalidCreditCode("shape", "统一社会信用代码格式不正确")
    total = sum(_CREDIT_CHARSET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(raw: str) -> str:
    """Return the normalised 18-character credit code, or raise :class:`InvalidCreditCode`.

    Both check characters must hold: GB 32100's over the whole code and GB 11714's over the
    organisation code embedded at characters 9-17. A code whose last character is right but
    whose embedded organisation code is not was mistyped or invented carelessly.
    """
    code = raw.strip().replace(" ", "").upper()
    if _CREDIT_SHAPE.match(code) is None:
        raise InvalidCreditCode(
            "shape", "统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）"
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise InvalidCreditCode("check-character", "统一社会信用代码校验码错误")
    if org_code_check_character(code[8:16]) != code[16]:
        raise InvalidCreditCode("org-check-character", "统一社会信用代码中的组织机构代码校验码错误")
    return code
