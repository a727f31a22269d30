"""Talking to the central server: the :class:`CentralClient` interface, the real client over
``requests`` and a fake that records what it was asked (STYLE.md habit 6).

The real client (:class:`HttpCentralClient`):

* one ``requests.Session`` (connection reuse), a bearer token, TLS verified by default — against
  certifi's bundle or a hall's own CA (``[central] ca_bundle``); ``verify_tls = false`` is for a
  lab and logs a warning;
* a connect and a read time-out on **every** call;
* bounded retries with exponential back-off and full jitter on what may pass (connection
  refused or reset, time-outs, 429, 500, 502, 503, 504). Retrying a POST is safe because every
  event carries its outbox row's idempotency key, which never changes: the server answers a key
  it has seen with its first answer (``duplicate``) and applies it once;
* what will not pass by waiting (401, 403, 404, 413, 422) raises :class:`CentralRefused` at once.

The sleep and the random source are injected so tests need no real waiting.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests

from common.config import CentralSettings
from common.contract import (
    API_PREFIX,
    BatchResult,
    ChangeFeed,
    EventBatch,
    EventItem,
    Health,
    ItemResult,
    ItemStatus,
)

__all__ = [
    "CentralClient",
    "CentralError",
    "CentralRefused",
    "CentralUnavailable",
    "FakeCentralClient",
    "HttpCentralClient",
    "backoff_delay",
    "client_from_settings",
]

log = logging.getLogger(__name__)

# Answers worth another try: the server or a proxy in front of it is busy or restarting.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class CentralError(Exception):
    """The central server could not be used for this call."""


class CentralUnavailable(CentralError):
    """Down, unreachable, too slow or busy, after the bounded retries: try again later."""


class CentralRefused(CentralError):
    """The server refused the request itself (401, 403, 413, 422 …): waiting will not help;
    the hall manager must look (wrong token, wrong hall, a client bug)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential back-off with full jitter: uniform in [0, min(cap, base·2^attempt)]
    (AWS's "full jitter": many halls coming back at once spread out instead of marching)."""
    ceiling = min(cap, base * (2 ** min(attempt, 30)))
    return (rng or random).uniform(0, ceiling)


class CentralClient(Protocol):
    """What the sync needs from the central server."""

    def post_events(self, batch: EventBatch) -> BatchResult:
        """Upload a batch; one result per item, in order."""
        ...

    def changes(self, after: int, limit: int) -> ChangeFeed:
        """The hall's change feed after ``after``."""
        ...

    def health(self) -> Health:
        """The server is up and its database answers."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class HttpCentralClient:
    """The real client (see the module docstring)."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        verify: bool | str = True,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        retries: int = 3,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if not url:
            raise ValueError("no central server configured ([central] url)")
        self.base = url.rstrip("/") + API_PREFIX
        self.timeout = (connect_timeout, read_timeout)
        self.retries = max(1, retries)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["User-Agent"] = "onewindow-sync/1"
        # trust_env off: a proxy or CA bundle from the PC's environment must not silently
        # replace the hall's configured trust (the TOML says which CA to trust).
        self.session.trust_env = False
        self.session.verify = verify
        if verify is False:
            log.warning("TLS certificate verification is OFF for the central server (lab use only)")

    # ------------------------------------------------------------------ calls

    def post_events(self, batch: EventBatch) -> BatchResult:
        body = batch.model_dump_json().encode("utf-8")
        data = self._call(
            "POST", "/events", data=body, headers={"Content-Type": "application/json"}
        )
        return BatchResult.model_validate(data)

    def changes(self, after: int, limit: int) -> ChangeFeed:
        data = self._call("GET", "/changes", params={"after": after, "limit": limit})
        return ChangeFeed.model_validate(data)

    def health(self) -> Health:
        return Health.model_validate(self._call("GET", "/health"))

    def close(self) -> None:
        self.session.close()

    # ------------------------------------------------------------------ plumbing

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        last = ""
        for attempt in range(self.retries):
            if attempt:
                self.sleep(
                    backoff_delay(attempt - 1, self.backoff_base, self.backoff_max, self.rng)
                )
            try:
                response = self.session.request(
                    method, self.base + path, timeout=self.timeout, **kwargs
                )
            except requests.exceptions.SSLError as exc:
                # A certificate that does not verify is not a passing fault: never retried. A
                # handshake cut short (a server restarting) is, like any other broken connection.
                if _is_verification_failure(exc):
                    raise CentralRefused(0, f"TLS: {_first_line(exc)}") from exc
                last = f"TLS: {_first_line(exc)}"
                log.info(
                    "central %s %s: %s (try %d/%d)", method, path, last, attempt + 1, self.retries
                )
                continue
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = f"{type(exc).__name__}: {_first_line(exc)}"
                log.info(
                    "central %s %s: %s (try %d/%d)", method, path, last, attempt + 1, self.retries
                )
                continue
            if response.status_code in RETRY_STATUSES:
                last = f"HTTP {response.status_code}"
                log.info(
                    "central %s %s: %s (try %d/%d)", method, path, last, attempt + 1, self.retries
                )
                response.close()
                continue
            if response.status_code >= 400:
                raise CentralRefused(response.status_code, _detail(response))
            try:
                return response.json()
            except ValueError:
                # A cut-off or garbled body: the request may or may not have been applied;
                # the idempotency keys make another try safe.
                last = "unreadable answer"
                continue
        raise CentralUnavailable(last or "no answer")


def _detail(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])[:200]
    return str(data)[:200]


def _is_verification_failure(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(
        word in text for word in ("certificate", "hostname", "verify", "wrong version number")
    )


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:200]


def client_from_settings(central: CentralSettings, **kwargs: Any) -> HttpCentralClient:
    """The real client for a hall's ``[central]`` section."""
    verify: bool | str = central.ca_bundle or True
    if not central.verify_tls:
        verify = False
    return HttpCentralClient(
        central.url,
        central.token,
        verify=verify,
        connect_timeout=min(central.connect_timeout, central.timeout),
        read_timeout=central.timeout,
        retries=central.retries,
        backoff_base=central.backoff_base,
        backoff_max=min(central.backoff_max, 30.0),  # within one call; rows back off longer
        **kwargs,
    )


@dataclass
class FakeCentralClient:
    """A central server in memory that records what it was asked.

    It applies events like the real one in the parts the hall relies on: a key seen before is
    ``duplicate``; ``reject`` and ``defer`` (sets of keys or case numbers) force those answers;
    ``down`` makes every call raise :class:`CentralUnavailable`. ``feed`` is the change feed
    the hall reads.
    """

    hall: str = ""
    down: bool = False
    reject: set[str] = field(default_factory=set)
    defer: set[str] = field(default_factory=set)
    feed: list[Any] = field(default_factory=list)
    batches: list[EventBatch] = field(default_factory=list)
    applied: dict[str, EventItem] = field(default_factory=dict)
    change_calls: list[tuple[int, int]] = field(default_factory=list)
    # Called with each batch before it is answered (a test can commit, fail, or kill here).
    on_post: Callable[[EventBatch], None] | None = None

    def post_events(self, batch: EventBatch) -> BatchResult:
        if self.down:
            raise CentralUnavailable("fake server down")
        self.batches.append(batch)
        if self.on_post is not None:
            self.on_post(batch)
        results: list[ItemResult] = []
        for item in batch.items:
            if item.key in self.applied:
                results.append(ItemResult(key=item.key, status=ItemStatus.DUPLICATE))
            elif item.key in self.reject or item.case_number in self.reject:
                results.append(
                    ItemResult(
                        key=item.key, status=ItemStatus.REJECTED, reason="invalid_payload: test"
                    )
                )
            elif item.key in self.defer or item.case_number in self.defer:
                results.append(
                    ItemResult(key=item.key, status=ItemStatus.DEFERRED, reason="out_of_order")
                )
            else:
                self.applied[item.key] = item
                results.append(ItemResult(key=item.key, status=ItemStatus.APPLIED))
        return BatchResult(results=results)

    def changes(self, after: int, limit: int) -> ChangeFeed:
        if self.down:
            raise CentralUnavailable("fake server down")
        self.change_calls.append((after, limit))
        items = [c for c in self.feed if c.position > after]
        page = items[:limit]
        return ChangeFeed(
            items=page,
            next_cursor=page[-1].position if page else after,
            has_more=len(items) > limit,
        )

    def health(self) -> Health:
        if self.down:
            raise CentralUnavailable("fake server down")
        import datetime as dt

        return Health(server_time=dt.datetime.now(dt.UTC))

    def close(self) -> None:
        pass

    def sent_keys(self) -> Sequence[str]:
        return [item.key for batch in self.batches for item in batch.items]
