"""Stations of the hall: counter windows (with the weights of the services they serve and the
claim of the member of staff logged in there) and the last known state of each PC's devices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db.models.base import Base

__all__ = ["DeviceStatus", "Window", "WindowService", "WindowServiceDay"]


class Window(Base):
    """A counter window (窗口) and its state."""

    __tablename__ = "window"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(32), default="")
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_reason: Mapped[str] = mapped_column(String(64), default="")
    # Who holds the window (common.staff.claim_window): the claim is live while its heartbeat is
    # recent, so a counter that crashed frees its window after a few minutes.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    staff_station: Mapped[str] = mapped_column(String(32), default="", server_default="")
    staff_heartbeat: Mapped[dt.datetime | None] = mapped_column(default=None)
    services: Mapped[list[WindowService]] = relationship(
        back_populates="window", cascade="all, delete-orphan", lazy="selectin"
    )


class WindowService(Base):
    """A service a window serves, with its weight (板块 3, 全科 2, AB 岗 1 …)."""

    __tablename__ = "window_service"

    window_id: Mapped[int] = mapped_column(
        ForeignKey("window.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    weight: Mapped[int] = mapped_column(Integer, default=1)
    window: Mapped[Window] = relationship(back_populates="services")


class WindowServiceDay(Base):
    """A window's services for one hall day only (调整窗口业务, common.manager.actions).

    When a window has rows for today they replace its configured :class:`WindowService` rows;
    the next day has none, so the configured services come back without anyone undoing them.
    """

    __tablename__ = "window_service_day"

    window_id: Mapped[int] = mapped_column(
        ForeignKey("window.id", ondelete="CASCADE"), primary_key=True
    )
    hall_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    weight: Mapped[int] = mapped_column(Integer, default=1)


class DeviceStatus(Base):
    """Last known state of a device (printer, reader) per PC, for the hall manager."""

    __tablename__ = "device_status"
    __table_args__ = (UniqueConstraint("station", "device", name="uq_device_status_station"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(24))
    message: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column()
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False)
