"""One resolver for the CJK TrueType font used on paper (DESIGN.md "Fonts").

Order: the path in config, then the platform's usual fonts (Windows ``msyh.ttc`` /
``simhei.ttf``; Linux through fontconfig, e.g. Debian's ``fonts-wqy-microhei``), then a few
well-known paths. Both consumers have limits that shape this module:

* reportlab embeds only TrueType outlines (``glyf``). CFF-flavoured OpenType fonts such as
  Noto Sans CJK / Source Han (sfnt tag ``OTTO``, also inside ``.ttc`` collections) make it fail
  late or draw nothing, so they are refused here with a message that says what to install.
* A font that lacks Chinese glyphs renders boxes ("tofu"). fontconfig happily returns DejaVu for
  ``:lang=zh`` on a machine without CJK fonts, so every candidate is checked for real coverage.

Loaded fonts are cached: registering a large TTC in reportlab costs ~0.2 s and must happen once
per process, not once per document.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

__all__ = [
    "CjkFont",
    "FontError",
    "NoCjkFontError",
    "UnsupportedFontError",
    "check_truetype",
    "pil_font",
    "reportlab_font_name",
    "resolve_cjk_font",
]

log = logging.getLogger(__name__)

# Characters every hall document needs; a font missing any of them is not used.
_PROBE_TEXT = "政务服务中心您前面还有人在等待号"


class FontError(Exception):
    """No usable CJK font; the message says what to configure or install (Chinese and English)."""


class NoCjkFontError(FontError):
    """Neither the configured path nor the platform offers a CJK TrueType font."""


class UnsupportedFontError(FontError):
    """The font exists but cannot be used: CFF/OpenType outlines, WOFF, or no Chinese glyphs."""


@dataclass(frozen=True)
class CjkFont:
    """A CJK TrueType font file and, for a ``.ttc`` collection, the face index in it."""

    path: Path
    index: int = 0

    @property
    def label(self) -> str:
        return f"{self.path.name}#{self.index}" if self.index else self.path.name


def check_truetype(path: Path, index: int = 0) -> None:
    """Raise :class:`UnsupportedFontError` unless ``path`` holds TrueType outlines.

    Reads only the sfnt header (and, for a collection, the offset table of face ``index``), so
    it is cheap enough to run on every candidate.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
            tag = head[:4]
            if tag == b"ttcf":
                if len(head) < 12:
                    raise UnsupportedFontError(f"{path}: truncated font collection")
                (count,) = struct.unpack(">I", head[8:12])
                if not 0 <= index < count:
                    raise UnsupportedFontError(
                        f"{path}: the collection has {count} faces, index {index} does not exist"
                    )
                fh.seek(12 + 4 * index)
                (offset,) = struct.unpack(">I", fh.read(4))
                fh.seek(offset)
                tag = fh.read(4)
    except OSError as exc:
        raise UnsupportedFontError(f"{path}: cannot be read ({exc})") from exc
    if tag == b"OTTO":
        raise UnsupportedFontError(
            f"{path}: CFF (PostScript-outline OpenType) fonts such as Noto Sans CJK cannot be "
            "embedded by reportlab; use a TrueType font (e.g. msyh.ttc, simhei.ttf or "
            "fonts-wqy-microhei) / 该字体为 CFF/OTF 格式，无法用于打印，请改用 TrueType 字体"
        )
    if tag not in (b"\x00\x01\x00\x00", b"true"):
        raise UnsupportedFontError(f"{path}: not a TrueType font (sfnt tag {tag!r})")


def _covers_chinese(path: Path, index: int) -> bool:
    # A missing glyph renders as the font's .notdef shape (often a box). Comparing each probe
    # character with a code point no font defines (a private-use plane) finds such gaps without
    # parsing the cmap ourselves.
    try:
        font = ImageFont.truetype(str(path), 24, index=index)
    except OSError:
        return False

    def mask(ch: str) -> Image.Image:
        img = Image.new("L", (32, 32), 0)
        ImageDraw.Draw(img).text((2, 2), ch, font=font, fill=255)
        return img

    notdef = mask("\U0010fffd")
    for ch in _PROBE_TEXT:
        glyph = mask(ch)
        if glyph.getbbox() is None or ImageChops.difference(glyph, notdef).getbbox() is None:
            return False
    return True


def _validate(path: Path, index: int) -> CjkFont:
    if not path.is_file():
        raise NoCjkFontError(f"{path}: no such font file / 字体文件不存在")
    check_truetype(path, index)
    if not _covers_chinese(path, index):
        raise UnsupportedFontError(
            f"{path}: has no Chinese glyphs (would print boxes) / 该字体不含中文字形"
        )
    return CjkFont(path=path, index=index)


def _windows_candidates() -> list[Path]:
    fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    names = ("msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc", "Deng.ttf", "simkai.ttf")
    return [fonts / n for n in names]


def _fontconfig_candidates() -> list[Path]:
    # fc-list lists every font that claims Chinese; fc-match gives the preferred one first.
    found: list[Path] = []
    for cmd in (["fc-match", "-f", "%{file}\n", ":lang=zh"], ["fc-list", ":lang=zh", "file"]):
        exe = shutil.which(cmd[0])
        if exe is None:
            continue
        try:
            out = subprocess.run(
                [exe, *cmd[1:]], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        for line in out.splitlines():
            file = line.split(":", 1)[0].strip()
            if file:
                found.append(Path(file))
    # Prefer the faces known to work well on thermal paper and in reportlab.
    preferred = ("wqy-microhei", "wqy-zenhei", "droidsansfallback", "uming", "ukai")

    def rank(p: Path) -> int:
        name = p.name.lower()
        return next((i for i, key in enumerate(preferred) if key in name), len(preferred))

    return sorted(dict.fromkeys(found), key=rank)


_WELL_KNOWN = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
)


def platform_candidates() -> list[Path]:
    """Font files to try on this platform, best first (not yet checked)."""
    if sys.platform == "win32":
        return _windows_candidates()
    return [*_fontconfig_candidates(), *(Path(p) for p in _WELL_KNOWN)]


@functools.lru_cache(maxsize=8)
def _resolve(configured: str) -> CjkFont:
    if configured:
        # The administrator asked for this file: a bad one is an error, not a silent fallback
        # to some other font that would look different from what they chose.
        path_text, _, index_text = configured.partition("#")
        index = int(index_text) if index_text.isdigit() else 0
        return _validate(Path(path_text).expanduser(), index)
    refused: list[str] = []
    for path in platform_candidates():
        if not path.is_file():
            continue
        try:
            font = _validate(path, 0)
        except FontError as exc:
            refused.append(str(exc))
            continue
        log.info("CJK font: %s", font.label)
        return font
    detail = ("; refused: " + " | ".join(refused)) if refused else ""
    raise NoCjkFontError(
        "no CJK TrueType font found / 未找到可用的中文 TrueType 字体. Set [printer] font_path in "
        "hall.toml, or install one (Windows: 微软雅黑 msyh.ttc; Debian/Ubuntu: apt install "
        f"fonts-wqy-microhei){detail}"
    )


def resolve_cjk_font(configured: str | os.PathLike[str] | None = None) -> CjkFont:
    """Find the CJK TrueType font to use, or raise :class:`FontError` with a clear message.

    ``configured`` is ``PrinterSettings.font_path``; ``path#N`` picks face N of a collection.
    Results are cached per argument, so calling this for every document is cheap.
    """
    return _resolve(os.fspath(configured) if configured else "")


@functools.lru_cache(maxsize=64)
def pil_font(font: CjkFont, size: int) -> ImageFont.FreeTypeFont:
    """The Pillow face of ``font`` at ``size`` pixels (cached: loading costs milliseconds)."""
    return ImageFont.truetype(str(font.path), size, index=font.index)


_rl_lock = threading.Lock()
_rl_names: dict[CjkFont, str] = {}


def reportlab_font_name(font: CjkFont) -> str:
    """Register ``font`` with reportlab once per process and return its name.

    reportlab's ``TTFont`` embeds a subset of the glyphs actually used, which keeps PDFs small
    even with a 5 MB collection. The lock matters: two threads generating the first PDFs at
    once would otherwise both parse the file.
    """
    with _rl_lock:
        name = _rl_names.get(font)
        if name is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFError, TTFont

            name = f"OneWindowCJK{len(_rl_names)}"
            try:
                pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.index))
            except TTFError as exc:
                raise UnsupportedFontError(f"{font.path}: reportlab cannot use it: {exc}") from exc
            _rl_names[font] = name
        return name
