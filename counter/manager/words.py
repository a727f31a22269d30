"""Both languages of the manager's desk, and the small formats its figures share."""

from __future__ import annotations

import datetime as dt

from counter.intake.words import t

__all__ = ["duration", "minutes", "percent", "t"]


def minutes(seconds: float | None, english: bool) -> str:
    """A wait or service time: "12 分钟" / "12 min"; "—" when there is nothing to show."""
    if seconds is None:
        return "—"
    value = round(seconds / 60)
    return t(english, f"{value} 分钟", f"{value} min")


def duration(since: dt.datetime | None, now: dt.datetime, english: bool) -> str:
    """How long since a moment, in whole minutes ("—" for none)."""
    if since is None:
        return "—"
    return minutes(max(0.0, (now - since).total_seconds()), english)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
