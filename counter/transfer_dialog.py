"""Choose the service to transfer the current ticket to (转移)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["TransferDialog"]


class TransferDialog(QDialog):
    """A list of the other services; the ticket keeps its original issue time in the new queue."""

    def __init__(
        self, number: str, services: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transferDialog")
        self.setWindowTitle(self.tr("Transfer ticket"))
        label = QLabel(
            self.tr("Transfer %1 to which service? It keeps its place by issue time.").replace(
                "%1", number
            )
        )
        label.setWordWrap(True)
        self.services = QListWidget()
        self.services.setObjectName("transferServices")
        for prefix, name in services:
            item = QListWidgetItem(f"{prefix}  {name}")
            item.setData(Qt.ItemDataRole.UserRole, prefix)
            self.services.addItem(item)
        if services:
            self.services.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Transfer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.services.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.services)
        layout.addWidget(buttons)
        self.resize(420, 420)

    def chosen(self) -> str | None:
        item = self.services.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
