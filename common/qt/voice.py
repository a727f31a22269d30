"""Call announcements: one at a time, in order, repeated as configured, never an online service.

DESIGN.md "Voice": Qt text-to-speech where the platform has an engine (Windows SAPI / WinRT;
QtTextToSpeech ships in PySide6-Addons, an optional extra), else a local engine such as
espeak-ng run as a child process (QProcess: never blocks the GUI), else a chime — the display
flashes the call in every case.

* :class:`Speaker` is the small device interface (STYLE.md habit 6): ``speak(text)`` then the
  ``finished`` signal. Implementations: :class:`QtTtsSpeaker`, :class:`EspeakSpeaker`,
  :class:`ChimeSpeaker`, and :class:`FakeSpeaker` for tests.
* :class:`Announcer` owns the order: a bounded FIFO, one utterance at a time, a guard timer so a
  hung engine cannot stall the calls behind it.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import re
import shutil
import sys
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtWidgets import QApplication

__all__ = [
    "DEFAULT_TEMPLATE",
    "Announcer",
    "ChimeSpeaker",
    "EspeakSpeaker",
    "FakeSpeaker",
    "QtTtsSpeaker",
    "Speaker",
    "announcement_text",
    "make_speaker",
    "spoken_form",
]

log = logging.getLogger(__name__)

CHIME = Path(__file__).resolve().parents[2] / "resources" / "sounds" / "chime.wav"
DEFAULT_TEMPLATE = "请{number}号到{window}号窗口办理"
_DIGITS = "零一二三四五六七八九"


def announcement_text(number: str, window: int | str, template: str = DEFAULT_TEMPLATE) -> str:
    """``请A001号到3号窗口办理`` (the hall's template may differ)."""
    return template.format(number=number, window=window)


def spoken_form(text: str) -> str:
    """What the engine is given: ticket numbers read digit by digit (A零零一), as halls call them.

    ``A001`` read by a TTS engine as a quantity ("A one") would be misheard; window numbers
    stay numbers ("3号窗口" → 三号).
    """
    return re.sub(r"([A-Z])(\d+)", lambda m: m.group(1) + "".join(_DIGITS[int(d)] for d in m.group(2)), text)


class Speaker(QObject):
    """Says one text at a time; emits ``finished`` when it is done (or has failed)."""

    finished = Signal()
    name = "speaker"

    def speak(self, text: str) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Cut the current utterance short (shutdown); ``finished`` may still follow."""


class FakeSpeaker(Speaker):
    """Records what it was asked to say (STYLE.md habit 6).

    ``auto_finish_ms``: finish each utterance after that many milliseconds of event loop
    (``None``: only when the test calls :meth:`finish`). ``overlaps`` counts a ``speak`` that
    arrived while another utterance was still going — it must stay 0.
    """

    name = "fake"

    def __init__(self, parent: QObject | None = None, *, auto_finish_ms: int | None = 0) -> None:
        super().__init__(parent)
        self.auto_finish_ms = auto_finish_ms
        self.spoken: list[str] = []
        self.speaking: str | None = None
        self.overlaps = 0

    def speak(self, text: str) -> None:
        if self.speaking is not None:
            self.overlaps += 1
        self.speaking = text
        self.spoken.append(text)
        if self.auto_finish_ms is not None:
            QTimer.singleShot(self.auto_finish_ms, self.finish)

    def finish(self) -> None:
        if self.speaking is not None:
            self.speaking = None
            self.finished.emit()

    def stop(self) -> None:
        self.finish()


class EspeakSpeaker(Speaker):
    """espeak-ng (or espeak) as a child process: local, offline, non-blocking."""

    name = "espeak-ng"

    def __init__(self, program: str, parent: QObject | None = None, *, voice: str = "cmn", speed: int = 150) -> None:
        super().__init__(parent)
        self.program, self.voice, self.speed = program, voice, speed
        self._process: QProcess | None = None

    @staticmethod
    def find() -> str | None:
        return shutil.which("espeak-ng") or shutil.which("espeak")

    def speak(self, text: str) -> None:
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.finished.connect(lambda *_: self._done(process))
        process.errorOccurred.connect(lambda err: self._failed(process, err))
        self._process = process
        process.start(self.program, ["-v", self.voice, "-s", str(self.speed), text])

    def _failed(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            log.error("%s failed to start", self.program)
            self._done(process)

    def _done(self, process: QProcess) -> None:
        if self._process is not process:
            return
        self._process = None
        process.deleteLater()
        self.finished.emit()

    def stop(self) -> None:
        process = self._process
        if process is not None:
            process.kill()
            process.waitForFinished(1000)


class ChimeSpeaker(Speaker):
    """Last resort: a two-tone chime (the display's flash carries the words).

    Plays ``resources/sounds/chime.wav`` with the platform's own player — ``winsound`` on
    Windows, aplay / paplay / pw-play elsewhere — or the system beep; QtMultimedia is an add-on
    we do not require.
    """

    name = "chime"

    def __init__(self, parent: QObject | None = None, *, sound: Path = CHIME) -> None:
        super().__init__(parent)
        self.sound = sound
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.finished)
        self._player = next((p for p in ("paplay", "pw-play", "aplay") if shutil.which(p)), None)
        try:
            with wave.open(str(sound), "rb") as w:
                self._duration_ms = int(w.getnframes() / w.getframerate() * 1000)
        except (OSError, wave.Error):
            self._duration_ms = 800

    def speak(self, text: str) -> None:
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(str(self.sound), winsound.SND_FILENAME | winsound.SND_ASYNC)
        elif self._player is not None:
            QProcess.startDetached(self._player, [str(self.sound)])
        else:
            QApplication.beep()
        # The words are on the screen; leave a pause so consecutive chimes stay distinct.
        self._timer.start(self._duration_ms + 700)

    def stop(self) -> None:
        self._timer.stop()


class QtTtsSpeaker(Speaker):
    """Qt's text-to-speech (PySide6-Addons) with a Chinese voice where the engine has one."""

    name = "qt-tts"

    def __init__(self, tts: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._tts = tts
        self._done_states = (QTextToSpeech.State.Ready, QTextToSpeech.State.Error)
        self._speaking = False
        tts.stateChanged.connect(self._state)

    @staticmethod
    def create(parent: QObject | None = None) -> QtTtsSpeaker | None:
        """A speaker on the platform's engine, or None where Qt TTS or an engine is missing."""
        try:
            from PySide6.QtCore import QLocale
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return None
        engines = [e for e in QTextToSpeech.availableEngines() if e not in ("mock",)]
        if not engines:
            return None
        tts = QTextToSpeech(engines[0])
        if tts.state() == QTextToSpeech.State.Error:
            return None
        chinese = [loc for loc in tts.availableLocales() if loc.language() == QLocale.Language.Chinese]
        if chinese:
            tts.setLocale(chinese[0])
        return QtTtsSpeaker(tts, parent)

    def speak(self, text: str) -> None:
        self._speaking = True
        self._tts.say(text)

    def _state(self, state: Any) -> None:
        if self._speaking and state in self._done_states:
            self._speaking = False
            self.finished.emit()

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._tts.stop()


def make_speaker(kind: str = "auto", parent: QObject | None = None, *, voice: str = "cmn") -> Speaker:
    """The best speaker this PC has for ``kind`` ("auto", "qt", "espeak", "chime")."""
    if kind in ("auto", "qt"):
        qt = QtTtsSpeaker.create(parent)
        if qt is not None:
            return qt
        if kind == "qt":
            log.warning("Qt text-to-speech unavailable; falling back")
    if kind in ("auto", "qt", "espeak"):
        program = EspeakSpeaker.find()
        if program is not None:
            return EspeakSpeaker(program, parent, voice=voice)
        log.warning("no local speech engine; calls are chimed and flashed")
    return ChimeSpeaker(parent)


@dataclass
class _Pending:
    text: str
    remaining: int


class Announcer(QObject):
    """Speaks announcements strictly one after another, each ``repeat`` times, in arrival order.

    ``started(text)`` fires as each utterance begins (the display flashes then); ``idle`` when
    the queue runs dry. The queue is bounded (``max_pending``): in a pathological burst the oldest
    waiting announcements are dropped rather than letting speech lag minutes behind the board.
    """

    started = Signal(str)
    idle = Signal()

    def __init__(
        self,
        speaker: Speaker,
        parent: QObject | None = None,
        *,
        repeat: int = 1,
        gap_ms: int = 500,
        timeout_ms: int = 20000,
        max_pending: int = 60,
    ) -> None:
        super().__init__(parent)
        self.speaker = speaker
        self.repeat = max(1, repeat)
        self.max_pending = max_pending
        self.dropped = 0
        self._queue: collections.deque[_Pending] = collections.deque()
        self._current: _Pending | None = None
        self._gap = QTimer(self)
        self._gap.setSingleShot(True)
        self._gap.setInterval(gap_ms)
        self._gap.timeout.connect(self._next)
        # A speech engine that never reports "finished" must not silence every later call.
        self._guard = QTimer(self)
        self._guard.setSingleShot(True)
        self._guard.setInterval(timeout_ms)
        self._guard.timeout.connect(self._timed_out)
        speaker.finished.connect(self._finished)

    @property
    def busy(self) -> bool:
        return self._current is not None or bool(self._queue) or self._gap.isActive()

    @property
    def pending(self) -> int:
        return len(self._queue)

    def announce(self, text: str) -> None:
        """Queue ``text`` to be spoken ``repeat`` times after everything queued before it."""
        if len(self._queue) >= self.max_pending:
            self._queue.popleft()
            self.dropped += 1
            log.warning("announcement queue full; dropped the oldest")
        self._queue.append(_Pending(text, self.repeat))
        if self._current is None and not self._gap.isActive():
            self._next()

    def clear(self) -> None:
        self._queue.clear()

    def shutdown(self) -> None:
        self._queue.clear()
        self._gap.stop()
        self._guard.stop()
        self.speaker.stop()

    def _next(self) -> None:
        if self._current is None:
            if not self._queue:
                self.idle.emit()
                return
            self._current = self._queue.popleft()
        item = self._current
        item.remaining -= 1
        self._guard.start()
        self.started.emit(item.text)
        self.speaker.speak(spoken_form(item.text))

    def _finished(self) -> None:
        if self._current is None:
            return
        self._guard.stop()
        if self._current.remaining <= 0:
            self._current = None
        self._gap.start()

    def _timed_out(self) -> None:
        log.error("%s did not finish an announcement in time; moving on", self.speaker.name)
        # Forget the item first: a stop() that emits `finished` must not be counted twice.
        self._current = None
        self.speaker.stop()
        self._gap.start()
