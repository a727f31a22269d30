"""The hall manager's alert strip: devices that need attention, across the top of the counter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from common.qt.i18n import fill
from common.queue.service import DeviceAlert

__all__ = ["DeviceAlertStrip"]


class DeviceAlertStrip(QFrame):
    """One line per device needing attention (设备告警), e.g. "kiosk-1：打印机缺纸  10:05".

    Hidden while nothing needs attention. It only renders:
    :class:`counter.device_alerts.DeviceAlertBoard` decides what is listed.
    """

    def __init__(
        self,
        tz: dt.tzinfo,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("deviceAlerts")
        self._tz = tz
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._alerts: list[DeviceAlert] = []
        self.heading = QLabel()
        self.heading.setObjectName("deviceAlertsHeading")
        self._lines = QVBoxLayout()
        self._lines.setSpacing(2)
        self._labels: list[QLabel] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.heading)
        layout.addLayout(self._lines, 1)
        self.setVisible(False)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Device alerts"))
        self.show_alerts(self._alerts)

    def show_alerts(self, alerts: Sequence[DeviceAlert]) -> None:
        self._alerts = list(alerts)
        while len(self._labels) < len(self._alerts):
            label = QLabel()
            label.setObjectName("deviceAlert")
            self._lines.addWidget(label)
            self._labels.append(label)
        for label, alert in zip(self._labels, self._alerts, strict=False):
            label.setText(self.line(alert))
            label.setToolTip(alert.message)
            label.setVisible(True)
        for label in self._labels[len(self._alerts) :]:
            label.setVisible(False)
        # Hidden, not just empty: window staff and a quiet hall get the full height back.
        self.setVisible(bool(self._alerts))

    @property
    def lines(self) -> list[str]:
        return [label.text() for label in self._labels[: len(self._alerts)]]

    def line(self, alert: DeviceAlert) -> str:
        device = self._device_name(alert.device)
        state = self._state_name(alert.state)
        station = self.tr("Central server") if alert.station == "central" else alert.station
        return fill(self.tr("%1: %2 %3  (%4)"), station, device, state, self._when(alert.since))

    def _device_name(self, device: str) -> str:
        names = {
            "printer": self.tr("printer"),
            "reader": self.tr("ID card reader"),
            "sync": self.tr("sync"),
        }
        return names.get(device, device)

    def _state_name(self, state: str) -> str:
        names = {
            "paper_out": self.tr("out of paper"),
            "paper_near_end": self.tr("paper low"),
            "offline": self.tr("offline"),
            "unreachable": self.tr("not connected"),
            "unknown": self.tr("status unknown"),
            "reader_gone": self.tr("not connected"),
            "backlog": self.tr("not sent for too long"),
            "parked": self.tr("refused by the server"),
        }
        return names.get(state, state)

    def _when(self, since: dt.datetime) -> str:
        local = since.astimezone(self._tz)
        if local.date() == self._now().astimezone(self._tz).date():
            return local.strftime("%H:%M")
        return local.strftime("%m-%d %H:%M")  # still out since an earlier day: say which
