"""The national e-certificate identifier (电子证照标识) and its ISO 7064 check character.

Form: ``1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>``. The check
character is ISO 7064 MOD 37,36 (the hybrid system with M = 36 over the 36 symbols 0-9 A-Z)
computed over the concatenated segments after the root, e.g. for DOMAIN.md's example
``1.2.156.3005.2.11100000000013338W011.11110000000021135M.20230329701.003.Y`` over
``11100000000013338W011`` + ``11110000000021135M`` + ``20230329701`` + ``003`` → ``Y``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ROOT",
    "CertificateIdentifier",
    "InvalidCertificateId",
    "iso7064_mod37_36",
    "make_certificate_id",
    "parse_certificate_id",
]

ROOT = "1.2.156.3005.2"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(_ALPHABET)}


class InvalidCertificateId(ValueError):
    """An identifier with the wrong root, shape, characters or check character."""


def iso7064_mod37_36(data: str) -> str:
    """The ISO 7064 MOD 37,36 check character for ``data`` (digits and capital letters).

    Hybrid system: start with p = 36; for each character s = (p + value) mod 36 (0 counts as
    36), p = 2·s mod 37; the check character c makes (p + c) mod 36 == 1.
    """
    p = 36
    for ch in data.upper():
        value = _VALUE.get(ch)
        if value is None:
            raise InvalidCertificateId(f"character {ch!r} is not allowed (only 0-9 and A-Z)")
        s = (p + value) % 36 or 36
        p = (2 * s) % 37
    return _ALPHABET[(37 - p) % 36]


@dataclass(frozen=True)
class CertificateIdentifier:
    """A parsed identifier; ``str()`` gives the dotted form with its check character."""

    type_code: str
    issuer_code: str
    serial: str
    version: str
    check: str

    def __str__(self) -> str:
        return (
            f"{ROOT}.{self.type_code}.{self.issuer_code}.{self.serial}.{self.version}.{self.check}"
        )


def _segment(name: str, value: str) -> str:
    value = value.strip().upper()
    if not value or any(ch not in _VALUE for ch in value):
        raise InvalidCertificateId(
            f"{name}: must be non-empty digits / capital letters, got {value!r}"
        )
    return value


def make_certificate_id(type_code: str, issuer_code: str, serial: str, version: str = "001") -> str:
    """Build an identifier and append its check character."""
    parts = [
        _segment("type code", type_code),
        _segment("issuer code", issuer_code),
        _segment("serial", serial),
        _segment("version", version),
    ]
    t, i, se, v = parts
    return str(CertificateIdentifier(t, i, se, v, iso7064_mod37_36("".join(parts))))


def parse_certificate_id(text: str) -> CertificateIdentifier:
    """Parse and verify an identifier, raising :class:`InvalidCertificateId` with the reason."""
    text = text.strip().upper()
    if not text.startswith(ROOT + "."):
        raise InvalidCertificateId(f"must start with {ROOT}.")
    rest = text[len(ROOT) + 1 :].split(".")
    if len(rest) != 5:
        raise InvalidCertificateId(
            "expected 5 segments after the root: type.issuer.serial.version.check"
        )
    type_code, issuer, serial, version, check = rest
    parts = [
        _segment("type code", type_code),
        _segment("issuer code", issuer),
        _segment("serial", serial),
        _segment("version", version),
    ]
    if len(check) != 1:
        raise InvalidCertificateId("the check segment must be one character")
    expected = iso7064_mod37_36("".join(parts))
    if check != expected:
        raise InvalidCertificateId(f"check character is {check!r}, expected {expected!r}")
    t, i, se, v = parts
    return CertificateIdentifier(t, i, se, v, check)
