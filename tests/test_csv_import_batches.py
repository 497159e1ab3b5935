"""Imports stream in batches; a row is matched against the rows of earlier batches too.

A file larger than a batch is written batch by batch inside one transaction. A later
row that repeats an earlier one is the same error whichever batch each is in, and
whether the book's table was empty when the import began (then the import knows every
record in it is its own and looks up only what it may have written) or not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kehu.csvio import read

BATCH = 40
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")  # the same name after NFKC


@pytest.fixture(autouse=True)
def small_batches(monkeypatch) -> None:
    monkeypatch.setattr(read, "BATCH", BATCH)  # where the reader cuts batches; raises if it moved
    monkeypatch.setenv("KEHU_TODAY", "2026-11-23")


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def people_book(kehu, tmp_path: Path) -> None:
    write(tmp_path / "c.csv", ["name"] + [f"客户{i:03d}" for i in range(30)])
    write(tmp_path / "p.csv", ["customer,name"] + [f"客户{i:03d},联系人{j}" for i in range(30) for j in range(3)])
    kehu("import", str(tmp_path / "c.csv"))
    kehu("import", str(tmp_path / "p.csv"))


def test_the_files_here_are_read_in_batches_of_BATCH(tmp_path: Path) -> None:
    # Else every test below would read its file as one batch and prove nothing.
    path = write(tmp_path / "c.csv", ["name"] + [f"客户{i:03d}" for i in range(2 * BATCH + 3)])
    enc, table, header = read.plan_file(path, None, None)
    out = read.Outcome(table, str(path))
    sizes = [len(b) for b in read.batches(path, table, enc, header, lang="en", out=out)]
    assert sizes == [BATCH, BATCH, 3] and out.error_count == 0


def touch_lines(n: int) -> list[str]:
    return [f"客户{i % 30:03d},2026-{1 + i % 12:02d}-{1 + i % 28:02d},daily,联系人{i % 3}、联系人{(i + 1) % 3},记录{i}"
            for i in range(n)]


@pytest.mark.parametrize("book_has_touchpoints", [False, True])
def test_a_row_repeating_one_of_an_earlier_batch_is_refused(kehu, tmp_path: Path, book_has_touchpoints: bool) -> None:
    people_book(kehu, tmp_path)
    if book_has_touchpoints:
        kehu("touch", "客户029", "--kind", "topic", "--date", "2020-01-01")
    rows = touch_lines(3 * BATCH + 5)
    rows.append(rows[7])  # line 9 of the file, in the first batch, again in the fourth
    path = write(tmp_path / "t.csv", ["customer,date,kind,with,note", *rows])
    result = kehu("import", str(path), code=65)
    assert result.stderr.splitlines() == [f"{path}:{len(rows) + 1}: date: duplicates an earlier row of this file",
                                          "kehu: 1 problem(s): nothing was written."]
    report = json.loads(kehu("import", str(path), "--dry-run", "--json", code=65).stdout)
    assert report["written"] is False and report["files"][0]["new"] == len(rows) - 1


@pytest.mark.parametrize("book_has_touchpoints", [False, True])
def test_a_file_of_many_batches_imports_once_then_changes_nothing(kehu, tmp_path: Path,
                                                                  book_has_touchpoints: bool) -> None:
    people_book(kehu, tmp_path)
    if book_has_touchpoints:
        kehu("touch", "客户029", "--kind", "topic", "--date", "2020-01-01")
    path = write(tmp_path / "t.csv", ["customer,date,kind,with,note", *touch_lines(5 * BATCH + 3)])
    first = kehu.json("import", str(path))["files"][0]
    assert (first["new"], first["updated"], first["unchanged"]) == (5 * BATCH + 3, 0, 0)
    again = kehu.json("import", str(path))["files"][0]
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 5 * BATCH + 3)
    # an export of it, with ids, matches every record by id: nothing new either
    kehu("export", "--table", "touchpoints", "--out", str(tmp_path / "x.csv"))
    back = kehu.json("import", str(tmp_path / "x.csv"))["files"][0]
    assert (back["new"], back["updated"], back["unchanged"]) == (0, 0, 5 * BATCH + 3 + book_has_touchpoints)


def test_a_customer_repeated_batches_later_is_refused_in_a_new_book(kehu, tmp_path: Path) -> None:
    names = [f"客户{i:03d}" for i in range(2 * BATCH + 3)]
    again = f" {names[1].translate(FULL_WIDTH)} ,x"
    path = write(tmp_path / "c.csv", ["name,note", *(f"{n},备注" for n in names), again])
    result = kehu("import", str(path), code=65)
    assert result.stderr.splitlines()[0] == f"{path}:{len(names) + 2}: name: duplicates an earlier row of this file"


def test_customer_ids_of_a_file_are_kept_across_batches_in_a_new_book(kehu, tmp_path: Path) -> None:
    ids = [*range(3 * BATCH, 0, -1)]  # descending: every id is above the ones before it... and below
    path = write(tmp_path / "c.csv", ["id,name", *(f"{i},客户{i:03d}" for i in ids)])
    kehu("import", str(path))
    shown = kehu.json("show", "客户007")
    assert shown["id"] == 7
    again = kehu.json("import", str(path))["files"][0]
    assert (again["new"], again["unchanged"]) == (0, len(ids))
