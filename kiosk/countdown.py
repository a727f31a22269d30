"""The idle countdown that check-in, 证照打印 and the self-service pages share.

Each of those flows keeps its own frozen state (with ``active``, ``screen`` and
``seconds_left``) and its own ports; what they had written three times is the arithmetic around
one deadline: when the page goes back to the kiosk's home, and the whole seconds shown until
then. :class:`CountdownFlow` holds that; a flow says how to draw its state (:meth:`_show`) and
how long a page waits by default (:attr:`_idle_seconds`).
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

__all__ = ["CountdownFlow"]


class _CountingState(Protocol):
    """What the countdown needs of a flow's state: a frozen dataclass that shows seconds left."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @property
    def active(self) -> bool: ...

    @property
    def seconds_left(self) -> int: ...


S = TypeVar("S", bound=_CountingState)


class CountdownFlow(abc.ABC, Generic[S]):
    """A self-service flow's state, its one idle deadline and the countdown drawn from it.

    Subclasses set ``state``, ``_clock`` and ``_deadline`` (None: no time-out, e.g. while a
    request is out and its answer decides the next one) in their ``__init__``.
    """

    state: S
    _clock: Callable[[], float]
    _deadline: float | None

    @property
    @abc.abstractmethod
    def _idle_seconds(self) -> float:
        """How long a page waits for a touch before going home."""

    @abc.abstractmethod
    def _show(self) -> None:
        """Hand ``state`` to the flow's ports to be drawn."""

    def _set(self, **changes: object) -> None:
        self.state = dataclasses.replace(self.state, **changes)
        self._update_countdown()
        self._show()

    def _update_countdown(self) -> None:
        left = 0 if self._deadline is None else max(0, round(self._deadline - self._clock()))
        if left != self.state.seconds_left:
            self.state = dataclasses.replace(self.state, seconds_left=left)

    def _idle(self, seconds: float | None = None) -> None:
        self._deadline = self._clock() + (self._idle_seconds if seconds is None else seconds)

    def _keep_open(self, seconds: float) -> None:
        """A touch: at least ``seconds`` more, never less than the page had left."""
        if self._deadline is None or not self.state.active:
            return
        self._deadline = max(self._deadline, self._clock() + seconds)
        self._update_countdown()

    def _idle_over(self, now: float) -> bool:
        return self._deadline is not None and now >= self._deadline

    def _redraw_countdown(self) -> None:
        """Redraw only when the whole second shown changed (a tick comes several times a
        second; redrawing every page each time would be wasted work on a kiosk PC).
        """
        left = self.state.seconds_left
        self._update_countdown()
        if left != self.state.seconds_left:
            self._show()
