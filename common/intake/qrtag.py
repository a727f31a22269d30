"""The receipt's QR code with a keyed tag: ``onewindow:case:<number>:<tag>``.

The case number alone is guessable (``<hall>-<day>-<seq>``), so a code made up for a guessed
number would show that case's (masked) progress at the kiosk. The tag is the first
:data:`TAG_CHARS` hex digits of HMAC-SHA256 over the case number, under a key derived from the
hall secret (``[hall] secret``, or the data folder's ``hall-secret``: the same secret every
program of the hall already shares for the keyed ID-number hashes). Only a printed receipt
carries the right tag; the kiosk answers an untagged or wrongly tagged code exactly like a
case that does not exist.

The QR key is *derived* (HMAC of a fixed label under the hall secret), never the hall secret
itself: a tag on paper must say nothing about the key that hashes ID numbers.

:func:`case_payload` is the one function that makes a payload — receipts, correction notices,
tests and benches all call it; :func:`case_number_from_payload` is the one that reads one.

The queue ticket carries ``onewindow:ticket:<hall day YYYYMMDD>:<number>:<tag>`` for 评价 at the
kiosk (:func:`ticket_payload` / :func:`ticket_from_payload`). Ticket numbers (``A001``) are even
easier to guess than case numbers, and a made-up code would let anyone rate someone else's
service, so it is tagged the same way; the tagged text starts with ``ticket:`` and a case number
has no colon, so a ticket's tag can never stand for a case's and the other way round. The day is
in the code because numbers start again every hall day: yesterday's A001 is not today's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from typing import NamedTuple

__all__ = [
    "CASE_CODE_PREFIX",
    "TAG_CHARS",
    "TICKET_CODE_PREFIX",
    "ScannedTicket",
    "case_number_from_payload",
    "case_payload",
    "case_tag",
    "qr_key",
    "ticket_from_payload",
    "ticket_payload",
]

CASE_CODE_PREFIX = "onewindow:case:"
TICKET_CODE_PREFIX = "onewindow:ticket:"
# 16 hex digits = 64 bits: guessing a tag for a known number is hopeless, and the QR code stays
# small enough for the 80 mm receipt.
TAG_CHARS = 16
_LABEL = b"onewindow receipt qr v1"
_NUMBER = re.compile(r"[0-9A-Za-z-]{1,32}")
_TAG = re.compile(rf"[0-9a-fA-F]{{{TAG_CHARS}}}")
_TICKET = re.compile(r"[A-Za-z]\d{1,4}")
_DAY = re.compile(r"\d{8}")


def qr_key(hall_secret: str | bytes) -> bytes:
    """The receipt-QR key, derived from the hall secret (domain-separated from ID hashing)."""
    key = hall_secret.encode() if isinstance(hall_secret, str) else hall_secret
    return hmac.new(key, _LABEL, hashlib.sha256).digest()


def case_tag(number: str, hall_secret: str | bytes) -> str:
    """The keyed tag of one case number (lower-case hex, :data:`TAG_CHARS` digits)."""
    mac = hmac.new(qr_key(hall_secret), number.encode(), hashlib.sha256).hexdigest()
    return mac[:TAG_CHARS]


def case_payload(number: str, hall_secret: str | bytes) -> str:
    """What the receipt's QR code holds for case ``number``."""
    return f"{CASE_CODE_PREFIX}{number}:{case_tag(number, hall_secret)}"


def case_number_from_payload(payload: str, hall_secret: str | bytes) -> str | None:
    """The case number of a genuine receipt code; None for anything else (untagged, wrong tag,
    foreign). Scanners may add blanks or a line end, and a keyboard wedge with Caps Lock on
    upper-cases the letters: both are forgiven; the comparison is constant-time."""
    payload = payload.strip()
    if payload[: len(CASE_CODE_PREFIX)].lower() != CASE_CODE_PREFIX:
        return None
    number, sep, tag = payload[len(CASE_CODE_PREFIX) :].rpartition(":")
    if not sep or not _NUMBER.fullmatch(number) or not _TAG.fullmatch(tag):
        return None
    if not hmac.compare_digest(tag.lower(), case_tag(number, hall_secret)):
        return None
    return number


def _ticket_tag(day: dt.date, number: str, hall_secret: str | bytes) -> str:
    message = f"ticket:{day:%Y%m%d}:{number}".encode()
    return hmac.new(qr_key(hall_secret), message, hashlib.sha256).hexdigest()[:TAG_CHARS]


def ticket_payload(day: dt.date, number: str, hall_secret: str | bytes) -> str:
    """What the queue ticket's QR code holds for ticket ``number`` of hall day ``day``."""
    number = number.upper()
    return f"{TICKET_CODE_PREFIX}{day:%Y%m%d}:{number}:{_ticket_tag(day, number, hall_secret)}"


class ScannedTicket(NamedTuple):
    """A genuine ticket code: which hall day, which number."""

    day: dt.date
    number: str


def ticket_from_payload(payload: str, hall_secret: str | bytes) -> ScannedTicket | None:
    """The hall day and number of a genuine ticket code; None for anything else (wrong tag,
    malformed, a receipt's code). Blanks and upper-cased letters are forgiven as for receipts;
    whether the day is today is the caller's question."""
    payload = payload.strip()
    if payload[: len(TICKET_CODE_PREFIX)].lower() != TICKET_CODE_PREFIX:
        return None
    parts = payload[len(TICKET_CODE_PREFIX) :].split(":")
    if len(parts) != 3:
        return None
    day_text, number, tag = parts
    if not _DAY.fullmatch(day_text) or not _TICKET.fullmatch(number) or not _TAG.fullmatch(tag):
        return None
    try:
        day = dt.datetime.strptime(day_text, "%Y%m%d").date()
    except ValueError:
        return None
    number = number.upper()
    if not hmac.compare_digest(tag.lower(), _ticket_tag(day, number, hall_secret)):
        return None
    return ScannedTicket(day, number)
