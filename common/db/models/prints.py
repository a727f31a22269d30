"""Kiosk self-print records (证照打印, 补打回执): one row per printout that happened.

A row says what was printed (``kind``: an e-certificate by its identifier, or an acceptance
receipt by its case number), for whom (the holder's keyed hash — never the ID number), where
(the kiosk's station name) and when. It is written in the same transaction as its outbox row
(``certificate.printed`` / ``receipt.reprinted``, aggregate ``print:<id>``, seq 1), so the
central server hears of every print exactly once (``common.selfservice.prints``). On
PostgreSQL the kiosk role writes it only through ``onewindow_kiosk_record_print``
(migration 0012), which checks that the certificate or case belongs to that holder.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from common.db.models.base import Base, str_enum

__all__ = ["KioskPrint", "PrintKind"]


class PrintKind(enum.StrEnum):
    """What a kiosk printed."""

    CERTIFICATE = "certificate"  # an e-certificate (A4 copy or the 80 mm slip)
    RECEIPT = "receipt"  # the acceptance receipt of the holder's own case, again

    @property
    def event_type(self) -> str:
        """The outbox event that reports the print to the central server."""
        return "certificate.printed" if self is PrintKind.CERTIFICATE else "receipt.reprinted"


class KioskPrint(Base):
    """One self-service printout at a kiosk."""

    __tablename__ = "kiosk_print"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PrintKind] = mapped_column(str_enum(PrintKind, "print_kind"))
    # The certificate's identifier or the case number.
    reference: Mapped[str] = mapped_column(String(128), index=True)
    holder_hash: Mapped[str] = mapped_column(String(64), index=True)
    station: Mapped[str] = mapped_column(String(64))
    # "a4" (the A4 printer or the demo's PDF folder) or "slip" (the 80 mm thermal printer).
    output: Mapped[str] = mapped_column(String(8))
    at: Mapped[dt.datetime] = mapped_column()
