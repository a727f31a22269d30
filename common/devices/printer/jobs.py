"""Print jobs: the encoded bytes plus the layout they came from, with a stable id.

A job's id is what makes the queue exactly-once: submitting the same id twice is a no-op, and a
job leaves the queue only after a printer accepted all its bytes. The layout travels with the
bytes so a PNG-folder printer (demo) or a reprint can draw it again.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from common.config import PrinterSettings
from common.devices.printer.encoding import encode_layout
from common.devices.printer.layouts import (
    Block,
    Feed,
    Layout,
    Paper,
    Qr,
    Rule,
    Text,
    certificate_slip_layout,
    correction_notice_layout,
    receipt_layout,
    ticket_layout,
)
from common.documents.data import CertificateData, CorrectionNoticeData, ReceiptData, TicketData
from common.documents.fonts import CjkFont, resolve_cjk_font

__all__ = ["PrintJob", "PrintJobBuilder"]


@dataclass(frozen=True)
class PrintJob:
    """Bytes for one printout. ``job_id`` is unique; reprinting means a new job."""

    title: str
    data: bytes
    layout: Layout | None = None
    job_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: float = field(default_factory=time.time)

    def to_json(self) -> str:
        """Serialise for the spool folder (layout included, so the PNG printer survives a crash)."""
        layout: dict[str, Any] | None = None
        if self.layout is not None:
            layout = {
                "title": self.layout.title,
                "paper": self.layout.paper.mm,
                "blocks": [
                    {"kind": type(b).__name__, **dataclasses.asdict(b)} for b in self.layout.blocks
                ],
            }
        return json.dumps(
            {
                "job_id": self.job_id,
                "title": self.title,
                "created_at": self.created_at,
                "data": base64.b64encode(self.data).decode("ascii"),
                "layout": layout,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> PrintJob:
        raw = json.loads(text)
        layout = None
        if raw.get("layout"):
            kinds: dict[str, type[Block]] = {"Text": Text, "Qr": Qr, "Rule": Rule, "Feed": Feed}
            blocks = tuple(kinds[b.pop("kind")](**b) for b in raw["layout"]["blocks"])
            layout = Layout(raw["layout"]["title"], Paper(raw["layout"]["paper"]), blocks)
        return cls(
            title=str(raw["title"]),
            data=base64.b64decode(raw["data"]),
            layout=layout,
            job_id=str(raw["job_id"]),
            created_at=float(raw["created_at"]),
        )


class PrintJobBuilder:
    """Builds :class:`PrintJob` s for one configured printer (its paper, mode, profile, font).

    Create it once at start-up (``PrintJobBuilder(settings.printer)``): that resolves the CJK
    font — raising :class:`~common.documents.fonts.FontError` if there is none, so a hall finds
    out when the app starts, not when the first citizen waits for a ticket.
    """

    def __init__(self, settings: PrinterSettings, font: CjkFont | None = None) -> None:
        self.settings = settings
        self.paper = Paper(settings.paper_mm)
        self.font = font or resolve_cjk_font(settings.font_path)

    def job(self, layout: Layout) -> PrintJob:
        s = self.settings
        data = encode_layout(
            layout, self.font, mode=s.mode, profile=s.profile, cut=s.cut, beep=s.beep
        )
        return PrintJob(title=layout.title, data=data, layout=layout)

    def ticket(self, ticket: TicketData) -> PrintJob:
        return self.job(ticket_layout(ticket, self.paper))

    def receipt(self, receipt: ReceiptData) -> PrintJob:
        return self.job(receipt_layout(receipt, self.paper))

    def correction_notice(self, notice: CorrectionNoticeData) -> PrintJob:
        return self.job(correction_notice_layout(notice, self.paper))

    def certificate_slip(self, cert: CertificateData) -> PrintJob:
        return self.job(certificate_slip_layout(cert, self.paper))
