"""``--reader ""`` turns the kiosk's reader off instead of falling back to the TOML's port.

Hall trial (issue 15): on a PC with a kiosk and a counter, both started with the hall's TOML
and one of them with ``--reader ""``, the empty value fell back to ``[reader] port`` and both
opened one serial port; their commands interleaved ("unknown reader status 0x9F").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import parse_args, settings_for


@pytest.fixture
def hall_toml(tmp_path: Path) -> Path:
    path = tmp_path / "hall.toml"
    path.write_text('[reader]\nport = "/dev/ttyUSB0"\n', encoding="utf-8")
    return path


def test_without_the_option_the_toml_port_is_used(hall_toml: Path) -> None:
    assert settings_for(parse_args(["--config", str(hall_toml)])).reader.port == "/dev/ttyUSB0"


def test_an_empty_reader_option_means_no_reader(hall_toml: Path) -> None:
    args = parse_args(["--config", str(hall_toml), "--reader", ""])
    assert settings_for(args).reader.port == ""


def test_a_blank_reader_option_means_no_reader(hall_toml: Path) -> None:
    args = parse_args(["--config", str(hall_toml), "--reader", "  "])
    assert settings_for(args).reader.port == ""


def test_a_reader_option_replaces_the_toml_port(hall_toml: Path) -> None:
    args = parse_args(["--config", str(hall_toml), "--reader=COM3"])
    assert settings_for(args).reader.port == "COM3"
