"""A real counter process for the concurrency test: logs in, presses "call next" N times.

Run as ``python -m tests.counter._counter_proc CONFIG WINDOW PRESSES``; prints how many calls it
made. Uses the real CallPanel with a threaded TaskRunner and the hall database from CONFIG.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from common.bootstrap import open_hall
from common.qt.pyside_compat import protect_singletons
from common.qt.worker import TaskRunner
from common.staff import authenticate
from counter.call_panel import CallPanel
from counter.session import Action, CounterSession


class PressOn:
    """The clerk answers Yes when a call-next would finish a ticket called seconds ago: this
    process presses as fast as it can on purpose (the guard itself is tested elsewhere)."""

    def confirm_call_next(self, parent: object, number: str, seconds_ago: int) -> bool:
        return True

    def transfer_target(self, parent: object, number: str, services: object) -> str | None:
        return None

    def pause_reason(self, parent: object) -> str | None:
        return None


def main() -> int:
    config, window, presses = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    protect_singletons()
    app = QApplication([])
    hall = open_hall(config)
    staff = authenticate(hall.db, f"w{window}", f"window{window}", station=f"proc-{window}")
    runner = TaskRunner(app)
    panel = CallPanel(hall.queue, CounterSession(staff, window), runner, prompts=PressOn())
    done = {"presses": 0, "idle": 0}

    def press() -> None:
        if done["presses"] >= presses or done["idle"] > 200:
            app.quit()
            return
        if panel.busy or panel.status is None:
            QTimer.singleShot(5, press)
            return
        if Action.CALL_NEXT in panel.legal:
            done["presses"] += 1
            panel.call_next()
        else:
            done["idle"] += 1
            panel.refresh()
        QTimer.singleShot(5, press)

    panel.refresh()
    QTimer.singleShot(0, press)
    app.exec()
    runner.wait()
    hall.close()
    print(done["presses"], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
