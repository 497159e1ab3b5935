"""CSV import and export: the files salespeople really have, and files Excel opens safely.

Import streams: bytes → decoded text → csv records (with the physical line each starts
on) → values parsed per column → the same validation models the commands use →
batched SQLAlchemy Core writes, all inside the command's one transaction. Any bad row
makes the whole import write nothing; every problem is reported as
``FILE:LINE: column: what is wrong``.

Encodings, in order: a BOM (UTF-8, UTF-16), else strict UTF-8, else strict GB18030 (what
Chinese Excel writes, GBK being its subset); then the header must name known columns.
A file none of these fits is refused with a hint to pass ``--encoding``.

Export escapes formula triggers: a text cell that starts with ``= + - @``, a tab, CR, LF
or an apostrophe gets one leading apostrophe, which import removes again, so a round
trip restores every value exactly and Excel never evaluates typed data.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path

from kehu.dates import parse_date
from kehu.money import MAX_CENTS, parse_amount
from kehu.errors import DataError, KehuError, NoBook, UsageError
from kehu.i18n import error_message, parse_enum

BATCH = 2000
MEMO = 50_000  # distinct date (or label) cells remembered per file
MAX_REPORTED = 50
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'")


@dataclass(frozen=True)
class Col:
    key: str
    zh: str
    kind: str = "text"  # text, id, int, amount, date, enum:<name>, names, lines
    aliases: tuple[str, ...] = ()
    required: bool = False
    private: bool = False


TABLES: dict[str, tuple[Col, ...]] = {
    "customers": (
        Col("id", "编号", "id"),
        Col("name", "客户名称", aliases=("客户", "名称", "公司", "公司名称"), required=True),
        Col("industry", "行业"),
        Col("region", "地区"),
        Col("kind", "类型", "enum:customer_kind", aliases=("客户类型",)),
        Col("level", "关系类型", "enum:relationship_level"),
        Col("value", "年价值", "amount", aliases=("金额", "价值")),
        Col("owner", "负责人", aliases=("销售",)),
        Col("note", "备注"),
        Col("stage", "阶段", "enum:stage"),
        Col("profit_now", "当前盈利", "enum:profit"),
        Col("profit_future", "未来潜力", "enum:profit"),
        Col("service_cost", "服务成本", "enum:cost"),
        Col("added_on", "建档日期", "date"),
        Col("terminated_on", "终止日期", "date"),
        Col("terminated_reason", "终止原因"),
    ),
    "people": (
        Col("id", "编号", "id"),
        Col("customer", "客户名称", aliases=("客户",), required=True),
        Col("name", "决策人", aliases=("姓名", "联系人"), required=True),
        Col("title", "职位"),
        Col("dept", "部门"),
        Col("level", "层级", "enum:person_level"),
        Col("role", "角色", "enum:role"),
        Col("attitude", "态度", "enum:attitude"),
        Col("kpi", "KPI", aliases=("考核指标",)),
        Col("pain", "痛点"),
        Col("interest", "关注点"),
        Col("style", "沟通偏好"),
        Col("competence", "专业评分", "int"),
        Col("private", "私密信息", private=True),
    ),
    "touchpoints": (
        Col("id", "编号", "id"),
        Col("customer", "客户名称", aliases=("客户",), required=True),
        Col("date", "日期", "date", required=True),
        Col("kind", "方式", "enum:touch_kind", aliases=("接触方式",), required=True),
        Col("with", "接触人", "names"),
        Col("note", "备注", aliases=("内容",)),
        Col("signals", "信号", "lines", aliases=("客户信号",)),
        Col("next", "下一步"),
        Col("next_due", "下一步截止", "date"),
        Col("next_done", "下一步完成", "date"),
    ),
    "promises": (
        Col("id", "编号", "id"),
        Col("customer", "客户名称", aliases=("客户",), required=True),
        Col("touchpoint", "接触编号", "id"),
        Col("text", "承诺", required=True),
        Col("made_on", "承诺日期", "date", required=True),
        Col("due", "到期日", "date", aliases=("截止日期",), required=True),
        Col("kept_on", "兑现日期", "date"),
        Col("broken_on", "作废日期", "date"),
    ),
    "contracts": (
        Col("id", "编号", "id"),
        Col("customer", "客户名称", aliases=("客户",), required=True),
        Col("title", "合同名称", aliases=("合同",), required=True),
        Col("amount", "合同金额", "amount", aliases=("金额",), required=True),
        Col("currency", "币种"),
        Col("status", "合同状态", "enum:contract_status", aliases=("状态",)),
        Col("expected_on", "预计签约", "date", aliases=("预计签约日期",)),
        Col("signed_on", "签约日期", "date"),
        Col("completed_on", "完成日期", "date"),
        Col("lost_on", "丢单日期", "date"),
        Col("lost_reason", "丢单原因"),
        Col("aftercare_due", "回访日期", "date"),
        Col("aftercare_done", "回访完成", "date"),
        Col("note", "备注"),
    ),
    "instalments": (
        Col("id", "编号", "id"),
        Col("contract", "合同编号", "id", required=True),
        Col("seq", "期次", "int"),
        Col("amount", "金额", "amount", aliases=("应付金额",), required=True),
        Col("due", "到期日", "date", aliases=("应付日期",), required=True),
        Col("paid", "已付金额", "amount", aliases=("已付",)),
        Col("paid_on", "付款日期", "date"),
    ),
}
ORDER = ("customers", "people", "touchpoints", "promises", "contracts", "instalments")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "_").replace("-", "_")


def accepted_names(table: str) -> str:
    return ", ".join(f"{c.key}/{c.zh}" for c in TABLES[table])


def map_header(table: str, header: Sequence[str]) -> tuple[list[Col | None], list[str]]:
    """Columns for each header cell (None: unknown) and the unknown names."""
    names = {}
    for c in TABLES[table]:
        for form in (c.key, c.zh, *c.aliases):
            names.setdefault(_fold(form), c)
    cols = [names.get(_fold(h)) for h in header]
    unknown = [h for h, c in zip(header, cols, strict=True) if c is None]
    return cols, unknown


def infer_table(header: Sequence[str]) -> list[str]:
    """Tables whose columns cover the header and whose required columns are present."""
    fits = []
    for table in ORDER:
        cols, unknown = map_header(table, header)
        keys = {c.key for c in cols if c}
        if not unknown and all(c.key in keys for c in TABLES[table] if c.required):
            fits.append(table)
    return fits


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


def _plausible_utf8(ch: str) -> bool:
    # GBK bytes misread as UTF-8 come out as two-byte sequences beyond Latin: IPA,
    # combining marks, Greek, Cyrillic, Hebrew, Arabic (U+0250–U+07FF). Only those make
    # a UTF-8 reading suspect; everything else (CJK, accents, emoji) is taken as meant.
    return not 0x250 <= ord(ch) <= 0x7FF


# The characters _plausible_utf8 refuses, counted by the regex engine (a Python loop over
# every character of a large Chinese file was 5 % of an import).
_IMPLAUSIBLE_UTF8 = re.compile("[\u0250-\u07ff]")


@dataclass
class _Scan:
    ok: bool = True
    odd: int = 0  # characters this decoding makes implausible for a Chinese book
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
                    scan.odd += len(_IMPLAUSIBLE_UTF8.findall(text))
                    text = ""  # nothing else is counted for UTF-8
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


def detect_encoding(path: Path, *, ours: bool = False) -> str:
    """BOM → strict UTF-8 → strict GB18030, each checked over the whole file, streaming.

    Bytes can be valid in both: GBK's 一 (D2 BB) is also UTF-8 for the Cyrillic һ, and
    GB18030 decodes most Big5 or Shift-JIS bytes into something. So a decoding must also
    look like a Chinese book: UTF-8 is taken unless it yields characters no such file
    holds while GB18030 yields clean Chinese; GB18030 is taken only when what it yields
    is Chinese text, mostly the common (GB2312) characters. Anything else is refused
    with a hint to name the encoding.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf8 = _scan(path, "utf-8")
    if utf8.ok and (utf8.odd == 0 or ours):
        # A file of kehu's own export folder is UTF-8 by definition: when its bytes are
        # valid UTF-8 that is what they are, whatever characters they spell ('¨á' is
        # also valid GB18030 for 虉谩). A folder re-saved by Excel as GBK is not valid
        # UTF-8 and still goes through the detection below.
        return "utf-8"
    gb = _scan(path, "gb18030")
    if _chinese(gb):
        return "gb18030"
    if utf8.ok:
        return "utf-8"  # unusual scripts, but no Chinese reading fits better
    raise DataError("csv_encoding", file=str(path))


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


def escape(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


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
            return parse_date(text)
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


# ---------------------------------------------------------------- import


@dataclass
class Outcome:
    table: str
    file: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(_one_line(f"{self.file}:{line}: {column}: {message}"))


def _one_line(text: str) -> str:
    """Every problem is one line of the report: a line break in a quoted cell or header
    (an enum cell "支持\\n") is shown as \\r or \\n."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def plan_file(path: Path, table: str | None, encoding: str | None,
              ours: bool = False) -> tuple[str, str, list[str]]:
    """Open a file far enough to know its encoding, table and header (or refuse).

    ``ours``: the file comes from a folder in kehu's export layout (UTF-8 when valid).
    """
    if not path.is_file():
        raise NoBook("csv_missing", file=str(path))
    enc = encoding or detect_encoding(path, ours=ours)
    try:
        codecs.lookup(enc)
        io.TextIOWrapper(io.BytesIO(), encoding=enc)  # refuses codecs that are not text (base64, zlib)
    except LookupError:
        raise UsageError("csv_bad_encoding", encoding=enc) from None
    first = next(records(path, enc), None)
    if first is None:
        raise DataError("csv_empty", file=str(path))
    header = [h.lstrip("\ufeff") for h in first.cells]
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
                raise DataError("csv_header_unknown", file=str(path), header=_one_line(",".join(header)[:80]))
            if unknown:
                raise DataError("csv_unknown_columns", file=str(path), columns=_one_line(", ".join(unknown)),
                                accepted=accepted_names(best))
            raise DataError("csv_no_table", file=str(path))
        else:
            raise UsageError("csv_ambiguous_table", file=str(path), tables=", ".join(fits))
    cols, unknown = map_header(table, header)
    if unknown:
        raise DataError("csv_unknown_columns", file=str(path), columns=_one_line(", ".join(unknown)),
                        accepted=accepted_names(table))
    keys = [c.key for c in cols if c]
    missing = [c.key for c in TABLES[table] if c.required and c.key not in keys]
    if missing:
        raise DataError("csv_missing_columns", file=str(path), columns=", ".join(missing))
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise DataError("csv_duplicate_columns", file=str(path), columns=", ".join(dupes))
    return enc, table, header


def import_file(s, path: Path, table: str, encoding: str, header: list[str], *,
                lang: str, create_missing: bool, progress=None, ids: dict | None = None) -> Outcome:
    """``ids`` is shared by the files of one folder import: where a record of an earlier
    file got another id than the file gave it, later files' references follow it."""
    # Python's cycle collector walks every container object in the process each time its
    # older generations fill, and an import allocates millions of short-lived rows: those
    # walks over the objects the command started with (SQLAlchemy's, pydantic's, the
    # modules') were a tenth of a 100,000-row import. They are long-lived: frozen, they
    # are left out of every collection until the file is done (garbage is still found).
    gc.freeze()
    try:
        return _import_rows(s, path, table, encoding, header, lang=lang, create_missing=create_missing,
                            progress=progress, ids=ids)
    finally:
        gc.unfreeze()


def _import_rows(s, path: Path, table: str, encoding: str, header: list[str], *,
                 lang: str, create_missing: bool, progress=None, ids: dict | None = None) -> Outcome:
    from kehu.csv_store import Importer

    cols, _ = map_header(table, header)
    out = Outcome(table, str(path))
    importer = Importer(s, table, out, create_missing=create_missing, lang=lang, ids=ids)
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
    it = _records(path, encoding)
    next(it)  # the header
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
        if not bad:
            batch.append((line, values, shown))
        if len(batch) >= BATCH:
            importer.run(batch)
            batch = []
    if batch:
        importer.run(batch)
    importer.finish()
    return out


def _msg(lang: str, key: str, **params: object) -> str:
    from kehu.i18n import message

    return message(key, lang, **params)


def files_in(folder: Path) -> list[tuple[Path, str]]:
    """The layout `kehu export --out DIR` writes: one file per table, in dependency order."""
    found = [(folder / f"{t}.csv", t) for t in ORDER if (folder / f"{t}.csv").is_file()]
    if not found:
        raise NoBook("csv_empty_folder", folder=str(folder))
    return found


# ---------------------------------------------------------------- export


def write_atomic(target: Path, rows: Iterator[list[str]], *, excel: bool) -> int:
    """Write rows to ``target`` whole or not at all (kehu.files), owner-only."""
    from kehu.files import write_atomic as write

    return write(target, lambda fh: _write_rows(fh, rows), encoding="utf-8-sig" if excel else "utf-8",
                 make_parents=True)


def write_all_atomic(items: list[tuple[Path, Iterator[list[str]]]], *, excel: bool) -> list[int]:
    """Several CSV files (an export folder), all written or none (kehu.files)."""
    from kehu.files import write_all_atomic as write_all

    return write_all([(target, (lambda batch: lambda fh: _write_rows(fh, batch))(rows)) for target, rows in items],
                     encoding="utf-8-sig" if excel else "utf-8", make_parents=True)


def write_stream(fh: io.TextIOBase, rows: Iterator[list[str]], *, excel: bool) -> int:
    if excel:
        fh.write("\ufeff")
    return _write_rows(fh, rows)


def _write_rows(fh, rows: Iterator[list[str]]) -> int:
    """RFC 4180 rows; returns how many records followed the header."""
    writer = csv.writer(fh, lineterminator="\r\n")
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count - 1


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return escape(str(value))


def export_columns(table: str, include_private: bool) -> list[Col]:
    return [c for c in TABLES[table] if include_private or not c.private]
