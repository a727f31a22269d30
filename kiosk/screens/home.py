"""Home (首页): the one-tap button for the general queue and a tile per service.

Portrait stacks the title, the one-tap button, the tiles and the green-channel row. Landscape
has too little height for that in large print (the tiles got one and a half rows), so the
one-tap button and the green-channel row move to a column on the left and the tiles get the
whole height beside it, in as many columns as keep them at three rows or fewer (four at most).

The tiles sit in a scroll area: when a small panel or large print leaves too little room for
every tile at a readable size, the list scrolls (by finger, or by its wide scroll bar) instead
of squeezing tiles onto each other. A tile never grows past its style's ``max-height``, so a hall
with one service does not get a half-screen-tall button; a hall with only a row or two of
tiles has them centred in the space, not hanging under the one-tap button over a blank half.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from common.queue.lookup import general_service
from common.queue.service import ServiceStatus
from kiosk.flow import KioskFlow, KioskState
from kiosk.models import ServiceListModel
from kiosk.screens.base import KioskScreen
from kiosk.texts import service_name, tr, wait_text
from kiosk.widgets import TouchButton, label

__all__ = ["HomeScreen", "ServiceTile", "side_columns"]

LANDSCAPE_ROWS = 3  # beside the one-tap column: at most this many rows before adding a column
LANDSCAPE_MAX_COLUMNS = 4


def side_columns(services: int) -> int:
    """Tile columns beside the one-tap column (landscape): one row for up to three services,
    then as few columns as keep the tiles to :data:`LANDSCAPE_ROWS` rows (nine: 3 × 3)."""
    if services <= LANDSCAPE_ROWS:
        return max(1, services)
    return min(LANDSCAPE_MAX_COLUMNS, math.ceil(services / LANDSCAPE_ROWS))


class ServiceTile(QPushButton):
    """One service: its name, then waiting count and estimated wait, or why it is closed."""

    def __init__(self, object_name: str = "tile", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.name = label(f"{object_name}Name", align=Qt.AlignmentFlag.AlignCenter)
        self.info = label(f"{object_name}Info", align=Qt.AlignmentFlag.AlignCenter)
        for child in (self.name, self.info):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addStretch(1)
        layout.addWidget(self.name)
        layout.addWidget(self.info)
        layout.addStretch(1)
        self.prefix: str | None = None
        self.status: ServiceStatus | None = None

    def show_status(self, status: ServiceStatus, language: str, title: str | None = None) -> None:
        self.status = status
        self.name.setText(title or service_name(status, language))
        if status.open:
            info = wait_text(status.waiting, status.estimated_wait_minutes)
            if status.id_card == "required":
                info += "\n" + tr("ID card required")
        else:
            info = status.closed_reason_zh if language == "zh_CN" else status.closed_reason_en
        self.info.setText(info)
        self.setProperty("closed", not status.open)
        self.style().unpolish(self)
        self.style().polish(self)
        # Accessible text for screen readers and for tests: colour is never the only cue.
        self.setAccessibleName(f"{self.name.text()} {info}")

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        layout = self.layout()
        if layout is not None:
            hint = hint.expandedTo(layout.sizeHint())
        return hint

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.minimumSize() if layout is not None else super().minimumSizeHint()

    def heightForWidth(self, width: int) -> int:
        # The layout's answer knows the wrapped text but not the style's min-height; the scroll
        # area sizes the tile list by this, so without the floor tiles would overlap, not scroll.
        return max(super().heightForWidth(width), self.minimumHeight())


class HomeScreen(KioskScreen):
    """The start screen; tiles are built from :class:`ServiceListModel` rows."""

    def __init__(
        self,
        flow: KioskFlow,
        model: ServiceListModel,
        parent: QWidget | None = None,
        *,
        on_self_service: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._flow = flow
        self._model = model
        self._columns = 4
        self._state: KioskState | None = None
        self.title = label("screenTitle", align=Qt.AlignmentFlag.AlignCenter)
        self.one_tap = ServiceTile("oneTap")
        self.one_tap.clicked.connect(lambda: self._flow.tap_service(None))
        self.empty = label("hint", align=Qt.AlignmentFlag.AlignCenter)
        self.tile_box = QWidget()
        self.tile_box.setObjectName("tileBox")
        self.grid = QGridLayout(self.tile_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(16)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.tile_scroll = QScrollArea()
        self.tile_scroll.setObjectName("tileScroll")
        self.tile_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.tile_scroll.setWidgetResizable(True)
        self.tile_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tile_scroll.setWidget(self.tile_box)
        # Touch screens send touch events: a finger drag scrolls, a tap still taps a tile.
        QScroller.grabGesture(
            self.tile_scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture
        )
        self.tiles: list[ServiceTile] = []
        # Self-service entries beside the one-tap button (办件查询 …), smaller than it; an entry
        # appears only when its pages exist (kiosk.screens.selfservice).
        self.entries: dict[str, TouchButton] = {}
        # Two columns: four entries in one row clip their words in large print (English most).
        self.entry_row = QGridLayout()
        self.entry_row.setSpacing(12)
        self.title_row = QHBoxLayout()
        self.title_row.setSpacing(16)
        if on_self_service is not None:
            for entry in ("lookup", "certificates", "checkin", "rating"):
                button = TouchButton("", "selfEntry")
                # Never narrower than its words: beside the title the title wraps instead.
                button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
                button.clicked.connect(lambda _=False, e=entry: on_self_service(e))
                self.entry_row.addWidget(button, len(self.entries) // 2, len(self.entries) % 2)
                self.entries[entry] = button
        self.green_button = TouchButton("", "green")
        self.green_button.clicked.connect(self._flow.tap_green)
        self.green_hint = label("hint")
        # Button beside its hint in portrait; above it in the narrow landscape column.
        self.green_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.green_row.addWidget(self.green_button)
        self.green_row.addWidget(self.green_hint, 1)
        # side: the landscape column (one-tap, green channel); main: everything in portrait,
        # the title and tiles in landscape. An empty side column takes no room.
        self.side = QVBoxLayout()
        self.side.setSpacing(16)
        self.main = QVBoxLayout()
        self.main.setSpacing(16)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(24)
        layout.addLayout(self.side, 0)
        layout.addLayout(self.main, 1)
        self._outer = layout
        self.landscape = False
        self._arranged: bool | None = None
        self._arrange()
        model.rowsInserted.connect(self._rebuild)
        model.rowsRemoved.connect(self._rebuild)
        model.modelReset.connect(self._rebuild)
        model.dataChanged.connect(self._changed)

    def set_columns(self, columns: int) -> None:
        """Tile columns under the one-tap button (portrait); landscape picks its own
        (:func:`side_columns`)."""
        if columns != self._columns:
            self._columns = columns
            self._rebuild()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        size = event.size()
        landscape = size.width() > size.height()
        if landscape != self.landscape:
            self.landscape = landscape
            self._arrange()
            self._rebuild()

    def _arrange(self) -> None:
        """Put the widgets in the portrait stack or in the landscape side column + tiles."""
        if self._arranged is self.landscape:
            return
        self._arranged = self.landscape
        for box in (self.side, self.main, self.title_row):
            while box.count():
                box.takeAt(0)
        for widget in (self.one_tap, self.one_tap.name, *self.entries.values()):
            # kiosk*.qss: a taller one-tap with a smaller name; lower entries beside the title
            widget.setProperty("side", self.landscape)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        if self.landscape:
            self.green_row.setDirection(QBoxLayout.Direction.TopToBottom)
            self.side.addWidget(self.one_tap, 1)
            self.side.addLayout(self.green_row)
            # The entries share the title's row, beside the one-tap column: in the column they
            # would squeeze the one-tap button, on a row of their own push tiles off screen.
            self.title_row.addWidget(self.title, 1)
            self.title_row.addLayout(self.entry_row)
            self.main.addLayout(self.title_row)
            self.main.addWidget(self.empty)
            self.main.addWidget(self.tile_scroll, 1)
            # The one-tap column: a third of the width, wide enough for 一键取号 in large print.
            self._outer.setStretch(0, 1)
            self._outer.setStretch(1, 2)
        else:
            self.green_row.setDirection(QBoxLayout.Direction.LeftToRight)
            self.main.addWidget(self.title)
            self.main.addWidget(self.one_tap, 2)
            self.main.addLayout(self.entry_row)
            self.main.addWidget(self.empty)
            self.main.addWidget(self.tile_scroll, 5)
            self.main.addLayout(self.green_row)
            self._outer.setStretch(0, 0)
            self._outer.setStretch(1, 1)

    def columns(self) -> int:
        """The tile columns in use: never more than there are tiles, so one tile is full width."""
        count = len(self._services())
        wanted = side_columns(count) if self.landscape else self._columns
        return max(1, min(wanted, count))

    def _services(self) -> list[ServiceStatus]:
        return [s for s in self._model.statuses() if not s.general]

    def _rebuild(self, *_: object) -> None:
        for tile in self.tiles:
            self.grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = []
        columns = self.columns()
        services = self._services()
        for i, status in enumerate(services):
            tile = ServiceTile()
            tile.prefix = status.prefix
            tile.clicked.connect(lambda _=False, p=status.prefix: self._flow.tap_service(p))
            self.grid.addWidget(tile, i // columns, i % columns)
            self.tiles.append(tile)
        for c in range(max(columns, self.grid.columnCount())):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        # A row or two of tiles (a small hall) sits in the middle of its space, not at the top.
        rows = math.ceil(len(services) / columns)
        few = rows <= (1 if self.landscape else 2)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignVCenter if few else Qt.AlignmentFlag.AlignTop)
        self._fill()

    def _changed(
        self,
        top: QModelIndex | QPersistentModelIndex,
        bottom: QModelIndex | QPersistentModelIndex,
        roles: object = None,
    ) -> None:
        self._fill()

    def _fill(self) -> None:
        language = self._model.language
        for tile, status in zip(self.tiles, self._services(), strict=False):
            tile.show_status(status, language)
        general = general_service(self._model.statuses())
        self.one_tap.setVisible(general is not None)
        if general is not None:
            self.one_tap.show_status(general, language, tr("Take a number — one tap"))
            self.one_tap.setAccessibleName(
                f"{tr('Take a number — one tap')} {service_name(general, language)}"
            )
            self.one_tap.name.setText(tr("Take a number — one tap"))
            extra = service_name(general, language)
            if general.open:
                self.one_tap.info.setText(
                    f"{extra} · {wait_text(general.waiting, general.estimated_wait_minutes)}"
                )
        self.empty.setVisible(not self._model.statuses())

    def service_tile(self, prefix: str) -> ServiceTile | None:
        for tile in self.tiles:
            if tile.prefix == prefix:
                return tile
        return None

    def show_state(self, state: KioskState) -> None:
        self._state = state
        self.title.setText(tr("Please choose a service"))
        self.empty.setText(
            tr("Loading services…")
            if not state.db_down
            else tr("Services will appear as soon as the system is back.")
        )
        self.green_button.setText(tr("Green channel"))
        for entry, button in self.entries.items():
            if entry == "lookup":
                button.setText(tr("Case progress"))
            elif entry == "rating":
                button.setText(tr("Rating"))
            elif entry == "certificates":
                button.setText(tr("Print certificate"))
            elif entry == "checkin":
                button.setText(tr("Appointment check-in"))
        if state.reader_out:
            # The card reader is unplugged, on a wrong port or silent: "place your card" would
            # send a 70+ citizen to a dead reader. Staff have been told (device alert).
            hint = tr(
                "The ID card reader is not working and staff have been told. Aged 70 or over, "
                "or your service needs an ID card? Please ask the staff."
            )
        elif not state.reader_configured:
            # No reader on this kiosk (--reader "" on a PC shared with a counter): no card to place.
            hint = tr(
                "Aged 70 or over? Please ask the staff — you will be served with priority. "
                "Services that need an ID card are handled at the service desk."
            )
        else:
            hint = tr(
                "Aged 70 or over? Place your ID card on the reader first — "
                "you will be served with priority."
            )
        self.green_hint.setText(hint)
        if self.green_hint.property("trouble") != state.reader_out:
            self.green_hint.setProperty(
                "trouble", state.reader_out
            )  # kiosk.qss: amber, like the printer
            self.green_hint.style().unpolish(self.green_hint)
            self.green_hint.style().polish(self.green_hint)
        self._fill()
