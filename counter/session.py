"""The counter's state without widgets: who is logged in where, and which actions are legal.

:func:`legal_actions` is the single rule the call panel's buttons and shortcuts follow, so it
is tested on its own (STYLE.md habit 2). It mirrors what :class:`~common.queue.service.QueueService`
accepts: ``call_next`` refuses a paused window; recall, skip, transfer and finish need a current
ticket; nothing may start while the previous action is still running (a double press must never
call two numbers).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from common.clock import Clock, DatabaseClock
from common.db.engine import HallDatabase
from common.db.models import Role
from common.db.unit import UnitOfWork
from common.queue.service import WindowStatus
from common.staff import StaffView

__all__ = ["Action", "CounterSession", "legal_actions", "record_logout"]


class Action(enum.StrEnum):
    """What a window can do (叫号, 重呼, 过号, 转移, 办结, 暂停 / 恢复)."""

    CALL_NEXT = "call_next"
    RECALL = "recall"
    SKIP = "skip"
    TRANSFER = "transfer"
    FINISH = "finish"
    PAUSE = "pause"
    RESUME = "resume"


@dataclass(frozen=True)
class CounterSession:
    """A member of staff logged in at one window (one session per login)."""

    staff: StaffView
    window: int
    station: str = ""

    @property
    def actor(self) -> str:
        """The name written to the audit log for every queue action."""
        return self.staff.username

    @property
    def is_manager(self) -> bool:
        return self.staff.role is Role.MANAGER


def legal_actions(
    status: WindowStatus | None,
    *,
    busy: bool,
    waiting: int,
    transfer_targets: int,
) -> frozenset[Action]:
    """The actions that may be offered now.

    ``waiting`` is how many tickets the window's services have waiting (calling with none
    waiting is pointless); ``transfer_targets`` how many other services exist to transfer to.
    """
    if busy or status is None:
        return frozenset()
    legal: set[Action] = set()
    if status.paused:
        legal.add(Action.RESUME)
    else:
        legal.add(Action.PAUSE)
        if waiting > 0:
            legal.add(Action.CALL_NEXT)
    if status.current is not None:
        legal |= {Action.RECALL, Action.SKIP, Action.FINISH}
        if transfer_targets > 0:
            legal.add(Action.TRANSFER)
    return frozenset(legal)


def record_logout(db: HallDatabase, session: CounterSession, *, clock: Clock | None = None) -> None:
    """Audit a logout (logins are audited by common.staff.authenticate)."""
    with UnitOfWork(db, clock or DatabaseClock()) as uow:
        target = session.station or str(session.window)
        uow.audit(session.actor, "logout", target, window=session.window)
