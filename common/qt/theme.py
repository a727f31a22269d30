"""The QSS themes in resources/styles, with the elderly (large-print) variant.

Each app has ``resources/styles/<app>.qss``; ``<app>-elderly.qss`` (optional) is layered on top in
elderly mode. ``@FONT@`` in a style sheet is replaced by the CJK font family found on this PC, so
Chinese never falls back to a font without the glyphs.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

STYLES = Path(__file__).resolve().parents[2] / "resources" / "styles"
_PREFERRED = (
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimHei",
    "PingFang SC",
)


def cjk_family() -> str:
    """The first installed CJK family we like, else the platform default."""
    families = set(QFontDatabase.families())
    for name in _PREFERRED:
        if name in families:
            return name
    return QApplication.font().family()


@functools.cache
def _read(path: Path) -> str:
    # Style sheets ship with the program and do not change while it runs; the kiosk asks for
    # its sheet again on every language, print-size and window-size change.
    return path.read_text(encoding="utf-8") if path.exists() else ""


def style_sheet(app_name: str, *, elderly: bool = False) -> str:
    parts = [STYLES / f"{app_name}.qss"]
    if elderly:
        parts.append(STYLES / f"{app_name}-elderly.qss")
    text = "\n".join(t for t in (_read(p) for p in parts) if t)
    return text.replace("@FONT@", cjk_family())


def apply_theme(app: QApplication, app_name: str, *, elderly: bool = False) -> None:
    app.setStyleSheet(style_sheet(app_name, elderly=elderly))
