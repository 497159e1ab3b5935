"""Excel workbooks (.xlsx): `kehu import FILE.xlsx` and `kehu export --xlsx FILE`.

Import reads a sheet with python-calamine (a workbook of 100,000 rows in about half a
second, where openpyxl took 5–12 s and up to 361 MB) and turns each row into the text
cells a CSV file would have, which then go through the very steps of a CSV import
(kehu.csvio.read.batches, kehu.csvio.importer): same header names, same checks, all
or nothing. No type guessing: a text cell stays as typed (0101234 keeps its zero);
a number becomes its shortest exact text, and a whole number never turns into
"1.38e10" (a phone typed as a number, 13800138000, keeps its digits); an Excel date
becomes its ISO day. A text cell that starts like a formula (``=cmd``) gets the
apostrophe of CSV export's formula guard, which the shared reading removes again, so
the value arrives exactly as typed (an apostrophe of its own included).

The header is the row, among the first ``HEAD``, that names the most known columns:
title rows and merged cells above it are passed over. Problems are reported as
``FILE:SHEET!ROW``, ROW being the row number Excel shows.

Export writes one sheet per table with xlsxwriter, text as text (``strings_to_formulas``
and ``strings_to_numbers`` off: ``=cmd`` stays the text =cmd), ids and amounts as
numbers, days as Excel dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path

from kehu.csvio.columns import FORMULA_START, ORDER, TABLES, map_header
from kehu.csvio.read import Outcome, _msg, table_of
from kehu.errors import DataError, NoBook, UsageError

HEAD = 30  # rows searched for the header
SUFFIXES = (".xlsx", ".xlsm")
_TRIGGERS = frozenset(FORMULA_START)


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text_of(value: object) -> str:
    """A cell as the text a CSV file would hold (see the module's docstring)."""
    cls = value.__class__
    if cls is str:
        return "'" + value if value and value[0] in _TRIGGERS else value
    if cls is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if cls is int:
        return str(value)
    if cls is bool:
        return "TRUE" if value else "FALSE"
    if cls is datetime:
        if not (value.hour or value.minute or value.second or value.microsecond):
            return value.date().isoformat()
        return value.isoformat(" ", "seconds")
    if cls is date:
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


def _blank(value: object) -> bool:
    return value is None or value == "" and value.__class__ is str


class Sheet:
    """One sheet to import: its name, table, header and rows after the header."""

    def __init__(self, path: Path, name: str, table: str, header: list[str], first: int, rows: Iterator,
                 start: tuple[int, int], header_at: int) -> None:
        self.path = path
        self.name = name
        self.table = table
        self.header = header
        self._first = first  # the header's first column (0-based, from the sheet's first)
        self._rows: Iterator | None = rows  # calamine's rows after the header
        self._reopen = None  # or: a function that loads the sheet again (see plan_workbook)
        self._skip = header_at + 1
        # calamine's rows begin at the sheet's first used cell: ``start`` (0-based)
        self._row = start[0] + header_at + 1  # the Excel row number of the header
        self._col0 = start[1]

    def rows(self, out: Outcome, lang: str) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells as text) for each row that is not blank; a value outside
        the header's columns is a problem of its row."""
        first = self._first
        end = first + len(self.header)
        cols, _ = map_header(self.table, self.header)
        days = [i for i, c in enumerate(cols) if c is not None and c.kind == "date"]
        number = self._row
        width = len(self.header)
        triggers = _TRIGGERS
        source = self._rows if self._rows is not None else islice(self._reopen(), self._skip, None)
        self._rows = None
        for raw in source:
            number += 1
            # calamine gives "" for an empty cell: the common row (as wide as the header,
            # text cells) is read in C-speed passes, and text_of is called only for the
            # other cells (a 100,000-row sheet: a third of the time it took cell by cell).
            if first or len(raw) > end:
                outside = [i for i, v in enumerate(raw) if (i < first or i >= end) and not _blank(v)]
                if outside:
                    at = column_letters(outside[0] + self._col0)
                    out.error(number, at, _msg(lang, "xlsx_outside", cell=f"{at}{number}"))
                    continue
                cells = raw[first:end]
            else:
                cells = raw
            if cells.count("") + cells.count(None) == len(cells):  # a blank row
                continue
            text = [v if v.__class__ is str and (not v or v[0] not in triggers) else text_of(v) for v in cells]
            if len(text) < width:  # calamine pads to the sheet's width; be safe
                text.extend([""] * (width - len(text)))
            for i in days:  # an Excel date-and-time in a date column: its day
                if i < len(cells) and cells[i].__class__ is datetime:
                    text[i] = cells[i].date().isoformat()
            yield number, text


def plan_workbook(path: Path, table: str | None, sheet: str | None) -> list[Sheet]:
    """The sheets to import, each with its table and header, or refuse before anything
    is written: every sheet (or the one named) that holds something, in the order
    their tables refer to each other."""
    if not path.is_file():
        raise NoBook("csv_missing", file=str(path))
    import python_calamine as calamine  # only for a workbook: a compiled module of some size

    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        names = [m.name for m in book.sheets_metadata
                 if m.typ == calamine.SheetTypeEnum.WorkSheet and m.visible == calamine.SheetVisibleEnum.Visible]
    except Exception:  # noqa: BLE001 — whatever calamine raises for a file that is not a workbook
        raise DataError("xlsx_unreadable", file=str(path)) from None
    if sheet is not None:
        if sheet not in book.sheet_names:
            raise UsageError("xlsx_no_sheet", file=str(path), sheet=sheet, sheets="、".join(book.sheet_names))
        names = [sheet]
    found: list[Sheet] = []
    for name in names:
        try:
            data = book.get_sheet_by_name(name)
            rows = data.iter_rows()
            head = list(islice(rows, HEAD))
        except Exception:  # noqa: BLE001 — a damaged sheet
            raise DataError("xlsx_unreadable", file=f"{path}:{name}") from None
        plan = _plan_sheet(path, name, table, data, head, rows)
        if plan is None:
            if sheet is not None:
                raise DataError("csv_empty", file=f"{path}:{name}")
            continue
        found.append(plan)
        if len(names) > 1:
            # calamine holds a whole sheet in memory once loaded: a workbook's sheets are
            # loaded again one at a time when imported, not all held from the start
            # (an export of a large book has a million touchpoints in one of them).
            plan._rows = None
            plan._reopen = _loader(book, name)
            del data, rows, head
    if not found:
        raise DataError("csv_empty", file=str(path))
    return sorted(found, key=lambda s: ORDER.index(s.table))


def _loader(book, name: str):
    return lambda: book.get_sheet_by_name(name).iter_rows()


def _plan_sheet(path: Path, name: str, table: str | None, data, head: list[list], rows: Iterator) -> Sheet | None:
    best, best_known = None, 0
    for at, row in enumerate(head):
        if all(_blank(v) for v in row):
            continue
        if best is None:
            best = at  # the first row with anything: the header, if no row names a column
        cells = [text_of(v).strip() for v in row]
        known = max(sum(c is not None for c in map_header(t, cells)[0]) for t in ([table] if table else ORDER))
        if known > best_known:
            best, best_known = at, known
    if best is None:
        return None
    row = head[best]
    filled = [i for i, v in enumerate(row) if not _blank(v)]
    first, last = filled[0], filled[-1]
    header = ["" if _blank(v) else (v if v.__class__ is str else text_of(v)) for v in row[first:last + 1]]
    try:
        found = table_of(f"{path}:{name}", header, table)
    except DataError as exc:
        if exc.key != "csv_header_unknown":
            raise
        # (the CSV message blames the encoding, which a workbook does not have)
        raise DataError("xlsx_header_unknown", file=f"{path}:{name}", rows=HEAD, header=exc.params["header"]) from None
    return Sheet(path, name, found, header, first, chain(head[best + 1:], rows), tuple(data.start or (0, 0)), best)


# ---------------------------------------------------------------- export


SHEETS_ZH = {"customers": "客户", "people": "决策人", "touchpoints": "接触记录", "promises": "承诺",
             "contracts": "合同", "instalments": "付款计划"}


def sheet_name(table: str, chinese: bool) -> str:
    """A table's sheet: its key, or with Chinese headers its Chinese name."""
    return SHEETS_ZH[table] if chinese else table


def write_workbook(target: Path, tables: list[tuple[str, Iterator[list]]], *, chinese: bool) -> list[int]:
    """One sheet per table, whole or not at all, owner-only (kehu.files); the rows are
    ``kehu.csvio.export.export_rows`` (header first), their formula guard taken off again:
    here text is stored as text and never read as a formula. Returns the rows per sheet."""
    from kehu.files import write_atomic

    return write_atomic(target, lambda fh: _fill(fh, tables, chinese), binary=True, make_parents=True)


def _fill(fh, tables: list[tuple[str, Iterator[list]]], chinese: bool) -> list[int]:
    import xlsxwriter

    from kehu.csvio.read import unescape

    book = xlsxwriter.Workbook(fh, {"strings_to_formulas": False, "strings_to_numbers": False,
                                    "strings_to_urls": False, "constant_memory": True})
    try:
        bold = book.add_format({"bold": True})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        money = book.add_format({"num_format": "0.00"})
        counts = []
        for table, rows in tables:
            ws = book.add_worksheet(sheet_name(table, chinese))
            header = next(rows)
            ws.write_row(0, 0, header, bold)
            ws.freeze_panes(1, 0)
            by_name = {n: c for c in TABLES[table] for n in (c.key, c.zh)}
            kinds = [by_name[h].kind for h in header]
            ws.set_column(0, len(header) - 1, 14)
            n = 0
            for n, row in enumerate(rows, 1):
                for i, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    kind = kinds[i]
                    if kind == "date":
                        ws.write_datetime(n, i, date.fromisoformat(str(value)), day)
                    elif kind == "amount":
                        ws.write_number(n, i, float(value), money)
                    elif value.__class__ is int:
                        ws.write_number(n, i, value)
                    else:
                        ws.write_string(n, i, unescape(value) if value.__class__ is str else str(value))
            counts.append(n)
    except BaseException:
        # (constant_memory keeps each sheet's rows in a temporary file of its own, 0600,
        # until close() assembles them: a failed export removes them, as close() would)
        for ws in book.worksheets():
            if ws.row_data_fh is not None and not ws.row_data_fh.closed:
                ws.row_data_fh.close()
            if ws.row_data_filename:
                Path(ws.row_data_filename).unlink(missing_ok=True)
        raise
    book.close()
    return counts
