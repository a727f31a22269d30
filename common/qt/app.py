"""The start of every app's ``main()``: logging, excepthook, the QApplication, its theme, the hall.

Kiosk, counter and hall display each wire their own windows and devices (STYLE.md habit 5);
what comes before that is the same for all three and lives here, so a fix to start-up (the
PySide6 reference-count workaround, the log file, what an unhandled slot error does) reaches
every app at once.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from common.bootstrap import Hall, SchemaOutOfDate, open_hall, setup_logging
from common.config import ConfigError
from common.db.engine import DatabaseUnavailable
from common.qt.pyside_compat import protect_singletons
from common.qt.theme import apply_theme

__all__ = ["START_ERRORS", "open_hall_or_explain", "start_application", "window_size"]

# What stops an app before its window: a bad hall file, an old schema, no database.
START_ERRORS = (ConfigError, SchemaOutOfDate, DatabaseUnavailable)

_Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def _log_unhandled(log: logging.Logger) -> _Hook:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        # A bug in a slot is logged and the event loop goes on: a kiosk in front of a citizen,
        # a counter mid-call or a wall display must not vanish because of one bad event.
        log.critical("unhandled exception", exc_info=(kind, value, tb))

    return hook


def window_size(text: str) -> tuple[int, int]:
    """``--size WxH`` for every app and screenshot script (an argparse ``type``): 1080x1920."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT like 1080x1920, not {text!r}"
        ) from None
    if not (320 <= width <= 8000 and 320 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"size {text!r} out of range (320 to 8000 pixels a side)")
    return width, height


def start_application(
    app_name: str,
    display_name: str,
    *,
    verbose: bool = False,
    theme: str | None = None,
) -> QApplication:
    """Logging to ``<data>/logs/<app_name>.log``, the excepthook, and the QApplication.

    ``theme`` is the style sheet to apply now (``resources/styles/<theme>.qss``); the kiosk
    passes ``None`` because its window applies the theme with the visitor's print size.
    """
    # PySide6 6.12 on Python 3.11 leaks references to None/True/False; these apps run for weeks.
    protect_singletons()
    setup_logging(app_name, verbose=verbose)
    sys.excepthook = _log_unhandled(logging.getLogger(app_name))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(display_name)
    app.setOrganizationName("OneWindow")
    if theme is not None:
        apply_theme(app, theme)
    return app


def open_hall_or_explain(
    config: str | Path | None,
    log: logging.Logger,
    *,
    dialog: bool = True,
    title: str = "一窗通",
) -> Hall | None:
    """The hall, or ``None`` after saying why not (log, and a dialog or stderr)."""
    try:
        return open_hall(config)
    except START_ERRORS as exc:
        log.error("%s", exc)
        # A database fault says it in Chinese too (its str() is the English one, for the log).
        message = exc.bilingual if isinstance(exc, DatabaseUnavailable) else str(exc)
        if dialog:
            QMessageBox.critical(None, title, message)
        else:  # an unattended screen: nobody would close a dialog; the log and stderr say it
            print(message, file=sys.stderr)
        return None
