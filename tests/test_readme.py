"""The README holds for a newcomer with only this repository (issue 15): it starts with the two
commands, points at nothing outside the repository, does not call version ranges "pinned", says
where logs and demo data live (the folder platformdirs really gives) and that every install of a
user shares it, and tells how the committed screenshots are made."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_it_starts_with_the_two_commands() -> None:
    lines = [line for line in README.splitlines() if line.strip()]
    assert lines[1] == "```sh"
    assert lines[2].startswith("./scripts/demo ") and lines[3].startswith("./scripts/test ")
    assert lines[4] == "```"


def test_no_pointer_leaves_the_repository() -> None:
    assert "../" not in README
    assert not re.search(r"(?<![\w.])/work/|/shared/", README)
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if "://" not in target:
            assert (ROOT / target).exists(), target
    for path in re.findall(r"`((?:docs|scripts|common|kiosk|counter|bench)/[\w./-]+)`", README):
        assert (ROOT / path.rstrip("/")).exists(), path
    design = ROOT / "docs" / "DESIGN.md"
    assert "docs/DESIGN.md" in README and design.exists()
    assert "../" not in design.read_text(encoding="utf-8")


def test_ranges_are_not_called_pinned() -> None:
    setup = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    exact = re.findall(r"^\s+[\w.-]+(?:\[[\w,]+\])?==", setup, re.MULTILINE)
    if not exact:
        for sentence in re.split(r"(?<=[.;])\s", README):
            if "pinned" in sentence:
                assert "not pinned" in sentence or "nothing is pinned" in sentence, sentence


def test_it_says_where_logs_and_demo_data_live_and_that_installs_share_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from common import config

    monkeypatch.delenv("ONEWINDOW_DATA_DIR", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", "/home/you")
    if sys.platform.startswith("linux"):
        # The folder the code really uses, written as the README writes it.
        assert str(config.data_dir()) == "/home/you/.local/share/onewindow"
    assert "~/.local/share/onewindow/" in README
    # platformdirs on Windows, roaming off and no author folder: %LOCALAPPDATA%\<app name>.
    assert config.APP_NAME == "onewindow"
    assert "%LOCALAPPDATA%\\onewindow\\" in README
    assert "logs/" in README and "demo/" in README
    assert "every install" in README.lower() and "ONEWINDOW_DATA_DIR" in README


def test_it_tells_how_the_screenshots_are_made() -> None:
    for command in (
        "python -m kiosk.screenshots",
        "docs/screenshots/counter/make_screenshots.py",
        "docs/screenshots/display/make_screenshots.py",
    ):
        assert command in README, command
    assert "demo hall" in README
