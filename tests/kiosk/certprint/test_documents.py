"""The self-printed certificate: the A4 PDF read back with pdftotext, the 80 mm slip's bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from pathlib import Path

import pytest

from common.devices.printer.encoding import encode_layout
from common.devices.printer.layouts import Paper, Qr, Text
from common.documents.certificate_id import make_certificate_id
from common.documents.certificate_print import self_print_pdf, self_print_slip_layout
from common.documents.data import CertificateData
from common.documents.fonts import CjkFont, resolve_cjk_font
from common.people import check_character

HOLDER_ID = "35010219800101123" + check_character("35010219800101123")  # invented
PRINTED = dt.date(2026, 11, 23)
CERT = CertificateData(
    identifier=make_certificate_id("11100000000013338W011", "11350102MB0000000A", "20261123001"),
    title="不动产权证书",
    issuer_name="示范区自然资源局",
    holder_name="林晓燕",
    holder_id_number=HOLDER_ID,
    issued_on=dt.date(2026, 11, 20),
    valid_from=dt.date(2026, 11, 20),
    valid_until=None,
    verify_url="onewindow:certificate:x",
    usage_provider="示范区政务服务中心",
    usage_valid_until=dt.date(2026, 12, 23),
)


@pytest.fixture(scope="module")
def font() -> CjkFont:
    return resolve_cjk_font()


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_says_what_it_is_and_hides_the_person(font: CjkFont, tmp_path: Path) -> None:
    pdf = self_print_pdf(CERT, printed_on=PRINTED, station="kiosk-1", font=font)
    text = _text(pdf, tmp_path)
    flat = "".join(text.split())
    for phrase in (
        CERT.identifier,
        "林*燕",
        "3501**********" + HOLDER_ID[-4:],
        "不动产权证书",
        "仅供办理政务服务事项时使用",
        "有效期至2026年12月23日",
        "自助打印2026年11月23日kiosk-1",
        "长期",
    ):
        assert phrase in flat, phrase
    assert HOLDER_ID not in flat and "林晓燕" not in flat
    assert pdf == self_print_pdf(CERT, printed_on=PRINTED, station="kiosk-1", font=font)
    assert b"/FontFile2" in pdf  # the CJK font is embedded


def test_a_company_prints_in_full(font: CjkFont, tmp_path: Path) -> None:
    company = dataclasses.replace(
        CERT,
        holder_name="示范区晓燕商贸有限公司",
        holder_id_number="91350102MA2Y0000X4",
        holder_is_person=False,
    )
    flat = "".join(_text(self_print_pdf(company, printed_on=PRINTED, font=font), tmp_path).split())
    assert "示范区晓燕商贸有限公司" in flat and "91350102MA2Y0000X4" in flat


def test_slip_bytes(font: CjkFont) -> None:
    layout = self_print_slip_layout(CERT, Paper(80), printed_on=PRINTED, station="kiosk-1")
    qr = [b for b in layout.blocks if isinstance(b, Qr)]
    assert [q.data for q in qr] == [CERT.verify_url]
    lines = [b.text for b in layout.blocks if isinstance(b, Text)]
    assert lines[-1] == "自助打印 2026年11月23日 kiosk-1"
    data = encode_layout(layout, font, mode="native")
    # The identifier wraps at the paper's 48 columns; both halves are there.
    head, tail = CERT.identifier[:40], CERT.identifier[48:]
    for phrase in ("持证主体：林*燕", head, tail, "有效期：", "至 长期", "自助打印"):
        assert phrase.encode("gb18030") in data, phrase
    assert "林晓燕".encode("gb18030") not in data
    assert HOLDER_ID.encode("gb18030") not in data
    assert data.endswith(b"\x1dV\x00")  # cut
