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
from reportlab.platypus import Flowable, Spacer

from common.devices.printer.layouts import Layout, Paper, Text, certificate_slip_layout
from common.documents.data import CertificateData, usage_watermark
from common.documents.fonts import CjkFont
from common.documents.pdf import (
    _WIDTH,
    _build,
    _certificate_rows,
    _diagonal_watermark,
    _info_table,
    _p,
    _styles,
    _verify_table,
)

__all__ = ["self_print_mark", "self_print_pdf", "self_print_slip_layout"]


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
    story: list[Flowable] = [
        _p("电子证照 · 自助打印件", st.hall),
        _p(cert.title, st.title),
        _info_table(_certificate_rows(cert, org_id_label="统一社会信用代码"), st, _WIDTH),
        Spacer(1, 6 * mm),
        _verify_table(cert, st),
        Spacer(1, 6 * mm),
        _p(usage_watermark(cert.usage_provider, cert.usage_valid_until), st.note),
        _p(self_print_mark(printed_on, station), st.body),
        _p("本打印件由持证人在政务服务大厅自助终端刷身份证核验后打印。", st.small),
    ]
    return _build(
        story,
        title=f"{cert.title} {cert.identifier}",
        footer=f"证照标识 {cert.identifier}",  # the mark is in the body (the footer is full)
        st=st,
        # The diagonal copy carries the self-print mark too: a cropped copy still says
        # where and when it came out of a kiosk.
        decorate=_diagonal_watermark(_watermark(cert, printed_on, station), font),
    )


def self_print_slip_layout(
    cert: CertificateData, paper: Paper, *, printed_on: dt.date, station: str = ""
) -> Layout:
    """The 80 mm e-certificate slip (identifier, holder masked, validity, verification QR),
    for a kiosk with only its thermal printer, ending with the self-print mark."""
    base = certificate_slip_layout(cert, paper)
    blocks = (*base.blocks, Text(self_print_mark(printed_on, station), 1, align="center"))
    return Layout(base.title, paper, blocks)
