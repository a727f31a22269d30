"""The kiosk's smaller parts: the service model, translations, layout checks, the entry point."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.models import ServiceListModel, ServiceRole
from tests.kiosk.conftest import status

ROOT = Path(__file__).resolve().parents[2]


def test_service_model_updates_in_place(qtmodeltester, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    model = ServiceListModel()
    model.set_statuses([status("A", general=True), status("B")])
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.dataChanged):
        model.set_statuses([status("A", general=True), status("B", waiting=9)])
    assert model.data(model.index(1), ServiceRole.WAITING) == 9
    model.set_statuses([status("A", general=True)])
    assert model.rowCount() == 1
    model.set_language("en")
    assert model.data(model.index(0)) == "Service A"
    qtmodeltester.check(model)


def _sources() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "kiosk").rglob("*.py"):
        if "display" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                and node.args and isinstance(node.args[0], ast.Constant)
            ):
                found.add(str(node.args[0].value))
    return found


def test_every_string_has_a_chinese_translation() -> None:
    tree = ET.parse(ROOT / "resources" / "translations" / "kiosk_zh_CN.ts")
    translated = {
        m.findtext("source"): (m.findtext("translation") or "")
        for m in tree.iter("message")
        if (m.find("translation") is None or m.find("translation").get("type") != "unfinished")  # type: ignore[union-attr]
    }
    sources = _sources()
    assert sources, "no tr() strings found"
    missing = sorted(s for s in sources if not translated.get(s))
    assert not missing, f"untranslated: {missing}"
    # Placeholders survive translation.
    for source in sources:
        for marker in ("%1", "%2"):
            assert (marker in source) == (marker in translated[source]), source


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_screens_fit_in_large_print_english(qtbot: QtBot, size: tuple[int, int], tmp_path: Path) -> None:
    # The longest texts (English) at the largest sizes (elderly): nothing clipped, no small target.
    from PySide6.QtWidgets import QApplication

    from common.qt.theme import apply_theme
    from kiosk.screenshots import _scenes, demo_kiosk, find_problems

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    scenes = _scenes()
    try:
        for name in ("home-card", "ticket-no-paper", "notice-limit", "green"):
            folder = tmp_path / name
            folder.mkdir()
            with demo_kiosk(folder, size=size, language="en", elderly=True) as (window, queue, _):
                apply_theme(app, "kiosk", elderly=True)
                scenes[name](window, queue)
                app.processEvents()
                assert (window.width(), window.height()) == size  # type: ignore[attr-defined]
                assert find_problems(window) == [], name  # type: ignore[arg-type]
    finally:
        app.setStyleSheet("")


def _run_kiosk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONEWINDOW_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen",
           "ONEWINDOW_CONFIG": str(tmp_path / "none.toml"), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kiosk.app", *args], env=env, capture_output=True, text=True,
                          timeout=60, cwd=ROOT)


def test_main_starts_and_refuses_a_second_instance(tmp_path: Path) -> None:
    from PySide6.QtCore import QLockFile

    env = {**os.environ, "ONEWINDOW_DATA_DIR": str(tmp_path / "data"), "ONEWINDOW_CONFIG": str(tmp_path / "none.toml")}
    subprocess.run([sys.executable, "-m", "common.cli", "seed-demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    first = _run_kiosk(tmp_path, "--windowed", "--size", "1920x1080", "--exit-after-first-frame",
                       "--printer-dir", str(tmp_path / "printed"), "--station", "kiosk-9")
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.stdout.startswith("first-frame-ms")
    lock = QLockFile(str(tmp_path / "data" / "kiosk.lock"))
    assert lock.tryLock(100)
    try:
        second = _run_kiosk(tmp_path, "--windowed", "--exit-after-first-frame")
        assert second.returncode == 2
        assert "already running" in second.stderr
    finally:
        lock.unlock()


def test_bad_size_is_a_usage_error() -> None:
    from kiosk.app import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--size", "big"])
    args = parse_args(["--size", "1080x1920", "--reader", "COM3", "--station", "k2"])
    assert args.size == (1080, 1920) and args.reader == "COM3" and args.station == "k2"


def test_command_line_overrides_settings(tmp_path: Path) -> None:
    from kiosk.app import parse_args, settings_for

    settings = settings_for(parse_args(["--windowed", "--reader", "/dev/ttyUSB1", "--printer-dir", str(tmp_path)]))
    assert settings.reader.port == "/dev/ttyUSB1"
    assert settings.printer.connection == "png" and settings.printer.png_dir == str(tmp_path)
    assert settings.kiosk.full_screen is False
