"""Amounts of money: typed by a user, kept as whole cents, shown and written out.

Money is an integer number of cents everywhere; Decimal parses what a user types, so no
float ever holds an amount. 12,000, 12.5万, 8k and ¥100 are accepted.
"""

from __future__ import annotations

import re
from decimal import Decimal, Inexact, InvalidOperation, localcontext

from kehu.errors import UsageError

# Thousands separators only in groups of three: "12,50" could be a decimal comma.
_AMOUNT = re.compile(r"^((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(万元|万|w|k|元)?$")
# At most 100 billion: 100,000 such customers still sum inside a 64-bit integer of cents.
MAX_CENTS = 100_000_000_000 * 100


def parse_amount(value: str) -> int:
    """An amount of money to whole cents (exact, never a float). Accepts 12,000 and 12.5万."""
    import unicodedata

    text = unicodedata.normalize("NFKC", value).strip().lower().lstrip("¥").strip()
    m = _AMOUNT.match(text)
    if not m:
        raise UsageError("bad_amount", value=value)
    factor = {"万": 10000, "万元": 10000, "w": 10000, "k": 1000}.get(m[2] or "", 1)
    # Decimal's default context keeps 28 significant digits and rounds silently beyond:
    # 1.0000000000000000000000000001 became 1.00. Here arithmetic that is not exact
    # raises instead, and such an amount is refused.
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.traps[Inexact] = True
        try:
            cents = Decimal(m[1].replace(",", "")) * factor * 100
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
