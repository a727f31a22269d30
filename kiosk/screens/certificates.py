"""证照打印's pages and the Qt side of its flow; the Qt side of 补打回执 too.

:class:`CertificatesPage` is shown for ``Screen.SELF_SERVICE`` while its
:class:`~kiosk.certprint.CertPrintFlow` is active. It implements the flow's ports: the holder's
certificates are read on the window's database runner; a print runs on the print runner —
the A4 PDF built and handed to the A4 printer (``[kiosk] a4_printer``), or, on a kiosk with only
its thermal printer, the 80 mm slip through the print queue — and is recorded (with its outbox
row) only once the printer took the whole job. A printer in trouble is reported to the hall
manager's alert strip like the ticket printer.

It also serves 补打回执 for 办件查询's answer (:class:`~kiosk.certprint.ReceiptReprints`): the
receipt of the holder's own case on the thermal printer, recorded once printed.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from common.devices.a4.base import A4Printer
from common.devices.printer.jobs import PrintJob, PrintJobBuilder
from common.devices.printer.queue import PrintEvent, PrintEventKind, PrintQueue
from common.devices.printer.status import (
    PaperOutError,
    PrinterError,
    PrinterOfflineError,
    PrinterState,
)
from common.qt.i18n import fill
from common.qt.voice import Speaker
from common.qt.worker import TaskRunner
from common.selfservice.prints import HeldCertificate, KioskPrints, PrintKind
from kiosk.certprint import (
    CertMessage,
    CertPrintFlow,
    CertPrompt,
    CertScreen,
    CertState,
    FindRequest,
    PrintRequest,
    ReceiptReprints,
    ReprintRequest,
    ReprintStatus,
)
from kiosk.flow import KioskState
from kiosk.screens.base import (
    KioskScreen,
    centred,
    centred_row,
    page_stack,
    say,
    show_problem,
    turn_to,
)
from kiosk.screens.cardlist import CardListPage
from kiosk.screens.find import CardFindPage
from kiosk.texts import tr
from kiosk.widgets import TouchButton, label

__all__ = ["CertificateCard", "CertificatesPage", "cert_message_text", "reprint_text"]

log = logging.getLogger(__name__)

ReportDevice = Callable[[str, str, str, bool], None]
A4_DEVICE = "a4printer"


def cert_message_text(message: CertMessage) -> str:
    """The line said to the citizen for ``message`` ("" for none)."""
    if message is CertMessage.NO_CERTIFICATES:
        return tr("There is no e-certificate for this ID card yet.")
    if message is CertMessage.EXPIRED:
        return tr("This certificate has expired and cannot be printed. Please ask at the desk.")
    if message is CertMessage.PAPER_OUT:
        return tr(
            "The printer ran out of paper and your certificate was not printed. "
            "Please ask staff to load paper, then tap Print again."
        )
    if message is CertMessage.PRINTER_OFFLINE:
        return tr("The printer is not working. Please ask staff, or try again later.")
    if message is CertMessage.NO_PRINTER:
        return tr("This kiosk cannot print certificates. Please ask at the service desk.")
    if message is CertMessage.CARD_EXPIRED:
        return tr("This ID card has expired. Please go to the service desk.")
    if message is CertMessage.DATABASE:
        return tr("The system cannot reach the hall database. Please try again in a moment.")
    if message is CertMessage.ERROR:
        return tr("Printing did not work. Please ask at the service desk.")
    return ""


def reprint_text(status: ReprintStatus | None) -> str:
    """What a case card says about its receipt reprint."""
    if status is ReprintStatus.PRINTING:
        return tr("Printing the receipt…")
    if status is ReprintStatus.PRINTED:
        return tr("Receipt printed: please take it from the slot.")
    if status is ReprintStatus.PAPER_OUT:
        return tr("The printer has run out of paper. Please ask staff.")
    if status is ReprintStatus.PRINTER_OFFLINE:
        return tr("The printer is not working. Please ask staff, or try again later.")
    if status is ReprintStatus.NO_PRINTER:
        return tr("This kiosk has no receipt printer. Please ask at the service desk.")
    if status is ReprintStatus.ERROR:
        return tr("Printing did not work. Please ask at the service desk.")
    return ""


def _date(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}"


def _warm_pdf() -> None:
    import datetime as dt

    from common.documents.certificate_id import make_certificate_id
    from common.documents.certificate_print import self_print_pdf
    from common.documents.data import CertificateData

    day = dt.date(2026, 1, 1)
    identifier = make_certificate_id("1", "1", "1")
    self_print_pdf(
        CertificateData(
            identifier,
            "证照",
            "发证机构",
            "张三",
            "",
            day,
            day,
            None,
            "",
            "大厅",
            day,
            holder_is_person=False,
        ),
        printed_on=day,
    )


class CertificateCard(QFrame):
    """One certificate: what it is, who issued it, until when — and 打印 (or why not)."""

    def __init__(self, on_print: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseCard")
        self.identifier = ""
        self.title = label("caseMatter")
        self.issuer = label("caseNumber")
        self.validity = label("casePromised")  # red with its word when expired (kiosk.qss)
        self.code = label("hint")
        self.message = label("statusLine")
        self.print_button = TouchButton("", "primary")
        self.print_button.clicked.connect(lambda: on_print(self.identifier))
        words = QVBoxLayout()
        words.setSpacing(6)
        for widget in (self.title, self.issuer, self.validity, self.code, self.message):
            words.addWidget(widget)
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 14, 20, 14)
        row.addLayout(words, 1)
        row.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignVCenter)

    def show_certificate(self, cert: HeldCertificate, state: CertState, *, printing: bool) -> None:
        self.identifier = cert.identifier
        expired = cert.expired(state.today)
        self.title.setText(cert.title)
        self.issuer.setText(fill(tr("Issued by %1 on %2"), cert.issuer_name, _date(cert.issued_on)))
        if cert.valid_until is None:
            validity = tr("Valid: no expiry date")
        else:
            validity = fill(tr("Valid until %1"), _date(cert.valid_until))
        self.validity.setText(f"{validity} · {tr('expired')}" if expired else validity)
        self.validity.setProperty("watch", "red" if expired else "")
        self.setProperty("watch", "red" if expired else "")
        # An expired one keeps a button (a tap says why it cannot print) but not the look of
        # the page's main action.
        self.print_button.setObjectName("secondary" if expired else "primary")
        for widget in (self, self.validity, self.print_button):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        # The identifier's tail is enough to tell two copies apart; the full one is printed.
        self.code.setText(fill(tr("Certificate code …%1"), cert.identifier[-12:]))
        chosen = state.chosen == cert.identifier
        show_problem(self.message, cert_message_text(state.message) if chosen else "")
        self.print_button.setText(tr("Cannot print") if expired else tr("Print"))
        self.print_button.setEnabled(not printing)


class _FindPage(CardFindPage):
    def __init__(self, flow: CertPrintFlow) -> None:
        self.what = centred("hint")
        super().__init__(flow.back, lines=[self.what])

    def show_cert(self, state: CertState, reader: bool) -> None:
        self.what.setText(
            tr("Certificates issued to you appear here once the department has issued them.")
        )
        self.show_find(
            title=tr("Print an e-certificate"),
            card_hint=tr("Place your ID card on the reader to see your e-certificates."),
            reader=reader,
            message=cert_message_text(state.message),
            seconds_left=state.seconds_left,
        )


class _ListPage(CardListPage):
    def __init__(self, flow: CertPrintFlow) -> None:
        self.where = centred("hint")
        super().__init__(flow.back, flow.done, lines=[self.where])
        self._flow = flow
        # Cards are kept and reused, never deleted (a kiosk answers thousands of lookups a day).
        self.cards: list[CertificateCard] = []

    @property
    def shown_cards(self) -> list[CertificateCard]:
        return [c for c in self.cards if not c.isHidden()]

    def show_cert(self, state: CertState) -> None:
        rows = state.certificates
        while len(self.cards) < len(rows):
            card = CertificateCard(self._flow.choose)
            self.list.insertWidget(len(self.cards), card)
            self.cards.append(card)
        printing = state.screen is CertScreen.PRINTING
        for card, cert in zip(self.cards, rows, strict=False):
            card.show_certificate(cert, state, printing=printing)
            card.show()
        for card in self.cards[len(rows) :]:
            card.hide()
        chosen = next((c for c in self.cards[: len(rows)] if c.identifier == state.chosen), None)
        if chosen is not None and state.message is not CertMessage.NONE:
            # The word about the chosen certificate must be on screen, not below the fold.
            # After the layout took the new line in: its place is known only then.
            QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(chosen.message))
        self.title.setText(tr("Your e-certificates"))
        self.who.setText(
            fill(tr("ID card: %1 · %2 certificate(s)"), state.holder_masked, len(rows))
        )
        self.where.setText(
            tr("Printed on A4 paper, with a usage watermark and a QR code to verify it.")
            if state.output == "a4"
            else tr("Printed as a slip with a QR code to verify the certificate.")
        )
        self.privacy.setText(
            tr("Lift your ID card or tap Done when you have finished: the screen is cleared.")
        )
        self.back.setText(tr("Back"))
        self.done.setText(tr("Done"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))


class _WordsPage(KioskScreen):
    """Printing… / Please take your printout."""

    def __init__(self, flow: CertPrintFlow, *, with_buttons: bool) -> None:
        super().__init__()
        self.title = centred("screenTitle")
        self.hint = centred("subtitle")
        self.countdown = centred("countdown")
        layout = self.page(spacing=18)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.back = TouchButton("", "secondary")
        self.back.clicked.connect(flow.back)
        self.done = TouchButton("", "primary")
        self.done.clicked.connect(flow.done)
        if with_buttons:
            layout.addLayout(centred_row(self.back, self.done))
        else:
            self.back.hide()
            self.done.hide()
        layout.addWidget(self.countdown)

    def show_printing(self, state: CertState) -> None:
        self.title.setText(tr("Printing your certificate…"))
        self.hint.setText(
            tr("Please wait: the A4 printer is working.")
            if state.output == "a4"
            else tr("Please wait: the slip is being printed.")
        )
        self.countdown.setText("")

    def show_done(self, state: CertState) -> None:
        self.title.setText(tr("Please take your printout"))
        self.hint.setText(
            tr("Take the printed certificate from the printer below the screen.")
            if state.output == "a4"
            else tr("Take the slip from the slot below the screen.")
        )
        self.back.setText(tr("Print another"))
        self.back.setVisible(bool(state.certificates))
        self.done.setText(tr("Done"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))


@dataclass
class _SlipJob:
    """A thermal job waiting for its PRINTED event: what to record, and whom to tell."""

    kind: PrintKind
    reference: str
    id_number: str
    on_printed: Callable[[], None]
    on_failed: Callable[[BaseException], None]
    told: bool = False


class CertificatesPage(KioskScreen):
    """Find, list, printing and done; drawn from :class:`CertState`."""

    def __init__(
        self,
        prints: KioskPrints,
        runner: TaskRunner,
        print_runner: TaskRunner,
        *,
        on_leave: Callable[[], None],
        a4: A4Printer | None = None,
        thermal: tuple[PrintJobBuilder, PrintQueue] | None = None,
        report_device: ReportDevice | None = None,
        idle_seconds: int = 60,
        speaker: Speaker | None = None,
        voice_on: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.prints = prints
        self.runner, self.print_runner = runner, print_runner
        self.a4 = a4
        self.thermal = thermal
        self.speaker = speaker
        self._report = report_device
        self._on_leave = on_leave
        self._a4_trouble = False
        self._warmed = False
        self._was_active = False
        self._slips: dict[str, _SlipJob] = {}
        self._lock = threading.Lock()
        self.language = "zh_CN"
        self.reader_available = True
        self.flow = CertPrintFlow(
            self,
            idle_seconds=idle_seconds,
            output=self.output,
            clock=clock,
            today=today,
            voice_on=voice_on,
        )
        self.reprints = ReceiptReprints(self, available=lambda: self.thermal is not None)
        self.on_reprints: Callable[[dict[str, ReprintStatus]], None] = lambda _: None
        self.find_page = _FindPage(self.flow)
        self.searching_page = _WordsPage(self.flow, with_buttons=False)
        self.list_page = _ListPage(self.flow)
        self.printing_page = _WordsPage(self.flow, with_buttons=False)
        self.done_page = _WordsPage(self.flow, with_buttons=True)
        self.pages: dict[CertScreen, QWidget] = {
            CertScreen.FIND: self.find_page,
            CertScreen.SEARCHING: self.searching_page,
            CertScreen.LIST: self.list_page,
            CertScreen.PRINTING: self.printing_page,
            CertScreen.DONE: self.done_page,
        }
        self.stack = page_stack(self, self.pages.values())

    def output(self) -> str:
        """What a print comes out of: the A4 printer when there is one, else the slip."""
        if self.a4 is not None:
            return "a4"
        return "slip" if self.thermal is not None else ""

    # ------------------------------------------------------------------ drawing

    def set_landscape(self, landscape: bool) -> None:
        self.find_page.set_landscape(landscape)

    def show_state(self, state: KioskState) -> None:
        self.language = state.language
        self.reader_available = state.reader_configured and not state.reader_out
        self.show_certificates(self.flow.state)

    def show_certificates(self, state: CertState) -> None:
        if state.active and not self._was_active:
            self._check_a4()
        self._was_active = state.active
        # PRINTING is a page of its own: a second tap cannot reach a Print button.
        turn_to(self.stack, self.pages[state.screen])
        if state.screen is CertScreen.FIND:
            self.find_page.show_cert(state, self.reader_available)
        elif state.screen is CertScreen.SEARCHING:
            self.searching_page.title.setText(tr("Looking up your certificates…"))
            self.searching_page.hint.setText("")
            self.searching_page.countdown.setText("")
        elif state.screen is CertScreen.LIST:
            self.list_page.show_cert(state)
        elif state.screen is CertScreen.PRINTING:
            self.printing_page.show_printing(state)
        else:
            self.done_page.show_done(state)

    # ------------------------------------------------------------------ CertPorts

    def find_certificates(self, request: FindRequest) -> None:
        prints = self.prints
        if not self._warmed and self.a4 is not None:
            # reportlab, the CJK font and its subsetter load on the print worker while the
            # citizen reads the list (~1 s the first time), not after they tap 打印.
            self._warmed = True
            self.print_runner.submit(_warm_pdf, None, lambda _e: None)
        self.runner.submit(
            lambda: prints.certificates(request.id_number),
            lambda found: self.flow.found(request.request_id, found),
            lambda error: self.flow.find_failed(request.request_id, error),
        )

    def print_certificate(self, request: PrintRequest) -> None:
        if request.output == "slip":
            self._print_slip(request)
            return
        a4, prints = self.a4, self.prints
        assert a4 is not None
        cert = request.certificate
        holder = request.holder

        def work() -> None:
            # reportlab on the first print, not at the kiosk's start (cold start budget).
            from common.documents.certificate_print import self_print_pdf

            data = prints.certificate_data(cert, holder.name, holder.id_number, request.today)
            pdf = self_print_pdf(data, printed_on=request.today, station=prints.station)
            a4.print_pdf(pdf, f"{cert.title}-{cert.identifier}")
            # Printed: record it (once). A record that fails now is logged for staff; the
            # citizen has the paper and is not asked to print it again.
            try:
                prints.record(PrintKind.CERTIFICATE, cert.identifier, holder.id_number, output="a4")
            except Exception:
                log.exception("certificate printed at A4 but the print record failed")

        def done(_: object) -> None:
            self._a4_state(None)
            self.flow.printed(request.request_id)

        def failed(error: BaseException) -> None:
            if isinstance(error, PrinterError):
                self._a4_state(error)
            self.flow.print_failed(request.request_id, error)

        self.print_runner.submit(work, done, failed)

    def _check_a4(self) -> None:
        """Each time 证照打印 opens: an A4 printer that went offline or ran dry since the last
        print reaches the manager's alert strip before a citizen taps 打印."""
        a4 = self.a4
        if a4 is None or self._report is None:
            return

        def ask() -> PrinterError | None:
            status = a4.status()
            if status.state.can_print or status.state is PrinterState.UNKNOWN:
                return None
            error = PaperOutError if status.state is PrinterState.PAPER_OUT else PrinterOfflineError
            return error(status.detail)

        self.print_runner.submit(ask, self._a4_state, lambda _e: None)

    def _a4_state(self, error: PrinterError | None) -> None:
        """Tell the hall manager when the A4 printer gets into trouble, and when it is back."""
        if self._report is None or self.a4 is None:
            return
        if error is not None:
            self._a4_trouble = True
            log.warning("A4 printer: %s", error.state.value)
            self._report(A4_DEVICE, error.state.value, str(error), True)
        elif self._a4_trouble:
            self._a4_trouble = False
            self._report(A4_DEVICE, PrinterState.READY.value, "", False)

    # ------------------------------------------------------------------ the thermal printer

    def _thermal_ready(self) -> BaseException | None:
        """Why a slip cannot be queued now, or None. A job of ours still waiting (paper ran out
        after it was queued) blocks a new one: it prints once the paper is back, and a second
        tap must not make it two."""
        assert self.thermal is not None
        _, queue = self.thermal
        with self._lock:
            waiting = any(
                job_id in self._slips for job_id in (j.job_id for j in queue.pending_jobs())
            )
        status = queue.printer_status
        if waiting or status.state is PrinterState.PAPER_OUT:
            return PaperOutError(status.detail or "slip waiting for paper")
        if status.state in (PrinterState.OFFLINE, PrinterState.UNREACHABLE):
            return PrinterOfflineError(status.detail)
        return None

    def _queue_slip(self, build: Callable[[], PrintJob], slip: _SlipJob) -> None:
        """Build on the print runner, queue, and wait for the queue's event for this job."""
        assert self.thermal is not None
        _, queue = self.thermal
        refusal = self._thermal_ready()
        if refusal is not None:
            slip.on_failed(refusal)
            return

        def work() -> str:
            job = build()
            with self._lock:
                self._slips[job.job_id] = slip
                while len(self._slips) > 50:  # bounded; old ones can no longer report
                    self._slips.pop(next(iter(self._slips)))
            return queue.submit(job)

        def failed(error: BaseException) -> None:
            slip.on_failed(error)

        self.print_runner.submit(work, None, failed)

    def _print_slip(self, request: PrintRequest) -> None:
        assert self.thermal is not None
        builder, _ = self.thermal
        prints, cert, holder = self.prints, request.certificate, request.holder

        def build() -> PrintJob:
            from common.documents.certificate_print import self_print_slip_layout

            data = prints.certificate_data(cert, holder.name, holder.id_number, request.today)
            layout = self_print_slip_layout(
                data, builder.paper, printed_on=request.today, station=prints.station
            )
            return builder.job(layout)

        self._queue_slip(
            build,
            _SlipJob(
                PrintKind.CERTIFICATE,
                cert.identifier,
                holder.id_number,
                lambda: self.flow.printed(request.request_id),
                lambda error: self.flow.print_failed(request.request_id, error),
            ),
        )

    def on_print_event(self, event: PrintEvent) -> None:
        """From the window (GUI thread): our slips' outcomes."""
        if event.job_id is None:
            return
        with self._lock:
            slip = self._slips.get(event.job_id)
        if slip is None:
            return
        if event.kind is PrintEventKind.PRINTED:
            with self._lock:
                self._slips.pop(event.job_id, None)
            prints = self.prints

            def record() -> None:
                prints.record(slip.kind, slip.reference, slip.id_number, output="slip")

            def recorded(_: object) -> None:
                slip.on_printed()

            def not_recorded(error: BaseException) -> None:
                log.error("slip printed but the print record failed", exc_info=error)
                slip.on_printed()

            self.runner.submit(record, recorded, not_recorded)
        elif event.kind in (PrintEventKind.WAITING, PrintEventKind.FAILED) and not slip.told:
            # It stays queued and prints (once) when staff fix the printer; it is recorded then.
            slip.told = True
            state = event.status.state
            slip.on_failed(
                PaperOutError(event.message)
                if state is PrinterState.PAPER_OUT
                else PrinterOfflineError(event.message)
            )

    # ------------------------------------------------------------------ 补打回执

    def reprint_receipt(self, request: ReprintRequest) -> None:
        assert self.thermal is not None
        builder, _ = self.thermal
        prints, holder = self.prints, request.holder

        def build() -> PrintJob:
            return builder.receipt(prints.receipt(holder.id_number, request.number))

        self._queue_slip(
            build,
            _SlipJob(
                PrintKind.RECEIPT,
                request.number,
                holder.id_number,
                lambda: self.reprints.reprinted(request.request_id),
                lambda error: self.reprints.reprint_failed(request.request_id, error),
            ),
        )

    def show_reprints(self, statuses: dict[str, ReprintStatus]) -> None:
        self.on_reprints(statuses)

    # ------------------------------------------------------------------ voice and leaving

    def speak_cert(self, prompt: CertPrompt, state: CertState) -> None:
        say(self.speaker, self.language, self.prompt_text(prompt, state))

    def prompt_text(self, prompt: CertPrompt, state: CertState) -> str:
        """What is said aloud: the page's words, never a number or a name."""
        if prompt is CertPrompt.FIND:
            return tr("Place your ID card on the reader to see your e-certificates.")
        if prompt is CertPrompt.LIST:
            return tr("Your e-certificates are on the screen. Tap Print beside the one you need.")
        if prompt is CertPrompt.PRINTING:
            return tr("Printing your certificate…")
        if prompt is CertPrompt.DONE:
            return tr("Please take your printout")
        return cert_message_text(state.message)

    def leave_certificates(self) -> None:
        self._on_leave()
