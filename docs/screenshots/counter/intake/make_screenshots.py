"""Regenerate the intake desk screenshots.

    python docs/screenshots/counter/intake/make_screenshots.py

The counter window at 1366×768 and 1920×1080, Chinese and English: the matter picker, the
checklist in each decision state, the case desk, a case's page and the rating view.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
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
    from PySide6.QtWidgets import QApplication

    from common.catalog import DEMO_CATALOG
    from common.catalog.loader import load_catalog_file
    from common.catalog.search import CatalogIndex
    from common.clock import ManualClock
    from common.config import settings_from_dict
    from common.db.engine import HallDatabase, make_engine
    from common.db.migrate import upgrade
    from common.db.models import Role
    from common.devices.idcard.fake import FakeCardReader
    from common.intake.calendar import HallCalendar
    from common.intake.cases import CaseService
    from common.intake.rating import RatingLevel, RatingService
    from common.intake.words import CaseAction, MaterialMark
    from common.qt.i18n import Translations
    from common.qt.idcard import QtCardReader
    from common.qt.theme import apply_theme
    from common.qt.worker import TaskRunner
    from common.queue.service import FixedClock, QueueService
    from common.staff import StaffView
    from counter.intake.desk import IntakeServices
    from counter.intake.printing import DocumentPrinter
    from counter.intake.queries import DeskList
    from counter.main_window import CounterWindow
    from counter.session import Action, CounterSession

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    translations = Translations(app, ("counter",))
    out = Path(__file__).resolve().parent
    at = dt.datetime(2026, 11, 23, 10, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    settings = settings_from_dict(
        {
            "hours": [["00:00", "23:59:59"]],
            "calendar": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6]},
            "hall": {"secret": "s"},
        }
    )
    catalog = load_catalog_file(DEMO_CATALOG)
    index = CatalogIndex(catalog)
    code = {m.name: m.code for m in catalog.matters.values()}

    def settle() -> None:
        for _ in range(6):
            app.processEvents()

    def page_png(pdf: str, name: str) -> None:
        # The printed documents as the citizen gets them (poppler's pdftoppm, where installed).
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-singlefile", pdf, str(out / name)], check=True
            )

    with tempfile.TemporaryDirectory() as tmp:
        db = HallDatabase(make_engine(f"sqlite:///{tmp}/hall.db"))
        upgrade(db.engine)
        qclock = FixedClock(at - dt.timedelta(minutes=25))
        queue = QueueService(db, settings, qclock)
        queue.sync_from_settings()
        manual = ManualClock(at)
        cases = CaseService(db, settings, manual, HallCalendar())
        services = IntakeServices(
            settings=settings,
            cases=cases,
            ratings=RatingService(db, settings, manual),
            clock=manual,
            load_catalog=lambda: (catalog, index),
            documents=DocumentPrinter(pdf_dir=Path(tmp) / "receipts"),
            today=lambda: at.date(),
        )
        staff = StaffView(id=3, username="w3", display_name="赵丽", role=Role.WINDOW)

        def shoot(english: bool, size: tuple[int, int]) -> None:
            lang = "en" if english else "zh"
            suffix = f"{lang}-{size[0]}x{size[1]}"
            translations.set_language("en" if english else "zh_CN")
            queue.issue("A")
            window = CounterWindow(
                queue,
                CounterSession(staff, 3),
                TaskRunner(inline=True),
                hall_name=settings.hall.name,
                now=lambda: at,
                english=english,
                intake=services,
            )
            window.resize(*size)
            window.show()
            window.start()
            window.status.set_printer("ready")
            window.call_panel.flow.press(Action.CALL_NEXT)
            fake = FakeCardReader()
            reader = QtCardReader(fake)
            reader.card_read.connect(window.on_card)
            reader.attach()
            fake.place_card("resident")
            settle()
            desk = window.intake_desk
            assert desk is not None
            flow = desk.flow
            panel = desk.panel

            def save(name: str, widget: object = window) -> None:
                settle()
                widget.grab().save(str(out / f"{name}-{suffix}.png"))  # type: ignore[attr-defined]

            # The picker answering pinyin initials.
            panel.picker.box.setText("登记")  # many hits: matters with their areas
            save("picker")
            # The checklist, undecided, then in each decision state.
            flow.pick("matter", code["二手房转移登记"])
            flow.set_field("phone", "13800138000")
            save("checklist-pending")
            flow.mark_rest(MaterialMark.RECEIVED)
            save("checklist-accept")
            key = next(i.key for i in flow.state.checklist.items if i.key_item)
            flow.mark(key, MaterialMark.MISSING)
            save("checklist-correction")
            flow.pick("matter", code["食品经营许可"])
            tolerable = next(i.key for i in flow.state.checklist.items if i.tolerable)
            flow.mark(tolerable, MaterialMark.TOLERATED)
            flow.mark_rest(MaterialMark.RECEIVED)
            save("checklist-tolerance")
            flow.accept()
            save("checklist-accepted-saved")
            if not english and size == SIZES[0]:
                page_png(flow.state.issued.pdf_path, "receipt-tolerance")
            flow.pick("matter", code["二手房转移登记"])
            flow.accept(
                reject_reason="房屋已被司法查封"
                if not english
                else "the property is under a court seizure"
            )
            save("checklist-rejected")
            # Cases for the desk: a correction notice out, one ready to hand over.
            flow.pick("matter", code["二手房转移登记"])
            flow.mark_rest(MaterialMark.RECEIVED)
            flow.mark(key, MaterialMark.MISSING)
            flow.accept()
            if not english and size == SIZES[0]:
                page_png(flow.state.issued.pdf_path, "notice-correction")
            flow.pick("bundle", "YJS-CS-0001")
            flow.mark_rest(MaterialMark.RECEIVED)
            flow.accept()
            bundle_case = flow.state.saved
            assert bundle_case is not None
            cases.transition(bundle_case.number, CaseAction.APPROVE, actor="backoffice")
            cases.transition(bundle_case.number, CaseAction.MARK_READY, actor="backoffice")
            desk.setCurrentWidget(desk.case_desk)
            desk.case_desk.show_list(DeskList.TODAY)
            save("case-desk")
            detail = desk.open_case(bundle_case.number)
            detail.resize(min(1100, size[0] - 100), min(680, size[1] - 80))
            save("case-detail", detail)
            detail.close()
            rating = desk.ask_rating(case_number=bundle_case.number)
            assert rating is not None
            # It goes full screen on the (offscreen) screen; shown here at the window's size.
            settle()
            rating.showNormal()
            rating.resize(*size)
            save("rating", rating)
            rating.choose(RatingLevel.DISSATISFIED)
            rating.reason_boxes["waiting"].setChecked(True)
            save("rating-bad", rating)
            rating.result = "screenshot"
            rating.close()
            reader.detach()
            window.call_panel.flow.press(Action.FINISH)
            if desk.rating is not None:
                desk.rating.result = "screenshot"
                desk.rating.close()
            window.close()
            settle()

        for english in (False, True):
            for size in SIZES:
                shoot(english, size)
        db.dispose()
    print("wrote", out)


if __name__ == "__main__":
    main()
