"""The blocks every command's output is made of, and how they are printed.

A command builds blocks (Grid, Fields, Lines) from store rows and rule decisions;
``kehu.cli._common`` prints them as Rich tables on a terminal (``to_rich``) and as plain
tab-separated lines when piped (``to_plain``); ``--json`` output goes through ``dumps``.
Nothing here prints. Every value that came from a user goes into a ``rich.text.Text``
and is never parsed as markup. Every string printed goes through ``kehu.text.printable``
(control characters shown escaped, never sent to the terminal); ``dumps`` escapes them
as ``\\uXXXX`` instead. The small helpers at the end are shared by the domain
modules beside this one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from kehu.money import show_amount
from kehu.i18n import label
from kehu.text import INVISIBLE, INVISIBLE_BMP, printable, printable_join


@dataclass
class Grid:
    title: str | None
    headers: list[str]
    rows: list[list[str]]
    # per row: a style name for the whole row (e.g. "dim", "red"), or None
    row_styles: list[str | None] = field(default_factory=list)


@dataclass
class Fields:
    title: str | None
    pairs: list[tuple[str, str]]


@dataclass
class Lines:
    title: str | None
    lines: list[str]
    style: str | None = None


Block = Grid | Fields | Lines


def clean_cell(value: str) -> str:
    # Tabs and newlines would break the one-record-per-line plain format.
    return value.replace("\t", " ").replace("\r\n", " ⏎ ").replace("\n", " ⏎ ")


def _plain_row(row: list[str]) -> str:
    line = "\t".join(row)
    # Nearly every row has nothing to clean: its only tabs are the separators.
    if "\n" not in line and line.count("\t") == len(row) - 1:
        return line
    return "\t".join([clean_cell(c) for c in row])


def to_plain(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            out.append("")
        if block.title and (len(blocks) > 1 or not isinstance(block, Grid)):
            out.append(f"# {block.title}")
        if isinstance(block, Grid):
            out.append("\t".join(block.headers))
            out.extend(_plain_row(row) for row in block.rows)
        elif isinstance(block, Fields):
            out.extend(f"{k}\t{clean_cell(v)}" for k, v in block.pairs)
        else:
            out.extend(block.lines)
    return printable_join(out) + "\n"


def to_rich(blocks: Sequence[Block]) -> list[object]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    items: list[object] = []
    for block in blocks:
        if isinstance(block, Grid):
            table = Table(
                title=Text(printable(block.title), style="bold") if block.title else None,
                box=box.SIMPLE_HEAD,
                title_justify="left",
            )
            for h in block.headers:
                table.add_column(Text(printable(h)), overflow="fold")
            styles = block.row_styles or [None] * len(block.rows)
            for row, style in zip(block.rows, styles, strict=False):
                table.add_row(*(Text(printable(c)) for c in row), style=style)
            items.append(table)
        elif isinstance(block, Fields):
            table = Table(
                title=Text(printable(block.title), style="bold") if block.title else None,
                show_header=False,
                box=box.SIMPLE,
                title_justify="left",
            )
            table.add_column(style="cyan", no_wrap=True)
            table.add_column(overflow="fold")
            for k, v in block.pairs:
                table.add_row(Text(printable(k)), Text(printable(v)))
            items.append(table)
        else:
            if block.title:
                items.append(Text(printable(block.title), style="bold"))
            for line in block.lines:
                items.append(Text(printable(line), style=block.style or ""))
    return items


# What json.dumps(ensure_ascii=False) leaves raw but a terminal acts on or shows as
# nothing: DEL, the C1 controls and the invisible format characters, bidi controls among
# them (kehu.text.INVISIBLE; it escapes the C0 ones itself). They can only stand inside a
# string, so each is replaced by its \uXXXX escape (a surrogate pair past U+FFFF, as JSON
# writes them): the same data, harmless.
_JSON_RAW = re.compile(f"[\x7f-\x9f{INVISIBLE}]")
_JSON_MAYBE = re.compile(f"[\x7f-\x9f{INVISIBLE_BMP}\U00010000-\U0010ffff]")  # quick: see kehu.text


def _json_escape(match: re.Match) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def dumps(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    return text if _JSON_MAYBE.search(text) is None else _JSON_RAW.sub(_json_escape, text)


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def keyed(enum: str, key: str, lang: str) -> str:
    """A label with its key when they differ, so the key to type is always visible."""
    text = label(enum, key, lang)
    return text if text == key else f"{text} ({key})"


def money(cents: int | None, currency: str | None = None) -> str:
    if cents is None:
        return ""
    return f"{show_amount(cents) or '0'} {currency}" if currency else (show_amount(cents) or "0")
