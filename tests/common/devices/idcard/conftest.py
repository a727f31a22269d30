"""Fixtures for the ID card reader tests: simulators on real ptys.

tests/conftest.py checks that no thread is left running.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from common.devices.idcard.simulator import ReaderSimulator

if sys.platform == "win32":  # the simulator needs a pty; the driver itself is portable
    collect_ignore_glob = ["test_idcard_reader_pty.py", "test_idcard_cli.py"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # pyproject declares "slow" as "excluded unless -m slow"; enforce that for our tests.
    if "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords and "idcard" in str(item.path):
            item.add_marker(skip)


@pytest.fixture
def sim_factory(tmp_path: Path) -> Iterator[Callable[..., ReaderSimulator]]:
    from common.devices.idcard.simulator import ReaderSimulator

    started: list[ReaderSimulator] = []

    def make(*, pace: bool = True, link_path: Path | None = None) -> ReaderSimulator:
        sim = ReaderSimulator(link_path=link_path or tmp_path / "reader", pace=pace)
        sim.start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()
