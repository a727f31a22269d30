"""The one bridge from plain-Python listeners to Qt signals (STYLE.md habit 3).

Queue events, the ID card reader, the print queue and (later) sync progress are plain Python:
they call their listeners on their own worker threads. Widgets may only be touched on the GUI
thread, and a Python callable connected to a signal that is emitted on a worker runs *on that
worker*. :class:`QtBridge` is the single place that problem is solved:

* :meth:`QtBridge.relay` turns one of the bridge's public signals into a plain callable that any
  thread may call. The call is posted to the bridge (a QObject living on the GUI thread) through
  an internal signal with ``AutoConnection``: from a worker Qt queues it onto the GUI thread's
  event loop; on the GUI thread itself it is delivered at once (so synchronous polls in tests
  and at start-up keep their order). The public signal is therefore only ever emitted on the
  GUI thread, and every slot or lambda connected to it runs there.
* :meth:`QtBridge.attach` / :meth:`QtBridge.detach` are the one listener API of every adapter:
  ``attach()`` subscribes to the plain-Python source (and starts it where the adapter owns a
  thread), ``detach()`` unsubscribes; ``detach()`` also runs on ``aboutToQuit``. Events still in
  the event queue after ``detach()`` are dropped (:meth:`QtBridge._accepts` may keep some, e.g.
  the reader's final "stopped").

The adapters: :class:`common.qt.queue_events.QueueEventBridge`,
:class:`common.qt.idcard.QtCardReader`, :class:`common.qt.print_events.QtPrintEvents`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, SignalInstance, Slot

__all__ = ["QtBridge"]


class QtBridge(QObject):
    """Base of every plain-Python → Qt adapter: signals that always fire on the GUI thread.

    Subclasses declare their public signals, subscribe relays in :meth:`_subscribe` and
    unsubscribe in :meth:`_unsubscribe`. Create the bridge on the GUI thread.
    """

    # (public signal's emit, args): the one crossing point. AutoConnection to a slot of this
    # object decides per emit: queued from another thread, direct on our own.
    _posted = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._attached = False
        self._posted.connect(self._deliver)
        app = QCoreApplication.instance()
        if app is not None:
            # Sources are unsubscribed (and their threads stopped) before Qt tears down.
            app.aboutToQuit.connect(self.detach)

    @property
    def attached(self) -> bool:
        return self._attached

    def relay(self, signal: SignalInstance) -> Callable[..., None]:
        """A plain callable, safe on any thread, that emits ``signal(*args)`` on the GUI thread."""
        post = self._posted.emit
        emit = signal.emit

        def relayed(*args: Any) -> None:
            # Runs on the source's thread: only post, never touch anything else of ours.
            post(emit, args)

        return relayed

    def attach(self) -> None:
        """Subscribe to the source (idempotent)."""
        if self._attached:
            return
        self._attached = True
        self._subscribe()

    @Slot()
    def detach(self) -> None:
        """Unsubscribe from the source (idempotent); events still queued are dropped."""
        if not self._attached:
            return
        self._attached = False
        self._unsubscribe()

    # -- for subclasses ----------------------------------------------------------------------

    def _subscribe(self) -> None:
        """Add this bridge's relays as listeners of the source."""

    def _unsubscribe(self) -> None:
        """Remove them again."""

    def _accepts(self, emit: Callable[..., None], args: tuple[Any, ...]) -> bool:
        """Whether an event that arrives now is delivered (default: only while attached)."""
        return self._attached

    @Slot(object, object)
    def _deliver(self, emit: Callable[..., None], args: tuple[Any, ...]) -> None:
        if self._accepts(emit, args):
            emit(*args)
