"""Whether the hall database works for this counter, from what its calls reported (no Qt).

Reads and writes are tracked apart because they fail apart: a read-only or vanished SQLite
file, or a PostgreSQL standby, still answers the refresh after an action failed to write.
Letting any successful read turn the indicator green again is what showed "数据库：已连接"
while every action failed; a failed write keeps it red until a write succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DatabaseHealth"]


@dataclass
class DatabaseHealth:
    """The status bar's database indicator, as state: ``reachable`` and why not (``detail``)."""

    read_error: str = ""
    write_error: str = ""

    @property
    def reachable(self) -> bool:
        return not (self.read_error or self.write_error)

    @property
    def detail(self) -> str:
        return self.write_error or self.read_error

    def read_ok(self) -> None:
        self.read_error = ""

    def read_failed(self, detail: str) -> None:
        self.read_error = detail or "read failed"

    def write_ok(self) -> None:
        # A write needs a working connection too: both are fine again.
        self.read_error = self.write_error = ""

    def write_failed(self, detail: str) -> None:
        self.write_error = detail or "write failed"
