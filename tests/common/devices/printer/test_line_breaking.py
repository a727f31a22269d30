"""Chinese line-breaking rules (禁则) in the one tokeniser both wraps use (issue 15: the 80 mm
receipt started lines with "，" and "）")."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageFont

from common.devices.printer.layouts import (
    NO_LINE_END,
    NO_LINE_START,
    Paper,
    Text,
    receipt_layout,
    wrap_columns,
    wrap_tokens,
)
from common.devices.printer.raster import wrap_pixels
from common.documents.fonts import pil_font, resolve_cjk_font
from common.documents.samples import RECEIPT

CLOSING = "，。、；：？！）》」』】〉”"
OPENING = "（《「『【〈“"
HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
# A Latin word or number, then a character: two words in a row would make one long word.
LATIN = st.builds(str.__add__, st.text("ABCXYZabc0123456789-", min_size=1, max_size=8), HANZI)


@st.composite
def chinese_text(draw: st.DrawFn) -> str:
    """Phrases of Chinese (with the odd Latin word or number) wrapped in and followed by
    punctuation, as on receipts: 公司登记（备案）申请书（原件，1份）。 No unbreakable unit is
    wider than the narrowest line tested (a unit wider than a line must be split anyhow)."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        body = draw(st.lists(st.one_of(HANZI, HANZI, HANZI, LATIN), min_size=1, max_size=6))
        opener = draw(st.sampled_from(["", "", *OPENING]))
        closer = draw(st.sampled_from(["", *CLOSING]))
        tail = draw(st.sampled_from(["", "", "，", "。", "、", "；"]))
        parts.append(opener + "".join(body) + closer + tail)
    return "".join(parts)


def _assert_rules(text: str, lines: list[str]) -> None:
    assert "".join(lines) == text
    for i, line in enumerate(lines):
        assert line, lines
        if i > 0:
            assert line[0] not in NO_LINE_START, (i, lines)
        if i < len(lines) - 1:
            assert line[-1] not in NO_LINE_END, (i, lines)


@given(chinese_text(), st.integers(16, 48))
@settings(max_examples=300, deadline=None)
def test_column_wrap_keeps_punctuation_off_line_edges(text: str, columns: int) -> None:
    _assert_rules(text, wrap_columns(text, columns))


@functools.cache
def _face(px: int) -> ImageFont.FreeTypeFont:
    return pil_font(resolve_cjk_font(), px)


@given(chinese_text(), st.sampled_from([24, 28, 56]), st.integers(368, 560))
@settings(max_examples=150, deadline=None)
def test_pixel_wrap_keeps_punctuation_off_line_edges(text: str, px: int, width: int) -> None:
    _assert_rules(text, wrap_pixels(text, width, _face(px)))


def test_tokens_glue_punctuation_and_keep_spaces_as_breaks() -> None:
    assert wrap_tokens("证明（复印件，2份）。") == ["证", "明", "（复", "印", "件，", "2", "份）。"]
    assert wrap_tokens("“好”") == ["“好”"]
    assert wrap_tokens("3号窗口  受理人：王明") == (
        ["3", "号", "窗", "口", " ", " ", "受", "理", "人：", "王", "明"]
    )
    assert wrap_tokens("，开头") == ["，", "开", "头"]  # nothing before it to glue to


def test_the_80mm_receipt_has_no_line_starting_with_closing_punctuation() -> None:
    """The sample receipt that showed the fault: native columns and raster pixels."""
    paper = Paper(80)
    face = _face(28)
    for block in receipt_layout(RECEIPT, paper).blocks:
        if isinstance(block, Text):
            for lines in (
                wrap_columns(block.text, paper.columns // block.scale),
                wrap_pixels(block.text, 560, face),
            ):
                assert all(line[0] not in NO_LINE_START for line in lines[1:]), lines
                assert all(line[-1] not in NO_LINE_END for line in lines[:-1]), lines
