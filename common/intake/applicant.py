"""Who applies: a natural person, a legal person or other organisation, and an agent (代办人).

Each field is validated where it is typed (the counter checks as the staff type) and again
when the case is saved, by the same functions: ID numbers by GB 11643 (resident cards and the
cards that carry an 18-digit number), credit codes by GB 32100 with their embedded GB 11714
code, phones by the mainland's mobile and fixed-line shapes. Errors are
:class:`InvalidApplicant` with the field named and a message in Chinese and English; the
value itself is never in the message, so the exception may be logged.

Full names and numbers live only here and in the case tables; anything shown to the public
uses :meth:`Person.masked_name` / :meth:`Person.masked_number`.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from common.people import (
    InvalidCreditCode,
    InvalidIdNumber,
    mask_id_number,
    mask_name,
    validate_credit_code,
    validate_id_number,
)

__all__ = [
    "Applicant",
    "ApplicantType",
    "CertificateType",
    "InvalidApplicant",
    "Organisation",
    "Person",
    "validate_phone",
]


class InvalidApplicant(ValueError):
    """A field of the applicant that fails its check; ``field`` names it (e.g. ``agent.number``)."""

    def __init__(self, field: str, message_zh: str, message_en: str) -> None:
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{field}: {message_zh} / {message_en}")


class ApplicantType(enum.IntEnum):
    """Applicant type codes of the national exchange data (DOMAIN.md "Codes")."""

    NATURAL_PERSON = 1  # 自然人
    ENTERPRISE = 2  # 企业法人
    PUBLIC_INSTITUTION = 3  # 事业法人
    SOCIAL_ORGANISATION = 4  # 社会组织法人
    UNINCORPORATED = 5  # 非法人企业
    GOVERNMENT = 6  # 行政机关
    OTHER = 7  # 其他组织

    @property
    def label(self) -> str:
        return {
            1: "自然人",
            2: "企业法人",
            3: "事业法人",
            4: "社会组织法人",
            5: "非法人企业",
            6: "行政机关",
            7: "其他组织",
        }[self.value]

    @property
    def is_person(self) -> bool:
        return self is ApplicantType.NATURAL_PERSON


class CertificateType(enum.StrEnum):
    """A person's certificate; the values are the national certificate type codes."""

    RESIDENT_ID = "111"  # 居民身份证
    HMT_RESIDENCE_PERMIT = "154"  # 港澳台居民居住证 ('J' card)
    FOREIGN_PERMANENT_RESIDENT = "553"  # 外国人永久居留身份证 ('I' / 'Y' card)
    HK_MACAO_PERMIT = "516"  # 港澳居民来往内地通行证
    TAIWAN_PERMIT = "511"  # 台湾居民来往大陆通行证
    PASSPORT = "414"  # 护照

    @property
    def label(self) -> str:
        return {
            "111": "居民身份证",
            "154": "港澳台居民居住证",
            "553": "外国人永久居留身份证",
            "516": "港澳居民来往内地通行证",
            "511": "台湾居民来往大陆通行证",
            "414": "护照",
        }[self.value]

    @property
    def has_gb11643_number(self) -> bool:
        """Cards whose 18-character number carries the GB 11643 check character."""
        return self in (CertificateType.RESIDENT_ID, CertificateType.HMT_RESIDENCE_PERMIT)


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_FIXED = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_OTHER_NUMBER = re.compile(r"^[0-9A-Z]{5,20}$")
_FOREIGN_2017 = re.compile(r"^[A-Z]{3}\d{12}$")


def validate_phone(raw: str, *, field: str = "phone") -> str:
    """A mainland mobile (11 digits) or fixed line (area code, number, optional extension)."""
    phone = raw.strip().replace(" ", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if _MOBILE.match(phone) or _FIXED.match(phone):
        return phone
    raise InvalidApplicant(
        field,
        "联系电话应为11位手机号码，或区号加固定电话号码",
        "a phone is an 11-digit mobile number or an area code and a fixed-line number",
    )


def _validate_number(kind: CertificateType, raw: str, field: str, today: dt.date | None) -> str:
    number = raw.strip().replace(" ", "").upper()
    try:
        if kind.has_gb11643_number:
            return validate_id_number(number, today=today)
        if kind is CertificateType.FOREIGN_PERMANENT_RESIDENT:
            # The 2023 card ('Y') has an 18-digit GB 11643 number starting with 9; the 2017 card
            # ('I') has 3 letters and 12 digits.
            if _FOREIGN_2017.match(number):
                return number
            return validate_id_number(number, today=today)
    except InvalidIdNumber as exc:
        raise InvalidApplicant(
            field, exc.message_zh, f"invalid certificate number ({exc.reason})"
        ) from None
    if _OTHER_NUMBER.match(number):
        return number
    raise InvalidApplicant(
        field, "证件号码应为5至20位字母或数字", "a certificate number is 5 to 20 letters or digits"
    )


@dataclass(frozen=True)
class Person:
    """A natural person: the applicant, an agent (代办人) or a legal representative."""

    name: str
    number: str
    certificate: CertificateType = CertificateType.RESIDENT_ID
    phone: str = ""

    def __repr__(self) -> str:  # never the full name or number, even in a traceback
        return f"Person({self.masked_name!r}, {self.certificate.label}, {self.masked_number!r})"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_number(self) -> str:
        return mask_id_number(self.number)

    @classmethod
    def checked(
        cls,
        name: str,
        number: str,
        certificate: CertificateType = CertificateType.RESIDENT_ID,
        phone: str = "",
        *,
        field: str = "applicant",
        today: dt.date | None = None,
    ) -> Person:
        """A validated person; :class:`InvalidApplicant` names the first bad field."""
        clean = name.strip()
        if not clean or len(clean) > 60:
            raise InvalidApplicant(
                f"{field}.name",
                "请填写姓名（60字以内）",
                "a name is required (at most 60 characters)",
            )
        return cls(
            name=clean,
            number=_validate_number(certificate, number, f"{field}.number", today),
            certificate=certificate,
            phone=validate_phone(phone, field=f"{field}.phone") if phone.strip() else "",
        )


@dataclass(frozen=True)
class Organisation:
    """A legal person or other organisation: its name and unified social credit code."""

    name: str
    credit_code: str
    legal_representative: str = ""

    @classmethod
    def checked(cls, name: str, credit_code: str, legal_representative: str = "") -> Organisation:
        clean = name.strip()
        if not clean or len(clean) > 100:
            raise InvalidApplicant(
                "organisation.name",
                "请填写单位名称（100字以内）",
                "an organisation name is required",
            )
        try:
            code = validate_credit_code(credit_code)
        except InvalidCreditCode as exc:
            raise InvalidApplicant(
                "organisation.credit_code",
                exc.message_zh,
                f"invalid unified social credit code ({exc.reason})",
            ) from None
        return cls(name=clean, credit_code=code, legal_representative=legal_representative.strip())


@dataclass(frozen=True)
class Applicant:
    """Who applies, and who stands at the window for them.

    A natural person applies as ``person``; an organisation applies as ``organisation`` with
    ``person`` its contact (经办人) at the window. ``agent`` is a 代办人 acting for either.
    """

    type: ApplicantType
    person: Person
    organisation: Organisation | None = None
    agent: Person | None = None
    phone: str = ""

    def __post_init__(self) -> None:
        if self.type.is_person and self.organisation is not None:
            raise InvalidApplicant(
                "type", "自然人申请不应填写单位", "a natural person has no organisation"
            )
        if not self.type.is_person and self.organisation is None:
            raise InvalidApplicant(
                "organisation",
                "单位申请须填写单位名称和统一社会信用代码",
                "an organisation needs its name and credit code",
            )

    @property
    def display_name(self) -> str:
        """What a receipt shows: the organisation's name in full (public), a person masked."""
        if self.organisation is not None:
            return self.organisation.name
        return self.person.masked_name

    @property
    def contact_phone(self) -> str:
        return self.phone or self.person.phone or (self.agent.phone if self.agent else "")

    @property
    def present_at_window(self) -> Person:
        """The person whose ID card is checked at hand-over: the agent when there is one."""
        return self.agent or self.person
