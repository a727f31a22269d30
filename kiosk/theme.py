"""The kiosk's style sheet scaled to its window: one design, any panel from 720p to 4K.

resources/styles/kiosk.qss and kiosk-elderly.qss are drawn for a 1080-pixel short side (a 1080p
panel in portrait or landscape, where 1 px = 1 dp). A kiosk may as well run at 720×1280 or in a
window, so every pixel size in the sheet is multiplied by :func:`scale_for` the window, with
floors that keep it usable however small the window gets: touch targets never under
:data:`MIN_TARGET_PX` (适老化 ≥ 60 dp), text never under :data:`MIN_FONT_PX` (large print:
:data:`MIN_ELDERLY_FONT_PX`, DOMAIN.md "Accessibility").

The code is plain text processing, so it is tested without a screen.
"""

from __future__ import annotations

import re

__all__ = [
    "DESIGN_SHORT_SIDE",
    "MIN_ELDERLY_FONT_PX",
    "MIN_FONT_PX",
    "MIN_TARGET_PX",
    "scale_for",
    "scale_style_sheet",
]

DESIGN_SHORT_SIDE = 1080  # the sheets' sizes are for this short side
MIN_TARGET_PX = 64  # buttons: 适老化 asks ≥ 60 dp; a little margin for borders
MIN_FONT_PX = 16
MIN_ELDERLY_FONT_PX = 20  # 适老化 body text ≥ 18 dp
_MIN_SCALE, _MAX_SCALE = 0.5, 2.0

_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_DECLARATION = re.compile(r"([\w-]+)\s*:\s*([^;]*)")
_PX = re.compile(r"(\d+(?:\.\d+)?)px")


def scale_for(width: int, height: int) -> float:
    """The factor for a window of ``width`` × ``height`` (its short side against 1080)."""
    short = min(width, height)
    if short <= 0:
        return 1.0
    return round(min(_MAX_SCALE, max(_MIN_SCALE, short / DESIGN_SHORT_SIDE)), 3)


def _scaled(value: str, scale: float, floor: int) -> str:
    return _PX.sub(lambda m: f"{max(floor, round(float(m.group(1)) * scale))}px", value)


def scale_style_sheet(sheet: str, scale: float, *, elderly: bool = False) -> str:
    """``sheet`` with every ``px`` size multiplied by ``scale``, floors applied per property.

    Fonts keep :data:`MIN_FONT_PX` (:data:`MIN_ELDERLY_FONT_PX` in large print); a button's
    ``min-height`` / ``min-width`` keep :data:`MIN_TARGET_PX`; borders keep one pixel.
    """
    font_floor = MIN_ELDERLY_FONT_PX if elderly else MIN_FONT_PX

    def rule(match: re.Match[str]) -> str:
        selector, body = match.group(1), match.group(2)
        button = "QPushButton" in selector

        def declaration(d: re.Match[str]) -> str:
            name, value = d.group(1), d.group(2)
            if name == "font-size":
                floor = font_floor
            elif button and name in ("min-height", "min-width"):
                floor = MIN_TARGET_PX
            elif name.startswith("border"):
                floor = 1
            else:
                floor = 0
            return f"{name}: {_scaled(value, scale, floor)}"

        return f"{selector}{{{_DECLARATION.sub(declaration, body)}}}"

    return _RULE.sub(rule, sheet)
