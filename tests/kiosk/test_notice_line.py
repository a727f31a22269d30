"""The kiosk shows the hall manager's notice line on home (taken down by an empty one, read again
at start) and a service paused by the manager as paused, with the reason's short word."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from common.config import Settings
from common.manager.actions import ManagerActions
from kiosk.flow import NoticeKind, Screen
from tests.conftest import make_settings

SERVICES = [
    {"prefix": "A", "name": "综合受理", "name_en": "General intake", "general": True},
    {"prefix": "C", "name": "税务", "name_en": "Taxation", "id_card": "none"},
]
WINDOWS = [{"number": 1, "services": {"A": 1, "C": 1}}]


def settings() -> Settings:
    return make_settings(services=SERVICES, windows=WINDOWS)


def test_notice_shown_on_home_taken_down_and_read_at_start(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    assert not w.notice_banner.isVisible()
    actions = ManagerActions(kiosk.queue)
    actions.broadcast_notice("今天 16:00 起系统维护，请提前取号", actor="mgr")
    w.refresh_services()  # the kiosk's own refresh, every few seconds
    qtbot.waitUntil(lambda: w.notice_banner.isVisible(), timeout=3000)
    assert w.notice_banner.text() == "今天 16:00 起系统维护，请提前取号"
    # A restarted kiosk reads today's notice at start.
    again = make_kiosk(settings=settings())
    qtbot.waitUntil(lambda: again.window.notice_banner.isVisible(), timeout=3000)
    assert again.window.notice_banner.text() == w.notice_banner.text()
    # Off home (a ticket being taken) the banner steps aside.
    qtbot.mouseClick(w.home.one_tap, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is not Screen.HOME, timeout=3000)
    assert not w.notice_banner.isVisible()
    actions.broadcast_notice("", actor="mgr")
    w.refresh_services()
    assert w.manager_notice == "" and not w.notice_banner.isVisible()


def test_paused_service_tile_says_why_and_issues_nothing(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    actions = ManagerActions(kiosk.queue)
    actions.pause_service("C", "系统维护", actor="mgr")
    w.refresh_services()
    tile = w.home.service_tile("C")
    qtbot.waitUntil(lambda: tile.property("closed") is True, timeout=3000)
    assert "系统维护" in tile.info.text()
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    state = kiosk.flow.state
    assert state.screen is Screen.NOTICE and state.notice.kind is NoticeKind.CLOSED
    assert "系统维护" in w.notice.message.text()
    assert kiosk.queue.ticket("C001") is None
    actions.reopen_service("C", actor="mgr")
    w.refresh_services()
    qtbot.waitUntil(lambda: not w.home.service_tile("C").property("closed"), timeout=3000)
