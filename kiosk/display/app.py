"""``onewindow-display``: the hall wall display (one entry point wires everything, STYLE.md 5)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from common.bootstrap import Hall
from common.config import ConfigError
from common.qt.app import open_hall_or_explain, start_application, window_size
from common.qt.i18n import Translations
from common.qt.queue_events import QueueEventBridge
from common.qt.theme import cjk_family
from common.qt.voice import Announcer, make_speaker
from common.qt.worker import TaskRunner
from kiosk.display.window import DisplayWindow

__all__ = ["build_display", "main", "parse_args"]

log = logging.getLogger("display")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="onewindow-display", description="OneWindow hall display (叫号大屏)"
    )
    parser.add_argument("--config", help="the hall's TOML file")
    parser.add_argument(
        "--windowed", action="store_true", help="a normal window instead of full screen"
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        type=window_size,
        help="window size, e.g. 1920x1080 or 1080x1920 (implies --windowed)",
    )
    parser.add_argument("--no-voice", action="store_true", help="show calls without speaking them")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.size:
        args.windowed = True
    return args


def build_display(
    app: QApplication, hall: Hall, *, voice: bool = True, runner: TaskRunner | None = None
) -> tuple[DisplayWindow, QueueEventBridge, Announcer | None]:
    """The window, its event bridge and announcer, wired together (not yet started)."""
    conf = hall.settings.display
    runner = runner or TaskRunner(app)
    announcer = None
    if voice and conf.voice != "off":
        speaker = make_speaker(conf.voice, app, voice=conf.espeak_voice)
        log.info("voice: %s", speaker.name)
        announcer = Announcer(speaker, app, repeat=conf.voice_repeat)
    window = DisplayWindow(
        hall.settings,
        hall.queue,
        runner,
        announcer=announcer,
        font_family=cjk_family(),
        english=conf.language == "en",
    )
    bridge = QueueEventBridge(hall.queue, app, poll_interval=conf.poll_interval)
    bridge.events.connect(window.on_queue_events)
    bridge.connection_changed.connect(window.on_connection)

    def follow(last_id: int) -> None:
        # Events after the snapshot's last id: nothing shown twice, nothing missed.
        if not bridge.follower.is_running:
            bridge.follower.last_id = last_id
            bridge.start()

    window.ready.connect(follow)
    # In connection order on quit: the bridge (connected by its constructor), then the window's
    # timers and queries, then the voice; main() closes the hall database after all of them.
    app.aboutToQuit.connect(window.stop)
    if announcer is not None:
        app.aboutToQuit.connect(announcer.shutdown)
    return window, bridge, announcer


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    app = start_application("display", "OneWindow Display", verbose=args.verbose, theme="display")
    hall = open_hall_or_explain(args.config, log, dialog=False)
    if hall is None:
        return 2
    translations = Translations(app, ("display",))
    translations.set_language(hall.settings.display.language)
    try:
        window, _bridge, _announcer = build_display(app, hall, voice=not args.no_voice)
    except ConfigError as exc:
        log.error("%s", exc)
        print(exc, file=sys.stderr)
        return 2
    app.aboutToQuit.connect(hall.close)
    if args.size:
        window.resize(*args.size)
        window.show()
    elif args.windowed or not hall.settings.display.full_screen:
        window.resize(1920, 1080)
        window.show()
    else:
        window.setCursor(Qt.CursorShape.BlankCursor)  # an unattended public screen
        window.showFullScreen()
    window.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
