"""The layout rules of DESIGN.md as failing checks (STYLE.md habit 1).

- `common/` outside `common/qt/` imports no Qt: the domain runs without a screen.
- kiosk and counter never import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _offenders(folder: str, forbidden: tuple[str, ...], exclude: str | None = None) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if exclude and rel.startswith(exclude):
            continue
        for name in _imports(path):
            if name.split(".")[0] in forbidden:
                found.append(f"{rel} imports {name}")
    return found


def test_common_imports_no_qt_outside_common_qt() -> None:
    assert _offenders("common", ("PySide6", "PyQt5", "PyQt6", "shiboken6"), exclude="common/qt/") == []


def test_kiosk_and_counter_do_not_import_each_other() -> None:
    assert _offenders("kiosk", ("counter",)) == []
    assert _offenders("counter", ("kiosk",)) == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport counter.app\n", encoding="utf-8")
    assert _imports(bad) == {"PySide6.QtCore", "counter.app"}
