"""The citizen's rating view (好差评): five large buttons, a reason for a bad rating.

Shown after a ticket is finished or a result handed over, on the customer-facing screen: a
second screen when the PC has one, else the counter's own screen turned round (full screen).
The staff cannot rate for the citizen: the view has no way back to the staff screen (Escape,
Alt+F4 and closing are refused) until the citizen has rated or it times out.

Steps: levels → (bad rating) reasons, own words, may we call back → (where the hall asks)
the in-hall dimensions → saved. Saving runs on the runner through
:class:`~common.intake.rating.RatingService` (rating + outbox row in one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from common.intake.rating import BAD_REASONS, Dimension, InvalidRating, RatingDraft, RatingLevel
from counter.intake.flow import Runner
from counter.intake.words import t

__all__ = ["RatingView"]

_LEVEL_COLOURS = {5: "#2e7d32", 4: "#558b2f", 3: "#f9a825", 2: "#ef6c00", 1: "#c62828"}


class RatingView(QWidget):
    """A full-screen page for the citizen. ``finished(result)``: "rated", "timeout" or "already"."""

    finished = Signal(str)

    def __init__(
        self,
        save: Callable[[RatingDraft], Any],
        runner: Runner,
        *,
        ticket_id: int | None = None,
        case_number: str = "",
        window: int | None = None,
        english: bool = False,
        dimensions: bool = False,
        timeout_s: int = 60,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.setObjectName("ratingView")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet(
            "#ratingView{background:#f4f7fb;} QLabel#ratingTitle{font-size:34px;font-weight:bold;}"
            "QPushButton[level]{font-size:28px;font-weight:bold;color:white;border-radius:12px;padding:12px;"
            "min-width:120px;min-height:160px;max-height:320px;}"
            "QCheckBox{font-size:24px;spacing:12px;} QCheckBox::indicator{width:34px;height:34px;}"
            "QLineEdit{font-size:22px;padding:8px;}"
            "QPushButton#ratingSubmit{font-size:26px;padding:14px;}"
        )
        self.save, self.runner = save, runner
        self.ticket_id, self.case_number, self.window_number = ticket_id, case_number, window
        self.english = english
        self.ask_dimensions = dimensions
        self.level: RatingLevel | None = None
        self.result = ""
        self.saving = False
        self.title = QLabel()
        self.title.setObjectName("ratingTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("ratingNote")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setStyleSheet("font-size:20px;color:#b3261e;")
        self.pages = QStackedWidget()

        # page 0: the five levels
        levels = QWidget()
        row = QHBoxLayout(levels)
        row.setSpacing(18)
        self.level_buttons: dict[RatingLevel, QPushButton] = {}
        for level in RatingLevel:
            button = QPushButton()
            button.setProperty("level", str(int(level)))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setStyleSheet(f"background:{_LEVEL_COLOURS[int(level)]};")
            button.clicked.connect(lambda _c=False, lv=level: self.choose(lv))
            self.level_buttons[level] = button
            row.addWidget(button)
        self.pages.addWidget(levels)

        # page 1: bad rating — reasons, own words, call back?
        bad = QWidget()
        grid = QGridLayout(bad)
        self.reason_boxes: dict[str, QCheckBox] = {}
        for i, (key, _zh, _en) in enumerate(BAD_REASONS):
            box = QCheckBox()
            box.setMinimumHeight(48)
            self.reason_boxes[key] = box
            grid.addWidget(box, i // 3, i % 3)
        self.comment = QLineEdit()
        self.comment.setObjectName("ratingComment")
        self.comment.setMaxLength(500)
        grid.addWidget(self.comment, 2, 0, 1, 3)
        self.callback = QCheckBox()
        self.callback.setObjectName("ratingCallback")
        grid.addWidget(self.callback, 3, 0, 1, 3)
        self.pages.addWidget(bad)

        # page 2: the in-hall dimensions (where the hall asks)
        dims = QWidget()
        dgrid = QGridLayout(dims)
        self.dimension_labels: dict[Dimension, QLabel] = {}
        self.dimension_buttons: dict[tuple[Dimension, RatingLevel], QPushButton] = {}
        self.dimension_values: dict[Dimension, RatingLevel] = {}
        for r, dim in enumerate(Dimension):
            label = QLabel()
            label.setStyleSheet("font-size:22px;")
            self.dimension_labels[dim] = label
            dgrid.addWidget(label, r, 0)
            for c, level in enumerate(RatingLevel):
                button = QPushButton()
                button.setCheckable(True)
                button.setMinimumHeight(48)
                button.clicked.connect(lambda _c=False, d=dim, lv=level: self._dimension(d, lv))
                self.dimension_buttons[(dim, level)] = button
                dgrid.addWidget(button, r, c + 1)
        self.pages.addWidget(dims)

        # page 3: thanks
        thanks = QWidget()
        QVBoxLayout(thanks)
        self.pages.addWidget(thanks)

        self.submit = QPushButton()
        self.submit.setObjectName("ratingSubmit")
        self.submit.setMinimumHeight(64)
        self.submit.clicked.connect(self.send)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.submit)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(max(1, timeout_s) * 1000)
        self._timeout.timeout.connect(self._timed_out)
        self._timeout.start()
        self.retranslate()

    # ------------------------------------------------------------------ text

    def retranslate(self) -> None:
        e = self.english
        page = self.pages.currentIndex()
        self.title.setText(
            {
                0: t(e, "请您对本次服务作出评价", "Please rate our service"),
                1: t(
                    e,
                    "很抱歉！请告诉我们哪里做得不好",
                    "We are sorry. Please tell us what went wrong",
                ),
                2: t(e, "请对以下方面评价", "Please rate each of these"),
                3: t(e, "感谢您的评价！", "Thank you for your rating!"),
            }[page]
        )
        for level, button in self.level_buttons.items():
            button.setText(level.label_en.replace(" ", "\n", 1) if e else level.label)
        for key, zh, en in BAD_REASONS:
            self.reason_boxes[key].setText(en if e else zh)
        self.comment.setPlaceholderText(
            t(e, "您的意见（可选，选“其他”时必填）", "Your words (optional; needed with “other”)")
        )
        self.callback.setText(t(e, "同意工作人员回访我", "You may call me back about this"))
        for dim, label in self.dimension_labels.items():
            label.setText(dim.label_en if e else dim.label)
        for (_dim, level), button in self.dimension_buttons.items():
            button.setText(level.label_en if e else level.label)
        self.submit.setText(t(e, "提交评价", "Submit"))
        self.submit.setVisible(page in (1, 2))

    # ------------------------------------------------------------------ showing

    def show_for_citizen(self) -> None:
        """Full screen on the second screen when there is one, else on this one."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.winId()  # creates the native window, so it can be placed on the other screen
            handle = self.windowHandle()
            if handle is not None:
                handle.setScreen(screens[1])
            self.setGeometry(screens[1].geometry())
        self.showFullScreen()
        self.activateWindow()

    # ------------------------------------------------------------------ steps

    def choose(self, level: RatingLevel) -> None:
        if self.saving or self.result:
            return
        self._timeout.start()  # the citizen is here: the full time again
        self.level = level
        if level.is_bad:
            self.pages.setCurrentIndex(1)
        elif self.ask_dimensions:
            self.pages.setCurrentIndex(2)
        else:
            self.send()
            return
        self.retranslate()

    def _dimension(self, dim: Dimension, level: RatingLevel) -> None:
        self._timeout.start()
        self.dimension_values[dim] = level
        for (d, lv), button in self.dimension_buttons.items():
            if d is dim:
                button.setChecked(lv is level)

    def draft(self) -> RatingDraft:
        assert self.level is not None
        reasons = tuple(k for k, box in self.reason_boxes.items() if box.isChecked())
        return RatingDraft(
            level=self.level,
            ticket_id=self.ticket_id,
            case_number=self.case_number,
            reasons=reasons,
            comment=self.comment.text(),
            callback=self.callback.isChecked(),
            dimensions=dict(self.dimension_values),
            window=self.window_number,
        )

    def send(self) -> None:
        if self.level is None or self.saving or self.result:
            return
        if self.pages.currentIndex() == 1 and self.ask_dimensions and not self.dimension_values:
            # A bad rating's reasons first, then the dimensions, then one save.
            try:
                self.draft().checked(dimensions_asked=False)
            except InvalidRating as exc:
                self.note.setText(exc.message_en if self.english else exc.message_zh)
                return
            self.note.clear()
            self.pages.setCurrentIndex(2)
            self.retranslate()
            return
        try:
            draft = self.draft()
            draft.checked(dimensions_asked=self.ask_dimensions)
        except InvalidRating as exc:
            self.note.setText(exc.message_en if self.english else exc.message_zh)
            return
        self.saving = True
        self.note.clear()
        self.runner.submit(lambda: self.save(draft), self._saved, self._failed)

    def _saved(self, _rating: object) -> None:
        self.saving = False
        self.pages.setCurrentIndex(3)
        self.retranslate()
        self._finish("rated", 1500)

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        from common.intake.rating import AlreadyRated

        if isinstance(exc, AlreadyRated):
            self.note.setText(exc.message_en if self.english else exc.message_zh)
            self._finish("already", 1500)
            return
        text = getattr(exc, "message_en" if self.english else "message_zh", None) or t(
            self.english, "评价未能保存，请再试一次", "The rating was not saved; please try again"
        )
        self.note.setText(text)

    def _timed_out(self) -> None:
        if not self.saving and not self.result:
            self._finish("timeout", 0)

    def _finish(self, result: str, delay_ms: int) -> None:
        self.result = result
        self._timeout.stop()
        QTimer.singleShot(delay_ms, self._close_now)

    def _close_now(self) -> None:
        self.finished.emit(self.result)
        self.close()

    # ------------------------------------------------------------------ no way back

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            return  # the staff cannot leave the citizen's page
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.result:
            event.ignore()  # Alt+F4 and the window manager are refused until rated or timed out
            return
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
