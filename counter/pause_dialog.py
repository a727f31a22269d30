"""Ask why the window pauses (暂停服务): the reason is shown to the hall manager and audited."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

__all__ = ["PauseDialog"]


class PauseDialog(QDialog):
    """An editable list of usual reasons; an empty reason cannot be confirmed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pauseDialog")
        self.setWindowTitle(self.tr("Pause window"))
        label = QLabel(self.tr("Why is the window pausing?"))
        self.reason = QComboBox()
        self.reason.setObjectName("pauseReason")
        self.reason.setEditable(True)
        self.reason.addItems(
            [
                self.tr("Break"),
                self.tr("Meeting"),
                self.tr("Back-office work"),
                self.tr("System fault"),
            ]
        )
        edit = self.reason.lineEdit()
        if edit is not None:
            edit.setMaxLength(60)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Pause"))
        self._buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.reason.currentTextChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self._buttons)
        self._update()

    def _update(self) -> None:
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.currentText().strip()))

    def chosen(self) -> str:
        return self.reason.currentText().strip()
