"""Typed hall settings from one TOML file.

One file per hall (or per PC pointing at the shared hall database). Every section has defaults
that run the embedded demo, so a missing file is fine; a *bad* file is not: it raises
:class:`ConfigError` naming the key, e.g. ``services[2].prefix: must be one capital letter``.

The file is found at ``$ONEWINDOW_CONFIG`` or the per-user config folder (platformdirs), e.g.
``%LOCALAPPDATA%\\OneWindow\\hall.toml`` on Windows, ``~/.config/onewindow/hall.toml`` on Linux.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tomllib
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

__all__ = [
    "CalendarSettings",
    "CentralSettings",
    "ConfigError",
    "CounterSettings",
    "DatabaseSettings",
    "DisplayColumn",
    "DisplaySettings",
    "HallSettings",
    "IntakeSettings",
    "KioskSettings",
    "ManagerSettings",
    "PrinterSettings",
    "QueueSettings",
    "ReaderSettings",
    "ServiceSettings",
    "Settings",
    "TimeRange",
    "WindowSettings",
    "config_path",
    "data_dir",
    "load_settings",
    "settings_from_dict",
]

APP_NAME = "onewindow"


class ConfigError(Exception):
    """The hall's TOML file is unreadable or invalid; the message names the key."""


def data_dir() -> Path:
    """Per-user data folder (database, secret, printed-ticket folder for the demo)."""
    override = os.environ.get("ONEWINDOW_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))


def config_path() -> Path:
    """Where the hall's TOML file is looked for."""
    override = os.environ.get("ONEWINDOW_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, False)) / "hall.toml"


class _Section(BaseModel):
    # extra="forbid": a misspelt key is an error naming it, not a silently ignored default.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _parse_hhmm(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a time like 08:30") from exc


class TimeRange(_Section):
    """An opening period within one day, e.g. 08:30–12:00."""

    start: dt.time
    end: dt.time

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, data: object) -> object:
        # TOML writes ranges as ["08:30", "12:00"]; accept that as well as a table.
        if isinstance(data, list | tuple):
            if len(data) != 2:
                raise ValueError('an opening period is [start, end], e.g. ["08:30", "12:00"]')
            return {"start": _parse_hhmm(str(data[0])), "end": _parse_hhmm(str(data[1]))}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    def contains(self, t: dt.time) -> bool:
        return self.start <= t < self.end


_DEFAULT_HOURS = (
    TimeRange(start=dt.time(8, 30), end=dt.time(12, 0)),
    TimeRange(start=dt.time(13, 30), end=dt.time(17, 30)),
)


class HallSettings(_Section):
    """Who the hall is and what its clock says."""

    code: Annotated[str, Field(pattern=r"^\d{6,12}$")] = "350102"
    name: str = "示范区政务服务中心"
    name_en: str = "Demo District Government Service Centre"
    timezone: str = "Asia/Shanghai"
    # Keyed hashing of ID numbers; empty means "generate once and keep in the data folder".
    secret: str = ""
    # The 过号 line is not written here: it follows [queue] no_show_rule (common.queue.no_show).
    notice: tuple[str, ...] = ("请在休息区等候，留意叫号及大屏信息",)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class DatabaseSettings(_Section):
    """The hall database: a SQLite file on one PC, PostgreSQL for several."""

    # Empty means the demo default: hall.db in the per-user data folder.
    url: str = ""
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _supported(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite:/// and postgresql:// URLs are supported")
        return value

    def resolved_url(self) -> str:
        if self.url:
            return self.url
        return f"sqlite:///{(data_dir() / 'hall.db').as_posix()}"


class QueueSettings(_Section):
    """Call-order and re-queue policy (DESIGN.md "Queue")."""

    green_channel_age: Annotated[int, Field(ge=50, le=120)] = 70
    # A waiting ticket may be overtaken by at most this many later-issued tickets that the same
    # window could have called instead; then it is called first.
    max_pass_over: Annotated[int, Field(ge=0, le=1000)] = 10
    # 过号: "requeue" puts a no-show back behind the next N waiting tickets (once, up to
    # max_requeues times); "drop" ends it (the citizen takes a new number).
    no_show_rule: Literal["requeue", "drop"] = "requeue"
    requeue_after: Annotated[int, Field(ge=0, le=100)] = 3
    max_requeues: Annotated[int, Field(ge=0, le=10)] = 1
    # An appointment is due from this many minutes before its slot.
    appointment_early_minutes: Annotated[int, Field(ge=0, le=120)] = 10
    # 预约签到 at the kiosk opens this many minutes before the slot starts (a ticket checked in
    # before it is due waits like any other until appointment_early_minutes before the slot) ...
    checkin_early_minutes: Annotated[int, Field(ge=0, le=240)] = 30
    # ... and closes this many minutes after the slot ends (0: at its end); later, the citizen
    # takes an ordinary number.
    appointment_late_minutes: Annotated[int, Field(ge=0, le=240)] = 0
    # Estimated wait uses the mean of the last N service times per service ...
    recent_services: Annotated[int, Field(ge=1, le=500)] = 20
    # ... or this default when there is no history today.
    default_service_minutes: Annotated[float, Field(gt=0, le=240)] = 6.0


class ServiceSettings(_Section):
    """A service (业务 / 领域) with its own prefix letter and daily counter."""

    prefix: Annotated[str, Field(pattern=r"^[A-Z]$")]
    name: str
    name_en: str = ""
    area: str = ""
    # The general queue (一键取号): tickets any window can call.
    general: bool = False
    daily_cap: Annotated[int, Field(ge=1, le=9999)] = 999
    id_card: Literal["none", "optional", "required"] = "optional"
    per_id_daily_limit: Annotated[int, Field(ge=0, le=99)] = 2
    # None: the hall's opening hours.
    hours: tuple[TimeRange, ...] | None = None


class WindowSettings(_Section):
    """A counter window and the services it serves, with weights (全科 + 板块 + AB 岗)."""

    number: Annotated[int, Field(ge=1, le=999)]
    name: str = ""
    services: dict[str, Annotated[int, Field(ge=1, le=100)]]

    @field_validator("services")
    @classmethod
    def _non_empty(cls, value: dict[str, int]) -> dict[str, int]:
        if not value:
            raise ValueError("a window must serve at least one service")
        return value


class CalendarSettings(_Section):
    """Working days: weekends off, holidays off, swapped weekend workdays (调休) on."""

    holidays: tuple[dt.date, ...] = ()
    workdays: tuple[dt.date, ...] = ()
    open_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    # Years whose whole holiday arrangement the hall has entered in ``holidays`` / ``workdays``
    # (from the State Council notice, published each autumn) before the calendar package
    # carries it: in such a year Monday-Friday are working days except the listed holidays,
    # plus the listed workdays. Without this, a December case whose time limit runs into the
    # new year cannot be accepted until the package is updated.
    declared_years: tuple[Annotated[int, Field(ge=2000, le=2100)], ...] = ()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() in self.open_weekdays


class PrinterSettings(_Section):
    """A thermal printer. ``connection`` picks which of the other keys apply."""

    name: str = "ticket"
    connection: Literal["dummy", "usb", "serial", "network", "file", "win32raw", "png"] = "png"
    mode: Literal["raster", "native"] = "raster"
    paper_mm: Literal[58, 80] = 80
    profile: str = "default"
    usb_vendor: int | None = None
    usb_product: int | None = None
    serial_port: str = ""
    serial_baudrate: int = 9600
    host: str = ""
    port: Annotated[int, Field(ge=1, le=65535)] = 9100
    device: str = ""  # file or device node, or the Windows printer name for win32raw
    png_dir: str = ""  # "png" connection: where tickets are written; empty = data folder
    font_path: str = ""  # CJK TrueType font; empty = platform default
    cut: bool = True
    beep: bool = False
    timeout: Annotated[float, Field(gt=0, le=60)] = 5.0


class ReaderSettings(_Section):
    """The resident ID card reader (SAM serial protocol)."""

    port: str = ""  # COM3, /dev/ttyUSB0 or a pyserial URL; empty = no reader
    baudrate: Literal[115200, 57600, 38400, 19200, 9600] = 115200
    poll_interval: Annotated[float, Field(gt=0, le=10)] = 0.3
    timeout: Annotated[float, Field(gt=0, le=30)] = 2.0
    fingerprint: bool = False
    photo_decoder: str = ""  # path to a vendor WLT decoder plug-in, or an entry-point name


class CentralSettings(_Section):
    """The central server the sync worker talks to."""

    url: str = ""
    token: str = ""
    verify_tls: bool = True
    timeout: Annotated[float, Field(gt=0, le=120)] = 10.0
    # A hall's own CA (PEM file) when the server's certificate is not from a public CA; empty =
    # the certifi bundle. verify_tls = false is for a lab only.
    ca_bundle: str = ""
    connect_timeout: Annotated[float, Field(gt=0, le=60)] = 5.0
    # Outbox rows per POST (the server takes at most 500) and feed items per GET.
    batch_size: Annotated[int, Field(ge=1, le=500)] = 200
    # Tries per request before the worker gives up until the next round (back-off in between).
    retries: Annotated[int, Field(ge=1, le=10)] = 3
    # Exponential back-off with full jitter: base·2^attempt seconds, at most backoff_max.
    backoff_base: Annotated[float, Field(gt=0, le=60)] = 1.0
    backoff_max: Annotated[float, Field(gt=0, le=3600)] = 300.0
    # Seconds between rounds when nothing is waiting.
    interval: Annotated[float, Field(gt=0, le=3600)] = 5.0
    # The hall manager's alert strip warns when the oldest unsent row is older than this.
    alert_backlog_minutes: Annotated[int, Field(ge=1, le=10080)] = 30


class KioskSettings(_Section):
    """Touchscreen kiosk behaviour."""

    admin_pin: Annotated[str, Field(pattern=r"^\d{4,8}$")] = "2468"
    idle_seconds: Annotated[int, Field(ge=10, le=600)] = 60
    ticket_show_seconds: Annotated[int, Field(ge=3, le=120)] = 15
    language: Literal["zh_CN", "en"] = "zh_CN"
    full_screen: bool = True
    # Large-print mode (适老化) as the screen every new visitor starts in.
    elderly_default: bool = False
    # Spoken prompts: only in elderly mode, always, or never.
    voice: Literal["elderly", "always", "off"] = "elderly"
    # Failed PIN entries before the PIN pad locks for a minute (admin and green channel).
    pin_attempts: Annotated[int, Field(ge=1, le=20)] = 5
    # The receipt QR scanner for 办件查询: none, a serial / USB-COM scanner on scanner_port, or
    # a keyboard-wedge (USB HID) scanner whose keystrokes the kiosk window reads.
    scanner: Literal["", "serial", "wedge"] = ""
    scanner_port: str = ""
    scanner_baudrate: Annotated[int, Field(ge=1200, le=921600)] = 9600
    # 证照打印's A4 printer: "" = none (certificates print as the 80 mm slip on [printer]),
    # "pdf:<folder>" = a PDF per print into that folder (the demo), else a printer's name
    # through Qt ("default" = the system default printer).
    a4_printer: str = ""


class CounterSettings(_Section):
    """The window staff's counter (窗口叫号)."""

    # A call-next finishes the window's current ticket first. If that ticket was called less
    # than this many seconds ago, the counter asks before finishing it (a stray repeated F1
    # must not end a citizen's service unseen); 0 never asks.
    call_next_guard_seconds: Annotated[int, Field(ge=0, le=600)] = 30
    # Receipts (受理回执) and correction notices: a PDF into this folder ("" = the data folder's
    # receipts/, "-" = none), the window's A4 printer through Qt ("" = none, "default" = the
    # system default, else the printer's name), and an 80 mm slip through the [printer] when on.
    receipt_folder: str = ""
    a4_printer: str = ""
    receipt_slip: bool = False
    # The citizen's rating view (好差评) after a finished ticket or a hand-over; it gives up after
    # this many seconds without a tap.
    rating: bool = True
    rating_timeout_seconds: Annotated[int, Field(ge=10, le=600)] = 60


class IntakeSettings(_Section):
    """Case intake (受理) and 电子监察: the hall's defaults where a matter says nothing."""

    # Working days to supply tolerated (容缺) items, for matters that do not set their own.
    supplement_days: Annotated[int, Field(ge=1, le=365)] = 10
    # 电子监察: yellow when the promised date is this many working days away or fewer; the
    # working day before it is a warning; overdue is red.
    warning_days: Annotated[int, Field(ge=1, le=30)] = 2
    # Several matters may be combined into one case at the counter (a bundle always may).
    combine_matters: bool = True
    # The rating view also asks the in-hall dimensions (overall, efficiency, service, attitude).
    rating_dimensions: bool = False
    # Where the hall's catalog file lives; empty = the demo catalog shipped in resources/.
    catalog_file: str = ""


class ManagerSettings(_Section):
    """The hall manager's desk (大厅管理): follow-ups of bad ratings and 办不成事 reports."""

    # Working days, on the hall calendar, to verify, rectify, call the citizen back and close a
    # bad rating or a 办不成事 / 有诉即办 report (provinces set 5 to 15); later is overdue.
    followup_working_days: Annotated[int, Field(ge=1, le=30)] = 5


class DisplayColumn(_Section):
    """One column of the hall display: a group of services or a group of windows."""

    title: str
    title_en: str = ""
    services: tuple[str, ...] = ()  # for layout = "services"
    windows: tuple[int, ...] = ()  # for layout = "windows"


class DisplaySettings(_Section):
    """The hall wall display (叫号大屏) and its voice."""

    # "services": a column per service group; "windows": a column per window group. With no
    # columns configured, one column per service (or per four windows) is made.
    layout: Literal["services", "windows"] = "services"
    columns: tuple[DisplayColumn, ...] = ()
    recent_calls: Annotated[int, Field(ge=1, le=20)] = 6
    flash_seconds: Annotated[float, Field(ge=0, le=30)] = 5.0
    # The speech engine: "auto" (Qt's platform voices on Windows/macOS, espeak-ng elsewhere),
    # "qt", "espeak" (espeak-ng), "chime" (a tone; the screen carries the words) or "off".
    voice: Literal["auto", "qt", "espeak", "chime", "off"] = "auto"
    # Times each call is spoken (a recall is a new call and is spoken again).
    voice_repeat: Annotated[int, Field(ge=1, le=5)] = 1
    voice_template: str = "请{number}号到{window}号窗口办理"
    # espeak-ng's voice (`espeak-ng --voices=zh`). "cmn-latn-pinyin" reads Chinese as Mandarin;
    # plain "cmn" reads most of it as English words on espeak-ng 1.51 (docs/DECISIONS.md).
    espeak_voice: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.+-]{0,63}$")] = (
        "cmn-latn-pinyin"
    )
    notice: tuple[str, ...] = ()  # empty: the hall's notice lines
    poll_interval: Annotated[float, Field(ge=0.05, le=10)] = 0.25
    language: Literal["zh_CN", "en"] = "zh_CN"
    full_screen: bool = True

    @field_validator("voice_template")
    @classmethod
    def _template(cls, value: str) -> str:
        try:
            value.format(number="A001", window=3)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError("use only {number} and {window} in the template") from exc
        return value


def _demo_services() -> tuple[ServiceSettings, ...]:
    areas = [
        ("B", "投资项目", "Investment projects"),
        ("C", "商事登记", "Business registration"),
        ("D", "不动产", "Real estate"),
        ("E", "公安", "Public security"),
        ("F", "公积金", "Housing fund"),
        ("G", "税务", "Taxation"),
        ("H", "人力社保", "Human resources & social security"),
        ("J", "社会事务", "Social affairs"),
    ]
    general = ServiceSettings(
        prefix="A",
        name="综合受理",
        name_en="General intake",
        area="综合",
        general=True,
        id_card="optional",
    )
    return (
        general,
        *(
            ServiceSettings(prefix=p, name=n, name_en=e, area=n, id_card="optional")
            for p, n, e in areas
        ),
    )


def _demo_windows() -> tuple[WindowSettings, ...]:
    # Eight all-purpose windows, each with a home area (板块) weighted 3 and a back-up post
    # (AB 岗) weighted 1, all serving the general queue.
    areas = "BCDEFGHJ"
    windows = []
    for i, home in enumerate(areas):
        backup = areas[(i + 1) % len(areas)]
        windows.append(
            WindowSettings(
                number=i + 1, name=f"{i + 1}号窗口", services={"A": 2, home: 3, backup: 1}
            )
        )
    return tuple(windows)


class Settings(_Section):
    """All of a hall's settings; ``Settings()`` is the embedded demo."""

    hall: HallSettings = HallSettings()
    database: DatabaseSettings = DatabaseSettings()
    queue: QueueSettings = QueueSettings()
    hours: tuple[TimeRange, ...] = _DEFAULT_HOURS
    calendar: CalendarSettings = CalendarSettings()
    services: tuple[ServiceSettings, ...] = Field(default_factory=_demo_services)
    windows: tuple[WindowSettings, ...] = Field(default_factory=_demo_windows)
    printer: PrinterSettings = PrinterSettings()
    reader: ReaderSettings = ReaderSettings()
    central: CentralSettings = CentralSettings()
    kiosk: KioskSettings = KioskSettings()
    counter: CounterSettings = CounterSettings()
    display: DisplaySettings = DisplaySettings()
    intake: IntakeSettings = IntakeSettings()
    manager: ManagerSettings = ManagerSettings()

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        prefixes = [s.prefix for s in self.services]
        dupes = {p for p in prefixes if prefixes.count(p) > 1}
        if dupes:
            raise ValueError(f"services: prefix {sorted(dupes)[0]} is used twice")
        numbers = [w.number for w in self.windows]
        if len(set(numbers)) != len(numbers):
            raise ValueError("windows: a window number is used twice")
        for i, window in enumerate(self.windows):
            for prefix in window.services:
                if prefix not in prefixes:
                    raise ValueError(
                        f"windows[{i}].services: unknown service {prefix!r} "
                        f"(known: {''.join(prefixes)})"
                    )
        return self

    def service(self, prefix: str) -> ServiceSettings:
        for s in self.services:
            if s.prefix == prefix:
                return s
        raise KeyError(prefix)

    def window(self, number: int) -> WindowSettings:
        for w in self.windows:
            if w.number == number:
                return w
        raise KeyError(number)

    def hall_secret(self) -> str:
        """The configured secret, or one generated once and kept in the data folder."""
        if self.hall.secret:
            return self.hall.secret
        path = data_dir() / "hall-secret"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_hex(32)
        # Readable by this user only: with it, the keyed hashes of ID numbers can be tested.
        # (On Windows the per-user data folder's own ACL does the same job.)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(value)
        return value


def _format_error(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        key = ""
        for part in err["loc"]:
            if isinstance(part, int):
                key += f"[{part}]"
            else:
                # pydantic reports tagged branches (e.g. "list[...]") in loc; the user never
                # wrote those, so keep only real keys.
                if "[" in str(part) or str(part) in {"function-after", "function-before"}:
                    continue
                key += f".{part}" if key else str(part)
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key (misspelt?) / 未知的配置项"
        lines.append(f"{key or '(top level)'}: {message}")
    return "; ".join(lines)


def settings_from_dict(data: dict[str, object], *, source: str = "settings") -> Settings:
    """Validate a parsed TOML document (tests build settings this way)."""
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_format_error(exc)}") from None


def load_settings(path: Path | str | None = None) -> Settings:
    """Read and validate the hall's TOML file; no file means the demo defaults."""
    file = Path(path) if path is not None else config_path()
    if not file.exists():
        if path is not None:
            raise ConfigError(f"{file}: no such file")
        return Settings()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot be read: {exc}") from None
    return settings_from_dict(data, source=str(file))
