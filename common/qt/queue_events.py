"""The one place queue events cross into Qt (STYLE.md habit 3).

:class:`QueueEventBridge` owns a :class:`~common.queue.events.QueueEventFollower` and re-emits
what it reports as Qt signals. The follower calls us on its own thread; emitting a signal of an
object that lives on the GUI thread makes Qt queue the delivery, so every slot connected to
``events`` / ``connection_changed`` runs on the GUI thread and may touch widgets.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal

from common.queue.events import QueueEventFollower, QueueEventRecord
from common.queue.service import QueueService

__all__ = ["QueueEventBridge"]


class QueueEventBridge(QObject):
    """Queue event stream as Qt signals: ``events(list[QueueEventRecord])``, ``connection_changed``.

    ``start()`` runs the follower thread; ``stop()`` (also called on ``aboutToQuit``) joins it.
    ``poll_now()`` fetches synchronously on the calling thread, for tests and start-up.
    """

    events = Signal(object)  # list[QueueEventRecord], in id order
    connection_changed = Signal(bool, str)

    def __init__(
        self,
        queue: QueueService,
        parent: QObject | None = None,
        *,
        start_after: int | None = None,
        poll_interval: float = 0.25,
        listen: bool = True,
    ) -> None:
        super().__init__(parent)
        self.follower = QueueEventFollower(
            queue, start_after=start_after, poll_interval=poll_interval, listen=listen
        )
        self.follower.add_callbacks(self._on_events, self._on_connection)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    @property
    def connected(self) -> bool:
        return self.follower.connected

    def start(self) -> None:
        self.follower.start()

    def stop(self) -> None:
        self.follower.stop()

    def wake(self) -> None:
        self.follower.wake()

    def poll_now(self) -> list[QueueEventRecord]:
        """One synchronous round on this thread; signals are emitted directly."""
        return self.follower.poll_once()

    # Called on the follower's thread: only emit, never touch anything else of ours.
    def _on_events(self, batch: Sequence[QueueEventRecord]) -> None:
        self.events.emit(list(batch))

    def _on_connection(self, connected: bool, message: str) -> None:
        self.connection_changed.emit(connected, message)
