"""The back office's decisions (后台分类审批): start review, approve, deny, issue an
e-certificate, mark ready for delivery. Every action is checked by the halls' state machine
(:func:`common.intake.states.next_state`), recorded in the case's history and the audit, and
appended to the case's hall's change feed — the feed append last (see :mod:`server.feed`).

Personal data: lists show the applicant masked for everyone; the case page shows it in full only
to an ``approver`` (and audits the view). Logs carry case numbers and user names, never an
applicant's name or ID number.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.contract import ChangeType
from common.documents.certificate_id import make_certificate_id
from common.documents.data import CertificateData
from common.intake.states import IllegalTransition, legal_actions, next_state
from common.intake.words import CaseAction, CaseState
from common.people import mask_id_number, mask_name
from server.db.models import AuditRow, Certificate, ServerCase, ServerCaseEvent
from server.feed import NewChange, append_changes
from server.security import UserView
from server.settings import ServerSettings

__all__ = [
    "BACKOFFICE_ACTIONS",
    "ActionRefused",
    "CaseRow",
    "act",
    "available_actions",
    "case_detail",
    "cases_for",
    "certificate_data",
    "issue_certificate",
]

log = logging.getLogger(__name__)

# What the back office may do, in the order of the buttons. Approve and deny need 部门开始办理
# first (the national state codes report it); approve from 已受理 directly is the window's 即办.
BACKOFFICE_ACTIONS = (
    CaseAction.START_REVIEW,
    CaseAction.APPROVE,
    CaseAction.DENY,
    CaseAction.MARK_READY,
)
# Cases a department works on: waiting for review, in review, decided but not yet handed out.
WORK_STATES = (
    CaseState.ACCEPTED,
    CaseState.ACCEPTED_WITH_TOLERANCE,
    CaseState.IN_REVIEW,
    CaseState.SUSPENDED,
    CaseState.APPROVED,
)


class ActionRefused(Exception):
    """An action the state machine or the rules refuse; ``message_zh`` is shown on the page."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list (masked applicant)."""

    id: int
    hall: str
    case_number: str
    title: str
    state: CaseState
    applicant_masked: str
    accepted_at: dt.datetime | None
    promised_date: str


def _applicant(case: ServerCase) -> dict[str, Any]:
    applicant = case.data.get("applicant")
    return applicant if isinstance(applicant, dict) else {}


def masked_applicant(case: ServerCase) -> str:
    a = _applicant(case)
    if a.get("organisation"):
        return str(a["organisation"])  # a company's name is public
    return mask_name(str(a.get("name", "")))


def available_actions(state: CaseState) -> list[CaseAction]:
    legal = legal_actions(state)
    actions = [a for a in BACKOFFICE_ACTIONS if a in legal]
    if state is CaseState.ACCEPTED:
        actions = [a for a in actions if a is not CaseAction.APPROVE]
    return actions


def cases_for(s: Session, user: UserView) -> list[CaseRow]:
    """The user's area's cases that a department works on, oldest first."""
    rows = s.scalars(
        select(ServerCase)
        .where(ServerCase.area == user.area, ServerCase.state.in_([st.value for st in WORK_STATES]))
        .order_by(ServerCase.accepted_at, ServerCase.id)
        .limit(500)
    ).all()
    return [
        CaseRow(
            r.id,
            r.hall,
            r.case_number,
            r.title,
            CaseState(r.state),
            masked_applicant(r),
            r.accepted_at,
            str(r.data.get("promised_date") or ""),
        )
        for r in rows
    ]


def _own_case(s: Session, user: UserView, case_id: int, *, lock: bool = False) -> ServerCase:
    stmt = select(ServerCase).where(ServerCase.id == case_id)
    if lock and s.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    case = s.scalars(stmt).one_or_none()
    if case is None or case.area != user.area:
        raise LookupError(case_id)  # another area's case is as good as unknown (404)
    return case


def case_detail(s: Session, user: UserView, case_id: int, now: dt.datetime) -> dict[str, Any]:
    """Everything the case page shows; the applicant in full only for an approver (audited)."""
    case = _own_case(s, user, case_id)
    a = _applicant(case)
    full = user.sees_personal_data
    if full:
        s.add(
            AuditRow(
                at=now, actor=user.username, action="view-personal-data", target=case.case_number
            )
        )
    name = str(a.get("name", ""))
    number = str(a.get("certificate_number", ""))
    phone = str(a.get("phone", ""))
    agent = str(a.get("agent_name", ""))
    history = s.scalars(
        select(ServerCaseEvent)
        .where(ServerCaseEvent.case_id == case.id)
        .order_by(ServerCaseEvent.id)
    ).all()
    certificates = s.scalars(
        select(Certificate).where(Certificate.case_id == case.id).order_by(Certificate.id)
    ).all()
    state = CaseState(case.state)
    return {
        "case": case,
        "state": state,
        "applicant": {
            "name": name if full else mask_name(name),
            "number": number if full else mask_id_number(number),
            "phone": phone
            if full
            else (phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else ""),
            "organisation": str(a.get("organisation", "")),
            "credit_code": str(a.get("credit_code", "")),
            "agent": (agent if full else mask_name(agent)) if agent else "",
        },
        "full": full,
        "materials": [m for m in case.materials if isinstance(m, dict)],
        "history": history,
        "certificates": certificates,
        "actions": available_actions(state),
        "may_issue": state in (CaseState.APPROVED, CaseState.READY_FOR_DELIVERY)
        and not certificates,
    }


def act(
    s: Session, user: UserView, case_id: int, action: CaseAction, opinion: str, now: dt.datetime
) -> ServerCase:
    """One back-office transition; the change goes to the case's hall's feed."""
    if action not in BACKOFFICE_ACTIONS:
        raise ActionRefused("后台不能执行此操作")
    opinion = opinion.strip()
    if action is CaseAction.DENY and not opinion:
        raise ActionRefused("不予许可须填写审批意见")
    case = _own_case(s, user, case_id, lock=True)
    state = CaseState(case.state)
    if action not in available_actions(state):
        raise ActionRefused(IllegalTransition(state, action).message_zh)
    target = next_state(state, action)
    code = action.state_code()
    case.state, case.updated_at = target.value, now
    s.add(
        ServerCaseEvent(
            case_id=case.id,
            origin="backoffice",
            action=action.value,
            from_state=state.value,
            to_state=target.value,
            state_code=code,
            handler=user.display_name,
            opinion=opinion,
            at=now,
        )
    )
    s.add(
        AuditRow(
            at=now,
            actor=user.username,
            action=f"case.{action.value}",
            target=case.case_number,
            detail={"to_state": target.value},
        )
    )
    append_changes(
        s,
        [
            NewChange(
                ChangeType.CASE_STATUS,
                case.hall,
                now,
                case.case_number,
                payload={
                    "action": action.value,
                    "from_state": state.value,
                    "to_state": target.value,
                    "state_code": code,
                    "handler": user.display_name,
                    "opinion": opinion,
                    "at": now.isoformat(),
                },
            )
        ],
    )
    log.info(
        "back office %s: %s %s → %s", user.username, case.case_number, action.value, target.value
    )
    return case


def issue_certificate(
    s: Session, user: UserView, case_id: int, settings: ServerSettings, now: dt.datetime
) -> Certificate:
    """Issue the case's e-certificate: the national identifier (with its ISO 7064 check
    character), stored and announced to the hall on the feed."""
    case = _own_case(s, user, case_id, lock=True)
    state = CaseState(case.state)
    if state not in (CaseState.APPROVED, CaseState.READY_FOR_DELIVERY):
        raise ActionRefused("审批通过后才能签发电子证照")
    if s.scalars(select(Certificate).where(Certificate.case_id == case.id)).first() is not None:
        raise ActionRefused("此办件已签发电子证照")
    issued_on = now.astimezone(settings.tz).date()
    count = s.execute(select(func.count()).select_from(Certificate)).scalar_one()
    serial = f"{issued_on:%Y%m%d}{int(count) + 1:05d}"
    identifier = make_certificate_id(
        settings.certificate_type_code, settings.certificate_issuer_code, serial
    )
    title = case.title.split("、")[0] or "电子证照"
    cert = Certificate(
        case_id=case.id,
        identifier=identifier,
        title=title[:100],
        issuer_name=settings.certificate_issuer_name,
        issued_on=issued_on,
        valid_until=None,
        issued_by=user.display_name,
        created_at=now,
    )
    s.add(cert)
    s.add(
        AuditRow(
            at=now,
            actor=user.username,
            action="certificate.issue",
            target=case.case_number,
            detail={"identifier": identifier},
        )
    )
    append_changes(
        s,
        [
            NewChange(
                ChangeType.CERTIFICATE_ISSUED,
                case.hall,
                now,
                case.case_number,
                payload={
                    "identifier": identifier,
                    "title": cert.title,
                    "issuer_name": cert.issuer_name,
                    "issued_on": issued_on.isoformat(),
                    "valid_until": None,
                },
            )
        ],
    )
    log.info("back office %s: certificate for %s", user.username, case.case_number)
    return cert


def certificate_data(
    s: Session, user: UserView, certificate_id: int, settings: ServerSettings
) -> CertificateData:
    """The PDF's data for a certificate of the user's area."""
    cert = s.get(Certificate, certificate_id)
    if cert is None:
        raise LookupError(certificate_id)
    case = _own_case(s, user, cert.case_id)
    a = _applicant(case)
    organisation = str(a.get("organisation", ""))
    return CertificateData(
        identifier=cert.identifier,
        title=cert.title,
        issuer_name=cert.issuer_name,
        holder_name=organisation or str(a.get("name", "")),
        holder_id_number=str(a.get("credit_code", ""))
        if organisation
        else str(a.get("certificate_number", "")),
        issued_on=cert.issued_on,
        valid_from=cert.issued_on,
        valid_until=cert.valid_until,
        verify_url=settings.verify_url_base + cert.identifier,
        usage_provider=cert.issuer_name,
        usage_valid_until=cert.issued_on + dt.timedelta(days=90),
        holder_is_person=not organisation,
    )
