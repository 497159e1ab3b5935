"""Amounts of money as a user types them: the forms accepted, to whole cents, and the ones refused.

Pure functions only (kehu.money).
"""

from __future__ import annotations

import pytest

from kehu.errors import ExitCode, UsageError
from kehu.money import parse_amount


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("120000", 12_000_000),
        ("120,000", 12_000_000),
        ("1,234,567.89", 123_456_789),
        ("12.5万", 12_500_000),
        ("12万", 12_000_000),
        ("12.5w", 12_500_000),
        ("12.5W", 12_500_000),
        ("8k", 800_000),
        ("0.01", 1),
        ("0.10", 10),
        ("0", 0),
        ("99.99", 9_999),
        ("100元", 10_000),
        ("¥120000", 12_000_000),
        (" 120000 ", 12_000_000),
        ("１２００００", 12_000_000),  # full-width digits
        ("0.0001万", 100),
    ],
)
def test_parse_amount(text, cents):
    assert parse_amount(text) == cents
    assert isinstance(parse_amount(text), int)


@pytest.mark.parametrize(
    "text",
    [
        "-5",
        "abc",
        "1.001",
        "0.001",
        "",
        " ",
        "1e5",
        "1.",
        ".5",
        "12.5亿",
        "nan",
        "inf",
        "12 000",
        "1.2.3",
        "0.0000001万",  # a tenth of a cent
        # Past Decimal's 28 default digits these were rounded to whole cents (1.00, 12.50万):
        "1.0000000000000000000000000001",
        "12.5000000000000000000000000001万",
        "0." + "0" * 80 + "1",
    ],
)
def test_parse_amount_refuses(text):
    with pytest.raises(UsageError) as info:
        parse_amount(text)
    assert info.value.key == "bad_amount"
    assert info.value.params == {"value": text}
    assert info.value.code == ExitCode.USAGE


@pytest.mark.parametrize("text", ["12,50", "1,2,3", "1,,000", ",5"])
def test_parse_amount_refuses_misplaced_thousands_separators(text):
    # "12,50" is twelve and a half in much of the world; reading it as 1250 is a
    # hundredfold error in a contract amount. A comma is only a thousands separator.
    with pytest.raises(UsageError) as info:
        parse_amount(text)
    assert info.value.key == "bad_amount"


@pytest.mark.parametrize(("text", "cents"), [
    ("1.00000000000000000000000000", 100),  # as many zeros as anyone types: still exact
    ("99999999999.99", 9_999_999_999_999),
    ("1000000000.00000000000000000000", 100_000_000_000),
])
def test_parse_amount_is_exact_with_many_digits(text, cents):
    assert parse_amount(text) == cents


def test_an_amount_with_too_many_digits_is_too_large_not_rounded():
    with pytest.raises(UsageError) as info:
        parse_amount("1" + "0" * 70)
    assert info.value.key == "amount_too_large"
