"""Queue events as Qt signals, through the one bridge (:mod:`common.qt.bridge`, STYLE.md habit 3).

:class:`QueueEventBridge` owns a :class:`~common.queue.events.QueueEventFollower` and relays what
it reports. The follower calls us on its own thread; the bridge re-emits on the GUI thread, so
every slot connected to ``events`` / ``connection_changed`` runs there and may touch widgets.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from common.qt.bridge import QtBridge
from common.queue.events import QueueEventFollower, QueueEventRecord
from common.queue.service import QueueService

__all__ = ["QueueEventBridge"]


class QueueEventBridge(QtBridge):
    """Queue event stream as Qt signals: ``events(list[QueueEventRecord])``, ``connection_changed``.

    ``attach()`` starts the follower thread; ``detach()`` (also on ``aboutToQuit``) joins it.
    ``start()`` / ``stop()`` are the same, under the names the display already uses.
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
        # Each batch is a new list the follower never changes again: safe to hand across.
        self.follower.add_callbacks(self.relay(self.events), self.relay(self.connection_changed))

    @property
    def connected(self) -> bool:
        return self.follower.connected

    def _subscribe(self) -> None:
        self.follower.start()

    def _unsubscribe(self) -> None:
        self.follower.stop()

    def _accepts(self, emit: Any, args: tuple[Any, ...]) -> bool:
        return True  # poll_now() before attach() delivers too (start-up snapshot, tests)

    def start(self) -> None:
        self.attach()

    def stop(self) -> None:
        self.detach()
        self.follower.stop()  # also a follower some test started by hand

    def wake(self) -> None:
        self.follower.wake()

    def poll_now(self) -> list[QueueEventRecord]:
        """One synchronous round on this thread; on the GUI thread signals are emitted at once."""
        return self.follower.poll_once()
