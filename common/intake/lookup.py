"""Progress lookup for the self-service kiosk (办件查询): masked case progress, nothing more.

The kiosk stands unattended in the public part of the hall, so on PostgreSQL its role cannot
read the case tables at all (``common.db.grants``). Its one way in is the function
``onewindow_kiosk_progress`` (migration 0010): owned by the migrating role, ``SECURITY
DEFINER``, granted to the kiosk role only, and returning for *one* holder hash or *one* case
number only these columns — matter names, state, dates, the acceptance window, the names of
materials still owed and a mail tracking number. No name, ID number, phone or address ever
leaves it. On SQLite (a one-PC hall, no roles) the same query runs as plain SQL.

Three ways to ask (DOMAIN.md, issue 12):

* :meth:`ProgressLookup.of_holder` — the ID card on the reader: every case where the holder is
  applicant or agent, by the keyed hash of the number (the full number never reaches SQL).
* :meth:`ProgressLookup.by_number` — case number + last four digits of the phone typed on the
  keypad. A wrong phone and an unknown number give the *same* :class:`CaseNotFound`, from the
  same single query, so the keypad cannot be used to learn which numbers exist.
* :meth:`ProgressLookup.by_code` — the receipt's QR code (``onewindow:case:<number>:<tag>``,
  :mod:`common.intake.qrtag`). The tag is keyed with the hall secret, so only a printed
  receipt opens its case; an untagged or wrongly tagged code is :class:`CaseNotFound`, like a
  case that does not exist. Whoever holds the receipt sees that case's progress (masked), as
  on the receipt itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, func, literal, or_, select, text
from sqlalchemy.orm import Session

from common.config import Settings
from common.db.engine import HallDatabase
from common.db.models import Case, CaseMaterial
from common.intake.calendar import HallCalendar
from common.intake.qrtag import CASE_CODE_PREFIX, case_number_from_payload

# Only the light rule module, not common.intake.cases (catalog, PostgreSQL dialect …): the
# kiosk imports this at start, and the case engine would cost ~0.1 s before the first frame.
from common.intake.watch import WatchLevel, WatchLimits, watch_level
from common.intake.words import CaseState, MaterialMark
from common.people import hash_id_number, normalize_id_number

__all__ = [
    "CASE_CODE_PREFIX",
    "FUNCTION",
    "CaseNotFound",
    "CaseProgress",
    "ProgressLookup",
    "case_number_from_code",
    "normalise_case_number",
    "watch_level",
]

FUNCTION = "onewindow_kiosk_progress"
MAX_CASES = 50  # a holder with more sees the newest; the counter has the rest
_PHONE_DIGITS = 4


class CaseNotFound(LookupError):
    """Nothing to show — deliberately the same whether the case is missing or the phone is wrong."""

    def __init__(self) -> None:
        self.message_zh = "未查到相符的办件，请核对办件编号和手机号后四位，或到服务台咨询"
        self.message_en = (
            "No matching case. Please check the case number and the last four digits of the phone."
        )
        super().__init__(self.message_en)


@dataclass(frozen=True)
class CaseProgress:
    """One case as the kiosk may show it: no name, no ID number, no phone, no address."""

    number: str
    matters: tuple[str, ...]
    state: CaseState
    promised_date: dt.date | None
    watch: WatchLevel | None  # 电子监察 colour of the promised date (None: on time or not running)
    owed: tuple[str, ...]  # materials still to bring (容缺 items not supplied, 补正 key items)
    owed_by: dt.date | None  # the supplement deadline of tolerated items
    window: int | None  # where it was accepted (and where the result is collected)
    delivery_method: str  # "" | "window" | "mail"
    carrier: str
    tracking_number: str

    @property
    def ready_to_collect(self) -> bool:
        return self.state is CaseState.READY_FOR_DELIVERY

    @property
    def mailed(self) -> bool:
        return self.delivery_method == "mail" and bool(self.tracking_number)


def case_number_from_code(payload: str, hall_secret: str) -> str | None:
    """The case number of a genuine receipt QR payload (its keyed tag checked), or None."""
    return case_number_from_payload(payload, hall_secret)


def normalise_case_number(typed: str, hall_code: str) -> str | None:
    """What the keypad typed as a stored case number (``<hall>-<yyyymmdd>-<seq>``).

    Dashes are optional; the hall code may be left out (the kiosk only knows its own hall's
    cases). Anything else is None — and is answered like a case that does not exist.
    """
    digits = re.sub(r"\D", "", typed)
    if digits.startswith(hall_code) and len(digits) == len(hall_code) + 12:
        digits = digits[len(hall_code) :]
    if len(digits) != 12:
        return None
    return f"{hall_code}-{digits[:8]}-{digits[8:]}"


# The owed materials of one case: tolerated and not supplied yet, or a key item missing (补正).
def _owed_condition() -> Any:
    m = CaseMaterial
    return or_(
        and_(m.mark == MaterialMark.TOLERATED, m.supplied_at.is_(None)),
        and_(m.key_item.is_(True), m.mark == MaterialMark.MISSING),
    )


class ProgressLookup:
    """Reads masked case progress for the kiosk; one short read per question."""

    def __init__(
        self, db: HallDatabase, settings: Settings, calendar: HallCalendar | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        self.calendar = calendar or HallCalendar.from_settings(settings.calendar)
        self._secret: str | None = None

    def _hash(self, id_number: str) -> str:
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        return hash_id_number(normalize_id_number(id_number), self._secret)

    # ------------------------------------------------------------------ questions

    def of_holder(self, id_number: str, today: dt.date) -> list[CaseProgress]:
        """Every case of the card's holder (applicant or agent), newest first."""
        return self._fetch(today, holder_hash=self._hash(id_number))

    def by_number(self, typed_number: str, phone_last4: str, today: dt.date) -> CaseProgress:
        """One case by number + the last four digits of its phone; :class:`CaseNotFound`
        otherwise.
        """
        number = normalise_case_number(typed_number, self.settings.hall.code)
        phone = re.sub(r"\D", "", phone_last4)
        if number is None or len(phone) != _PHONE_DIGITS:
            raise CaseNotFound()
        rows = self._fetch(today, number=number, phone_last4=phone)
        if not rows:
            raise CaseNotFound()
        return rows[0]

    def by_code(self, payload: str, today: dt.date) -> CaseProgress:
        """One case by the receipt's QR payload; :class:`CaseNotFound` for an unknown, foreign,
        untagged or wrongly tagged code (one answer for all).
        """
        if self._secret is None:
            self._secret = self.settings.hall_secret()
        number = case_number_from_code(payload, self._secret)
        rows = self._fetch(today, number=number) if number else []
        if not rows:
            raise CaseNotFound()
        return rows[0]

    # ------------------------------------------------------------------ the read

    def _fetch(
        self,
        today: dt.date,
        *,
        holder_hash: str | None = None,
        number: str | None = None,
        phone_last4: str | None = None,
    ) -> list[CaseProgress]:
        with self.db.read() as s:
            if self.db.is_postgresql:
                rows = (
                    s.execute(
                        text(f"SELECT * FROM {FUNCTION}(:h, :n, :p, :lim)"),
                        {"h": holder_hash, "n": number, "p": phone_last4, "lim": MAX_CASES},
                    )
                    .mappings()
                    .all()
                )
                raw = [dict(r) for r in rows]
            else:
                raw = self._fetch_sqlite(s, holder_hash, number, phone_last4)
        limits = WatchLimits.of(today, self.calendar, self.settings.intake.warning_days)
        return [self._progress(r, limits) for r in raw]

    @staticmethod
    def _fetch_sqlite(
        s: Session, holder_hash: str | None, number: str | None, phone_last4: str | None
    ) -> list[dict[str, Any]]:
        """The same columns as the PostgreSQL function (migration 0010), as plain SQL."""
        c = Case
        owed = (
            select(func.json_group_array(CaseMaterial.name))
            .where(CaseMaterial.case_id == c.id, _owed_condition())
            .correlate(c)
            .scalar_subquery()
        )
        stmt = select(
            c.number,
            c.matters.cast(String).label("matters"),
            c.state.cast(String).label("state"),
            c.promised_date,
            c.supplement_deadline,
            c.tolerated_outstanding,
            c.window,
            c.delivery_method,
            func.json_extract(c.delivery_detail, "$.carrier").label("carrier"),
            func.json_extract(c.delivery_detail, "$.tracking_number").label("tracking_number"),
            owed.label("owed"),
        )
        if holder_hash is not None:
            stmt = stmt.where(or_(c.applicant_hash == holder_hash, c.agent_hash == holder_hash))
        elif number is not None:
            stmt = stmt.where(c.number == number)
            if phone_last4 is not None:
                stmt = stmt.where(func.substr(c.phone, -4) == literal(phone_last4))
        else:
            return []
        stmt = stmt.order_by(c.id.desc()).limit(MAX_CASES)
        return [dict(r) for r in s.execute(stmt).mappings().all()]

    def _progress(self, row: dict[str, Any], limits: WatchLimits) -> CaseProgress:
        state = CaseState(row["state"])
        matters = _json(row["matters"])
        owed = tuple(str(name) for name in _json(row["owed"]) or () if name)
        promised = _date(row["promised_date"])
        owed_by = _date(row["supplement_deadline"])
        level = watch_level(
            state, promised, owed_by, int(row["tolerated_outstanding"] or 0), limits
        )
        return CaseProgress(
            number=row["number"],
            matters=tuple(str(m.get("name", "")) for m in matters or ()),
            state=state,
            promised_date=promised,
            watch=level,
            owed=owed if state.is_open else (),
            owed_by=owed_by if state.is_open and row["tolerated_outstanding"] else None,
            window=row["window"],
            delivery_method=row["delivery_method"] or "",
            carrier=row["carrier"] or "",
            tracking_number=row["tracking_number"] or "",
        )


def _json(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return value
    return json.loads(value)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
