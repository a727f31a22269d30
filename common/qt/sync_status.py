"""The sync worker's status on the GUI thread: :class:`QtSyncStatus`, an adapter on the one
bridge (:class:`common.qt.bridge.QtBridge`).

The worker (:class:`common.sync.worker.SyncWorker`) runs on its own thread and calls a plain
listener after every round; the adapter relays it as :attr:`QtSyncStatus.status_changed` on the
GUI thread. ``attach()`` starts the worker, ``detach()`` — also on ``aboutToQuit`` — stops and
joins it (each HTTP call has a time-out, so the join is bounded).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from common.qt.bridge import QtBridge
from common.sync.worker import SyncWorker

__all__ = ["QtSyncStatus"]


class QtSyncStatus(QtBridge):
    """Relays :class:`~common.sync.worker.SyncStatus` from the worker thread to the GUI."""

    status_changed = Signal(object)  # SyncStatus

    def __init__(
        self, worker: SyncWorker, parent: QObject | None = None, *, stop_timeout: float = 15.0
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.stop_timeout = stop_timeout

    def wake(self) -> None:
        """Start a round now (a case was just accepted)."""
        self.worker.wake()

    def _subscribe(self) -> None:
        # Runs on the worker's thread: the relay only posts to the GUI thread.
        self.worker.on_status = self.relay(self.status_changed)
        self.worker.start()

    def _unsubscribe(self) -> None:
        self.worker.on_status = None
        self.worker.stop(self.stop_timeout)
