"""The words of intake: material marks, decisions, case states, case actions, clock stops.

Kinds are types (issue 9): every decision in the code compares these enums, never display
text. Each member carries its Chinese label (what counters, receipts and the kiosk show) and an
English one; the values are the stored strings and never change once written to a database.
The national state codes of DOMAIN.md (已受理, 补正（开始/结束）, 特别程序（开始/结束）, 办结 …) are
on :class:`CaseAction` as ``state_code`` for the exchange data.
"""

from __future__ import annotations

import enum

__all__ = [
    "CaseAction",
    "CaseState",
    "ClockStopKind",
    "Decision",
    "MaterialMark",
]


class MaterialMark(enum.StrEnum):
    """How a checklist item was handled at intake (the staff's tick)."""

    RECEIVED = "received"  # 已收取
    TOLERATED = "tolerated"  # 容缺，限期补齐
    SHARED = "shared"  # 共享免提交 (ID card read, e-certificate, another department's data)
    MISSING = "missing"  # 缺少
    NOT_APPLICABLE = "not_applicable"  # 不适用 (only where the matter says when)

    @property
    def label(self) -> str:
        return _MARK_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _MARK_LABELS[self][1]


_MARK_LABELS = {
    MaterialMark.RECEIVED: ("已收取", "received"),
    MaterialMark.TOLERATED: ("容缺后补", "tolerated, to follow"),
    MaterialMark.SHARED: ("共享免交", "shared data"),
    MaterialMark.MISSING: ("缺少", "missing"),
    MaterialMark.NOT_APPLICABLE: ("不适用", "not applicable"),
}


class Decision(enum.StrEnum):
    """What the marks decide at the window (受理 / 容缺受理 / 一次性告知 / 不予受理)."""

    ACCEPT = "accept"
    ACCEPT_WITH_TOLERANCE = "accept_with_tolerance"
    CORRECTION_REQUIRED = "correction_required"
    REJECT = "reject"

    @property
    def label(self) -> str:
        return _DECISION_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _DECISION_LABELS[self][1]


_DECISION_LABELS = {
    Decision.ACCEPT: ("受理", "accept"),
    Decision.ACCEPT_WITH_TOLERANCE: ("容缺受理", "accept with tolerance"),
    Decision.CORRECTION_REQUIRED: ("一次性告知", "one-time correction notice"),
    Decision.REJECT: ("不予受理", "reject"),
}


class CaseState(enum.StrEnum):
    """A case's state (DESIGN.md "Case states", plus the clock stops and resubmission)."""

    DRAFT = "draft"
    ACCEPTED = "accepted"
    ACCEPTED_WITH_TOLERANCE = "accepted_with_tolerance"
    CORRECTION_REQUIRED = "correction_required"
    REJECTED = "rejected"
    IN_REVIEW = "in_review"
    # The promised-date clock is stopped (补正 during review, or a 特别程序); see ClockStopKind.
    SUSPENDED = "suspended"
    APPROVED = "approved"
    DENIED = "denied"
    READY_FOR_DELIVERY = "ready_for_delivery"
    DELIVERED = "delivered"
    WITHDRAWN = "withdrawn"
    # A correction notice answered by a new, linked case (补正后重新提交).
    RESUBMITTED = "resubmitted"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _STATE_LABELS[self][1]

    @property
    def is_open(self) -> bool:
        """Still running: may be withdrawn, counts for 电子监察."""
        return self in _OPEN

    @property
    def is_final(self) -> bool:
        return self in _FINAL

    @property
    def clock_runs(self) -> bool:
        """The promised date applies (accepted and not decided, clock not stopped)."""
        return self in _CLOCK_RUNS


_STATE_LABELS = {
    CaseState.DRAFT: ("草稿", "draft"),
    CaseState.ACCEPTED: ("已受理", "accepted"),
    CaseState.ACCEPTED_WITH_TOLERANCE: ("容缺受理", "accepted with tolerance"),
    CaseState.CORRECTION_REQUIRED: ("待补正", "correction required"),
    CaseState.REJECTED: ("不予受理", "rejected"),
    CaseState.IN_REVIEW: ("审批中", "in review"),
    CaseState.SUSPENDED: ("暂停计时", "clock stopped"),
    CaseState.APPROVED: ("审批通过", "approved"),
    CaseState.DENIED: ("不予许可", "denied"),
    CaseState.READY_FOR_DELIVERY: ("待出件", "ready for delivery"),
    CaseState.DELIVERED: ("已出件", "delivered"),
    CaseState.WITHDRAWN: ("已撤回", "withdrawn"),
    CaseState.RESUBMITTED: ("已重新提交", "resubmitted"),
}
_OPEN = frozenset(
    {
        CaseState.DRAFT,
        CaseState.ACCEPTED,
        CaseState.ACCEPTED_WITH_TOLERANCE,
        CaseState.CORRECTION_REQUIRED,
        CaseState.IN_REVIEW,
        CaseState.SUSPENDED,
    }
)
_FINAL = frozenset(
    {
        CaseState.REJECTED,
        CaseState.DENIED,
        CaseState.DELIVERED,
        CaseState.WITHDRAWN,
        CaseState.RESUBMITTED,
    }
)
_CLOCK_RUNS = frozenset(
    {CaseState.ACCEPTED, CaseState.ACCEPTED_WITH_TOLERANCE, CaseState.IN_REVIEW}
)


class ClockStopKind(enum.StrEnum):
    """Why the promised-date clock stopped: 补正 during review, or a 特别程序."""

    CORRECTION = "correction"  # 补正
    HEARING = "hearing"  # 听证
    EXPERT_REVIEW = "expert_review"  # 专家评审
    INSPECTION = "inspection"  # 现场勘查
    PUBLIC_NOTICE = "public_notice"  # 公示

    @property
    def label(self) -> str:
        return {
            ClockStopKind.CORRECTION: "补正",
            ClockStopKind.HEARING: "听证",
            ClockStopKind.EXPERT_REVIEW: "专家评审",
            ClockStopKind.INSPECTION: "现场勘查",
            ClockStopKind.PUBLIC_NOTICE: "公示",
        }[self]

    @property
    def is_special_procedure(self) -> bool:
        """特别程序 (as opposed to 补正); the state codes name them apart."""
        return self is not ClockStopKind.CORRECTION


class CaseAction(enum.StrEnum):
    """What can happen to a case; each is one recorded transition."""

    ACCEPT = "accept"
    ACCEPT_WITH_TOLERANCE = "accept_with_tolerance"
    REQUIRE_CORRECTION = "require_correction"
    REJECT = "reject"
    RESUBMIT = "resubmit"  # a correction notice answered: a new linked case takes over
    SUPPLEMENT = "supplement"  # 补齐 tolerated items (all of them → accepted)
    START_REVIEW = "start_review"
    STOP_CLOCK = "stop_clock"  # 补正开始 / 特别程序开始
    RESTART_CLOCK = "restart_clock"  # 补正结束 / 特别程序结束
    APPROVE = "approve"
    DENY = "deny"
    MARK_READY = "mark_ready"
    DELIVER = "deliver"  # at the window, by mail, or electronically
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]

    def state_code(self, stop: ClockStopKind | None = None) -> str:
        """The provincial state code (DOMAIN.md) this action reports upward."""
        if self is CaseAction.STOP_CLOCK:
            return "补正（开始）" if stop is ClockStopKind.CORRECTION else "特别程序（开始）"
        if self is CaseAction.RESTART_CLOCK:
            return "补正（结束）" if stop is ClockStopKind.CORRECTION else "特别程序（结束）"
        return _STATE_CODES[self]


_ACTION_LABELS = {
    CaseAction.ACCEPT: "受理",
    CaseAction.ACCEPT_WITH_TOLERANCE: "容缺受理",
    CaseAction.REQUIRE_CORRECTION: "一次性告知",
    CaseAction.REJECT: "不予受理",
    CaseAction.RESUBMIT: "补正后重新提交",
    CaseAction.SUPPLEMENT: "补齐容缺材料",
    CaseAction.START_REVIEW: "部门开始办理",
    CaseAction.STOP_CLOCK: "暂停计时",
    CaseAction.RESTART_CLOCK: "恢复计时",
    CaseAction.APPROVE: "审批通过",
    CaseAction.DENY: "不予许可",
    CaseAction.MARK_READY: "待出件",
    CaseAction.DELIVER: "出件",
    CaseAction.WITHDRAW: "撤回",
}
_STATE_CODES = {
    CaseAction.ACCEPT: "已受理",
    CaseAction.ACCEPT_WITH_TOLERANCE: "已受理",
    CaseAction.REQUIRE_CORRECTION: "补正（开始）",
    CaseAction.REJECT: "不予受理",
    CaseAction.RESUBMIT: "补正（结束）",
    CaseAction.SUPPLEMENT: "容缺补齐",
    CaseAction.START_REVIEW: "部门开始办理",
    CaseAction.APPROVE: "办结（通过）",
    CaseAction.DENY: "办结（不通过）",
    CaseAction.MARK_READY: "待出件",
    CaseAction.DELIVER: "已出件",
    CaseAction.WITHDRAW: "撤回",
}
