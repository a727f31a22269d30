"""The intake part of ``onewindow demo --tour``: the real counter window, offscreen.

    python -m counter.intake.demo_tour --config <demo hall.toml> --out <demo folder>

Logs in as the demo's window staff ``w1`` at window 1, calls the next ticket (issuing one when
nobody waits), reads the counter reader's sample card (the fake reader: the demo's simulated
readers belong to the running apps), accepts a case with one tolerated item, writes its
receipt (受理回执) PDF into ``<out>/receipts``, opens the case desk, and saves screenshots into
``<out>/screenshots``.

The demo catalog's 二手房转移登记 has no tolerable item (its facts are not changed for a demo):
the tolerated case is 食品经营许可 (食品安全管理制度 容缺); a 二手房转移登记 case is accepted
in full first.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="counter.intake.demo_tour")
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)

    from common.qt.pyside_compat import protect_singletons

    protect_singletons()
    from PySide6.QtWidgets import QApplication

    from common.bootstrap import open_hall
    from common.devices.idcard.fake import FakeCardReader
    from common.intake.words import MaterialMark
    from common.qt.i18n import Translations
    from common.qt.idcard import QtCardReader
    from common.qt.theme import apply_theme
    from common.qt.worker import TaskRunner
    from common.staff import authenticate
    from counter.intake.printing import DocumentPrinter
    from counter.intake.queries import DeskList
    from counter.intake.wiring import build_intake_services
    from counter.main_window import CounterWindow
    from counter.session import Action, CounterSession

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "counter")
    Translations(app, ("counter",)).set_language("zh_CN")
    hall = open_hall(args.config)
    shots = args.out / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    receipts = args.out / "receipts"
    try:
        settings, queue = hall.settings, hall.queue
        staff = authenticate(hall.db, "w1", "window1", station="demo-tour", tz=settings.hall.tz)
        wiring = build_intake_services(hall.db, settings, app)
        services = wiring.services
        services.documents = DocumentPrinter(pdf_dir=receipts)
        services.rating_enabled = False  # nobody is there to rate in a headless tour
        # Inline: a scripted tour waits for each step anyway.
        services.print_runner = services.catalog_runner = None
        window = CounterWindow(
            queue,
            CounterSession(staff, 1),
            TaskRunner(inline=True),
            hall_name=settings.hall.name,
            intake=services,
        )
        window.resize(1366, 768)
        window.show()
        window.start()
        desk = window.intake_desk
        assert desk is not None

        def settle() -> None:
            for _ in range(6):
                app.processEvents()

        if not queue.window_status(1).current:
            mine = set(queue.window_status(1).services)
            if not any(s.waiting for s in queue.service_statuses() if s.prefix in mine):
                queue.issue(sorted(mine)[0] if mine else None, source="demo-tour")
                window.call_panel.flow.refresh()  # the new ticket makes F1 legal
            window.call_panel.flow.press(Action.CALL_NEXT)
        ticket = window.call_panel.flow.state.current
        print(f"[演示] 1号窗口叫号 / window 1 calls {ticket.number if ticket else '—'}", flush=True)
        fake = FakeCardReader()
        reader = QtCardReader(fake)
        reader.card_read.connect(window.on_card)
        reader.attach()
        fake.place_card("resident")
        settle()
        flow = desk.flow
        flow.set_field("phone", "13800138000")
        catalog = flow.catalog
        assert catalog is not None
        code = {m.name: m.code for m in catalog.matters.values()}

        desk.panel.picker.box.setText("eshfzy")
        flow.pick("matter", code["二手房转移登记"])
        flow.mark_rest(MaterialMark.RECEIVED)
        settle()
        window.grab().save(str(shots / "intake-accept.png"))
        flow.accept()
        first = flow.state.saved
        print(f"[演示] 受理 / accepted {first.number if first else '—'} 二手房转移登记", flush=True)

        flow.pick("matter", code["食品经营许可"])
        tolerable = (
            next(i for i in flow.state.checklist.items if i.tolerable)
            if flow.state.checklist
            else None
        )
        assert tolerable is not None
        flow.mark(tolerable.key, MaterialMark.TOLERATED)
        flow.mark_rest(MaterialMark.RECEIVED)
        settle()
        window.grab().save(str(shots / "intake-tolerance.png"))
        flow.accept()
        case = flow.state.saved
        issued = flow.state.issued
        assert case is not None and issued is not None and issued.pdf_path, flow.state.message
        print(
            f"[演示] 容缺受理 / accepted with tolerance {case.number}: {tolerable.name} 限 "
            f"{case.supplement_deadline} 前补齐",
            flush=True,
        )
        print(f"[演示] 受理回执 / receipt PDF: {issued.pdf_path}", flush=True)
        desk.setCurrentWidget(desk.case_desk)
        desk.case_desk.show_list(DeskList.TODAY)
        settle()
        window.grab().save(str(shots / "case-desk.png"))
        detail = desk.open_case(case.number)
        detail.resize(1100, 680)
        settle()
        detail.grab().save(str(shots / "case-detail.png"))
        print(
            f"[演示] 办件台 / case desk: {desk.case_desk.model.rowCount()} case(s) today; "
            f"screenshots in {shots}",
            flush=True,
        )
        detail.close()
        reader.detach()
        window.close()
        wiring.shutdown()
    finally:
        hall.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
