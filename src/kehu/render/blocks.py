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
    # at most this many lines per row on a terminal (the text columns are cut with …)
    max_lines: int | None = None
    # per column: "name", "names", "fixed" or "text" (see column_kinds); None: guessed
    kinds: list[str] | None = None
    # columns a narrow terminal may leave out, what the others imply (list's lifecycle,
    # which its stage gives); JSON and piped output keep them
    optional: tuple[int, ...] = ()


@dataclass
class Fields:
    title: str | None
    pairs: list[tuple[str, str]]


@dataclass
class Lines:
    title: str | None
    lines: list[str]
    style: str | None = None  # LEGEND: what a screen's numbers measure, for a reader only


# A Lines block of this style says what the numbers on a screen measure (紧迫度, 投入, a
# trust factor's 0-1): printed dim on a terminal, left out when piped (a script reads
# the data alone).
LEGEND = "legend"


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
    blocks = [b for b in blocks if not (isinstance(b, Lines) and b.style == LEGEND)]
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


# --- On a terminal ------------------------------------------------------------------
#
# Rich wraps a cell wherever the column ends: at 80 columns it cut 2026-12-20 into
# "2026-12-2" and "0", 12,345,678.90 into two lines, a person's name in two, and began
# lines with "，" or "）". So the layout is decided here, once for every command:
# - a column whose cells are all short, or all dates/amounts/numbers, never wraps
#   ("fixed"), and keeps its full width;
# - a customer's name ("name") is one line, shortened with … when space is short
#   (the full name is in `kehu show`);
# - a column of people's names ("names") wraps only between names;
# - the text columns take the rest and wrap between words or Chinese characters,
#   never inside a date, an amount or a number, and never so that a line begins with
#   closing punctuation (，。、）」…) or ends with an opening one (（「…): the
#   line-start rule of Chinese typesetting (避头尾).

NO_LINE_START = frozenset("，。、；：！？）」』】》〉…—,.;:!?)]}%．，")
NO_LINE_END = frozenset("（「『【《〈(￥¥[{")
# Dates, times, amounts (with their unit or currency), percentages, ids: never cut.
ATOM = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?"
    r"|\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日"
    r"|[¥￥#]?[+-]?\d[\d,]*(?:\.\d+)?(?: ?[A-Z]{3}\b|[万亿千元天日周个次项人年月%d]|/\d+)*"
    r"|[A-Za-z]+\d+"
)
_SEPARATORS = frozenset("、,，;； /")
# the headers of the columns that hold a customer's name / people's names, in both languages
_NAME_WORDS = ("name", "customer")
_NAMES_WORDS = ("owner", "with", "people")
FIXED_MAX = 16  # cells: a column no wider than this is never wrapped


def _char_width(ch: str) -> int:
    from rich.cells import get_character_cell_size

    return get_character_cell_size(ch)


def _breaks(text: str, names: bool = False) -> tuple[bytearray, list[int]]:
    """Where a line may break in ``text`` (ok[i]: between text[i-1] and text[i]), and the
    width of each character. A break may fall after a space, or between two characters
    when one of them is Chinese (wide); never inside an ATOM, before a character of
    NO_LINE_START or after one of NO_LINE_END. ``names``: only after a separator."""
    n = len(text)
    widths = [_char_width(ch) for ch in text]
    glued = bytearray(n + 1)
    for m in ATOM.finditer(text):
        glued[m.start() + 1:m.end()] = b"\x01" * (m.end() - m.start() - 1)
    ok = bytearray(n + 1)
    for i in range(1, n):
        if glued[i]:
            continue
        a, b = text[i - 1], text[i]
        if b.isspace() or b in NO_LINE_START or a in NO_LINE_END:
            continue
        if a.isspace():
            ok[i] = 1
        elif names:
            ok[i] = a in _SEPARATORS
        else:
            ok[i] = widths[i - 1] > 1 or widths[i] > 1
    return ok, widths


def break_offsets(text: str, width: int, names: bool = False) -> list[int]:
    """Where to break ``text`` (one line, no newline) into lines of at most ``width``
    cells: the offsets of the lines after the first, as rich's ``divide_line`` gives them.
    Breaks fall where ``_breaks`` allows; what cannot fit otherwise (a word wider than the
    column) is cut at a character, still not before NO_LINE_START."""
    n = len(text)
    if n == 0 or width <= 0:
        return []
    ok, widths = _breaks(text, names)
    offsets: list[int] = []
    start, used, last = 0, 0, -1
    i = 0
    while i < n:
        w = widths[i]
        if text[i].isspace() or used + w <= width:
            used += w
            if i + 1 < n and ok[i + 1]:
                last = i + 1
            i += 1
            continue
        # text[i] does not fit on this line
        if last > start:
            cut = last
        else:  # nothing breakable since the line began: cut at a character
            cut = i
            while cut > start + 1 and (text[cut] in NO_LINE_START or text[cut - 1] in NO_LINE_END):
                cut -= 1
            if cut <= start:
                cut = i if i > start else i + 1
        while cut < n and text[cut].isspace():
            cut += 1
        if cut >= n:
            break
        offsets.append(cut)
        start, last = cut, -1
        used = 0
        i = cut
    return offsets


def widest_piece(text: str, names: bool = False) -> int:
    """The width of the widest part of ``text`` that is never broken (a date, an amount, a word)."""
    widest = 0
    for line in text.split("\n"):
        ok, widths = _breaks(line, names)
        run = 0
        for i, ch in enumerate(line):
            if ok[i]:
                run = 0
            if not ch.isspace():
                run += widths[i]
                widest = max(widest, run)
            else:
                run = 0
    return widest


def _wrapped_class():
    """rich's Text, wrapped by ``break_offsets`` (made on first use: rich is imported lazily)."""
    global _Wrapped
    if _Wrapped is not None:
        return _Wrapped
    from rich.containers import Lines as RichLines
    from rich.measure import Measurement
    from rich.text import Text

    class Wrapped(Text):
        names = False
        max_lines: int | None = None

        def wrap(self, console, width, *, justify=None, overflow=None, tab_size=8, no_wrap=None):
            if no_wrap or self.no_wrap:
                return super().wrap(console, width, justify=justify, overflow=overflow,
                                    tab_size=tab_size, no_wrap=no_wrap)
            lines = RichLines()
            for line in self.split(allow_blank=True):
                if "\t" in line:
                    line.expand_tabs(tab_size)
                new_lines = line.divide(break_offsets(line.plain, width, self.names))
                for part in new_lines:
                    part.rstrip_end(width)
                    part.rstrip()
                    part.truncate(width, overflow="fold")
                lines.extend(new_lines)
            if self.max_lines is not None and len(lines) > self.max_lines:
                kept = RichLines(lines[: self.max_lines])
                last = kept[-1]
                last.truncate(max(width - 1, 1))
                last.rstrip()
                last.append("…")
                lines = kept
            return lines

        def __rich_measure__(self, console, options):
            # the narrowest it can go is its widest unbreakable piece
            at = max(sum(_char_width(ch) for ch in line) for line in self.plain.split("\n"))
            return Measurement(min(widest_piece(self.plain, self.names), at), at)

    _Wrapped = Wrapped
    return Wrapped


_Wrapped = None


def wrapped(value: str, style: str = "", names: bool = False, max_lines: int | None = None):
    text = _wrapped_class()(printable(value), style=style)
    text.names = names
    text.max_lines = max_lines
    return text


def _header_words() -> tuple[frozenset[str], frozenset[str]]:
    from kehu.i18n import word

    def both(keys):
        return frozenset(word(k, lang) for k in keys for lang in ("zh", "en"))

    return both(_NAME_WORDS), both(_NAMES_WORDS)


def column_kinds(grid: Grid) -> list[str]:
    """Each column's kind (see above): given by the grid, else read from its header and cells."""
    if grid.kinds is not None:
        return grid.kinds
    from rich.cells import cell_len

    name_headers, names_headers = _header_words()
    kinds = []
    for i, header in enumerate(grid.headers):
        cells = [row[i] for row in grid.rows if i < len(row) and row[i]]
        if header in name_headers:
            kinds.append("name")
        elif all((cell_len(c) <= FIXED_MAX and " " not in c) or ATOM.fullmatch(c) for c in cells):
            kinds.append("fixed")
        elif header in names_headers:
            kinds.append("names")
        else:
            kinds.append("text")
    return kinds


def shorten(value: str, width: int) -> str:
    """``value`` in at most ``width`` cells, its end replaced by … when it is longer."""
    from rich.cells import cell_len

    if cell_len(value) <= width:
        return value
    out, used = [], 1
    for ch in value:
        w = _char_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


_CURRENCY = re.compile(r" ([A-Z]{3})$")


def fit_grid(grid: Grid, kinds: list[str], width: int) -> tuple[Grid, list[str], list[int | None]]:
    """The grid as it fits a terminal ``width`` cells wide, the kinds of its columns, and
    the width of each column.

    When the columns' natural widths do not fit: a currency every amount of a column
    shares moves to its header ("金额 (CNY)"), columns empty in every row are left out,
    and names give way first, down to 8 cells (4 characters)."""
    from rich.cells import cell_len

    def natural(g: Grid) -> list[int]:
        return [max([cell_len(printable(h))] + [cell_len(printable(row[i])) for row in g.rows if i < len(row)])
                for i, h in enumerate(g.headers)]

    def room(g: Grid) -> int:
        return width - 3 * len(g.headers) - 1  # SIMPLE_HEAD: a space either side of a cell, one between

    if sum(natural(grid)) > room(grid) and grid.rows and width >= 60:
        headers, cols = list(grid.headers), [list(c) for c in zip(*grid.rows, strict=False)]
        for i, col in enumerate(cols):
            found = {m[1] for m in (_CURRENCY.search(c) for c in col if c) if m}
            if kinds[i] == "fixed" and len(found) == 1 and all(not c or _CURRENCY.search(c) for c in col):
                cols[i] = [_CURRENCY.sub("", c) for c in col]
                headers[i] = f"{headers[i]} ({found.pop()})"
        keep = [i for i, col in enumerate(cols) if any(col)]
        nat_all = natural(Grid(grid.title, headers, [list(r) for r in zip(*cols, strict=False)]))
        for i in grid.optional:
            if i in keep and sum(nat_all[k] for k in keep) > width - 3 * len(keep) - 1:
                keep.remove(i)
        rows = [[row[i] for i in keep] for row in zip(*cols, strict=False)]
        grid = Grid(grid.title, [headers[i] for i in keep], rows, grid.row_styles, grid.max_lines,
                    [kinds[i] for i in keep])
        kinds = grid.kinds
    nat = natural(grid)
    widths = _widths(grid, kinds, nat, room(grid))
    if sum(widths) > room(grid):
        # still too wide: short labels (日常拜访交流) may wrap too, between Chinese characters;
        # dates, amounts, numbers and people's names still never do
        _, names_headers = _header_words()
        kinds = ["text" if k == "fixed" and grid.headers[i] not in names_headers
                 and not all(ATOM.fullmatch(row[i]) for row in grid.rows if i < len(row) and row[i]) else k
                 for i, k in enumerate(kinds)]
        grid = Grid(grid.title, grid.headers, grid.rows, grid.row_styles, grid.max_lines, kinds)
        widths = _widths(grid, kinds, nat, room(grid))
    return grid, kinds, widths


def _widths(grid: Grid, kinds: list[str], nat: list[int], room: int) -> list[int]:
    """fit_grid's widths: fixed columns their natural width, names capped (down to 8
    cells) so that the text columns have 16, text columns no narrower than their widest
    unbreakable piece, whatever is left to the text columns."""
    from rich.cells import cell_len

    fixed = sum(w for w, k in zip(nat, kinds, strict=False) if k == "fixed")
    texts = [i for i, k in enumerate(kinds) if k in ("text", "names")]
    # a text column is never narrower than its widest date, amount or word, nor than 6 cells
    least = {i: max([widest_piece(printable(row[i]), kinds[i] == "names") for row in grid.rows if i < len(row)]
                    + [min(nat[i], 6)]) for i in texts}
    want = {i: max(least[i], min(nat[i], 16)) for i in texts}
    names = [i for i, k in enumerate(kinds) if k == "name"]
    cap = 30
    while names and cap > 8 and fixed + sum(want.values()) + sum(min(nat[i], cap) for i in names) > room:
        cap -= 1
    widths: list[int] = []
    for i, k in enumerate(kinds):
        if k == "fixed":
            widths.append(nat[i])
        elif k == "name":
            widths.append(max(min(nat[i], cap), cell_len(printable(grid.headers[i]))))
        else:
            widths.append(want[i])
    left = room - sum(w for w in widths if w)
    while left < 0:  # too narrow still: the text columns give way, down to their least
        wide = [i for i in texts if widths[i] > least[i]]
        if not wide:
            break
        widths[max(wide, key=lambda i: widths[i])] -= 1
        left += 1
    while left > 0:  # what is left goes to the text column with the least of what it would take
        short = [i for i in texts if widths[i] < nat[i]]
        if not short:
            break
        i = min(short, key=lambda i: widths[i] / nat[i])
        widths[i] += 1
        left -= 1
    return widths


def to_rich(blocks: Sequence[Block], width: int | None = None) -> list[object]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    items: list[object] = []
    for block in blocks:
        if isinstance(block, Grid):
            table = Table(
                title=wrapped(block.title, style="bold") if block.title else None,
                box=box.SIMPLE_HEAD,
                title_justify="left",
            )
            kinds = column_kinds(block)
            widths: list[int | None] = [None] * len(kinds)
            if width:
                block, kinds, widths = fit_grid(block, kinds, width)
            for h, kind, w in zip(block.headers, kinds, widths, strict=False):
                if kind in ("fixed", "name"):
                    table.add_column(Text(printable(h)), no_wrap=True, overflow="ellipsis", width=w)
                else:
                    table.add_column(wrapped(h), overflow="fold", width=w)
            styles = block.row_styles or [None] * len(block.rows)
            for row, style in zip(block.rows, styles, strict=False):
                table.add_row(*(
                    Text(printable(c)) if kind == "fixed"
                    else Text(shorten(printable(c), w)) if kind == "name" and w
                    else Text(printable(c)) if kind == "name"
                    else wrapped(c, names=kind == "names", max_lines=block.max_lines)
                    for c, kind, w in zip(row, kinds, widths, strict=False)
                ), style=style)
            items.append(table)
        elif isinstance(block, Fields):
            table = Table(
                title=wrapped(block.title, style="bold") if block.title else None,
                show_header=False,
                box=box.SIMPLE,
                title_justify="left",
            )
            table.add_column(style="cyan", no_wrap=True)
            table.add_column(overflow="fold")
            for k, v in block.pairs:
                table.add_row(Text(printable(k)), wrapped(v))
            items.append(table)
        else:
            from rich.console import Group

            # Each in a Group: Console.print joins bare Text objects into one plain Text,
            # which would lose Wrapped's breaks (a Chinese line broke at its last space,
            # half the screen wide).
            if block.title:
                items.append(Group(wrapped(block.title, style="bold")))
            style = "dim" if block.style == LEGEND else block.style or ""
            for line in block.lines:
                items.append(Group(wrapped(line, style=style)))
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
    """A label with its key when they differ, so the key to type is always visible; in
    Chinese the label alone (kehu takes it as typed, and an English word has no place there)."""
    text = label(enum, key, lang)
    return text if text == key or lang == "zh" else f"{text} ({key})"


def money(cents: int | None, currency: str | None = None) -> str:
    if cents is None:
        return ""
    return f"{show_amount(cents) or '0'} {currency}" if currency else (show_amount(cents) or "0")
