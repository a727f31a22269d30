"""Screenshots of the manager's 跟进 page (and its call-back question) and the counter's
办不成事 dialog (zh and en, 1366×768 and 1920×1080).

    python docs/screenshots/counter/manager/make_followup_screenshots.py

The page holds the demo morning's bad ratings, a 12345 report taken through verify and rectify,
an overdue report from the week before, and one closed item. The dialog is drawn over a window
clerk's counter, once filled in and once refused with its messages.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

SIZES = ((1366, 768), (1920, 1080))


def main() -> None:
    from common.qt.pyside_compat import protect_singletons

    protect_singletons()
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QInputMethodEvent, QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    from common.catalog import DEMO_CATALOG
    from common.catalog.loader import load_catalog_file
    from common.catalog.search import CatalogIndex
    from common.clock import ManualClock
    from common.config import settings_from_dict
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.db.models import Role
    from common.intake.calendar import HallCalendar
    from common.intake.cases import CaseService
    from common.intake.rating import RatingService
    from common.manager.followup import (
        CallbackOutcome,
        ComplaintDraft,
        ComplaintSource,
        FollowupAction,
        FollowupService,
    )
    from common.qt.i18n import Translations
    from common.qt.theme import apply_theme
    from common.qt.worker import TaskRunner
    from common.queue.service import QueueService
    from common.staff import StaffView
    from counter.intake.desk import IntakeServices
    from counter.intake.printing import DocumentPrinter
    from counter.main_window import CounterWindow
    from counter.manager.demo import seed_morning
    from counter.manager.desk import ManagerDesk
    from counter.manager.followup_view import StepDialog
    from counter.session import CounterSession

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    translations = Translations(app, ("counter",))
    out = Path(__file__).resolve().parent
    tz = dt.timezone(dt.timedelta(hours=8))
    settings = settings_from_dict(
        {
            "hours": [["00:00", "23:59:59"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "s"},
        }
    )

    def settle(n: int = 5) -> None:
        for _ in range(n):
            app.processEvents()

    def ime(widget: QWidget, text: str) -> None:
        event = QInputMethodEvent("", [])
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)

    with tempfile.TemporaryDirectory() as tmp:
        db = HallDatabase(make_engine(f"sqlite:///{tmp}/hall.db"))
        upgrade(db.engine)
        clock = ManualClock(dt.datetime(2026, 11, 13, 15, 20, tzinfo=tz))
        queue = QueueService(db, settings, clock)
        queue.sync_from_settings()
        loop = FollowupService(db, settings, clock)
        # Last week: a report still open (overdue now) and one closed on time.
        late = loop.record_complaint(
            ComplaintDraft(
                ComplaintSource.ONSITE,
                "个体工商户注销登记",
                "税务清税证明在系统里查不到，窗口要求回原税务所开纸质证明",
                "13805912846",
                name="黄建国",
            ),
            actor="w5",
            window=5,
        )
        loop.verify(late.id, "税务系统与登记系统数据未同步，属实", actor="mgr")
        done = loop.record_complaint(
            ComplaintDraft(
                ComplaintSource.WINDOW, "居民身份证换领", "照片回执过期，需重新拍照", "13959100237"
            ),
            actor="w2",
            window=2,
        )
        loop.verify(done.id, "属实", actor="mgr")
        loop.rectify(done.id, "大厅增设自助照相机", actor="mgr")
        loop.call_back(done.id, CallbackOutcome.SATISFIED, "群众表示满意", actor="mgr")
        loop.close(done.id, "办结", actor="mgr")
        clock.at = dt.datetime(2026, 11, 23, 8, 30, tzinfo=tz)
        seed_morning(queue, clock, until=dt.time(10, 47))
        hotline = loop.record_complaint(
            ComplaintDraft(
                ComplaintSource.HOTLINE,
                "企业开办",
                "营业执照和公章刻制要在两个窗口分别排队",
                "13705918830",
                work_order="FZ12345-20261123-0418",
            ),
            actor="w3",
            window=3,
        )
        loop.verify(hotline.id, "属实：刻章由第三方在大厅外办理", actor="mgr")
        loop.rectify(hotline.id, "刻章并入企业开办综合窗口，一次领取", actor="mgr")
        session = CounterSession(StaffView(99, "mgr", "周敏", Role.MANAGER), 1, "counter-1")
        cases = CaseService(db, settings, clock, HallCalendar())

        for english, tag in ((False, "zh"), (True, "en")):
            for width, height in SIZES:
                desk = ManagerDesk(
                    queue,
                    session,
                    cases=cases,
                    runner=TaskRunner(inline=True),
                    english=english,
                    hall_name=settings.hall.name,
                    now=lambda: clock.at,
                )
                desk.resize(width, height)
                desk.show()
                desk.start()
                desk.tabs.setCurrentWidget(desk.followup_page)
                desk.followup_page.select(hotline.id)
                settle()
                desk.grab().save(str(out / f"followup-{width}x{height}-{tag}.png"))
                if width == 1366:  # the call-back step's question
                    item = desk.followup_page.selected()
                    assert item is not None
                    step = StepDialog(FollowupAction.CALL_BACK, item, desk, english=english)
                    step.text.setPlainText(
                        "Reached by phone; the citizen confirms the seal is now issued with the"
                        " licence."
                        if english
                        else "电话回访，群众确认现在营业执照和公章一次领取"
                    )
                    step.show()
                    step.resize(step.sizeHint().expandedTo(step.minimumSize()))
                    settle(3)
                    step.grab().save(str(out / f"followup-callback-{tag}.png"))
                    step.close()
                desk.stop()
                desk.close()
                desk.deleteLater()
                settle()

        # The 办不成事 dialog over a window clerk's counter.
        catalog = load_catalog_file(DEMO_CATALOG)
        index = CatalogIndex(catalog)
        services = IntakeServices(
            settings=settings,
            cases=cases,
            ratings=RatingService(db, settings, clock),
            clock=clock,
            load_catalog=lambda: (catalog, index),
            documents=DocumentPrinter(pdf_dir=Path(tmp) / "receipts"),
            today=lambda: clock.at.date(),
        )
        clerk = StaffView(id=3, username="w3", display_name="赵丽", role=Role.WINDOW)
        for english, tag in ((False, "zh"), (True, "en")):
            translations.set_language("en" if english else "zh_CN")
            for width, height in SIZES:
                window = CounterWindow(
                    queue,
                    CounterSession(clerk, 3),
                    TaskRunner(inline=True),
                    hall_name=settings.hall.name,
                    now=lambda: clock.at,
                    english=english,
                    intake=services,
                )
                window.resize(width, height)
                window.show()
                window.start()
                settle()
                for state in ("filled", "refused"):
                    dialog = window.open_complaint_dialog()
                    dialog.source.setCurrentIndex(2 if state == "filled" else 1)
                    if state == "filled":
                        ime(dialog.matter, "eshf")
                        hits = dialog._matters.stringList()
                        if hits:
                            dialog._matter_picked(hits[0])
                        ime(dialog.blocked, "不动产权证书遗失，补证须登报公告，群众不知道")
                        dialog.phone.setText("13906915527")
                        ime(dialog.name, "林晓燕")
                    else:
                        dialog.work_order.setText("12")
                        ime(dialog.matter, "社保卡补办")
                        dialog.phone.setText("1390691552")
                        dialog.submit()
                    dialog.resize(dialog.sizeHint().expandedTo(dialog.minimumSize()))
                    settle()
                    shot = window.grab()
                    painter = QPainter(shot)
                    painter.fillRect(shot.rect(), QColor(0, 0, 0, 90))
                    picture = dialog.grab()
                    painter.drawPixmap(
                        QPoint(
                            (shot.width() - picture.width()) // 2,
                            (shot.height() - picture.height()) // 2,
                        ),
                        picture,
                    )
                    painter.end()
                    shot.save(str(out / f"complaint-{state}-{width}x{height}-{tag}.png"))
                    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
                    dialog.reject()
                    settle()
                window.close()
                window.deleteLater()
                settle()
        db.dispose()


if __name__ == "__main__":
    main()
