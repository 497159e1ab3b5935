"""Text helpers shared by modules that must not depend on each other (CSV columns, i18n)."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """A name as people type it, for comparing: NFKC (full-width forms become ASCII),
    trimmed, case-folded, with spaces and hyphens read as underscores."""
    return unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "_").replace("-", "_")


# Characters a terminal acts on instead of showing: the C0 controls but tab and newline
# (and a CR that ends a line with LF), DEL, the C1 controls (U+009B is a CSI on its own)
# and the Unicode Bidi_Control characters (overrides, isolates and marks reorder what is
# shown around them). One pattern, so the common case (nothing to replace) is one search.
CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{CONTROLS}]|\r(?!\n)")
_SHOWN = {chr(c): repr(chr(c))[1:-1] for c in (*range(0x00, 0xA0), 0x061C, 0x200E, 0x200F,
                                                  *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _shown(match: re.Match) -> str:
    return _SHOWN[match.group()]


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: each control character shown as Python writes
    it in a string literal (``\\x1b``, ``\\r``, ``\\x9b``, ``\\u202e``); tabs, newlines and
    CR LF line ends are left to each output's own handling. Every output a terminal may
    show goes through here (tests/test_hostile_text.py); CSV export and --json do not."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_shown, text)


_ANY_CONTROL = re.compile(f"[{CONTROLS}\r]")


def printable_join(parts: list[str], sep: str = "\n") -> str:
    """``sep.join(printable(p) for p in parts)``, with one search of the whole text for
    the usual case of nothing to replace: a plain listing of 100,000 rows took 100 ms
    more with a search per line, 40 ms so. (A CR is looked for alone here: one that ends a
    part is followed by ``sep``, not by a line break of its own.)"""
    text = sep.join(parts)
    if _ANY_CONTROL.search(text) is None:
        return text
    return sep.join([printable(p) for p in parts])


def first_control(text: str) -> str | None:
    """The first character ``printable`` would replace, as U+XXXX; None if there is none."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"
