"""Find a service by prefix, or the general queue (一键取号), in settings or in status rows.

The one implementation of "which service is the general queue": the hall file marks it with
``general = true`` (config validation keeps it to one), and a kiosk, the issuer and the home
screen all ask the same question of different rows (``ServiceSettings``, ``ServiceStatus``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

__all__ = ["find_service", "general_service"]


class _Service(Protocol):
    @property
    def prefix(self) -> str: ...

    @property
    def general(self) -> bool: ...


S = TypeVar("S", bound=_Service)


def general_service(services: Iterable[S]) -> S | None:
    """The general queue among ``services`` (the first marked general), or None."""
    return next((s for s in services if s.general), None)


def find_service(services: Iterable[S], prefix: str | None) -> S | None:
    """The service with ``prefix``; ``prefix=None`` means the general queue."""
    if prefix is None:
        return general_service(services)
    return next((s for s in services if s.prefix == prefix), None)
