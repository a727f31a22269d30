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
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
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


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080), (720, 1280), (1280, 720)])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_screens_fit_in_large_print(
    qtbot: QtBot, size: tuple[int, int], language: str, tmp_path: Path
) -> None:
    # The largest sizes (elderly) at the design panels and at 720p, where the demo runs: nothing
    # clipped, overlapping or wrapped a character per line, no small target, no text under 18 px.
    # The window applies its own theme, scaled to its size.
    from PySide6.QtWidgets import QApplication

    from kiosk.screenshots import _scenes, demo_kiosk, find_problems, settle

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    scenes = _scenes()
    try:
        for name in ("home-card", "card", "ticket-no-paper", "notice-limit", "green"):
            folder = tmp_path / name
            folder.mkdir()
            with demo_kiosk(folder, size=size, language=language, elderly=True) as (
                window,
                queue,
                _,
            ):
                scenes[name](window, queue)
                settle(app)
                assert (window.width(), window.height()) == size  # type: ignore[attr-defined]
                assert find_problems(window, elderly=True) == [], name  # type: ignore[arg-type]
                if name == "home-card":
                    tile = window.home.tiles[0]  # type: ignore[attr-defined]
                    # 适老化: the largest text ≥ 30 dp, body ≥ 18 dp, targets ≥ 60 dp at any size.
                    assert window.home.one_tap.name.fontInfo().pixelSize() >= 30  # type: ignore[attr-defined]
                    assert (
                        tile.info.fontInfo().pixelSize() >= 18
                        and min(tile.width(), tile.height()) >= 60
                    )
    finally:
        app.setStyleSheet("")
        # The screenshot kiosks share one set of translators; leave none installed for others.
        from kiosk.screenshots import _TRANSLATIONS

        for translations in _TRANSLATIONS:
            translations.set_language("en")


def _tiles_in_view(home: object) -> list[str]:
    """Prefixes of the service tiles wholly inside the tile scroll area's viewport."""
    from PySide6.QtCore import QPoint, QRect

    viewport = home.tile_scroll.viewport()  # type: ignore[attr-defined]
    return [
        tile.prefix
        for tile in home.tiles  # type: ignore[attr-defined]
        if tile.isVisibleTo(viewport)
        and viewport.rect().contains(QRect(tile.mapTo(viewport, QPoint(0, 0)), tile.size()))
    ]


@pytest.mark.parametrize(("size", "in_view"), [((1920, 1080), 8), ((1280, 720), 6)])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_landscape_home_shows_the_services_in_large_print(
    qtbot: QtBot, size: tuple[int, int], in_view: int, language: str, tmp_path: Path
) -> None:
    # Landscape used to stack the one-tap button over the tiles: in large print one and a half
    # rows of tiles showed and the rest scrolled. The one-tap button now sits in a column of
    # its own and the nine demo services (the general one is the one-tap button, eight tiles)
    # show at 1080p without scrolling; at 720p at least two rows do.
    from PySide6.QtWidgets import QApplication

    from kiosk.screenshots import demo_kiosk, find_problems, settle

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        with demo_kiosk(tmp_path, size=size, language=language, elderly=True) as (window, _, _):
            settle(app)
            home = window.home  # type: ignore[attr-defined]
            assert find_problems(window, elderly=True) == []  # type: ignore[arg-type]
            assert len(home.tiles) == 8 and home.one_tap.isVisible()
            assert len(_tiles_in_view(home)) >= in_view, _tiles_in_view(home)
            if in_view == len(home.tiles):
                assert not home.tile_scroll.verticalScrollBar().isVisible()
            assert home.one_tap.geometry().right() < home.tile_scroll.geometry().left()
            # 适老化: the main labels ≥ 30 dp, every target ≥ 60 dp.
            assert home.one_tap.name.fontInfo().pixelSize() >= 30
            for tile in home.tiles:
                assert (
                    tile.name.fontInfo().pixelSize() >= 30
                    and min(tile.width(), tile.height()) >= 60
                )
            assert min(home.green_button.width(), home.green_button.height()) >= 60
    finally:
        app.setStyleSheet("")
        from kiosk.screenshots import _TRANSLATIONS

        for translations in _TRANSLATIONS:
            translations.set_language("en")


def test_side_columns_keep_landscape_tiles_to_three_rows() -> None:
    from kiosk.screens.home import side_columns

    assert [side_columns(n) for n in (0, 1, 2, 3, 4, 6, 9, 10, 12, 20)] == [
        1,
        1,
        2,
        3,
        2,
        2,
        3,
        4,
        4,
        4,
    ]


def test_find_problems_sees_squeezed_and_overlapping_widgets(qtbot: QtBot) -> None:
    # The checks behind the screenshots catch what QA saw at 720x1280 before they were scaled.
    from PySide6.QtWidgets import QPushButton, QWidget

    from kiosk.screenshots import find_problems
    from kiosk.widgets import label

    root = QWidget()
    qtbot.addWidget(root)
    root.resize(400, 400)
    name = label("hallName", "示范区政务服务中心", wrap=True)
    name.setParent(root)
    name.setGeometry(0, 0, 30, 300)  # one character per line
    a, b = QPushButton("A", root), QPushButton("B", root)
    a.setGeometry(0, 300, 100, 80)
    b.setGeometry(50, 320, 100, 80)  # on top of A
    clipped = QPushButton("Large print", root)
    clipped.setGeometry(200, 300, 50, 80)
    root.show()
    kinds = [p.kind for p in find_problems(root)]
    assert any(k.startswith("squeezed to 30") for k in kinds)
    assert any(k.startswith("overlaps") for k in kinds)
    assert any(k.startswith("clipped button") for k in kinds)


def test_style_scales_with_the_window_and_keeps_floors() -> None:
    from common.qt.theme import style_sheet
    from kiosk.theme import MIN_TARGET_PX, scale_for, scale_style_sheet

    assert scale_for(1080, 1920) == scale_for(1920, 1080) == 1.0
    assert scale_for(720, 1280) == pytest.approx(0.667)
    normal = style_sheet("kiosk")
    assert scale_style_sheet(normal, 1.0) == normal  # the design size is the sheet as written
    small = scale_style_sheet(normal, 0.5)
    assert "QLabel#screenTitle { font-size: 20px;" in small
    assert "QLabel#hint { font-size: 16px;" in small  # 11 px would be unreadable
    assert f"min-height: {MIN_TARGET_PX}px" in small  # buttons stay finger-sized
    elderly = scale_style_sheet(style_sheet("kiosk", elderly=True), 0.5, elderly=True)
    assert "font-size: 16px" not in elderly and "font-size: 20px" in elderly


def _run_kiosk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ONEWINDOW_DATA_DIR": str(tmp_path / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "ONEWINDOW_CONFIG": str(tmp_path / "none.toml"),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "kiosk.app", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_main_starts_and_refuses_a_second_instance(tmp_path: Path) -> None:
    from PySide6.QtCore import QLockFile

    env = {
        **os.environ,
        "ONEWINDOW_DATA_DIR": str(tmp_path / "data"),
        "ONEWINDOW_CONFIG": str(tmp_path / "none.toml"),
    }
    subprocess.run(
        [sys.executable, "-m", "common.cli", "seed-demo"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    first = _run_kiosk(
        tmp_path,
        "--windowed",
        "--size",
        "1920x1080",
        "--exit-after-first-frame",
        "--printer-dir",
        str(tmp_path / "printed"),
        "--station",
        "kiosk-9",
    )
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

    settings = settings_for(
        parse_args(["--windowed", "--reader", "/dev/ttyUSB1", "--printer-dir", str(tmp_path)])
    )
    assert settings.reader.port == "/dev/ttyUSB1"
    assert settings.printer.connection == "png" and settings.printer.png_dir == str(tmp_path)
    assert settings.kiosk.full_screen is False
