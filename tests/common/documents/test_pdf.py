"""PDFs: Chinese text survives extraction, the CJK font is embedded as a subset, pages render."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from common.documents.data import ReceiptData, usage_watermark
from common.documents.pdf import certificate_pdf, correction_notice_pdf, receipt_pdf
from common.documents.samples import CERTIFICATE, EXAMPLE_ID, NOTICE, RECEIPT

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdftoppm")),
    reason="poppler-utils missing",
)


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=30).stdout


CASES: list[tuple[str, Callable[..., bytes], Any, list[str]]] = [
    (
        "receipt",
        receipt_pdf,
        RECEIPT,
        [
            "受理回执",
            "SL20240506-0012",
            "公司设立登记",
            "李*梅",
            "1101**********002X",
            "住所使用证明",
            "容缺后补",
            "2024年5月20日前补交",
            "承诺办结日期",
            "2024年5月7日",
        ],
    ),
    (
        "notice",
        correction_notice_pdf,
        NOTICE,
        ["一次性告知单", "不动产权属证书", "买卖合同", "婚姻状况证明", "共 3 项", "陈*国"],
    ),
    (
        "certificate",
        certificate_pdf,
        CERTIFICATE,
        [
            "营业执照",
            "示范区市场监督管理局",
            "福州示例科技有限公司",
            EXAMPLE_ID.replace(".", ""),
            usage_watermark("示范区政务服务中心", CERTIFICATE.usage_valid_until),
        ],
    ),
]


@needs_poppler
@pytest.mark.parametrize(("name", "make", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_pdf_text_fonts_and_render(
    tmp_path: Path, name: str, make: Callable[..., bytes], data: Any, expected: list[str]
) -> None:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(make(data))
    text = _run("pdftotext", "-layout", str(pdf), "-")
    flat = "".join(text.split()).replace(".", "")
    for phrase in expected:
        assert "".join(phrase.split()).replace(".", "") in flat, phrase
    assert "11010519491231002X" not in flat  # the full ID number never reaches paper

    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        cols = row.split()
        # name type encoding emb sub uni ...: every font embedded, subset, with a ToUnicode map
        assert cols[-5:-2] == ["yes", "yes", "yes"], row
        assert cols[1] == "TrueType", row

    _run("pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(tmp_path / name))
    with Image.open(tmp_path / f"{name}.png") as page:
        assert page.size == (331, 468)  # A4 at 40 dpi: one page, nothing spilled over
        assert page.convert("L").getextrema()[0] < 100  # something dark was drawn


def test_output_is_deterministic() -> None:
    assert receipt_pdf(RECEIPT) == receipt_pdf(RECEIPT)


def test_receipt_with_tolerated_items_needs_a_deadline() -> None:
    with pytest.raises(ValueError, match="supplement_deadline"):
        ReceiptData(**{**RECEIPT.__dict__, "supplement_deadline": None})


def test_long_correction_notice_flows_onto_more_pages(tmp_path: Path) -> None:
    from common.documents.data import CorrectionNoticeData, MissingItem

    many = CorrectionNoticeData(
        **{
            **NOTICE.__dict__,
            "missing": tuple(
                MissingItem(
                    f"补正材料第{i}项", "原件1份，复印件2份，加盖单位公章，需与原件核对一致"
                )
                for i in range(1, 60)
            ),
        }
    )
    pdf = correction_notice_pdf(many)
    assert len(re.findall(rb"/Type /Page[^s]", pdf)) >= 2
