"""The ticket (您的号码): number, people ahead and estimated wait, large; printing state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from common.db.models import Priority
from common.qt.i18n import fill
from kiosk.flow import KioskFlow, KioskState, PrintState
from kiosk.screens.base import KioskScreen, centred, centred_row
from kiosk.texts import green_reason_text, service_name, tr
from kiosk.widgets import TouchButton, label

__all__ = ["TicketScreen"]


class TicketScreen(KioskScreen):
    """Shown for ``ticket_show_seconds`` (longer when the printer is in trouble), then home."""

    def __init__(self, flow: KioskFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = centred("subtitle")
        self.caption = centred("caption")
        self.number = centred("bigNumber", wrap=False)
        self.tag = centred("greenTag")
        self.ahead = centred("ahead")
        self.wait = centred("waitLine")
        self.holder = centred("hint")
        self.print_status = centred("printStatus")
        self.trouble = QFrame()
        self.trouble.setObjectName("troubleBox")
        self.trouble_title = centred("troubleTitle")
        self.trouble_text = label("troubleText", align=Qt.AlignmentFlag.AlignLeft)
        box = QVBoxLayout(self.trouble)
        box.addWidget(self.trouble_title)
        box.addWidget(self.trouble_text)
        self.reprint = TouchButton("", "secondary")
        self.reprint.clicked.connect(flow.tap_reprint)
        self.done = TouchButton("", "primary")
        self.done.clicked.connect(flow.done)
        self.countdown = centred("countdown")
        number_box = QVBoxLayout()
        number_box.addStretch(1)
        for top in (self.service, self.caption, self.number):
            number_box.addWidget(top)
        number_box.addLayout(centred_row(self.tag))
        number_box.addStretch(1)
        detail_box = QVBoxLayout()
        detail_box.addStretch(1)
        for detail in (self.ahead, self.wait, self.holder, self.print_status, self.trouble):
            detail_box.addWidget(detail)
        detail_box.addStretch(1)
        # Portrait: number above the details; landscape: side by side, so nothing is squeezed
        # off a 1080-pixel-high panel in large print.
        layout = self.page((32, 16, 32, 16), spacing=10)
        layout.addLayout(self.turning_body(number_box, detail_box, spacing=10), 1)
        layout.addLayout(centred_row(self.reprint, self.done))
        layout.addWidget(self.countdown)

    def show_state(self, state: KioskState) -> None:
        t = state.ticket
        if t is None:
            return
        self.service.setText(service_name(t, state.language))
        self.caption.setText(tr("Your number"))
        self.number.setText(t.number)
        green = t.priority is Priority.GREEN
        appointment = t.priority is Priority.APPOINTMENT
        self.tag.setVisible(green or appointment)
        if green:
            self.tag.setText(tr("Green channel") + " · " + green_reason_text(t.green_reason))
        elif appointment:  # 预约签到: the tag and the booked slot, as on the paper
            slot = t.appointment_slot.replace("-", "–")
            self.tag.setText(tr("Appointment") + (f" · {slot}" if slot else ""))
        ahead = fill(tr("%1 people ahead of you"), t.people_ahead)
        self.ahead.setText(ahead)
        self.wait.setText(fill(tr("Estimated wait about %1 minutes"), t.estimated_wait_minutes))
        self.holder.setVisible(bool(t.holder_masked))
        self.holder.setText(fill(tr("Holder: %1"), t.holder_masked))
        trouble = state.print_state is PrintState.TROUBLE
        self.trouble.setVisible(trouble)
        self.reprint.setVisible(trouble)
        if state.print_state is PrintState.PRINTED:
            self.print_status.setText(tr("Please take your ticket below."))
        elif trouble:
            self.print_status.setText("")
        else:
            self.print_status.setText(tr("Printing your ticket…"))
        self.print_status.setVisible(not trouble)
        self.trouble_title.setText(tr("The ticket printer is not working right now"))
        self.trouble_text.setText(
            "\n".join(
                (
                    "① " + tr("Please take a photo of this screen to keep your number."),
                    "② " + tr("Or ask at the service desk for a printed copy."),
                    "③ " + tr("Your number is valid; staff have been told."),
                )
            )
        )
        self.reprint.setText(tr("Print again"))
        self.done.setText(tr("Done"))
        self.countdown.setText(fill(tr("Back to the start in %1 s"), state.seconds_left))
