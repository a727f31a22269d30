"""What goes on the paper, independent of how it is encoded.

A layout is a short list of blocks (text with a size, a QR code, a rule, a feed). The same
layout is drawn with Pillow for raster printers and PNG previews (:mod:`.raster`) and turned
into GB18030 text commands for printers with a Chinese font (:mod:`.encoding`), so a ticket
reads the same whichever way a hall's printer works.

Sizes are ESC/POS magnifications (1-8, the ``GS !`` factor): a native printer prints 12×24-dot
half-width / 24×24-dot full-width characters times the factor; the raster renderer uses the
same proportions with a TrueType font.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Literal

from common.documents.data import (
    CertificateData,
    CorrectionNoticeData,
    ReceiptData,
    TicketData,
    usage_watermark,
)
from common.intake.qrtag import TICKET_CODE_PREFIX
from common.people import mask_id_number, mask_name

__all__ = [
    "NO_LINE_END",
    "NO_LINE_START",
    "Align",
    "Block",
    "Feed",
    "Layout",
    "Paper",
    "Qr",
    "Rule",
    "Text",
    "certificate_slip_layout",
    "correction_notice_layout",
    "display_width",
    "receipt_layout",
    "ticket_layout",
    "wrap_columns",
    "wrap_tokens",
]

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Paper:
    """A roll width and what fits on it at 203 dpi (8 dots/mm)."""

    mm: Literal[58, 80]

    @property
    def dots(self) -> int:
        # Printable width, not roll width: 48 mm of 58 and 72 mm of 80 are the heads' widths.
        return 384 if self.mm == 58 else 576

    @property
    def columns(self) -> int:
        """Half-width characters per line in the printer's 12×24 font A."""
        return self.dots // 12


@dataclass(frozen=True)
class Text:
    """A paragraph; wrapped to the paper by the renderer."""

    text: str
    scale: int = 1
    bold: bool = False
    align: Align = "left"
    invert: bool = False  # white on black, for tags such as 绿色通道


@dataclass(frozen=True)
class Qr:
    """A QR code, centred; ``caption`` is printed under it."""

    data: str
    caption: str = ""


@dataclass(frozen=True)
class Rule:
    """A dashed separator line."""


@dataclass(frozen=True)
class Feed:
    """Blank space, in text lines."""

    lines: int = 1


Block = Text | Qr | Rule | Feed


@dataclass(frozen=True)
class Layout:
    """A document for a thermal printer: its paper, a title for logs and spool, its blocks."""

    title: str
    paper: Paper
    blocks: tuple[Block, ...]


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-pitch printer font: CJK and full-width count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# Chinese line-breaking rules (禁则, as in GB/T 15834 practice and W3C clreq): these never start
# a line ...
NO_LINE_START = frozenset("，。、；：？！）》」』】〉〕〗〙〛”’…—％｝］．,.;:!?)]}%")
# ... and these never end one.
NO_LINE_END = frozenset("（《「『【〈〔〖〘〚“‘｛［([{")


def _atoms(paragraph: str) -> list[str]:
    """Each CJK character or space on its own; runs of other ASCII (Latin words, numbers, URLs)
    kept whole."""
    atoms: list[str] = []
    word = ""
    for ch in paragraph:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            atoms.append(word)
            word = ""
        atoms.append(ch)
    if word:
        atoms.append(word)
    return atoms


def wrap_tokens(paragraph: str) -> list[str]:
    """A paragraph as the units a line may break between, for column and pixel wrapping alike.

    Each CJK character and each Latin word is a unit, except that closing punctuation
    (``，。）》`` …) is glued to what precedes it and opening punctuation (``（《“`` …) to what
    follows, so no line starts with "，" or ends with "（" (the previous character moves down
    with the comma instead). Spaces stay separate: a line may break at any space.
    """
    tokens: list[str] = []
    glue_next = False
    for atom in _atoms(paragraph):
        if (
            tokens
            and not atom.isspace()
            and not tokens[-1].isspace()
            and (glue_next or atom[0] in NO_LINE_START)
        ):
            tokens[-1] += atom
        else:
            tokens.append(atom)
        glue_next = not atom.isspace() and atom[-1] in NO_LINE_END
    return tokens


def wrap_columns(text: str, columns: int) -> list[str]:
    """Greedy wrap by display columns. Chinese breaks between characters except where the
    line-breaking rules forbid it (:func:`wrap_tokens`); Latin words are kept whole when they fit
    on a line, so URLs and case numbers are not split needlessly."""
    columns = max(columns, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, width = "", 0
        for token in wrap_tokens(paragraph):
            w = display_width(token)
            if width + w > columns and line:
                lines.append(line.rstrip())
                line, width = "", 0
                if token.isspace():
                    continue
            while w > columns:  # a token longer than a line: hard split
                head = ""
                while display_width(head + token[len(head)]) <= columns:
                    head += token[len(head)]
                lines.append(head)
                token = token[len(head) :]
                w = display_width(token)
            line += token
            width += w
        lines.append(line.rstrip())
    return lines


def _fit(text: str, preferred: int, paper: Paper) -> int:
    """The largest scale ≤ ``preferred`` that keeps ``text`` on one line."""
    for scale in range(preferred, 1, -1):
        if display_width(text) * scale <= paper.columns:
            return scale
    return 1


def _when(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def ticket_layout(ticket: TicketData, paper: Paper) -> Layout:
    """The queue ticket (排队号票): the number large and bold, people ahead, QR for progress."""
    blocks: list[Block] = [
        Text(ticket.hall_name, _fit(ticket.hall_name, 2, paper), bold=True, align="center"),
        Text(ticket.service_name, _fit(ticket.service_name, 2, paper), align="center"),
        Rule(),
        Text(
            ticket.number,
            _fit(ticket.number, 6 if paper.mm == 80 else 5, paper),
            bold=True,
            align="center",
        ),
    ]
    tags = [t for t, on in (("绿色通道", ticket.green_channel), ("预约", ticket.appointment)) if on]
    if tags:
        blocks.append(
            Text("  ".join(f" {t} " for t in tags), 1, bold=True, align="center", invert=True)
        )
    if ticket.appointment and ticket.appointment_slot:
        slot = ticket.appointment_slot.replace("-", "–")
        blocks.append(Text(f"预约时段 {slot}", 1, bold=True, align="center"))
    blocks.append(Text(f"您前面还有 {ticket.waiting_ahead} 人在等待", 1, bold=True, align="center"))
    if ticket.estimated_wait_minutes is not None:
        blocks.append(Text(f"预计等待约 {ticket.estimated_wait_minutes} 分钟", 1, align="center"))
    if ticket.holder_name:
        blocks.append(Text(f"持票人：{mask_name(ticket.holder_name)}", 1, align="center"))
    if ticket.window_hint:
        blocks.append(Text(ticket.window_hint, 1, align="center"))
    blocks.append(Rule())
    blocks.extend(Text(line, 1, align="left") for line in ticket.notice)
    if ticket.progress_url.startswith(TICKET_CODE_PREFIX):
        # The kiosk's own code (评价 once served), not a web page a phone could open.
        blocks.append(Qr(ticket.progress_url, "办完后可在取号机扫码评价"))
    elif ticket.progress_url:
        blocks.append(Qr(ticket.progress_url, "微信/支付宝扫码查看排队进度"))
    blocks.append(
        Text(f"取号时间：{ticket.issued_at.strftime('%Y-%m-%d %H:%M:%S')}", 1, align="center")
    )
    return Layout(f"ticket {ticket.number}", paper, tuple(blocks))


def receipt_layout(receipt: ReceiptData, paper: Paper) -> Layout:
    """The acceptance receipt (受理回执) on the counter's thermal printer."""
    blocks: list[Block] = [
        Text(receipt.hall_name, 1, bold=True, align="center"),
        Text("受理回执", 2, bold=True, align="center"),
        Rule(),
        Text(f"受理编号：{receipt.case_number}"),
        Text("办理事项：" + "、".join(receipt.matters)),
        Text(f"申请人：{mask_name(receipt.applicant_name)}"),
        Text(f"证件号码：{mask_id_number(receipt.applicant_id_number)}"),
        Text(f"受理时间：{_when(receipt.accepted_at)}"),
        Rule(),
        Text("材料清单", 1, bold=True),
    ]
    for i, m in enumerate(receipt.materials, 1):
        detail = "，".join(x for x in (m.form, f"{m.copies}份" if m.copies else "") if x)
        # The mark first: it is what the applicant checks, and long names then wrap cleanly.
        blocks.append(Text(f"{i}.【{m.mark.label}】{m.name}" + (f"（{detail}）" if detail else "")))
    if receipt.tolerated:
        assert receipt.supplement_deadline is not None  # enforced by ReceiptData
        blocks.append(Text(f"容缺材料请于{_date(receipt.supplement_deadline)}前补交", 1, bold=True))
    blocks += [
        Rule(),
        Text(f"承诺办结：{_date(receipt.promised_date)}", 1, bold=True),
    ]
    staff = "  ".join(
        x for x in (receipt.window, receipt.staff_name and f"受理人：{receipt.staff_name}") if x
    )
    if staff:
        blocks.append(Text(staff))
    if receipt.contact_phone:
        blocks.append(Text(f"咨询电话：{receipt.contact_phone}"))
    if receipt.progress_url:
        blocks.append(Qr(receipt.progress_url, "扫码查询办理进度"))
    return Layout(f"receipt {receipt.case_number}", paper, tuple(blocks))


def correction_notice_layout(notice: CorrectionNoticeData, paper: Paper) -> Layout:
    """The one-time correction notice (一次性告知单): every missing item at once."""
    blocks: list[Block] = [
        Text(notice.hall_name, 1, bold=True, align="center"),
        Text("一次性告知单", 2, bold=True, align="center"),
        Rule(),
        Text(f"告知单号：{notice.notice_number}"),
        Text("办理事项：" + "、".join(notice.matters)),
        Text(f"申请人：{mask_name(notice.applicant_name)}"),
        Text(f"证件号码：{mask_id_number(notice.applicant_id_number)}"),
        Text(f"告知时间：{_when(notice.issued_at)}"),
        Rule(),
        Text(f"经审查，您的申请材料尚缺以下 {len(notice.missing)} 项：", 1, bold=True),
    ]
    for i, item in enumerate(notice.missing, 1):
        blocks.append(
            Text(f"{i}. {item.name}" + (f"（{item.requirement}）" if item.requirement else ""))
        )
    blocks += [
        Text("请补齐以上全部材料后再来办理，本单一次性告知，不再要求其他材料。"),
        Rule(),
    ]
    staff = "  ".join(
        x for x in (notice.window, notice.staff_name and f"经办人：{notice.staff_name}") if x
    )
    if staff:
        blocks.append(Text(staff))
    if notice.contact_phone:
        blocks.append(Text(f"咨询电话：{notice.contact_phone}"))
    if notice.progress_url:
        blocks.append(Qr(notice.progress_url, "扫码查看办事指南"))
    return Layout(f"correction {notice.notice_number}", paper, tuple(blocks))


def certificate_slip_layout(cert: CertificateData, paper: Paper) -> Layout:
    """A slip for an e-certificate printed at the kiosk: what it is and how to verify it."""
    validity = _date(cert.valid_until) if cert.valid_until else "长期"
    holder_name = mask_name(cert.holder_name) if cert.holder_is_person else cert.holder_name
    holder_number = (
        mask_id_number(cert.holder_id_number) if cert.holder_is_person else cert.holder_id_number
    )
    blocks: list[Block] = [
        Text("电子证照", 1, bold=True, align="center"),
        Text(cert.title, _fit(cert.title, 2, paper), bold=True, align="center"),
        Rule(),
        Text(f"持证主体：{holder_name}"),
        Text(f"证件号码：{holder_number}"),
        Text(f"发证机构：{cert.issuer_name}"),
        Text(f"有效期：{_date(cert.valid_from)} 至 {validity}"),
        Text("证照标识："),
        Text(cert.identifier),
        Rule(),
        Qr(cert.verify_url, "扫码核验证照真伪"),
        Text(usage_watermark(cert.usage_provider, cert.usage_valid_until), 1, bold=True),
    ]
    return Layout(f"certificate {cert.identifier}", paper, tuple(blocks))
