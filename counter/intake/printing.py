"""Receipts (受理回执) and correction notices (一次性告知单) out of the counter.

:class:`DocumentPrinter` sends one document to every output the window has:

* a PDF into a folder (the demo, or a hall that files receipts) — ``common.documents.pdf``;
* the window's A4 printer through Qt's print support (:class:`QtA4Printer`, QPrinter and a
  QTextDocument drawn from the same data; PySide6-Essentials has no PDF renderer);
* the 80 mm version through the thermal print queue when the hall configures one — the queue
  keeps the job (spooled to disk) until the printer takes it, so a printer out of paper prints
  the receipt when the paper is back.

A failing output never raises: the case is already saved, the failure is reported in
:attr:`Issued.failed` and the document can be reprinted from the case.
It runs on a worker (PDF rendering is CPU work); it never touches a widget.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from common.documents.data import CorrectionNoticeData, ReceiptData
from common.documents.pdf import correction_notice_pdf, receipt_pdf
from common.intake.words import MaterialMark
from counter.intake.flow import Issued

if TYPE_CHECKING:
    from common.devices.printer.jobs import PrintJobBuilder
    from common.devices.printer.queue import PrintQueue

__all__ = ["A4Printer", "DocumentPrinter", "QtA4Printer", "document_html"]

log = logging.getLogger(__name__)


class A4Printer(Protocol):
    """The window's A4 printer: prints one document or raises."""

    def print_html(self, title: str, body: str) -> None: ...


def _number(data: ReceiptData | CorrectionNoticeData) -> str:
    return data.case_number if isinstance(data, ReceiptData) else data.notice_number


def document_html(data: ReceiptData | CorrectionNoticeData) -> tuple[str, str]:
    """(title, HTML) of a receipt or notice for the A4 printer: the same facts as the PDF."""
    e = html.escape
    if isinstance(data, ReceiptData):
        title = "受理回执"
        rows = "".join(
            f"<tr><td>{i}</td><td>{e(m.name)}</td><td>{e(m.form)}</td><td>{m.copies}</td>"
            f"<td>{e(m.mark.label)}</td></tr>"
            for i, m in enumerate(data.materials, 1)
        )
        extra = ""
        if data.supplement_deadline is not None:
            owed = "、".join(m.name for m in data.materials if m.mark is MaterialMark.TOLERATED)
            extra = (
                f"<p><b>容缺材料：</b>{e(owed)}，"
                f"请于 {data.supplement_deadline:%Y年%m月%d日} 前补齐。</p>"
            )
        body = (
            f"<h2 align='center'>{e(data.hall_name)}<br/>{title}</h2>"
            f"<p>办件编号：{e(data.case_number)}<br/>事项：{e('、'.join(data.matters))}<br/>"
            f"申请人：{e(data.applicant_name)}（{e(data.applicant_id_number)}）<br/>"
            f"受理时间：{data.accepted_at:%Y-%m-%d %H:%M}<br/>"
            f"承诺办结日期：{data.promised_date:%Y年%m月%d日}</p>"
            f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<tr><th>序号</th><th>材料</th><th>形式</th><th>份数</th><th>收取情况</th></tr>{rows}</table>"
            f"{extra}<p>受理人：{e(data.staff_name)}　{e(data.window)}</p>"
        )
    else:
        title = "一次性告知单"
        rows = "".join(
            f"<tr><td>{i}</td><td>{e(m.name)}</td><td>{e(m.requirement)}</td></tr>"
            for i, m in enumerate(data.missing, 1)
        )
        body = (
            f"<h2 align='center'>{e(data.hall_name)}<br/>{title}</h2>"
            f"<p>编号：{e(data.notice_number)}<br/>事项：{e('、'.join(data.matters))}<br/>"
            f"申请人：{e(data.applicant_name)}（{e(data.applicant_id_number)}）<br/>"
            f"告知时间：{data.issued_at:%Y-%m-%d %H:%M}</p>"
            f"<p>您申请的事项还需补正以下材料（一次性告知，请备齐后再来）：</p>"
            f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<tr><th>序号</th><th>材料</th><th>要求</th></tr>{rows}</table>"
            f"<p>经办人：{e(data.staff_name)}　{e(data.window)}</p>"
        )
    return title, body


class QtA4Printer:
    """An A4 printer through QtPrintSupport: a named printer, or the system default.

    QPrinter and QPainter may be used on a worker thread (Qt's printing is thread-safe for a
    printer owned by that thread); a new QPrinter per document keeps it so.
    """

    def __init__(self, printer_name: str = "", *, pdf_file: str = "") -> None:
        self.printer_name = printer_name
        self.pdf_file = pdf_file  # tests and the demo: QPrinter's own PDF output

    def print_html(self, title: str, body: str) -> None:
        from PySide6.QtGui import QPageSize, QTextDocument
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(title)
        if self.pdf_file:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(self.pdf_file)
        else:
            if self.printer_name:
                if self.printer_name not in QPrinterInfo.availablePrinterNames():
                    raise RuntimeError(f"A4 printer {self.printer_name!r} not found")
                printer.setPrinterName(self.printer_name)
            if not printer.isValid():
                raise RuntimeError("no A4 printer available")
        doc = QTextDocument()
        doc.setHtml(body)
        doc.print_(printer)


class DocumentPrinter:
    """Every output of one window; see the module docstring."""

    def __init__(
        self,
        *,
        pdf_dir: Path | None = None,
        a4: A4Printer | None = None,
        thermal: PrintQueue | None = None,
        builder: PrintJobBuilder | None = None,
    ) -> None:
        self.pdf_dir, self.a4, self.thermal, self.builder = pdf_dir, a4, thermal, builder

    def issue(self, kind: str, data: ReceiptData | CorrectionNoticeData) -> Issued:
        number = _number(data)
        failed: list[str] = []
        pdf_path = ""
        if self.pdf_dir is not None:
            try:
                pdf = (
                    receipt_pdf(data)
                    if isinstance(data, ReceiptData)
                    else correction_notice_pdf(data)
                )
                self.pdf_dir.mkdir(parents=True, exist_ok=True)
                suffix = "受理回执" if isinstance(data, ReceiptData) else "一次性告知单"
                path = self.pdf_dir / f"{number}-{suffix}.pdf"
                tmp = path.with_suffix(".part")
                tmp.write_bytes(pdf)
                tmp.replace(path)  # a half-written PDF never carries the final name
                pdf_path = str(path)
            except Exception as exc:
                log.warning("%s %s: PDF not written: %s", kind, number, type(exc).__name__)
                failed.append("PDF")
        a4 = False
        if self.a4 is not None:
            try:
                self.a4.print_html(*document_html(data))
                a4 = True
            except Exception as exc:
                log.warning("%s %s: A4 printer failed: %s", kind, number, exc)
                failed.append("A4")
        job_id = ""
        if self.thermal is not None and self.builder is not None:
            try:
                job = (
                    self.builder.receipt(data)
                    if isinstance(data, ReceiptData)
                    else self.builder.correction_notice(data)
                )
                # The queue keeps the job until the printer takes it (paper out → printed later).
                job_id = self.thermal.submit(job)
            except Exception as exc:
                log.warning("%s %s: 80 mm slip not queued: %s", kind, number, type(exc).__name__)
                failed.append("80mm")
        return Issued(kind, number, pdf_path, a4, job_id, tuple(failed))
