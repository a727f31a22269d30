"""过号 in words: one rule (the TOML's ``[queue] no_show_rule``), one wording, everywhere.

The ticket's paper, the hall display's ticker, the kiosk's footer and the counter's message after
a skip all say what :func:`QueueService.skip <common.queue.service.QueueService.skip>` really
does, because they all take their words from here: with ``requeue`` the citizen is put back in
the queue behind the next few (up to ``max_requeues`` times) and must *not* take a new number;
with ``drop`` (or once the re-queues are used up) the number ends and the citizen takes a new
one at the kiosk.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.config import QueueSettings, Settings

__all__ = ["Words", "hall_notices", "is_no_show_line", "no_show_notice", "skip_outcome"]

_MARK = "过号"


@dataclass(frozen=True)
class Words:
    """One message in both UI languages."""

    zh: str
    en: str

    def text(self, english: bool) -> str:
        return self.en if english else self.zh


def _times_zh(n: int) -> str:
    return "一次" if n == 1 else f"{n}次"


def no_show_notice(rule: QueueSettings) -> Words:
    """What a citizen is told in advance (ticket, display, kiosk) about missing their call."""
    if rule.no_show_rule == "requeue" and rule.max_requeues > 0:
        where_zh = f"顺延{rule.requeue_after}位" if rule.requeue_after else "按原顺序"
        where_en = (
            f"behind the next {rule.requeue_after}" if rule.requeue_after else "at its old place"
        )
        times_en = "once" if rule.max_requeues == 1 else f"up to {rule.max_requeues} times"
        return Words(
            f"过号{where_zh}重新排队，限{_times_zh(rule.max_requeues)}，无需重新取号；再次过号请到取号机重新取号",
            f"Missed your call? Your number goes back in the queue {where_en} ({times_en}); "
            "no new ticket needed. Miss it again and take a new number at the kiosk.",
        )
    return Words(
        "过号作废，请到取号机重新取号",
        "A missed number is cancelled; please take a new number at the kiosk.",
    )


def skip_outcome(rule: QueueSettings, number: str, *, requeued: bool) -> Words:
    """What the counter says after 过号 on ``number`` (``requeued``: the queue put it back)."""
    if requeued:
        where_zh = (
            f"已顺延{rule.requeue_after}位重新排队" if rule.requeue_after else "已按原顺序重新排队"
        )
        where_en = (
            f"back in the queue behind the next {rule.requeue_after}"
            if rule.requeue_after
            else "back in the queue at its old place"
        )
        return Words(
            f"{number} 未到，{where_zh}，无需重新取号。",
            f"{number} did not come; {where_en} (no new ticket needed).",
        )
    return Words(
        f"{number} 未到，已作过号处理，须到取号机重新取号。",
        f"{number} did not come; marked as no-show (a new number is needed).",
    )


def is_no_show_line(line: str) -> bool:
    """Whether a configured notice line is about 过号 (it is replaced by the rule's words)."""
    return _MARK in line


def hall_notices(settings: Settings, lines: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The notice lines to show or print: ``lines`` (default ``[hall] notice``) with the 过号
    line taken from the rule — in place of any 过号 line the hall wrote itself, so the citizen
    never reads two rules — or added at the end."""
    own = settings.hall.notice if lines is None else lines
    rule_line = no_show_notice(settings.queue).zh
    out: list[str] = []
    for line in own:
        if is_no_show_line(line):
            if rule_line not in out:
                out.append(rule_line)
        else:
            out.append(line)
    if rule_line not in out:
        out.append(rule_line)
    return tuple(out)
