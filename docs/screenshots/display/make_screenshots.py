"""Regenerate the hall display screenshots: python docs/screenshots/display/make_screenshots.py"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from common.config import settings_from_dict  # noqa: E402
from common.db.engine import HallDatabase, make_engine  # noqa: E402
from common.db.migrate import upgrade  # noqa: E402
from common.qt.i18n import Translations  # noqa: E402
from common.qt.theme import apply_theme, cjk_family  # noqa: E402
from common.qt.worker import TaskRunner  # noqa: E402
from common.queue.service import FixedClock, QueueService  # noqa: E402
from kiosk.display.window import DisplayWindow  # noqa: E402

AT = dt.datetime(2026, 11, 23, 10, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
COLUMNS = [
    {"title": "综合受理", "title_en": "General", "services": ["A"]},
    {"title": "投资·商事·不动产·公安", "services": ["B", "C", "D", "E"]},
    {"title": "公积金·税务·社保·社会事务", "services": ["F", "G", "H", "J"]},
]


def main() -> None:
    from common.qt.pyside_compat import protect_singletons

    protect_singletons()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "display")
    translations = Translations(app, ("display",))
    translations.set_language("zh_CN")
    settings = settings_from_dict(
        {
            "hours": [["00:00", "23:59:59"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "screenshots"},
            "display": {"columns": COLUMNS},
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        db = HallDatabase(make_engine(f"sqlite:///{tmp}/hall.db"))
        upgrade(db.engine)
        clock = FixedClock(AT - dt.timedelta(minutes=40))
        queue = QueueService(db, settings, clock)
        queue.sync_from_settings()
        for prefix in "AAAAAABBCCDDEEFFGGHHJAAAACDEGH" * 2:
            queue.issue(prefix)
            clock.advance(seconds=40)
        for window in (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3):
            queue.call_next(window)
            clock.advance(seconds=30)
        window = DisplayWindow(settings, queue, TaskRunner(inline=True), now=lambda: AT, font_family=cjk_family())
        window.start()
        out = Path(__file__).resolve().parent
        for w, h in ((1920, 1080), (3840, 2160), (1080, 1920), (1280, 720)):
            window.resize(w, h)
            window.show()
            for _ in range(5):
                app.processEvents()
            window.grab().save(str(out / f"display-{w}x{h}.png"))
            print("wrote", out / f"display-{w}x{h}.png")
        window.close()
        db.dispose()


if __name__ == "__main__":
    main()
