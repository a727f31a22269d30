"""Helpers that break a SQLite hall file the way halls do: read-only, damaged, replaced."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SUFFIXES = ("", "-wal", "-shm", "-journal")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> set[str]:
    """The hall file and whatever SQLite made beside it (-wal, -shm, -journal)."""
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name)}


def backup(path: Path, to: Path) -> None:
    """A consistent copy of a live WAL database, as a hall's backup job makes it."""
    src, dst = sqlite3.connect(path), sqlite3.connect(to)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def delete_and_restore(path: Path, copy: Path) -> None:
    """``rm hall.db*`` and then copy the backup back, while programs have the old file open."""
    for suffix in SUFFIXES:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
    shutil.copyfile(copy, path)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder read-only for this process, then writable again.

    Root ignores permission bits, and the suite runs as root on the build machine, so as root
    this sets the immutable attribute (``chattr +i``: refused even to root, like a read-only
    share); as anyone else it clears the write bits. Skips where neither is possible.
    """
    if os.name != "posix":
        pytest.skip("read-only files and folders are POSIX here (Windows folders ignore the flag)")
    if _is_root():
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a file read-only for root")
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(
                f"chattr +i not permitted here: {done.stderr.decode(errors='replace').strip()}"
            )
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield
    finally:
        path.chmod(mode)
