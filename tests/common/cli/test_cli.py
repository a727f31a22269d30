"""The admin command line: clear messages, no tracebacks, on a real SQLite file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from common.bootstrap import DatabaseMissing, open_hall
from common.cli import main
from common.config import Settings


def _config(tmp_path: Path, extra: str = "") -> Path:
    f = tmp_path / "hall.toml"
    f.write_text(
        'hours = [["00:00", "23:59:59.999999"]]\n'
        f'[database]\nurl = "sqlite:///{(tmp_path / "hall.db").as_posix()}"\n'
        "[calendar]\nopen_weekdays = [0, 1, 2, 3, 4, 5, 6]\n" + extra,
        encoding="utf-8",
    )
    return f


def test_seed_issue_call_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = str(_config(tmp_path))
    assert main(["--config", cfg, "seed-demo"]) == 0
    assert main(["--config", cfg, "issue", "b"]) == 0  # lower case is fine
    assert main(["--config", cfg, "call", "1"]) == 0
    assert main(["--config", cfg, "status"]) == 0
    out = capsys.readouterr().out
    assert "B001" in out and "请B001号到1号窗口办理" in out and "可取号" in out


def test_missing_database_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = _config(tmp_path)
    assert main(["--config", str(cfg), "status"]) == 2
    err = capsys.readouterr().err
    assert "onewindow db upgrade" in err and "Traceback" not in err
    # ... and no empty database file was created in its place.
    assert not (tmp_path / "hall.db").exists()
    with pytest.raises(DatabaseMissing):
        open_hall(cfg)


def test_bad_config_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path, "[kiosk]\nidle_secnds = 5\n")
    assert main(["--config", str(cfg), "status"]) == 2
    assert "kiosk.idle_secnds" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_generated_secret_is_private() -> None:
    Settings().hall_secret()
    from common.config import data_dir

    mode = stat.S_IMODE((data_dir() / "hall-secret").stat().st_mode)
    assert mode == 0o600
