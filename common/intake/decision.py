"""The decision at the window follows from the marks alone (DESIGN.md "Intake").

- every key item present (received, shared, or not applicable) and nothing tolerated → 受理;
- only tolerable items owed (marked 容缺, or marked missing: a tolerable item that is not
  there is owed, not forgotten) → 容缺受理, with a supplement deadline;
- a missing item that is neither key nor tolerable (e.g. 授权委托书 when no agent acts) does
  not decide anything;
- any key item missing → 一次性告知: the notice lists every missing key item at once, with
  what exactly is required;
- 不予受理 (out of scope) only with a reason, never chosen for a checklist that fits.

There is no free choice: the counter's preview, the accept button and the central server call
:func:`decide` on the same marks and must agree. A checklist with unmarked items cannot be
decided (:class:`DecisionIncomplete`).
"""

from __future__ import annotations

from dataclasses import dataclass

from common.intake.checklist import Checklist, ChecklistItem
from common.intake.words import Decision, MaterialMark

__all__ = ["DecisionIncomplete", "Outcome", "RejectWithoutReason", "decide", "preview"]


class DecisionIncomplete(ValueError):
    """Some items are not marked yet; the message names them."""

    def __init__(self, items: tuple[ChecklistItem, ...]) -> None:
        self.keys = tuple(item.key for item in items)
        names = "、".join(item.name for item in items)
        self.message_zh = f"还有 {len(items)} 项材料未勾选：{names}"
        self.message_en = f"{len(items)} item(s) not marked yet: " + ", ".join(self.keys)
        super().__init__(f"{self.message_zh} / {self.message_en}")


class RejectWithoutReason(ValueError):
    """不予受理 needs a reason (out of scope, not this hall's matter …)."""

    def __init__(self) -> None:
        self.message_zh = "不予受理必须写明理由"
        self.message_en = "a rejection needs a reason"
        super().__init__(f"{self.message_zh} / {self.message_en}")


@dataclass(frozen=True)
class Outcome:
    """The decision and what decides it (the counter's preview names it)."""

    decision: Decision
    missing: tuple[ChecklistItem, ...] = ()  # key items missing: the correction notice's list
    tolerated: tuple[ChecklistItem, ...] = ()  # items owed by the supplement deadline
    reject_reason: str = ""

    @property
    def because_zh(self) -> str:
        if self.decision is Decision.REJECT:
            return f"不予受理：{self.reject_reason}"
        if self.decision is Decision.CORRECTION_REQUIRED:
            return "缺少要件：" + "、".join(item.name for item in self.missing)
        if self.decision is Decision.ACCEPT_WITH_TOLERANCE:
            return "容缺材料：" + "、".join(item.name for item in self.tolerated)
        return "要件齐全"

    @property
    def because_en(self) -> str:
        if self.decision is Decision.REJECT:
            return f"rejected: {self.reject_reason}"
        if self.decision is Decision.CORRECTION_REQUIRED:
            return "key items missing: " + ", ".join(item.name for item in self.missing)
        if self.decision is Decision.ACCEPT_WITH_TOLERANCE:
            return "tolerated: " + ", ".join(item.name for item in self.tolerated)
        return "every key item present"


def _owed(checklist: Checklist) -> tuple[ChecklistItem, ...]:
    return tuple(
        i
        for i in checklist.items
        if i.mark is MaterialMark.TOLERATED or (i.tolerable and i.mark is MaterialMark.MISSING)
    )


def decide(checklist: Checklist, *, reject_reason: str | None = None) -> Outcome:
    """The decision for these marks. ``reject_reason`` (non-empty) asks for 不予受理."""
    if reject_reason is not None:
        if not reject_reason.strip():
            raise RejectWithoutReason()
        return Outcome(Decision.REJECT, reject_reason=reject_reason.strip())
    unmarked = checklist.unmarked
    if unmarked:
        raise DecisionIncomplete(unmarked)
    missing = tuple(i for i in checklist.items if i.key_item and i.mark is MaterialMark.MISSING)
    tolerated = _owed(checklist)
    if missing:
        return Outcome(Decision.CORRECTION_REQUIRED, missing=missing, tolerated=tolerated)
    if tolerated:
        return Outcome(Decision.ACCEPT_WITH_TOLERANCE, tolerated=tolerated)
    return Outcome(Decision.ACCEPT)


def preview(checklist: Checklist) -> Outcome | None:
    """The decision the marks so far point to, for the live preview; None while any is unmarked
    and no key item is missing yet (a missing key item decides already)."""
    missing = tuple(i for i in checklist.items if i.key_item and i.mark is MaterialMark.MISSING)
    if missing:
        return Outcome(Decision.CORRECTION_REQUIRED, missing=missing, tolerated=_owed(checklist))
    if checklist.unmarked:
        return None
    return decide(checklist)
