"""Both languages of the intake desk's words, picked by the window's language."""

from __future__ import annotations

__all__ = ["t"]


def t(english: bool, zh: str, en: str) -> str:
    """``en`` when the counter shows English, else ``zh`` (Chinese is the default)."""
    return en if english else zh
