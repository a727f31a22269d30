"""E-certificates for the certificate-print tests, stored as the change feed stores them.

The holder's ready case gets a valid 营业执照-like certificate and an expired permit; the
stranger's case gets one that must never appear for the holder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from common.clock import Clock
from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Case, HallCertificate
from common.documents.certificate_id import make_certificate_id
from common.people import mask_name
from tests.kiosk.selfservice.cases import Seeded, seed

__all__ = ["Certificates", "add_certificates", "seed_certificates"]


@dataclass(frozen=True)
class Certificates:
    cases: Seeded
    valid: str  # identifier of the holder's valid certificate
    expired: str  # the holder's expired one
    stranger: str  # someone else's


def seed_certificates(
    db: HallDatabase,
    settings: Settings,
    clock: Clock,
    holder_id: str,
    holder_name: str,
    today: dt.date,
) -> Certificates:
    return add_certificates(db, seed(db, settings, clock, holder_id, holder_name), today)


def add_certificates(db: HallDatabase, cases: Seeded, today: dt.date) -> Certificates:
    """The three certificates for cases already seeded (``tests.kiosk.selfservice.cases``)."""
    valid = make_certificate_id("11100000000013338W011", "11350102MB0000000A", "20261123001")
    expired = make_certificate_id("11100000000013338W012", "11350102MB0000000A", "20201123002")
    stranger = make_certificate_id("11100000000013338W011", "11350102MB0000000A", "20261123003")
    with db.write() as s:
        for identifier, number, title, issued, until in (
            (valid, cases.ready, "不动产权证书", today - dt.timedelta(days=3), None),
            (
                expired,
                cases.mailed,
                "食品经营许可证",
                dt.date(2020, 11, 23),
                today - dt.timedelta(days=1),
            ),
            (stranger, cases.stranger, "个体工商户营业执照", today, None),
        ):
            case = s.scalars(select(Case).where(Case.number == number)).one()
            s.add(
                HallCertificate(
                    identifier=identifier,
                    case_number=number,
                    title=title,
                    issuer_name="示范区市场监督管理局",
                    holder_hash=case.applicant_hash,
                    holder_masked=case.organisation_name or mask_name(case.applicant_name),
                    issued_on=issued,
                    valid_until=until,
                    position=1,
                    received_at=dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC),
                )
            )
    return Certificates(cases, valid, expired, stranger)
