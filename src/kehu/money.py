"""Amounts of money: typed by a user, kept as whole cents, shown and written out.

Money is an integer number of cents everywhere; Decimal parses what a user types, so no
float ever holds an amount. Accepted (docs/commands.md, Amounts, lists them all):

- a number, with thousands separators in groups of three: 120000, 120,000.50;
- one number and a unit: 12.5万, 5千, 3千万, 1.2亿, 8k, 12w (w is 万);
- Chinese groups in falling order, whole numbers only: 12万5千, 1万2千, 1亿2千万;
- the spoken short form, one digit after a single 万/亿/千: 12万5 is 12万5千 (125,000),
  1亿2 is 1亿2千万, 5千3 is 5千3百;
- around any of these, ¥ before and 元 after; full-width digits as an IME types them.

Refused rather than guessed: 12万5千3 (125,300 by the spoken rule, 125,003 as digits
read), several digits after a unit (12万50), groups out of order or too big for their
place (1万12千), decimals or separators inside groups (1.5万2千), Latin units in groups
(1w2k), anything that is not whole cents.
"""

from __future__ import annotations

import re
from decimal import Decimal, Inexact, InvalidOperation, localcontext

from kehu.errors import UsageError

# Thousands separators only in groups of three: "12,50" could be a decimal comma.
_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_UNITS = {"百": 100, "千": 1000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000, "亿": 100_000_000,
          "k": 1000, "w": 10_000}
# A unit of two characters is tried before the one it starts with (千万 before 千).
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_TOKEN = re.compile(rf"({_NUMBER})(?:\s*({_UNIT}))?")
# The spoken short form: the single digit after 12万 stands for thousands, after 1亿 for
# ten millions, after 5千 for hundreds.
_SHORT = {"万": 1000, "亿": 10_000_000, "千": 100}
# At most 100 billion: 100,000 such customers still sum inside a 64-bit integer of cents.
MAX_CENTS = 100_000_000_000 * 100


def _parts(text: str) -> list[tuple[str, int]] | None:
    """The amount as (number, multiplier) pairs to add up, or None if it is not a form
    kehu reads (the module's docstring lists them)."""
    tokens, at = [], 0
    while at < len(text) and (m := _TOKEN.match(text, at)):
        tokens.append((m[1], m[2]))
        at = m.end()
    if at != len(text) or not tokens or any(unit is None for _, unit in tokens[:-1]):
        return None
    if len(tokens) == 1:
        number, unit = tokens[0]
        return [(number, _UNITS[unit] if unit else 1)]
    first, last = tokens[0], tokens[-1]
    if last[1] is None:  # 12万5: one group, then one digit for the place below
        if len(tokens) > 2 or first[1] not in _SHORT or not re.fullmatch("[1-9]", last[0]) \
                or not first[0].isdigit():
            return None  # 12万5千3, 12万50, 1.2万5: refused, not guessed
        return [(first[0], _UNITS[first[1]]), (last[0], _SHORT[first[1]])]
    # Chinese groups in falling order: 12万5千, 1亿2千万. Whole numbers only (1.5万2千 is
    # more likely a slip than 17,000), and each small enough for its place (1万12千 is not an amount anyone writes).
    parts = [(number, _UNITS[unit]) for number, unit in tokens]
    if any(unit in ("k", "w") for _, unit in tokens) or not all(n.isdigit() for n, _ in parts):
        return None
    for (_, bigger), (number, unit) in zip(parts, parts[1:], strict=False):
        if unit >= bigger or int(number) * unit >= bigger:
            return None
    return parts


def parse_amount(value: str) -> int:
    """An amount of money to whole cents (exact, never a float): 12,000, 12.5万, 12万5, ¥80万."""
    import unicodedata

    text = unicodedata.normalize("NFKC", value).strip().lower().removeprefix("¥").strip()
    text = text.removesuffix("元").strip()
    parts = _parts(text)
    if parts is None:
        raise UsageError("bad_amount", value=value)
    # Decimal's default context keeps 28 significant digits and rounds silently beyond:
    # 1.0000000000000000000000000001 became 1.00. Here arithmetic that is not exact
    # raises instead, and such an amount is refused.
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.traps[Inexact] = True
        try:
            cents = sum(Decimal(number.replace(",", "")) * factor * 100 for number, factor in parts)
        except (InvalidOperation, Inexact):
            raise UsageError("bad_amount", value=value) from None
    if cents != cents.to_integral_value():
        raise UsageError("bad_amount", value=value)
    if cents > MAX_CENTS:
        raise UsageError("amount_too_large", value=value)
    return int(cents)


def amount_text(cents: int | None) -> str | None:
    """Cents as an exact decimal string ("1234.50"): JSON, CSV and history details."""
    if cents is None:
        return None
    whole, frac = divmod(cents, 100)
    return f"{whole}.{frac:02d}"


def show_amount(cents: int | None) -> str:
    if cents is None:
        return ""
    whole, frac = divmod(cents, 100)
    return f"{whole:,}" if frac == 0 else f"{whole:,}.{frac:02d}"
