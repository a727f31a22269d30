"""Guard: every 18-digit ID number in the test and sample data has a valid GB 11643 check digit.

Test people with wrong check digits (issue 15) hide bugs: a flow that validates numbers would
refuse them, so tests pass by not validating. Invented people get valid check characters; a
number that is wrong on purpose says so on its line with ``deliberately invalid``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from common.people import check_character

ROOT = Path(__file__).resolve().parents[2]
# The whole tree we write: samples, simulators, CLI help, benches and docs all show numbers.
SCANNED = ("tests", "common", "counter", "kiosk", "server", "bench", "scripts", "resources", "docs")
# 18 characters shaped like a resident number: area, a birth date 1800-2099, sequence, check.
# Not inside a longer run of letters or digits (credit codes, identifiers, hashes).
ID_LIKE = re.compile(
    r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[\dXx])(?![0-9A-Za-z])"
)
MARKER = "deliberately invalid"


def scanned_files() -> list[Path]:
    files: list[Path] = []
    for entry in SCANNED:
        path = ROOT / entry
        if path.is_file():
            files.append(path)
        else:
            files += sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )
    return files


def wrong_check_digits(text: str) -> list[tuple[int, str]]:
    """(line, number) for every ID-like number whose check character is wrong, unmarked."""
    found = []
    for line_no, line in enumerate(text.splitlines(), 1):
        if MARKER in line:
            continue
        for match in ID_LIKE.finditer(line):
            number = match.group(1).upper()
            if check_character(number[:17]) != number[17]:
                found.append((line_no, number))
    return found


def test_the_scan_finds_wrong_and_passes_right_numbers() -> None:
    wrong = "1101021948030200" + "20"  # split so this file passes its own scan
    text = f'A = "{wrong}"\nB = "110102194803020024"\nC = "91350102MA2YH8KL5Q"\n'
    assert wrong_check_digits(text) == [(1, wrong)]
    assert wrong_check_digits(f'X = "{wrong}"  # {MARKER}\n') == []


def test_test_and_sample_id_numbers_have_valid_check_digits() -> None:
    files = scanned_files()
    assert any(p.name == "test_flow.py" for p in files)  # the scan really covers the tests
    bad = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # images, sounds, compiled translations
        bad += [f"{path.relative_to(ROOT)}:{line}: {num}" for line, num in wrong_check_digits(text)]
    if bad:
        pytest.fail(
            "ID numbers with a wrong GB 11643 check digit (invent valid ones, or mark a "
            f"deliberate one with '{MARKER}'):\n" + "\n".join(bad)
        )
