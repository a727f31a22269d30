"""fill(): the one way values go into a tr(...) string."""

from __future__ import annotations

from common.qt.i18n import fill


def test_markers_take_the_values_in_order() -> None:
    assert fill("Printer: %1 · jobs waiting: %2", "EPSON", 3) == "Printer: EPSON · jobs waiting: 3"


def test_a_translation_may_reorder_the_markers() -> None:
    assert fill("等候 %2 分钟，前面 %1 人", 4, 12) == "等候 12 分钟，前面 4 人"


def test_a_value_holding_a_marker_is_not_replaced_again() -> None:
    # The chained .replace("%1", …).replace("%2", …) it replaced turned this into "Printer: 3 …".
    assert fill("Printer: %1 · jobs waiting: %2", "%2", 3) == "Printer: %2 · jobs waiting: 3"


def test_a_marker_without_a_value_stays_and_percent_n_is_left_to_tr() -> None:
    assert fill("%1 of %2 (%n)", 5) == "5 of %2 (%n)"
    assert fill("Window %10", *range(1, 11)) == "Window 10"
