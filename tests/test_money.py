"""Amounts of money as a user types them: the forms accepted, to whole cents, and the ones refused.

Pure functions only (kehu.money).
"""

from __future__ import annotations

import re
from pathlib import Path

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
        # units and the ways a salesperson writes them
        ("12.5亿", 125_000_000_000),
        ("1.2亿", 12_000_000_000),
        ("5千", 500_000),
        ("3千万", 3_000_000_000),
        ("2百万", 200_000_000),
        ("5百", 50_000),
        ("１２万", 12_000_000),  # full-width digits
        ("12.5万元", 12_500_000),
        ("50万元", 50_000_000),
        ("¥80万", 80_000_000),
        ("￥80万", 80_000_000),  # the full-width yuan sign
        ("¥ 80万 元", 80_000_000),
        ("12 万", 12_000_000),
        ("1,200万", 1_200_000_000),
        ("3000元", 300_000),
        ("５０万元", 50_000_000),
        # Chinese groups, largest first
        ("12万5千", 12_500_000),
        ("1万2千", 1_200_000),
        ("1亿2千万", 12_000_000_000),
        ("1万2千5百", 1_250_000),
        ("3亿5万", 30_005_000_000),
        ("9千9百", 990_000),
        # the spoken short form: one digit for the place below
        ("12万5", 12_500_000),
        ("1万2", 1_200_000),
        ("1亿2", 12_000_000_000),
        ("5千3", 530_000),
        ("12万5元", 12_500_000),
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
        "nan",
        # odd or ambiguous Chinese forms: refused, not guessed
        "12万5千3",  # 125,300 by the spoken rule, 125,003 as the digits read
        "12万50",
        "12万0",
        "1万12千",
        "2千1万",
        "1万1万",
        "1.5万2千",
        "1,000万5千",
        "1.2万5",
        "3千万5",
        "8k5",
        "1w2k",
        "1万2k",
        "万",
        "元",
        "¥",
        "万5",
        "12万元5",
        "12元万",
        "十二万",
        "12万 5千",
        "-12万",
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


# --- the documented forms ----------------------------------------------------------------

DOC = (Path(__file__).resolve().parent.parent / "docs" / "commands.md").read_text(encoding="utf-8")
AMOUNTS = re.search(r"^## Amounts\n(.*?)^## ", DOC, re.M | re.S).group(1)


def test_every_example_in_the_docs_table_is_read():
    rows = [line.split("|") for line in AMOUNTS.splitlines() if line.startswith("| ")]
    assert rows[0][2].strip() == "examples"
    examples = [x for row in rows[1:] for x in re.findall(r"`([^`]+)`", row[2])]
    assert len(examples) >= 20
    for example in examples:
        assert parse_amount(example) >= 0, example


@pytest.mark.parametrize(("text", "cents"), [
    ("12万5千", 12_500_000), ("1万2千", 1_200_000), ("1亿2千万", 12_000_000_000),
    ("12万5", 12_500_000), ("1亿2", 12_000_000_000), ("5千3", 530_000),
])
def test_the_values_the_docs_give(text, cents):
    assert f"`{text}`" in AMOUNTS
    assert parse_amount(text) == cents


def test_every_form_the_docs_say_is_refused_is_refused():
    refused = AMOUNTS[AMOUNTS.index("Refused"):]
    examples = [x for x in re.findall(r"`([^`]+)`", refused) if x not in ("125300", "12.53万", 'edit --value ""')
                and not x.startswith('"')]
    assert len(examples) >= 8
    for example in examples:
        with pytest.raises(UsageError):
            parse_amount(example)
    assert parse_amount("125300") == parse_amount("12.53万") == 12_530_000
