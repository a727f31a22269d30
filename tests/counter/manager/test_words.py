"""The desk's spans read in minutes, hours or days."""

from __future__ import annotations

from counter.manager.words import minutes, percent


def test_spans() -> None:
    assert minutes(None, False) == "—"
    assert minutes(29, False) == "0 分钟"
    assert minutes(90 * 60, True) == "90 min"
    assert minutes(3 * 3600, False) == "3 小时"
    assert minutes(45 * 86400, True) == "45 days"
    assert percent(None) == "—" and percent(0.8937) == "89.4%"
