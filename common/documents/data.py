"""Plain, frozen inputs for every printed document (tickets, receipts, notices, certificates).

The queue and intake code build these; the thermal layouts (``common.devices.printer.layouts``)
and the PDFs (``common.documents.pdf``) only read them. Personal data is passed in full where
the intake has it and masked by the documents themselves (``mask_name`` / ``mask_id_number``
are idempotent, so already-masked values are fine too): the rule "masked on paper" then holds
whatever a caller forgets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from common.documents.certificate_id import parse_certificate_id

# The words of intake live with intake (issue 10); documents only print them.
from common.intake.words import MaterialMark

__all__ = [
    "CertificateData",
    "CorrectionNoticeData",
    "MaterialLine",
    "MaterialMark",
    "MissingItem",
    "ReceiptData",
    "TicketData",
    "usage_watermark",
]


@dataclass(frozen=True)
class TicketData:
    """A queue ticket (排队号票) as the kiosk issues it."""

    hall_name: str
    service_name: str
    number: str  # "A001"
    waiting_ahead: int  # 您前面还有 N 人在等待
    issued_at: dt.datetime
    estimated_wait_minutes: int | None = None
    progress_url: str = ""  # QR code for remote progress; empty = no QR
    green_channel: bool = False  # 绿色通道
    appointment: bool = False  # 预约
    appointment_slot: str = ""  # the booked slot, "10:00-10:30", printed under the 预约 tag
    holder_name: str = ""  # masked on paper
    notice: tuple[str, ...] = ()  # the hall's notice lines (HallSettings.notice)
    window_hint: str = ""  # e.g. "请到 1-8 号窗口办理"; optional


@dataclass(frozen=True)
class MaterialLine:
    """One material on a receipt: name, form (原件 / 复印件 / 电子), copies and its mark."""

    name: str
    mark: MaterialMark
    form: str = ""
    copies: int = 1


@dataclass(frozen=True)
class ReceiptData:
    """An acceptance receipt (受理回执): the case, what was received and when it will be done."""

    hall_name: str
    case_number: str
    matters: tuple[str, ...]
    applicant_name: str
    applicant_id_number: str
    accepted_at: dt.datetime
    promised_date: dt.date
    materials: tuple[MaterialLine, ...]
    supplement_deadline: dt.date | None = None  # required when any material is tolerated
    staff_name: str = ""
    window: str = ""
    progress_url: str = ""
    contact_phone: str = ""

    def __post_init__(self) -> None:
        if (
            any(m.mark is MaterialMark.TOLERATED for m in self.materials)
            and self.supplement_deadline is None
        ):
            raise ValueError("a receipt with tolerated materials needs supplement_deadline")

    @property
    def tolerated(self) -> tuple[MaterialLine, ...]:
        return tuple(m for m in self.materials if m.mark is MaterialMark.TOLERATED)


@dataclass(frozen=True)
class MissingItem:
    """A material the applicant must still bring, with what exactly is required."""

    name: str
    requirement: str = ""  # e.g. "原件1份，复印件1份，加盖公章"


@dataclass(frozen=True)
class CorrectionNoticeData:
    """A one-time correction notice (一次性告知单): every missing item, listed at once."""

    hall_name: str
    notice_number: str
    matters: tuple[str, ...]
    applicant_name: str
    applicant_id_number: str
    issued_at: dt.datetime
    missing: tuple[MissingItem, ...]
    staff_name: str = ""
    window: str = ""
    contact_phone: str = ""
    progress_url: str = ""

    def __post_init__(self) -> None:
        if not self.missing:
            raise ValueError("a correction notice must list at least one missing item")


@dataclass(frozen=True)
class CertificateData:
    """An e-certificate (电子证照) printed for its verified holder.

    ``identifier`` is checked (ISO 7064 MOD 37,36) on construction. ``fields`` are the
    certificate's own items in order, e.g. (("登记机关", "…"), ("住所", "…")).
    """

    identifier: str
    title: str  # 证照名称, e.g. 营业执照
    issuer_name: str
    holder_name: str
    holder_id_number: str
    issued_on: dt.date
    valid_from: dt.date
    valid_until: dt.date | None  # None = 长期
    verify_url: str
    usage_provider: str  # 此件由<usage_provider>提供
    usage_valid_until: dt.date  # 有效期至 in the usage watermark
    fields: tuple[tuple[str, str], ...] = field(default=())
    certificate_number: str = ""  # the paper certificate's own number, if any
    # Only natural persons' names and ID numbers are personal data to mask; a company's name
    # and credit code are public and must print in full.
    holder_is_person: bool = True

    def __post_init__(self) -> None:
        parse_certificate_id(self.identifier)


def usage_watermark(provider: str, valid_until: dt.date) -> str:
    """The usage watermark required on trust-level-A copies (DOMAIN.md "Codes")."""
    return (
        f"此件由{provider}提供，仅供办理政务服务事项时使用，"
        f"有效期至{valid_until.year}年{valid_until.month}月{valid_until.day}日"
    )
