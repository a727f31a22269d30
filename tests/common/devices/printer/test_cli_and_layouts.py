"""``onewindow print-test`` and the thermal layouts."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Literal

import pytest

from common.cli import main
from common.devices.printer.layouts import (
    Paper,
    Qr,
    Text,
    certificate_slip_layout,
    correction_notice_layout,
    receipt_layout,
    ticket_layout,
    wrap_columns,
)
from common.devices.printer.raster import render_layout
from common.documents import fonts
from common.documents.fonts import resolve_cjk_font
from common.documents.samples import CERTIFICATE, NOTICE, RECEIPT, SAMPLE_ID_NUMBER, TICKET


def test_print_test_dummy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["print-test", "dummy"]) == 0
    out = capsys.readouterr().out
    assert "status: unknown" in out and "dummy output" in out


def test_print_test_png(tmp_path: Path) -> None:
    assert main(["print-test", f"png:{tmp_path}", "--mode", "native", "--paper", "58"]) == 0
    assert len(list(tmp_path.glob("*.png"))) == 1


def test_print_test_unreachable_and_bad_spec(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["print-test", f"network:127.0.0.1:{port}"]) == 1
    assert main(["print-test", "nonsense"]) == 2
    assert "neither" in capsys.readouterr().err


def test_print_test_without_font_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fonts._resolve.cache_clear()
    monkeypatch.setattr(fonts, "platform_candidates", lambda: [])
    try:
        assert main(["print-test", "dummy"]) == 2
    finally:
        fonts._resolve.cache_clear()
    assert "no CJK TrueType font" in capsys.readouterr().err


def test_wrap_columns_counts_chinese_as_two() -> None:
    assert wrap_columns("您前面还有 12 人在等待", 10) == ["您前面还有", "12 人在等", "待"]
    assert wrap_columns("https://hall.example.cn/q/A012", 12)[0] == "https://hall"


@pytest.mark.parametrize("mm", [58, 80])
def test_every_layout_renders_to_the_paper_width(mm: Literal[58, 80]) -> None:
    font = resolve_cjk_font()
    paper = Paper(mm)
    for layout in (
        ticket_layout(TICKET, paper),
        receipt_layout(RECEIPT, paper),
        correction_notice_layout(NOTICE, paper),
        certificate_slip_layout(CERTIFICATE, paper),
    ):
        image = render_layout(layout, font)
        assert image.width == paper.dots and image.mode == "1"
        texts = " ".join(b.text for b in layout.blocks if isinstance(b, Text))
        assert SAMPLE_ID_NUMBER not in texts


# A hall's web address for progress keeps its own caption (no kiosk ticket carries one today:
# tests/common/documents/test_samples.py), and a 预约 tag.
FUTURE_TICKET = dataclasses.replace(
    TICKET,
    progress_url="https://hall.example.cn/q/350102/A012?d=20240506",
    appointment=True,
    holder_name="张三丰",
)


def test_ticket_content() -> None:
    layout = ticket_layout(TICKET, Paper(80))
    number = next(b for b in layout.blocks if isinstance(b, Text) and b.text == "A012")
    assert number.bold and number.scale >= 5
    texts = [b.text for b in layout.blocks if isinstance(b, Text)]
    assert "您前面还有 7 人在等待" in texts and "持票人：张*丰" in texts
    assert TICKET.window_hint in texts
    assert any("绿色通道" in t for t in texts) and not any("预约" in t for t in texts)
    qr = [b for b in layout.blocks if isinstance(b, Qr)]
    assert [(b.data, b.caption) for b in qr] == [(TICKET.progress_url, "办完后可在取号机扫码评价")]


def test_ticket_with_progress_qr_and_appointment_tag() -> None:
    layout = ticket_layout(FUTURE_TICKET, Paper(80))
    texts = [b.text for b in layout.blocks if isinstance(b, Text)]
    assert any("绿色通道" in t and "预约" in t for t in texts)
    assert "持票人：张*丰" in texts  # a full name given to the layout is masked all the same
    assert any(isinstance(b, Qr) and b.data == FUTURE_TICKET.progress_url for b in layout.blocks)
