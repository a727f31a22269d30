"""Qt translations: Chinese by default, English switchable at run time.

Source strings in the code are English (Qt's convention, so lupdate/linguist work as usual);
``resources/translations/<domain>_zh_CN.ts`` carries the Chinese. The .ts files are compiled to
.qm by ``scripts/build_translations.py`` as part of setting up, and, should a .qm be missing or
older than its .ts (a fresh checkout run in place), compiled on first use into the data folder.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from common.config import data_dir

log = logging.getLogger(__name__)

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
LANGUAGES = ("zh_CN", "en")


_PLACE = re.compile(r"%([1-9][0-9]?)")


def fill(text: str, *values: object) -> str:
    """A translated ``text`` with ``%1``, ``%2`` … replaced by ``values``, like ``QString.arg``.

    The one way to put values into a ``tr(...)`` string: ``fill(tr("Window %1"), number)``. The
    numbered markers let a translation reorder them. It is one pass, so a value that itself
    holds ``%2`` (a station name, a reader's message) is never replaced again, as a chain of
    ``.replace("%1", …).replace("%2", …)`` did. A marker with no value is left as it is.
    """

    def value(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if number <= len(values) else match.group(0)

    return _PLACE.sub(value, text)


def lrelease() -> list[str] | None:
    """The lrelease command shipped with PySide6 (pyside6-lrelease), if any."""
    exe = shutil.which("pyside6-lrelease") or shutil.which(
        "pyside6-lrelease", path=str(Path(sys.executable).parent)
    )
    return [exe] if exe else None


def compile_ts(ts: Path, qm: Path) -> bool:
    cmd = lrelease()
    if cmd is None:
        log.warning("pyside6-lrelease not found; %s stays uncompiled", ts.name)
        return False
    qm.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [*cmd, str(ts), "-qm", str(qm)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        log.error("lrelease failed for %s: %s", ts.name, result.stderr.strip())
        return False
    return True


def qm_path(domain: str, language: str) -> Path | None:
    """The compiled catalogue for a domain and language, compiling it if needed."""
    ts = TRANSLATIONS / f"{domain}_{language}.ts"
    shipped = ts.with_suffix(".qm")
    if shipped.exists() and (not ts.exists() or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    if not ts.exists():
        return None
    cached = data_dir() / "translations" / shipped.name
    if cached.exists() and cached.stat().st_mtime >= ts.stat().st_mtime:
        return cached
    return cached if compile_ts(ts, cached) else None


class Translations:
    """Installs and swaps the translators for the given domains (e.g. "common", "kiosk")."""

    def __init__(self, app: QCoreApplication, domains: tuple[str, ...]) -> None:
        self._app = app
        self._domains = domains
        self._installed: list[QTranslator] = []
        self.language = "en"

    def set_language(self, language: str) -> None:
        """Switch language; widgets update in their ``changeEvent(LanguageChange)``."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        if language != "en":  # English is the source text
            for domain in self._domains:
                path = qm_path(domain, language)
                translator = QTranslator(self._app)
                if path is not None and translator.load(str(path)):
                    self._app.installTranslator(translator)
                    self._installed.append(translator)
                else:
                    log.error("no %s translation for %s", language, domain)
        QLocale.setDefault(
            QLocale(QLocale.Language.Chinese if language == "zh_CN" else QLocale.Language.English)
        )
        self.language = language
