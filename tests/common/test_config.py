from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from common.config import ConfigError, Settings, load_settings, settings_from_dict


def test_defaults_run_the_demo() -> None:
    s = Settings()
    assert s.service("A").general
    assert {w.number for w in s.windows} == set(range(1, 9))
    assert s.database.resolved_url().startswith("sqlite:///")
    assert s.calendar.is_working_day(dt.date(2026, 11, 23))  # a Monday
    assert not s.calendar.is_working_day(dt.date(2026, 11, 22))  # a Sunday


def test_missing_default_file_means_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEWINDOW_CONFIG", str(tmp_path / "none.toml"))
    assert load_settings() == Settings()


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path / "nope.toml")


def test_full_file(tmp_path: Path) -> None:
    f = tmp_path / "hall.toml"
    f.write_text(
        """
[hall]
code = "350102"
name = "鼓楼区政务服务中心"
timezone = "Asia/Shanghai"
secret = "abc"

[database]
url = "postgresql://u:p@db.local/hall"

hours = [["09:00", "12:00"], ["14:00", "17:00"]]

[calendar]
holidays = [2026-10-01]
workdays = [2026-10-11]

[[services]]
prefix = "A"
name = "综合受理"
general = true

[[services]]
prefix = "B"
name = "不动产"
id_card = "required"
per_id_daily_limit = 1
hours = [["09:00", "11:30"]]

[[windows]]
number = 3
services = { A = 2, B = 3 }

[printer]
connection = "network"
host = "10.0.0.9"
mode = "native"
paper_mm = 58
""".replace('hours = [["09:00", "12:00"]', 'hours = [["09:00", "12:00"]', 1),
        encoding="utf-8",
    )
    # `hours` must be a top-level key, before any table: move it to the top.
    text = f.read_text(encoding="utf-8")
    line = 'hours = [["09:00", "12:00"], ["14:00", "17:00"]]\n'
    f.write_text(line + text.replace(line, ""), encoding="utf-8")
    s = load_settings(f)
    assert s.hall.name == "鼓楼区政务服务中心"
    assert s.service("B").id_card == "required"
    hours = s.service("B").hours
    assert hours is not None and hours[0].end == dt.time(11, 30)
    assert s.window(3).services == {"A": 2, "B": 3}
    assert s.printer.paper_mm == 58 and s.printer.mode == "native"
    assert not s.calendar.is_working_day(dt.date(2026, 10, 1))
    assert s.calendar.is_working_day(dt.date(2026, 10, 11))  # a Sunday made a workday (调休)
    assert s.hall_secret() == "abc"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"hall": {"nmae": "x"}}, "hall.nmae"),
        ({"hall": {"timezone": "Mars/Olympus"}}, "hall.timezone"),
        ({"services": [{"prefix": "a", "name": "x"}]}, "services[0].prefix"),
        (
            {
                "services": [{"prefix": "A", "name": "x"}, {"prefix": "A", "name": "y"}],
                "windows": [],
            },
            "prefix A is used twice",
        ),
        ({"windows": [{"number": 1, "services": {"Z": 1}}]}, "windows[0].services"),
        ({"windows": [{"number": 1, "services": {}}]}, "windows[0].services"),
        ({"hours": [["12:00", "08:00"]]}, "hours[0]"),
        ({"hours": [["8 o'clock", "12:00"]]}, "hours[0]"),
        ({"printer": {"paper_mm": 70}}, "printer.paper_mm"),
        ({"reader": {"baudrate": 1200}}, "reader.baudrate"),
        ({"database": {"url": "mysql://x"}}, "database.url"),
        ({"kiosk": {"admin_pin": "12"}}, "kiosk.admin_pin"),
        ({"queue": {"max_pass_over": -1}}, "queue.max_pass_over"),
    ],
)
def test_bad_values_name_the_key(data: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as err:
        settings_from_dict(data)
    assert key in str(err.value)


def test_invalid_toml_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "hall.toml"
    f.write_text("[hall\nname = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(f)


def test_generated_secret_is_kept() -> None:
    s = Settings()
    first = s.hall_secret()
    assert len(first) == 64 and s.hall_secret() == first
