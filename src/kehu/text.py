"""Text helpers shared by modules that must not depend on each other (CSV columns, i18n)."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """A name as people type it, for comparing: NFKC (full-width forms become ASCII),
    trimmed, case-folded, with spaces and hyphens read as underscores."""
    return unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "_").replace("-", "_")


# Characters a terminal acts on instead of showing: the C0 controls but tab and newline
# (and a CR that ends a line with LF), DEL, the C1 controls (U+009B is a CSI on its own).
CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# And the Unicode format characters (general category Cf) that are shown as nothing: the
# bidi controls (overrides, isolates, marks reorder what is shown around them), zero-width
# space, word joiner, invisible operators, U+FEFF, soft hyphen, the deprecated format
# controls, interlinear annotation, tags (which can carry a hidden message), and the rest
# of Cf up to Unicode 15. They hide text or make two names look alike. Written out rather
# than read from unicodedata: a scan of every code point costs ~100 ms at start-up;
# tests/test_hostile_text.py checks the list against this Python's unicodedata. The ones
# past U+FFFF are kept apart: a class holding them made every search of a plain listing
# four times slower (100,000 lines: 190 ms against 45), so the quick search looks for any
# such character (rare: emoji) and only then for the exact ones.
# Two Cf characters are left alone, in text: ZERO WIDTH NON-JOINER and JOINER (U+200C,
# U+200D), which Persian and Indic writing and emoji sequences need and which only decide
# how the characters beside them join; a *name* refuses them too (NAME_ONLY below).
INVISIBLE_BMP = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
                  "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb")
_INVISIBLE_ASTRAL = ("\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                     "\U000e0001\U000e0020-\U000e007f")
INVISIBLE = INVISIBLE_BMP + _INVISIBLE_ASTRAL
NAME_ONLY = "\u200c\u200d"
_CONTROL = re.compile(f"[{CONTROLS}{INVISIBLE}]|\r(?!\n)")
_NAME_REFUSES = re.compile(f"[{CONTROLS}{INVISIBLE}{NAME_ONLY}\r]")
# Might hold one of them: anything _CONTROL finds, or any character past U+FFFF.
_MAYBE = re.compile(f"[{CONTROLS}{INVISIBLE_BMP}\r\U00010000-\U0010ffff]")


def _shown(match: re.Match) -> str:
    # Python escapes every one of these in a string literal: \x1b, \x9b, \u200b, \U000e0041.
    return repr(match.group())[1:-1]


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: each control character shown as Python writes
    it in a string literal (``\\x1b``, ``\\r``, ``\\x9b``, ``\\u202e``, ``\\u200b``); tabs, newlines and
    CR LF line ends are left to each output's own handling. Every output a terminal may
    show goes through here (tests/test_hostile_text.py); CSV export and --json do not."""
    if _MAYBE.search(text) is None:
        return text
    return _CONTROL.sub(_shown, text)


def printable_join(parts: list[str], sep: str = "\n") -> str:
    """``sep.join(printable(p) for p in parts)``, with one search of the whole text for
    the usual case of nothing to replace: a plain listing of 100,000 rows took 100 ms
    more with a search per line, 40 ms so. (A CR is looked for alone here: one that ends a
    part is followed by ``sep``, not by a line break of its own.)"""
    text = sep.join(parts)
    if _MAYBE.search(text) is None:
        return text
    return sep.join([printable(p) for p in parts])


def first_control(text: str) -> str | None:
    """The first character a name may not hold, as U+XXXX; None if there is none: what
    ``printable`` would replace, and ZWJ/ZWNJ too, since a name must look like no other."""
    found = _NAME_REFUSES.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


# A line may not start with these (closing punctuation) nor end with the opening ones.
_NO_START = frozenset("，。、；：？！）》」』】〕…,.;:!?)]}%")
_NO_END = frozenset("（《「『【〔([{")


def cell_width(text: str) -> int:
    """How many terminal columns ``text`` takes: a Chinese character two, a combining mark none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns (help in Chinese, issue 17):
    a line breaks at a space or between two Chinese characters, never inside a Latin word,
    a number, a date or an option name (unless one is longer than a line), never before
    closing punctuation (，。）) nor after an opening one (（)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        units: list[str] = []  # what is never broken: a word, or a Chinese character with its punctuation
        word = ""
        for char in paragraph:
            wide = unicodedata.east_asian_width(char) in "WF"
            if word and (char == " " or wide or word.isspace()):
                units.append(word)
                word = ""
            if units and not word and not char.isspace() and (
                    char in _NO_START or units[-1][-1] in _NO_END) and not units[-1].isspace():
                word = units.pop()
            word += char
            if wide and char not in _NO_END:
                units.append(word)
                word = ""
        if word:
            units.append(word)
        line, used = "", 0
        for unit in units:
            size = cell_width(unit)
            if unit.isspace():
                if line:
                    line, used = line + unit, used + size
                continue
            if used + size > width and line.strip():
                out.append(line.rstrip())
                line, used = "", 0
            while size > width:  # longer than a line: cut it where the line ends
                cut = 0
                while cell_width(unit[:cut + 1]) <= width:
                    cut += 1
                out.append(unit[:cut])
                unit = unit[cut:]
                size = cell_width(unit)
            line, used = line + unit, used + size
        out.append(line.rstrip())
    return out
