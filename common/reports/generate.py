"""Generated hall history for report tests and benches: tickets, cases, ratings, staff claims.

:func:`generate` writes ``days`` hall days of a busy hall straight into the tables (one
``executemany`` per table on SQLite, ``COPY`` on PostgreSQL), fast enough for a year
(730,000 tickets, 400,000 cases, 600,000 ratings) in a bench run and for a small month in a
test. It needs the services and windows already in the database (``QueueService.
sync_from_settings``) and writes:

* ``staff`` (one row per window and a few more, password hash ``"!"``: nobody can log in),
* ``audit_log`` ``window-claimed`` rows each morning and ``window-taken-over`` at noon for a
  sixth of the windows (who sat where is what the report's "by staff" reads),
* ``ticket`` (finished, no-show and cancelled; no waiting ticket on a past day),
* ``intake_case`` with an ``accept`` transition each, and ``approve`` / ``deny`` transitions
  for decided cases; a few cases have a stopped clock (``case_clock_stop``) and their stored
  promised date moved on by its working days, as ``CaseService.restart_clock`` does,
* ``rating`` for finished tickets and for case hand-overs,
* ``followup`` for every bad rating and a few 办不成事 reports a day (most closed in time).

Not written: queue events, service counters and the outbox (no report reads them). Numbers are
made up (``hall code-YYYYMMDD-NNNN`` cases, invented names and ID numbers that fail the check
digit). Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select, text

from common.db.engine import HallDatabase
from common.db.models import Service, Window, WindowService

__all__ = ["MATTERS", "SMALL_MONTH", "YEAR", "Volume", "generate", "iter_days"]


@dataclass(frozen=True)
class Volume:
    """How much a generated hall day holds."""

    tickets_per_day: int
    cases_per_day: int
    ratings_per_day: int
    # Of the cases old enough to be decided, how many are left open past their promised date.
    stale_open: float = 1 / 3000


# A busy city hall (issue 13): 730,000 tickets, 400,000 cases, 600,000 ratings in 365 days.
YEAR = Volume(tickets_per_day=2000, cases_per_day=1096, ratings_per_day=1644)
# Tests: a month of a small hall, a few thousand rows in all.
SMALL_MONTH = Volume(tickets_per_day=60, cases_per_day=30, ratings_per_day=40, stale_open=1 / 60)

# (code, name, service prefix it is applied for at, promised working days)
MATTERS: tuple[tuple[str, str, str, int], ...] = (
    ("110105001000", "个体工商户设立登记", "A", 1),
    ("110105002000", "企业设立登记", "A", 3),
    ("110105003000", "企业变更登记", "A", 3),
    ("110106001000", "食品经营许可", "B", 10),
    ("110106002000", "药品零售许可", "B", 15),
    ("110107001000", "建设工程规划许可", "C", 20),
    ("110107002000", "施工许可", "C", 7),
    ("110108001000", "社会保障卡申领", "D", 0),
    ("110108002000", "养老保险关系转移", "D", 15),
    ("110109001000", "不动产登记", "E", 5),
    ("110109002000", "公积金提取", "F", 3),
    ("110110001000", "户口迁移", "G", 10),
    ("110110002000", "居住证办理", "H", 7),
    ("110111001000", "道路运输经营许可", "J", 20),
)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
_COMPANIES = ("滨江商贸有限公司", "城南建设工程有限公司", "海峡食品有限公司", "鼓楼药房")


def _ts(value: dt.datetime) -> str:
    """Naive UTC text, as SQLAlchemy stores a ``DateTime`` on SQLite (PostgreSQL parses it)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _add_working_days(day: dt.date, days: int) -> dt.date:
    """Monday to Friday only: the generator's stand-in for the hall calendar."""
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


class _Writer:
    """Bulk rows into one table: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        cols = ", ".join(f'"{c}"' for c in columns)
        if self.pg:
            raw = self.conn.connection.driver_connection
            with raw.cursor() as cur:  # type: ignore[union-attr]
                with cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            self.conn.exec_driver_sql(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)

    def next_id(self, table: str) -> int:
        return int(
            self.conn.execute(text(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')).scalar() or 0
        )

    def fix_sequence(self, table: str) -> None:
        if self.pg:
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                )
            )


_TICKET_COLS = (
    "id", "hall_day", "issue_service_id", "service_id", "seq", "number", "priority",
    "green_reason", "appointment_at", "issued_at", "queue_key", "status", "window_id",
    "called_at", "finished_at", "call_count", "requeue_count", "passed_over",
    "transferred_from", "holder_masked", "id_hash", "source",
)  # fmt: skip
_CASE_COLS = (
    "id", "number", "hall_day", "seq", "state", "open", "decision", "title", "matters",
    "bundle_code", "catalog_version", "route_agency", "route_area_code", "applicant_type",
    "applicant_name", "applicant_cert_type", "applicant_number", "applicant_hash", "phone",
    "organisation_name", "credit_code", "legal_representative", "agent_name",
    "agent_cert_type", "agent_number", "agent_hash", "ticket_id", "ticket_number", "window",
    "staff", "accepted_at", "promised_days", "promised_date", "supplement_deadline",
    "tolerated_outstanding", "clock_stopped_on", "reject_reason", "resubmission_of",
    "updated_at", "outbox_seq", "central_changes", "delivery_method", "delivery_detail",
)  # fmt: skip
_TRANSITION_COLS = (
    "id", "case_id", "seq", "action", "from_state", "to_state", "state_code", "actor", "at",
    "reason", "detail",
)  # fmt: skip
_STOP_COLS = ("id", "case_id", "kind", "started", "ended", "working_days", "reason")
_RATING_COLS = (
    "id", "service_key", "ticket_id", "case_id", "channel", "window", "staff", "level",
    "reasons", "comment", "callback", "dimensions", "created_at",
)  # fmt: skip
_AUDIT_COLS = ("id", "at", "actor", "action", "target", "detail")
_FOLLOWUP_COLS = (
    "id", "kind", "rating_id", "channel", "matter_code", "matter_name", "blocked", "work_order",
    "contact_name", "contact_phone", "name_masked", "phone_masked", "real_name", "window",
    "staff", "opened_at", "opened_day", "working_days", "due_date", "step", "step_at", "open",
    "callbacks", "callback_outcome", "closed_at", "closed_day", "outbox_seq",
)  # fmt: skip
_STAFF_COLS = (
    "id", "username", "display_name", "password_hash", "role", "active", "failed_logins",
    "locked_until",
)  # fmt: skip


def generate(
    db: HallDatabase,
    *,
    first_day: dt.date,
    days: int,
    volume: Volume = SMALL_MONTH,
    tz: ZoneInfo | dt.tzinfo,
    hall_code: str = "GEN",
    today: dt.date | None = None,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Write ``days`` hall days from ``first_day`` (see the module text); one commit per day.

    ``today`` (default: the day after the last) decides which cases are still open: cases
    accepted in the last three weeks before it are partly undecided, older ones are decided,
    except a few left open past their promised date (``Volume.stale_open``: the overdue
    list).
    """
    rng = random.Random(seed)
    today = today or first_day + dt.timedelta(days=days)
    with db.read() as s:
        services = {p: i for i, p in s.execute(select(Service.id, Service.prefix))}
        windows = {i: n for i, n in s.execute(select(Window.id, Window.number))}
        links = list(s.execute(select(WindowService.window_id, WindowService.service_id)))
    if not services or not windows:
        raise ValueError("no services or windows: run QueueService.sync_from_settings first")
    service_ids = list(services.values())
    prefix_of = {i: p for p, i in services.items()}
    serving: dict[int, list[int]] = {sid: [] for sid in service_ids}
    for wid, sid in links:
        serving[sid].append(wid)
    for sid in service_ids:
        serving[sid] = serving[sid] or list(windows)
    matters_for: dict[str, list[tuple[str, str, str, int]]] = {}
    for m in MATTERS:
        target = m[2] if m[2] in services else next(iter(services))
        matters_for.setdefault(target, []).append(m)
    weights = [4 if p == "A" else 2 for p in services]

    with db.engine.begin() as conn:
        w = _Writer(conn)
        staff_id = w.next_id("staff") + 1
        n_staff = len(windows) + max(2, len(windows) // 6)
        staff_rows = []
        usernames = []
        for k in range(n_staff):
            name = _SURNAMES[k % 20] + _GIVEN[(k * 7) % len(_GIVEN)] + ("" if k < 40 else "华")
            usernames.append(f"gen{staff_id + k:03d}")  # unique over several runs
            staff_rows.append((staff_id + k, usernames[-1], name, "!", "window", 1, 0, None))
        w.write("staff", _STAFF_COLS, staff_rows)
        ids = {t: w.next_id(t) for t in ("ticket", "intake_case", "case_transition",
                                          "case_clock_stop", "rating", "audit_log",
                                          "followup")}  # fmt: skip

    window_ids = sorted(windows, key=lambda i: windows[i])
    for d in range(days):
        day = first_day + dt.timedelta(days=d)
        tickets: list[tuple[Any, ...]] = []
        cases: list[tuple[Any, ...]] = []
        transitions: list[tuple[Any, ...]] = []
        stops: list[tuple[Any, ...]] = []
        ratings: list[tuple[Any, ...]] = []
        audits: list[tuple[Any, ...]] = []
        opening = dt.datetime.combine(day, dt.time(8, 55), tzinfo=tz)
        noon = dt.datetime.combine(day, dt.time(12, 30), tzinfo=tz)
        # Who sits where today: a rotation, and a sixth of the windows change hands at noon.
        morning: dict[int, str] = {}
        afternoon: dict[int, str] = {}
        for k, claimed in enumerate(window_ids):
            morning[claimed] = usernames[(k + d) % n_staff]
            afternoon[claimed] = morning[claimed]
            ids["audit_log"] += 1
            audits.append(
                (ids["audit_log"], _ts(opening), morning[claimed], "window-claimed", f"pc{k + 1}",
                 json.dumps({"window": windows[claimed]}))
            )  # fmt: skip
            if k % 6 == d % 6:
                afternoon[claimed] = usernames[(k + d + len(window_ids)) % n_staff]
                ids["audit_log"] += 1
                audits.append(
                    (ids["audit_log"], _ts(noon), afternoon[claimed], "window-taken-over",
                     f"pc{k + 1}", json.dumps({"window": windows[claimed], "taken_from":
                                               morning[claimed]}))
                )  # fmt: skip

        def staff_at(
            wid: int,
            when: dt.datetime,
            noon: dt.datetime = noon,
            morning: dict[int, str] = morning,
            afternoon: dict[int, str] = afternoon,
        ) -> str:
            return afternoon[wid] if when >= noon else morning[wid]

        seqs = dict.fromkeys(service_ids, 0)
        finished: list[tuple[int, int, int, dt.datetime, dt.datetime, str]] = []
        n_tickets = volume.tickets_per_day
        issue_times = sorted(rng.uniform(0, 8 * 3600) for _ in range(n_tickets))
        start = dt.datetime.combine(day, dt.time(9), tzinfo=tz)
        for offset in issue_times:
            sid = rng.choices(service_ids, weights)[0]
            seqs[sid] += 1
            ids["ticket"] += 1
            issued = start + dt.timedelta(seconds=offset)
            number = f"{prefix_of[sid]}{seqs[sid]:03d}"
            roll = rng.random()
            at_window: int | None = None
            called = done = None
            if roll < 0.01:
                status, calls = "cancelled", 0
            else:
                at_window = wid = rng.choice(serving[sid])
                called = issued + dt.timedelta(seconds=min(rng.expovariate(1 / 700), 5400))
                calls = 1
                if roll < 0.07:
                    status, calls = "no_show", 2
                else:
                    status = "finished"
                    done = called + dt.timedelta(seconds=60 + rng.lognormvariate(6, 0.5))
                    finished.append((ids["ticket"], sid, wid, called, done, number))
            tickets.append(
                (ids["ticket"], day.isoformat(), sid, sid, seqs[sid], number, "normal", "", None,
                 _ts(issued), _ts(issued), status, at_window, _ts(called) if called else None,
                 _ts(done) if done else None, calls, 0, 0, "", "", None, "gen")
            )  # fmt: skip

        # Cases: accepted at the window that served a finished ticket.
        n_cases = min(volume.cases_per_day, len(finished))
        case_tickets = rng.sample(finished, n_cases)
        case_tickets.sort(key=lambda f: f[4])
        handovers: list[tuple[int, int, str]] = []  # (case id, window id, staff)
        for seq, (tid, sid, wid, called, done, number) in enumerate(case_tickets, start=1):
            ids["intake_case"] += 1
            cid = ids["intake_case"]
            code, mname, _, days_limit = rng.choice(matters_for.get(prefix_of[sid]) or MATTERS)
            accepted = done - dt.timedelta(seconds=30)
            who = staff_at(wid, called)
            roll = rng.random()
            decision = (
                "accept" if roll < 0.80 else "accept_with_tolerance" if roll < 0.88
                else "correction_required" if roll < 0.97 else "reject"
            )  # fmt: skip
            promised = None
            tolerated = 0
            supplement = None
            if decision in ("accept", "accept_with_tolerance"):
                promised = _add_working_days(day, days_limit)
                if decision == "accept_with_tolerance":
                    supplement = _add_working_days(day, 5)
            at_transition: list[tuple[str, str, str, dt.datetime]] = []
            first_state = {
                "accept": "accepted",
                "accept_with_tolerance": "accepted_with_tolerance",
                "correction_required": "correction_required",
                "reject": "rejected",
            }[decision]
            at_transition.append((decision if decision.startswith("accept") else
                                  {"correction_required": "require_correction",
                                   "reject": "reject"}[decision], "draft", first_state,
                                  accepted))  # fmt: skip
            state, is_open = first_state, first_state in ("accepted", "accepted_with_tolerance",
                                                          "correction_required")  # fmt: skip
            if decision == "correction_required" and (today - day).days > 20:
                state, is_open = "resubmitted", False
            if promised is not None:
                age = (today - day).days
                stop_days = 0
                if rng.random() < 0.03:
                    # A clock stop of a few working days: the stored date moves on, as on restart.
                    stop_days = rng.randint(2, 6)
                    stop_start = _add_working_days(day, 1)
                    ids["case_clock_stop"] += 1
                    stops.append(
                        (ids["case_clock_stop"], cid, "correction", stop_start.isoformat(),
                         _add_working_days(stop_start, stop_days).isoformat(), stop_days, "补正")
                    )  # fmt: skip
                    promised = _add_working_days(promised, stop_days)
                span = (promised - day).days
                late = rng.random() < 0.04
                decide_in = span + rng.randint(1, 5) if late else rng.randint(0, max(span, 0))
                decided_on = day + dt.timedelta(days=decide_in)
                left_open = (age < 21 and decided_on >= today) or rng.random() < volume.stale_open
                if decision == "accept_with_tolerance":
                    tolerated = 0 if rng.random() < 0.9 or not left_open else 1
                if left_open:
                    state, is_open = "in_review", True
                    at_transition.append(("start_review", first_state, "in_review", accepted))
                else:
                    when = dt.datetime.combine(decided_on, dt.time(10), tzinfo=tz)
                    when += dt.timedelta(seconds=rng.randint(0, 6 * 3600))
                    if decided_on == day:
                        when = accepted + dt.timedelta(minutes=1)
                    action, target = ("deny", "denied") if rng.random() < 0.02 else (
                        "approve", "approved")  # fmt: skip
                    at_transition.append((action, first_state, target, when))
                    state, is_open = ("delivered" if target == "approved" else "denied"), False
            org = rng.random() < 0.15
            applicant_type = 2 if org else 1
            pname = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN)
            cases.append(
                (cid, f"{hall_code}-{day:%Y%m%d}-{seq:04d}", day.isoformat(), seq, state,
                 int(is_open), decision, mname,
                 json.dumps([{"code": code, "version": "1", "name": mname}], ensure_ascii=False),
                 "", "gen", "", "", applicant_type, pname, "111",
                 f"9900001990{rng.randint(10000000, 99999999)}"[:18], f"gen{cid:x}", "",
                 rng.choice(_COMPANIES) if org else "", "", "", "", "", "", "", tid, number,
                 windows[wid], who, _ts(accepted), days_limit,
                 promised.isoformat() if promised else None,
                 supplement.isoformat() if supplement else None, tolerated, None,
                 "材料不符合法定形式" if decision == "reject" else "", None, _ts(accepted),
                 len(at_transition), 0, "", "{}")
            )  # fmt: skip
            for k, (action, frm, to, when) in enumerate(at_transition, start=1):
                ids["case_transition"] += 1
                transitions.append(
                    (ids["case_transition"], cid, k, action, frm, to, to, who, _ts(when), "", "{}")
                )
            if state == "delivered" and rng.random() < 0.3:
                handovers.append((cid, wid, who))

        # Ratings: most finished tickets, and some hand-overs of results.
        n_ratings = volume.ratings_per_day
        by_handover = min(len(handovers), n_ratings // 5)
        rated = rng.sample(finished, min(len(finished), n_ratings - by_handover))
        for tid, _sid, wid, called, done, _number in rated:
            ids["rating"] += 1
            level = rng.choices((5, 4, 3, 2, 1), (70, 18, 7, 3, 2))[0]
            ratings.append(
                (ids["rating"], f"ticket:{tid}", tid, None, "counter", windows[wid],
                 staff_at(wid, called), level, json.dumps(["waiting"] if level <= 2 else []),
                 "", int(level <= 2), "{}", _ts(done + dt.timedelta(seconds=20)))
            )  # fmt: skip
        for cid, wid, who in handovers[:by_handover]:
            ids["rating"] += 1
            level = rng.choices((5, 4, 3, 2, 1), (72, 17, 6, 3, 2))[0]
            when = dt.datetime.combine(day, dt.time(16, 30), tzinfo=tz)
            ratings.append(
                (ids["rating"], f"handover:{cid}", None, cid, "counter", windows[wid], who,
                 level, "[]", "", 0, "{}", _ts(when))
            )  # fmt: skip

        # Follow-ups: every bad rating opens one (as common.manager.followup does), and a few
        # 办不成事 reports a day; most closed within the hall's five working days.
        followups: list[tuple[Any, ...]] = []
        due = _add_working_days(day, 5)
        age = (today - day).days
        complaints = [
            (None, "complaint", rng.choice(MATTERS), windows[rng.choice(window_ids)])
            for _ in range(max(1, volume.ratings_per_day // 400))
        ]
        bad = [(r[0], "rating", None, r[5]) for r in ratings if r[7] <= 2]
        for rating_id, kind, matter, window in bad + complaints:
            ids["followup"] += 1
            opened = dt.datetime.combine(day, dt.time(16, 40), tzinfo=tz)
            closed_day = None
            if rng.random() < (0.95 if age > 12 else 0.4):
                closed_day = day + dt.timedelta(days=rng.choice((1, 2, 3, 4, 5, 6, 9)))
                closed_day = closed_day if closed_day < today else None
            closed_at = (
                dt.datetime.combine(closed_day, dt.time(11), tzinfo=tz) if closed_day else None
            )
            followups.append(
                (ids["followup"], kind, rating_id, "rating" if rating_id else "window",
                 matter[0] if matter else "", matter[1] if matter else "",
                 "材料要求说法不一" if matter else "", "", "", "", "", "", 0, window,
                 rng.choice(usernames), _ts(opened), day.isoformat(), 5, due.isoformat(),
                 "closed" if closed_day else "verified", _ts(closed_at or opened),
                 int(closed_day is None), 0, "", _ts(closed_at) if closed_at else None,
                 closed_day.isoformat() if closed_day else None, 0)
            )  # fmt: skip

        with db.engine.begin() as conn:
            w = _Writer(conn)
            w.write("audit_log", _AUDIT_COLS, audits)
            w.write("ticket", _TICKET_COLS, tickets)
            w.write("intake_case", _CASE_COLS, cases)
            w.write("case_transition", _TRANSITION_COLS, transitions)
            w.write("case_clock_stop", _STOP_COLS, stops)
            w.write("rating", _RATING_COLS, ratings)
            w.write("followup", _FOLLOWUP_COLS, followups)
        if progress and (d % 30 == 29 or d == days - 1):
            progress(f"{day}: {ids['ticket']} tickets, {ids['intake_case']} cases")

    with db.engine.begin() as conn:
        w = _Writer(conn)
        for table in ("staff", "ticket", "intake_case", "case_transition", "case_clock_stop",
                      "rating", "audit_log", "followup"):  # fmt: skip
            w.fix_sequence(table)
        if w.pg:
            for table in ("ticket", "intake_case", "case_transition", "rating", "audit_log"):
                conn.execute(text(f'ANALYZE "{table}"'))
        else:
            conn.exec_driver_sql("ANALYZE")


def iter_days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every date from ``first`` to ``last`` inclusive."""
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)
