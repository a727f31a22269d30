"""Card parsing: every layout, strict validation, masking, the profiles' invented people."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

import pytest

from common.devices.idcard import CardParseError, CardType, Gender, IdentityCard, parse_card
from common.devices.idcard.card import NATIONS, parse_additional_address
from common.devices.idcard.profiles import (
    SAMPLE_PROFILES,
    CardProfile,
    encode_additional_addresses,
    with_check,
)
from common.people import InvalidIdNumber, validate_id_number

TODAY = dt.date(2026, 11, 23)


def ucs2(value: str, size: int) -> bytes:
    raw = value.encode("utf-16-le")
    assert len(raw) <= size
    return raw + b" \x00" * ((size - len(raw)) // 2)


def resident_block(**over: str) -> bytes:
    """A resident card's block written field by field at the documented offsets, independent
    of the encoder the simulator uses."""
    f = {
        "name": "张三",
        "gender": "1",
        "nation": "01",
        "birth": "19900101",
        "address": "福建省福州市鼓楼区某路1号",
        "number": with_check("35010219900101001"),
        "authority": "福州市公安局",
        "from": "20100101",
        "to": "20300101",
        "type": " ",
    }
    f.update(over)
    block = (
        ucs2(f["name"], 30)
        + ucs2(f["gender"], 2)
        + ucs2(f["nation"], 4)
        + ucs2(f["birth"], 16)
        + ucs2(f["address"], 70)
        + ucs2(f["number"], 36)
        + ucs2(f["authority"], 30)
        + ucs2(f["from"], 16)
        + ucs2(f["to"], 16)
        + ucs2("", 28)
        + ucs2(f["type"], 2)
        + ucs2("", 6)
    )
    assert len(block) == 256
    return block


def test_hand_built_resident_block() -> None:
    card = parse_card(resident_block(), b"W" * 1024, today=TODAY)
    assert card.card_type is CardType.RESIDENT
    assert card.name == "张三" and card.gender is Gender.MALE
    assert card.nation == "汉" and card.nation_code == "01"
    assert card.birth_date == dt.date(1990, 1, 1)
    assert card.address == "福建省福州市鼓楼区某路1号"
    assert card.number == with_check("35010219900101001")
    assert card.authority == "福州市公安局"
    assert (card.valid_from, card.valid_to, card.long_term) == (
        dt.date(2010, 1, 1),
        dt.date(2030, 1, 1),
        False,
    )
    assert card.photo == b"W" * 1024
    assert card.decode_photo() is None  # no decoder: a placeholder on screen


def test_long_term_is_not_a_date_error() -> None:
    card = parse_card(resident_block(to="长期"), today=TODAY)
    assert card.valid_to is None and card.long_term
    assert not card.is_expired(dt.date(2999, 1, 1))


@pytest.mark.parametrize(
    ("code", "gender"),
    [("0", Gender.UNKNOWN), ("1", Gender.MALE), ("2", Gender.FEMALE), ("9", Gender.UNSPECIFIED)],
)
def test_gender_codes_are_not_collapsed_to_female(code: str, gender: Gender) -> None:
    assert parse_card(resident_block(gender=code), today=TODAY).gender is gender


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"gender": "3"}, "gender"),
        ({"nation": "57"}, "nation"),
        ({"number": "350102199001010010"}, "number"),  # deliberately invalid check character
        ({"number": "35010219900101001"}, "number"),  # 17 characters
        ({"birth": "19900230"}, "birth_date"),
        ({"birth": "1990010A"}, "birth_date"),
        ({"birth": "19900102"}, "birth_date"),  # disagrees with the number
        ({"from": "20101301"}, "valid_from"),
        ({"to": "2030010"}, "valid_to"),
        ({"to": "20000101"}, "valid_to"),  # ends before it starts
        ({"name": ""}, "name"),
    ],
)
def test_strict_fields(override: dict[str, str], field: str) -> None:
    with pytest.raises(CardParseError) as info:
        parse_card(resident_block(**override), today=TODAY)
    assert info.value.field == field
    # The value is never in the message (exceptions are logged).
    assert with_check("35010219900101001") not in str(info.value)


def test_wrong_block_size_and_bad_ucs2() -> None:
    with pytest.raises(CardParseError):
        parse_card(b"\x20\x00" * 100, today=TODAY)
    block = bytearray(resident_block())
    block[0:2] = b"\x00\xd8"  # a lone surrogate is not UCS-2 text
    with pytest.raises(CardParseError):
        parse_card(bytes(block), today=TODAY)


def test_j_permit_requires_hmt_area_code() -> None:
    with pytest.raises(CardParseError) as info:
        parse_card(resident_block(type="J"), today=TODAY)
    assert info.value.field == "number"


def test_every_sample_profile_parses_with_its_type() -> None:
    types = {key: p.to_card(today=TODAY).card_type for key, p in SAMPLE_PROFILES.items()}
    assert set(types.values()) == set(CardType)


def test_profiles_are_valid_gb11643_and_cover_the_hall_cases() -> None:
    for key, profile in SAMPLE_PROFILES.items():
        if profile.card_type is not CardType.FOREIGN_PERMANENT_2017:
            assert validate_id_number(profile.number, today=TODAY) == profile.number, key
    cards = {k: p.to_card(today=TODAY) for k, p in SAMPLE_PROFILES.items()}
    assert any(c.age_at(TODAY) >= 70 for c in cards.values())
    assert cards["elderly"].age_at(TODAY) >= 70
    assert cards["expired"].is_expired(TODAY)
    assert cards["elderly"].long_term and cards["elderly"].valid_to is None
    assert [k for k, c in cards.items() if c.is_expired(TODAY)] == ["expired"]


def test_hmt_permit_fields() -> None:
    card = SAMPLE_PROFILES["hmt"].to_card(today=TODAY)
    assert card.card_type is CardType.HMT_RESIDENCE_PERMIT
    assert card.pass_number == "H60123456" and card.issue_count == 1
    assert card.number.startswith("81") and card.nation is None


def test_foreign_2017_fields() -> None:
    card = SAMPLE_PROFILES["foreign2017"].to_card(today=TODAY)
    assert card.card_type is CardType.FOREIGN_PERMANENT_2017
    assert card.name == "穆安娜" and card.name_en == "MUELLER, ANNA"
    assert card.nationality == "DEU" and card.number == "DEU110880615001"
    assert card.birth_date == dt.date(1988, 6, 15) and card.gender is Gender.FEMALE
    assert card.authority == "1500" and card.card_version == "05"
    assert card.masked_number == "DEU1*******5001"


def test_foreign_2023_joins_the_english_name_across_both_fields() -> None:
    card = SAMPLE_PROFILES["foreign2023"].to_card(today=TODAY)
    assert card.card_type is CardType.FOREIGN_PERMANENT_2023
    assert card.name_en == "KARENIN, ALEXEI ALEXANDROVICH VRONSKY-OBLONSKY"
    assert len(card.name_en) > 35  # really spans both fields
    assert card.nationality == "RUS" and card.issue_count == 0
    assert card.number.startswith("9")


def test_foreign_2023_keeps_the_space_where_the_english_name_is_split() -> None:
    # 35 characters fit in part 1; this name has its space exactly at character 36, so part 2
    # starts with it. Trimming part 2 before the join gave "…ALEXANDROVICHVRONSKY".
    name = "KARENINA, ANNA ARKADYEVNA ALEXANDRO VRONSKY"
    assert len(name) > 35 and name[35] == " " and name[34] != " "
    card = dataclasses.replace(SAMPLE_PROFILES["foreign2023"], name_en=name).to_card(today=TODAY)
    assert card.name_en == name


def test_foreign_2023_name_ending_part_1_with_a_space_is_kept() -> None:
    name = "KARENINA, ANNA ARKADYEVNA ALEXANDR VRONSKY"
    assert name[34] == " "
    card = dataclasses.replace(SAMPLE_PROFILES["foreign2023"], name_en=name).to_card(today=TODAY)
    assert card.name_en == name


def test_foreign_2023_short_english_name_is_unpadded() -> None:
    short = dataclasses.replace(SAMPLE_PROFILES["foreign2023"], name_en="LI, ANNA")
    card = short.to_card(today=TODAY)
    assert card.name_en == "LI, ANNA"


def test_foreign_2023_is_strict() -> None:
    base = SAMPLE_PROFILES["foreign2023"]
    for bad in (
        dataclasses.replace(base, nationality="R1"),
        dataclasses.replace(base, number=with_check("11010119900822003")),  # not a 9 number
        dataclasses.replace(base, issue_count="x"),
    ):
        with pytest.raises(CardParseError):
            bad.to_card(today=TODAY)


def test_foreign_2017_number_shape_is_checked() -> None:
    bad = dataclasses.replace(SAMPLE_PROFILES["foreign2017"], number="DEU11088061500")
    with pytest.raises(CardParseError):
        bad.to_card(today=TODAY)


def test_additional_addresses() -> None:
    data = encode_additional_addresses(("甲地址", "乙地址"))
    assert len(data) == 140
    assert parse_additional_address(data) == ("甲地址", "乙地址")
    card = SAMPLE_PROFILES["moved"].to_card(today=TODAY)
    assert card.additional_address == "福建省福州市仓山区再迁路3号"


def test_repr_and_str_mask_number_and_name(caplog: pytest.LogCaptureFixture) -> None:
    for profile in SAMPLE_PROFILES.values():
        card = profile.to_card(today=TODAY)
        for text in (repr(card), str(card), f"{card}", f"{card!r}"):
            assert card.number not in text and card.name not in text
            assert card.masked_number in text
        if card.name_en:
            assert card.name_en not in repr(card)
        with caplog.at_level(logging.DEBUG):
            logging.getLogger("test").info("card %s %r", card, card)
        assert card.number not in caplog.text


def test_helpers() -> None:
    card = SAMPLE_PROFILES["resident"].to_card(today=TODAY)
    assert card.masked_number == "3501**********1236"
    assert card.masked_name == "李*明"
    assert card.age_at(dt.date(2026, 5, 13)) == 37 and card.age_at(dt.date(2026, 5, 14)) == 38
    assert not card.is_expired(dt.date(2039, 6, 1)) and card.is_expired(dt.date(2039, 6, 2))


def test_cards_are_frozen_and_comparable() -> None:
    a = SAMPLE_PROFILES["resident"].to_card(today=TODAY)
    b = SAMPLE_PROFILES["resident"].to_card(today=TODAY)
    assert a == b and a != SAMPLE_PROFILES["elderly"].to_card(today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "x"  # type: ignore[misc]


def test_decode_photo_uses_the_decoder_and_survives_its_failure() -> None:
    base = SAMPLE_PROFILES["resident"].to_card(today=TODAY)
    card = dataclasses.replace(base, photo_decoder=lambda wlt: b"BM" + wlt[:4])
    assert card.decode_photo() == b"BM" + base.photo[:4]

    def broken(wlt: bytes) -> bytes:
        raise RuntimeError("vendor DLL crashed")

    assert dataclasses.replace(base, photo_decoder=broken).decode_photo() is None


def test_nation_table() -> None:
    assert len(NATIONS) == 58
    assert (
        NATIONS["01"] == "汉" and NATIONS["56"] == "基诺" and NATIONS["98"] == "外国血统中国籍人士"
    )


def test_future_birth_dates_are_refused() -> None:
    profile = dataclasses.replace(
        SAMPLE_PROFILES["resident"], birth="20300101", number=with_check("35010220300101123")
    )
    with pytest.raises(CardParseError):
        profile.to_card(today=TODAY)
    with pytest.raises(InvalidIdNumber):
        validate_id_number(profile.number, today=TODAY)


def test_profile_type_is_identitycard() -> None:
    assert isinstance(SAMPLE_PROFILES["hmt"].to_card(today=TODAY), IdentityCard)
    assert isinstance(SAMPLE_PROFILES["hmt"], CardProfile)
