"""Resident ID card reader (居民身份证阅读器) over the SAM serial protocol.

What apps use::

    from common.devices.idcard import SerialCardReader, FakeCardReader, IdentityCard, ReaderStatus

- :class:`IdentityCard` — one card, validated, masked in ``repr``;
- :class:`CardReader` — the interface; :class:`SerialCardReader` the real one (a worker thread
  polling a port), :class:`FakeCardReader` the one tests drive by hand;
- :class:`ReaderListener` / :class:`CallbackListener` — how events arrive (worker thread!);
  Qt code uses ``common.qt.idcard.QtCardReader`` instead;
- ``common.devices.idcard.simulator.ReaderSimulator`` — a reader on a pty (POSIX; not imported
  here so that importing the driver never touches POSIX-only modules).
"""

from common.devices.idcard.card import CardType, Gender, IdentityCard, PhotoDecoder, parse_card
from common.devices.idcard.errors import (
    CardParseError,
    ChecksumError,
    FrameError,
    IdCardError,
    NoCardError,
    ReaderGoneError,
    ReaderStatusError,
    ReaderTimeoutError,
)
from common.devices.idcard.fake import FakeCardReader
from common.devices.idcard.photo import ENTRY_POINT_GROUP, load_photo_decoder
from common.devices.idcard.profiles import SAMPLE_PROFILES, CardProfile
from common.devices.idcard.reader import (
    CallbackListener,
    CardReader,
    ReaderConnection,
    ReaderListener,
    ReaderStatus,
    SerialCardReader,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "SAMPLE_PROFILES",
    "CallbackListener",
    "CardParseError",
    "CardProfile",
    "CardReader",
    "CardType",
    "ChecksumError",
    "FakeCardReader",
    "FrameError",
    "Gender",
    "IdCardError",
    "IdentityCard",
    "NoCardError",
    "PhotoDecoder",
    "ReaderConnection",
    "ReaderGoneError",
    "ReaderListener",
    "ReaderStatus",
    "ReaderStatusError",
    "ReaderTimeoutError",
    "SerialCardReader",
    "load_photo_decoder",
    "parse_card",
]
