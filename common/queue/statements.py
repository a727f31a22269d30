"""The queue's hot-path SQL, built once per dialect with bound parameters.

Core statements rather than ORM queries on the hot paths: building an ORM statement per action
cost more than the database work itself, and SQLAlchemy compiles each of these once per process.
Two statements exist only on PostgreSQL, where each round trip to the server costs ~0.5 ms:
``call_read_pg`` (the window's pause flag, current ticket, the heads of its queues and the first
due appointment or green-channel ticket, locked or skipped, in one round trip) and ``call_write_pg``
(finish, pass-over and claim in one). They carry data only: which ticket is called is decided in
Python, by :mod:`common.queue.policy`, on both databases.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from common.db.models import (
    Base,
    Service,
    ServiceCounter,
    ServiceTime,
    Ticket,
    TicketStatus,
    UTCDateTime,
    Window,
    WindowService,
    WindowServiceDay,
)

__all__ = ["Statements", "call_read_sqlite", "table"]


def table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


@dataclass(frozen=True)
class Statements:
    """Prepared statements for one dialect (``Statements.build(engine.dialect.name)``)."""

    dialect: str
    next_seq: Any
    insert_ticket: Any
    per_id_taken: Any
    ahead_and_estimate: Any
    estimate_parts: Any
    insert_service_time: Any
    current: Any
    claim: Any
    pass_over: Any
    finish: Any
    requeue_behind: Any
    call_read_pg: Any
    call_write_pg: Any

    @classmethod
    def build(cls, dialect: str) -> Statements:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        counter, ticket, st = table(ServiceCounter), table(Ticket), table(ServiceTime)
        ws, win = table(WindowService), table(Window)
        svc = table(Service)
        # The next number, only while the service is not paused (暂停取号): a paused service
        # gives no row to insert, so no conflict and no RETURNING row. Checked in the statement
        # that takes the (service, day) lock, so a number and a pause never cross, at no extra
        # round trip.
        next_seq = (
            insert(counter)
            .from_select(
                ["service_id", "hall_day", "last_seq"],
                select(
                    bindparam("sid", type_=Integer()),
                    bindparam("day", type_=Date()),
                    literal(1, Integer()),
                ).where(svc.c.id == bindparam("sid"), svc.c.paused.is_(False)),
            )
            .on_conflict_do_update(
                index_elements=[counter.c.service_id, counter.c.hall_day],
                set_={"last_seq": counter.c.last_seq + 1},
            )
            .returning(counter.c.last_seq)
        )
        key = bindparam("key", type_=UTCDateTime())
        ahead = (
            select(func.count())
            .where(
                ticket.c.hall_day == bindparam("day"),
                ticket.c.status == TicketStatus.WAITING.value,
                ticket.c.service_id == bindparam("sid"),
                or_(
                    ticket.c.queue_key < key,
                    and_(ticket.c.queue_key == key, ticket.c.id < bindparam("tid")),
                ),
            )
            .scalar_subquery()
        )
        recent = (
            select(st.c.seconds)
            .where(st.c.service_id == bindparam("sid"), st.c.hall_day == bindparam("day"))
            .order_by(st.c.id.desc())
            .limit(bindparam("n"))
            .subquery()
        )
        mean = select(func.avg(recent.c.seconds)).scalar_subquery()
        # Open windows serving the service today: a window reassigned for the day
        # (window_service_day) serves what that says, any other what it is configured for.
        wsd = table(WindowServiceDay)
        day_rows = select(wsd.c.window_id).where(wsd.c.hall_day == bindparam("day"))
        configured = select(ws.c.window_id).where(ws.c.service_id == bindparam("sid"))
        for_today = day_rows.where(wsd.c.service_id == bindparam("sid"))
        open_windows = (
            select(func.count())
            .select_from(win)
            .where(
                win.c.paused.is_(False),
                or_(
                    win.c.id.in_(for_today),
                    and_(win.c.id.in_(configured), win.c.id.not_in(day_rows)),
                ),
            )
            .scalar_subquery()
        )
        now = bindparam("now", type_=UTCDateTime())
        return cls(
            dialect=dialect,
            next_seq=next_seq,
            insert_ticket=ticket.insert().returning(ticket.c.id),
            per_id_taken=select(func.count(ticket.c.id)).where(
                ticket.c.hall_day == bindparam("day"),
                ticket.c.id_hash == bindparam("id_hash"),
                ticket.c.issue_service_id == bindparam("sid"),
            ),
            # People ahead of a new ticket and what the estimate needs, in one round trip.
            ahead_and_estimate=select(
                ahead.label("ahead"), mean.label("mean"), open_windows.label("windows")
            ),
            estimate_parts=select(mean.label("mean"), open_windows.label("windows")),
            insert_service_time=st.insert(),
            current=select(Ticket)
            .where(Ticket.window_id == bindparam("wid"), Ticket.status == TicketStatus.CALLED)
            .limit(1),
            # Compare-and-set: another window may have claimed the ticket since it was read.
            claim=update(ticket)
            .where(ticket.c.id == bindparam("tid"), ticket.c.status == TicketStatus.WAITING.value)
            .values(
                status=TicketStatus.CALLED.value,
                window_id=bindparam("wid"),
                called_at=now,
                call_count=1,
            ),
            pass_over=update(ticket)
            .where(
                ticket.c.id.in_(bindparam("over", expanding=True)),
                ticket.c.status == TicketStatus.WAITING.value,
            )
            .values(passed_over=ticket.c.passed_over + 1),
            finish=update(ticket)
            .where(ticket.c.id == bindparam("tid"))
            .values(status=TicketStatus.FINISHED.value, finished_at=now),
            requeue_behind=select(ticket.c.queue_key)
            .where(
                ticket.c.hall_day == bindparam("day"),
                ticket.c.status == TicketStatus.WAITING.value,
                ticket.c.service_id == bindparam("sid"),
            )
            .order_by(ticket.c.queue_key, ticket.c.id)
            .limit(bindparam("n")),
            call_read_pg=_call_read_pg(ticket),
            call_write_pg=_call_write_pg(),
        )


def _call_read_pg(ticket: Table) -> Any:
    # One row per ticket found, each tagged with its role; the window's pause flag on every row
    # (and a row of NULLs when no ticket was found, so the flag is always there). The heads and
    # the prioritised ticket are locked or skipped if another window is claiming them this
    # instant: ten windows pressing "next" together each get a different ticket at once.
    cols = ", ".join(c.name for c in ticket.c)
    sql = (
        "WITH heads AS (SELECT t.* FROM unnest(CAST(:sids AS integer[])) AS s(sid) "
        "CROSS JOIN LATERAL (SELECT * FROM ticket WHERE ticket.hall_day = :day "
        "AND ticket.status = 'waiting' AND ticket.service_id = s.sid "
        "ORDER BY ticket.queue_key, ticket.id LIMIT 1 FOR UPDATE SKIP LOCKED) AS t), "
        "prio AS (SELECT * FROM ticket WHERE ticket.hall_day = :day AND ticket.status = 'waiting' "
        "AND ticket.service_id = ANY(CAST(:sids AS integer[])) "
        "AND ticket.priority IN ('appointment', 'green') "
        "AND (ticket.priority = 'green' OR ticket.appointment_at <= :due) "
        "ORDER BY CASE WHEN ticket.priority = 'appointment' THEN 0 ELSE 1 END, "
        "ticket.appointment_at, ticket.queue_key, ticket.id LIMIT 1 FOR UPDATE SKIP LOCKED), "
        "cur AS (SELECT * FROM ticket WHERE ticket.window_id = :wid AND ticket.status = 'called' "
        "LIMIT 1) "
        f"SELECT w.paused AS paused, r.role AS role, {', '.join('r.' + c.name for c in ticket.c)} "
        'FROM "window" AS w LEFT JOIN ('
        f"SELECT 'head' AS role, {cols} FROM heads "
        f"UNION ALL SELECT 'prio', {cols} FROM prio "
        f"UNION ALL SELECT 'current', {cols} FROM cur) AS r ON true WHERE w.id = :wid"
    )
    return _typed(sql, ticket)


def _typed(sql: str, ticket: Table) -> Any:
    typed = [Column("paused", Boolean()), Column("role", String())]
    typed += [Column(c.name, c.type) for c in ticket.c]
    return (
        text(sql)
        .bindparams(bindparam("day"), bindparam("due", type_=UTCDateTime()))
        .columns(*typed)
    )


@functools.lru_cache(maxsize=32)
def call_read_sqlite(services: int) -> Any:
    """call_next's read on SQLite for a window serving ``services`` services (``:s0`` …).

    Each arm is an index seek (ix_ticket_queue per service, ix_ticket_priority, ix_ticket_window),
    so it stays cheap however long the queues are. No row locks: the unit already holds SQLite's
    write lock (BEGIN IMMEDIATE).
    """
    ticket = table(Ticket)
    cols = ", ".join(c.name for c in ticket.c)
    sids = ", ".join(f":s{i}" for i in range(services)) or "NULL"
    arms = [
        f"SELECT 'head' AS role, {cols} FROM (SELECT * FROM ticket WHERE hall_day = :day "
        f"AND status = 'waiting' AND service_id = :s{i} ORDER BY queue_key, id LIMIT 1)"
        for i in range(services)
    ]
    arms.append(
        f"SELECT 'prio' AS role, {cols} FROM (SELECT * FROM ticket WHERE hall_day = :day "
        f"AND status = 'waiting' AND service_id IN ({sids}) "
        "AND priority IN ('appointment', 'green') "
        "AND (priority = 'green' OR appointment_at <= :due) "
        "ORDER BY CASE WHEN priority = 'appointment' THEN 0 ELSE 1 END, "
        "appointment_at, queue_key, id "
        "LIMIT 1)"
    )
    arms.append(
        f"SELECT 'current' AS role, {cols} FROM (SELECT * FROM ticket WHERE window_id = :wid "
        "AND status = 'called' LIMIT 1)"
    )
    sql = (
        f"SELECT w.paused AS paused, r.role AS role, {', '.join('r.' + c.name for c in ticket.c)} "
        f'FROM "window" AS w LEFT JOIN ({" UNION ALL ".join(arms)}) AS r ON 1 WHERE w.id = :wid'
    )
    return _typed(sql, ticket)


def _call_write_pg() -> Any:
    # Finish the window's current ticket (if any), count the overtaken heads as passed over,
    # and claim the chosen ticket with a compare-and-set — one round trip. Every part runs
    # (data-modifying CTEs always do); the caller rolls the whole unit back when ``claimed``
    # is 0. ``finish_id`` -1 and an empty ``over`` match no row.
    sql = (
        "WITH fin AS (UPDATE ticket SET status = 'finished', finished_at = :now "
        "WHERE id = :finish_id RETURNING id), "
        "over AS (UPDATE ticket SET passed_over = passed_over + 1 "
        "WHERE id = ANY(CAST(:over AS integer[])) AND status = 'waiting' RETURNING id), "
        "claim AS (UPDATE ticket SET status = 'called', window_id = :wid, called_at = :now, "
        "call_count = 1 WHERE id = :tid AND status = 'waiting' RETURNING id) "
        "SELECT (SELECT count(*) FROM claim) AS claimed"
    )
    return text(sql).bindparams(bindparam("now", type_=UTCDateTime()))
