"""``onewindow sync --once`` and ``--status`` against the real server over HTTPS."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.catalog.model import Catalog
from common.cli import main
from common.clock import DatabaseClock
from common.db.engine import HallDatabase, make_engine
from common.intake.calendar import HallCalendar
from common.intake.cases import CaseService
from common.intake.words import CaseState
from tests.conftest import make_settings
from tests.sync.conftest import LiveServer, draft


def _toml(path: Path, db: Path, server: LiveServer | None) -> Path:
    central = ""
    if server is not None:
        central = (
            f'[central]\nurl = "{server.url}"\ntoken = "{server.token()}"\n'
            f'ca_bundle = "{server.tls.ca_file.as_posix()}"\ntimeout = 3.0\nretries = 1\n'
        )
    path.write_text(
        f'[hall]\nsecret = "test-secret-not-for-production"\n\n[database]\n'
        f'url = "sqlite:///{db.as_posix()}"\n\n{central}',
        encoding="utf-8",
    )
    return path


def test_sync_once_sends_the_backlog_and_status_shows_it(
    server_sqlite: LiveServer, tmp_path: Path, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    db_file = tmp_path / "hall-cli.db"
    config = _toml(tmp_path / "hall.toml", db_file, server_sqlite)
    assert main(["--config", str(config), "db", "upgrade"]) == 0
    db = HallDatabase(make_engine(f"sqlite:///{db_file.as_posix()}"), checkpoint_interval=None)
    try:
        cases = CaseService(db, make_settings(), DatabaseClock(), HallCalendar())
        number = cases.accept(draft(catalog), actor="w1").number
        capsys.readouterr()
        assert main(["--config", str(config), "sync", "--status"]) == 0
        out = capsys.readouterr().out
        assert "backlog: 1" in out and "never" in out
        assert main(["--config", str(config), "sync", "--once"]) == 0
        assert "sent 1" in capsys.readouterr().out
        assert main(["--config", str(config), "sync", "--status"]) == 0
        assert "backlog: 0" in capsys.readouterr().out
        assert cases.case(number).state is CaseState.ACCEPTED
    finally:
        db.dispose()


def test_sync_once_says_when_the_server_is_away_or_not_configured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_file = tmp_path / "hall-cli.db"
    config = _toml(tmp_path / "hall.toml", db_file, None)
    assert main(["--config", str(config), "db", "upgrade"]) == 0
    assert main(["--config", str(config), "sync", "--once"]) == 2
    assert "no central server configured" in capsys.readouterr().err
    config.write_text(
        config.read_text(encoding="utf-8")
        + '[central]\nurl = "https://127.0.0.1:9"\ntoken = "x"\nretries = 1\ntimeout = 1.0\n',
        encoding="utf-8",
    )
    assert main(["--config", str(config), "sync", "--once"]) == 1
    assert "sync incomplete" in capsys.readouterr().err
