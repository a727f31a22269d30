"""The QSS themes in resources/styles, with the elderly (large-print) variant.

Each app has ``resources/styles/<app>.qss``; ``<app>-elderly.qss`` (optional) is layered on top in
elderly mode. ``@FONT@`` in a style sheet is replaced by the CJK font family found on this PC, so
Chinese never falls back to a font without the glyphs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

STYLES = Path(__file__).resolve().parents[2] / "resources" / "styles"
_PREFERRED = ("Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "PingFang SC")


def cjk_family() -> str:
    """The first installed CJK family we like, else the platform default."""
    families = set(QFontDatabase.families())
    for name in _PREFERRED:
        if name in families:
            return name
    return QApplication.font().family()


def style_sheet(app_name: str, *, elderly: bool = False) -> str:
    parts = [STYLES / f"{app_name}.qss"]
    if elderly:
        parts.append(STYLES / f"{app_name}-elderly.qss")
    text = "\n".join(p.read_text(encoding="utf-8") for p in parts if p.exists())
    return text.replace("@FONT@", cjk_family())


def apply_theme(app: QApplication, app_name: str, *, elderly: bool = False) -> None:
    app.setStyleSheet(style_sheet(app_name, elderly=elderly))
