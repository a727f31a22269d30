"""E-certificate identifiers and ISO 7064 MOD 37,36."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.documents.certificate_id import (
    InvalidCertificateId,
    iso7064_mod37_36,
    make_certificate_id,
    parse_certificate_id,
)
from common.documents.samples import EXAMPLE_ID

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_domain_example_checks() -> None:
    parsed = parse_certificate_id(EXAMPLE_ID)
    assert parsed.check == "Y"
    assert parsed.issuer_code == "11110000000021135M"
    assert str(parsed) == EXAMPLE_ID
    assert (
        make_certificate_id("11100000000013338W011", "11110000000021135M", "20230329701", "003")
        == EXAMPLE_ID
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (EXAMPLE_ID[:-1] + "Z", "expected 'Y'"),
        ("1.2.156.3005.1.A.B.C.D.E", "must start"),
        ("1.2.156.3005.2.A.B.C.D", "5 segments"),
        ("1.2.156.3005.2.A-1.B.C.D.E", "type code"),
    ],
)
def test_bad_identifiers_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidCertificateId, match=reason):
        parse_certificate_id(text)


@given(st.text(ALNUM, min_size=1, max_size=40), st.data())
def test_every_single_substitution_is_detected(data: str, draw: st.DataObject) -> None:
    # MOD 37,36 detects all single-character errors: the property that makes it a check.
    check = iso7064_mod37_36(data)
    i = draw.draw(st.integers(0, len(data) - 1))
    other = draw.draw(st.sampled_from([c for c in ALNUM if c != data[i]]))
    assert iso7064_mod37_36(data[:i] + other + data[i + 1 :]) != check
