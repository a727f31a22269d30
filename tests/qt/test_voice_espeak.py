"""What espeak-ng will really say for a call, not only that a speaker was asked (issue 15).

Debian's espeak-ng 1.51 with ``-v cmn`` read ``请A001号到3号窗口办理`` mostly as English words
made of pinyin. These tests ask the engine itself: its phoneme output (``-q -x``) must not switch
to another language, and the WAV it writes must be about as long as the sentence takes to say.
The fake-speaker tests of the announcement order stay in tests/display/.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

from common.config import ConfigError, DisplaySettings, settings_from_dict
from common.qt.voice import (
    DEFAULT_ESPEAK_VOICE,
    ChimeSpeaker,
    EspeakSpeaker,
    announcement_text,
    make_speaker,
    spoken_form,
)

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng not installed")

CALLS = [("A001", 3), ("J127", 12), ("B010", 8)]


def _said(number: str, window: int) -> str:
    """Exactly what the display gives the engine for a call."""
    return spoken_form(announcement_text(number, window, DisplaySettings().voice_template))


@needs_espeak
@pytest.mark.parametrize(("number", "window"), CALLS)
def test_the_configured_voice_reads_a_call_in_mandarin(number: str, window: int) -> None:
    """The hall's default voice, run as the display runs it, never switches language."""
    assert ESPEAK is not None
    voice = DisplaySettings().espeak_voice
    out = subprocess.run(
        [ESPEAK, "-v", voice, "-q", "-x", _said(number, window)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip()
    assert "(en)" not in out and "(" not in out, out  # "(en)" ... "(cmn)": a switch of language
    # Mandarin tones on every syllable: "tS;h'i21N_| 'ei51_| ..." has tone digits throughout.
    syllables = [s for s in out.replace("_|", " ").split() if s]
    assert sum(any(c.isdigit() for c in s) for s in syllables) >= len(syllables) - 1, out


@needs_espeak
def test_the_speakers_own_command_speaks_mandarin_and_english_prompts_in_english() -> None:
    assert ESPEAK is not None
    speaker = EspeakSpeaker(ESPEAK)  # what make_speaker and the kiosk build
    assert speaker.voice == DEFAULT_ESPEAK_VOICE == DisplaySettings().espeak_voice
    assert speaker.language_switches(_said("A001", 3)) == []
    assert speaker.check() is None
    # The kiosk in English: an English voice, not pinyin.
    assert speaker.voice_for("Your number is A 0 0 1.") == "en"
    assert speaker.language_switches("Your number is A 0 0 1. 7 people are ahead of you.") == []


@needs_espeak
def test_the_old_voice_is_reported_as_reading_english() -> None:
    """The check the display runs at start-up names a voice that switches to English."""
    assert ESPEAK is not None
    speaker = EspeakSpeaker(ESPEAK, voice="cmn")
    if "en" not in speaker.language_switches(_said("A001", 3)):
        pytest.skip("this espeak-ng's cmn voice reads Chinese as Mandarin")
    problem = speaker.check()
    assert problem is not None and "en" in problem and DEFAULT_ESPEAK_VOICE in problem
    missing = EspeakSpeaker(ESPEAK, voice="nosuchvoice").check()
    assert missing is not None and "does not work" in missing


@needs_espeak
@pytest.mark.parametrize(("number", "window"), CALLS)
def test_the_spoken_call_has_a_plausible_length(tmp_path: Path, number: str, window: int) -> None:
    """Fourteen syllables at 150 words a minute: a few seconds, not a burst or a minute of noise."""
    assert ESPEAK is not None
    wav = tmp_path / "call.wav"
    EspeakSpeaker(ESPEAK, voice=DisplaySettings().espeak_voice).synthesize(
        _said(number, window), wav
    )
    with wave.open(str(wav), "rb") as w:
        seconds = w.getnframes() / w.getframerate()
    assert 1.5 <= seconds <= 8.0, seconds


def test_voice_engine_and_voice_are_validated() -> None:
    ok = settings_from_dict({"display": {"voice": "espeak", "espeak_voice": "cmn-latn-pinyin+f3"}})
    assert ok.display.voice == "espeak" and ok.display.espeak_voice == "cmn-latn-pinyin+f3"
    for bad in (
        {"voice": "festival"},
        {"espeak_voice": "-w /tmp/x"},
        {"espeak_voice": ""},
        {"espeak_voice": "cmn latn"},
    ):
        with pytest.raises(ConfigError, match="display"):
            settings_from_dict({"display": bad})


@needs_espeak
def test_auto_on_linux_uses_espeak_with_the_configured_voice(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, qapp: object
) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    speaker = make_speaker("auto", voice="cmn-latn-pinyin")
    assert isinstance(speaker, EspeakSpeaker) and speaker.voice == "cmn-latn-pinyin"
    with caplog.at_level(logging.WARNING, logger="common.qt.voice"):
        make_speaker("espeak", voice="cmn")
    if EspeakSpeaker(ESPEAK or "", voice="cmn").language_switches(_said("A001", 3)):
        assert "cmn-latn-pinyin" in caplog.text
    assert isinstance(make_speaker("chime"), ChimeSpeaker)


@needs_espeak
def test_a_voice_this_espeak_lacks_is_replaced_not_silent(qapp: object) -> None:
    speaker = make_speaker("espeak", voice="nosuchvoice")
    assert isinstance(speaker, EspeakSpeaker) and speaker.voice == DEFAULT_ESPEAK_VOICE
