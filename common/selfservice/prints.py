"""证照打印 and 补打回执 at the kiosk: what the card's holder may print, and the record of a print.

Three questions, each for the holder whose card is on the reader (by the keyed hash of the
number; the full number never reaches SQL):

* :meth:`KioskPrints.certificates` — the holder's e-certificates that arrived through sync
  (``hall_certificate``), newest first, each with the data its printout needs. An expired one
  is listed (the citizen sees it) with ``expired`` set; the kiosk refuses to print it.
* :meth:`KioskPrints.receipt` — the acceptance receipt of one of the holder's *own* cases
  (applicant or agent), the same facts as the counter's (:meth:`CaseService.receipt_data`):
  applicant masked, a company's name and credit code in full.
* :meth:`KioskPrints.record` — one print that happened: a ``kiosk_print`` row and its outbox
  row (``certificate.printed`` / ``receipt.reprinted``, aggregate ``print:<id>``, seq 1) in one
  transaction, so the central server hears of each print exactly once.

On PostgreSQL the kiosk role reads and writes these only through the functions of migration
0012 (``onewindow_kiosk_certificates``, ``onewindow_kiosk_receipt``,
``onewindow_kiosk_record_print``), which also refuse a certificate or case that is not the
holder's. On SQLite (a one-PC hall, no roles) the same reads and writes run as plain SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.exc import DBAPIError

from common.clock import Clock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Case, CaseMaterial, HallCertificate, KioskPrint, PrintKind
from common.db.unit import UnitOfWork
from common.documents.data import CertificateData, MaterialLine, ReceiptData
from common.intake.outbox import write_outbox
from common.intake.qrtag import case_payload
from common.intake.words import MaterialMark
from common.people import hash_id_number, mask_id_number, mask_name, normalize_id_number

__all__ = [
    "USAGE_DAYS",
    "HeldCertificate",
    "KioskPrints",
    "NotYours",
    "PrintKind",
    "print_aggregate",
]

# How long a self-printed copy may be used (the usage watermark's 有效期至), in days.
USAGE_DAYS = 30


class NotYours(LookupError):
    """The certificate or case is not the card holder's (or does not exist): nothing to print."""


def print_aggregate(print_id: int) -> str:
    """The outbox aggregate of a print record (its only message has seq 1)."""
    return f"print:{print_id}"


@dataclass(frozen=True)
class HeldCertificate:
    """One of the holder's e-certificates as the kiosk may show it: masked holder only."""

    identifier: str
    case_number: str
    title: str
    issuer_name: str
    holder_masked: str  # 张*三, or a company's name
    issued_on: dt.date
    valid_until: dt.date | None  # None: 长期
    organisation: str = ""  # a company's name (public), "" for a person
    credit_code: str = ""  # a company's credit code (public)

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and self.valid_until < today


class KioskPrints:
    """Reads what the card's holder may print and records each print; one short unit each."""

    def __init__(
        self, db: HallDatabase, settings: Settings, clock: Clock, *, station: str = "kiosk-1"
    ) -> None:
        self.db, self.settings, self.clock, self.station = db, settings, clock, station
        self._secret: str | None = None

    def holder_hash(self, id_number: str) -> str:
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        return hash_id_number(normalize_id_number(id_number), self._secret)

    # ------------------------------------------------------------------ certificates

    def certificates(self, id_number: str) -> list[HeldCertificate]:
        """The holder's e-certificates, newest first (at most 50)."""
        h = self.holder_hash(id_number)
        with self.db.read() as s:
            if self.db.is_postgresql:
                rows = [
                    dict(r)
                    for r in s.execute(
                        text("SELECT * FROM onewindow_kiosk_certificates(:h)"), {"h": h}
                    ).mappings()
                ]
            else:
                c = HallCertificate
                stmt = (
                    select(
                        c.identifier,
                        c.case_number,
                        c.title,
                        c.issuer_name,
                        c.holder_masked,
                        c.issued_on,
                        c.valid_until,
                        Case.organisation_name.label("organisation"),
                        Case.credit_code,
                    )
                    .outerjoin(Case, Case.number == c.case_number)
                    .where(c.holder_hash == h)
                    .order_by(c.issued_on.desc(), c.id.desc())
                    .limit(50)
                )
                rows = [dict(r) for r in s.execute(stmt).mappings()]
        return [
            HeldCertificate(
                identifier=r["identifier"],
                case_number=r["case_number"],
                title=r["title"],
                issuer_name=r["issuer_name"],
                holder_masked=r["holder_masked"],
                issued_on=_date(r["issued_on"]),
                valid_until=_date(r["valid_until"]) if r["valid_until"] is not None else None,
                organisation=r["organisation"] or "",
                credit_code=r["credit_code"] or "",
            )
            for r in rows
        ]

    def certificate_data(
        self, cert: HeldCertificate, holder_name: str, holder_id_number: str, today: dt.date
    ) -> CertificateData:
        """The printout's data. A person's name and number come from the card on the reader
        (the certificate is theirs: same keyed hash) and are masked by every layout; a
        company's name and credit code print in full."""
        hall = self.settings.hall
        organisation = bool(cert.organisation)
        return CertificateData(
            identifier=cert.identifier,
            title=cert.title,
            issuer_name=cert.issuer_name,
            holder_name=cert.organisation if organisation else holder_name,
            holder_id_number=cert.credit_code if organisation else holder_id_number,
            issued_on=cert.issued_on,
            valid_from=cert.issued_on,
            valid_until=cert.valid_until,
            verify_url=f"onewindow:certificate:{cert.identifier}",
            usage_provider=hall.name,
            usage_valid_until=today + dt.timedelta(days=USAGE_DAYS),
            holder_is_person=not organisation,
        )

    # ------------------------------------------------------------------ receipts

    def receipt(self, id_number: str, number: str) -> ReceiptData:
        """The acceptance receipt of the holder's own case ``number``; :class:`NotYours` else."""
        h = self.holder_hash(id_number)
        with self.db.read() as s:
            if self.db.is_postgresql:
                row = (
                    s.execute(
                        text("SELECT * FROM onewindow_kiosk_receipt(:h, :n)"), {"h": h, "n": number}
                    )
                    .mappings()
                    .first()
                )
                if row is None:
                    raise NotYours(number)
                found = dict(row)
                materials = [
                    MaterialLine(m["name"], MaterialMark(m["mark"]), m["form"], int(m["copies"]))
                    for m in json.loads(found["materials"])
                ]
                matters = [str(m.get("name", "")) for m in json.loads(found["matters"])]
                accepted = found["accepted_at"].replace(tzinfo=dt.UTC)
            else:
                case = s.scalars(
                    select(Case).where(
                        Case.number == number,
                        or_(Case.applicant_hash == h, Case.agent_hash == h),
                    )
                ).first()
                if case is None:
                    raise NotYours(number)
                found = {
                    "number": case.number,
                    "applicant": case.organisation_name or mask_name(case.applicant_name),
                    "applicant_number": case.credit_code or mask_id_number(case.applicant_number),
                    "promised_date": case.promised_date,
                    "supplement_deadline": case.supplement_deadline,
                    "window": case.window,
                    "staff": case.staff,
                }
                materials = [
                    MaterialLine(m.name, m.mark, m.form, m.copies)
                    for m in s.scalars(
                        select(CaseMaterial)
                        .where(CaseMaterial.case_id == case.id)
                        .order_by(CaseMaterial.position)
                    )
                ]
                matters = [str(m.get("name", "")) for m in case.matters]
                accepted = case.accepted_at
        if found["promised_date"] is None:
            raise NotYours(number)  # not accepted: it never had a receipt
        window = found["window"]
        return ReceiptData(
            hall_name=self.settings.hall.name,
            case_number=found["number"],
            matters=tuple(matters),
            applicant_name=found["applicant"],
            applicant_id_number=found["applicant_number"],
            accepted_at=accepted.astimezone(self.settings.hall.tz),
            promised_date=_date(found["promised_date"]),
            materials=tuple(materials),
            supplement_deadline=_date(found["supplement_deadline"])
            if found["supplement_deadline"] is not None
            else None,
            staff_name=found["staff"] or "",
            window=f"{window}号窗口" if window else "",
            progress_url=self._progress_url(found["number"]),
        )

    def _progress_url(self, number: str) -> str:
        """The receipt's QR payload with its keyed tag, as the counter prints it."""
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        return case_payload(number, self._secret)

    # ------------------------------------------------------------------ the record

    def record(self, kind: PrintKind, reference: str, id_number: str, *, output: str) -> int:
        """Record one print that happened (and its outbox row); returns the record's id."""
        if output not in ("a4", "slip"):
            raise ValueError(f"unknown print output {output!r}")
        h = self.holder_hash(id_number)
        station = self.station[:64]
        source = self.settings.hall.code
        if self.db.is_postgresql:
            try:
                return self._record_pg(kind, reference, h, station, output, source)
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) == "P0002":
                    raise NotYours(reference) from None
                raise
        with UnitOfWork(
            self.db, self.clock, tz=self.settings.hall.tz, outbox_writer=write_outbox
        ) as uow:
            s = uow.session
            if kind is PrintKind.CERTIFICATE:
                mine = select(HallCertificate.id).where(
                    HallCertificate.identifier == reference, HallCertificate.holder_hash == h
                )
            else:
                mine = select(Case.id).where(
                    Case.number == reference, or_(Case.applicant_hash == h, Case.agent_hash == h)
                )
            if s.scalar(mine) is None:
                raise NotYours(reference)
            row = KioskPrint(
                kind=kind,
                reference=reference,
                holder_hash=h,
                station=station,
                output=output,
                at=uow.now,
            )
            s.add(row)
            s.flush()  # the id names the outbox aggregate
            uow.outbox(
                kind.event_type,
                print_payload(row.id, kind, reference, h, station, output, source, uow.now),
                aggregate=print_aggregate(row.id),
                seq=1,
            )
            return row.id

    def _record_pg(
        self, kind: PrintKind, reference: str, h: str, station: str, output: str, source: str
    ) -> int:
        with self.db.write() as s:
            now = self.clock.now(self.db, s).astimezone(dt.UTC)
            return int(
                s.execute(
                    text(
                        "SELECT onewindow_kiosk_record_print("
                        ":kind, :ref, :h, :station, :output, :source, :key, :at)"
                    ),
                    {
                        "kind": kind.value,
                        "ref": reference,
                        "h": h,
                        "station": station,
                        "output": output,
                        "source": source,
                        "key": str(uuid.uuid4()),
                        "at": now.replace(tzinfo=None),
                    },
                ).scalar_one()
            )


def print_payload(
    print_id: int,
    kind: PrintKind,
    reference: str,
    holder_hash: str,
    station: str,
    output: str,
    source: str,
    at: dt.datetime,
) -> dict[str, Any]:
    """The outbox payload of a print (the PostgreSQL function builds the same keys)."""
    return {
        "print_id": print_id,
        "source": source,
        "kind": kind.value,
        "reference": reference,
        "holder_hash": holder_hash,
        "station": station,
        "output": output,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
    }


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
