"""An A4 "printer" that files each job as a PDF in a folder (the demo's printer)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from common.devices.printer.status import (
    PrinterOfflineError,
    PrinterState,
    PrinterStatus,
)

__all__ = ["PdfFolderPrinter"]


def _safe(name: str) -> str:
    # Windows-safe file names: no reserved characters, no trailing dots or blanks.
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", name).strip(" .")
    return cleaned[:120] or "job"


class PdfFolderPrinter:
    """Writes ``<job name>.pdf`` (``-2``, ``-3`` … if taken) atomically into ``folder``."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.name = f"pdf:{self.folder}"
        self.printed: list[Path] = []

    def status(self) -> PrinterStatus:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return PrinterStatus(PrinterState.OFFLINE, f"folder {self.folder}: {exc}")
        if not os.access(self.folder, os.W_OK):
            return PrinterStatus(PrinterState.OFFLINE, f"folder {self.folder} is read-only")
        return PrinterStatus(PrinterState.READY)

    def print_pdf(self, data: bytes, job_name: str) -> None:
        status = self.status()
        if not status.state.can_print:
            raise PrinterOfflineError(status.detail)
        base = _safe(job_name)
        try:
            fd, tmp = tempfile.mkstemp(prefix=".part-", suffix=".pdf", dir=self.folder)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            n = 1
            while True:
                target = self.folder / (f"{base}.pdf" if n == 1 else f"{base}-{n}.pdf")
                if not target.exists():
                    break
                n += 1
            os.replace(tmp, target)  # the final name only ever names a whole file
        except OSError as exc:
            raise PrinterOfflineError(f"folder {self.folder}: {exc}") from exc
        self.printed.append(target)
