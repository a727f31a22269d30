"""Following the central server's change feed: back-office decisions, e-certificates and
appointments come back to the hall.

One page is one unit of work: every change of the page is applied — a case's state through
:meth:`CaseService.apply_central` (the same state table and history as the counter's own
moves, and no outbox row) — a row is written per position in ``sync_applied_change``, and the
cursor moves to the page's ``next_cursor``, all in one transaction. A crash before the commit
leaves nothing applied and the old cursor; after it, everything and the new cursor.

Several followers on one PostgreSQL hall database (one per counter PC) are safe: the unit locks
the cursor row first and skips positions at or below the stored cursor, and the position is the
primary key of ``sync_applied_change`` besides.

A change that cannot be applied — its case is unknown here, or the state table refuses it (the
hall withdrew the case while the back office approved it) — is logged and recorded as
``skipped`` with its reason; it never stops the feed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DataError, IntegrityError

from common.clock import Clock
from common.contract import ChangeFeed, ChangeItem, ChangeType
from common.db.engine import HallDatabase
from common.db.models import (
    AppliedChange,
    Case,
    CaseTransition,
    HallAppointment,
    HallCertificate,
    SyncCursor,
)
from common.db.unit import UnitOfWork
from common.documents.data import CertificateData
from common.intake.cases import CaseService, UnknownCase
from common.intake.states import IllegalTransition
from common.intake.words import CaseAction
from common.people import mask_name
from common.sync.client import CentralClient, CentralError
from common.sync.drainer import record_exchange

__all__ = ["FEED_CURSOR", "FeedFollower", "FollowReport", "certificate_data"]

log = logging.getLogger(__name__)

FEED_CURSOR = "changes"
_CURSOR = cast(Table, SyncCursor.__table__)
_APPLIED = cast(Table, AppliedChange.__table__)


@dataclass
class FollowReport:
    """What one or more pages did."""

    pages: int = 0
    applied: int = 0
    skipped: int = 0
    cursor: int = 0
    error: str = ""


class _Skip(Exception):
    """A change that cannot be applied here (recorded as skipped)."""


class FeedFollower:
    """Reads the change feed after the stored cursor and applies it (module docstring)."""

    def __init__(
        self,
        db: HallDatabase,
        client: CentralClient,
        cases: CaseService,
        clock: Clock,
        *,
        page_size: int = 200,
    ) -> None:
        self.db = db
        self.client = client
        self.cases = cases
        self.clock = clock
        self.page_size = page_size
        self._transitions: list[dict[str, Any]] | None = None

    def cursor(self) -> int:
        with self.db.read() as s:
            value = s.scalar(select(SyncCursor.position).where(SyncCursor.name == FEED_CURSOR))
            return int(value or 0)

    def follow(self, max_pages: int | None = None) -> FollowReport:
        """Read pages until the feed has no more, a call fails, or ``max_pages``."""
        total = FollowReport()
        while max_pages is None or total.pages < max_pages:
            report, more = self._page()
            total.pages += report.pages
            total.applied += report.applied
            total.skipped += report.skipped
            total.cursor = report.cursor
            if report.error:
                total.error = report.error
                break
            if not more:
                break
        return total

    def follow_once(self) -> FollowReport:
        return self._page()[0]

    def _page(self) -> tuple[FollowReport, bool]:
        after = self.cursor()
        try:
            feed = self.client.changes(after, self.page_size)
        except CentralError as exc:
            with self.db.write() as s:
                record_exchange(self.db, s, FEED_CURSOR, self.clock.now(self.db, s), error=str(exc))
            return FollowReport(cursor=after, error=str(exc)), False
        try:
            report = self._apply_page(feed, after, careful=False)
        except (IntegrityError, DataError) as exc:
            # The fast path (no savepoints) met a change the database refuses: the page was
            # rolled back whole; apply it again one savepoint per change to skip just that one.
            log.info("feed page after %d again change by change: %s", after, type(exc).__name__)
            report = self._apply_page(feed, after, careful=True)
        return report, feed.has_more

    def _apply_page(self, feed: ChangeFeed, after: int, *, careful: bool) -> FollowReport:
        report = FollowReport(pages=1, cursor=after)
        with UnitOfWork(
            self.db, self.clock, tz=self.cases.settings.hall.tz, outbox_writer=_no_outbox
        ) as uow:
            stored = self._lock_cursor(uow)
            items = [
                item for item in feed.items if item.position > stored
            ]  # others: done elsewhere
            # The page's cases in one query (locked on PostgreSQL), not one SELECT per change.
            numbers = sorted({i.case_number for i in items if i.case_number})
            cases: dict[str, Case] = {}
            if numbers:
                stmt = select(Case).where(Case.number.in_(numbers)).order_by(Case.number)
                if self.db.is_postgresql:
                    stmt = stmt.with_for_update()
                cases = {c.number: c for c in uow.session.scalars(stmt)}
            handled: list[dict[str, Any]] = []
            self._transitions = (
                [] if not careful else None
            )  # careful: inserted inside each savepoint
            for item in items:
                outcome, detail = self._apply(uow, item, cases, careful)
                handled.append(
                    {
                        "position": item.position,
                        "type": str(item.type),
                        "case_number": item.case_number[:64],
                        "outcome": outcome,
                        "detail": detail[:1000],
                        "at": item.at,
                        "applied_at": uow.now,
                    }
                )
                if outcome == "applied":
                    report.applied += 1
                else:
                    report.skipped += 1
            if self._transitions:
                uow.session.execute(insert(CaseTransition), self._transitions)
            self._transitions = None
            if handled:
                uow.session.execute(insert(_APPLIED), handled)
            new = max(stored, feed.next_cursor)
            uow.session.execute(
                _CURSOR.update()
                .where(_CURSOR.c.name == FEED_CURSOR)
                .values(position=new, updated_at=uow.now)
            )
            record_exchange(self.db, uow.session, FEED_CURSOR, uow.now)
            report.cursor = new
        return report

    def _lock_cursor(self, uow: UnitOfWork) -> int:
        s = uow.session
        dialect = postgresql if self.db.is_postgresql else sqlite
        s.execute(
            dialect.insert(_CURSOR)
            .values(name=FEED_CURSOR, position=0, last_error="")
            .on_conflict_do_nothing(index_elements=[_CURSOR.c.name])
        )
        stmt = select(SyncCursor.position).where(SyncCursor.name == FEED_CURSOR)
        if self.db.is_postgresql:
            stmt = stmt.with_for_update()
        return int(s.scalar(stmt) or 0)

    # ------------------------------------------------------------------ one change

    def _apply(
        self, uow: UnitOfWork, item: ChangeItem, cases: dict[str, Case], careful: bool
    ) -> tuple[str, str]:
        if not careful:
            return self._apply_one(uow, item, cases)
        # A savepoint per change: a change the database refuses (a value too long, a duplicate)
        # is skipped with its reason instead of failing the page again and again.
        savepoint = uow.session.begin_nested()
        try:
            outcome = self._apply_one(uow, item, cases)
            uow.session.flush()
            savepoint.commit()
            return outcome
        except (IntegrityError, DataError) as exc:
            savepoint.rollback()
            reason = f"{type(exc).__name__}: {str(exc.orig).splitlines()[0][:200]}"
            log.warning("change %d (%s) skipped: %s", item.position, str(item.type), reason)
            return "skipped", reason

    def _apply_one(
        self, uow: UnitOfWork, item: ChangeItem, cases: dict[str, Case]
    ) -> tuple[str, str]:
        try:
            if item.type is ChangeType.CASE_STATUS:
                detail = self._case_status(uow, item, cases)
            elif item.type is ChangeType.CERTIFICATE_ISSUED:
                detail = self._certificate(uow, item, cases)
            elif item.type is ChangeType.APPOINTMENT_BOOKED:
                detail = self._appointment(uow, item)
            elif item.type is ChangeType.CATALOG_VERSION:
                # A new catalog version: the catalog is fetched by `onewindow catalog`, which
                # compares digests itself; the feed only says one exists.
                detail = f"catalog {item.payload.get('version', '')}"
            else:
                # A kind of change a newer server sends: recorded as skipped, the feed goes on.
                raise _Skip(f"unknown change type {item.type}")
            return "applied", detail
        except (_Skip, UnknownCase, IllegalTransition, ValueError, KeyError) as exc:
            reason = (
                exc.message_en
                if isinstance(exc, IllegalTransition)
                else f"{type(exc).__name__}: {exc}"
            )
            log.warning(
                "change %d (%s, case %s) skipped: %s",
                item.position,
                str(item.type),
                item.case_number,
                reason,
            )
            return "skipped", reason

    def _case_status(self, uow: UnitOfWork, item: ChangeItem, cases: dict[str, Case]) -> str:
        p = item.payload
        action = CaseAction(str(p["action"]))
        handler = str(p.get("handler", ""))
        target = self.cases.apply_central(
            uow,
            item.case_number,
            action,
            actor=f"central:{handler}"[:64],
            reason=str(p.get("opinion", "")),
            case=self._case(item.case_number, cases),
            transitions=self._transitions,
            central_position=item.position,
        )
        return target.value

    @staticmethod
    def _case(number: str, cases: dict[str, Case]) -> Case:
        case = cases.get(number)
        if case is None:
            raise UnknownCase(number)
        return case

    def _certificate(self, uow: UnitOfWork, item: ChangeItem, cases: dict[str, Case]) -> str:
        p = item.payload
        case = self._case(item.case_number, cases)
        identifier = str(p["identifier"])
        if uow.session.scalar(
            select(HallCertificate.id).where(HallCertificate.identifier == identifier)
        ):
            raise _Skip(f"certificate {identifier} is here already")
        organisation = case.organisation_name
        uow.session.add(
            HallCertificate(
                identifier=identifier,
                case_number=case.number,
                title=str(p.get("title", ""))[:100],
                issuer_name=str(p.get("issuer_name", ""))[:200],
                holder_hash=case.applicant_hash,
                holder_masked=organisation or mask_name(case.applicant_name),
                issued_on=dt.date.fromisoformat(str(p["issued_on"])),
                valid_until=dt.date.fromisoformat(str(p["valid_until"]))
                if p.get("valid_until")
                else None,
                position=item.position,
                received_at=uow.now,
            )
        )
        uow.audit("sync", "certificate.received", case.number, identifier=identifier)
        return identifier

    def _appointment(self, uow: UnitOfWork, item: ChangeItem) -> str:
        p = item.payload
        central_id = int(p["appointment_id"])
        if uow.session.scalar(
            select(HallAppointment.id).where(HallAppointment.central_id == central_id)
        ):
            raise _Skip(f"appointment {central_id} is here already")
        keep = {k: v for k, v in p.items() if k in ("matter_code",)}
        uow.session.add(
            HallAppointment(
                central_id=central_id,
                matter_code=str(p["matter_code"])[:64],
                day=dt.date.fromisoformat(str(p["day"])),
                slot=str(p["slot"])[:16],
                holder_hash=self.cases.holder_hash(str(p["id_number"])),
                name_masked=str(p.get("name_masked", ""))[:100],
                phone_masked=str(p.get("phone_masked", ""))[:32],
                position=item.position,
                received_at=uow.now,
                detail=keep,
            )
        )
        return f"appointment {central_id}"


def _no_outbox(session: Any, messages: Any) -> None:
    raise RuntimeError("a change from the central server must not write an outbox row")


def certificate_data(
    db: HallDatabase, identifier: str, *, verify_url_base: str = ""
) -> CertificateData:
    """Rebuild a received e-certificate's PDF data from its row and the case's applicant
    (the hall keeps no PDF bytes: ``common.documents.pdf.certificate_pdf`` renders this)."""
    with db.read() as s:
        cert = s.scalars(
            select(HallCertificate).where(HallCertificate.identifier == identifier)
        ).one()
        case = s.scalars(select(Case).where(Case.number == cert.case_number)).one()
        organisation = case.organisation_name
        return CertificateData(
            identifier=cert.identifier,
            title=cert.title,
            issuer_name=cert.issuer_name,
            holder_name=organisation or case.applicant_name,
            holder_id_number=case.credit_code if organisation else case.applicant_number,
            issued_on=cert.issued_on,
            valid_from=cert.issued_on,
            valid_until=cert.valid_until,
            verify_url=verify_url_base + cert.identifier,
            usage_provider=cert.issuer_name,
            usage_valid_until=cert.issued_on + dt.timedelta(days=90),
            holder_is_person=not organisation,
        )
