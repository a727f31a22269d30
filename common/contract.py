"""The wire contract between a hall and the central server (``/api/v1``): one Qt-free module.

The hall's sync client (``common.sync``) and the reference server (``server``) both import these
pydantic models, and the server's OpenAPI document (``docs/openapi.json``) is generated from
them, so the two sides cannot drift apart silently (a test compares the served document with the
committed one). Field names are the JSON names. docs/SYNC.md states the promises in prose.

Endpoints (all under ``/api/v1``; every call but ``/health`` needs ``Authorization: Bearer
<device token>``; no token or an unknown one → 401):

``POST /events`` (counter tokens only; other roles → 403)
    An :class:`EventBatch` of at most :data:`MAX_BATCH_ITEMS` items and :data:`MAX_BODY_BYTES`
    bytes (more → 413; a body that is not a valid batch → 422, nothing applied). ``hall`` must be
    the token's hall (else 403). The answer is a :class:`BatchResult` with one
    :class:`ItemResult` per item, in the request's order, and HTTP 200 even when some items are
    refused — each item stands on its own (one bad item never blocks the others).

``GET /changes?after=<cursor>&limit=<n>`` (counter tokens only)
    A :class:`ChangeFeed` of the token's hall's changes (and changes for every hall, such as a
    new catalog version) with ``position > after``, in position order. Positions are assigned in
    commit order: once a position is visible, every smaller one that will ever exist is visible
    too, so a hall that stores ``next_cursor`` never skips a change. Positions are global (other
    halls' changes leave gaps): compare, never count.

``GET /catalog`` (any device token)
    The current :class:`CatalogDocument` with an ``ETag`` header; a request with ``If-None-Match``
    equal to it gets 304 and no body. No catalog loaded yet → 404.

``GET /cases/{case_number}`` (counter tokens only)
    The server's view of one of the token's hall's cases (:class:`CaseStatus`); another hall's
    case or an unknown one → 404 (the answer does not reveal whether it exists elsewhere).

``POST /appointments`` (backoffice device tokens: the online booking channel)
    An :class:`AppointmentRequest`; the booking is appended to the hall's change feed as
    ``appointment.booked``.

``GET /health`` (no token)
    :class:`Health`.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

__all__ = [
    "API_PREFIX",
    "CONTRACT_VERSION",
    "MAX_BATCH_ITEMS",
    "MAX_BODY_BYTES",
    "MAX_CHANGES_LIMIT",
    "AppointmentRequest",
    "BatchResult",
    "CaseStatus",
    "CatalogDocument",
    "ChangeFeed",
    "ChangeItem",
    "ChangeType",
    "DeviceRole",
    "ErrorBody",
    "EventBatch",
    "EventItem",
    "Health",
    "ItemResult",
    "ItemStatus",
    "Reason",
    "body_digest",
]

API_PREFIX = "/api/v1"
CONTRACT_VERSION = "1"
MAX_BATCH_ITEMS = 500
# The whole request body, checked before it is parsed (413 beyond it).
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_CHANGES_LIMIT = 1000


class DeviceRole(enum.StrEnum):
    """What a device token may do; one token belongs to one hall and one role."""

    KIOSK = "kiosk"
    COUNTER = "counter"
    DISPLAY = "display"
    BACKOFFICE = "backoffice"


class ItemStatus(enum.StrEnum):
    """The server's answer for one event.

    * ``applied`` — applied now, exactly once.
    * ``duplicate`` — this key was applied before; nothing happened now. ``reason`` repeats
      the first answer's reason. The hall marks the row sent.
    * ``rejected`` — refused for good (``reason`` says why, see :class:`Reason`); the hall
      parks the row and shows it to the hall manager; sending it again gives the same answer
      (the first answer is stored with the key), except ``conflict`` which is not stored.
    * ``deferred`` — not applied, nothing stored: the event's ``seq`` is not the next one for
      its case (an earlier event has not arrived yet). Send it again later, after the earlier
      ones.
    """

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    DEFERRED = "deferred"


class Reason(enum.StrEnum):
    """Machine-readable reasons; an :class:`ItemResult` reason starts with one of these,
    optionally followed by ``": "`` and a human detail."""

    CONFLICT = "conflict"  # the key was used before with a different body
    WRONG_HALL = "wrong_hall"  # payload.source is not the batch's hall
    UNKNOWN_TYPE = "unknown_type"
    UNKNOWN_CASE = "unknown_case"  # the case's first event (seq 1) is not a creating one
    STALE_SEQ = "stale_seq"  # another key already holds this (case, seq)
    ILLEGAL_TRANSITION = "illegal_transition"  # the state machine refuses it on the server
    INVALID_PAYLOAD = "invalid_payload"
    OUT_OF_ORDER = "out_of_order"  # deferred: waiting for an earlier seq of the same case


def _uuid_text(value: str) -> str:
    return str(uuid.UUID(value))


UuidText = Annotated[str, AfterValidator(_uuid_text)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventItem(_Wire):
    """One outbox row as sent: a case change, a rating or a certificate print.

    ``key`` is the idempotency key (a UUID, made by the hall when the change was committed; it
    never changes on a resend). ``type`` is the outbox's event type (``case.accept``,
    ``case.start_review``, ``rating.recorded``, ``certificate.printed`` …). For ``case.*``
    events ``seq`` is the case's own sequence (1, 2, 3 … per case number) and the server applies
    a case's events in that order only; other events are not ordered (send ``seq`` 1).
    ``payload`` is the outbox payload unchanged (the national case-data fields for cases).
    """

    key: UuidText = Field(description="idempotency key (UUID)")
    type: str = Field(min_length=3, max_length=64, pattern=r"^[a-z_]+\.[a-z_]+$")
    case_number: str = Field(
        default="", max_length=64, description="empty for events without a case"
    )
    seq: int = Field(ge=1, le=2**31 - 1)
    # A time without its zone is refused (422): the hall's PCs and the server may not share one.
    at: AwareDatetime = Field(description="when the change was committed at the hall (with zone)")
    payload: dict[str, Any] = Field(default_factory=dict)


def body_digest(item: EventItem) -> str:
    """The hash of an item's body that the server stores with its key (conflict detection).

    Canonical JSON of everything but the key, so the same change sent twice hashes the same
    whatever the JSON encoder's key order or spacing was.
    """
    data = item.model_dump(mode="json", exclude={"key"})
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class EventBatch(_Wire):
    """What a hall posts to ``POST /events``: its hall code and up to 500 items."""

    hall: str = Field(min_length=1, max_length=32)
    items: list[EventItem] = Field(max_length=MAX_BATCH_ITEMS)


class ItemResult(_Wire):
    """The answer for one item (see :class:`ItemStatus` for what the hall does with it)."""

    key: str
    status: ItemStatus
    reason: str = ""


class BatchResult(_Wire):
    """The answers to one batch, in the order of the request's items."""

    results: list[ItemResult]


class ChangeType(enum.StrEnum):
    """What a change-feed item reports."""

    CASE_STATUS = (
        "case.status"  # a back-office transition (start review, approve, deny, mark ready)
    )
    CERTIFICATE_ISSUED = "certificate.issued"
    APPOINTMENT_BOOKED = "appointment.booked"
    CATALOG_VERSION = "catalog.version"


class ChangeItem(_Wire):
    """One change for a hall.

    ``case.status`` payload: ``action`` (a :class:`~common.intake.words.CaseAction` value),
    ``from_state``, ``to_state``, ``state_code``, ``handler``, ``opinion``, ``at``.
    ``certificate.issued``: ``identifier``, ``title``, ``issuer_name``, ``issued_on``,
    ``valid_until``. ``appointment.booked``: ``appointment_id``, ``matter_code``, ``day``,
    ``slot``, ``name_masked``, ``phone_masked``, ``id_number`` (sent only to that hall's counter
    tokens; the hall stores its own keyed hash of it, never the number).
    ``catalog.version``: ``version``, ``digest`` (fetch ``GET /catalog``).
    """

    position: int = Field(ge=1)
    # A known ChangeType, or a type a newer server added: an older hall records it as skipped
    # and moves on instead of failing the whole page (a stalled follower would stop every
    # decision reaching the hall).
    type: ChangeType | Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_]+$", max_length=64)] = Field(
        union_mode="left_to_right"
    )
    hall: str = Field(description='the hall code, or "*" for a change every hall receives')
    case_number: str = ""
    at: dt.datetime
    payload: dict[str, Any] = Field(default_factory=dict)


class ChangeFeed(_Wire):
    """A page of the change feed. Store ``next_cursor`` with the applied changes (one
    transaction) and ask again with ``after=next_cursor``; ``has_more`` says not to wait."""

    items: list[ChangeItem]
    next_cursor: int = Field(ge=0)
    has_more: bool


class CatalogDocument(_Wire):
    """The served catalog: the catalog file's content as a dict (``catalog_from_dict`` reads it),
    its declared ``version`` and ``digest``, the SHA-256 of the document's canonical JSON (sorted
    keys, no spaces, UTF-8), which is also the ``ETag``."""

    version: str
    digest: str
    document: dict[str, Any]


class CaseStatus(_Wire):
    """The server's view of one case (``GET /cases/{case_number}``); no personal data."""

    case_number: str
    hall: str
    state: str
    last_seq: int
    area: str = ""
    updated_at: dt.datetime


class AppointmentRequest(_Wire):
    """An online booking for a hall (the central booking channel posts it)."""

    hall: str = Field(min_length=1, max_length=32)
    matter_code: str = Field(min_length=1, max_length=64)
    day: dt.date
    slot: str = Field(pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")
    name: str = Field(min_length=1, max_length=64)
    id_number: str = Field(min_length=15, max_length=18)
    phone: str = Field(default="", max_length=32)


class Health(_Wire):
    """``GET /health``: the server is up and its database answers."""

    status: str = "ok"
    database: str = "ok"
    contract_version: str = CONTRACT_VERSION
    server_time: dt.datetime


class ErrorBody(_Wire):
    """The body of a refusal (401, 403, 404, 413): FastAPI's ``{"detail": ...}``."""

    detail: str
