"""One way to do background I/O from the GUI (STYLE.md habits 7 and 8).

:class:`TaskRunner` runs plain callables (a queue-service call, a print job, an HTTP request) on a
worker thread and delivers the result or the exception back on the GUI thread through a queued
signal. Widgets never run database or device I/O on the GUI thread, and workers never touch
widgets. Tests swap in ``TaskRunner(inline=True)``, which runs the callable at once on the
calling thread, so flows are deterministic.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


def _gone(callback: Callable[..., Any] | None) -> bool:
    """True when ``callback`` is a bound method of a QObject whose C++ object is deleted."""
    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not shiboken6.isValid(owner)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits into it, Qt queues the call across threads."""

    done = Signal(int, object, object)  # task id, result, exception


class _Job(QRunnable):
    def __init__(self, relay: _Relay, task_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._relay, self._task_id, self._fn = relay, task_id, fn
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to the caller's on_error, never lost
            self._relay.done.emit(self._task_id, None, exc)
        else:
            self._relay.done.emit(self._task_id, result, None)


class TaskRunner(QObject):
    """Run callables off the GUI thread; callbacks run on the GUI thread.

    ``max_threads=1`` (the default) keeps database work in order, which is what a kiosk or a
    counter wants: a second tap waits for the first to finish instead of racing it.
    """

    def __init__(
        self, parent: QObject | None = None, *, inline: bool = False, max_threads: int = 1
    ) -> None:
        super().__init__(parent)
        self.inline = inline
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Callback | None, ErrorCallback | None]] = {}

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        """Run ``fn()``; then ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
        if self.inline:
            try:
                result = fn()
            except Exception as exc:
                self._report(exc, on_error)
            else:
                if on_done:
                    on_done(result)
            return
        task_id = next(self._ids)
        self._pending[task_id] = (on_done, on_error)
        self._pool.start(_Job(self._relay, task_id, fn))

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: object, exc: object) -> None:
        on_done, on_error = self._pending.pop(task_id, (None, None))
        if _gone(on_done) or _gone(on_error):
            # The widget that asked was closed while the work ran (a case list left before its
            # rows arrived): nobody is there to show the answer, and touching it would crash.
            log.debug("background task %d finished after its receiver was deleted", task_id)
            return
        if isinstance(exc, BaseException):
            self._report(exc, on_error)
        elif on_done:
            on_done(result)

    @staticmethod
    def _report(exc: BaseException, on_error: ErrorCallback | None) -> None:
        if on_error is None:
            log.error("background task failed", exc_info=exc)
        else:
            on_error(exc)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued work finishes (shutdown and tests)."""
        return self._pool.waitForDone(msecs)
