"""FakeCardReader (what other apps' tests drive) and the photo decoder plug-in point."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import sys
from pathlib import Path

import pytest

from common.config import ReaderSettings
from common.devices.idcard import (
    SAMPLE_PROFILES,
    CallbackListener,
    CardReader,
    FakeCardReader,
    IdentityCard,
    ReaderStatus,
    SerialCardReader,
    load_photo_decoder,
)
from common.devices.idcard.errors import PhotoDecoderError
from common.devices.idcard.photo import ENTRY_POINT_GROUP

TODAY = dt.date(2026, 11, 23)


def collect(reader: CardReader) -> tuple[list[IdentityCard], list[ReaderStatus]]:
    cards: list[IdentityCard] = []
    statuses: list[ReaderStatus] = []
    reader.add_listener(CallbackListener(cards.append, lambda s, m: statuses.append(s)))
    return cards, statuses


def test_fake_reader_synchronous() -> None:
    fake = FakeCardReader(today=lambda: TODAY)
    cards, statuses = collect(fake)
    fake.place_card("resident")
    assert cards == []  # not started: reports nothing, like the real one
    fake.start()
    card = fake.place_card("elderly")
    assert cards == [card] == [SAMPLE_PROFILES["elderly"].to_card(today=TODAY)]
    fake.place_card("elderly")  # still lying there: not reported again
    assert len(cards) == 1
    fake.remove_card()
    fake.place_card("expired")
    fake.fail_read()
    fake.unplug()
    fake.replug()
    fake.stop()
    assert len(cards) == 2 and cards[1].is_expired(TODAY)
    assert statuses == [
        ReaderStatus.READY,
        ReaderStatus.NO_CARD,
        ReaderStatus.READING,
        ReaderStatus.READY,
        ReaderStatus.CARD_REMOVED,
        ReaderStatus.NO_CARD,
        ReaderStatus.READING,
        ReaderStatus.READY,
        ReaderStatus.CARD_EXPIRED,
        ReaderStatus.READ_FAILED,
        ReaderStatus.READER_GONE,
        ReaderStatus.READY,
        ReaderStatus.STOPPED,
    ]
    assert fake.cards_reported == cards


def test_fake_reader_threaded_delivers_off_the_caller_thread() -> None:
    import threading

    fake = FakeCardReader(threaded=True)
    threads: list[str] = []
    fake.add_listener(CallbackListener(lambda c: threads.append(threading.current_thread().name)))
    with fake:
        fake.place_card("hmt")
        fake.wait_idle()
    assert threads == ["fake-idcard-reader"]
    assert not fake.is_running


def test_fake_accepts_a_ready_card() -> None:
    fake = FakeCardReader()
    cards, _ = collect(fake)
    fake.start()
    ready = SAMPLE_PROFILES["foreign2017"].to_card()
    assert fake.place_card(ready) is ready and cards == [ready]
    fake.stop()


def test_listener_failure_does_not_stop_others() -> None:
    fake = FakeCardReader()

    def boom(card: IdentityCard) -> None:
        raise RuntimeError("broken screen")

    fake.add_listener(CallbackListener(boom))
    cards, _ = collect(fake)
    fake.start()
    fake.place_card("resident")
    fake.stop()
    assert len(cards) == 1


# --- photo decoder ------------------------------------------------------------------------------


def test_no_decoder_configured() -> None:
    assert load_photo_decoder("") is None
    assert SAMPLE_PROFILES["resident"].to_card().decode_photo() is None


def test_decoder_from_a_file(tmp_path: Path) -> None:
    plugin = tmp_path / "wlt_wrapper.py"
    plugin.write_text(
        "def decode(wlt):\n    return b'BM' + bytes(len(wlt) // 512)\n", encoding="utf-8"
    )
    decoder = load_photo_decoder(str(plugin))
    assert decoder is not None and decoder(b"x" * 1024) == b"BM\0\0"


def test_decoder_from_a_module_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "vendor_wlt_test_mod.py").write_text(
        "def decode_wlt(w):\n    return None\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    decoder = load_photo_decoder("vendor_wlt_test_mod:decode_wlt")
    assert decoder is not None and decoder(b"x") is None
    sys.modules.pop("vendor_wlt_test_mod", None)


def test_decoder_from_an_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    ep = importlib.metadata.EntryPoint(
        name="acme", value="base64:b64encode", group=ENTRY_POINT_GROUP
    )

    def entry_points(group: str) -> list[importlib.metadata.EntryPoint]:
        return [ep] if group == ENTRY_POINT_GROUP else []

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    decoder = load_photo_decoder("acme")
    assert decoder is not None and decoder(b"\0\0\0") == b"AAAA"


@pytest.mark.parametrize(
    "spec", ["/nonexistent/wlt.py", "no_such_vendor_module_xyz", "base64:nope"]
)
def test_bad_decoder_specs_raise_a_clear_error(spec: str) -> None:
    with pytest.raises(PhotoDecoderError):
        load_photo_decoder(spec)


def test_decoder_returning_a_non_bmp_type_is_contained(tmp_path: Path) -> None:
    plugin = tmp_path / "bad.py"
    plugin.write_text("def decode(wlt):\n    return 'not bytes'\n", encoding="utf-8")
    decoder = load_photo_decoder(str(plugin))
    import dataclasses

    card = dataclasses.replace(SAMPLE_PROFILES["resident"].to_card(), photo_decoder=decoder)
    assert card.decode_photo() is None


def test_from_settings_survives_a_broken_decoder(caplog: pytest.LogCaptureFixture) -> None:
    settings = ReaderSettings(port="COM3", photo_decoder="/nonexistent/wlt.py", poll_interval=0.5)
    reader = SerialCardReader.from_settings(settings)
    assert reader.photo_decoder is None and reader.poll_interval == 0.5 and reader.port == "COM3"
    assert "placeholder" in caplog.text


def test_driver_imports_neither_qt_nor_posix_only_modules() -> None:
    # The boundary as a failing check: only common/qt may import PySide6, and the driver must
    # import on Windows (COM3), so no pty/tty/termios at import time outside the simulator.
    import subprocess

    code = (
        "import sys; "
        "import common.devices.idcard, common.devices.idcard.reader, common.cli.reader; "
        "bad = [m for m in ('PySide6', 'pty', 'tty', 'common.devices.idcard.simulator') "
        "if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[4]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
