"""调整窗口业务: which services a window serves for the rest of the day, and with what weight."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter.manager.words import t

__all__ = ["ReassignDialog"]

MAX_WEIGHT = 5


class ReassignDialog(QDialog):
    """One spin box per service: 0 = not served, 1–5 = the weight (板块 3, 全科 2, AB 岗 1 …).

    OK stays disabled while no service is chosen: a window must serve something.
    """

    def __init__(
        self,
        window: int,
        services: Sequence[tuple[str, str]],
        current: Mapping[str, int],
        parent: QWidget | None = None,
        *,
        english: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reassignDialog")
        self.setMinimumWidth(380)
        e = english
        self.setWindowTitle(t(e, f"调整 {window} 号窗口业务", f"Services of window {window}"))
        note = QLabel(
            t(
                e,
                "0 表示不办理；数字越大，叫号时越优先。仅今天有效，明天恢复原配置。",
                "0: not served; a higher weight is called first. For today only.",
            )
        )
        note.setWordWrap(True)
        grid = QGridLayout()
        self.spins: dict[str, QSpinBox] = {}
        for row, (prefix, name) in enumerate(services):
            spin = QSpinBox()
            spin.setRange(0, MAX_WEIGHT)
            spin.setValue(int(current.get(prefix, 0)))
            spin.valueChanged.connect(self._check)
            self.spins[prefix] = spin
            grid.addWidget(QLabel(f"{prefix}  {name}"), row // 2, (row % 2) * 2)
            grid.addWidget(spin, row // 2, (row % 2) * 2 + 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t(e, "确定", "OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t(e, "取消", "Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # 恢复原配置: drop today's reassignment (the window's configured services come back).
        self.restore = False
        self.restore_button = self.buttons.addButton(
            t(e, "恢复原配置", "Back to its own"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.restore_button.clicked.connect(self._restore)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(self.buttons)
        self._check()

    def weights(self) -> dict[str, int]:
        """The chosen services and weights (services at 0 left out)."""
        return {p: spin.value() for p, spin in self.spins.items() if spin.value() > 0}

    def _restore(self) -> None:
        self.restore = True
        self.accept()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.weights()))
