"""Regenerate the hall display screenshots from the demo hall:

    .venv/bin/python docs/screenshots/display/make_screenshots.py

The hall is the one ``./scripts/demo`` runs (its TOML, services and windows, written into a
temporary folder, not your data folder), with a fixed morning of tickets and calls and a fixed
clock, so the pictures come out the same on every machine that has the same CJK font:

* ``display-WxH.png``: the demo hall at 1920×1080, 1280×720, 3840×2160 and portrait 1080×1920;
* ``display-columns-WxH.png``: the same hall with three columns of calls by service group, as
  a large hall configures them (``[display] columns``), landscape and portrait;
* ``display-call-ended-1920x1080.png``: after the called ticket is finished and its window
  pauses, the big call is blank rather than sending people to that window.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from common.cli.demo import DEMO_TOML  # noqa: E402
from common.config import Settings, load_settings, settings_from_dict  # noqa: E402
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
OUT = Path(__file__).resolve().parent


def demo_settings(folder: Path, **display: Any) -> Settings:
    """The demo hall's settings (its TOML as `onewindow demo` writes it), plus display keys."""
    toml = folder / "hall.toml"
    toml.write_text(
        DEMO_TOML.format(
            db=(folder / "hall.db").as_posix(),
            tickets=(folder / "tickets").as_posix(),
            reader=(folder / "reader").as_posix(),
        ),
        encoding="utf-8",
    )
    settings = load_settings(toml)
    if not display:
        return settings
    data = settings.model_dump(mode="json")
    data["display"] = {**data["display"], **display}
    return settings_from_dict(data)


def morning(settings: Settings, folder: Path) -> tuple[HallDatabase, QueueService]:
    db = HallDatabase(make_engine(f"sqlite:///{folder.as_posix()}/hall.db"))
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
    return db, queue


def shoot(
    app: QApplication,
    settings: Settings,
    queue: QueueService,
    name: str,
    sizes: list[tuple[int, int]],
) -> None:
    window = DisplayWindow(
        settings, queue, TaskRunner(inline=True), now=lambda: AT, font_family=cjk_family()
    )
    window.start()
    for w, h in sizes:
        window.resize(w, h)
        window.show()
        for _ in range(5):
            app.processEvents()
        path = OUT / f"{name}-{w}x{h}.png"
        window.grab().save(str(path))
        print("wrote", path)
    window.close()


def main() -> None:
    from common.qt.pyside_compat import protect_singletons

    protect_singletons()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "display")
    translations = Translations(app, ("display",))
    translations.set_language("zh_CN")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = demo_settings(folder)
        db, queue = morning(settings, folder)
        shoot(
            app, settings, queue, "display", [(1920, 1080), (3840, 2160), (1080, 1920), (1280, 720)]
        )
        columns = demo_settings(folder, columns=COLUMNS)
        shoot(
            app,
            columns,
            QueueService(db, columns, queue.clock),
            "display-columns",
            [(1920, 1080), (1080, 1920)],
        )
        # Window 3 finishes the ticket on the big call (A001 in this morning) and pauses.
        queue.finish(3)
        queue.pause(3, "午休")
        shoot(app, settings, queue, "display-call-ended", [(1920, 1080)])
        db.dispose()


if __name__ == "__main__":
    main()
