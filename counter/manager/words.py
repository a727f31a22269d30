"""Both languages of the manager's desk, and the small formats its figures share."""

from __future__ import annotations

import datetime as dt

from counter.intake.words import t

__all__ = ["duration", "minutes", "percent", "t"]


def minutes(seconds: float | None, english: bool) -> str:
    """A span: "12 分钟" / "12 min" up to two hours, then hours, then days ("—" for none).

    Waits and service times read in minutes; an outbox row days old must not read "64800 min".
    """
    if seconds is None:
        return "—"
    mins = round(seconds / 60)
    if mins < 120:
        return t(english, f"{mins} 分钟", f"{mins} min")
    hours = round(seconds / 3600)
    if hours < 48:
        return t(english, f"{hours} 小时", f"{hours} h")
    days = round(seconds / 86400)
    return t(english, f"{days} 天", f"{days} days")


def duration(since: dt.datetime | None, now: dt.datetime, english: bool) -> str:
    """How long since a moment, in whole minutes ("—" for none)."""
    if since is None:
        return "—"
    return minutes(max(0.0, (now - since).total_seconds()), english)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
