"""Suite-wide fixtures. Qt must be told to run offscreen before anything imports it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data folder and no hall.toml, so nothing touches the user's files."""
    base = tmp_path_factory.mktemp("ow")
    monkeypatch.setenv("ONEWINDOW_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("ONEWINDOW_CONFIG", str(base / "missing-hall.toml"))
    yield base
