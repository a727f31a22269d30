"""Byte-level checks of python-escpos Dummy output for raster and native modes."""

from __future__ import annotations

import dataclasses
import re
from typing import Literal

import pytest

from common.devices.printer.encoding import FS_CHINESE_ON, encode_layout
from common.devices.printer.layouts import Paper, Text, ticket_layout
from common.devices.printer.raster import render_layout
from common.documents.fonts import CjkFont, resolve_cjk_font
from common.documents.samples import TICKET

GS_V0 = re.compile(rb"\x1dv0(.)(..)(..)", re.S)
# A ticket with the progress QR the central link will bring, and a full name to be masked.
QR_TICKET = dataclasses.replace(
    TICKET, progress_url="https://hall.example.cn/q/350102/A012", holder_name="张三丰"
)


@pytest.fixture(scope="module")
def font() -> CjkFont:
    return resolve_cjk_font()


def _raster_headers(data: bytes) -> list[tuple[int, int]]:
    return [
        (int.from_bytes(m.group(2), "little") * 8, int.from_bytes(m.group(3), "little"))
        for m in GS_V0.finditer(data)
    ]


@pytest.mark.parametrize(("mm", "dots"), [(58, 384), (80, 576)])
def test_raster_width_is_the_papers_dots(font: CjkFont, mm: Literal[58, 80], dots: int) -> None:
    layout = ticket_layout(TICKET, Paper(mm))
    data = encode_layout(layout, font, mode="raster")
    assert data.startswith(b"\x1b@")  # ESC @ init
    headers = _raster_headers(data)
    assert headers and all(w == dots for w, _ in headers)
    assert sum(h for _, h in headers) == render_layout(layout, font).height
    assert "您前面".encode("gb18030") not in data  # raster carries no text bytes
    assert data.endswith(b"\x1dV\x00")  # GS V 0: full cut after the feed
    assert b"\x1bd\x06" in data  # ESC d 6: feed past the cutter first


def test_native_mode_sends_gb18030_with_sizes_qr_and_cut(font: CjkFont) -> None:
    data = encode_layout(ticket_layout(QR_TICKET, Paper(80)), font, mode="native", beep=True)
    assert data.startswith(b"\x1b@" + FS_CHINESE_ON)  # ESC @, then FS & Chinese mode
    for phrase in (
        "示范区政务服务中心",
        "您前面还有 7 人在等待",
        "持票人：张*丰",
        "请在休息区等候",
    ):
        assert phrase.encode("gb18030") in data, phrase
    assert "张三丰".encode("gb18030") not in data
    assert b"\x1d!\x55" + b"A012" in data  # GS ! 0x55: number at 6x6
    assert b"\x1d!\x11" in data  # hall name at 2x2
    assert b"\x1d!\x00" in data  # back to 1x1
    assert b"\x1bE\x01" in data  # ESC E 1 bold
    assert b"\x1dB\x01" in data  # GS B 1: the inverted 绿色通道 tag
    qr = b"\x1d(k"
    assert data.count(qr) == 5  # model, size, EC, store data, print
    assert QR_TICKET.progress_url.encode() in data
    assert b"\x1dv0" not in data  # no raster needed
    assert b"\x1bB\x02\x03" in data  # ESC B: beeper
    assert data.endswith(b"\x1dV\x00")
    assert b"\x1c." in data  # FS . leaves Chinese mode for the next job


def test_native_qr_falls_back_to_raster_when_profile_lacks_it(font: CjkFont) -> None:
    data = encode_layout(
        ticket_layout(QR_TICKET, Paper(58)), font, mode="native", profile="POS-5890"
    )
    assert b"\x1d(k" not in data
    assert [w for w, _ in _raster_headers(data)] == [384]
    assert "您前面还有".encode("gb18030") in data


def test_native_lines_wrap_to_the_papers_columns(font: CjkFont) -> None:
    from common.devices.printer.layouts import Layout

    text = "请在休息区等候，留意叫号及大屏信息，过号请到取号机重新排队"  # 28 CJK = 56 columns
    data = encode_layout(Layout("t", Paper(58), (Text(text),)), font, mode="native", cut=False)
    body = data.split(FS_CHINESE_ON, 1)[1]
    lines = [
        ln
        for ln in body.split(b"\n")
        if "请".encode("gb18030") in ln or "队".encode("gb18030") in ln
    ]
    decoded = [ln.split(b"\x1d!\x00")[-1].split(b"\x1d!\x11")[-1] for ln in lines]
    assert all(len(d.decode("gb18030", errors="ignore")) <= 16 for d in decoded)


def test_profile_narrower_than_paper_limits_raster_width(font: CjkFont) -> None:
    data = encode_layout(ticket_layout(TICKET, Paper(80)), font, mode="raster", profile="TM-T88V")
    assert {w for w, _ in _raster_headers(data)} == {512}


def test_no_cut_when_disabled(font: CjkFont) -> None:
    data = encode_layout(ticket_layout(TICKET, Paper(58)), font, mode="native", cut=False)
    assert b"\x1dV" not in data


def test_unknown_profile_is_a_config_error(font: CjkFont) -> None:
    from common.devices.printer.status import PrinterConfigError

    with pytest.raises(PrinterConfigError, match="profile"):
        encode_layout(ticket_layout(TICKET, Paper(58)), font, profile="NoSuchPrinter")
