"""Turn a :class:`~.layouts.Layout` into ESC/POS bytes through python-escpos.

Two modes, chosen per printer (``PrinterSettings.mode``):

``raster``
    The layout drawn with the CJK TrueType font (:mod:`.raster`) and sent with ``image()``
    (``GS v 0``). Works on every printer; about 10-40 KB per ticket.

``native``
    Text in the printer's own Chinese font. python-escpos's ``text()`` goes through its
    ``MagicEncode``, which only knows the single-byte code pages in the capability database
    (CP437, CP932 …) and has no GB18030/GBK page: Chinese comes out as ``?`` or as Shift-JIS.
    So we select Chinese character mode with ``FS &`` and send ``str.encode("gb18030")``
    bytes with ``_raw()``; sizes use ``GS !`` (python-escpos ``set(custom_size=…)``); the QR
    code is the printer's own (``GS ( k``, ``qr(native=True)``) when the profile says it has
    one, otherwise a raster QR image. Chinese printers (Xprinter, GPrinter, HPRT …) all accept
    this; a printer without a Chinese font prints garbage in this mode — use raster for it.

Both end with a feed and ``GS V`` cut (if configured and the profile can cut) and optionally
the ``ESC B`` beeper. Encoding runs on a Dummy printer, so the bytes are the same whatever
the connection; the connection only transports them.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from escpos.capabilities import BaseProfile, get_profile_class
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image

from common.devices.printer.layouts import Feed, Layout, Qr, Rule, Text, wrap_columns
from common.devices.printer.raster import qr_image, render_layout
from common.devices.printer.status import PrinterConfigError
from common.documents.fonts import CjkFont

__all__ = ["FS_CHINESE_OFF", "FS_CHINESE_ON", "Mode", "encode_layout", "printer_profile"]

Mode = Literal["raster", "native"]

FS_CHINESE_ON = b"\x1c&"  # FS &: select Chinese (double-byte) character mode
FS_CHINESE_OFF = b"\x1c."  # FS .: cancel it, so the next job starts in a known state


@functools.lru_cache(maxsize=32)
def printer_profile(name: str, paper_dots: int) -> BaseProfile:
    """The python-escpos capability profile ``name`` with the media width filled in.

    Many profiles (including "default") say the width is "Unknown"; python-escpos then prints
    a warning to stdout on every image and cannot check widths. We give it the paper's dots
    (or keep the profile's width when it is narrower, e.g. 512 dots for TM-T88 heads).
    """
    try:
        cls = get_profile_class(name or "default")
    except KeyError:
        raise PrinterConfigError(
            f"unknown printer profile {name!r} (see python-escpos capabilities)"
        ) from None
    data: dict[str, Any] = dict(cls.profile_data)
    media = dict(data.get("media", {}))
    width = dict(media.get("width", {}))
    known = width.get("pixels")
    pixels = min(paper_dots, known) if isinstance(known, int) else paper_dots
    media["width"] = {**width, "pixels": pixels}
    data["media"] = media
    # A subclass with its own data: the capability database itself stays untouched.
    patched = type(f"OneWindow{cls.__name__}", (cls,), {"profile_data": data})
    profile: BaseProfile = patched()
    return profile


def _dummy(profile: BaseProfile) -> Dummy:
    printer = Dummy()
    printer.profile = profile
    return printer


def encode_layout(
    layout: Layout,
    font: CjkFont,
    *,
    mode: Mode = "raster",
    profile: str = "default",
    cut: bool = True,
    beep: bool = False,
) -> bytes:
    """ESC/POS bytes for ``layout``; the raster width is the paper's (or the profile's) dots."""
    prof = printer_profile(profile, layout.paper.dots)
    width = int(prof.profile_data["media"]["width"]["pixels"])
    p = _dummy(prof)
    p.hw("INIT")  # ESC @: forget whatever the previous job left selected
    if mode == "raster":
        p.image(render_layout(layout, font, width=width), impl="bitImageRaster")
    elif mode == "native":
        _encode_native(p, layout, font, width)
    else:
        raise PrinterConfigError(f"unknown print mode {mode!r}")
    if beep:
        p.buzzer(2, 3)
    if cut:
        p.cut()
    else:
        p.print_and_feed(4)
    out: bytes = p.output
    return out


def _encode_native(p: Dummy, layout: Layout, font: CjkFont, width: int) -> None:
    columns = width // 12
    p._raw(FS_CHINESE_ON)
    for block in layout.blocks:
        if isinstance(block, Text):
            scale = max(1, min(8, block.scale))
            p.set(align=block.align, bold=block.bold, invert=block.invert)
            p.set(custom_size=True, width=scale, height=scale)  # GS ! n
            for line in wrap_columns(block.text, columns // scale):
                # errors="replace": a character outside GB18030 (there are almost none) prints
                # as "?" rather than failing the citizen's ticket.
                p._raw(line.encode("gb18030", errors="replace") + b"\n")
            p.set(custom_size=True, width=1, height=1)
            if block.invert:
                p.set(invert=False)
            if block.bold:
                p.set(bold=False)
        elif isinstance(block, Qr):
            p.set(align="center")
            if p.profile.supports("qrCode"):
                # ESC a 1 centres 2D codes on the printers we know; python-escpos refuses
                # center=True for native QR, hence the explicit alignment.
                p.qr(block.data, ec=QR_ECLEVEL_M, size=6 if width > 384 else 5, native=True)
            else:
                img = qr_image(block.data, 200 if width > 384 else 168)
                padded = Image.new("1", (width, img.height), 1)
                padded.paste(img, ((width - img.width) // 2, 0))
                p.image(padded, impl="bitImageRaster")
            if block.caption:
                p._raw(block.caption.encode("gb18030", errors="replace") + b"\n")
            p.set(align="left")
        elif isinstance(block, Rule):
            p.set(align="left")
            p._raw(b"-" * columns + b"\n")
        elif isinstance(block, Feed):
            p.print_and_feed(max(1, block.lines))
    p._raw(FS_CHINESE_OFF)
