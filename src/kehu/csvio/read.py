"""Reading a CSV file into parsed rows: bytes → text → records → cell values. No database.

Encodings, in order: a BOM (UTF-8, UTF-16), else strict UTF-8, else strict GB18030 (what
Chinese Excel writes, GBK being its subset); then the header must name known columns.
A file none of these fits is refused with a hint to pass ``--encoding``.

``plan_file`` opens a file far enough to know its encoding, table and header;
``batches`` then streams its rows, each cell parsed for its column (the formula guard
of export removed), in lists of ``BATCH`` for the importer (kehu.csvio.importer). A row
with a bad cell is not passed on: its problems go to the ``Outcome``, one line each, as
``FILE:LINE: column: what is wrong``, LINE being the physical line the record starts on.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from kehu.csvio.columns import DUE_DATES, FORMULA_START, ORDER, TABLES, Col, accepted_names, infer_table, map_header
from kehu.dates import FUTURE, PAST, parse_date
from kehu.money import MAX_CENTS, parse_amount
from kehu.errors import ColumnNames, DataError, KehuError, NoBook, UsageError
from kehu.i18n import error_message, labelled, parse_enum
from kehu.text import printable

BATCH = 2000
MEMO = 50_000  # distinct date (or label) cells remembered per file
MAX_REPORTED = 50


# ---------------------------------------------------------------- decoding


def _is_cjk_text(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x20000 <= o <= 0x3134F  # extensions B and later (rare characters in names)
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation (“” — …)
        or ch in "·×÷°±№§"
        or 0x2460 <= o <= 0x24FF  # ①
    )


@dataclass
class _Scan:
    ok: bool = True
    odd: int = 0  # characters that are not Chinese text (GB18030 scans only)
    rare: int = 0  # CJK characters outside GB2312 (common simplified Chinese)
    cjk: int = 0


def _scan(path: Path, encoding: str) -> _Scan:
    scan = _Scan()
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as fh:
            while True:
                chunk = fh.read(1 << 20)
                text = decoder.decode(chunk, final=not chunk)
                if encoding == "utf-8":
                    text = ""  # only validity counts for UTF-8
                for ch in text:
                    if ch < "\x80":
                        continue
                    if not _is_cjk_text(ch):
                        scan.odd += 1
                    elif 0x3400 <= ord(ch) <= 0x9FFF or ord(ch) >= 0x20000 or 0xF900 <= ord(ch) <= 0xFAFF:
                        scan.cjk += 1
                        try:
                            ch.encode("gb2312")
                        except UnicodeEncodeError:
                            scan.rare += 1
                if not chunk:
                    break
    except UnicodeDecodeError:
        scan.ok = False
    return scan


def detect_encoding(path: Path) -> str:
    """BOM → strict UTF-8 → strict GB18030, each checked over the whole file, streaming.

    Bytes that are strictly valid UTF-8 are UTF-8, whatever they spell: Сбербанк, Ελλάδα,
    μ or ʤ are what a UTF-8 file means, and reading them as GB18030 (where most such byte
    pairs are Chinese characters too) renamed customers on a plain export → import. The
    price: a GBK file whose few Chinese characters happen to form valid UTF-8 (一 alone
    among ASCII is D2 BB, the Cyrillic һ) is read as UTF-8; its user names the encoding
    with ``--encoding gbk``. A GBK file with more Chinese in it is almost never valid
    UTF-8. GB18030 is taken only when what it yields is Chinese text, mostly the common
    (GB2312) characters (every Big5 byte pair is GB18030 too). Anything else is refused
    with a hint to name the encoding.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _scan(path, "utf-8").ok:
        return "utf-8"
    if _chinese(_scan(path, "gb18030")):
        return "gb18030"
    raise DataError("csv_encoding", file=str(path))


def _nul_line(path: Path, encoding: str) -> int | None:
    """The line of the first record holding a NUL character, or None.

    A NUL is stored invisibly by SQLite and refused by PostgreSQL with a message that
    blames the book: it is refused here, as bad data at its line. Once per file: the
    bytes are searched for a zero byte (memchr, a few ms for 100 MB); only a file that
    has one (all of UTF-16, or a damaged file) is read as records to find the line.
    A codec that writes NUL without a zero byte (UTF-7) is read as records too.
    """
    try:
        zero_byte = b"\0" in "\0".encode(encoding)
    except (UnicodeError, LookupError):
        zero_byte = False
    if zero_byte:
        with path.open("rb") as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    return None
                if b"\0" in chunk:
                    break
    for line, cells in _records(path, encoding):
        for cell in cells:
            if "\0" in cell:
                return line
    return None


def _chinese(scan: _Scan | None) -> bool:
    return bool(scan and scan.ok and scan.odd == 0 and scan.rare * 4 <= scan.cjk)


@dataclass
class Record:
    line: int  # physical line where the record starts
    cells: list[str]


def records(path: Path, encoding: str) -> Iterator[Record]:
    """Rows with the physical line each starts on, also after multi-line quoted cells."""
    for line, cells in _records(path, encoding):
        yield Record(line, cells)


def _records(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """records() as (line, cells) tuples: the import reads a million of them."""
    fh = path.open("r", encoding=encoding, errors="strict", newline="")
    try:
        reader = csv.reader(fh, strict=True)
        previous_end = 0
        try:
            for cells in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                if cells:  # else a blank line
                    yield start, cells
        except csv.Error as exc:  # only the reader raises it
            raise DataError("csv_syntax", file=str(path), line=reader.line_num, error=str(exc)) from None
    except UnicodeError:  # also codecs that fail without a UnicodeDecodeError (undefined; utf-16 without its BOM)
        raise DataError("csv_encoding", file=str(path)) from None
    finally:
        fh.close()


# ---------------------------------------------------------------- cell values


def unescape(value: str) -> str:
    """Undo export's formula guard: one leading apostrophe before a trigger is removed."""
    if value.startswith("'") and len(value) > 1 and value[1] in FORMULA_START:
        return value[1:]
    return value


def _text(raw: str) -> str | None:
    """A text cell: unescaped, and None when blank (nothing but white space)."""
    if raw[:1] == "'" and len(raw) > 1 and raw[1] in FORMULA_START:
        raw = raw[1:]
    return None if not raw or raw.isspace() else raw


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_cell(col: Col, raw: str, lang: str):
    if col.kind == "text":
        return _text(raw)
    text = unescape(raw)
    if not text.strip():
        return [] if col.kind in ("names", "lines") else None
    try:
        if col.kind == "id" or col.kind == "int":
            value = text.strip()
            if not (value.isascii() and value.isdigit() and len(value) <= 18):
                raise CellError("not a whole number")
            return int(value)
        if col.kind == "amount":
            cents = _plain_cents(text)
            return parse_amount(text) if cents is None else cents
        if col.kind == "date":
            return parse_date(text, FUTURE if col.key in DUE_DATES else PAST)
        if col.kind.startswith("enum:"):
            return parse_enum(col.kind[5:], text, lang)
        if col.kind == "names":
            parts = text.split("\n") if "\n" in text else _split_names(text)
            return [p.strip() for p in parts if p.strip()]
        if col.kind == "lines":
            return [p.strip() for p in text.split("\n") if p.strip()]
    except KehuError as exc:
        raise CellError(error_message(exc, lang)) from None
    raise CellError(f"unknown column kind {col.kind}")


_PLAIN_AMOUNT = re.compile(r"([0-9]{1,15})(?:\.([0-9]{1,2}))?")


def _plain_cents(text: str) -> int | None:
    """The common amount, plain digits with at most two decimals ("34425.38"), without
    parse_amount's normalising and Decimal arithmetic; None for every other form, which
    parse_amount decides (also an amount too large). Same cents (tests/test_csv_fast_paths.py)."""
    m = _PLAIN_AMOUNT.fullmatch(text)
    if m is None:
        return None
    cents = int(m[1]) * 100 + (int(m[2].ljust(2, "0")) if m[2] else 0)
    return cents if cents <= MAX_CENTS else None


_NAME_SEPARATORS = re.compile("[、；;，,\n]")


def _split_names(text: str) -> list[str]:
    return _NAME_SEPARATORS.split(text)


# ---------------------------------------------------------------- rows


@dataclass
class Outcome:
    table: str
    file: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    sheet: str | None = None  # an Excel file's sheet: problems are at FILE:SHEET!ROW
    # Customers --create-missing made, (id, name): checked against the book for likely
    # duplicates once the file is in.
    created_customers: list[tuple[int, str]] = field(default_factory=list)

    def error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            where = f"{self.file}:{line}" if self.sheet is None else f"{self.file}:{self.sheet}!{line}"
            self.errors.append(_one_line(f"{where}: {column}: {message}"))


def _one_line(text: str) -> str:
    """Every problem is one line of the report: a line break in a quoted cell or header
    (an enum cell "支持\\n") is shown as \\r or \\n, other control characters as
    ``kehu.text.printable`` shows them."""
    return printable(text.replace("\r", "\\r").replace("\n", "\\n"))


def plan_file(path: Path, table: str | None, encoding: str | None) -> tuple[str, str, list[str]]:
    """Open a file far enough to know its encoding, table and header (or refuse)."""
    if not path.is_file():
        raise NoBook("csv_missing", file=str(path))
    enc = encoding or detect_encoding(path)
    try:
        codecs.lookup(enc)
        io.TextIOWrapper(io.BytesIO(), encoding=enc)  # refuses codecs that are not text (base64, zlib)
    except LookupError:
        raise UsageError("csv_bad_encoding", encoding=enc) from None
    first = next(records(path, enc), None)
    if first is None:
        raise DataError("csv_empty", file=str(path))
    nul = _nul_line(path, enc)
    if nul is not None:
        raise DataError("csv_nul", file=str(path), line=nul)
    header = [h.lstrip("\ufeff") for h in first.cells]
    return enc, table_of(str(path), header, table), header


def table_of(file: str, header: list[str], table: str | None) -> str:
    """The table a header row is for (``table`` if given), or refuse the header: unknown,
    missing or doubled columns. ``file`` names the file (an Excel file's with its sheet)."""
    if table is None:
        fits = infer_table(header)
        if len(fits) == 1:
            table = fits[0]
        elif not fits:
            best = max(ORDER, key=lambda t: sum(c is not None for c in map_header(t, header)[0]))
            cols, unknown = map_header(best, header)
            if not any(cols):
                # A header that names nothing we know is most likely the wrong encoding
                # (or not a kehu file): say so rather than import mojibake.
                raise DataError("csv_header_unknown", file=file, header=_one_line(",".join(header)[:80]))
            if unknown:
                raise DataError("csv_unknown_columns", file=file, columns=_unknown(header, cols),
                                accepted=accepted_names(best))
            raise DataError("csv_no_table", file=file)
        else:
            raise UsageError("csv_ambiguous_table", file=file, tables=", ".join(fits))
    cols, unknown = map_header(table, header)
    if unknown:
        raise DataError("csv_unknown_columns", file=file, columns=_unknown(header, cols),
                        accepted=accepted_names(table))
    keys = [c.key for c in cols if c]
    missing = [c.key for c in TABLES[table] if c.required and c.key not in keys]
    if missing:
        raise DataError("csv_missing_columns", file=file, columns=", ".join(missing))
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise DataError("csv_duplicate_columns", file=file, columns=", ".join(dupes))
    return table


def _unknown(header: list[str], cols: list) -> ColumnNames:
    """The header's unknown names with their column numbers, for the message (which
    shows a blank one visibly and lists at most the first few)."""
    return ColumnNames((n, _one_line(h)) for n, (h, c) in enumerate(zip(header, cols, strict=True), 1) if c is None)


def batches(path: Path, table: str, encoding: str | None, header: list[str], *, lang: str, out: Outcome,
            progress=None, rows: Iterator[tuple[int, list[str]]] | None = None,
            ) -> Iterator[list[tuple[int, dict, dict]]]:
    """The rows after the header, parsed, in lists of at most BATCH: (line, values by
    column key, header name by column key). A row with a problem is reported to ``out``
    and left out; ``progress``, if given, is called with each record's line. ``rows``
    (an Excel sheet's, kehu.csvio.xlsx) are read instead of the file's records: (row
    number, cells as text), the header already left out."""
    cols, _ = map_header(table, header)
    batch: list[tuple[int, dict, dict]] = []
    # The header name of each column, the same for every row: one dict, read only.
    shown = {col.key: name for col, name in zip(cols, header, strict=True)}
    # How each column's cells are read. Text cells cannot fail: they are read in one
    # pass; the others one by one, in column order, so a row's problems are reported left
    # to right. Dates and enumeration labels repeat (a few thousand days, a dozen labels in
    # a million rows): each distinct cell of a kind is parsed once; only values are
    # remembered, never errors, and at most MEMO a kind.
    memos: dict[str, dict] = {}
    texts = [i for i, col in enumerate(cols) if col.kind == "text"]
    text_keys = [cols[i].key for i in texts]
    text_cells = itemgetter(*texts) if len(texts) > 1 else (lambda cells: tuple(cells[i] for i in texts))
    plan = [(col, col.key, name, memos.setdefault(col.kind, {})
             if col.kind == "date" or col.kind.startswith("enum:") else None, i)
            for i, (col, name) in enumerate(zip(cols, header, strict=True)) if col.kind != "text"]
    # A touchpoint's kind written as a channel (电话, 微信, 邮件, 面谈) is a daily contact by
    # that channel, as `kehu touch --kind 电话` is: the raw kind cells that name one, once each.
    kind_at = next((i for i, col in enumerate(cols) if table == "touchpoints" and col.key == "kind"), None)
    channels: dict[str, str | None] = {}
    if rows is None:
        it = _records(path, encoding)
        next(it)  # the header
    else:
        it = rows
    width = len(header)
    for line, cells in it:
        if progress is not None:
            progress(line)
        if len(cells) != width:
            out.error(line, "*", _msg(lang, "csv_field_count", expected=width, found=len(cells)))
            continue
        values = {key: _text(raw) if raw else None for key, raw in zip(text_keys, text_cells(cells), strict=True)}
        bad = False
        for col, key, name, seen, i in plan:
            raw = cells[i]
            try:
                if seen is not None:
                    value = seen.get(raw, seen)
                    if value is seen:
                        value = parse_cell(col, raw, lang)
                        if len(seen) < MEMO:
                            seen[raw] = value
                    values[key] = value
                else:
                    values[key] = parse_cell(col, raw, lang)
            except CellError as exc:
                out.error(line, name, exc.message)
                bad = True
        if kind_at is not None and not bad:
            raw = cells[kind_at]
            implied = channels.get(raw, channels)
            if implied is channels:
                implied = _channel_of(raw)
                if len(channels) < MEMO:
                    channels[raw] = implied
            if implied is not None:
                if values.get("channel") not in (None, implied):
                    out.error(line, shown.get("channel", "channel"),
                              labelled("csv_kind_channel_conflict", lang, kind=unescape(raw).strip(),
                                       channel=values["channel"]))
                    bad = True
                values["channel"] = implied
        if not bad:
            batch.append((line, values, shown))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _channel_of(raw: str) -> str | None:
    """The channel a touchpoint's kind cell names (电话 -> phone), or None."""
    try:
        return parse_enum("touch_channel", unescape(raw))
    except KehuError:
        return None


def _msg(lang: str, key: str, **params: object) -> str:
    from kehu.i18n import message

    return message(key, lang, **params)


def files_in(folder: Path) -> list[tuple[Path, str]]:
    """The layout `kehu export --out DIR` writes: one file per table, in dependency order."""
    found = [(folder / f"{t}.csv", t) for t in ORDER if (folder / f"{t}.csv").is_file()]
    if not found:
        raise NoBook("csv_empty_folder", folder=str(folder))
    return found
