"""Search text: what a hit is (a case-folded substring), and the index's view of text.

Pure; the store's search (store/search.py) and the SQLite index (book/search_index.py)
both use these, so the index and its queries always cut text the same way.

The SQLite index (docs/design.md, "Search") holds, per record, two token streams of its
case-folded text, for FTS5's ``ascii`` tokenizer (to which every non-ASCII character is
part of a token, so nothing depends on SQLite's Unicode tables):

- ``seq``: every non-ASCII character as a token of its own, in order (a space between
  each two characters; ASCII letters and digits are blanked out);
- ``suf``: every suffix of each run of ASCII letters and digits, cut to ``SUFFIX``
  characters.

A query is cut the same way: each stretch of its non-ASCII characters is a phrase in
``seq`` (the same characters stand one after the other in every record that holds it,
whatever ASCII stands between them); each ASCII run is the start of a suffix of some
word of such a record (``udge`` of ``budget``). So every record whose text holds the
query is a candidate. Candidates are then checked against the real text (``found``),
so the hits are exactly those of a case-folded substring scan.
"""

from __future__ import annotations

import re

SUFFIX = 32
_ASCII_RUN = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """The form a hit is looked for in: case-folded, nothing else (full-width stays)."""
    return text.casefold()


def found(needle_folded: str, text: str | None) -> int:
    """Where the folded query is in ``text`` (folded), or -1."""
    if not text:
        return -1
    return fold(text).find(needle_folded)


def units(folded: str) -> list[tuple[bool, str]]:
    """The text as (is an ASCII run, token): non-ASCII characters one by one, runs of ASCII
    letters and digits whole; other ASCII characters separate and vanish."""
    out: list[tuple[bool, str]] = []
    run: list[str] = []
    for ch in folded:
        if ch < "\x80" and ch.isalnum():
            run.append(ch)
            continue
        if run:
            out.append((True, "".join(run)))
            run = []
        if ch >= "\x80":
            out.append((False, ch))
    if run:
        out.append((True, "".join(run)))
    return out


def seq_text(text: str | None) -> str:
    """The ``seq`` column of a record's text. All in C (casefold, one regex, join): a
    million touchpoint notes are indexed at the end of one import."""
    if not text:
        return ""
    return " ".join(_ASCII_RUN.sub(" ", fold(text)))


def suf_text(text: str | None) -> str:
    """The ``suf`` column: every suffix of every ASCII run, at most SUFFIX long."""
    if not text:
        return ""
    out = []
    for run in _ASCII_RUN.findall(fold(text)):
        out.extend(run[i:i + SUFFIX] for i in range(len(run)))
    return " ".join(out)


def match_expression(query: str) -> str | None:
    """The FTS5 expression whose hits include every record holding ``query``; None when
    the query has nothing the index knows (only ASCII spaces and punctuation): then
    every record is a candidate."""
    terms: list[str] = []
    phrase: list[str] = []
    for ascii_run, token in [*units(fold(query)), (True, "")]:
        if not ascii_run:
            phrase.append(token)
            continue
        if phrase:
            terms.append('seq : "' + " ".join(phrase) + '"')
            phrase = []
        if token:
            terms.append(f'suf : "{token[:SUFFIX]}"*')
    return " AND ".join(dict.fromkeys(terms)) or None


def snippet(text: str, needle_folded: str, width: int = 24) -> str:
    """A short piece of ``text`` around the first hit, on one line, with … where cut."""
    flat = " ".join(text.split())
    at = fold(flat).find(needle_folded)
    if at < 0 or len(fold(flat)) != len(flat):
        at = max(at, 0)  # folding changed the length (ß → ss): show the start
    start = max(0, at - width // 2)
    end = min(len(flat), max(at + len(needle_folded), start) + width)
    piece = flat[start:end]
    return ("…" if start > 0 else "") + piece + ("…" if end < len(flat) else "")
