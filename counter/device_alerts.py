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
from common.sync.worker import SyncStatus

__all__ = [
    "DEVICE_EVENT",
    "SYNC_STATION",
    "DeviceAlertBoard",
    "DeviceAlertSnapshot",
    "read_snapshot",
    "sync_alert",
]

DEVICE_EVENT = "device"
# The central sync's line on the strip (not a device of any station).
SYNC_STATION = "central"


def sync_alert(status: SyncStatus, now: dt.datetime, threshold: dt.timedelta) -> DeviceAlert | None:
    """The strip's line for a sync backlog older than the hall's threshold
    (``[central] alert_backlog_minutes``), or rows the server refused; None when all is well."""
    if status.overdue(now, threshold) and status.oldest_unsent_at is not None:
        detail = f"{status.backlog} unsent; {status.last_error}".strip("; ")
        return DeviceAlert(SYNC_STATION, "sync", "backlog", detail, status.oldest_unsent_at)
    if status.parked:
        return DeviceAlert(SYNC_STATION, "sync", "parked", f"{status.parked} refused", now)
    return None


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
        self._sync: DeviceAlert | None = None

    @property
    def loaded(self) -> bool:
        return self._as_of is not None

    @property
    def alerts(self) -> list[DeviceAlert]:
        listed = list(self._alerts.values()) + ([self._sync] if self._sync is not None else [])
        return sorted(listed, key=lambda a: (a.since, a.station, a.device))

    def set_sync(self, alert: DeviceAlert | None) -> bool:
        """The central sync's line (:func:`sync_alert`); whether the list changed."""
        changed = alert != self._sync
        self._sync = alert
        return changed

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
