"""An e-certificate printed by its holder at the kiosk (证照打印): the A4 PDF and the 80 mm slip.

Both carry what makes a self-printed copy usable and checkable: the certificate's identifier,
the holder masked (a company's name and credit code in full), the validity, a verification QR
code, and the usage watermark — :func:`~common.documents.data.usage_watermark`'s wording
("此件由…提供，仅供办理政务服务事项时使用，有效期至…") followed by ``自助打印 <date> <station>``,
so a copy always says where and when it came out of a kiosk. On the A4 page the watermark is
printed once as text (searchable, read aloud) and repeated diagonally under the content as a
picture (:mod:`.pdf`); on the slip it is a bold line under the QR code.

The PDF is built like every document here (reportlab, the CJK font embedded as a subset,
``invariant=True``: the same input gives the same bytes).
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from common.devices.printer.layouts import Layout, Paper, Text, certificate_slip_layout
from common.documents.data import CertificateData, usage_watermark
from common.documents.fonts import CjkFont, resolve_cjk_font
from common.documents.pdf import (
    _GRID,
    _WIDTH,
    _build,
    _date,
    _info_table,
    _p,
    _qr,
    _styles,
    _watermark_image,
)
from common.people import mask_id_number, mask_name

__all__ = ["self_print_mark", "self_print_pdf", "self_print_slip_layout"]

_A4 = (210 * mm, 297 * mm)


def self_print_mark(printed_on: dt.date, station: str = "") -> str:
    """The words that say a copy came out of a kiosk: ``自助打印 2026年11月23日 kiosk-1``."""
    when = f"{printed_on.year}年{printed_on.month}月{printed_on.day}日"
    return f"自助打印 {when}" + (f" {station}" if station else "")


def _watermark(cert: CertificateData, printed_on: dt.date, station: str) -> str:
    usage = usage_watermark(cert.usage_provider, cert.usage_valid_until)
    return f"{usage} · {self_print_mark(printed_on, station)}"


def self_print_pdf(
    cert: CertificateData,
    *,
    printed_on: dt.date,
    station: str = "",
    font: CjkFont | None = None,
) -> bytes:
    """The holder's A4 copy: details, identifier with its QR code, and the usage watermark."""
    st = _styles(font)
    watermark = _watermark(cert, printed_on, station)
    validity = f"{_date(cert.valid_from)} 至 " + (
        _date(cert.valid_until) if cert.valid_until else "长期"
    )
    person = cert.holder_is_person
    rows: list[tuple[str, str]] = [
        ("证照名称", cert.title),
        ("持证主体", mask_name(cert.holder_name) if person else cert.holder_name),
        (
            "证件号码" if person else "统一社会信用代码",
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
    story: list[Flowable] = [
        _p("电子证照 · 自助打印件", st.hall),
        _p(cert.title, st.title),
        _info_table(rows, st, _WIDTH),
        Spacer(1, 6 * mm),
        verify,
        Spacer(1, 6 * mm),
        _p(usage_watermark(cert.usage_provider, cert.usage_valid_until), st.note),
        _p(self_print_mark(printed_on, station), st.body),
        _p("本打印件由持证人在政务服务大厅自助终端刷身份证核验后打印。", st.small),
    ]
    image, strip_w, strip_h = _watermark_image(watermark, font or resolve_cjk_font())

    def stamp_watermark(canvas: Canvas) -> None:
        # Diagonal and repeated under the content: a cropped copy still says what it is for.
        canvas.translate(_A4[0] / 2, _A4[1] / 2)
        canvas.rotate(35)
        for row in range(-8, 9):
            offset = (row % 3) * strip_w / 3
            for col in range(-2, 2):
                canvas.drawImage(
                    image, col * strip_w + offset - strip_w / 2, row * 70, strip_w, strip_h
                )

    return _build(
        story,
        title=f"{cert.title} {cert.identifier}",
        footer=f"证照标识 {cert.identifier}",  # the mark is in the body (the footer is full)
        st=st,
        decorate=stamp_watermark,
    )


def self_print_slip_layout(
    cert: CertificateData, paper: Paper, *, printed_on: dt.date, station: str = ""
) -> Layout:
    """The 80 mm e-certificate slip (identifier, holder masked, validity, verification QR),
    for a kiosk with only its thermal printer, ending with the self-print mark."""
    base = certificate_slip_layout(cert, paper)
    blocks = (*base.blocks, Text(self_print_mark(printed_on, station), 1, align="center"))
    return Layout(base.title, paper, blocks)
