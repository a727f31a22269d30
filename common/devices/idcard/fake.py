"""An in-memory :class:`CardReader` that tests and demos drive by hand.

The kiosk and counter tests put a card on it (``place_card("elderly")``) and get exactly the
events a :class:`SerialCardReader` would send: the same :class:`IdentityCard` (built through the
same parser from the same profile), and the same statuses in the same order.

By default events are delivered synchronously, in the thread that calls ``place_card``: tests
stay deterministic with no waiting (the Picard ``FakeThreadPool`` idea). ``threaded=True``
delivers them from a separate thread instead, to exercise an adapter's thread hop.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable, Mapping

from common.devices.idcard.card import IdentityCard
from common.devices.idcard.profiles import SAMPLE_PROFILES, CardProfile
from common.devices.idcard.reader import CardReader, ReaderStatus

__all__ = ["FakeCardReader"]


class FakeCardReader(CardReader):
    """A card reader with no hardware: ``place_card`` / ``remove_card`` / ``fail_read`` /
    ``unplug`` / ``replug``. ``cards_reported`` records every card it sent."""

    def __init__(
        self,
        profiles: Mapping[str, CardProfile] | None = None,
        *,
        threaded: bool = False,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self.profiles = dict(SAMPLE_PROFILES if profiles is None else profiles)
        self.threaded = threaded
        self._today = today
        self._running = False
        self._card: IdentityCard | None = None
        self.cards_reported: list[IdentityCard] = []
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    @property
    def is_running(self) -> bool:
        return self._running

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        if self.threaded:
            self._thread = threading.Thread(
                target=self._deliver, name="fake-idcard-reader", daemon=True
            )
            self._thread.start()
        self._post(lambda: self._emit_status(ReaderStatus.READY))
        self._post(lambda: self._emit_status(ReaderStatus.NO_CARD))

    def stop(self, timeout: float = 5.0) -> None:
        if not self._running:
            return
        self._post(lambda: self._emit_status(ReaderStatus.STOPPED))
        self._running = False
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            self._thread = None

    def place_card(self, card: str | CardProfile | IdentityCard) -> IdentityCard:
        """Put a card on the reader (a profile key, a profile, or a ready card); returns it.

        Like the real reader, a card left on the reader is not reported again; placing a
        different card reports it.
        """
        if isinstance(card, str):
            card = self.profiles[card]
        if isinstance(card, CardProfile):
            card = card.to_card(today=self._today())
        if self._card is not None and self._card == card:
            return card
        self._card = card
        ready = card

        def deliver() -> None:
            self._emit_status(ReaderStatus.READING)
            self._emit_status(ReaderStatus.READY)
            self.cards_reported.append(ready)
            self._emit_card(ready)
            if ready.is_expired(self._today()):
                self._emit_status(
                    ReaderStatus.CARD_EXPIRED,
                    f"证件已于{ready.valid_to}过期 / card expired on {ready.valid_to}",
                )

        self._post(deliver)
        return card

    def remove_card(self) -> None:
        if self._card is None:
            return
        self._card = None

        def deliver() -> None:
            self._emit_status(ReaderStatus.CARD_REMOVED)
            self._emit_status(ReaderStatus.NO_CARD)

        self._post(deliver)

    def fail_read(
        self, message: str = "读卡失败，请重新放置证件 / card read failed (0x41)"
    ) -> None:
        """A card was put on the reader but could not be read."""
        self._post(lambda: self._emit_status(ReaderStatus.READ_FAILED, message))

    def unplug(self) -> None:
        self._card = None
        self._post(lambda: self._emit_status(ReaderStatus.READER_GONE))

    def replug(self) -> None:
        self._post(lambda: self._emit_status(ReaderStatus.READY))

    def wait_idle(self, timeout: float = 5.0) -> None:
        """With ``threaded=True``: wait until every event posted so far has been delivered."""
        if self._thread is None:
            return
        done = threading.Event()
        self._queue.put(done.set)
        done.wait(timeout)

    def _post(self, action: Callable[[], None]) -> None:
        if not self._running:
            return  # a stopped reader reports nothing, like the real one
        if self._thread is None:
            action()
        else:
            self._queue.put(action)

    def _deliver(self) -> None:
        while True:
            action = self._queue.get()
            if action is None:
                return
            action()
