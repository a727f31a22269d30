"""python-escpos's parsed capabilities, cached so that any number of programs can start at once.

python-escpos parses its ~100 kB capabilities file (with a YAML parser: about a second on a
kiosk PC) when ``escpos.capabilities`` is first imported, and pickles the result into
``$ESCPOS_CAPABILITIES_PICKLE_DIR`` (a fresh temporary folder, left behind, when unset). When
the capabilities file is newer than the pickle — after every install or upgrade — it rewrites
that pickle *in place*; a second program importing it at the same moment reads a half-written
file and dies with ``EOFError: Ran out of input``. A kiosk and a counter booting together on
one PC did exactly that.

So python-escpos never gets a folder another program reads (docs/DECISIONS.md, "escpos
capability cache"):

* the shared cache ``<data>/cache/escpos`` holds one pickle per *key* — python-escpos's
  version, the Python version, and the capabilities file's path, size and modification time —
  and is only ever written by :func:`os.replace` of a complete file (atomic on Windows and
  POSIX), so a reader sees the old file, the new file or none, never half of one;
* each start copies the published pickle into a folder private to the process and points
  python-escpos there; whatever python-escpos decides to rewrite, it rewrites its own copy;
* when nothing was published for the key yet, python-escpos builds the pickle in the private
  folder and the process publishes it. Several programs may build at once; each publishes a
  whole file and the last rename wins.

The environment variable is restored after the import, so child programs (the demo starts
the apps) do not inherit a folder that is about to be deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

__all__ = ["PICKLE_DIR_VARIABLE", "cache_key", "capabilities_file", "load_escpos_capabilities"]

PICKLE_DIR_VARIABLE = "ESCPOS_CAPABILITIES_PICKLE_DIR"
_FILE_VARIABLE = "ESCPOS_CAPABILITIES_FILE"
# Private folders of programs that crashed mid-import are removed after a day; pickles no
# program has used for a month (an old version's) after that long. Another install of the same
# user (another venv, another Python) has its own key, and both must keep their cache.
_STALE_FOLDER_SECONDS = 24 * 3600
_STALE_PICKLE_SECONDS = 30 * 24 * 3600


def capabilities_file() -> Path | None:
    """The capabilities file python-escpos will read (found without importing escpos)."""
    override = os.environ.get(_FILE_VARIABLE)
    if override:
        return Path(override)
    spec = importlib.util.find_spec("escpos")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"


def cache_key(capabilities: Path) -> str:
    """Changes whenever python-escpos would consider its pickle out of date (or incompatible)."""
    st = capabilities.stat()
    try:
        version = importlib.metadata.version("python-escpos")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    text = "|".join(
        (
            version,
            platform.python_version(),
            str(capabilities.resolve()),
            str(st.st_size),
            str(st.st_mtime_ns),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _prune(folder: Path, keep: str) -> None:
    """Best effort: pickles unused for a month and crashed programs' private folders."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            with contextlib.suppress(OSError):
                age = now - entry.stat().st_mtime
                if entry.suffix == ".pickle" and entry.name != keep and age > _STALE_PICKLE_SECONDS:
                    # A program that still uses that key simply builds it again.
                    entry.unlink()
                elif entry.is_dir() and age > _STALE_FOLDER_SECONDS:
                    shutil.rmtree(entry, ignore_errors=True)


def load_escpos_capabilities(cache_root: Path) -> None:
    """Import ``escpos.capabilities`` safely, with its parsed data cached under ``cache_root``.

    Does nothing when the user set ``ESCPOS_CAPABILITIES_PICKLE_DIR`` (their folder, their
    rules) or escpos is already imported. A read-only data folder only costs start-up time.
    """
    import sys

    if PICKLE_DIR_VARIABLE in os.environ or "escpos.capabilities" in sys.modules:
        return
    capabilities = capabilities_file()
    try:
        if capabilities is None:
            raise OSError("python-escpos not found")
        key = cache_key(capabilities)
        cache_root.mkdir(parents=True, exist_ok=True)
        private = Path(tempfile.mkdtemp(prefix="run-", dir=cache_root))
    except OSError:
        return  # escpos then parses into a temporary folder of its own: slow, but safe
    published = cache_root / f"{key}.pickle"
    # python-escpos's own file name; it reads and writes only this one in the folder we give it.
    mine = private / f"{platform.python_version()}.capabilities.pickle"
    copied = False
    try:
        shutil.copyfile(published, mine)
        copied = True
        with contextlib.suppress(OSError):
            os.utime(published)  # in use: kept by _prune
        # python-escpos rebuilds when the capabilities file is newer than the pickle: keep the
        # copy newer even for a capabilities file dated in the future.
        cap_ns = capabilities.stat().st_mtime_ns
        if mine.stat().st_mtime_ns <= cap_ns:
            os.utime(mine, ns=(cap_ns + 2_000_000_000, cap_ns + 2_000_000_000))
    except OSError:
        pass  # not published yet (or unreadable): python-escpos builds into `private`
    os.environ[PICKLE_DIR_VARIABLE] = str(private)
    # python-escpos calls mkdtemp() even when told where its folder is, and never removes what
    # it made: one empty folder in %TEMP% per start. Let it make that inside `private`. (Start-up
    # imports this on the main thread before any worker thread uses tempfile.)
    saved_tempdir, tempfile.tempdir = tempfile.tempdir, str(private)
    try:
        import escpos.capabilities  # noqa: F401  (reads or builds the pickle in `private`)
    finally:
        tempfile.tempdir = saved_tempdir
        del os.environ[PICKLE_DIR_VARIABLE]
    try:
        if not copied and mine.exists():
            # Complete by now; on Windows the rename fails while another program copies the
            # file it would replace — that program's file is as good as ours.
            os.replace(mine, published)
            _prune(cache_root, keep=published.name)
    except OSError:
        pass
    shutil.rmtree(private, ignore_errors=True)
