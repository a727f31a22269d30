"""The 评价 page's message in large print on a 720p landscape panel: a two-line message in the
keypad's column used to squeeze the keys into each other (find_problems saw the overlaps)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_message_on_the_rating_page_fits_in_large_print(
    qtbot: QtBot, language: str, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QApplication

    from kiosk.screenshots import _TRANSLATIONS, _scenes, demo_kiosk, find_problems, settle
    from kiosk.selfservice import SelfMessage

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        with demo_kiosk(tmp_path, size=(1280, 720), language=language, elderly=True) as (
            window,
            queue,
            _,
        ):
            _scenes()["rating-receipt-none"](window, queue)
            settle(app)
            page = window.selfservice  # type: ignore[attr-defined]
            assert page.flow.state.message is SelfMessage.NOT_HANDED_OVER
            assert page.rate_find_page.message.isVisible()
            assert find_problems(window, elderly=True) == []  # type: ignore[arg-type]
    finally:
        app.setStyleSheet("")
        for translations in _TRANSLATIONS:
            translations.set_language("en")
