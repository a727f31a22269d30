"""评价 from the kiosk: find today's finished services of a ticket or a card, and rate one.

The levels, reasons and one-rating-per-service rule are the counter's
(:mod:`common.intake.rating`); this module only finds *what* a citizen at the kiosk may rate:

* a ticket of today, by its number (printed on the slip), once it is finished at a window;
* every finished ticket of today taken with the card on the reader (the queue's keyed hash);
* every hand-over (出件, ``CaseService.deliver``) of today of a case whose applicant or agent is
  the card's holder (``handover:<case number>``, the key the counter's rating view uses);
* a scanned code (:meth:`KioskRatings.by_code`): the ticket's QR (that ticket, if it is of today
  and finished) or the receipt's QR (that case's hand-over, if it was today). Both codes carry a
  keyed tag (:mod:`common.intake.qrtag`): a made-up or another day's code is answered like an
  unknown ticket.

A service rated already (at the counter's rating view or at another kiosk) is not offered, and
rating it anyway is refused by the database's unique key — whichever device came first wins.
Tickets are read from the queue's table; hand-overs, on PostgreSQL, only through the SECURITY
DEFINER functions ``onewindow_kiosk_handovers`` (by card, migration 0013) and
``onewindow_kiosk_handover_of_case`` (by receipt, 0017), so the kiosk role still has no access to
the case tables.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlalchemy import or_, select, text

from common.clock import Clock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Case, CaseTransition, Service, Ticket, TicketStatus, Window
from common.intake.qrtag import case_number_from_payload, ticket_from_payload
from common.intake.rating import RatingDraft, RatingLevel, RatingService, RatingView
from common.intake.words import CaseAction
from common.people import hash_id_number, normalize_id_number

__all__ = [
    "HANDOVERS_FUNCTION",
    "HANDOVER_OF_CASE_FUNCTION",
    "KioskRatings",
    "NotHandedOverToday",
    "NothingToRate",
    "RateableService",
]

HANDOVERS_FUNCTION = "onewindow_kiosk_handovers"
HANDOVER_OF_CASE_FUNCTION = "onewindow_kiosk_handover_of_case"


class NothingToRate(LookupError):
    """No finished, unrated service of today for this ticket or card (one answer for all cases)."""

    def __init__(self) -> None:
        self.message_zh = "没有可评价的服务：请在窗口办理结束后再评价，每次服务只能评价一次"
        self.message_en = (
            "Nothing to rate: a service can be rated once, after it has finished at a window"
        )
        super().__init__(self.message_en)


class NotHandedOverToday(NothingToRate):
    """A genuine receipt's case with no unrated hand-over today (said only after the tag checked,
    so it tells nothing to someone guessing numbers)."""

    def __init__(self) -> None:
        super().__init__()
        self.message_zh = "这件办件今天没有出件，暂无可评价的服务"
        self.message_en = "This case was not handed over today: nothing to rate"
        self.args = (self.message_en,)


@dataclass(frozen=True)
class RateableService:
    """One finished service the citizen may rate: which ticket, which window, which service."""

    ticket_id: int  # a hand-over: minus its case id (pick lists key on this one number)
    number: str  # the ticket's number, or the case number of a hand-over
    service_name: str
    service_name_en: str
    window: int | None
    finished_at: dt.datetime | None
    case_number: str = ""  # a hand-over (出件)
    case_id: int | None = None

    @property
    def is_handover(self) -> bool:
        return bool(self.case_number)

    @property
    def service_key(self) -> str:
        if self.case_number:
            return f"handover:{self.case_number}"
        return f"ticket:{self.ticket_id}"


class KioskRatings:
    """Reads today's finished tickets and stores kiosk ratings through :class:`RatingService`."""

    def __init__(self, db: HallDatabase, settings: Settings, clock: Clock) -> None:
        self.db, self.settings = db, settings
        self.ratings = RatingService(db, settings, clock)
        self._secret: str | None = None

    def _hash(self, id_number: str) -> str:
        return hash_id_number(normalize_id_number(id_number), self._hall_secret())

    def _finished(
        self, day: dt.date, *, number: str | None = None, id_hash: str | None = None
    ) -> list[RateableService]:
        stmt = (
            select(
                Ticket.id,
                Ticket.number,
                Service.name,
                Service.name_en,
                Window.number.label("window"),
                Ticket.finished_at,
            )
            .join(Service, Service.id == Ticket.service_id)
            .outerjoin(Window, Window.id == Ticket.window_id)
            .where(Ticket.hall_day == day, Ticket.status == TicketStatus.FINISHED)
            .order_by(Ticket.finished_at.desc())
        )
        if number is not None:
            stmt = stmt.where(Ticket.number == number)
        if id_hash is not None:
            stmt = stmt.where(Ticket.id_hash == id_hash)
        with self.db.read() as s:
            rows = [
                RateableService(r[0], r[1], r[2], r[3] or "", r[4], r[5]) for r in s.execute(stmt)
            ]
        rated = self.ratings.rated([r.service_key for r in rows])
        return [r for r in rows if r.service_key not in rated]

    def by_ticket(self, number: str, day: dt.date) -> RateableService:
        """The ticket numbered ``number`` today (``A001``; case and blanks ignored)."""
        typed = re.sub(r"\s", "", number).upper()
        if not re.fullmatch(r"[A-Z]\d{1,4}", typed):
            raise NothingToRate()
        found = self._finished(day, number=typed)
        if not found:
            raise NothingToRate()
        return found[0]

    def of_holder(self, id_number: str, day: dt.date) -> list[RateableService]:
        """Every finished, unrated service of today of this card — tickets taken with it and
        hand-overs of its holder's cases — newest first."""
        id_hash = self._hash(id_number)
        found = [*self._finished(day, id_hash=id_hash), *self._handovers(day, id_hash)]
        found.sort(key=lambda r: r.finished_at or dt.datetime.min.replace(tzinfo=dt.UTC))
        return found[::-1]

    def by_code(self, payload: str, day: dt.date) -> RateableService:
        """A scanned code: the ticket's QR (that ticket, if of ``day`` and finished) or the
        receipt's QR (that case's hand-over of ``day``). A wrong tag, another day's ticket or any
        other code is :class:`NothingToRate`, exactly like an unknown ticket number; a genuine
        receipt whose case was not handed over today is :class:`NotHandedOverToday`."""
        secret = self._hall_secret()
        ticket = ticket_from_payload(payload, secret)
        if ticket is not None:
            if ticket.day != day:
                raise NothingToRate()
            return self.by_ticket(ticket.number, day)
        case_number = case_number_from_payload(payload, secret)
        if case_number is None:
            raise NothingToRate()
        found = self._handovers(day, case_number=case_number)
        if not found:
            raise NotHandedOverToday()
        return found[0]

    def _hall_secret(self) -> str:
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        return self._secret

    def _handovers(
        self, day: dt.date, id_hash: str = "", *, case_number: str = ""
    ) -> list[RateableService]:
        """Hand-overs of ``day``: of the cases of a holder (``id_hash``) or of one case."""
        tz = self.settings.hall.tz
        start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        end = start + dt.timedelta(days=1)
        with self.db.read() as s:
            if self.db.is_postgresql:
                utc = [t.astimezone(dt.UTC).replace(tzinfo=None) for t in (start, end)]
                function, key = (
                    (HANDOVER_OF_CASE_FUNCTION, case_number)
                    if case_number
                    else (HANDOVERS_FUNCTION, id_hash)
                )
                rows = [
                    (r[0], r[1], r[2], r[3].replace(tzinfo=dt.UTC))
                    for r in s.execute(
                        text(f"SELECT * FROM {function}(:h, :f, :t)"),
                        {"h": key, "f": utc[0], "t": utc[1]},
                    )
                ]
            else:
                c, t = Case, CaseTransition
                whose = (
                    c.number == case_number
                    if case_number
                    else or_(c.applicant_hash == id_hash, c.agent_hash == id_hash)
                )
                rows = [
                    (r[0], r[1], r[2], r[3])
                    for r in s.execute(
                        select(c.id, c.number, c.matters, t.at)
                        .join(t, t.case_id == c.id)
                        .where(t.action == CaseAction.DELIVER, t.at >= start, t.at < end, whose)
                        .order_by(t.at.desc())
                        .limit(1 if case_number else 20)
                    )
                ]
        found = []
        for case_id, number, matters, at in rows:
            names = "、".join(
                str(m.get("name", ""))
                for m in (json.loads(matters) if isinstance(matters, str) else matters or [])
            )
            found.append(
                RateableService(
                    ticket_id=-int(case_id),
                    # Without the hall's code (this hall's cases only): it fits a button in
                    # large print, and the keypad takes it that way too.
                    number=str(number).removeprefix(f"{self.settings.hall.code}-"),
                    service_name=f"出件 · {names}" if names else "出件",
                    service_name_en=f"Handover · {names}" if names else "Handover",
                    window=None,
                    finished_at=at,
                    case_number=str(number),
                    case_id=int(case_id),
                )
            )
        rated = self.ratings.rated([r.service_key for r in found])
        return [r for r in found if r.service_key not in rated]

    def rate(
        self, service: RateableService, level: RatingLevel, reasons: tuple[str, ...] = ()
    ) -> RatingView:
        """Store the rating (``channel="kiosk"``); :class:`~common.intake.rating.AlreadyRated` if
        another device rated this service first."""
        draft = RatingDraft(
            level=level,
            ticket_id=None if service.is_handover else service.ticket_id,
            case_number=service.case_number,
            case_id=service.case_id,
            reasons=reasons,
            channel="kiosk",
            window=service.window,
        )
        return self.ratings.rate(draft)
