"""The frame codec against every frame and sample in idcard-protocol.md, byte for byte."""

from __future__ import annotations

import struct

import pytest

from common.devices.idcard import errors
from common.devices.idcard.protocol import (
    MAX_LEN,
    Command,
    FrameParser,
    Request,
    Response,
    build_request,
    build_response,
    checksum,
    parse_request,
    parse_response,
)
from common.devices.idcard.reader import split_read_payload


def hx(text: str) -> bytes:
    return bytes.fromhex(text)


# The "Commands (whole request frames)" table, verbatim.
DOC_REQUESTS = {
    Command.RESET_SAM: "AA AA AA 96 69 00 03 10 FF EC",
    Command.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    Command.SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    Command.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    Command.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    Command.READ_TEXT_PHOTO: "AA AA AA 96 69 00 03 30 01 32",
    Command.READ_TEXT_PHOTO_FINGERPRINT: "AA AA AA 96 69 00 03 30 10 23",
    Command.READ_ADDITIONAL_ADDRESS: "AA AA AA 96 69 00 03 30 03 30",
}


@pytest.mark.parametrize(
    ("command", "frame"), DOC_REQUESTS.items(), ids=lambda v: getattr(v, "name", "")
)
def test_request_frames_match_the_protocol_table(command: Command, frame: str) -> None:
    assert command.frame() == hx(frame)
    assert build_request(command.cmd, command.para) == hx(frame)
    parsed = parse_request(hx(frame))
    assert (parsed.cmd, parsed.para, parsed.data) == (command.cmd, command.para, b"")


def test_the_disagreeing_variants_are_buildable() -> None:
    # "one implementation uses 12 FF for SAM status and another 01 FF for reset"
    assert build_request(0x12, 0xFF) == hx("AA AA AA 96 69 00 03 12 FF EE")
    assert build_request(0x01, 0xFF) == hx("AA AA AA 96 69 00 03 01 FF FD")


def test_find_ok_sample() -> None:
    sample = hx("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    assert build_response(0x9F, b"\0\0\0\0") == sample
    response = parse_response(sample)
    assert response == Response(0, 0, 0x9F, b"\0\0\0\0")
    assert response.raise_for_status(Command.FIND_CARD) is response  # 9F is success, not a time-out


def test_find_failed_sample() -> None:
    sample = hx("AA AA AA 96 69 00 04 00 00 80 84")
    assert build_response(0x80) == sample
    with pytest.raises(errors.NoCardError) as info:
        parse_response(sample).raise_for_status(Command.FIND_CARD)
    assert info.value.status == 0x80
    assert info.value.message_zh and info.value.message_en


def test_select_ok_sample() -> None:
    serial = hx("01 02 03 04 05 06 07 08")
    frame = build_response(0x90, serial)
    assert frame[:10] == hx("AA AA AA 96 69 00 0C 00 00 90")
    assert frame[10:18] == serial
    assert frame[18] == checksum(frame[5:18])
    assert len(frame) == 0x0C + 7
    assert parse_response(frame).raise_for_status(Command.SELECT_CARD).data == serial


def test_sam_id_payload_and_format() -> None:
    data = struct.pack("<HHIII", 5, 2, 20230101, 12345678, 87654321)
    frame = build_response(0x90, data)
    assert frame[5:7] == b"\x00\x14" and frame[10:26] == data


def test_read_text_photo_layout_1295_bytes() -> None:
    text, photo = bytes(range(256)), bytes(1024)
    frame = build_response(0x90, b"\x01\x00\x04\x00" + text + photo)
    assert len(frame) == 1295
    assert frame[5:7] == b"\x05\x08"  # LEN = 0x0508
    assert frame[10:12] == b"\x01\x00" and frame[12:14] == b"\x04\x00"
    assert frame[14:270] == text and frame[270:1294] == photo
    response = parse_response(frame)
    # 0x01, 0x00 is 256 (not 1 << (8 + 0)); read from the frame, not assumed.
    assert split_read_payload(response, fingerprint=False) == (text, photo, None)


@pytest.mark.parametrize("fp_size", [1024, 512, 0])
def test_read_with_fingerprint_layout(fp_size: int) -> None:
    text, photo, finger = b"t" * 256, b"p" * 1024, b"f" * fp_size
    frame = build_response(0x90, struct.pack(">HHH", 256, 1024, fp_size) + text + photo + finger)
    assert frame[16:272] == text  # text at 16 when three lengths precede it
    response = parse_response(frame)
    assert split_read_payload(response, fingerprint=True) == (text, photo, finger)


def test_lengths_that_overrun_the_frame_are_refused() -> None:
    response = parse_response(build_response(0x90, b"\x01\x00\x04\x00" + b"x" * 100))
    with pytest.raises(errors.LengthError):
        split_read_payload(response, fingerprint=False)


def test_frame_length_is_len_plus_7_and_checksum_covers_len_to_last_data() -> None:
    frame = build_response(0x90, b"abc")
    assert len(frame) == struct.unpack(">H", frame[5:7])[0] + 7
    assert frame[-1] == checksum(frame[5:-1])


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (0x91, errors.NoContentError),
        (0x10, errors.ModuleError),
        (0x11, errors.ModuleError),
        (0x21, errors.ModuleError),
        (0x23, errors.ModuleError),
        (0x24, errors.ModuleError),
        (0x31, errors.CardAuthenticationError),
        (0x32, errors.CardAuthenticationError),
        (0x33, errors.CardAuthenticationError),
        (0x40, errors.CardAuthenticationError),
        (0x41, errors.CardReadError),
        (0x47, errors.CardAuthenticationError),
        (0x60, errors.ModuleError),
        (0x66, errors.ModuleError),
        (0x80, errors.NoCardError),
        (0x81, errors.SelectCardError),
        (0x55, errors.UnknownStatusError),
    ],
)
def test_status_codes_become_typed_errors_with_two_languages(
    status: int, cls: type[errors.ReaderStatusError]
) -> None:
    response = parse_response(build_response(status))
    with pytest.raises(cls) as info:
        response.raise_for_status(Command.READ_TEXT_PHOTO)
    exc = info.value
    assert type(exc) is cls and exc.status == status
    assert f"0x{status:02X}" in exc.message_en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.message_zh)
    assert isinstance(exc, errors.IdCardError)


def test_9f_is_not_success_for_other_commands() -> None:
    with pytest.raises(errors.UnknownStatusError):
        parse_response(build_response(0x9F)).raise_for_status(Command.READ_TEXT_PHOTO)


def test_9f_to_another_command_points_at_a_shared_port() -> None:
    # Hall trial: a kiosk and a counter on one port saw "unknown reader status 0x9F".
    with pytest.raises(errors.UnknownStatusError) as err:
        parse_response(build_response(0x9F)).raise_for_status(Command.SELECT_CARD)
    assert "another program" in err.value.message_en and "其他程序" in err.value.message_zh


@pytest.mark.parametrize(
    ("frame", "cls"),
    [
        (hx("AA AA AA 96 69 00 04 00 00 80 85"), errors.ChecksumError),
        (hx("AA AA AA 96 69 00 05 00 00 80 84"), errors.LengthError),
        (hx("AA AA AA 96 69 00 02 00 00"), errors.LengthError),
        (hx("AA AA 96 69 00 04 00 00 80 84"), errors.FrameError),
        (b"", errors.FrameError),
    ],
)
def test_strict_parse_rejects_broken_frames(frame: bytes, cls: type[errors.FrameError]) -> None:
    with pytest.raises(cls):
        parse_response(frame)


# --- streaming parser ------------------------------------------------------------------------

FIND_OK = hx("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
FIND_FAILED = hx("AA AA AA 96 69 00 04 00 00 80 84")


def responses(items: list[Response | Request | errors.FrameError]) -> list[Response]:
    return [i for i in items if isinstance(i, Response)]


def test_parser_byte_by_byte() -> None:
    parser = FrameParser()
    out = []
    for b in FIND_OK + FIND_FAILED:
        out += parser.feed(bytes([b]))
    assert [r.status for r in responses(out)] == [0x9F, 0x80]
    assert parser.garbage_bytes == 0 and parser.buffered == 0


def test_parser_skips_garbage_including_preamble_fragments() -> None:
    parser = FrameParser()
    garbage = b"\x00\xff\xaa\xaa\x13\xaa\xaa\xaa\x96" + b"junk"
    out = parser.feed(garbage + FIND_OK + b"\xaa\xaa" + FIND_FAILED)
    assert [r.status for r in responses(out)] == [0x9F, 0x80]
    assert parser.garbage_bytes == len(garbage) + 2


def test_parser_reports_bad_checksum_and_keeps_the_next_frame() -> None:
    parser = FrameParser()
    bad = FIND_OK[:-1] + b"\x00"
    out = parser.feed(bad + FIND_FAILED)
    assert isinstance(out[0], errors.ChecksumError)
    assert [r.status for r in responses(out)] == [0x80]


def test_parser_drops_a_truncated_frame_when_the_next_one_is_complete() -> None:
    parser = FrameParser()
    big = build_response(0x90, b"\x01\x00\x04\x00" + bytes(1280))
    out = parser.feed(big[:400])
    assert out == []
    assert parser.wanted() == len(big) - 400  # asks for the rest of the frame at once
    out = parser.feed(FIND_FAILED)
    assert isinstance(out[0], errors.TruncatedFrameError)
    assert [r.status for r in responses(out)] == [0x80]


def test_parser_rejects_absurd_length_fields_without_waiting() -> None:
    parser = FrameParser()
    out = parser.feed(hx("AA AA AA 96 69 FF FF") + FIND_FAILED)
    assert isinstance(out[0], errors.LengthError)
    assert [r.status for r in responses(out)] == [0x80]
    parser = FrameParser()
    assert isinstance(
        parser.feed(hx("AA AA AA 96 69") + struct.pack(">H", MAX_LEN + 1))[0], errors.LengthError
    )


def test_give_up_abandons_a_stale_head_after_a_timeout() -> None:
    parser = FrameParser()
    head = hx("AA AA AA 96 69 05 08 00 00 90") + b"\x01" * 20  # claims 1295 bytes, never sent
    assert parser.feed(head) == []
    assert parser.give_up() == []
    assert parser.buffered < len(head)  # the stale head is gone; what remains is rescanned
    out = parser.feed(FIND_FAILED)
    assert [r.status for r in responses(out)] == [0x80]
    assert not any(isinstance(i, errors.FrameError) for i in out)


def test_request_parser() -> None:
    parser = FrameParser(requests=True)
    out = parser.feed(b"\x00" + Command.FIND_CARD.frame() + Command.READ_TEXT_PHOTO.frame())
    assert out == [Request(0x20, 0x01), Request(0x30, 0x01)]
