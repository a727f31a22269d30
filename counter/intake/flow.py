"""The intake desk as a plain state machine (no Qt): pick → tick → applicant → accept → print.

:class:`IntakeFlow` owns what the intake widgets show — the matters picked, the immutable
:class:`~common.intake.checklist.Checklist` with the staff's marks, the live decision preview,
the applicant's fields and their errors, the accept in flight and the last saved case — and
decides what a key press or a button does (STYLE.md habit 2). Widgets render
:class:`IntakeState` snapshots and forward presses. The outside world is reached through ports:

* :class:`CaseDesk` — the case engine (``CaseService`` fits it);
* ``Runner`` — where the database work runs (``TaskRunner``; tests run it inline);
* :class:`DocumentOutput` — where receipts and correction notices go (PDF folder, A4 printer,
  80 mm print queue); a failing printer never undoes a saved case.

Rules worth knowing:

* **The marks survive a failed save.** Accept is one unit of work on the runner; if the
  database is gone, nothing is written and the checklist stays exactly as the staff left it.
* **Shared data arrives pre-marked.** Items replaced by the ID card are marked 共享免交 when a
  card has been read — when the checklist is built, and when the card arrives afterwards
  (only items the staff have not marked yet).
* **Combining matters** into one case needs ``[intake] combine_matters``; a bundle (一件事) is
  always one case on its own.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from common.catalog.model import Bundle, Catalog, Matter
from common.catalog.search import CatalogIndex, SearchHit
from common.config import Settings
from common.db.engine import DatabaseUnavailable
from common.devices.idcard.card import CardType, IdentityCard
from common.documents.data import CorrectionNoticeData, ReceiptData
from common.intake.applicant import (
    Applicant,
    ApplicantType,
    CertificateType,
    InvalidApplicant,
    Organisation,
    Person,
    validate_phone,
)
from common.intake.cases import CaseDraft, CaseView
from common.intake.checklist import Checklist, InvalidMark, SharedData, build_checklist
from common.intake.decision import DecisionIncomplete, Outcome, RejectWithoutReason, preview
from common.intake.words import Decision, MaterialMark

__all__ = [
    "MARK_KEYS",
    "CaseDesk",
    "DocumentOutput",
    "IntakeFlow",
    "IntakeState",
    "IntakeView",
    "Issued",
    "Message",
]

log = logging.getLogger(__name__)

# Digit keys 1–5 for the marks (the checklist view's shortcuts), and the order Space cycles.
MARK_KEYS: dict[int, MaterialMark] = {
    1: MaterialMark.RECEIVED,
    2: MaterialMark.TOLERATED,
    3: MaterialMark.SHARED,
    4: MaterialMark.MISSING,
    5: MaterialMark.NOT_APPLICABLE,
}
_CYCLE = (None, *MARK_KEYS.values())

_CARD_CERTIFICATE = {
    CardType.RESIDENT: CertificateType.RESIDENT_ID,
    CardType.HMT_RESIDENCE_PERMIT: CertificateType.HMT_RESIDENCE_PERMIT,
    CardType.FOREIGN_PERMANENT_2017: CertificateType.FOREIGN_PERMANENT_RESIDENT,
    CardType.FOREIGN_PERMANENT_2023: CertificateType.FOREIGN_PERMANENT_RESIDENT,
}

# The applicant's typed fields (the widget's names); errors are keyed by these too.
FIELDS = (
    "name",
    "number",
    "phone",
    "type",
    "org_name",
    "credit_code",
    "agent_name",
    "agent_number",
)
RECENT_MAX = 8


class CaseDesk(Protocol):
    """What the intake flow asks of the case engine (``CaseService`` fits it)."""

    def accept(
        self, draft: CaseDraft, *, actor: str, resubmission_of: str | None = None
    ) -> CaseView: ...

    def receipt_data(self, number: str, *, staff_name: str = "") -> ReceiptData: ...

    def correction_notice_data(
        self, number: str, *, staff_name: str = ""
    ) -> CorrectionNoticeData: ...


class Runner(Protocol):
    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None: ...


@dataclass(frozen=True)
class Issued:
    """Where one document went: the PDF file, the A4 printer, the 80 mm queue; and what failed."""

    kind: str  # "receipt" | "notice"
    number: str
    pdf_path: str = ""
    a4: bool = False
    thermal_job: str = ""
    failed: tuple[str, ...] = ()  # outputs that failed (their words are in the log)

    @property
    def ok(self) -> bool:
        return not self.failed


class DocumentOutput(Protocol):
    """Receipts and correction notices out of the counter (``counter.intake.printing``)."""

    def issue(self, kind: str, data: ReceiptData | CorrectionNoticeData) -> Issued:
        """Render and send ``data``; never raises for a printer fault (reported in ``failed``)."""
        ...


class IntakeView(Protocol):
    def show_intake(self, state: IntakeState) -> None: ...


@dataclass(frozen=True)
class Message:
    """One line for the staff, in both languages; ``error`` colours it."""

    zh: str
    en: str
    error: bool = False


@dataclass(frozen=True)
class IntakeState:
    """Everything the intake widgets draw."""

    matters: tuple[Matter, ...] = ()
    bundle: Bundle | None = None
    checklist: Checklist | None = None
    outcome: Outcome | None = None  # the live preview; None while undecided
    card: bool = False  # an ID card was read for this applicant
    fields: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # field → (zh, en)
    busy: bool = False
    message: Message | None = None
    saved: CaseView | None = None  # the last case accepted at this desk
    issued: Issued | None = None
    ticket_id: int | None = None
    recent: tuple[str, ...] = ()  # codes of recently used matters and bundles, newest first
    catalog_ready: bool = False

    @property
    def can_accept(self) -> bool:
        return (
            not self.busy
            and self.checklist is not None
            and self.outcome is not None
            and not self.errors
            and bool(self.fields.get("name"))
            and bool(self.fields.get("number"))
        )


class IntakeFlow:
    """The intake desk's behaviour, one method per input. Call it on one thread."""

    def __init__(
        self,
        cases: CaseDesk,
        runner: Runner,
        view: IntakeView,
        *,
        settings: Settings,
        actor: str,
        window: int,
        staff_name: str = "",
        documents: DocumentOutput | None = None,
        print_runner: Runner | None = None,
    ) -> None:
        self.cases = cases
        self.settings = settings
        self.actor, self.window, self.staff_name = actor, window, staff_name
        self.documents = documents
        self._runner = runner
        # Rendering a PDF takes ~50 ms: on its own runner so the next citizen's database work
        # does not wait behind it (tests pass the same inline runner).
        self._print_runner = print_runner or runner
        self._view = view
        self.catalog: Catalog | None = None
        self.index: CatalogIndex | None = None
        self._card: IdentityCard | None = None
        self.state = IntakeState(fields={"type": str(int(ApplicantType.NATURAL_PERSON))})
        self.failed_documents: list[tuple[str, str]] = []  # (kind, case number) to reprint
        self.resubmission_of: str | None = None  # a correction case answered by this one

    # ------------------------------------------------------------------ helpers

    def _set(self, **changes: Any) -> None:
        state = dataclasses.replace(self.state, **changes)
        if "checklist" in changes:
            state = dataclasses.replace(
                state, outcome=preview(state.checklist) if state.checklist else None
            )
        self.state = state
        self._view.show_intake(state)

    @property
    def combine_allowed(self) -> bool:
        return bool(self.settings.intake.combine_matters)

    # ------------------------------------------------------------------ catalog and picking

    def set_catalog(self, catalog: Catalog, index: CatalogIndex) -> None:
        """The catalog and its search index, built off the GUI thread by the caller."""
        self.catalog, self.index = catalog, index
        self._set(catalog_ready=True)

    def search(self, text: str, area: Any = None, limit: int = 30) -> list[SearchHit]:
        """Hits for what the staff typed; recently used first among equal matches, and the
        recently used list itself when the box is empty."""
        if self.index is None or self.catalog is None:
            return []
        if not text.strip():
            return [
                h
                for h in (self._hit(code) for code in self.state.recent)
                if h is not None and (area is None or h.area is None or h.area == area)
            ]
        hits = self.index.search(text, area=area, limit=limit)
        recent = {code: i for i, code in enumerate(self.state.recent)}
        return sorted(hits, key=lambda h: (-h.score, recent.get(h.code, RECENT_MAX)))

    def _hit(self, code: str) -> SearchHit | None:
        assert self.catalog is not None
        if code in self.catalog.bundles:
            b = self.catalog.bundle(code)
            return SearchHit("bundle", b.code, b.name, None, 0, "recent")
        if code in self.catalog.matters:
            m = self.catalog.matter(code)
            return SearchHit("matter", m.code, m.name, m.area, 0, "recent")
        return None

    def pick(self, kind: str, code: str, *, combine: bool = False) -> None:
        """A hit chosen: a bundle replaces the selection; a matter replaces it or, when the hall
        allows combining and ``combine`` is asked, joins it."""
        if self.catalog is None or self.state.busy:
            return
        self.resubmission_of = None
        recent = (code, *(c for c in self.state.recent if c != code))[:RECENT_MAX]
        if kind == "bundle":
            bundle = self.catalog.bundle(code)
            matters = self.catalog.matters_of(bundle)
            checklist = build_checklist(
                matters, shared=self._shared(), extra=bundle.materials, bundle=bundle
            )
            self._set(
                matters=matters,
                bundle=bundle,
                checklist=checklist,
                recent=recent,
                message=None,
                saved=None,
                issued=None,
            )
            return
        matter = self.catalog.matter(code)
        if combine and self.state.matters and self.state.bundle is None:
            if not self.combine_allowed:
                self._set(
                    message=Message(
                        "本大厅不允许多个事项合并受理", "this hall does not combine matters", True
                    )
                )
                return
            if any(m.code == code for m in self.state.matters):
                return
            matters = (*self.state.matters, matter)
        else:
            matters = (matter,)
        checklist = build_checklist(matters, shared=self._shared())
        if self.state.checklist is not None and combine:
            checklist = _carry_marks(self.state.checklist, checklist)
        self._set(
            matters=matters,
            bundle=None,
            checklist=checklist,
            recent=recent,
            message=None,
            saved=None,
            issued=None,
        )

    def start_resubmission(self, case: CaseView) -> None:
        """补正后重新提交: the matters of a correction case, ready to tick again; the new case
        will be linked to it (the old one becomes 已重新提交)."""
        if self.catalog is None:
            return
        by_name = {m.name: m for m in self.catalog.matters.values()}
        bundle = next((b for b in self.catalog.bundles.values() if b.name == case.title), None)
        if bundle is not None:
            self.pick("bundle", bundle.code)
        else:
            matters = tuple(by_name[n] for n in case.matters if n in by_name)
            if not matters:
                return
            self.pick("matter", matters[0].code)
            for m in matters[1:]:
                self.pick("matter", m.code, combine=True)
        self.resubmission_of = case.number
        self._set(
            message=Message(f"补正后重新提交：{case.number}", f"resubmission of {case.number}")
        )

    def remove_matter(self, code: str) -> None:
        matters = tuple(m for m in self.state.matters if m.code != code)
        if not matters or self.state.bundle is not None:
            self.clear_case()
            return
        checklist = build_checklist(matters, shared=self._shared())
        if self.state.checklist is not None:
            checklist = _carry_marks(self.state.checklist, checklist)
        self._set(matters=matters, checklist=checklist)

    def clear_case(self) -> None:
        """Drop the matters and marks (the applicant's fields stay)."""
        self._set(matters=(), bundle=None, checklist=None, message=None)

    # ------------------------------------------------------------------ marks

    def mark(self, key: str, mark: MaterialMark | None) -> None:
        checklist = self.state.checklist
        if checklist is None or self.state.busy:
            return
        try:
            self._set(checklist=checklist.mark(key, mark), message=None)
        except InvalidMark as exc:
            self._set(message=Message(exc.message_zh, exc.message_en, True))

    def cycle(self, key: str) -> None:
        """Space: the next mark this item allows (unmarked → 已收取 → 容缺 → … → unmarked)."""
        checklist = self.state.checklist
        if checklist is None:
            return
        item = checklist.item(key)
        i = _CYCLE.index(item.mark)
        for step in range(1, len(_CYCLE) + 1):
            candidate = _CYCLE[(i + step) % len(_CYCLE)]
            if candidate is None or item.allows(candidate) is None:
                self.mark(key, candidate)
                return

    def mark_rest(self, mark: MaterialMark = MaterialMark.RECEIVED) -> None:
        """Every unmarked item gets ``mark`` (the staff's "all handed in")."""
        checklist = self.state.checklist
        if checklist is None:
            return
        for item in checklist.unmarked:
            if item.allows(mark) is None:
                checklist = checklist.mark(item.key, mark)
        self._set(checklist=checklist, message=None)

    # ------------------------------------------------------------------ applicant

    def _shared(self) -> SharedData:
        return SharedData(id_card=self._card is not None)

    def on_card(self, card: IdentityCard) -> None:
        """The reader read a card: the applicant's name and number, and ID-card items pre-marked."""
        self._card = card
        fields = dict(self.state.fields)
        fields["name"], fields["number"] = card.name, card.number
        errors = {k: v for k, v in self.state.errors.items() if k not in ("name", "number")}
        checklist = self.state.checklist
        if checklist is not None:
            shared = self._shared()
            for item in checklist.items:
                if (
                    item.mark is None
                    and item.replaced_by is not None
                    and shared.has(item.replaced_by)
                ):
                    checklist = checklist.mark(item.key, MaterialMark.SHARED)
        self._set(card=True, fields=fields, errors=errors, checklist=checklist)

    @property
    def card(self) -> IdentityCard | None:
        return self._card

    def set_field(self, name: str, text: str) -> None:
        """A typed field changed: validated at once, its error shown beside it."""
        if name not in FIELDS:
            raise KeyError(name)
        fields = dict(self.state.fields)
        fields[name] = text
        errors = dict(self.state.errors)
        errors.pop(name, None)
        error = _check_field(name, text, fields)
        if error is not None:
            errors[name] = error
        # The type decides which other fields are needed: re-check them.
        if name == "type":
            for other in ("org_name", "credit_code"):
                errors.pop(other, None)
                e = _check_field(other, fields.get(other, ""), fields)
                if e is not None and fields.get(other, ""):
                    errors[other] = e
        self._set(fields=fields, errors=errors)

    def applicant(self) -> Applicant:
        """The applicant from the fields; :class:`InvalidApplicant` names the first bad one."""
        f = self.state.fields
        certificate = CertificateType.RESIDENT_ID
        if self._card is not None and f.get("number") == self._card.number:
            certificate = _CARD_CERTIFICATE.get(self._card.card_type, CertificateType.RESIDENT_ID)
        phone = f.get("phone", "")
        person = Person.checked(
            f.get("name", ""), f.get("number", ""), certificate, phone, field="name"
        )
        kind = ApplicantType(int(f.get("type") or 1))
        org = None
        if not kind.is_person:
            org = Organisation.checked(f.get("org_name", ""), f.get("credit_code", ""))
        agent = None
        if f.get("agent_name", "").strip() or f.get("agent_number", "").strip():
            agent = Person.checked(
                f.get("agent_name", ""), f.get("agent_number", ""), field="agent"
            )
        return Applicant(kind, person, organisation=org, agent=agent, phone=person.phone)

    # ------------------------------------------------------------------ the ticket

    def set_ticket(self, ticket_id: int | None) -> None:
        """The ticket being served (from the CounterFlow): a new citizen starts a clean desk."""
        if ticket_id == self.state.ticket_id:
            return
        self._card = None
        self._set(
            ticket_id=ticket_id,
            matters=(),
            bundle=None,
            checklist=None,
            card=False,
            fields={"type": str(int(ApplicantType.NATURAL_PERSON))},
            errors={},
            message=None,
            saved=None,
            issued=None,
        )

    # ------------------------------------------------------------------ accept

    def accept(self, *, reject_reason: str | None = None) -> None:
        """Save the case as the marks decide (or 不予受理 with ``reject_reason``) and print."""
        st = self.state
        if st.busy or st.checklist is None:
            return
        try:
            applicant = self.applicant()
        except InvalidApplicant as exc:
            errors = dict(st.errors)
            key = exc.field.replace("applicant.", "").replace(".", "_")
            key = {
                "name_number": "number",
                "name_name": "name",
                "name_phone": "phone",
                "organisation_name": "org_name",
                "organisation_credit_code": "credit_code",
                "agent_name": "agent_name",
                "agent_number": "agent_number",
                "agent_phone": "phone",
                "organisation": "org_name",
                "type": "type",
            }.get(key, key)
            errors[key] = (exc.message_zh, exc.message_en)
            self._set(errors=errors, message=Message(exc.message_zh, exc.message_en, True))
            return
        draft = CaseDraft(
            checklist=st.checklist,
            applicant=applicant,
            window=self.window,
            ticket_id=st.ticket_id,
            reject_reason=reject_reason,
            catalog_version=self.catalog.version if self.catalog is not None else "",
        )
        cases, actor, previous = self.cases, self.actor, self.resubmission_of
        self._set(busy=True, message=Message("正在保存…", "saving…"))
        self._runner.submit(
            lambda: cases.accept(draft, actor=actor, resubmission_of=previous),
            self._accepted,
            self._accept_failed,
        )

    def _accepted(self, case: CaseView) -> None:
        self.resubmission_of = None
        log.info("case %s saved (%s)", case.number, case.decision.value)
        words = {
            Decision.ACCEPT: ("已受理，办件编号 {n}", "accepted as case {n}"),
            Decision.ACCEPT_WITH_TOLERANCE: (
                "已容缺受理，办件编号 {n}",
                "accepted with tolerance as case {n}",
            ),
            Decision.CORRECTION_REQUIRED: (
                "已出具一次性告知，编号 {n}",
                "correction notice {n} issued",
            ),
            Decision.REJECT: ("不予受理，编号 {n}", "rejected, number {n}"),
        }[case.decision]
        # The desk empties for the next case: a second press of Enter must not save it twice.
        self._set(
            busy=False,
            saved=case,
            matters=(),
            bundle=None,
            checklist=None,
            message=Message(words[0].format(n=case.number), words[1].format(n=case.number)),
        )
        self.print_documents(case)

    def _accept_failed(self, exc: BaseException) -> None:
        # Nothing was written (one unit of work): the marks stay on screen for another try.
        if isinstance(exc, DatabaseUnavailable):
            log.warning("accept failed, database unavailable: %s", exc.detail)
            msg = Message(
                "数据库无法连接，办件未保存；勾选已保留，请稍后再按“受理”",
                "The database is unreachable: the case was NOT saved. Your marks are kept; "
                "press Accept again in a moment.",
                True,
            )
        elif isinstance(exc, DecisionIncomplete | RejectWithoutReason | InvalidApplicant):
            msg = Message(exc.message_zh, exc.message_en, True)
        elif hasattr(exc, "message_zh") and hasattr(exc, "message_en"):
            msg = Message(exc.message_zh, exc.message_en, True)
        else:
            log.error("accept failed", exc_info=exc)
            msg = Message(
                "保存失败：" + type(exc).__name__, "saving failed: " + type(exc).__name__, True
            )
        self._set(busy=False, message=msg)

    # ------------------------------------------------------------------ documents

    def print_documents(self, case: CaseView) -> None:
        """The receipt (accepted) or the correction notice; a rejection prints nothing here."""
        if self.documents is None:
            return
        if case.decision in (Decision.ACCEPT, Decision.ACCEPT_WITH_TOLERANCE):
            kind = "receipt"
        elif case.decision is Decision.CORRECTION_REQUIRED:
            kind = "notice"
        else:
            return
        self.reprint(kind, case.number)

    def reprint(self, kind: str, number: str) -> None:
        """Issue (again) the receipt or notice of a saved case, from the stored case."""
        cases, documents, staff = self.cases, self.documents, self.staff_name
        if documents is None:
            return

        def work() -> Issued:
            data: ReceiptData | CorrectionNoticeData
            if kind == "receipt":
                data = cases.receipt_data(number, staff_name=staff)
            else:
                data = cases.correction_notice_data(number, staff_name=staff)
            return documents.issue(kind, data)

        def done(issued: Issued) -> None:
            self.failed_documents = [d for d in self.failed_documents if d != (kind, number)]
            if not issued.ok:
                self.failed_documents.append((kind, number))
                self._set(
                    issued=issued,
                    message=Message(
                        f"办件 {number} 已保存；打印未完成（{'、'.join(issued.failed)}），"
                        "文档在打印队列中，可在办件中重新打印",
                        f"case {number} is saved; printing did not finish "
                        f"({', '.join(issued.failed)}); the document "
                        "waits in the print queue and can be reprinted from the case",
                        True,
                    ),
                )
            else:
                self._set(issued=issued)

        def failed(exc: BaseException) -> None:
            log.warning("document %s of %s not issued: %s", kind, number, type(exc).__name__)
            self.failed_documents.append((kind, number))
            self._set(
                message=Message(
                    f"办件 {number} 已保存；文档未生成，可在办件中重新打印",
                    f"case {number} is saved; the document was not produced, reprint it from "
                    "the case",
                    True,
                )
            )

        self._print_runner.submit(work, done, failed)

    def new_applicant(self) -> None:
        """After a case: the desk is ready for the next case of the same citizen."""
        self._set(matters=(), bundle=None, checklist=None, message=None)


def _carry_marks(old: Checklist, new: Checklist) -> Checklist:
    """Keep the marks of items that are in both (a matter added or removed)."""
    for item in old.items:
        if item.mark is None:
            continue
        try:
            current = new.item(item.key)
        except KeyError:
            continue
        if current.allows(item.mark) is None:
            new = new.mark(item.key, item.mark)
    return new


def _check_field(name: str, text: str, fields: Mapping[str, str]) -> tuple[str, str] | None:
    """The error of one typed field, or None (the same checks the save repeats)."""
    value = text.strip()
    try:
        if name == "phone" and value:
            validate_phone(value)
        elif name == "name" and not value:
            return ("请填写姓名", "a name is required")
        elif name == "number" and value:
            Person.checked(fields.get("name") or "x", value, field="applicant")
        elif name == "credit_code" and value:
            Organisation.checked(fields.get("org_name") or "x", value)
        elif (
            name == "org_name"
            and not value
            and not ApplicantType(int(fields.get("type") or 1)).is_person
        ):
            return ("单位申请须填写单位名称", "an organisation needs its name")
        elif name == "agent_number" and value:
            Person.checked(fields.get("agent_name") or "x", value, field="agent")
    except InvalidApplicant as exc:
        return (exc.message_zh, exc.message_en)
    return None
