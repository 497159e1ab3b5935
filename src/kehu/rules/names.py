"""Name normalisation: when are two typed names the same customer or person?"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_name(value: str) -> str:
    """What is stored and shown: NFKC, trimmed, inner white space collapsed to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()


def is_id(text: str) -> bool:
    """ASCII digits only, short enough for a 64-bit integer ('²' and '٣' are not ids)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def name_key(value: str) -> str:
    """The key that must be unique: the clean name, case-folded (ＡＣＭＥ = acme)."""
    return clean_name(value).casefold()
