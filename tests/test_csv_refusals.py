"""Files refused before anything is written, with a message that says where and what:
a NUL character (FILE:LINE, in both languages, on every backend), a blank column name
shown visibly, and a wide file's unknown columns listed only in part."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kehu.errors import ColumnNames
from kehu.i18n import column_names


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("data", "line"), [
    (b"name,note\r\nAcme,a\x00b\r\n", 2),
    (b"name,note\r\nAcme,ok\r\nBeta,\"two\r\nlines\x00\"\r\nGamma,x\r\n", 3),  # the line its record starts on
    (b"name,no\x00te\r\nAcme,ok\r\n", 1),
    (codecs.BOM_UTF8 + b"name,note\nAcme,ok\nBeta,ok\n\x00,x\n", 4),
    ("name,note\r\n华为,好\x00\r\n".encode("gbk"), 2),
])
def test_a_nul_character_is_refused_at_its_line_and_nothing_is_written(kehu, isolated_book, tmp_path: Path,
                                                                      data: bytes, line: int) -> None:
    path = _write(tmp_path / "nul.csv", data)
    result = kehu("import", str(path), code=65)
    assert result.stderr == (f"kehu: {path}:{line}: holds a NUL character (\\0), which a book cannot store: "
                             "the file may not be text, or is damaged. Nothing was written.\n")
    assert result.stdout == ""
    assert not Path(str(isolated_book)).exists() or kehu.json("list") == []


def test_a_nul_in_utf16_and_in_chinese(kehu, tmp_path: Path) -> None:
    path = _write(tmp_path / "nul16.csv", "name,note\r\nAcme,ok\r\nBeta,x\x00\r\n".encode("utf-16"))
    result = kehu("--lang", "zh", "import", str(path), code=65)
    assert result.stderr == (f"kehu: {path}:3: 含有 NUL 字符（\\0），账本无法保存："
                             "文件可能不是文本或已损坏。未写入任何内容。\n")


def test_a_nul_in_a_folder_import_writes_no_file_of_it(kehu, tmp_path: Path) -> None:
    kehu("add", "Acme")
    kehu("export", "--out", str(tmp_path / "out"))
    people = tmp_path / "out" / "people.csv"
    people.write_bytes(people.read_bytes() + b"99,Acme,Zh\x00ang,,,,,,,,,,\r\n")
    kehu("add", "Beta")
    before = kehu("export", "--table", "customers").stdout_bytes
    result = kehu("import", str(tmp_path / "out"), code=65)
    assert f"{people}:2: holds a NUL character" in result.stderr
    assert kehu("export", "--table", "customers").stdout_bytes == before


def test_utf16_without_nul_still_imports(kehu, tmp_path: Path) -> None:
    path = _write(tmp_path / "u16.csv", "name,note\r\nAcme,ok\r\n".encode("utf-16"))
    kehu("import", str(path))
    assert [c["name"] for c in kehu.json("list")] == ["Acme"]


def test_a_blank_column_name_is_shown_visibly(kehu, tmp_path: Path) -> None:
    path = _write(tmp_path / "blank.csv", b"name,,note, \r\nAcme,x,y,z\r\n")
    result = kehu("import", str(path), code=65)
    assert result.stderr.startswith(
        f"kehu: {path}: unknown column(s) (empty: column 2), (empty: column 4). Accepted: id/编号, ")
    result = kehu("--lang", "zh", "import", str(path), code=65)
    assert result.stderr.startswith(f"kehu: {path}：未知的列 （空，第 2 列）, （空，第 4 列）。可用：")


def test_a_wide_files_unknown_columns_are_listed_in_part(kehu, tmp_path: Path) -> None:
    header = ["name"] + [f"extra{i}" for i in range(5000)]
    path = _write(tmp_path / "wide.csv", (",".join(header) + "\r\n" + ",".join(["Acme"] * 5001) + "\r\n").encode())
    result = kehu("import", str(path), code=65)
    shown = ", ".join(f"extra{i}" for i in range(10))
    assert result.stderr.startswith(f"kehu: {path}: unknown column(s) {shown} … and 4990 more. Accepted: ")
    assert len(result.stderr) < 1000 and result.stderr.count("\n") == 1
    result = kehu("--lang", "zh", "import", str(path), code=65)
    assert f"：未知的列 {shown}……另有 4990 列。可用：" in result.stderr


@pytest.mark.parametrize(("columns", "en", "zh"), [
    ([(1, "电话"), (3, "foo")], "电话, foo", "电话, foo"),
    ([(2, "")], "(empty: column 2)", "（空，第 2 列）"),
    ([(2, "  ")], "(empty: column 2)", "（空，第 2 列）"),
    ([(i, f"c{i}") for i in range(1, 11)], ", ".join(f"c{i}" for i in range(1, 11)),
     ", ".join(f"c{i}" for i in range(1, 11))),
    ([(i, f"c{i}") for i in range(1, 12)], ", ".join(f"c{i}" for i in range(1, 11)) + " … and 1 more",
     ", ".join(f"c{i}" for i in range(1, 11)) + "……另有 1 列"),
])
def test_column_names_as_the_message_shows_them(columns, en: str, zh: str) -> None:
    assert column_names(ColumnNames(columns), "en") == en
    assert column_names(ColumnNames(columns), "zh") == zh
