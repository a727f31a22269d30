"""The counter's status bar: ID card reader, printer, hall database, central sync."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from common.devices.idcard.reader import ReaderStatus
from common.qt.i18n import fill
from common.sync.worker import SyncStatus

__all__ = ["CounterStatusBar"]

# Levels drive the colour through the QSS (`level` property): ok, warn, error, off.
_READER_LEVEL = {
    ReaderStatus.READY: "ok",
    ReaderStatus.NO_CARD: "ok",
    ReaderStatus.READING: "ok",
    ReaderStatus.CARD_REMOVED: "ok",
    ReaderStatus.CARD_EXPIRED: "warn",
    ReaderStatus.READ_FAILED: "warn",
    ReaderStatus.CONNECTING: "warn",
    ReaderStatus.READER_GONE: "error",
    ReaderStatus.STOPPED: "off",
}
# Printer states by their PrinterState values: importing the printer package here would load
# python-escpos into every counter, printer or not.
_PRINTER_LEVEL = {
    "ready": "ok",
    "paper_near_end": "warn",
    "unknown": "warn",
    "paper_out": "error",
    "offline": "error",
    "unreachable": "error",
}


class CounterStatusBar(QStatusBar):
    """Four labelled indicators; central sync is a placeholder until the sync issue lands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterStatus")
        self.setSizeGripEnabled(False)
        self.reader = self._indicator("readerStatus")
        self.printer = self._indicator("printerStatus")
        self.database = self._indicator("databaseStatus")
        self.central = self._indicator("centralStatus")
        self._reader_state = (ReaderStatus.STOPPED, "")
        self._printer_state = ("unknown", "")
        self._db_state: tuple[bool, str] = (True, "")
        self._central_state = ("off", "")
        self._sync_state: tuple[SyncStatus, dt.datetime, dt.tzinfo] | None = None
        self._backlog: int | None = None  # unsent outbox rows while no sync worker reports
        self.retranslate()

    def _indicator(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setProperty("indicator", "true")
        self.addPermanentWidget(label)
        return label

    @staticmethod
    def _set(label: QLabel, text: str, level: str, tip: str = "") -> None:
        label.setText(text)
        label.setToolTip(tip)
        label.setProperty("level", level)
        label.style().unpolish(label)
        label.style().polish(label)

    def retranslate(self) -> None:
        self.set_reader(*self._reader_state)
        self.set_printer(*self._printer_state)
        self.set_database(*self._db_state)
        if self._sync_state is not None:
            self.set_sync(*self._sync_state)
        else:
            self.set_central(*self._central_state)
            if self._backlog is not None:
                self.set_outbox_backlog(self._backlog)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_reader(self, status: ReaderStatus, message: str = "") -> None:
        self._reader_state = (status, message)
        words = {
            "ok": self.tr("ready"),
            "warn": self.tr("check card"),
            "error": self.tr("not connected"),
            "off": self.tr("none"),
        }
        level = _READER_LEVEL.get(status, "warn")
        if status is ReaderStatus.CONNECTING:
            words["warn"] = self.tr("connecting")
        self._set(self.reader, fill(self.tr("Reader: %1"), words[level]), level, message)

    def set_printer(self, state: str, message: str = "") -> None:
        self._printer_state = (state, message)
        words = {
            "ready": self.tr("ready"),
            "paper_near_end": self.tr("paper low"),
            "unknown": self.tr("unknown"),
            "paper_out": self.tr("out of paper"),
            "offline": self.tr("offline"),
            "unreachable": self.tr("not connected"),
        }
        self._set(
            self.printer,
            fill(self.tr("Printer: %1"), words.get(state, state)),
            _PRINTER_LEVEL.get(state, "warn"),
            message,
        )

    def set_database(self, reachable: bool, message: str = "") -> None:
        self._db_state = (reachable, message)
        text = self.tr("Database: connected") if reachable else self.tr("Database: unreachable")
        self._set(self.database, text, "ok" if reachable else "error", message)

    def set_central(self, state: str, message: str = "") -> None:
        """Central sync (a later issue): "off" until the sync worker reports."""
        self._central_state = (state, message)
        words = {
            "ok": self.tr("up to date"),
            "warn": self.tr("pending"),
            "error": self.tr("failing"),
            "off": self.tr("not set up"),
        }
        self._set(
            self.central,
            fill(self.tr("Central sync: %1"), words.get(state, state)),
            state,
            message,
        )

    def set_sync(self, status: SyncStatus, now: dt.datetime, tz: dt.tzinfo) -> None:
        """The central sync slot from the sync worker: backlog, age of the oldest unsent row,
        last success (the tooltip adds parked rows and the last error)."""
        self._sync_state = (status, now, tz)
        if not status.configured:
            self.set_central("off")
            return
        last = (
            "-"
            if status.last_success_at is None
            else status.last_success_at.astimezone(tz).strftime("%H:%M")
        )
        tip = fill(self.tr("Last success: %1"), last)
        if status.parked:
            tip += "\n" + fill(
                self.tr("Refused by the server: %1 (see the manager)"), str(status.parked)
            )
        if status.last_error:
            tip += "\n" + status.last_error
        age = status.oldest_age(now)
        if status.backlog == 0 or age is None:
            level = "warn" if status.parked or status.last_success_at is None else "ok"
            text = fill(self.tr("Central sync: up to date (%1)"), last)
        else:
            level = "error" if status.last_error else "warn"
            text = fill(
                self.tr("Central sync: %1 pending, oldest %2 min, last success %3"),
                str(status.backlog),
                str(int(age.total_seconds() // 60)),
                last,
            )
        self._set(self.central, text, level, tip)

    def set_outbox_backlog(self, count: int) -> None:
        """Unsent outbox rows (cases, ratings) when no sync worker reports — a hall without a
        central server still sees how many changes wait; the worker's report takes precedence."""
        self._backlog = count
        if self._sync_state is not None and self._sync_state[0].configured:
            return
        if count <= 0:
            self.set_central(self._central_state[0], self._central_state[1])
            return
        text = fill(self.tr("Central sync: not set up, %1 waiting"), str(count))
        self._set(self.central, text, "warn", self._central_state[1])

    @property
    def texts(self) -> dict[str, str]:
        return {
            "reader": self.reader.text(),
            "printer": self.printer.text(),
            "database": self.database.text(),
            "central": self.central.text(),
        }
