"""Screenshots of the manager's 跟进 page (and its call-back question) and the counter's
办不成事 dialog (zh and en, 1366×768 and 1920×1080).

    python docs/screenshots/counter/manager/make_followup_screenshots.py

The page holds the demo morning's bad ratings, a 12345 report taken through verify and rectify,
an overdue report from the week before, and one closed item. The dialog is drawn over a window
clerk's counter, once filled in and once refused with its messages.
"""

from __future__ import annotations

import datetime as dt

import shotkit as kit


def main() -> None:
    app = kit.start_app()
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QInputMethodEvent, QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    from common.catalog import DEMO_CATALOG
    from common.catalog.loader import load_catalog_file
    from common.catalog.search import CatalogIndex
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
    from common.qt.worker import TaskRunner
    from common.staff import StaffView
    from counter.intake.desk import IntakeServices
    from counter.intake.printing import DocumentPrinter
    from counter.main_window import CounterWindow
    from counter.manager.demo import seed_morning
    from counter.manager.followup_view import StepDialog
    from counter.session import CounterSession

    translations = Translations(app, ("counter",))
    settings = kit.demo_settings()

    def ime(widget: QWidget, text: str) -> None:
        event = QInputMethodEvent("", [])
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)

    with kit.demo_hall(settings, dt.datetime(2026, 11, 13, 15, 20, tzinfo=kit.TZ)) as hall:
        db, queue, clock = hall.db, hall.queue, hall.clock
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
        clock.at = dt.datetime(2026, 11, 23, 8, 30, tzinfo=kit.TZ)
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
        session = kit.manager_session()
        cases = CaseService(db, settings, clock, HallCalendar())

        for english, tag in ((False, "zh"), (True, "en")):
            for width, height in kit.SIZES:
                desk = kit.open_desk(
                    hall, session, settings, (width, height), english=english, cases=cases
                )
                desk.start()
                desk.tabs.setCurrentWidget(desk.followup_page)
                desk.followup_page.select(hotline.id)
                kit.settle()
                desk.grab().save(str(kit.OUT / f"followup-{width}x{height}-{tag}.png"))
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
                    kit.settle(3)
                    step.grab().save(str(kit.OUT / f"followup-callback-{tag}.png"))
                    step.close()
                kit.close_desk(desk)

        # The 办不成事 dialog over a window clerk's counter.
        catalog = load_catalog_file(DEMO_CATALOG)
        index = CatalogIndex(catalog)
        services = IntakeServices(
            settings=settings,
            cases=cases,
            ratings=RatingService(db, settings, clock),
            clock=clock,
            load_catalog=lambda: (catalog, index),
            documents=DocumentPrinter(pdf_dir=hall.tmp / "receipts"),
            today=lambda: clock.at.date(),
        )
        clerk = StaffView(id=3, username="w3", display_name="赵丽", role=Role.WINDOW)
        for english, tag in ((False, "zh"), (True, "en")):
            translations.set_language("en" if english else "zh_CN")
            for width, height in kit.SIZES:
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
                kit.settle()
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
                    kit.settle()
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
                    shot.save(str(kit.OUT / f"complaint-{state}-{width}x{height}-{tag}.png"))
                    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
                    dialog.reject()
                    kit.settle()
                window.close()
                window.deleteLater()
                kit.settle()


if __name__ == "__main__":
    main()
