"""Typed queue errors, each with a message for the citizen or clerk in Chinese and English.

Callers decide on the type (and on :attr:`ServiceClosed.reason`), never on the message text.
"""

from __future__ import annotations

from common.queue.policy import FULL_EN, FULL_ZH, ClosedReason


class QueueError(Exception):
    """Base of every refusal the queue service gives; nothing was written when it is raised."""

    code = "queue-error"
    zh = "排队操作失败"
    en = "Queue operation failed"

    def __init__(self, detail: str = "", *, zh: str | None = None, en: str | None = None) -> None:
        self.message_zh = zh or self.zh
        self.message_en = en or self.en
        super().__init__(f"{self.message_en}{': ' + detail if detail else ''}")
        self.detail = detail


class UnknownService(QueueError):
    code = "unknown-service"
    zh = "没有这项业务"
    en = "No such service"


class UnknownWindow(QueueError):
    code = "unknown-window"
    zh = "没有这个窗口"
    en = "No such window"


class ServiceClosed(QueueError):
    """Outside opening hours or not a working day; ``reason`` says which."""

    code = "closed"
    zh = "该业务当前不在办理时间"
    en = "This service is closed now"

    def __init__(
        self,
        detail: str = "",
        *,
        reason: ClosedReason = ClosedReason.CLOSED_FOR_TODAY,
        zh: str | None = None,
        en: str | None = None,
    ) -> None:
        super().__init__(detail, zh=zh, en=en)
        self.reason = reason


class DailyCapReached(QueueError):
    """Every number of the service's day is issued (its ``reason`` is ``ClosedReason.FULL``)."""

    code = "daily-cap"
    zh = FULL_ZH
    en = FULL_EN
    reason = ClosedReason.FULL


class IdCardRequired(QueueError):
    code = "id-card-required"
    zh = "办理该业务需要刷身份证取号"
    en = "Please place your ID card on the reader for this service"


class PerIdLimitReached(QueueError):
    code = "per-id-limit"
    zh = "您今天在该业务的取号次数已达上限"
    en = "You have taken the maximum number of tickets for this service today"


class WindowPaused(QueueError):
    code = "window-paused"
    zh = "窗口已暂停服务，请先恢复"
    en = "This window is paused; resume it first"


class NoCurrentTicket(QueueError):
    code = "no-current-ticket"
    zh = "窗口当前没有正在办理的号"
    en = "This window is not serving a ticket"


class IllegalTransfer(QueueError):
    code = "illegal-transfer"
    zh = "不能转到该业务"
    en = "Cannot transfer to that service"
