from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.documents.samples import CERTIFICATE
from common.people import (
    InvalidCreditCode,
    InvalidIdNumber,
    age_at,
    birth_date_of,
    check_character,
    credit_code_check_character,
    gender_of,
    hash_id_number,
    mask_id_number,
    mask_name,
    org_code_check_character,
    validate_credit_code,
    validate_id_number,
)

# Invented people; check characters computed by GB 11643.
VALID = ["11010519491231002X", "440524198001010013", "350102199003074515"]


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers(number: str) -> None:
    assert validate_id_number(number) == number


def test_lower_case_x_and_spaces_are_normalised() -> None:
    assert validate_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("1101051949123100", "shape"),
        ("11010519491231002Y", "shape"),
        ("01010519491231002X", "shape"),
        ("110105194902300027", "birth-date"),  # 30 February; deliberately invalid
        ("110105230001010019", "birth-date"),  # born in 2300
        ("110105194912310021", "check-digit"),  # deliberately invalid
    ],
)
def test_invalid_numbers(number: str, reason: str) -> None:
    with pytest.raises(InvalidIdNumber) as err:
        validate_id_number(number)
    assert err.value.reason == reason
    assert number not in str(err.value)  # safe to log
    assert err.value.message_zh


def test_birth_and_gender() -> None:
    assert birth_date_of("11010519491231002X") == dt.date(1949, 12, 31)
    assert gender_of("11010519491231002X") == "female"  # 002: even
    assert gender_of("440524198001010013") == "male"  # 001: odd


def test_age_at_birthdays() -> None:
    born = dt.date(1956, 11, 23)
    assert age_at(born, dt.date(2026, 11, 22)) == 69
    assert age_at(born, dt.date(2026, 11, 23)) == 70
    leap = dt.date(1956, 2, 29)
    assert age_at(leap, dt.date(2026, 2, 28)) == 69
    assert age_at(leap, dt.date(2026, 3, 1)) == 70


def test_masking() -> None:
    assert mask_id_number("350102199003074515") == "3501**********4515"
    assert mask_id_number("1234") == "****"
    assert mask_name("张小三") == "张*三"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("John Smith") == "J*** S****"
    assert mask_name("") == ""


def test_hash_is_keyed() -> None:
    a = hash_id_number("11010519491231002X", "secret-1")
    assert a == hash_id_number("11010519491231002x", "secret-1")
    assert a != hash_id_number("11010519491231002X", "secret-2")
    assert "11010519491231002X" not in a


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    area = draw(st.integers(110000, 659999))
    birth = draw(st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31)))
    seq = draw(st.integers(0, 999))
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


@given(id_numbers())
def test_generated_numbers_validate(number: str) -> None:
    assert validate_id_number(number, today=dt.date(2026, 11, 23)) == number


@given(id_numbers(), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_caught(number: str, pos: int, delta: int) -> None:
    digit = (int(number[pos]) + delta) % 10
    changed = number[:pos] + str(digit) + number[pos + 1 :]
    try:
        validate_id_number(changed, today=dt.date(2026, 11, 23))
    except InvalidIdNumber:
        return
    pytest.fail("a changed digit passed validation")


# Unified social credit codes (GB 32100). 91350100M000100Y43 is the worked example of the
# standard; the others are invented, with both check characters computed.
VALID_CREDIT = ["91350100M000100Y43", "91350102MA2YH8KL5Q", "123501004000007716"]


@pytest.mark.parametrize("code", VALID_CREDIT)
def test_valid_credit_codes(code: str) -> None:
    assert validate_credit_code(code) == code
    assert validate_credit_code(" " + code.lower() + " ") == code


def test_org_code_check_character_matches_gb_11714_example() -> None:
    # GB 11714's own example: D2143569-X (a remainder of 10 is written X).
    assert org_code_check_character("D2143569") == "X"
    assert org_code_check_character("M000100Y") == "4"


def test_credit_code_whose_embedded_org_code_fails_is_refused() -> None:
    # The old sample: its GB 32100 check character (J) is right, the embedded organisation
    # code MA2YH8KL-3 is not (GB 11714 gives 5).
    code = "91350102MA2YH8KL3J"
    assert credit_code_check_character(code[:17]) == code[17]
    with pytest.raises(InvalidCreditCode) as err:
        validate_credit_code(code)
    assert err.value.reason == "org-check-character"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "check-character"),  # last character changed
        # Embedded org check wrong (5, GB 11714 gives 4), GB 32100's recomputed to match.
        ("91350100M000100Y56", "org-check-character"),
        ("91350100M000100Y4", "shape"),  # 17 characters
        ("91350100M0001O0Y43", "shape"),  # the letter O is not in the character set
        ("9135010AM000100Y43", "shape"),  # area code must be digits
    ],
)
def test_invalid_credit_codes(code: str, reason: str) -> None:
    with pytest.raises(InvalidCreditCode) as err:
        validate_credit_code(code)
    assert err.value.reason == reason
    assert code not in str(err.value)


def test_sample_licence_credit_code_is_valid_under_both_standards() -> None:
    assert validate_credit_code(CERTIFICATE.holder_id_number) == CERTIFICATE.holder_id_number
    fields = dict(CERTIFICATE.fields)
    assert validate_credit_code(fields["统一社会信用代码"]) == CERTIFICATE.holder_id_number
