"""`kehu import`: the files salespeople really have, refused whole when any row is bad.

User stories, one per test: a Chinese Excel user's GBK file, a script's UTF-8 file,
a Taiwanese colleague's Big5 file; bad rows reported as FILE:LINE: column: message
with nothing written; a second import of the same file changing nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from _books import any_dump, nothing_made, query
from conftest import BACKEND

FIX = Path(__file__).parent / "fixtures" / "csv"
ENCODED = ["enc_utf8.csv", "enc_utf8_bom.csv", "enc_utf16le_bom.csv", "enc_gbk.csv", "enc_gb18030.csv"]
ENCODING_HINT = "name its encoding with --encoding (e.g. --encoding big5)."
STAGE_ACCEPTED = ("Accepted: stranger (陌生期), acquainted (建立期), evaluation (考察期), "
                  "growth (成长期), mature (成熟期)")


def dump(book: Path) -> list[str] | dict | None:
    """Every row of the book (as SQL text on SQLite): equal dumps mean not one row changed."""
    if not book.exists():
        return None
    if BACKEND != "sqlite":
        return any_dump(book)
    con = sqlite3.connect(book)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def customers(kehu) -> list[dict]:
    """What a user sees of every customer: list --json plus show --json's details."""
    out = []
    for row in kehu.json("list"):
        shown = kehu.json("show", str(row["id"]))
        out.append({k: shown[k] for k in ("name", "stage", "industry", "region", "note", "owner",
                                          "value", "kind", "level")})
    return out


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------- encodings

ENCODED_TABLE = [
    {"name": "华东电力集团", "stage": "acquainted", "industry": "能源", "region": "010000",
     "note": "000123", "owner": None, "value": None, "kind": None, "level": None},
    {"name": '北京"星辰"科技', "stage": "stranger", "industry": "软件", "region": "北京",
     "note": "第一行\n第二行", "owner": None, "value": None, "kind": None, "level": None},
    {"name": "Acme 贸易", "stage": "stranger", "industry": "外贸", "region": None,
     "note": None, "owner": None, "value": None, "kind": None, "level": None},
]


@pytest.mark.parametrize("fixture", ENCODED)
def test_the_same_table_in_every_encoding_imports_identically(kehu, fixture: str) -> None:
    result = kehu("import", str(FIX / fixture))
    created, summary = result.stderr.splitlines()  # the first import makes the book, and says so
    assert created.startswith("Created a new account book: ")
    assert summary == f"{FIX / fixture} (customers): 3 new, 0 updated, 0 unchanged"
    assert customers(kehu) == ENCODED_TABLE


def test_a_character_only_gb18030_holds_imports(kehu) -> None:
    kehu("import", str(FIX / "enc_gb18030_only.csv"))
    assert [(c["name"], c["region"]) for c in customers(kehu)] == [("𠮷野家餐饮", "上海")]


def test_a_mostly_ascii_gbk_file_is_read_as_gbk(kehu) -> None:
    kehu("import", str(FIX / "gbk_mostly_ascii.csv"))
    rows = customers(kehu)
    assert len(rows) == 40
    assert rows[0]["region"] == "000001"
    assert (rows[-1]["name"], rows[-1]["region"]) == ("Last Co", "京")


def test_a_gbk_file_whose_only_non_ascii_content_is_one_character(kehu) -> None:
    kehu("import", str(FIX / "gbk_one_char.csv"))
    assert [c["name"] for c in customers(kehu)] == ["中"]


def test_one_gbk_character_that_is_also_valid_utf8_is_read_as_utf8_unless_named(kehu) -> None:
    # 一 is D2 BB in GBK, which strict UTF-8 also accepts (as "һ", U+04BB). The bytes
    # cannot tell; the rule is that valid UTF-8 is UTF-8 (reading such bytes as GB18030
    # renamed Cyrillic, Greek and IPA names on a plain export → import: tests/test_csv_utf8.py).
    # --encoding gbk reads it as the GBK file it is.
    kehu("import", str(FIX / "gbk_one_char_utf8_valid.csv"))
    assert [c["note"] for c in customers(kehu)] == ["һ"]
    result = kehu("import", str(FIX / "gbk_one_char_utf8_valid.csv"), "--encoding", "gbk")
    assert "0 new, 1 updated, 0 unchanged" in result.stderr
    assert [c["note"] for c in customers(kehu)] == ["一"]


def test_big5_is_refused_with_the_encoding_hint_and_imports_when_named(kehu, isolated_book: Path) -> None:
    path = FIX / "big5.csv"
    result = kehu("import", str(path), code=65)
    # Refused either by the decoding check or by the header check; both name --encoding.
    assert result.stderr == f"kehu: {path} is not UTF-8, UTF-16 or GBK/GB18030: {ENCODING_HINT}\n" or (
        result.stderr.startswith(f"kehu: {path}: the header names no known column (")
        and result.stderr.endswith(",industry,region): the encoding may be wrong; name it with --encoding.\n"))
    assert result.stdout == ""
    assert not isolated_book.exists()
    kehu("import", str(path), "--encoding", "big5")
    assert [(c["name"], c["industry"], c["region"]) for c in customers(kehu)] == [("臺灣電力公司", "電力", "臺北")]


@pytest.mark.parametrize(("fixture", "codec"), [("big5_ascii_header.csv", "big5"),
                                                 ("shift_jis_ascii_header.csv", "shift_jis")])
def test_big5_or_shift_jis_data_under_an_ascii_header_is_refused(kehu, isolated_book: Path,
                                                                  fixture: str, codec: str) -> None:
    # Every Big5 byte pair is also valid GB18030, so only the content can tell; the
    # issue's rule is "anything else is refused with an --encoding hint, never mojibake".
    path = FIX / fixture
    result = kehu("import", str(path), code=None)
    imported = [c["name"] for c in customers(kehu)] if isolated_book.exists() else []
    assert result.exit_code == 65, f"imported as {imported!r}"
    assert ENCODING_HINT in result.stderr
    assert not isolated_book.exists()
    kehu("import", str(path), "--encoding", codec)
    assert [c["name"] for c in customers(kehu)] == ["臺灣電力公司" if codec == "big5" else "東京電力"]


def test_an_unknown_encoding_name_is_a_usage_error(kehu) -> None:
    result = kehu("import", str(FIX / "enc_utf8.csv"), "--encoding", "klingon", code=2)
    assert result.stderr == "kehu: Unknown encoding 'klingon'\n"


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize("fixture", ["header_en_any_order.csv", "header_zh_any_order.csv",
                                     "header_zh_aliases.csv"])
def test_english_keys_chinese_labels_and_aliases_in_any_order(kehu, fixture: str) -> None:
    kehu("import", str(FIX / fixture))
    assert customers(kehu) == [{
        "name": "华东电力集团", "stage": "acquainted", "industry": "能源", "region": "010000",
        "note": "000123", "owner": "王强", "value": "500000.00", "kind": None, "level": None,
    }]


def test_unknown_columns_are_listed_with_the_accepted_names(kehu, isolated_book: Path) -> None:
    path = FIX / "unknown_columns.csv"
    result = kehu("import", str(path), "--table", "customers", code=65)
    assert result.stderr == (
        f"kehu: {path}: unknown column(s) 籍贯, foo. Accepted: id/编号, name/客户名称, industry/行业, "
        "region/地区, kind/类型, level/关系类型, value/年价值, owner/负责人, note/备注, stage/阶段, "
        "profit_now/当前盈利, profit_future/未来潜力, service_cost/服务成本, added_on/建档日期, "
        "terminated_on/终止日期, terminated_reason/终止原因, phone/电话, address/地址, website/网址, aliases/简称\n"
    )
    assert not isolated_book.exists()


def test_unknown_columns_are_listed_also_when_the_table_is_inferred(kehu) -> None:
    # Without --table the same file (name and industry are known) is blamed on its
    # encoding instead: "the header names no known column".
    path = FIX / "unknown_columns.csv"
    result = kehu("import", str(path), code=65)
    assert result.stderr.startswith(f"kehu: {path}: unknown column(s) 籍贯, foo. Accepted: id/编号, name/客户名称")


def test_a_header_fitting_two_tables_needs_table(kehu) -> None:
    path = FIX / "ambiguous_table.csv"
    result = kehu("import", str(path), code=2)
    assert result.stderr == f"kehu: {path}: the header fits customers, people: name the table with --table.\n"
    kehu("add", "华东电力")
    kehu("import", str(path), "--table", "people")
    assert [p["name"] for p in kehu.json("person", "list", "华东电力")] == ["张伟"]


def test_a_header_that_fits_no_table_says_so(kehu) -> None:
    path = FIX / "no_table.csv"
    result = kehu("import", str(path), code=65)
    assert result.stderr == f"kehu: {path}: the header does not tell which table this is: name it with --table.\n"
    result = kehu("import", str(path), "--table", "customers", code=65)
    assert result.stderr == f"kehu: {path}: required column(s) missing: name\n"


def test_missing_file_is_66_and_bad_table_is_2(kehu, tmp_path: Path) -> None:
    result = kehu("import", str(tmp_path / "nope.csv"), code=66)
    assert result.stderr == f"kehu: No such file: {tmp_path / 'nope.csv'}\n"
    result = kehu("import", str(FIX / "enc_utf8.csv"), "--table", "orders", code=2)
    assert result.stderr == ("kehu: Unknown table: orders. "
                             "Accepted: customers, people, touchpoints, promises, contracts, instalments\n")


# ---------------------------------------------------------------- bad rows


@pytest.fixture
def populated(kehu, isolated_book: Path):
    """A book with a customer and a person, so "nothing changed" is a real claim."""
    kehu("add", "华东电力", "--industry", "能源")
    kehu("person", "add", "华东电力", "张伟", "--title", "总经理")
    kehu("touch", "华东电力", "--kind", "daily", "--date", "2024-03-01", "--note", "首次电话")
    return dump(isolated_book)


BAD_ROWS = [
    ("bad_date.csv", ["5: added_on: The date '2024-02-30' is wrong: month 2 has no day 30."]),
    ("bad_enum.csv", [f"5: 阶段: Unknown stage: 谈判期. {STAGE_ACCEPTED}"]),
    ("short_row.csv", ["3: *: expected 3 fields, found 2"]),
    ("long_row.csv", ["3: *: expected 3 fields, found 4"]),
    ("duplicate_key.csv", ["4: name: duplicates an earlier row of this file"]),
    ("unknown_customer_people.csv",
     ["3: 客户名称: no customer named '西部矿业' (add --create-missing to create it)"]),
    ("unknown_customer_touchpoints.csv",
     ["4: customer: no customer named '西部矿业' (add --create-missing to create it)"]),
]


@pytest.mark.parametrize(("fixture", "problems"), BAD_ROWS)
def test_a_bad_row_is_reported_by_physical_line_and_nothing_is_written(
        kehu, isolated_book: Path, populated, fixture: str, problems: list[str]) -> None:
    path = FIX / fixture
    result = kehu("import", str(path), code=65)
    expected = "".join(f"{path}:{p}\n" for p in problems)
    assert result.stderr == expected + f"kehu: {len(problems)} problem(s): nothing was written.\n"
    assert result.stdout == ""
    assert dump(isolated_book) == populated


@pytest.mark.parametrize(("fixture", "problems"), BAD_ROWS)
def test_bad_rows_in_json(kehu, isolated_book: Path, populated, fixture: str, problems: list[str]) -> None:
    path = FIX / fixture
    result = kehu("import", str(path), "--json", code=65)
    report = json.loads(result.stdout)
    assert report["written"] is False
    assert report["files"][0]["errors"] == [f"{path}:{p}" for p in problems]
    assert report["files"][0]["error_count"] == len(problems)
    assert dump(isolated_book) == populated


def test_the_line_counts_crlf_and_multi_line_cells(kehu, tmp_path: Path) -> None:
    path = write(tmp_path / "crlf.csv",
                 'name,note,kind\r\n甲,"一\r\n二\r\n三",business\r\n乙,,business\r\n"丙\r\n丁",,nope\r\n')
    result = kehu("import", str(path), code=65)
    assert result.stderr.splitlines()[0] == (
        f"{path}:6: kind: Unknown customer kind: nope. Accepted: consumer (消费者客户), "
        "business (商业型客户), internal (内部客户)")


def test_fields_are_never_padded_or_dropped_even_at_the_end(kehu, isolated_book: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "ragged.csv", "name,region,note\n甲,上海,\n乙\n丙,北京,备注,,\n")
    result = kehu("import", str(path), code=65)
    assert result.stderr == (f"{path}:3: *: expected 3 fields, found 1\n"
                             f"{path}:4: *: expected 3 fields, found 5\n"
                             "kehu: 2 problem(s): nothing was written.\n")
    assert not isolated_book.exists() or kehu.json("list") == []


# ---------------------------------------------------------------- no type guessing


def test_numbers_that_are_text_stay_text(kehu) -> None:
    kehu("import", str(FIX / "text_not_numbers.csv"))
    rows = customers(kehu)
    assert [(c["region"], c["note"], c["owner"]) for c in rows] == [
        ("010000", "000123", "007"), ("0.50", "1e5", "+86 138 0000 0000")]
    out = kehu("export", "--table", "customers").stdout.splitlines()
    assert out[1].split(",")[:9] == ["1", "华东电力", "", "010000", "", "", "", "007", "000123"]
    assert out[2].split(",")[:9] == ["2", "西部矿业", "", "0.50", "", "", "", "'+86 138 0000 0000", "1e5"]


# ---------------------------------------------------------------- all or nothing, dry run


def test_one_bad_row_after_more_than_a_batch_of_good_ones_writes_nothing(
        kehu, isolated_book: Path, populated, tmp_path: Path) -> None:
    rows = "".join(f"客户{i:05d},制造,{i:06d}\n" for i in range(2500))
    path = write(tmp_path / "many.csv", "name,industry,region\n" + rows + "坏客户,制造,上海,多\n")
    result = kehu("import", str(path), code=65)
    assert result.stderr == f"{path}:2502: *: expected 3 fields, found 4\nkehu: 1 problem(s): nothing was written.\n"
    assert dump(isolated_book) == populated


def test_dry_run_counts_new_updated_unchanged_and_writes_nothing(
        kehu, isolated_book: Path, populated, tmp_path: Path) -> None:
    kehu("add", "西部矿业", "--industry", "矿业")
    before = dump(isolated_book)
    path = write(tmp_path / "c.csv", "name,industry\n华东电力,电力\n西部矿业,矿业\n新客户甲,零售\n新客户乙,零售\n")
    report = kehu.json("import", str(path), "--dry-run")
    assert report == {"dry_run": True, "written": False, "files": [
        {"file": str(path), "table": "customers", "new": 2, "updated": 1, "unchanged": 1,
         "errors": [], "error_count": 0}]}
    assert dump(isolated_book) == before
    result = kehu("import", str(path), "--dry-run")
    assert result.stderr == (f"{path} (customers): 2 new, 1 updated, 1 unchanged\n"
                             "(dry run: nothing was written)\n")
    assert dump(isolated_book) == before


def test_dry_run_without_a_book_creates_none(kehu, isolated_book: Path) -> None:
    report = kehu.json("import", str(FIX / "enc_utf8.csv"), "--dry-run")
    assert report["files"][0]["new"] == 3
    assert not isolated_book.exists()
    if BACKEND == "sqlite":  # nor its folder
        assert not isolated_book.parent.exists() or sorted(os.listdir(isolated_book.parent)) == []
    else:  # nor a table in its schema
        assert nothing_made(isolated_book)


def test_dry_run_with_a_bad_row_reports_it_and_exits_65(kehu, isolated_book: Path, populated) -> None:
    path = FIX / "short_row.csv"
    result = kehu("import", str(path), "--dry-run", code=65)
    assert result.stderr == f"{path}:3: *: expected 3 fields, found 2\nkehu: 1 problem(s): nothing was written.\n"
    assert dump(isolated_book) == populated


# ---------------------------------------------------------------- idempotency


def test_importing_the_same_file_twice_changes_nothing_the_second_time(kehu, isolated_book: Path) -> None:
    path = FIX / "enc_gbk.csv"
    assert kehu.json("import", str(path))["files"][0]["new"] == 3
    after_first = dump(isolated_book)
    report = kehu.json("import", str(path))
    assert {k: report["files"][0][k] for k in ("new", "updated", "unchanged")} == {
        "new": 0, "updated": 0, "unchanged": 3}
    assert dump(isolated_book) == after_first
    # The same content in another encoding matches the same records too.
    assert kehu.json("import", str(FIX / "enc_utf16le_bom.csv"))["files"][0]["unchanged"] == 3
    assert dump(isolated_book) == after_first


def test_an_edited_export_updates_only_the_changed_rows(kehu, tmp_path: Path) -> None:
    kehu("import", str(FIX / "enc_utf8.csv"))
    out = tmp_path / "customers.csv"
    kehu("export", "--table", "customers", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.count(",外贸,") == 1
    out.write_text(text.replace(",外贸,", ",进出口,"), encoding="utf-8")
    report = kehu.json("import", str(out))
    assert {k: report["files"][0][k] for k in ("new", "updated", "unchanged")} == {
        "new": 0, "updated": 1, "unchanged": 2}
    assert [c["industry"] for c in customers(kehu)] == ["能源", "软件", "进出口"]


def test_new_records_in_an_empty_book_are_numbered_from_one(kehu) -> None:
    kehu("import", str(FIX / "enc_utf8.csv"))
    ids = [line.split(",")[0] for line in kehu("export", "--table", "customers").stdout.splitlines()
           if line[:1].isdigit()]
    assert ids == ["1", "2", "3"]
    assert [c["id"] for c in kehu.json("list")] == [1, 2, 3]


def test_a_renamed_customer_in_an_export_is_matched_by_id(kehu, tmp_path: Path) -> None:
    kehu("import", str(FIX / "enc_utf8.csv"))
    out = tmp_path / "customers.csv"
    kehu("export", "--table", "customers", "--out", str(out))
    out.write_text(out.read_text(encoding="utf-8").replace("Acme 贸易", "Acme 国际贸易"), encoding="utf-8")
    report = kehu.json("import", str(out))
    assert (report["files"][0]["new"], report["files"][0]["updated"]) == (0, 1)
    assert [c["name"] for c in customers(kehu)] == ["华东电力集团", '北京"星辰"科技', "Acme 国际贸易"]


def test_import_cannot_change_an_existing_customers_stage(kehu, isolated_book: Path, tmp_path: Path) -> None:
    kehu("add", "华东电力")
    before = dump(isolated_book)
    path = write(tmp_path / "c.csv", "name,stage\n华东电力,growth\n")
    result = kehu("import", str(path), code=65)
    assert result.stderr == (f"{path}:2: stage: the book has stranger: "
                             "change stages with kehu advance / drop / reopen\n"
                             "kehu: 1 problem(s): nothing was written.\n")
    assert dump(isolated_book) == before
    # The same stage it already has is fine.
    write(path, "name,stage\n华东电力,陌生期\n")
    assert kehu.json("import", str(path))["files"][0]["unchanged"] == 1


def test_create_missing_creates_customers_named_by_people_rows(kehu, isolated_book: Path) -> None:
    kehu("add", "华东电力")
    path = FIX / "unknown_customer_people.csv"
    kehu("import", str(path), "--create-missing")
    assert [c["name"] for c in kehu.json("list")] == ["华东电力", "西部矿业"]
    assert [p["name"] for p in kehu.json("person", "list", "西部矿业")] == ["李娜"]
    assert kehu.json("show", "西部矿业")["stage"] == "stranger"
    # Second run: nothing new.
    report = kehu.json("import", str(path), "--create-missing")
    assert {k: report["files"][0][k] for k in ("new", "updated", "unchanged")} == {
        "new": 0, "updated": 0, "unchanged": 2}


def test_create_missing_creates_customers_and_people_named_by_touchpoints(kehu, tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "客户名称,日期,方式,接触人,备注\n西部矿业,2024-03-02,电话,李娜、王芳,首次电话\n")
    result = kehu("import", str(path), code=65)
    assert result.stderr == (f"{path}:2: 客户名称: no customer named '西部矿业' (add --create-missing to create it)\n"
                             "kehu: 1 problem(s): nothing was written.\n")
    kehu("import", str(path), "--create-missing")
    assert [p["name"] for p in kehu.json("person", "list", "西部矿业")] == ["李娜", "王芳"]
    out = kehu("export", "--table", "touchpoints").stdout
    assert out == ("id,customer,date,kind,with,note,signals,next,next_due,next_done,channel\n"
                   '1,西部矿业,2024-03-02,daily,"李娜\n王芳",首次电话,,,,,phone\n')  # 电话: by phone
    again = kehu.json("import", str(path), "--create-missing")["files"][0]
    assert (again["new"], again["unchanged"]) == (0, 1)


def test_unknown_person_in_a_touchpoint_is_an_error_without_create_missing(kehu, tmp_path: Path) -> None:
    kehu("add", "华东电力")
    path = write(tmp_path / "t.csv", "customer,date,kind,with\n华东电力,2024-03-02,daily,无名氏\n")
    result = kehu("import", str(path), code=65)
    assert result.stderr == (f"{path}:2: with: this customer has no person '无名氏' "
                             "(add --create-missing to create them)\n"
                             "kehu: 1 problem(s): nothing was written.\n")


def test_two_imports_of_the_same_file_at_once_do_not_duplicate(kehu, isolated_book: Path, tmp_path: Path) -> None:
    kehu("add", "已有客户")
    rows = "".join(f"并发客户{i:04d},制造,{i:06d}\n" for i in range(1500))
    path = write(tmp_path / "same.csv", "name,industry,region\n" + rows)
    env = {**os.environ, "KEHU_DB": str(isolated_book)}
    procs = [subprocess.Popen([sys.executable, "-m", "kehu", "import", str(path), "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _, _ in results] == [0, 0], results
    counts = sorted((json.loads(o)["files"][0]["new"], json.loads(o)["files"][0]["unchanged"]) for _, o, _ in results)
    assert counts == [(0, 1500), (1500, 0)]
    assert query(isolated_book, "select count(*), count(distinct name_key) from customer") == [(1501, 1501)]


def test_a_folder_imports_in_dependency_order(kehu, tmp_path: Path) -> None:
    folder = tmp_path / "dir"
    folder.mkdir()
    write(folder / "touchpoints.csv", "customer,date,kind,with,note\n华东电力,2024-03-01,daily,张伟,电话\n")
    write(folder / "people.csv", "customer,name,title\n华东电力,张伟,总经理\n")
    write(folder / "customers.csv", "name,industry\n华东电力,能源\n")
    report = kehu.json("import", str(folder))
    assert [(f["table"], f["new"]) for f in report["files"]] == [("customers", 1), ("people", 1), ("touchpoints", 1)]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = kehu("import", str(empty), code=66)
    assert result.stderr == (f"kehu: {empty} holds none of customers.csv, people.csv, touchpoints.csv, "
                             "promises.csv.\n")


def test_the_example_files_import_cleanly_in_order_and_only_once(kehu) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples" / "csv"
    names = ["customers.csv", "客户_gbk.csv", "people.csv", "touchpoints.csv"]
    assert (examples / "客户_gbk.csv").read_bytes().decode("gbk").startswith("客户名称,")
    first = [kehu.json("import", str(examples / n))["files"][0]["new"] for n in names]
    assert first == [4, 3, 5, 4]
    again = [kehu.json("import", str(examples / n))["files"][0]["unchanged"] for n in names]
    assert again == [4, 3, 5, 4]
    assert kehu.json("show", "海港物流有限公司")["note"] == "000123"
    assert kehu.json("show", "鹏城智造科技")["stage"] == "growth"
