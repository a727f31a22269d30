"""Draw a :class:`~.layouts.Layout` with Pillow and the CJK TrueType font.

This is what raster-mode printers receive (``GS v 0`` through python-escpos ``image()``) and
what the PNG-folder printer saves, so the demo shows exactly what a raster printer would print.
The image is 1-bit, exactly the printable width in dots, as tall as the content.
"""

from __future__ import annotations

import qrcode
from PIL import Image, ImageDraw, ImageFont

from common.devices.printer.layouts import Block, Feed, Layout, Qr, Rule, Text, wrap_tokens
from common.documents.fonts import CjkFont, pil_font

__all__ = ["qr_image", "render_layout", "wrap_pixels"]

_MARGIN = 8  # dots left and right: thermal heads fade at the very edge


def _base_px(dots: int) -> int:
    # 24 dots is the printer's own full-width glyph; on 80 mm paper a little more reads better
    # for elderly users and still gives 20 characters a line.
    return 24 if dots <= 384 else 28


def qr_image(data: str, target_dots: int) -> Image.Image:
    """A 1-bit QR code about ``target_dots`` wide, whole dots per module, with a quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    small = Image.new("1", (n, n), 1)
    small.putdata([0 if cell else 1 for row in matrix for cell in row])
    box = max(2, target_dots // n)
    return small.resize((n * box, n * box), Image.Resampling.NEAREST)


def wrap_pixels(text: str, width: int, measure: ImageFont.FreeTypeFont) -> list[str]:
    """Greedy wrap to ``width`` pixels of ``measure``, between the same units as the native
    printer's column wrap (:func:`~.layouts.wrap_tokens`: Chinese line-breaking rules)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in wrap_tokens(paragraph):
            if line and measure.getlength(line + token) > width:
                lines.append(line.rstrip())
                line = ""
                if token.isspace():
                    continue
            while measure.getlength(token) > width:  # longer than a line: hard split
                cut = len(token)
                while cut > 1 and measure.getlength(line + token[:cut]) > width:
                    cut -= 1
                lines.append(line + token[:cut])
                line, token = "", token[cut:]
            line += token
        lines.append(line.rstrip())
    return lines


def render_layout(layout: Layout, font: CjkFont, *, width: int | None = None) -> Image.Image:
    """Render ``layout`` to a 1-bit image ``width`` dots wide (default: the paper's dots)."""
    dots = width or layout.paper.dots
    base = _base_px(dots)
    inner = dots - 2 * _MARGIN
    # Two passes: measure every block, then draw onto one image of the exact height, which
    # keeps the ESC/POS payload (and paper) as short as the content.
    ops: list[tuple[int, Block, object]] = []
    y = _MARGIN
    for block in layout.blocks:
        if isinstance(block, Text):
            px = base * block.scale
            face = pil_font(font, px)
            lines = wrap_pixels(block.text, inner, face)
            line_h = int(px * 1.3) if block.scale == 1 else int(px * 1.12)
            ops.append((y, block, (face, lines, line_h)))
            y += line_h * len(lines)
        elif isinstance(block, Qr):
            img = qr_image(block.data, 200 if dots > 384 else 168)
            face = pil_font(font, base - 4)
            cap_h = int((base - 4) * 1.4) if block.caption else 0
            ops.append((y, block, (img, face)))
            y += img.height + cap_h + 4
        elif isinstance(block, Rule):
            ops.append((y, block, None))
            y += base // 2 + 4
        elif isinstance(block, Feed):
            y += int(base * 1.3) * block.lines
    height = y + _MARGIN
    canvas = Image.new("L", (dots, height), 255)
    draw = ImageDraw.Draw(canvas)
    for top, block, extra in ops:
        if isinstance(block, Text):
            face, lines, line_h = extra  # type: ignore[misc]
            stroke = max(1, block.scale) if block.bold else 0
            for i, line in enumerate(lines):
                w = face.getlength(line) + 2 * stroke
                x: float = _MARGIN
                if block.align == "center":
                    x = (dots - w) / 2
                elif block.align == "right":
                    x = dots - _MARGIN - w
                ly = top + i * line_h
                fill = 0
                if block.invert:
                    draw.rectangle((x - 4, ly, x + w + 4, ly + line_h - 2), fill=0)
                    fill = 255
                # stroke_fill == fill thickens the strokes: a bold face from a regular font.
                draw.text(
                    (x + stroke, ly + (line_h - face.size) // 2),
                    line,
                    font=face,
                    fill=fill,
                    stroke_width=stroke // 2 if block.scale > 1 else 0,
                    stroke_fill=fill,
                )
                if block.bold and block.scale == 1:
                    # At body size a stroke blurs CJK; printing twice one dot apart is the
                    # thermal-printer way to embolden (like ESC E's double strike).
                    draw.text((x + 2, ly + (line_h - face.size) // 2), line, font=face, fill=fill)
        elif isinstance(block, Qr):
            img, face = extra  # type: ignore[misc]
            canvas.paste(img.convert("L"), ((dots - img.width) // 2, top))
            if block.caption:
                w = face.getlength(block.caption)
                draw.text(((dots - w) / 2, top + img.height + 2), block.caption, font=face, fill=0)
        elif isinstance(block, Rule):
            mid = top + base // 4
            for x in range(_MARGIN, dots - _MARGIN, 12):
                draw.line((x, mid, x + 6, mid), fill=0, width=2)
    # A hard threshold (no dithering): text edges stay crisp on a 203 dpi head.
    return canvas.point(lambda v: 255 if v >= 128 else 0, mode="1")
