"""`kehu report --xlsx`: the report as a workbook, one sheet per table (the summary
first). Numbers are numbers, amounts are numbers in the currency's units with two
decimals, days are Excel dates, percentages are percentages; the header row is frozen.

xlsxwriter is imported here only, when a workbook is asked for. The workbook is made
with strings_to_formulas=False (and strings_to_numbers/urls off): a customer called
"=HYPERLINK(...)" stays text, as in kehu's CSV export.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from kehu.render.report import Amount, Pct, sections, summary, t

MAX_WIDTH = 60  # a column's width, in characters, at most


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def report_xlsx(rep, lang: str) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#F3F6F9", "bottom": 1})
    fmt = {
        "amount": book.add_format({"num_format": "#,##0.00"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "pct": book.add_format({"num_format": "0%"}),
    }

    def sheet(name: str, headers: list[str], rows: list[list[object]]) -> None:
        ws = book.add_worksheet(name)
        widths = [_width(h) for h in headers]
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, head)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                shown = _write(ws, r, c, value, fmt)
                widths[c] = max(widths[c], shown)
        for c, w in enumerate(widths):
            ws.set_column(c, c, min(MAX_WIDTH, w + 2))
        ws.freeze_panes(1, 0)

    rows: list[list[object]] = []
    for k, v in summary(rep, lang):
        if isinstance(v, list):
            rows += [[k, Amount(a.cents), a.currency] for a in v] or [[k, Amount(0), rep.currency]]
        else:
            rows.append([k, v, ""])
    sheet(t("rp_sheet_summary", lang), [t("rp_h_field", lang), t("rp_h_value", lang), t("rp_h_currency", lang)],
          rows)
    for section in sections(rep, lang):
        for table in section.tables:
            sheet(t(f"rp_sheet_{table.sheet}", lang), table.headers, table.rows)
    book.close()
    return buf.getvalue()


def _write(ws, r: int, c: int, value: object, fmt) -> int:
    """Write one typed cell; its shown width, for the column."""
    if isinstance(value, Amount):
        ws.write_number(r, c, value.cents / 100, fmt["amount"])
        return len(f"{value.cents / 100:,.2f}")
    if isinstance(value, Pct):
        ws.write_number(r, c, value.value / 100, fmt["pct"])
        return 4
    if isinstance(value, bool):
        ws.write_boolean(r, c, value)
        return 5
    if isinstance(value, int):
        ws.write_number(r, c, value)
        return len(str(value))
    if isinstance(value, date):
        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt["date"])
        return 10
    text = "" if value is None else str(value)
    ws.write_string(r, c, text)
    return _width(text)
