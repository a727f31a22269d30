"""The hall manager's device alerts without widgets: a snapshot at login plus the event stream.

:class:`DeviceAlertBoard` holds the devices that need attention (设备告警), keyed by station and
device. It starts from :meth:`~common.queue.service.QueueService.device_alerts` and then follows
the queue's ``device`` events, each of which carries the device's whole new state
(``{station, device, state, attention}``), so applying one is idempotent.

The snapshot and the stream are read on different threads, so their order is not known. The
snapshot is therefore taken together with the last event id *before* it (``as_of``): every
event up to that id is already reflected in the table, so such events are ignored, and events
that arrive before the snapshot lands are kept and replayed over it in id order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from common.queue.events import QueueEventRecord
from common.queue.service import DeviceAlert, QueueService

__all__ = ["DEVICE_EVENT", "DeviceAlertBoard", "DeviceAlertSnapshot", "read_snapshot"]

DEVICE_EVENT = "device"


@dataclass(frozen=True)
class DeviceAlertSnapshot:
    """What the table said, and the last event id known to be reflected in it."""

    as_of: int
    alerts: tuple[DeviceAlert, ...]


def read_snapshot(queue: QueueService) -> DeviceAlertSnapshot:
    """Database reads: call on the TaskRunner, never on the GUI thread.

    The event id is read first: any event at or below it was committed with its device_status
    row, so the table read after it reflects that event (or a later one).
    """
    as_of = queue.last_event_id()
    return DeviceAlertSnapshot(as_of, tuple(queue.device_alerts()))


class DeviceAlertBoard:
    """Devices needing attention, oldest first; ``apply``/``load`` say whether anything changed."""

    def __init__(self) -> None:
        self._alerts: dict[tuple[str, str], DeviceAlert] = {}
        self._as_of: int | None = None  # None: the snapshot has not landed yet
        self._early: list[QueueEventRecord] = []

    @property
    def loaded(self) -> bool:
        return self._as_of is not None

    @property
    def alerts(self) -> list[DeviceAlert]:
        return sorted(self._alerts.values(), key=lambda a: (a.since, a.station, a.device))

    def load(self, snapshot: DeviceAlertSnapshot) -> bool:
        before = self.alerts
        self._alerts = {(a.station, a.device): a for a in snapshot.alerts}
        self._as_of = snapshot.as_of
        early, self._early = self._early, []
        self._apply(sorted(early, key=lambda e: e.id))
        return self.alerts != before

    def apply(self, batch: Iterable[QueueEventRecord]) -> bool:
        """Follow ``device`` events; other kinds are ignored."""
        devices = [e for e in batch if e.kind == DEVICE_EVENT]
        if not devices:
            return False
        if self._as_of is None:
            self._early.extend(devices)
            return False
        before = self.alerts
        self._apply(devices)
        return self.alerts != before

    def _apply(self, events: Sequence[QueueEventRecord]) -> None:
        assert self._as_of is not None
        for event in events:
            if event.id <= self._as_of:
                continue  # already in the snapshot
            station = str(event.data.get("station", ""))
            device = str(event.data.get("device", ""))
            key = (station, device)
            if event.data.get("attention"):
                state = str(event.data.get("state", ""))
                known = self._alerts.get(key)
                # The event carries no message: keep the one read from the table while the state
                # is the same; a new state's old message would mislead.
                message = known.message if known is not None and known.state == state else ""
                self._alerts[key] = DeviceAlert(station, device, state, message, _aware(event.at))
            else:
                self._alerts.pop(key, None)


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
