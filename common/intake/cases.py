"""Cases in the hall database: accept, move through the state machine, and watch the deadlines.

Every method is one :class:`~common.db.unit.UnitOfWork`: the case row, its materials, the
transition, the audit row and the outbox row are written in one transaction or not at all
(DESIGN.md "Outbox"). Case numbers come from a (hall day) counter row updated in that same
transaction, so they are gap-free per hall day and two windows accepting at the same moment
never share one — the same guarantee as queue numbers, on SQLite and PostgreSQL.

The decision is never chosen here: :func:`common.intake.decision.decide` computes it from the
marks, and the state follows from the decision. Personal data is stored in full (only here);
what this module hands out for display is masked (:class:`CaseView`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Executable, Table, and_, bindparam, insert, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from common.clock import Clock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import (
    Case,
    CaseClockStop,
    CaseCounter,
    CaseMaterial,
    CaseTransition,
    Ticket,
)
from common.db.unit import UnitOfWork
from common.documents.data import CorrectionNoticeData, MaterialLine, MissingItem, ReceiptData
from common.intake.applicant import Applicant, CertificateType, Person
from common.intake.calendar import HallCalendar
from common.intake.checklist import Checklist
from common.intake.decision import Outcome, decide
from common.intake.outbox import case_aggregate, write_outbox
from common.intake.qrtag import case_payload
from common.intake.states import next_state
from common.intake.watch import WatchLevel, WatchLimits, watch_level
from common.intake.words import CaseAction, CaseState, ClockStopKind, Decision, MaterialMark
from common.people import hash_id_number, mask_id_number, mask_name, normalize_id_number

__all__ = [
    "CaseDraft",
    "CaseService",
    "CaseView",
    "HolderMismatch",
    "TransitionView",
    "UnknownCase",
    "WatchItem",
    "WatchLevel",
]

_DECISION_STATE = {
    Decision.ACCEPT: (CaseAction.ACCEPT, CaseState.ACCEPTED),
    Decision.ACCEPT_WITH_TOLERANCE: (
        CaseAction.ACCEPT_WITH_TOLERANCE,
        CaseState.ACCEPTED_WITH_TOLERANCE,
    ),
    Decision.CORRECTION_REQUIRED: (CaseAction.REQUIRE_CORRECTION, CaseState.CORRECTION_REQUIRED),
    Decision.REJECT: (CaseAction.REJECT, CaseState.REJECTED),
}

# What transition() may do; the rest has its own method (accept, supplement, clock, delivery).
_PLAIN_ACTIONS = frozenset(
    {
        CaseAction.START_REVIEW,
        CaseAction.APPROVE,
        CaseAction.DENY,
        CaseAction.MARK_READY,
        CaseAction.WITHDRAW,
    }
)

class UnknownCase(LookupError):
    """No case with this number in the hall database."""

    def __init__(self, number: str) -> None:
        self.number = number
        self.message_zh = f"没有编号为 {number} 的办件"
        self.message_en = f"no case numbered {number}"
        super().__init__(f"{self.message_zh} / {self.message_en}")


class HolderMismatch(ValueError):
    """Hand-over refused: the ID card shown is neither the applicant's nor the agent's."""

    def __init__(self) -> None:
        self.message_zh = "出示的证件不是申请人或代办人本人的，不能出件"
        self.message_en = (
            "the card shown is not the applicant's or the agent's: the result cannot be handed over"
        )
        super().__init__(f"{self.message_zh} / {self.message_en}")


@dataclass(frozen=True)
class CaseDraft:
    """What the counter has when the staff press 受理: marks, applicant, and where it happens."""

    checklist: Checklist
    applicant: Applicant
    window: int | None = None
    ticket_id: int | None = None
    reject_reason: str | None = None
    catalog_version: str = ""


@dataclass(frozen=True)
class TransitionView:
    """One line of a case's history timeline."""

    seq: int
    action: CaseAction
    from_state: CaseState
    to_state: CaseState
    state_code: str
    actor: str
    at: dt.datetime
    reason: str


@dataclass(frozen=True)
class CaseView:
    """A case as screens and documents see it: personal data masked."""

    id: int
    number: str
    state: CaseState
    decision: Decision
    title: str
    matters: tuple[str, ...]
    applicant: str  # masked person, or the organisation's name in full (public)
    applicant_number: str  # masked
    accepted_at: dt.datetime
    promised_date: dt.date | None
    supplement_deadline: dt.date | None
    tolerated_outstanding: int
    window: int | None
    staff: str
    ticket_number: str
    materials: tuple[MaterialLine, ...]
    missing: tuple[MissingItem, ...]
    reject_reason: str
    route_agency: str
    clock_stopped_on: dt.date | None
    resubmission_of: str = ""


@dataclass(frozen=True)
class WatchItem:
    """One flagged case for the 电子监察 lists."""

    number: str
    title: str
    state: CaseState
    level: WatchLevel
    promised_date: dt.date | None
    supplement_deadline: dt.date | None
    window: int | None


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


_MATERIAL_COLUMNS = [c.key for c in _table(CaseMaterial).columns]


def _material_row(m: CaseMaterial) -> dict[str, Any]:
    return {key: getattr(m, key) for key in _MATERIAL_COLUMNS}


class CaseService:
    """Cases of one hall: acceptance, transitions, history, 电子监察 and the printed documents."""

    def __init__(
        self,
        db: HallDatabase,
        settings: Settings,
        clock: Clock,
        calendar: HallCalendar | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.calendar = calendar or HallCalendar.from_settings(settings.calendar)
        self._secret: str | None = None
        self._counter_stmt: Executable | None = None

    # ------------------------------------------------------------------ plumbing

    def _unit(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.clock, tz=self.settings.hall.tz, outbox_writer=write_outbox)

    def holder_hash(self, number: str) -> str:
        """The hall's keyed hash of an ID number (the same as the queue's and the cases'), so a
        card read at the kiosk finds its holder's cases and appointments without the number."""
        return self._hash(normalize_id_number(number))

    def _hash(self, number: str) -> str:
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        return hash_id_number(number, self._secret)

    def case_payload(self, number: str) -> str:
        """The receipt's QR payload for ``number``, with its keyed tag (common.intake.qrtag)."""
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        return case_payload(number, self._secret)

    def _next_seq(self, s: Session, day: dt.date) -> int:
        """Take the next case number of the hall day; the counter row stays locked until commit."""
        if self._counter_stmt is None:
            # Built once: constructing the upsert each time cost more than executing it.
            counter = _table(CaseCounter)
            dialect = postgresql if self.db.is_postgresql else sqlite
            self._counter_stmt = (
                dialect.insert(counter)
                .values(hall_day=bindparam("day"), last=1)
                .on_conflict_do_update(
                    index_elements=[counter.c.hall_day], set_={"last": counter.c.last + 1}
                )
                .returning(counter.c.last)
            )
        return int(s.execute(self._counter_stmt, {"day": day}).scalar_one())

    def _number(self, day: dt.date, seq: int) -> str:
        return f"{self.settings.hall.code}-{day:%Y%m%d}-{seq:04d}"

    def _get(self, s: Session, number: str, *, lock: bool = False) -> Case:
        stmt = select(Case).where(Case.number == number)
        if lock and self.db.is_postgresql:
            stmt = stmt.with_for_update()
        case = s.scalars(stmt).one_or_none()
        if case is None:
            raise UnknownCase(number)
        return case

    def _record(
        self,
        uow: UnitOfWork,
        case: Case,
        action: CaseAction,
        to_state: CaseState,
        *,
        actor: str,
        reason: str = "",
        stop: ClockStopKind | None = None,
        materials: list[dict[str, Any]] | None = None,
        new: bool = False,
        central: bool = False,
        transitions: list[dict[str, Any]] | None = None,
        **detail: Any,
    ) -> None:
        """The transition row, the audit row and the outbox row of one change of ``case``.

        ``new``: the case row was just inserted already in ``to_state`` with its first sequence
        number (one INSERT, not an INSERT and an UPDATE). ``central``: the change came from the
        central server's feed, so it writes no outbox row and takes no outbox number (the
        server's per-case order counts only the hall's own changes); its transition row is
        numbered after them through ``central_changes``.
        """
        if new:
            from_state = CaseState.DRAFT
        else:
            from_state = case.state
            if central:
                case.central_changes += 1
            else:
                case.outbox_seq += 1
            case.state = to_state
            case.open = to_state.is_open
            case.updated_at = uow.now
        seq = case.outbox_seq
        code = action.state_code(stop)
        # Core, not the ORM: the row is never read back in this unit. ``transitions`` collects
        # the rows instead, for a caller that inserts a whole page of them at once (the sync).
        row = {
            "case_id": case.id,
            "seq": seq + (case.central_changes or 0),
            "action": action,
            "from_state": from_state,
            "to_state": to_state,
            "state_code": code,
            "actor": actor or "system",
            "at": uow.now,
            "reason": reason,
            "detail": detail,
        }
        if transitions is not None:
            transitions.append(row)
        else:
            uow.session.execute(insert(CaseTransition), row)
        uow.audit(actor, f"case.{action.value}", case.number, state=to_state.value, **detail)
        if central:
            return
        payload = self._payload(
            case, action, from_state, to_state, code, actor, uow.now, reason, detail
        )
        if materials is not None:
            payload["materials"] = materials
        uow.outbox(f"case.{action.value}", payload, aggregate=case_aggregate(case.id), seq=seq)

    def _payload(
        self,
        case: Case,
        action: CaseAction,
        from_state: CaseState,
        to_state: CaseState,
        code: str,
        actor: str,
        at: dt.datetime,
        reason: str,
        detail: dict[str, Any],
    ) -> dict[str, Any]:
        """The national case-data fields (DOMAIN.md "Case data"), for the central server."""
        process = {
            "action": action.value,
            "state_code": code,
            "from_state": from_state.value,
            "to_state": to_state.value,
            "handler": actor,
            "opinion": reason,
            "at": at.isoformat(),
            "detail": detail,
        }
        if action not in (
            CaseAction.ACCEPT,
            CaseAction.ACCEPT_WITH_TOLERANCE,
            CaseAction.REQUIRE_CORRECTION,
            CaseAction.REJECT,
        ):
            return {
                "case_number": case.number,
                "process": process,
                "source": self.settings.hall.code,
            }
        return {
            "case_number": case.number,
            "source": self.settings.hall.code,
            "matters": case.matters,
            "bundle_code": case.bundle_code,
            "catalog_version": case.catalog_version,
            "route": {"agency": case.route_agency, "area_code": case.route_area_code},
            "applicant": {
                "type": case.applicant_type,
                "name": case.applicant_name,
                "certificate_type": case.applicant_cert_type,
                "certificate_number": case.applicant_number,
                "phone": case.phone,
                "organisation": case.organisation_name,
                "credit_code": case.credit_code,
                "legal_representative": case.legal_representative,
                "agent_name": case.agent_name,
                "agent_certificate_type": case.agent_cert_type,
                "agent_certificate_number": case.agent_number,
            },
            "accepted_at": case.accepted_at.isoformat(),
            "accepting_staff": case.staff,
            "window": case.window,
            "decision": case.decision.value,
            "promised_date": case.promised_date.isoformat() if case.promised_date else None,
            "supplement_deadline": (
                case.supplement_deadline.isoformat() if case.supplement_deadline else None
            ),
            "reject_reason": case.reject_reason,
            "resubmission_of": detail.get("resubmission_of", ""),
            "process": process,
        }

    # ------------------------------------------------------------------ acceptance

    def accept(
        self, draft: CaseDraft, *, actor: str, resubmission_of: str | None = None
    ) -> CaseView:
        """Decide from the marks, number the case and save it with its history and outbox row.

        Raises :class:`~common.intake.decision.DecisionIncomplete` for unmarked items,
        :class:`~common.intake.calendar.CalendarYearUnknown` for a date beyond the calendar, and
        the database's own :class:`~common.db.engine.DatabaseUnavailable` — in every case
        nothing at all is written.
        """
        outcome = decide(draft.checklist, reject_reason=draft.reject_reason)
        action, state = _DECISION_STATE[outcome.decision]
        checklist = draft.checklist
        applicant = draft.applicant
        with self._unit() as uow:
            s = uow.session
            day = uow.day
            promised_days, promised, deadline = self._dates(checklist, outcome, day)
            previous = self._get(s, resubmission_of, lock=True) if resubmission_of else None
            if previous is not None:
                old_state = previous.state
                self._record(
                    uow,
                    previous,
                    CaseAction.RESUBMIT,
                    next_state(old_state, CaseAction.RESUBMIT),
                    actor=actor,
                )
            seq = self._next_seq(s, day)
            ticket_number = ""
            if draft.ticket_id is not None:
                ticket = s.get(Ticket, draft.ticket_id)
                ticket_number = ticket.number if ticket is not None else ""
            person = applicant.person
            agent = applicant.agent
            org = applicant.organisation
            route = next(
                (m.cross_area for m in checklist.matters if m.cross_area is not None), None
            )
            case = Case(
                number=self._number(day, seq),
                hall_day=day,
                seq=seq,
                state=state,
                open=state.is_open,
                decision=outcome.decision,
                title=checklist.title[:400],
                matters=[
                    {"code": m.code, "version": m.version, "name": m.name}
                    for m in checklist.matters
                ],
                bundle_code=checklist.bundle.code if checklist.bundle else "",
                catalog_version=draft.catalog_version,
                route_agency=route.agency if route else "",
                route_area_code=route.area_code if route else "",
                applicant_type=int(applicant.type),
                applicant_name=person.name,
                applicant_cert_type=person.certificate.value,
                applicant_number=person.number,
                applicant_hash=self._hash(person.number),
                phone=applicant.contact_phone,
                organisation_name=org.name if org else "",
                credit_code=org.credit_code if org else "",
                legal_representative=org.legal_representative if org else "",
                agent_name=agent.name if agent else "",
                agent_cert_type=agent.certificate.value if agent else "",
                agent_number=agent.number if agent else "",
                agent_hash=self._hash(agent.number) if agent else "",
                ticket_id=draft.ticket_id,
                ticket_number=ticket_number,
                window=draft.window,
                staff=actor,
                accepted_at=uow.now,
                promised_days=promised_days,
                promised_date=promised,
                supplement_deadline=deadline,
                tolerated_outstanding=len(outcome.tolerated),
                reject_reason=outcome.reject_reason,
                resubmission_of=previous.id if previous is not None else None,
                updated_at=uow.now,
                outbox_seq=1,
                delivery_method="",
                delivery_detail={},
            )
            s.add(case)
            s.flush()  # the id names the outbox aggregate and the material rows
            owed = {item.key for item in outcome.tolerated}
            materials = []
            for position, item in enumerate(checklist.items):
                mark = item.mark or MaterialMark.MISSING
                if item.key in owed:
                    mark = MaterialMark.TOLERATED  # a tolerable item not there is owed
                materials.append(
                    CaseMaterial(
                        case_id=case.id,
                        key=item.key,
                        position=position,
                        name=item.name,
                        form=item.form.value,
                        copies=item.copies,
                        key_item=item.key_item,
                        tolerable=item.tolerable,
                        mark=mark,
                        supplied_at=None,
                    )
                )
            # One executemany, not an ORM flush per row.
            s.execute(insert(CaseMaterial), [_material_row(m) for m in materials])
            extra: dict[str, Any] = {"decision": outcome.decision.value}
            if previous is not None:
                extra["resubmission_of"] = previous.number
            lines = [
                {
                    "key": m.key,
                    "name": m.name,
                    "mark": m.mark.value,
                    "form": m.form,
                    "copies": m.copies,
                }
                for m in materials
            ]
            self._record(
                uow,
                case,
                action,
                state,
                actor=actor,
                reason=outcome.reject_reason,
                materials=lines,
                new=True,
                **extra,
            )
            # The view from what was just written: no second transaction to read it back.
            view = self._view_of(case, materials, previous.number if previous is not None else "")
        return view

    def _dates(
        self, checklist: Checklist, outcome: Outcome, day: dt.date
    ) -> tuple[int, dt.date | None, dt.date | None]:
        """Promised days and date, and the supplement deadline, for an accepted case."""
        if outcome.decision not in (Decision.ACCEPT, Decision.ACCEPT_WITH_TOLERANCE):
            return 0, None, None
        if checklist.bundle is not None:
            days = checklist.bundle.promised_days
        else:
            days = max(m.promised_days for m in checklist.matters)
        promised = self.calendar.add_working_days(day, days)
        deadline = None
        if outcome.decision is Decision.ACCEPT_WITH_TOLERANCE:
            own = [m.supplement_days for m in checklist.matters if m.supplement_days is not None]
            deadline = self.calendar.add_working_days(
                day, min(own) if own else self.settings.intake.supplement_days
            )
        return days, promised, deadline

    def resubmit(self, number: str, draft: CaseDraft, *, actor: str) -> CaseView:
        """Answer a correction notice (补正): a new case, linked to the first attempt."""
        return self.accept(draft, actor=actor, resubmission_of=number)

    # ------------------------------------------------------------------ transitions

    def transition(
        self, number: str, action: CaseAction, *, actor: str, reason: str = "", **detail: Any
    ) -> CaseView:
        """A plain move of the state machine (start review, approve, deny, mark ready, withdraw)."""
        if action not in _PLAIN_ACTIONS:
            raise ValueError(f"use the dedicated method for {action.value}")
        if action in (CaseAction.DENY, CaseAction.WITHDRAW) and not reason.strip():
            raise ValueError("a denial or a withdrawal needs a reason / 请写明理由")
        with self._unit() as uow:
            case = self._get(uow.session, number, lock=True)
            self._record(
                uow,
                case,
                action,
                next_state(case.state, action),
                actor=actor,
                reason=reason,
                **detail,
            )
        return self.case(number)

    def apply_central(
        self,
        uow: UnitOfWork,
        number: str,
        action: CaseAction,
        *,
        actor: str,
        reason: str = "",
        case: Case | None = None,
        transitions: list[dict[str, Any]] | None = None,
        **detail: Any,
    ) -> CaseState:
        """Apply a back-office decision from the central server's feed inside the caller's unit.

        The same state table and history as :meth:`transition`, but no outbox row: the change
        came from the centre, which must not hear it back. The caller (the sync worker) stores
        the feed cursor in the same ``uow``, so the change and the cursor commit together.
        Raises :class:`UnknownCase` or :class:`~common.intake.states.IllegalTransition` before
        changing anything, so the caller can record the change as skipped in the same unit.
        ``case``: the row, when the caller has already read (and locked) the page's cases;
        ``transitions``: a list that collects the transition rows for the caller to insert
        (``insert(CaseTransition)`` with all of them) before its unit ends.
        """
        if case is None:
            case = self._get(uow.session, number, lock=True)
        target = next_state(case.state, action)
        self._record(
            uow,
            case,
            action,
            target,
            actor=actor,
            reason=reason,
            central=True,
            transitions=transitions,
            **detail,
        )
        return target

    def supplement(self, number: str, keys: Iterable[str], *, actor: str) -> CaseView:
        """补齐: the applicant brought tolerated items; all of them → the case is fully accepted."""
        wanted = set(keys)
        with self._unit() as uow:
            s = uow.session
            case = self._get(s, number, lock=True)
            rows = {
                m.key: m
                for m in s.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))
                if m.mark is MaterialMark.TOLERATED and m.supplied_at is None
            }
            unknown = wanted - rows.keys()
            if not wanted or unknown:
                raise ValueError(
                    "这些材料不是待补齐的容缺材料 / not owed: "
                    + ", ".join(sorted(unknown or {"(none)"}))
                )
            outstanding = len(rows) - len(wanted)
            target = next_state(
                case.state, CaseAction.SUPPLEMENT, tolerated_outstanding=outstanding
            )
            for key in wanted:
                rows[key].supplied_at = uow.now
            case.tolerated_outstanding = outstanding
            self._record(
                uow,
                case,
                CaseAction.SUPPLEMENT,
                target,
                actor=actor,
                supplied=sorted(wanted),
                outstanding=outstanding,
            )
        return self.case(number)

    def stop_clock(self, number: str, kind: ClockStopKind, *, actor: str, reason: str) -> CaseView:
        """补正开始 / 特别程序开始: the promised-date clock stops from today."""
        if not reason.strip():
            raise ValueError("a clock stop needs a reason / 请写明理由")
        with self._unit() as uow:
            case = self._get(uow.session, number, lock=True)
            target = next_state(case.state, CaseAction.STOP_CLOCK)
            uow.session.add(
                CaseClockStop(case_id=case.id, kind=kind, started=uow.day, reason=reason)
            )
            case.clock_stopped_on = uow.day
            self._record(
                uow,
                case,
                CaseAction.STOP_CLOCK,
                target,
                actor=actor,
                reason=reason,
                stop=kind,
                kind=kind.value,
            )
        return self.case(number)

    def restart_clock(self, number: str, *, actor: str) -> CaseView:
        """补正结束 / 特别程序结束: the promised date moves by the working days the stop lasted."""
        with self._unit() as uow:
            s = uow.session
            case = self._get(s, number, lock=True)
            target = next_state(case.state, CaseAction.RESTART_CLOCK)
            stop = s.scalars(
                select(CaseClockStop).where(
                    CaseClockStop.case_id == case.id, CaseClockStop.ended.is_(None)
                )
            ).one()
            stop.ended = uow.day
            stop.working_days = self.calendar.working_days_between(stop.started, uow.day)
            if case.promised_date is not None:
                case.promised_date = self.calendar.add_working_days(
                    case.promised_date, stop.working_days
                )
            case.clock_stopped_on = None
            self._record(
                uow,
                case,
                CaseAction.RESTART_CLOCK,
                target,
                actor=actor,
                stop=stop.kind,
                kind=stop.kind.value,
                working_days=stop.working_days,
            )
        return self.case(number)

    def deliver(
        self,
        number: str,
        *,
        actor: str,
        method: str,
        card_number: str | None = None,
        mail: dict[str, str] | None = None,
    ) -> CaseView:
        """出件: hand the result over.

        At the window against the holder's or agent's ID card, by mail, or electronically.
        """
        if method not in ("window", "mail", "electronic"):
            raise ValueError(f"unknown delivery method {method!r}")
        detail: dict[str, Any] = {"method": method}
        with self._unit() as uow:
            case = self._get(uow.session, number, lock=True)
            target = next_state(case.state, CaseAction.DELIVER)
            if method == "window":
                shown = self._hash(normalize_id_number(card_number or ""))
                if shown not in (case.applicant_hash, case.agent_hash or None):
                    raise HolderMismatch()
                detail["collected_by"] = "agent" if shown == case.agent_hash else "applicant"
            if method == "mail":
                mail = mail or {}
                missing = [
                    k
                    for k in ("carrier", "tracking_number", "address")
                    if not mail.get(k, "").strip()
                ]
                if missing:
                    raise ValueError(
                        "邮寄须填写快递公司、运单号和地址 / mail needs " + ", ".join(missing)
                    )
                detail.update(
                    {k: mail[k].strip() for k in ("carrier", "tracking_number", "address")}
                )
            case.delivery_method = method
            case.delivery_detail = {k: v for k, v in detail.items() if k != "address"} | (
                {"address": detail["address"]} if "address" in detail else {}
            )
            self._record(
                uow,
                case,
                CaseAction.DELIVER,
                target,
                actor=actor,
                **{k: v for k, v in detail.items() if k != "address"},
            )
        return self.case(number)

    # ------------------------------------------------------------------ reads

    def case(self, number: str) -> CaseView:
        with self.db.read() as s:
            case = self._get(s, number)
            return self._view(s, case)

    def cases_of_holder(self, id_number: str) -> list[CaseView]:
        """Every case where this person is the applicant or the agent, newest first."""
        h = self._hash(normalize_id_number(id_number))
        with self.db.read() as s:
            rows = s.scalars(
                select(Case)
                .where(or_(Case.applicant_hash == h, Case.agent_hash == h))
                .order_by(Case.id.desc())
            ).all()
            return [self._view(s, c) for c in rows]

    def history(self, number: str) -> list[TransitionView]:
        with self.db.read() as s:
            case = self._get(s, number)
            rows = s.scalars(
                select(CaseTransition)
                .where(CaseTransition.case_id == case.id)
                .order_by(CaseTransition.seq)
            ).all()
            return [
                TransitionView(
                    r.seq, r.action, r.from_state, r.to_state, r.state_code, r.actor, r.at, r.reason
                )
                for r in rows
            ]

    def _view(self, s: Session, case: Case) -> CaseView:
        rows = s.scalars(
            select(CaseMaterial)
            .where(CaseMaterial.case_id == case.id)
            .order_by(CaseMaterial.position)
        ).all()
        previous = ""
        if case.resubmission_of is not None:
            prev = s.get(Case, case.resubmission_of)
            previous = prev.number if prev is not None else ""
        return self._view_of(case, rows, previous)

    def _view_of(self, case: Case, rows: Sequence[CaseMaterial], previous: str) -> CaseView:
        materials = tuple(MaterialLine(m.name, m.mark, m.form, m.copies) for m in rows)
        missing = tuple(
            MissingItem(m.name, f"{m.form}{m.copies}份")
            for m in rows
            if m.key_item and m.mark is MaterialMark.MISSING
        )
        applicant = case.organisation_name or mask_name(case.applicant_name)
        return CaseView(
            id=case.id,
            number=case.number,
            state=case.state,
            decision=case.decision,
            title=case.title,
            matters=tuple(str(m["name"]) for m in case.matters),
            applicant=applicant,
            applicant_number=case.credit_code or mask_id_number(case.applicant_number),
            accepted_at=case.accepted_at,
            promised_date=case.promised_date,
            supplement_deadline=case.supplement_deadline,
            tolerated_outstanding=case.tolerated_outstanding,
            window=case.window,
            staff=case.staff,
            ticket_number=case.ticket_number,
            materials=materials,
            missing=missing,
            reject_reason=case.reject_reason,
            route_agency=case.route_agency,
            clock_stopped_on=case.clock_stopped_on,
            resubmission_of=previous,
        )

    def applicant_of(self, number: str) -> Person:
        """The full applicant (for an explicit, audited reveal at the counter only)."""
        with self.db.read() as s:
            case = self._get(s, number)
            return Person(
                case.applicant_name,
                case.applicant_number,
                CertificateType(case.applicant_cert_type),
                case.phone,
            )

    # ------------------------------------------------------------------ 电子监察

    def watch_list(
        self, today: dt.date | None = None, *, window: int | None = None
    ) -> list[WatchItem]:
        """Cases flagged red, reminder, yellow, or with tolerated items overdue; most urgent first.

        One indexed query: open cases whose promised date is within the warning window (index
        ``ix_intake_case_watch``) or whose tolerated items are past their deadline
        (``ix_intake_case_supplement``). A case whose clock is stopped is not flagged by date.
        """
        if today is None:
            with self.db.read() as s:
                today = self.clock.now(self.db, s).astimezone(self.settings.hall.tz).date()
        limits = WatchLimits.of(today, self.calendar, self.settings.intake.warning_days)
        yellow_limit = limits.yellow_limit
        c = _table(Case).c
        # ``open = true``, not ``open IS true``: SQLite uses the index only for the former.
        by_date = and_(
            c.open == true(), c.promised_date <= yellow_limit, c.state != CaseState.SUSPENDED.value
        )
        by_supplement = and_(
            c.tolerated_outstanding > 0, c.supplement_deadline < today, c.open == true()
        )
        columns = (
            c.number,
            c.title,
            c.state,
            c.promised_date,
            c.supplement_deadline,
            c.window,
            c.tolerated_outstanding,
        )
        # Two range scans, one per index, rather than one OR: SQLite answers an OR of the two
        # with the leading column of one index only and reads every open case.
        statements = [select(*columns).where(by_date), select(*columns).where(by_supplement)]
        if window is not None:
            statements = [stmt.where(c.window == window) for stmt in statements]
        items: list[WatchItem] = []
        seen: set[str] = set()
        with self.db.read() as s:
            rows = [row for stmt in statements for row in s.execute(stmt)]
            for row in rows:
                if row.number in seen:
                    continue
                seen.add(row.number)
                state = CaseState(row.state)
                promised = row.promised_date
                level = watch_level(
                    state, promised, row.supplement_deadline, row.tolerated_outstanding, limits
                )
                if level is not None:
                    items.append(
                        WatchItem(
                            row.number,
                            row.title,
                            state,
                            level,
                            promised,
                            row.supplement_deadline,
                            row.window,
                        )
                    )
        order = list(WatchLevel)
        items.sort(key=lambda i: (order.index(i.level), i.promised_date or dt.date.max, i.number))
        return items

    # ------------------------------------------------------------------ documents

    def _for_document(self, number: str) -> tuple[CaseView, str]:
        """The case and its applicant's certificate number, masked, from one read."""
        with self.db.read() as s:
            case = self._get(s, number)
            return self._view(s, case), mask_id_number(case.applicant_number)

    def receipt_data(self, number: str, *, staff_name: str = "") -> ReceiptData:
        """The acceptance receipt (受理回执) of an accepted case, from the stored case."""
        view, applicant_number = self._for_document(number)
        if view.promised_date is None:
            raise ValueError(f"case {number} was not accepted; it has no receipt")
        return ReceiptData(
            hall_name=self.settings.hall.name,
            case_number=view.number,
            matters=view.matters,
            applicant_name=view.applicant,
            applicant_id_number=applicant_number,
            accepted_at=view.accepted_at.astimezone(self.settings.hall.tz),
            promised_date=view.promised_date,
            materials=view.materials,
            supplement_deadline=view.supplement_deadline,
            staff_name=staff_name or view.staff,
            window=f"{view.window}号窗口" if view.window else "",
            progress_url=self.case_payload(view.number),
        )

    def correction_notice_data(self, number: str, *, staff_name: str = "") -> CorrectionNoticeData:
        """The one-time correction notice (一次性告知单): every missing key item at once."""
        view, applicant_number = self._for_document(number)
        if view.decision is not Decision.CORRECTION_REQUIRED:
            raise ValueError(f"case {number} did not need a correction notice")
        return CorrectionNoticeData(
            hall_name=self.settings.hall.name,
            notice_number=view.number,
            matters=view.matters,
            applicant_name=view.applicant,
            applicant_id_number=applicant_number,
            issued_at=view.accepted_at.astimezone(self.settings.hall.tz),
            missing=view.missing,
            staff_name=staff_name or view.staff,
            window=f"{view.window}号窗口" if view.window else "",
            progress_url=self.case_payload(view.number),
        )
