"""The kiosk's "today" is the hall's day, not this PC's.

评价, 办件查询, 证照打印 and 预约签到 all ask for "today's" services, hand-overs, appointments and
valid certificates. A kiosk PC left on UTC would look on yesterday from 00:00 to 08:00 Beijing
time — the demo's rating found "nothing to rate" for a service finished a minute before.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from pytestqt.qtbot import QtBot

from common.db.engine import HallDatabase
from common.qt.worker import TaskRunner
from common.queue.service import QueueService
from kiosk.window import KioskWindow
from tests.conftest import make_settings

# 26 hours apart: whatever this PC's date is, at least one of the two halls is on another day.
FAR_EAST, FAR_WEST = "Pacific/Kiritimati", "Etc/GMT+12"


def test_the_kiosk_counts_days_in_the_halls_time_zone(qtbot: QtBot, hall_db: HallDatabase) -> None:
    for zone in (FAR_EAST, FAR_WEST):
        settings = make_settings(
            hall={"secret": "test-secret-not-for-production", "timezone": zone}
        )
        window = KioskWindow(
            settings,
            QueueService(hall_db, settings),
            runner=TaskRunner(inline=True),
            print_runner=TaskRunner(inline=True),
            apply_styles=False,
        )
        qtbot.addWidget(window)
        assert window._today() == dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        assert window.flow._today() == window._today()  # the flow (green channel, expiry) too
        window.shutdown()
