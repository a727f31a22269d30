"""What the manager's desk screenshot scripts in this folder share: the offscreen Qt app with the
counter theme, the demo hall's settings, a throw-away SQLite hall, and the desk opened and
closed the same way each time.

The scripts import it by name: Python puts a script's own folder first on ``sys.path``.
Importing it also puts the checkout first, so the scripts draw this tree's code, not an
installed copy.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from common.clock import ManualClock
    from common.config import Settings
    from common.db.engine import HallDatabase
    from common.intake.cases import CaseService
    from common.queue.service import QueueService
    from counter.manager.desk import ManagerDesk
    from counter.session import CounterSession

SHOTS = ROOT / "docs" / "screenshots"
OUT = SHOTS / "counter" / "manager"
TZ = dt.timezone(dt.timedelta(hours=8))  # the demo hall's (Asia/Shanghai's) offset
SIZES = ((1366, 768), (1920, 1080))


def start_app() -> QApplication:
    """The (one) QApplication, offscreen, with the counter's theme."""
    from common.qt.pyside_compat import protect_singletons

    # Before PySide6 is imported: see common/qt/pyside_compat.
    protect_singletons()
    from PySide6.QtWidgets import QApplication

    from common.qt.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    return app


def settle(n: int = 5) -> None:
    """Let queued layouts, paints and inline tasks run before a grab."""
    from PySide6.QtWidgets import QApplication

    for _ in range(n):
        QApplication.processEvents()


def demo_settings(**hall: str) -> Settings:
    """The demo hall open round the clock every day, so any date and time in a script works."""
    from common.config import settings_from_dict

    return settings_from_dict(
        {
            "hours": [["00:00", "23:59:59"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "s", **hall},
        }
    )


@dataclass
class DemoHall:
    """A migrated SQLite hall in a temporary folder, its hand-moved clock and its queue."""

    db: HallDatabase
    clock: ManualClock
    queue: QueueService
    tmp: Path


@contextmanager
def demo_hall(settings: Settings, at: dt.datetime) -> Iterator[DemoHall]:
    """A new hall at ``at`` with the settings' services, removed afterwards."""
    from common.clock import ManualClock
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.queue.service import QueueService

    with tempfile.TemporaryDirectory() as tmp:
        db = HallDatabase(make_engine(f"sqlite:///{tmp}/hall.db"))
        upgrade(db.engine)
        clock = ManualClock(at)
        queue = QueueService(db, settings, clock)
        queue.sync_from_settings()
        yield DemoHall(db, clock, queue, Path(tmp))
        db.dispose()


def manager_session() -> CounterSession:
    """周敏, the hall manager, signed in at counter 1."""
    from common.db.models import Role
    from common.staff import StaffView
    from counter.session import CounterSession

    return CounterSession(StaffView(99, "mgr", "周敏", Role.MANAGER), 1, "counter-1")


def open_desk(
    hall: DemoHall,
    session: CounterSession,
    settings: Settings,
    size: tuple[int, int],
    *,
    english: bool,
    cases: CaseService | None = None,
) -> ManagerDesk:
    """The manager's desk shown at ``size``, its tasks run inline (not started yet)."""
    from common.qt.worker import TaskRunner
    from counter.manager.desk import ManagerDesk

    desk = ManagerDesk(
        hall.queue,
        session,
        cases=cases,
        runner=TaskRunner(inline=True),
        english=english,
        hall_name=settings.hall.name,
        now=lambda: hall.clock.at,
    )
    desk.resize(*size)
    desk.show()
    return desk


def save_reassign_dialog(desk: ManagerDesk, queue: QueueService, english: bool, path: Path) -> None:
    """调整业务 for window 5, offered every service the dashboard lists, saved to ``path``."""
    services = [(sv.prefix, sv.name_en if english else sv.name) for sv in desk.board.services or ()]
    current = dict(queue.window_status(5).services)
    dialog = desk.reassign_dialog(5, services, current)
    dialog.show()
    # Not adjustSize: it caps at 2/3 of the offscreen screen.
    dialog.resize(dialog.sizeHint())
    settle(3)
    dialog.grab().save(str(path))
    dialog.close()


def close_desk(desk: ManagerDesk) -> None:
    """Stop and delete a desk before the next one opens."""
    desk.stop()
    desk.close()
    desk.deleteLater()
    settle()
