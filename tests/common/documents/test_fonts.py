"""The CJK font resolver: configured path first, CFF refused, no font is a typed error."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from common.documents import fonts
from common.documents.fonts import (
    NoCjkFontError,
    UnsupportedFontError,
    check_truetype,
    resolve_cjk_font,
)

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    fonts._resolve.cache_clear()


def _ttc(path: Path, tags: list[bytes]) -> Path:
    # A minimal collection header: 'ttcf', version, count, offsets, then each face's sfnt tag.
    header = b"ttcf" + struct.pack(">HHI", 1, 0, len(tags))
    base = len(header) + 4 * len(tags)
    offsets = b"".join(struct.pack(">I", base + 16 * i) for i in range(len(tags)))
    faces = b"".join(tag + b"\0" * 12 for tag in tags)
    path.write_bytes(header + offsets + faces)
    return path


def test_cff_opentype_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    otf = tmp_path / "NotoSansCJKsc-Regular.otf"
    otf.write_bytes(b"OTTO" + b"\0" * 60)
    with pytest.raises(UnsupportedFontError, match="CFF"):
        check_truetype(otf)
    with pytest.raises(UnsupportedFontError, match="CFF"):
        resolve_cjk_font(otf)


def test_cff_inside_a_collection_is_detected(tmp_path: Path) -> None:
    ttc = _ttc(tmp_path / "NotoSansCJK-Regular.ttc", [b"\x00\x01\x00\x00", b"OTTO"])
    check_truetype(ttc, 0)  # face 0 is TrueType
    with pytest.raises(UnsupportedFontError, match="CFF"):
        check_truetype(ttc, 1)
    with pytest.raises(UnsupportedFontError, match="index 5"):
        check_truetype(ttc, 5)


def test_not_a_font_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "font.ttf"
    junk.write_bytes(b"wOF2" + b"\0" * 20)
    with pytest.raises(UnsupportedFontError, match="not a TrueType"):
        check_truetype(junk)


def test_missing_configured_font_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    with pytest.raises(NoCjkFontError, match="no such font"):
        resolve_cjk_font(tmp_path / "msyh.ttc")


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu not installed")
def test_font_without_chinese_glyphs_is_refused() -> None:
    with pytest.raises(UnsupportedFontError, match="Chinese"):
        resolve_cjk_font(DEJAVU)


def test_no_font_anywhere_is_a_typed_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cff = tmp_path / "NotoSansCJK.otf"
    cff.write_bytes(b"OTTO" + b"\0" * 60)
    monkeypatch.setattr(fonts, "platform_candidates", lambda: [tmp_path / "absent.ttc", cff])
    with pytest.raises(NoCjkFontError) as info:
        resolve_cjk_font()
    message = str(info.value)
    assert "font_path" in message and "fonts-wqy-microhei" in message
    assert "CFF" in message  # says why the one it found was refused


@pytest.mark.skipif(not WQY.exists(), reason="fonts-wqy-microhei not installed")
def test_platform_font_and_configured_collection_face() -> None:
    assert resolve_cjk_font().path.name.endswith((".ttc", ".ttf"))
    font = resolve_cjk_font(f"{WQY}#1")
    assert font.index == 1 and font.path == WQY
    assert resolve_cjk_font(WQY) is resolve_cjk_font(str(WQY))  # cached
