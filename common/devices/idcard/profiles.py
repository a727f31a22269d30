"""Invented card holders for the simulator, the fake reader, demos and tests.

Every person here is made up. Their ID numbers carry valid GB 11643 check digits (computed,
not typed, so they cannot drift) and birth dates that match the number. The set covers every
card type plus the cases screens must handle: a green-channel holder aged 70+ with a
long-term (长期) card, an expired card and a card with additional addresses.

:func:`encode_text_block` writes the 256-byte UCS-2 block exactly as a card module returns it,
so both the simulator (over a real port) and :class:`FakeCardReader` (in memory) produce cards
through the same parser as a real reader.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from common.devices.idcard.card import (
    ADDRESS_RECORD_SIZE,
    LONG_TERM,
    TEXT_BLOCK_SIZE,
    CardType,
    IdentityCard,
    parse_card,
)
from common.people import check_character

__all__ = [
    "SAMPLE_PROFILES",
    "CardProfile",
    "encode_additional_addresses",
    "encode_text_block",
    "with_check",
]

PHOTO_SIZE = 1024


def with_check(first17: str) -> str:
    """Append the GB 11643 check character to 17 digits."""
    return first17 + check_character(first17)


@dataclass(frozen=True)
class CardProfile:
    """What a simulated card holds. Dates are ``YYYYMMDD`` strings as on the card (so tests can
    also put impossible ones on a card); ``valid_to`` may be ``长期``."""

    card_type: CardType
    name: str
    gender: str
    birth: str
    number: str
    valid_from: str
    valid_to: str
    nation: str = ""
    address: str = ""
    authority: str = ""
    name_en: str = ""
    nationality: str = ""
    pass_number: str = ""
    issue_count: str = ""
    card_version: str = ""
    previous_number_link: str = ""
    additional_addresses: tuple[str, ...] = ()
    fingerprint_size: int = 1024
    description: str = field(default="", compare=False)

    @property
    def serial(self) -> bytes:
        """The 8-byte card serial that "select card" returns, stable per card."""
        return hashlib.sha256(b"serial:" + self.number.encode()).digest()[:8]

    @property
    def photo(self) -> bytes:
        """1024 bytes standing in for the encrypted WLT photo (deterministic per card)."""
        return _stream(b"photo:" + self.number.encode(), PHOTO_SIZE)

    @property
    def fingerprint(self) -> bytes:
        return _stream(b"finger:" + self.number.encode(), self.fingerprint_size)

    def text_block(self) -> bytes:
        return encode_text_block(self)

    def to_card(self, *, today: dt.date | None = None, fingerprint: bool = False) -> IdentityCard:
        """The :class:`IdentityCard` a reader would report for this profile."""
        return parse_card(
            self.text_block(),
            self.photo,
            self.fingerprint if fingerprint else None,
            additional_addresses=tuple(a for a in self.additional_addresses if a.strip()),
            today=today,
        )


def _stream(seed: bytes, size: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return bytes(out[:size])


def _put(block: bytearray, offset: int, size: int, value: str, name: str) -> None:
    raw = value.encode("utf-16-le")
    if len(raw) > size:
        raise ValueError(f"{name} does not fit in {size} bytes")
    block[offset : offset + size] = raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def encode_text_block(p: CardProfile) -> bytes:
    """The 256-byte UCS-2 LE text block for a profile (layouts from idcard-protocol.md)."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_BLOCK_SIZE // 2))
    if p.card_type is CardType.FOREIGN_PERMANENT_2017:
        _put(block, 0, 120, p.name_en, "name_en")
        _put(block, 120, 2, p.gender, "gender")
        _put(block, 122, 30, p.number, "number")
        _put(block, 152, 6, p.nationality, "nationality")
        _put(block, 158, 30, p.name, "name")
        _put(block, 220, 16, p.birth, "birth")
        _put(block, 236, 4, p.card_version, "card_version")
        _put(block, 240, 8, p.authority, "authority")
    elif p.card_type is CardType.FOREIGN_PERMANENT_2023:
        _put(block, 0, 30, p.name, "name")
        _put(block, 30, 2, p.gender, "gender")
        _put(block, 32, 4, p.issue_count, "renewal_count")
        _put(block, 36, 16, p.birth, "birth")
        # The English name fills 35 characters at 52 and continues for 11 at 220.
        _put(block, 52, 70, p.name_en[:35], "name_en")
        _put(block, 220, 22, p.name_en[35:], "name_en part 2")
        _put(block, 122, 36, p.number, "number")
        _put(block, 242, 6, p.nationality, "nationality")
        _put(block, 250, 6, p.previous_number_link, "previous_number_link")
    else:
        _put(block, 0, 30, p.name, "name")
        _put(block, 30, 2, p.gender, "gender")
        _put(block, 32, 4, p.nation, "nation")
        _put(block, 36, 16, p.birth, "birth")
        _put(block, 52, 70, p.address, "address")
        _put(block, 122, 36, p.number, "number")
        _put(block, 158, 30, p.authority, "authority")
        if p.card_type is CardType.HMT_RESIDENCE_PERMIT:
            _put(block, 220, 18, p.pass_number, "pass_number")
            _put(block, 238, 4, p.issue_count, "issue_count")
    _put(block, 188, 16, p.valid_from, "valid_from")
    _put(block, 204, 16, p.valid_to, "valid_to")
    if p.card_type is not CardType.RESIDENT:
        _put(block, 248, 2, p.card_type.value, "card_type")
    return bytes(block)


def encode_additional_addresses(addresses: tuple[str, ...]) -> bytes:
    """70-byte UCS-2 records, as "read additional address" returns them."""
    out = bytearray()
    for address in addresses:
        record = bytearray(ADDRESS_RECORD_SIZE)
        _put(record, 0, ADDRESS_RECORD_SIZE, address, "additional_address")
        out += record
    return bytes(out)


SAMPLE_PROFILES: Mapping[str, CardProfile] = {
    "resident": CardProfile(
        CardType.RESIDENT,
        "李晓明",
        "1",
        "19880514",
        with_check("35010219880514123"),
        "20190601",
        "20390601",
        nation="01",
        address="福建省福州市鼓楼区示范路12号3座401室",
        authority="福州市公安局鼓楼分局",
        description="resident card, valid 20 years",
    ),
    "elderly": CardProfile(
        CardType.RESIDENT,
        "王秀英",
        "2",
        "19480302",
        with_check("11010219480302002"),
        "20120820",
        LONG_TERM,
        nation="03",
        address="北京市西城区示例胡同8号",
        authority="北京市公安局西城分局",
        description="aged 70+ (green channel), 长期 card",
    ),
    "expired": CardProfile(
        CardType.RESIDENT,
        "陈建国",
        "1",
        "19751130",
        with_check("45010219751130201"),
        "20040110",
        "20140110",
        nation="08",
        address="广西壮族自治区南宁市青秀区样例路99号",
        authority="南宁市公安局青秀分局",
        description="expired in 2014",
    ),
    "moved": CardProfile(
        CardType.RESIDENT,
        "赵敏",
        "2",
        "19950228",
        with_check("35020319950228004"),
        "20150301",
        "20350301",
        nation="01",
        address="福建省厦门市思明区测试街1号",
        authority="厦门市公安局思明分局",
        additional_addresses=("福建省厦门市湖里区新址路20号", "福建省福州市仓山区再迁路3号"),
        fingerprint_size=512,
        description="two additional addresses, 512-byte fingerprint",
    ),
    "hmt": CardProfile(
        CardType.HMT_RESIDENCE_PERMIT,
        "陈嘉欣",
        "2",
        "19920315",
        with_check("81000019920315002"),
        "20240301",
        "20290301",
        address="广东省深圳市福田区演示大道100号",
        authority="深圳市公安局",
        pass_number="H60123456",
        issue_count="01",
        description="'J' residence permit, Hong Kong resident",
    ),
    "foreign2017": CardProfile(
        CardType.FOREIGN_PERMANENT_2017,
        "穆安娜",
        "2",
        "19880615",
        "DEU110880615001",
        "20180701",
        "20280701",
        name_en="MUELLER, ANNA",
        nationality="DEU",
        card_version="05",
        authority="1500",
        fingerprint_size=0,
        description="'I' foreigner's permanent residence card (2017), no fingerprint",
    ),
    "foreign2023": CardProfile(
        CardType.FOREIGN_PERMANENT_2023,
        "卡列宁",
        "1",
        "19900822",
        with_check("91115619900822003"),
        "20230901",
        "20330901",
        name_en="KARENIN, ALEXEI ALEXANDROVICH VRONSKY-OBLONSKY",
        nationality="RUS",
        issue_count="00",
        description="'Y' card (2023), English name over two fields",
    ),
}
