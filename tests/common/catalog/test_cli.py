"""``onewindow catalog`` and ``onewindow calendar`` through the CLI's main()."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from common.catalog import DEMO_CATALOG
from common.cli import main
from common.intake.calendar import KNOWN_YEARS


def _config(tmp_path: Path, extra: str = "") -> str:
    f = tmp_path / "hall.toml"
    f.write_text(
        f'[database]\nurl = "sqlite:///{(tmp_path / "hall.db").as_posix()}"\n' + extra,
        encoding="utf-8",
    )
    return str(f)


def test_load_then_search(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path)
    assert main(["--config", cfg, "db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["--config", cfg, "catalog", "search", "eshfzy"]) == 1
    assert "onewindow catalog load" in capsys.readouterr().err
    assert main(["--config", cfg, "catalog", "load", str(DEMO_CATALOG)]) == 0
    out = capsys.readouterr().out
    assert "2026.11-demo.1" in out and "26 matters, 2 bundles" in out
    assert main(["--config", cfg, "catalog", "load", str(DEMO_CATALOG)]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert main(["--config", cfg, "catalog", "search", "eshfzy"]) == 0
    first = capsys.readouterr().out.splitlines()[0].split("\t")
    assert first[1:] == ["二手房转移登记", "不动产"] and first[0].startswith("000172003000-")
    assert main(["--config", cfg, "catalog", "search", "csyjs"]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("\t出生一件事\t一件事")
    assert main(["--config", cfg, "catalog", "search", "登记", "--area", "不动产"]) == 0
    assert {line.split("\t")[1] for line in capsys.readouterr().out.splitlines()} == {
        "二手房转移登记",
        "抵押权登记",
    }
    assert main(["--config", cfg, "catalog", "search", "zzzzzz"]) == 1


def test_bad_file_is_the_one_message_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        DEMO_CATALOG.read_text(encoding="utf-8").replace('form = "复印件"', 'form = "扫描件"', 1),
        encoding="utf-8",
    )
    cfg = _config(tmp_path)
    assert main(["--config", cfg, "catalog", "load", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err.startswith("catalog bad.toml: matter ")
        and "(企业投资项目备案): materials[1].form: must be" in err
    )
    assert "\n" not in err and "Traceback" not in err
    # Nothing touched the (missing) database.
    assert not (tmp_path / "hall.db").exists()


def test_search_a_file_without_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "--config",
                _config(tmp_path),
                "catalog",
                "search",
                "ershoufang",
                "--file",
                str(DEMO_CATALOG),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines()[0].split("\t")[1] == "二手房转移登记"
    assert (
        main(["--config", _config(tmp_path), "catalog", "load", "--check", str(DEMO_CATALOG)]) == 0
    )


def test_calendar_add_workdays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path)
    assert main(["--config", cfg, "calendar", "add-workdays", "2026-09-30", "1"]) == 0
    assert capsys.readouterr().out.strip() == "2026-10-08"
    assert main(["--config", cfg, "calendar", "add-workdays", "2026-02-13", "0"]) == 0
    assert capsys.readouterr().out.strip() == "2026-02-13"
    # The hall's override wins.
    cfg = _config(tmp_path, "[calendar]\nholidays = [2026-10-08]\n")
    assert main(["--config", cfg, "calendar", "add-workdays", "2026-09-30", "1"]) == 0
    assert capsys.readouterr().out.strip() == "2026-10-09"


def test_calendar_unknown_year_and_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = _config(tmp_path)
    last = KNOWN_YEARS.stop - 1
    assert main(["--config", cfg, "calendar", "add-workdays", f"{last}-12-31", "1"]) == 2
    err = capsys.readouterr().err
    assert f"{last + 1}" in err and "chinesecalendar" in err and "Traceback" not in err
    assert main(["--config", cfg, "calendar", "add-workdays", f"{last + 1}-03-01", "0"]) == 2
    assert main(["--config", cfg, "calendar", "add-workdays", "2026-13-01", "1"]) == 2
    assert main(["--config", cfg, "calendar", "add-workdays", "2026-10-01", "-1"]) == 2


def test_entry_point_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "common.cli",
            "--config",
            _config(tmp_path),
            "calendar",
            "add-workdays",
            "2026-02-14",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "2026-02-24"), done.stderr
