"""find_service / general_service: one answer to "which service is the general queue"."""

from __future__ import annotations

from dataclasses import dataclass

from common.config import settings_from_dict
from common.queue.lookup import find_service, general_service


@dataclass(frozen=True)
class _Row:
    prefix: str
    general: bool = False


ROWS = [_Row("B"), _Row("A", general=True), _Row("C")]


def test_none_means_the_general_queue() -> None:
    assert find_service(ROWS, None) == general_service(ROWS) == _Row("A", general=True)


def test_a_prefix_finds_its_service_general_or_not() -> None:
    assert find_service(ROWS, "C") == _Row("C")
    assert find_service(ROWS, "A") == _Row("A", general=True)
    assert find_service(ROWS, "Z") is None


def test_no_general_queue() -> None:
    rows = [_Row("B")]
    assert general_service(rows) is None and find_service(rows, None) is None


def test_works_on_the_hall_settings() -> None:
    settings = settings_from_dict({})
    general = general_service(settings.services)
    assert general is not None and general.general
    assert find_service(settings.services, general.prefix) is general
