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
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtWidgets import QApplication

__all__ = [
    "DEFAULT_ESPEAK_VOICE",
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
# espeak-ng's Mandarin voice that reads Chinese as Mandarin. Plain "cmn" is "Mandarin, Latin as
# English": espeak-ng 1.51 (Debian 12, UOS, Kylin) turns most characters into pinyin and then
# reads that pinyin as English (`espeak-ng -v cmn -q -x` shows "(en)" switches); this one reads
# the same sentence in Mandarin tones throughout (docs/DECISIONS.md, "Display voice").
DEFAULT_ESPEAK_VOICE = "cmn-latn-pinyin"
# Sentences without a single Chinese character (the kiosk in English) are read by this voice.
ENGLISH_ESPEAK_VOICE = "en"
# A sentence the display really says, for the start-up check of the configured voice.
PROBE_SENTENCE = "请A零零一号到3号窗口办理"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# espeak-ng marks a switch of language in its phoneme output as "(en)", "(cmn)", ...
_SWITCH = re.compile(r"\(([a-z]{2,3}(?:-[a-z0-9]+)*)\)")
_DIGITS = "零一二三四五六七八九"


def announcement_text(number: str, window: int | str, template: str = DEFAULT_TEMPLATE) -> str:
    """``请A001号到3号窗口办理`` (the hall's template may differ)."""
    return template.format(number=number, window=window)


def spoken_form(text: str) -> str:
    """What the engine is given: ticket numbers read digit by digit (A零零一), as halls call them.

    ``A001`` read by a TTS engine as a quantity ("A one") would be misheard; window numbers
    stay numbers ("3号窗口" → 三号).
    """
    return re.sub(
        r"([A-Z])(\d+)", lambda m: m.group(1) + "".join(_DIGITS[int(d)] for d in m.group(2)), text
    )


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
    """espeak-ng (or espeak) as a child process: local, offline, non-blocking.

    ``voice`` reads anything with Chinese characters in it; a sentence with none (the kiosk in
    English) is read by ``english_voice``, since a pinyin voice would read English as pinyin.
    """

    name = "espeak-ng"

    def __init__(
        self,
        program: str,
        parent: QObject | None = None,
        *,
        voice: str = DEFAULT_ESPEAK_VOICE,
        english_voice: str = ENGLISH_ESPEAK_VOICE,
        speed: int = 150,
    ) -> None:
        super().__init__(parent)
        self.program, self.voice, self.english_voice, self.speed = (
            program,
            voice,
            english_voice,
            speed,
        )
        self._process: QProcess | None = None

    @staticmethod
    def find() -> str | None:
        return shutil.which("espeak-ng") or shutil.which("espeak")

    def voice_for(self, text: str) -> str:
        return self.voice if _CJK.search(text) else self.english_voice

    def arguments(self, text: str, *options: str) -> list[str]:
        """The command-line arguments that say ``text`` (``options`` go before the text)."""
        return ["-v", self.voice_for(text), "-s", str(self.speed), *options, text]

    def _run(
        self, text: str, *options: str, timeout: float = 20
    ) -> subprocess.CompletedProcess[str]:
        # Windows: no console window flashes up for the child.
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
        return subprocess.run(
            [self.program, *self.arguments(text, *options)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
            creationflags=flags,
        )

    def phonemes(self, text: str) -> str:
        """What the engine would say, as espeak-ng phoneme mnemonics (``-q -x``; nothing plays)."""
        done = self._run(text, "-q", "-x", timeout=5)  # run at start-up: never hold it long
        if done.returncode != 0:
            raise OSError(
                f"{self.program} -v {self.voice_for(text)}: {(done.stderr or done.stdout).strip()}"
            )
        return done.stdout.strip()

    def language_switches(self, text: str) -> list[str]:
        """Languages the engine switches to while reading ``text`` ([] when it stays in its voice).

        espeak-ng marks each switch, and the switch back, as ``(en)`` ... ``(cmn)``.
        """
        own = self.voice_for(text).split("-")[0]
        return [lang for lang in _SWITCH.findall(self.phonemes(text)) if lang != own]

    def synthesize(self, text: str, wav: Path) -> None:
        """Write what the engine would say to a WAV file (``-w``; nothing plays)."""
        done = self._run(text, "-w", str(wav))
        if done.returncode != 0:
            raise OSError(f"{self.program}: {(done.stderr or done.stdout).strip()}")

    def runs(self) -> bool:
        """Whether espeak-ng accepts the Chinese voice at all (it exits with an error otherwise)."""
        try:
            self.phonemes(PROBE_SENTENCE)
        except (OSError, subprocess.SubprocessError):
            return False
        return True

    def check(self) -> str | None:
        """A problem with the Chinese voice on this PC, in words for the log, or None.

        The voice must exist and read :data:`PROBE_SENTENCE` without switching language.
        """
        try:
            switches = self.language_switches(PROBE_SENTENCE)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"espeak-ng voice {self.voice!r} does not work on this PC: {exc}"
        if switches:
            return (
                f"espeak-ng voice {self.voice!r} reads Chinese partly as "
                f"{', '.join(sorted(set(switches)))}; "
                f"set [display] espeak_voice = {DEFAULT_ESPEAK_VOICE!r}"
            )
        return None

    def speak(self, text: str) -> None:
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.finished.connect(lambda *_: self._done(process))
        process.errorOccurred.connect(lambda err: self._failed(process, err))
        self._process = process
        process.start(self.program, self.arguments(text))

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
        chinese = [
            loc for loc in tts.availableLocales() if loc.language() == QLocale.Language.Chinese
        ]
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


def make_speaker(
    kind: str = "auto", parent: QObject | None = None, *, voice: str = DEFAULT_ESPEAK_VOICE
) -> Speaker:
    """The best speaker this PC has for ``kind`` ("auto", "qt", "espeak", "chime").

    "auto" prefers the platform's own voices on Windows and macOS (SAPI / WinRT, AVSpeech have
    Chinese voices) and espeak-ng elsewhere: on Linux Qt speaks through speech-dispatcher, whose
    choice of Chinese voice we can neither set nor check, while espeak-ng's voice is ``voice``,
    checked here once: a voice that switches language is logged and kept (the hall chose it);
    one this espeak-ng does not have is replaced by one it has.
    """
    order = {
        "auto": ("qt", "espeak") if sys.platform in ("win32", "darwin") else ("espeak", "qt"),
        "qt": ("qt", "espeak"),
        "espeak": ("espeak",),
    }.get(kind, ())
    for engine in order:
        if engine == "qt":
            qt = QtTtsSpeaker.create(parent)
            if qt is not None:
                return qt
            log.warning("Qt text-to-speech unavailable")
        else:
            program = EspeakSpeaker.find()
            if program is not None:
                speaker = EspeakSpeaker(program, parent, voice=voice)
                problem = speaker.check()
                if problem:
                    log.warning("%s", problem)
                    if not speaker.runs():
                        # A voice this espeak-ng lacks would leave the hall silent.
                        for other in (DEFAULT_ESPEAK_VOICE, "cmn"):
                            if EspeakSpeaker(program, voice=other).runs():
                                log.warning("using espeak-ng voice %r instead", other)
                                speaker.voice = other
                                break
                return speaker
            log.warning("no espeak-ng on this PC")
    if kind != "chime":
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
