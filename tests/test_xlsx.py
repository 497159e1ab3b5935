"""Excel workbooks in and out: `kehu import FILE.xlsx [--sheet NAME]`, `kehu export --xlsx FILE`.

The same data as a CSV fixture, written as a workbook, makes the same book (compared as
the book's complete export); a book goes xlsx → book → xlsx → book unchanged; every
refusal is one line, FILE:SHEET!ROW for a bad cell, nothing written; text that looks
like a formula stays text.
"""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from _books import nothing_made

pytestmark = pytest.mark.today("2026-11-23")

FIX = Path(__file__).parent / "fixtures" / "csv"
TABLE_FILES = [f"{t}.csv" for t in ("customers", "people", "touchpoints", "promises", "contracts", "instalments")]


def workbook(path: Path, sheets: dict[str, list[list]], *, title: str | None = None) -> Path:
    """A workbook as a user's Excel saves it: each cell of its own type (None: blank); with
    ``title``, a merged title row and a blank row above each sheet's header."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        top = 0
        if title is not None:
            ws.merge_range(0, 0, 0, max(len(rows[0]) - 1, 1), title)
            top = 2
        for r, row in enumerate(rows, top):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (date, datetime)):
                    ws.write_datetime(r, c, value, day)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write(r, c, value)
    book.close()
    return path


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def export_all(kehu, db: Path, folder: Path) -> dict[str, bytes]:
    """The whole book, private details included, as its CSV export: equal means the same book."""
    kehu("--db", str(db), "export", "--out", str(folder), "--include-private")
    return {name: (folder / name).read_bytes() for name in TABLE_FILES}


def cells(path: Path) -> dict[str, list[list]]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


# ---------------------------------------------------------------- the same book as CSV

SAME_AS_CSV = ["enc_utf8.csv", "header_en_any_order.csv", "header_zh_aliases.csv", "header_zh_any_order.csv",
               "text_not_numbers.csv"]


@pytest.mark.parametrize("fixture", SAME_AS_CSV)
@pytest.mark.parametrize("title", [None, "2026 年客户名单（内部）"])
def test_a_workbook_of_a_csv_fixture_makes_the_same_book(kehu, tmp_path: Path, fixture: str, title) -> None:
    from_csv, from_xlsx = tmp_path / "csv.db", tmp_path / "xlsx.db"
    kehu("--db", str(from_csv), "import", str(FIX / fixture))
    path = workbook(tmp_path / "in.xlsx", {"客户": csv_rows(FIX / fixture)}, title=title)
    result = kehu("--db", str(from_xlsx), "import", str(path))
    assert result.stderr.splitlines()[-1].startswith(f"{path}:客户 (customers): ")
    assert export_all(kehu, from_xlsx, tmp_path / "b") == export_all(kehu, from_csv, tmp_path / "a")


def test_numbers_and_dates_as_excel_stores_them_read_as_their_text(kehu, tmp_path: Path) -> None:
    # What a user's sheet really holds: a phone typed as a number (a float in the file),
    # a value as a number, dates as Excel dates (one with a time) and as text, leading
    # zeros in text cells. The same rows as CSV text make the same book.
    text = [["客户名称", "电话", "年价值", "建档日期", "地区", "备注"],
            ["华东电力", "13800138000", "34425.38", "2024-03-05", "010000", "000123"],
            ["西部矿业", "02167891234", "500000", "2024-03-06", "0.50", "1e5"]]
    typed = [text[0],
             ["华东电力", 13800138000.0, 34425.38, date(2024, 3, 5), "010000", "000123"],
             [None] * 6,  # a blank row between the rows: passed over
             ["西部矿业", "02167891234", 500000, datetime(2024, 3, 6, 14, 30), "0.50", "1e5"]]
    kehu("--db", str(tmp_path / "typed.db"), "import", str(workbook(tmp_path / "typed.xlsx", {"s": typed})))
    kehu("--db", str(tmp_path / "text.db"), "import", str(workbook(tmp_path / "text.xlsx", {"s": text})))
    typed_book = export_all(kehu, tmp_path / "typed.db", tmp_path / "a")
    assert typed_book == export_all(kehu, tmp_path / "text.db", tmp_path / "b")
    rows = list(csv.reader(typed_book["customers.csv"].decode().splitlines()))
    col = {k: i for i, k in enumerate(rows[0])}
    assert [(r[col["phone"]], r[col["value"]], r[col["added_on"]], r[col["note"]]) for r in rows[1:]] == [
        ("13800138000", "34425.38", "2024-03-05", "000123"), ("02167891234", "500000.00", "2024-03-06", "1e5")]


def test_cell_text_has_no_type_guessing() -> None:
    from kehu.csvio.xlsx import text_of

    assert text_of(13800138000.0) == "13800138000"
    assert text_of(1.0e20) == "100000000000000000000"
    assert text_of(34425.38) == "34425.38"
    assert text_of(0.1) == "0.1"
    assert text_of(7) == "7"
    assert text_of(True) == "TRUE"
    assert text_of("007") == "007"
    assert text_of(date(2024, 3, 5)) == "2024-03-05"
    assert text_of(datetime(2024, 3, 5)) == "2024-03-05"
    assert text_of(datetime(2024, 3, 5, 9, 30)) == "2024-03-05 09:30:00"
    # the CSV formula guard, which the shared reading takes off again
    assert text_of("=cmd") == "'=cmd"
    assert text_of("'x") == "''x" and text_of("'=x") == "''=x"


def test_the_header_is_found_below_a_title_and_a_sheet_can_be_chosen(kehu, tmp_path: Path, isolated_book) -> None:
    path = workbook(tmp_path / "two.xlsx", {
        "说明": [["这张表是说明，不是数据"]],
        "名单": [["客户名称", "地区"], ["华东电力", "上海"]],
    }, title="客户名单")
    # Without --sheet every sheet is read: the notes sheet has no header.
    result = kehu("import", str(path), code=65)
    assert result.stderr.startswith(f"kehu: {path}:说明: no header row in the first 30 rows (")
    assert nothing_made(isolated_book)
    result = kehu("import", str(path), "--sheet", "名单")
    assert result.stderr.splitlines()[-1] == f"{path}:名单 (customers): 1 new, 0 updated, 0 unchanged"
    assert [(c["name"], c["region"]) for c in kehu.json("list")] == [("华东电力", "上海")]


def test_a_second_import_changes_nothing_and_a_dry_run_writes_nothing(kehu, tmp_path: Path, isolated_book) -> None:
    path = workbook(tmp_path / "c.xlsx", {"c": csv_rows(FIX / "enc_utf8.csv")})
    dry = kehu("import", str(path), "--dry-run")
    assert "3 new" in dry.stderr and dry.stderr.rstrip().endswith("(dry run: nothing was written)")
    assert nothing_made(isolated_book)
    kehu("import", str(path))
    before = export_all(kehu, isolated_book, tmp_path / "a")
    again = kehu.json("import", str(path))
    assert again["files"] == [{"file": str(path), "sheet": "c", "table": "customers", "new": 0, "updated": 0,
                               "unchanged": 3, "errors": [], "error_count": 0}]
    assert export_all(kehu, isolated_book, tmp_path / "b") == before


# ---------------------------------------------------------------- round trip


def small_book(kehu, tmp_path: Path) -> Path:
    """Every table, a private detail, text that looks like a formula or a number."""
    folder = tmp_path / "seed"
    folder.mkdir()
    (folder / "customers.csv").write_text(
        "name,industry,region,note,phone,value,aliases,kind\n"
        "华东电力,能源,010000,'=HYPERLINK(\"http://x\"),010-1234567,50000.5,华电,\n"
        "西部矿业,,,\"两行\n备注\",13800138000,,,\n"
        "'+86 公司,@SUM,-1,''=x,,,,\n", encoding="utf-8")
    (folder / "people.csv").write_text(
        "customer,name,title,private,mobile\n华东电力,张伟,总经理,喜欢钓鱼,13800138000\n", encoding="utf-8")
    (folder / "touchpoints.csv").write_text(
        "customer,date,kind,with,note,next,next_due\n华东电力,2026-11-01,日常,张伟,送资料,送方案,2026-11-30\n",
        encoding="utf-8")
    (folder / "promises.csv").write_text(
        "customer,text,made_on,due\n华东电力,寄样品,2026-11-01,2026-11-20\n", encoding="utf-8")
    (folder / "contracts.csv").write_text(
        "customer,title,amount,status,expected_on\n华东电力,一期工程,120000.5,拟定,2027-01-15\n", encoding="utf-8")
    (folder / "instalments.csv").write_text(
        "contract,seq,amount,due\n1,1,60000,2027-02-01\n1,2,60000.5,2027-03-01\n", encoding="utf-8")
    db = tmp_path / "book.db"
    kehu("--db", str(db), "import", str(folder))
    return db


@pytest.mark.parametrize("headers", ["en", "zh"])
def test_xlsx_round_trip_is_lossless(kehu, tmp_path: Path, headers: str) -> None:
    db = small_book(kehu, tmp_path)
    first = tmp_path / "first.xlsx"
    kehu("--db", str(db), "export", "--xlsx", str(first), "--include-private", "--headers", headers)
    kehu("--db", str(tmp_path / "copy.db"), "import", str(first))
    second = tmp_path / "second.xlsx"
    kehu("--db", str(tmp_path / "copy.db"), "export", "--xlsx", str(second), "--include-private",
         "--headers", headers)
    assert cells(second) == cells(first)
    assert export_all(kehu, tmp_path / "copy.db", tmp_path / "b") == export_all(kehu, db, tmp_path / "a")
    sheets = cells(first)
    assert list(sheets) == (["customers", "people", "touchpoints", "promises", "contracts", "instalments"]
                            if headers == "en" else ["客户", "决策人", "接触记录", "承诺", "合同", "付款计划"])
    customers = sheets["customers" if headers == "en" else "客户"]
    assert customers[0][:2] == (["id", "name"] if headers == "en" else ["编号", "客户名称"])
    # ids and amounts are numbers, days are dates, text is text
    assert customers[1][0] == 1.0 and customers[1][customers[0].index("value" if headers == "en" else "年价值")] \
        == 50000.5
    assert isinstance(customers[1][customers[0].index("added_on" if headers == "en" else "建档日期")], date)
    # the book it came from takes it back without a change
    report = kehu.json("--db", str(db), "import", str(first))
    assert [(f["new"], f["updated"]) for f in report["files"]] == [(0, 0)] * 6


def test_formulas_are_never_produced_from_text(kehu, tmp_path: Path) -> None:
    db = small_book(kehu, tmp_path)
    path = tmp_path / "out.xlsx"
    kehu("--db", str(db), "export", "--xlsx", str(path), "--table", "customers")
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # not one formula cell
    rows = cells(path)["customers"]
    col = rows[0].index("note")
    assert [r[col] for r in rows[1:]] == ['=HYPERLINK("http://x")', "两行\n备注", "'=x"]
    assert [r[rows[0].index("name")] for r in rows[1:]][2] == "+86 公司"
    assert [r[rows[0].index("industry")] for r in rows[1:]][2] == "@SUM"
    assert [r[rows[0].index("region")] for r in rows[1:]][2] == "-1"  # text, not the number -1
    assert [r[rows[0].index("phone")] for r in rows[1:]][:2] == ["010-1234567", "13800138000"]


def test_private_details_follow_the_csv_rules(kehu, tmp_path: Path) -> None:
    db = small_book(kehu, tmp_path)
    plain, private = tmp_path / "plain.xlsx", tmp_path / "private.xlsx"
    quiet = kehu("--db", str(db), "export", "--xlsx", str(plain))
    assert "Warning" not in quiet.stderr
    assert "private" not in cells(plain)["people"][0] and "喜欢钓鱼" not in str(cells(plain))
    loud = kehu("--db", str(db), "export", "--xlsx", str(private), "--include-private")
    assert loud.stderr.startswith("Warning: the export includes people's private details")
    assert "喜欢钓鱼" in cells(private)["people"][1]
    assert oct(private.stat().st_mode & 0o777) == "0o600"


# ---------------------------------------------------------------- refusals


def test_a_bad_cell_is_reported_at_file_sheet_row_and_nothing_is_written(kehu, tmp_path: Path,
                                                                          isolated_book) -> None:
    path = workbook(tmp_path / "bad.xlsx", {"名单": csv_rows(FIX / "bad_date.csv")}, title="标题")
    result = kehu("import", str(path), code=65)
    # the title row, a blank row, the header at row 3: the bad date is on row 6
    assert result.stderr.splitlines() == [
        f"{path}:名单!6: added_on: The date '2024-02-30' is wrong: month 2 has no day 30.",
        "kehu: 1 problem(s): nothing was written.",
    ]
    assert nothing_made(isolated_book)


def test_rows_of_every_sheet_are_numbered_as_excel_shows_them(kehu, tmp_path: Path, isolated_book) -> None:
    # Several sheets are each loaded again when their turn comes: the numbers stay right.
    path = workbook(tmp_path / "two.xlsx", {
        "人": [["客户名称", "决策人", "专业评分"], ["甲", "张伟", "5"], ["甲", "李娜", "很高"]],
        "客户": [["客户名称"], ["甲"]],
    }, title="名单")
    result = kehu("import", str(path), code=65)
    assert result.stderr.splitlines() == [f"{path}:人!5: 专业评分: not a whole number",
                                          "kehu: 1 problem(s): nothing was written."]
    assert nothing_made(isolated_book)


def test_an_unknown_column_and_a_missing_one_are_refused(kehu, tmp_path: Path, isolated_book) -> None:
    path = workbook(tmp_path / "u.xlsx", {"s": [["客户名称", "颜色"], ["甲", "红"]]})
    assert kehu("import", str(path), code=65).stderr.startswith(f"kehu: {path}:s: unknown column(s) ")
    path = workbook(tmp_path / "m.xlsx", {"s": [["客户名称", "日期"], ["甲", "2024-01-01"]]})
    result = kehu("import", str(path), "--table", "touchpoints", code=65)
    assert result.stderr == f"kehu: {path}:s: required column(s) missing: kind\n"
    assert nothing_made(isolated_book)


def test_a_value_outside_the_header_is_refused(kehu, tmp_path: Path, isolated_book) -> None:
    path = workbook(tmp_path / "o.xlsx", {"s": [["客户名称", "地区"], ["甲", "上海", None, "多余"]]})
    result = kehu("import", str(path), code=65)
    assert result.stderr.splitlines()[0] == (
        f"{path}:s!2: D: cell D2 holds a value but lies outside the header's columns")
    assert nothing_made(isolated_book)


def test_files_that_are_not_workbooks_and_missing_sheets(kehu, tmp_path: Path, isolated_book) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("name\n甲\n", encoding="utf-8")
    assert kehu("import", str(fake), code=65).stderr == (
        f"kehu: {fake} is not an Excel workbook kehu can read (.xlsx): it may be damaged, password-protected "
        "or another format.\n")
    missing = tmp_path / "none.xlsx"
    assert kehu("import", str(missing), code=66).stderr == f"kehu: No such file: {missing}\n"
    path = workbook(tmp_path / "w.xlsx", {"甲": [["客户名称"], ["甲"]], "乙": [["客户名称"], ["乙"]]})
    assert kehu("import", str(path), "--sheet", "丙", code=2).stderr == (
        f"kehu: {path} has no sheet named '丙'. Its sheets: 甲、乙\n")
    assert kehu("import", str(FIX / "enc_utf8.csv"), "--sheet", "甲", code=2).stderr == (
        "kehu: --sheet is for Excel workbooks (.xlsx) only.\n")
    empty = workbook(tmp_path / "e.xlsx", {"空": [[None]]})
    assert kehu("import", str(empty), code=65).stderr == f"kehu: {empty} is empty.\n"
    assert nothing_made(isolated_book)


def test_export_xlsx_wants_a_file(kehu, tmp_path: Path) -> None:
    db = small_book(kehu, tmp_path)
    for extra in (["--out", str(tmp_path / "x")], ["--excel"]):
        result = kehu("--db", str(db), "export", "--xlsx", str(tmp_path / "a.xlsx"), *extra, code=2)
        assert result.stderr == (
            "kehu: --xlsx writes a file: not standard output, and not together with --out or --excel.\n")
    kehu("--db", str(db), "export", "--xlsx", "-", code=2)
    assert not (tmp_path / "a.xlsx").exists()


def test_chinese_messages(kehu, tmp_path: Path) -> None:
    path = workbook(tmp_path / "bad.xlsx", {"名单": csv_rows(FIX / "bad_date.csv")})
    result = kehu("import", str(path), code=65, env={"KEHU_LANG": "zh"})
    assert result.stderr.splitlines()[0].startswith(f"{path}:名单!4: added_on: ")
    assert kehu("import", str(path), "--sheet", "x", code=2, env={"KEHU_LANG": "zh"}).stderr == (
        f"kehu: {path} 里没有名为 x 的工作表。已有：名单\n")


def test_an_interrupted_export_leaves_the_old_file_and_no_other(kehu, tmp_path: Path, monkeypatch) -> None:
    import errno
    import os
    import tempfile

    from kehu.csvio import export

    db = small_book(kehu, tmp_path)

    def failing(s, keys):
        yield [1] + [""] * (len(keys) - 1)
        raise OSError(errno.ENOSPC, "No space left on device")

    assert callable(export._rows_touchpoints)
    monkeypatch.setattr(export, "_rows_touchpoints", failing)  # the third sheet: two are written by then
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "book.xlsx"
    target.write_bytes(b"old")
    scratch = tmp_path / "scratch"  # where xlsxwriter keeps each sheet's rows until it assembles the file
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = kehu("--db", str(db), "export", "--xlsx", str(target), code=74)
    assert result.stderr == f"kehu: Cannot write {target}: No space left on device\n"
    assert target.read_bytes() == b"old" and os.listdir(folder) == ["book.xlsx"]
    assert os.listdir(scratch) == []  # the sheets' rows (customer data) are not left behind


def test_an_xlsx_import_is_one_undoable_operation(kehu, tmp_path: Path, isolated_book) -> None:
    kehu("add", "华为")
    before = export_all(kehu, isolated_book, tmp_path / "a")
    path = workbook(tmp_path / "c.xlsx", {"c": csv_rows(FIX / "enc_utf8.csv")})
    kehu("import", str(path))
    assert len(kehu.json("list")) == 4
    kehu("undo")
    assert export_all(kehu, isolated_book, tmp_path / "b") == before
