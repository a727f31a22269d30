"""A4 PDFs with reportlab: acceptance receipt, one-time correction notice, e-certificate copy.

Every text runs in the resolved CJK TrueType font (:mod:`.fonts`), which reportlab embeds as a
subset of the glyphs used: a receipt stays around 30-60 KB although the font file is 5 MB, and
``pdftotext`` gets the Chinese back because reportlab writes a ToUnicode map. Documents are
built with ``invariant=True`` (no creation timestamp, fixed ids) so the same input gives the
same bytes — useful for tests and for archiving a receipt's hash.

Each function takes a frozen dataclass from :mod:`.data` and returns the PDF as bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

import qrcode
from PIL import Image, ImageDraw
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from common.documents.data import (
    CertificateData,
    CorrectionNoticeData,
    ReceiptData,
    usage_watermark,
)
from common.documents.fonts import CjkFont, pil_font, reportlab_font_name, resolve_cjk_font
from common.people import mask_id_number, mask_name

__all__ = ["certificate_pdf", "correction_notice_pdf", "receipt_pdf"]

_INK = colors.HexColor("#1a1a1a")
_GRID = colors.HexColor("#9a9a9a")
_SHADE = colors.HexColor("#eeeeee")


class _Styles:
    def __init__(self, font_name: str) -> None:
        def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
            # wordWrap="CJK" lets Chinese lines break between any two characters.
            kw.setdefault("textColor", _INK)
            return ParagraphStyle(
                name, fontName=font_name, fontSize=size, leading=size * 1.45, wordWrap="CJK", **kw
            )

        self.font = font_name
        self.hall = style("hall", 12, alignment=TA_CENTER)
        self.title = style("title", 22, alignment=TA_CENTER, spaceBefore=2 * mm, spaceAfter=4 * mm)
        self.body = style("body", 11)
        self.cell = style("cell", 10.5)
        self.head = style("head", 10.5, alignment=TA_CENTER)
        self.small = style("small", 9, textColor=colors.HexColor("#444444"))
        self.note = style("note", 11, spaceBefore=3 * mm)
        # Chinese paragraphs indent two characters; reportlab strips leading U+3000 spaces.
        self.para = style("para", 11, firstLineIndent=22, spaceBefore=1 * mm)
        self.sign = style("sign", 11, alignment=2)  # right


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


class _QrFlowable(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """A vector QR code drawn as filled runs of modules.

    Not reportlab's ``QrCodeWidget``: a graphics ``Drawing`` resets the canvas state to its
    defaults and so references Helvetica and Times-Roman, fonts that are never embedded.
    """

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
        code.add_data(data)
        code.make(fit=True)
        self.matrix: list[list[bool]] = code.get_matrix()
        self.size = size
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        n = len(self.matrix)
        cell = self.size / n
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for r, row in enumerate(self.matrix):
            y = self.size - (r + 1) * cell
            c = 0
            while c < n:
                if row[c]:
                    start = c
                    while c < n and row[c]:
                        c += 1
                    canvas.rect(start * cell, y, (c - start) * cell, cell, stroke=0, fill=1)
                else:
                    c += 1


def _qr(data: str, size: float) -> Flowable:
    return _QrFlowable(data, size)


def _date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _when(value: dt.datetime) -> str:
    return f"{_date(value)} {value:%H:%M}"


def _info_table(rows: Sequence[tuple[str, str]], st: _Styles, width: float) -> Table:
    data = [[_p(k, st.cell), _p(v, st.cell)] for k, v in rows]
    table = Table(data, colWidths=[30 * mm, width - 30 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.font),  # else cells select Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
                ("BACKGROUND", (0, 0), (0, -1), _SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _grid(
    header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], st: _Styles
) -> Table:
    data = [[_p(h, st.head) for h in header]] + [[_p(c, st.cell) for c in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.font),  # else cells select Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
                ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _heading(
    hall: str, title: str, qr_data: str, qr_caption: str, st: _Styles, width: float
) -> Table:
    """Hall and title centred, the QR code at the right of the same band."""
    qr_size = 26 * mm
    left: list[Flowable] = [_p(hall, st.hall), _p(title, st.title)]
    right: list[Flowable] = (
        [_qr(qr_data, qr_size), _p(qr_caption, st.small)] if qr_data else [Spacer(1, 1)]
    )
    table = Table(
        [[Spacer(1, 1), left, right]],
        colWidths=[qr_size + 4 * mm, width - 2 * (qr_size + 4 * mm), qr_size + 4 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.font),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (2, 0), "CENTER"),
            ]
        )
    )
    return table


def _build(
    story: list[Flowable],
    *,
    title: str,
    footer: str,
    st: _Styles,
    decorate: Callable[[Canvas], None] | None = None,
) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="OneWindow 一窗通",
        invariant=True,
        initialFontName=st.font,
    )

    def on_page(canvas: Canvas, document: BaseDocTemplate) -> None:
        if decorate is not None:
            canvas.saveState()
            decorate(canvas)
            canvas.restoreState()
        canvas.saveState()
        canvas.setFont(st.font, 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(20 * mm, 12 * mm, footer)
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    # initialFontName: otherwise every page references Helvetica (never embedded), and a
    # pre-press check or PDF/A validator flags the document.
    maker = functools.partial(Canvas, initialFontName=st.font)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=maker)
    return buffer.getvalue()


@functools.lru_cache(maxsize=16)
def _watermark_image(text: str, font: CjkFont) -> tuple[ImageReader, float, float]:
    """One line of the usage watermark as a small picture (and its size in points), cached.

    A picture, not PDF text: rotated text repeated across the page comes out of ``pdftotext``
    and screen readers as dozens of one-character lines around the real content. The wording
    is also printed once as ordinary text in the body, where it can be read out and searched.
    The strip is small and embedded once per PDF; the page draws it rotated many times.
    """
    dpi = 110
    size = round(13 / 72 * dpi)
    face = pil_font(font, size)
    w = round(face.getlength(text)) + size * 3
    h = round(size * 1.5)
    # Light red on white; drawn under the content, so white never hides anything.
    strip = Image.new("RGB", (w, h), (255, 255, 255))
    ImageDraw.Draw(strip).text((size * 1.5, size * 0.2), text, font=face, fill=(242, 212, 212))
    return ImageReader(strip), w / dpi * 72, h / dpi * 72


def _styles(font: CjkFont | None) -> _Styles:
    return _Styles(reportlab_font_name(font or resolve_cjk_font()))


_WIDTH = A4[0] - 40 * mm


def receipt_pdf(receipt: ReceiptData, font: CjkFont | None = None) -> bytes:
    """The acceptance receipt (受理回执) as an A4 PDF."""
    st = _styles(font)
    tolerated = receipt.tolerated
    rows = [
        ("受理编号", receipt.case_number),
        ("办理事项", "；".join(receipt.matters)),
        ("申请人", mask_name(receipt.applicant_name)),
        ("证件号码", mask_id_number(receipt.applicant_id_number)),
        ("受理时间", _when(receipt.accepted_at)),
        ("受理结果", "容缺受理" if tolerated else "予以受理"),
        ("承诺办结日期", _date(receipt.promised_date)),
    ]
    if receipt.window or receipt.staff_name:
        staff = receipt.staff_name and f"受理人：{receipt.staff_name}"
        rows.append(("受理窗口", "  ".join(x for x in (receipt.window, staff) if x)))
    materials = [
        (str(i), m.name, m.form or "—", str(m.copies) if m.copies else "—", m.mark.label)
        for i, m in enumerate(receipt.materials, 1)
    ]
    story: list[Flowable] = [
        _heading(
            receipt.hall_name, "受理回执", receipt.progress_url, "扫码查询办理进度", st, _WIDTH
        ),
        _info_table(rows, st, _WIDTH),
        Spacer(1, 5 * mm),
        _p("收取材料清单", st.body),
        Spacer(1, 2 * mm),
        _grid(
            ["序号", "材料名称", "形式", "份数", "状态"],
            materials,
            [12 * mm, _WIDTH - 72 * mm, 22 * mm, 14 * mm, 24 * mm],
            st,
        ),
    ]
    if tolerated:
        assert receipt.supplement_deadline is not None
        names = "、".join(f"《{m.name}》" for m in tolerated)
        story.append(
            _p(
                f"容缺材料：{names}，请于{_date(receipt.supplement_deadline)}前补交。"
                "逾期未补交的，将按有关规定处理。",
                st.note,
            )
        )
    story.append(
        _p(
            f"本事项承诺于{_date(receipt.promised_date)}前办结（法定节假日顺延），办理进度可扫描右上角二维码查询。"
            "请妥善保管本回执，领取结果时出示。",
            st.note,
        )
    )
    if receipt.contact_phone:
        story.append(_p(f"咨询电话：{receipt.contact_phone}", st.note))
    story += [
        Spacer(1, 10 * mm),
        _p(f"{receipt.hall_name}（受理专用章）", st.sign),
        _p(_date(receipt.accepted_at.date()), st.sign),
    ]
    return _build(
        story,
        title=f"受理回执 {receipt.case_number}",
        footer=f"受理编号 {receipt.case_number} · {receipt.hall_name}",
        st=st,
    )


def correction_notice_pdf(notice: CorrectionNoticeData, font: CjkFont | None = None) -> bytes:
    """The one-time correction notice (一次性告知单): every missing item on one page."""
    st = _styles(font)
    matters = "、".join(f"“{m}”" for m in notice.matters)
    items = [
        (str(i), item.name, item.requirement or "—") for i, item in enumerate(notice.missing, 1)
    ]
    story: list[Flowable] = [
        _heading(
            notice.hall_name, "一次性告知单", notice.progress_url, "扫码查看办事指南", st, _WIDTH
        ),
        _p(f"告知单号：{notice.notice_number}", st.body),
        Spacer(1, 3 * mm),
        _p(
            f"{mask_name(notice.applicant_name)}"
            f"（证件号码 {mask_id_number(notice.applicant_id_number)}）：",
            st.body,
        ),
        _p(
            f"您于{_when(notice.issued_at)}申请办理{matters}，经审查，申请材料不齐全或不符合法定形式。"
            f"根据“一次性告知”制度，现将需要补正的全部材料（共 {len(items)} 项）告知如下：",
            st.para,
        ),
        Spacer(1, 3 * mm),
        _grid(
            ["序号", "需补正的材料", "具体要求"], items, [12 * mm, 70 * mm, _WIDTH - 82 * mm], st
        ),
        _p(
            "请您补齐上述全部材料后，到任一综合受理窗口办理。本单所列即为全部需补正材料，"
            "窗口不再另行要求其他材料。",
            st.para,
        ),
    ]
    staff = "  ".join(
        x for x in (notice.window, notice.staff_name and f"经办人：{notice.staff_name}") if x
    )
    if staff:
        story.append(_p(staff, st.note))
    if notice.contact_phone:
        story.append(_p(f"咨询电话：{notice.contact_phone}", st.note))
    story += [
        Spacer(1, 10 * mm),
        _p(f"{notice.hall_name}（盖章）", st.sign),
        _p(_date(notice.issued_at.date()), st.sign),
    ]
    return _build(
        story,
        title=f"一次性告知单 {notice.notice_number}",
        footer=f"告知单号 {notice.notice_number} · {notice.hall_name}",
        st=st,
    )


def _certificate_rows(
    cert: CertificateData, org_id_label: str = "证件号码"
) -> list[tuple[str, str]]:
    """The details table of a certificate copy: a person's name and ID number masked, a
    company's in full (under ``org_id_label``: the kiosk copy says 统一社会信用代码)."""
    validity = (
        f"{_date(cert.valid_from)} 至 {_date(cert.valid_until) if cert.valid_until else '长期'}"
    )
    person = cert.holder_is_person
    rows: list[tuple[str, str]] = [
        ("证照名称", cert.title),
        ("持证主体", mask_name(cert.holder_name) if person else cert.holder_name),
        (
            "证件号码" if person else org_id_label,
            mask_id_number(cert.holder_id_number) if person else cert.holder_id_number,
        ),
    ]
    if cert.certificate_number:
        rows.append(("证照编号", cert.certificate_number))
    rows += list(cert.fields)
    rows += [
        ("发证机构", cert.issuer_name),
        ("发证日期", _date(cert.issued_on)),
        ("有效期限", validity),
    ]
    return rows


def _verify_table(cert: CertificateData, st: _Styles) -> Table:
    """The boxed identifier with its verification QR code, as on every certificate copy."""
    qr_size = 34 * mm
    verify = Table(
        [
            [
                [
                    _p("电子证照标识", st.body),
                    _p(cert.identifier, st.cell),
                    Spacer(1, 2 * mm),
                    _p(
                        "扫描右侧二维码或登录政务服务平台，输入证照标识核验本证照的真实性和有效性。",
                        st.small,
                    ),
                ],
                [_qr(cert.verify_url, qr_size), _p("扫码核验", st.head)],
            ]
        ],
        colWidths=[_WIDTH - qr_size - 6 * mm, qr_size + 6 * mm],
    )
    verify.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.font),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (0, 0), (-1, -1), 0.5, _GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return verify


def _diagonal_watermark(text: str, font: CjkFont | None) -> Callable[[Canvas], None]:
    """A page decoration that repeats ``text`` diagonally under the content."""
    image, strip_w, strip_h = _watermark_image(text, font or resolve_cjk_font())

    def stamp_watermark(canvas: Canvas) -> None:
        # Diagonal and repeated, under the content: a cropped copy still says what it may be
        # used for, and the certificate itself stays fully legible.
        canvas.translate(A4[0] / 2, A4[1] / 2)
        canvas.rotate(35)
        for row in range(-8, 9):
            offset = (row % 3) * strip_w / 3
            for col in range(-2, 2):
                canvas.drawImage(
                    image, col * strip_w + offset - strip_w / 2, row * 70, strip_w, strip_h
                )

    return stamp_watermark


def certificate_pdf(cert: CertificateData, font: CjkFont | None = None) -> bytes:
    """An e-certificate copy with its identifier, verification QR and the usage watermark."""
    st = _styles(font)
    watermark = usage_watermark(cert.usage_provider, cert.usage_valid_until)
    story: list[Flowable] = [
        _p("电子证照", st.hall),
        _p(cert.title, st.title),
        _info_table(_certificate_rows(cert), st, _WIDTH),
        Spacer(1, 6 * mm),
        _verify_table(cert, st),
        Spacer(1, 6 * mm),
        _p(watermark, st.note),
    ]
    return _build(
        story,
        title=f"{cert.title} {cert.identifier}",
        footer=f"证照标识 {cert.identifier}",
        st=st,
        decorate=_diagonal_watermark(watermark, font),
    )
