"""The demo's central server: prepared and started on loopback with a back-office login and the
hall's counter token in its TOML; the tour accepts, approves in the back-office page over HTTP
(login form, CSRF token, same-origin post) and sees the case come back ready for delivery."""

from __future__ import annotations

from pathlib import Path

from common.bootstrap import open_hall
from common.catalog.model import Catalog
from common.cli import demo
from common.clock import DatabaseClock
from common.config import load_settings
from common.intake.cases import CaseService
from common.sync.demo import central_tour, prepare_central
from tests.sync.conftest import draft


def test_the_demo_server_brings_a_back_office_approval_back_to_the_counter(
    tmp_path: Path, catalog: Catalog
) -> None:
    folder = tmp_path / "demo"
    config = demo.prepare(folder)
    code = load_settings(config).hall.code
    central = prepare_central(folder, config, code)
    settings = load_settings(config)
    assert settings.central.url == central.url and settings.central.token.startswith("ow_")
    again = prepare_central(folder, config, code)  # a second start keeps the token
    assert (
        load_settings(config).central.token == settings.central.token and again.url == central.url
    )
    central.start(folder / "central.log")
    said: list[str] = []
    try:
        hall = open_hall(config)
        try:
            number = (
                CaseService(hall.db, hall.settings, DatabaseClock())
                .accept(draft(catalog), actor="w1")
                .number
            )
        finally:
            hall.close()
        assert central_tour(config, central, said.append) == "ready_for_delivery"
    finally:
        central.stop()
    assert any(number in line and "ready_for_delivery" in line for line in said), said
