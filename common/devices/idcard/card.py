"""The card read from the reader: :class:`IdentityCard`, and parsing of the 256-byte text block.

Four layouts share the block (idcard-protocol.md): the resident card (居民身份证), the 'J'
residence permit for Hong Kong, Macao and Taiwan residents (港澳台居民居住证), and the 'I'
(2017) and 'Y' (2023) foreigner's permanent residence cards (外国人永久居留身份证). The card
type is the UCS-2 character at byte 248; anything else is a resident card.

Parsing is strict: a number that fails GB 11643, an impossible date or an unknown code raises
:class:`CardParseError` naming the field (never its value). "长期" in "valid to" is a long-term
card, not a parse failure (a known fault elsewhere). Expired cards parse fine and say so via
:meth:`IdentityCard.is_expired`: whether to refuse them is the calling screen's decision.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict

from common.devices.idcard.errors import CardParseError
from common.people import (
    InvalidIdNumber,
    birth_date_of,
    mask_id_number,
    mask_name,
    validate_id_number,
)
from common.people import age_at as _age_at

__all__ = [
    "LONG_TERM",
    "NATIONS",
    "TEXT_BLOCK_SIZE",
    "CardType",
    "Gender",
    "IdentityCard",
    "PhotoDecoder",
    "parse_additional_address",
    "parse_card",
]

log = logging.getLogger(__name__)

TEXT_BLOCK_SIZE = 256
ADDRESS_RECORD_SIZE = 70
LONG_TERM = "长期"

# A vendor WLT decoder: 1024 bytes of WLT in, a BMP (102 x 126, 24-bit) out, or None.
PhotoDecoder = Callable[[bytes], bytes | None]


class CardType(enum.StrEnum):
    """Which document was on the reader."""

    RESIDENT = "resident"  # 居民身份证
    HMT_RESIDENCE_PERMIT = "J"  # 港澳台居民居住证
    FOREIGN_PERMANENT_2017 = "I"  # 外国人永久居留身份证 (2017)
    FOREIGN_PERMANENT_2023 = "Y"  # 外国人永久居留身份证 (2023)

    @property
    def label_zh(self) -> str:
        return _TYPE_LABELS[self]


_TYPE_LABELS = {
    CardType.RESIDENT: "居民身份证",
    CardType.HMT_RESIDENCE_PERMIT: "港澳台居民居住证",
    CardType.FOREIGN_PERMANENT_2017: "外国人永久居留身份证",
    CardType.FOREIGN_PERMANENT_2023: "外国人永久居留身份证（2023版）",
}


class Gender(enum.Enum):
    """GB/T 2261.1 codes as stored on the card. Only 2 is female (unlike some drivers)."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSPECIFIED = "9"

    @property
    def label_zh(self) -> str:
        return {"0": "未知", "1": "男", "2": "女", "9": "未说明"}[self.value]


# GB 3304 nationality codes (民族).
_NATION_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 "
    "毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 "
    "乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
NATIONS: dict[str, str] = {f"{i:02d}": name for i, name in enumerate(_NATION_NAMES, start=1)}
NATIONS["97"] = "其他"
NATIONS["98"] = "外国血统中国籍人士"


@dataclass(frozen=True)
class IdentityCard:
    """One card as read from the reader (身份证 / 居住证 / 永居证), validated.

    ``number`` is the 18-character ID number (resident, 'J', 'Y') or the 15-character card
    number of a 2017 'I' card. ``name`` is the Chinese name where the card has one, else the
    English name. ``valid_to`` is None exactly when the card is long-term (``long_term``).
    The name and number are kept out of ``repr``/``str`` so a card can never leak into a log;
    use :attr:`masked_name` / :attr:`masked_number` for display. ``photo`` is the raw WLT
    bytes; :meth:`decode_photo` turns it into a BMP when a vendor decoder is configured.
    """

    card_type: CardType
    name: str = field(repr=False)
    gender: Gender
    birth_date: dt.date = field(repr=False)
    number: str = field(repr=False)
    valid_from: dt.date
    valid_to: dt.date | None
    long_term: bool = False
    nation_code: str | None = None  # resident cards only
    address: str = field(default="", repr=False)
    authority: str = ""  # issuing authority; the authority code on 'I' cards
    name_en: str | None = field(default=None, repr=False)  # 'I', 'Y'
    nationality: str | None = None  # ISO 3166 alpha-3, 'I' and 'Y'
    pass_number: str | None = field(default=None, repr=False)  # 'J': the travel permit number
    issue_count: int | None = None  # 'J': times issued; 'Y': renewal count
    card_version: str | None = None  # 'I'
    previous_number_link: str | None = field(default=None, repr=False)  # 'Y'
    photo: bytes = field(default=b"", repr=False, compare=False)
    fingerprint: bytes | None = field(default=None, repr=False, compare=False)
    additional_addresses: tuple[str, ...] = field(default=(), repr=False)
    photo_decoder: PhotoDecoder | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"IdentityCard(card_type={self.card_type.value!r}, name={self.masked_name!r}, "
            f"number={self.masked_number!r}, gender={self.gender.name}, "
            f"valid_to={'长期' if self.long_term else self.valid_to})"
        )

    __str__ = __repr__

    @property
    def masked_number(self) -> str:
        """``3501**********1234``."""
        return mask_id_number(self.number)

    @property
    def masked_name(self) -> str:
        """``张*三`` (or ``J*** S****`` for Latin names)."""
        return mask_name(self.name)

    @property
    def nation(self) -> str | None:
        """民族 in words (汉, 蒙古 …) for resident cards."""
        return NATIONS.get(self.nation_code) if self.nation_code else None

    @property
    def additional_address(self) -> str | None:
        """The latest additional address (追加住址), or None."""
        return self.additional_addresses[-1] if self.additional_addresses else None

    def age_at(self, when: dt.date) -> int:
        """Completed years on ``when`` (the green channel is from 70)."""
        return _age_at(self.birth_date, when)

    def is_expired(self, today: dt.date) -> bool:
        """True when ``today`` is after the last valid day; long-term cards never expire."""
        return self.valid_to is not None and today > self.valid_to

    def decode_photo(self) -> bytes | None:
        """The photo as a BMP, or None when no decoder is configured or it fails.

        None means "show a placeholder"; a decoder failure is logged, never raised, because a
        missing photo must not stop the hall from serving the citizen.
        """
        if self.photo_decoder is None or not self.photo:
            return None
        try:
            return self.photo_decoder(self.photo)
        except Exception:
            log.exception("photo decoder failed for card %s", self.masked_number)
            return None


# --- parsing -------------------------------------------------------------------------------


def _text(block: bytes, offset: int, size: int, name: str) -> str:
    raw = block[offset : offset + size]
    try:
        text = raw.decode("utf-16-le")
    except UnicodeDecodeError:
        raise CardParseError(name, "not valid UCS-2 text", "证件信息编码错误") from None
    # Fields are padded with spaces; some modules pad with NUL.
    return text.strip(" \x00\u3000")


def _raw_text(block: bytes, offset: int, size: int, name: str) -> str:
    # The field decoded but not stripped: for a value that continues in another field.
    _text(block, offset, size, name)  # validates the UCS-2
    return block[offset : offset + size].decode("utf-16-le")


def _date(value: str, name: str) -> dt.date:
    if not re.fullmatch(r"\d{8}", value):
        raise CardParseError(name, "not a date (YYYYMMDD)", "证件日期格式错误")
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise CardParseError(name, "not a real date", "证件日期无效") from None


def _gender(value: str) -> Gender:
    try:
        return Gender(value)
    except ValueError:
        raise CardParseError("gender", "unknown gender code", "性别代码无法识别") from None


def _validity(block: bytes) -> tuple[dt.date, dt.date | None, bool]:
    valid_from = _date(_text(block, 188, 16, "valid_from"), "valid_from")
    to_text = _text(block, 204, 16, "valid_to")
    if to_text == LONG_TERM:
        return valid_from, None, True
    valid_to = _date(to_text, "valid_to")
    if valid_to < valid_from:
        raise CardParseError("valid_to", "ends before it starts", "证件有效期限无效")
    return valid_from, valid_to, False


def _gb11643(number: str, field_name: str, birth: dt.date, today: dt.date) -> str:
    try:
        normalised = validate_id_number(number, today=today)
    except InvalidIdNumber as exc:
        raise CardParseError(field_name, f"fails GB 11643 ({exc.reason})", exc.message_zh) from None
    if birth_date_of(normalised) != birth:
        raise CardParseError("birth_date", "differs from the ID number", "出生日期与证件号码不符")
    return normalised


def _nationality(block: bytes, offset: int) -> str:
    value = _text(block, offset, 6, "nationality")
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise CardParseError("nationality", "not an ISO 3166 alpha-3 code", "国籍代码无法识别")
    return value


class _Shared(TypedDict):
    """The fields every layout fills the same way (type-checked when splatted)."""

    valid_from: dt.date
    valid_to: dt.date | None
    long_term: bool
    photo: bytes
    fingerprint: bytes | None
    additional_addresses: tuple[str, ...]
    photo_decoder: PhotoDecoder | None


def parse_card(
    text: bytes,
    photo: bytes = b"",
    fingerprint: bytes | None = None,
    *,
    additional_addresses: tuple[str, ...] = (),
    photo_decoder: PhotoDecoder | None = None,
    today: dt.date | None = None,
) -> IdentityCard:
    """Parse the 256-byte text block (UCS-2 LE) into an :class:`IdentityCard`.

    ``today`` only bounds birth dates (not in the future); expiry is left to the caller.
    """
    if len(text) != TEXT_BLOCK_SIZE:
        raise CardParseError(
            "text", f"text block is {len(text)} bytes, not 256", "证件信息长度错误"
        )
    today = today or dt.date.today()
    kind = _text(text, 248, 2, "card_type")
    valid_from, valid_to, long_term = _validity(text)
    common = _Shared(
        valid_from=valid_from,
        valid_to=valid_to,
        long_term=long_term,
        photo=bytes(photo),
        fingerprint=None if fingerprint is None else bytes(fingerprint),
        additional_addresses=additional_addresses,
        photo_decoder=photo_decoder,
    )

    if kind == "I":
        return _parse_foreign_2017(text, today, common)
    if kind == "Y":
        return _parse_foreign_2023(text, today, common)

    name = _text(text, 0, 30, "name")
    if not name:
        raise CardParseError("name", "empty", "姓名为空")
    gender = _gender(_text(text, 30, 2, "gender"))
    birth = _date(_text(text, 36, 16, "birth_date"), "birth_date")
    if birth > today:
        raise CardParseError("birth_date", "in the future", "出生日期无效")
    number = _gb11643(_text(text, 122, 36, "number"), "number", birth, today)
    address = _text(text, 52, 70, "address")
    authority = _text(text, 158, 30, "authority")
    if kind == "J":
        if number[:2] not in ("81", "82", "83"):
            raise CardParseError(
                "number", "not a Hong Kong/Macao/Taiwan code", "居住证号码地区码错误"
            )
        count = _text(text, 238, 4, "issue_count")
        if count and not count.isdigit():
            raise CardParseError("issue_count", "not a number", "签发次数无法识别")
        return IdentityCard(
            card_type=CardType.HMT_RESIDENCE_PERMIT,
            name=name,
            gender=gender,
            birth_date=birth,
            number=number,
            address=address,
            authority=authority,
            pass_number=_text(text, 220, 18, "pass_number") or None,
            issue_count=int(count) if count else None,
            **common,
        )
    nation = _text(text, 32, 4, "nation")
    if nation not in NATIONS:
        raise CardParseError("nation", "unknown nation code", "民族代码无法识别")
    return IdentityCard(
        card_type=CardType.RESIDENT,
        name=name,
        gender=gender,
        birth_date=birth,
        number=number,
        nation_code=nation,
        address=address,
        authority=authority,
        **common,
    )


def _parse_foreign_2017(text: bytes, today: dt.date, common: _Shared) -> IdentityCard:
    name_en = _text(text, 0, 120, "name_en")
    name_zh = _text(text, 158, 30, "name")
    if not (name_en or name_zh):
        raise CardParseError("name", "empty", "姓名为空")
    number = _text(text, 122, 30, "number").upper()
    # 15 characters: three-letter nationality then twelve digits. The check digit's algorithm
    # is not in our sources, so the shape is all that is checked.
    if not re.fullmatch(r"[A-Z]{3}\d{12}", number):
        raise CardParseError(
            "number", "not a 15-character permanent residence number", "永居证号码格式错误"
        )
    birth = _date(_text(text, 220, 16, "birth_date"), "birth_date")
    if birth > today:
        raise CardParseError("birth_date", "in the future", "出生日期无效")
    return IdentityCard(
        card_type=CardType.FOREIGN_PERMANENT_2017,
        name=name_zh or name_en,
        name_en=name_en or None,
        gender=_gender(_text(text, 120, 2, "gender")),
        birth_date=birth,
        number=number,
        nationality=_nationality(text, 152),
        authority=_text(text, 240, 8, "authority"),
        card_version=_text(text, 236, 4, "card_version") or None,
        **common,
    )


def _parse_foreign_2023(text: bytes, today: dt.date, common: _Shared) -> IdentityCard:
    # The 'Y' layout rests on one source (idcard-protocol.md), so every field is checked.
    name_zh = _text(text, 0, 30, "name")
    # The English name runs over two fields; join them raw before stripping, because part 1
    # is only padded when the whole name fits in it, and part 2 starts with a space when the
    # name was split exactly at one ("…ALEXANDROVICH" | " VRONSKY"): trimming either part
    # before the join would glue two words together.
    part1 = _raw_text(text, 52, 70, "name_en")
    part2 = _raw_text(text, 220, 22, "name_en")
    name_en = (part1 + part2).strip(" \x00\u3000")
    if not (name_zh or name_en):
        raise CardParseError("name", "empty", "姓名为空")
    birth = _date(_text(text, 36, 16, "birth_date"), "birth_date")
    if birth > today:
        raise CardParseError("birth_date", "in the future", "出生日期无效")
    number = _gb11643(_text(text, 122, 36, "number"), "number", birth, today)
    if not number.startswith("9"):
        raise CardParseError(
            "number", "a 2023 permanent residence number starts with 9", "永居证号码格式错误"
        )
    renewals = _text(text, 32, 4, "renewal_count")
    if renewals and not renewals.isdigit():
        raise CardParseError("renewal_count", "not a number", "换证次数无法识别")
    return IdentityCard(
        card_type=CardType.FOREIGN_PERMANENT_2023,
        name=name_zh or name_en,
        name_en=name_en or None,
        gender=_gender(_text(text, 30, 2, "gender")),
        birth_date=birth,
        number=number,
        nationality=_nationality(text, 242),
        issue_count=int(renewals) if renewals else None,
        previous_number_link=_text(text, 250, 6, "previous_number_link") or None,
        **common,
    )


def parse_additional_address(data: bytes) -> tuple[str, ...]:
    """Records of 70 bytes of UCS-2 text each (追加住址); blank records are dropped."""
    out = []
    for start in range(0, len(data) - len(data) % ADDRESS_RECORD_SIZE, ADDRESS_RECORD_SIZE):
        record = _text(data, start, ADDRESS_RECORD_SIZE, "additional_address")
        if record:
            out.append(record)
    return tuple(out)
