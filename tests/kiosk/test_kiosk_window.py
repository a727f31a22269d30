"""The kiosk window driven like a citizen would: real queue on SQLite, the real reader driver
on the pty simulator (or the fake reader), a python-escpos Dummy printer (or the fake one for
paper trouble), and the real print queue thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from common.db.engine import DatabaseUnavailable
from common.db.models import DeviceStatus, Priority
from common.devices.idcard.profiles import SAMPLE_PROFILES
from common.devices.printer.status import PrinterState
from common.queue.service import QueueService
from kiosk.flow import NoticeKind, PrintState, Prompt, Screen
from tests.conftest import make_settings
from tests.kiosk.conftest import Kiosk, needs_pty

WAIT_MS = 5000

SERVICES = [
    {"prefix": "A", "name": "综合受理", "name_en": "General intake", "general": True},
    {
        "prefix": "B",
        "name": "不动产",
        "name_en": "Real estate",
        "id_card": "required",
        "per_id_daily_limit": 1,
    },
    {"prefix": "C", "name": "税务", "name_en": "Taxation", "id_card": "none"},
    {"prefix": "D", "name": "公积金", "name_en": "Housing fund", "hours": [["18:00", "20:00"]]},
]
WINDOWS = [{"number": 1, "services": {"A": 1, "B": 1, "C": 1, "D": 1}}]


def settings(**kiosk: object):  # type: ignore[no-untyped-def]
    return make_settings(
        services=SERVICES,
        windows=WINDOWS,
        kiosk={"idle_seconds": 30, "ticket_show_seconds": 10, **kiosk},
    )


def texts(widget: QWidget) -> str:
    return "\n".join(
        label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)
    )


def tap(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def printed_numbers(kiosk: Kiosk) -> list[str]:
    return [job.title.split()[-1] for job in kiosk.printer.jobs]  # type: ignore[attr-defined]


@needs_pty
def test_one_tap_prints_a_general_ticket(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(), printer="dummy", reader="sim")
    w = kiosk.window
    assert w.home.one_tap.isVisible()
    tap(qtbot, w.home.one_tap)
    assert kiosk.flow.state.screen is Screen.TICKET
    assert w.ticket.number.text() == "A001"
    assert "1 人" not in w.ticket.ahead.text() and "0" in w.ticket.ahead.text()
    qtbot.waitUntil(lambda: kiosk.flow.state.print_state is PrintState.PRINTED, timeout=WAIT_MS)
    assert printed_numbers(kiosk) == ["A001"]
    assert kiosk.printer.output.startswith(b"\x1b@")  # ESC @: real ESC/POS bytes reached the Dummy
    tap(qtbot, w.ticket.done)
    assert kiosk.flow.state.screen is Screen.HOME


@needs_pty
def test_service_tile_issues_that_service(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(), printer="dummy", reader="sim")
    tile = kiosk.window.home.service_tile("C")
    assert tile is not None and "税务" in tile.name.text()
    tap(qtbot, tile)
    assert kiosk.window.ticket.number.text() == "C001"
    qtbot.waitUntil(lambda: printed_numbers(kiosk) == ["C001"], timeout=WAIT_MS)


@needs_pty
def test_card_required_service_reads_card_on_the_simulator(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(), printer="dummy", reader="sim")
    w = kiosk.window
    tap(qtbot, w.home.service_tile("B"))
    assert kiosk.flow.state.screen is Screen.CARD
    assert w.card.animation.isVisible() and w.card.animation.running
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.TICKET, timeout=WAIT_MS)
    ticket = kiosk.flow.state.ticket
    assert ticket.number == "B001" and ticket.holder_masked == "李*明"
    assert not w.card.animation.running  # no animation behind other screens
    # The full ID number and the full name never reach the screen.
    full = SAMPLE_PROFILES["resident"].number
    assert full not in texts(w) and "李晓明" not in texts(w)
    assert "李*明" in texts(w)


@needs_pty
def test_elderly_card_gets_green_channel_automatically(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(), printer="dummy", reader="sim")
    w = kiosk.window
    kiosk.simulator.place_card("elderly")
    qtbot.waitUntil(lambda: w.holder_banner.isVisible(), timeout=WAIT_MS)
    assert "王*英" in w.holder_text.text()
    tap(qtbot, w.home.one_tap)
    ticket = kiosk.flow.state.ticket
    assert ticket.priority is Priority.GREEN and ticket.green_reason == "elderly"
    assert w.ticket.tag.isVisible()
    qtbot.waitUntil(lambda: printed_numbers(kiosk) == ["A001"], timeout=WAIT_MS)
    assert (
        "绿色通道".encode("gb18030") in kiosk.printer.jobs[0].data
        or kiosk.printer.jobs[0].layout is not None
    )


@needs_pty
def test_staff_confirmed_green_channel(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(), printer="dummy", reader="sim")
    w = kiosk.window
    tap(qtbot, w.home.green_button)
    assert kiosk.flow.state.screen is Screen.GREEN
    tap(qtbot, w.green.reasons["military"])
    for digit in "1111":
        tap(qtbot, w.green.pad.digit_buttons[digit])
    tap(qtbot, w.green.pad.ok_button)
    assert kiosk.flow.state.screen is Screen.GREEN and w.green.error.text()
    for digit in "2468":
        tap(qtbot, w.green.pad.digit_buttons[digit])
    tap(qtbot, w.green.pad.ok_button)
    assert kiosk.flow.state.screen is Screen.HOME and w.green_banner.isVisible()
    tap(qtbot, w.home.one_tap)
    ticket = kiosk.flow.state.ticket
    assert ticket.priority is Priority.GREEN and ticket.green_reason == "military"


@needs_pty
def test_per_id_limit_is_explained(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(), printer="dummy", reader="sim")
    w = kiosk.window
    tap(qtbot, w.home.service_tile("B"))
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.TICKET, timeout=WAIT_MS)
    tap(qtbot, w.ticket.done)
    kiosk.simulator.remove_card()
    qtbot.waitUntil(lambda: kiosk.flow.state.reader_status.value == "no_card", timeout=WAIT_MS)
    tap(qtbot, w.home.service_tile("B"))
    kiosk.simulator.place_card("resident")
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.NOTICE, timeout=WAIT_MS)
    assert kiosk.flow.state.notice.kind is NoticeKind.PER_ID_LIMIT
    assert "上限" in w.notice.headline.text()
    assert "1 次" in w.notice.message.text()  # the limit itself is explained
    tap(qtbot, w.notice.back)
    assert kiosk.flow.state.screen is Screen.HOME


@needs_pty
def test_closed_service_shows_reason_and_issues_nothing(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    # Opening hours make D closed at 09:00; the hall itself is open.
    kiosk = make_kiosk(settings=settings(), printer="dummy", reader="sim")
    tile = kiosk.window.home.service_tile("D")
    assert tile.property("closed") is True and "18:00" in tile.info.text()
    tap(qtbot, tile)
    assert (
        kiosk.flow.state.screen is Screen.NOTICE
        and kiosk.flow.state.notice.kind is NoticeKind.CLOSED
    )
    assert "18:00" in kiosk.window.notice.message.text()
    assert kiosk.queue.ticket("D001") is None


def _device_row(queue: QueueService) -> DeviceStatus | None:
    from sqlalchemy import select

    with queue.db.read() as s:
        return s.scalars(select(DeviceStatus).where(DeviceStatus.device == "printer")).first()


def test_printer_out_of_paper_then_back(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    # FakePrinter rather than Dummy: the Dummy cannot run out of paper.
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    kiosk.printer.run_out_of_paper()
    tap(qtbot, w.home.one_tap)
    qtbot.waitUntil(lambda: kiosk.flow.state.print_state is PrintState.TROUBLE, timeout=WAIT_MS)
    assert (
        w.ticket.number.text() == "A001"
        and w.ticket.trouble.isVisible()
        and w.ticket.reprint.isVisible()
    )
    assert "拍照" in w.ticket.trouble_text.text() and "服务台" in w.ticket.trouble_text.text()
    qtbot.waitUntil(
        lambda: (row := _device_row(kiosk.queue)) is not None and row.needs_attention,
        timeout=WAIT_MS,
    )
    assert _device_row(kiosk.queue).state == "paper_out"
    assert not kiosk.printer.printed
    # Staff load paper; the citizen taps 重新打印.
    kiosk.printer.come_back()
    tap(qtbot, w.ticket.reprint)
    qtbot.waitUntil(lambda: kiosk.flow.state.print_state is PrintState.PRINTED, timeout=WAIT_MS)
    assert [j.title for j in kiosk.printer.printed] == ["ticket A001"]  # exactly once
    qtbot.waitUntil(lambda: not _device_row(kiosk.queue).needs_attention, timeout=WAIT_MS)


def test_printer_offline_job_prints_when_printer_returns(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    kiosk.printer.go_offline()
    tap(qtbot, kiosk.window.home.one_tap)
    qtbot.waitUntil(lambda: kiosk.flow.state.print_state is PrintState.TROUBLE, timeout=WAIT_MS)
    tap(qtbot, kiosk.window.ticket.done)
    assert kiosk.window.printer_banner.isVisible()  # home tells the next visitor too
    kiosk.printer.come_back()  # no tap: the queue retries by itself
    assert kiosk.printer.wait_printed(1, timeout=5)
    qtbot.waitUntil(lambda: not kiosk.window.printer_banner.isVisible(), timeout=WAIT_MS)


def test_idle_reset_clears_personal_data(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    kiosk.fake_reader.place_card("resident")
    qtbot.waitUntil(lambda: w.holder_banner.isVisible(), timeout=WAIT_MS)
    tap(qtbot, w.language_button)
    tap(qtbot, w.elderly_button)
    assert kiosk.flow.state.language == "en" and kiosk.flow.state.elderly
    kiosk.clock.advance(31)
    qtbot.waitUntil(
        lambda: not w.holder_banner.isVisible(), timeout=WAIT_MS
    )  # the tick timer did it
    assert "李*明" not in texts(w)
    assert kiosk.flow.state.language == "zh_CN" and not kiosk.flow.state.elderly
    assert w.home.title.text() == "请选择办理业务"


def test_ticket_screen_times_out(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    kiosk.fake_reader.place_card("resident")
    qtbot.waitUntil(lambda: kiosk.window.holder_banner.isVisible(), timeout=WAIT_MS)
    tap(qtbot, kiosk.window.home.one_tap)
    assert "李*明" in texts(kiosk.window)
    kiosk.clock.advance(11)
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.HOME, timeout=WAIT_MS)
    assert "李*明" not in texts(kiosk.window)


def test_language_switch(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    assert w.home.title.text() == "请选择办理业务" and w.home.one_tap.name.text() == "一键取号"
    tap(qtbot, w.language_button)
    assert w.home.title.text() == "Please choose a service"
    assert w.home.service_tile("C").name.text() == "Taxation"
    assert w.hall_name.text() == kiosk.window.settings.hall.name_en
    tap(qtbot, w.language_button)
    assert w.home.service_tile("C").name.text() == "税务"


def test_elderly_switch_enlarges_and_speaks(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(), styles=True)
    w = kiosk.window
    normal = w.home.service_tile("C").name.font().pixelSize()
    tap(qtbot, w.elderly_button)
    assert kiosk.flow.state.elderly
    tile = w.home.service_tile("C")
    assert tile.name.font().pixelSize() > normal
    # 适老化: text at least 30 px, touch targets at least 60 px.
    assert tile.info.font().pixelSize() >= 30 and w.home.green_hint.font().pixelSize() >= 30
    assert min(w.elderly_button.height(), w.home.green_button.height(), tile.height()) >= 60
    assert kiosk.speaker.spoken and "长辈模式" in kiosk.speaker.spoken[-1]
    tap(qtbot, w.home.one_tap)
    assert "零零一" in kiosk.speaker.spoken[-1]  # numbers read digit by digit
    from PySide6.QtWidgets import QApplication

    QApplication.instance().setStyleSheet("")


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_one_service_hall_centres_its_tile(qtbot: QtBot, make_kiosk, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # A hall with one service besides the general queue: its tile used to hang under the
    # one-tap button, half the width, over an empty screen. Now it is full width and centred.
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    one = make_settings(
        services=SERVICES[:2], windows=[{"number": 1, "services": {"A": 1, "B": 1}}]
    )
    kiosk = make_kiosk(settings=one, styles=True, size=size)
    try:
        tap(qtbot, kiosk.window.elderly_button)
        for _ in range(5):
            QApplication.processEvents()
        home = kiosk.window.home
        (tile,) = home.tiles
        viewport = home.tile_scroll.viewport()
        top = tile.mapTo(viewport, QPoint(0, 0)).y()
        assert tile.width() == viewport.width()
        assert abs((top + tile.height() / 2) - viewport.height() / 2) <= 2
        assert min(tile.width(), tile.height()) >= 60 and home.one_tap.isVisible()
    finally:
        QApplication.instance().setStyleSheet("")


def test_database_briefly_gone(qtbot: QtBot, make_kiosk, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    queue = kiosk.queue
    down = {"on": True}
    real_issue, real_statuses = queue.issue, queue.service_statuses

    def issue(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if down["on"]:
            raise DatabaseUnavailable("database is locked")
        return real_issue(*args, **kwargs)  # type: ignore[arg-type]

    def statuses():  # type: ignore[no-untyped-def]
        if down["on"]:
            raise DatabaseUnavailable("database is locked")
        return real_statuses()

    monkeypatch.setattr(queue, "issue", issue)
    monkeypatch.setattr(queue, "service_statuses", statuses)
    tap(qtbot, w.home.one_tap)
    assert kiosk.flow.state.screen is Screen.ISSUING and kiosk.flow.state.retrying
    assert w.db_banner.isVisible() and w.issuing.detail.text()
    down["on"] = False  # the database is back before the next try
    kiosk.clock.advance(2.5)
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.TICKET, timeout=WAIT_MS)
    assert w.ticket.number.text() == "A001" and not w.db_banner.isVisible()
    # Gone long enough for the home screen's refresh to notice, then back.
    tap(qtbot, w.ticket.done)
    down["on"] = True
    kiosk.clock.advance(6)
    qtbot.waitUntil(lambda: w.db_banner.isVisible(), timeout=WAIT_MS)
    down["on"] = False
    kiosk.clock.advance(3)
    qtbot.waitUntil(lambda: not w.db_banner.isVisible(), timeout=WAIT_MS)


def test_admin_behind_pin_and_exit(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    for _ in range(5):
        tap(qtbot, w.admin_corner)
    assert kiosk.flow.state.screen is Screen.ADMIN_PIN
    for digit in "2468":
        tap(qtbot, w.admin_pin.pad.digit_buttons[digit])
    tap(qtbot, w.admin_pin.pad.ok_button)
    assert kiosk.flow.state.screen is Screen.ADMIN
    tap(qtbot, w.admin.setting_buttons["idle_seconds"][120])
    assert kiosk.flow.kiosk.idle_seconds == 120
    with qtbot.waitSignal(w.exit_requested, timeout=WAIT_MS):
        tap(qtbot, w.admin.exit)


def test_reader_unplugged_on_card_screen(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    tap(qtbot, kiosk.window.home.service_tile("B"))
    kiosk.fake_reader.unplug()
    qtbot.waitUntil(lambda: "服务台" in kiosk.window.card.status.text(), timeout=WAIT_MS)
    kiosk.fake_reader.replug()
    kiosk.fake_reader.place_card("resident")
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.TICKET, timeout=WAIT_MS)


def test_voice_prompt_on_card_screen_in_elderly_mode(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings(elderly_default=True))
    tap(qtbot, kiosk.window.home.service_tile("B"))
    assert kiosk.speaker.spoken[-1] == "请将身份证放在读卡区。"
    assert Prompt.PLACE_CARD  # the prompt the flow asked for
    assert PrinterState.READY


def test_expired_card_is_refused_with_a_word(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    kiosk.fake_reader.place_card("expired")
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.NOTICE, timeout=WAIT_MS)
    assert kiosk.flow.state.notice.kind is NoticeKind.CARD_EXPIRED
    assert w.notice.headline.text() == "证件已过期"
    assert "证件已过期，请到服务台办理" in w.notice.message.text()
    assert "陈*国" not in texts(w) and not w.holder_banner.isVisible()
    tap(qtbot, w.notice.back)
    tap(qtbot, w.home.one_tap)
    ticket = kiosk.flow.state.ticket
    assert ticket is not None and ticket.holder_masked == "" and ticket.priority is Priority.NORMAL


def test_expired_card_on_card_screen(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    tap(qtbot, w.home.service_tile("B"))
    kiosk.fake_reader.place_card("expired")
    qtbot.waitUntil(lambda: "证件已过期" in w.card.status.text(), timeout=WAIT_MS)
    assert (
        kiosk.flow.state.screen is Screen.CARD
        and kiosk.queue.service_statuses()[1].issued_today == 0
    )
    tap(qtbot, w.language_button)
    assert w.card.status.text() == "This ID card has expired. Please go to the service desk."


def test_removed_card_leaves_the_screen_and_the_next_ticket(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    kiosk.fake_reader.place_card("resident")
    qtbot.waitUntil(lambda: w.holder_banner.isVisible(), timeout=WAIT_MS)
    assert "李*明" in w.holder_text.text()
    kiosk.fake_reader.remove_card()
    qtbot.waitUntil(lambda: not w.holder_banner.isVisible(), timeout=WAIT_MS)
    assert "李*明" not in texts(w)
    tap(qtbot, w.home.one_tap)  # the next citizen, no card
    assert kiosk.flow.state.ticket.holder_masked == ""
    assert "李*明" not in texts(w)


def test_card_left_on_reader_after_done_is_asked_for_again(qtbot: QtBot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(settings=settings())
    w = kiosk.window
    kiosk.fake_reader.place_card("resident")
    qtbot.waitUntil(lambda: w.holder_banner.isVisible(), timeout=WAIT_MS)
    tap(qtbot, w.home.one_tap)
    tap(qtbot, w.ticket.done)
    tap(qtbot, w.home.service_tile("B"))  # needs a card; the one lying there is not read again
    assert kiosk.flow.state.screen is Screen.CARD
    assert w.card.status.text() == "请移开证件后重新放置。"
    kiosk.fake_reader.remove_card()
    qtbot.waitUntil(lambda: w.card.status.text() == "等待放置证件…", timeout=WAIT_MS)
    kiosk.fake_reader.place_card("resident")
    qtbot.waitUntil(lambda: kiosk.flow.state.screen is Screen.TICKET, timeout=WAIT_MS)
    assert (
        kiosk.flow.state.ticket.number == "B001"
        and kiosk.flow.state.ticket.holder_masked == "李*明"
    )
