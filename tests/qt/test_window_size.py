"""One --size parser for the apps and the screenshot scripts."""

from __future__ import annotations

import argparse

import pytest

from common.qt.app import window_size
from kiosk.app import parse_args as kiosk_args
from kiosk.display.app import parse_args as display_args


def test_width_by_height() -> None:
    assert window_size("1080x1920") == (1080, 1920)
    assert window_size("1280X720") == (1280, 720)


@pytest.mark.parametrize("text", ["big", "1080", "1080x1920x2", "100x100", "1080x99999"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        window_size(text)


def test_both_apps_read_it_alike() -> None:
    assert kiosk_args(["--size", "720x1280"]).size == (720, 1280)
    display = display_args(["--size", "1280x720"])
    assert display.size == (1280, 720) and display.windowed
    for parse in (kiosk_args, display_args):
        with pytest.raises(SystemExit):
            parse(["--size", "10x10"])
