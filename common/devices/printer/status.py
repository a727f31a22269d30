"""Printer status and the typed errors every printer raises.

Status comes from ESC/POS real-time requests (``DLE EOT 1`` printer, ``DLE EOT 4`` paper
roll sensor; ``GS r 1`` is the equivalent non-real-time paper request). python-escpos's own
``paper_status()`` returns "paper adequate" when the printer sends *nothing*, which is exactly
what an unplugged or hung printer does, so the bytes are parsed here and an empty reply or a
timeout is :attr:`PrinterState.UNKNOWN`, never "ready".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "PaperOutError",
    "PrinterConfigError",
    "PrinterError",
    "PrinterOfflineError",
    "PrinterState",
    "PrinterStatus",
    "parse_status_bytes",
]


class PrinterState(StrEnum):
    """What the printer said (or did not say) about itself."""

    READY = "ready"
    PAPER_NEAR_END = "paper_near_end"  # prints, but the hall should change the roll soon
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"  # answered "offline": cover open, feeding, error state
    UNREACHABLE = "unreachable"  # the connection itself failed (unplugged, no route, no device)
    UNKNOWN = "unknown"  # the connection cannot answer (file, Windows spooler) or said nothing

    @property
    def can_print(self) -> bool:
        return self in (PrinterState.READY, PrinterState.PAPER_NEAR_END)

    @property
    def label_zh(self) -> str:
        return {
            "ready": "正常",
            "paper_near_end": "纸将用尽",
            "paper_out": "缺纸",
            "offline": "脱机",
            "unreachable": "无法连接",
            "unknown": "状态未知",
        }[self.value]


@dataclass(frozen=True)
class PrinterStatus:
    """One status reading; ``detail`` is for logs and the hall manager, not for citizens."""

    state: PrinterState
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.state.value} ({self.state.label_zh})" + (
            f": {self.detail}" if self.detail else ""
        )


class PrinterError(Exception):
    """Printing failed; the job was not (completely) accepted by the printer."""

    state = PrinterState.UNKNOWN


class PrinterOfflineError(PrinterError):
    """The printer is offline or cannot be reached (脱机 / 无法连接)."""

    state = PrinterState.OFFLINE


class PaperOutError(PrinterError):
    """The printer reports no paper (缺纸)."""

    state = PrinterState.PAPER_OUT


class PrinterConfigError(PrinterError):
    """The printer settings cannot work (unknown profile, missing vendor id, bad spec)."""


def parse_status_bytes(printer_reply: bytes, paper_reply: bytes) -> PrinterStatus:
    """Interpret the replies to ``DLE EOT 1`` and ``DLE EOT 4``.

    Each reply is one byte with bit 1 and bit 4 set (0x12) as a frame check. ``DLE EOT 1``:
    bit 3 = offline. ``DLE EOT 4``: bits 2-3 = roll near end, bits 5-6 = roll end. A missing
    or malformed byte means we do not know; it is not taken as good news.
    """
    if not printer_reply or not paper_reply:
        return PrinterStatus(PrinterState.UNKNOWN, "no reply to DLE EOT")
    p, r = printer_reply[0], paper_reply[0]
    if p & 0x93 != 0x12 or r & 0x93 != 0x12:
        return PrinterStatus(PrinterState.UNKNOWN, f"unexpected status bytes {p:#04x} {r:#04x}")
    if r & 0x60:
        return PrinterStatus(PrinterState.PAPER_OUT, "paper roll end sensor")
    if p & 0x08:
        return PrinterStatus(PrinterState.OFFLINE, "printer reports offline (cover open or error)")
    if r & 0x0C:
        return PrinterStatus(PrinterState.PAPER_NEAR_END, "paper roll near-end sensor")
    return PrinterStatus(PrinterState.READY)
