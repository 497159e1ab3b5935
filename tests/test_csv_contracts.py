"""Contracts and instalments travel through CSV: export, import, round trip, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from _books import any_dump


@pytest.fixture(autouse=True)
def pinned_today(isolated_book, monkeypatch):
    monkeypatch.setenv("KEHU_TODAY", "2026-11-23")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def money_book(kehu) -> None:
    kehu("add", "华为")
    kehu("add", "中兴")
    kehu("contract", "add", "华为", "核心网扩容", "--amount", "1234567.89", "--status", "signed",
         "--date", "2026-09-01")
    kehu("contract", "plan", "1", "-i", "2026-10-01:234567.89", "-i", "2027-01-31:1000000")
    kehu("pay", "1", "200000.01", "--date", "2026-10-05")
    kehu("contract", "add", "中兴", "二期", "--amount", "50万", "--status", "negotiating", "--expected", "2027-02-01",
         "--note", "=SUM(A1)")
    kehu("contract", "add", "中兴", "三期", "--amount", "10万")
    kehu("contract", "lose", "3", "--reason", "预算冻结")


def state(kehu) -> tuple:
    contracts = kehu.json("contract", "list")
    plans = [kehu.json("contract", "show", str(k["id"]))["instalments"] for k in contracts]
    return contracts, plans


def test_an_exported_book_imports_into_a_new_one_exactly(kehu, tmp_path, isolated_book):
    money_book(kehu)
    before = state(kehu)
    kehu("export", "--out", str(tmp_path / "out"))
    assert (tmp_path / "out" / "contracts.csv").is_file() and (tmp_path / "out" / "instalments.csv").is_file()
    text = (tmp_path / "out" / "contracts.csv").read_text(encoding="utf-8")
    assert "1234567.89" in text and "'=SUM(A1)" in text  # exact, and formula-safe
    other = tmp_path / "other.db"
    r = kehu("--db", str(other), "import", str(tmp_path / "out"))
    assert "contracts): 3 new" in r.stderr and "instalments): 2 new" in r.stderr
    assert state_of(kehu, other) == before
    r = kehu("--db", str(other), "import", str(tmp_path / "out"))  # again: nothing changes
    assert "contracts): 0 new, 0 updated, 3 unchanged" in r.stderr
    assert "instalments): 0 new, 0 updated, 2 unchanged" in r.stderr
    assert state_of(kehu, other) == before


def state_of(kehu, book: Path) -> tuple:
    contracts = kehu.json("--db", str(book), "contract", "list")
    plans = [kehu.json("--db", str(book), "contract", "show", str(k["id"]))["instalments"] for k in contracts]
    return contracts, plans


def test_instalments_follow_their_contract_when_it_gets_another_number(kehu, tmp_path):
    kehu("add", "甲")
    kehu("contract", "add", "甲", "已有合同", "--amount", "100")  # takes number 1 in this book
    folder = tmp_path / "in"
    write(folder / "customers.csv", "name\n乙\n")
    write(folder / "contracts.csv", "id,customer,title,amount,status,signed_on\n1,乙,新合同,300,signed,2026-11-01\n")
    write(folder / "instalments.csv", "contract,amount,due,paid,paid_on\n1,100,2026-11-10,100,2026-11-10\n"
                                      "1,200,2026-12-10,,\n")
    kehu("import", str(folder))
    mine = kehu.json("contract", "show", "1")
    assert (mine["title"], mine["planned"]) == ("已有合同", "0.00")
    theirs = kehu.json("contract", "show", "2")
    assert (theirs["title"], theirs["customer"], theirs["planned"], theirs["paid"]) == (
        "新合同", "乙", "300.00", "100.00")


def test_instalments_that_do_not_add_up_are_refused_and_nothing_is_written(kehu, tmp_path, isolated_book):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "300")
    before = any_dump(isolated_book)
    path = write(tmp_path / "plan.csv", "合同编号,金额,到期日\n1,100,2026-12-01\n1,199.99,2027-01-01\n")
    r = kehu("import", str(path), code=65)
    # Reported at the contract's first instalment line, in the file's own column name.
    assert f"{path}:2: 金额: the instalments add up to 299.99 but the contract is 300 (off by -0.01)" in r.stderr
    assert kehu.json("contract", "show", "1")["instalments"] == []
    assert any_dump(isolated_book) == before


@pytest.mark.parametrize(("row", "column", "words"), [
    ("4,华为,A,100,,signed,,,,,,,,", "signed_on", "required"),
    ("4,华为,A,100,,completed,,2026-10-01,,,,,,", "completed_on", "required"),
    ("4,华为,A,100,,lost,,,,2026-10-01,,,,", "lost_reason", "required"),
    ("4,华为,A,100,,signed,,2026-10-02,2026-10-01,,,,,", "completed_on", "before the signing day"),
    ("4,华为,A,0,,draft,,,,,,,,", "amount", "greater than 0"),
    ("4,华为,A,100,EURO,draft,,,,,,,,", "currency", "pattern"),
    ("4,没有这个客户,A,100,,draft,,,,,,,,", "customer", "no customer named"),
])
def test_a_contract_row_that_contradicts_itself_is_refused(kehu, tmp_path, row, column, words):
    kehu("add", "华为")
    header = "id,customer,title,amount,currency,status,expected_on,signed_on,completed_on,lost_on,lost_reason," \
             "aftercare_due,aftercare_done,note\n"
    path = write(tmp_path / "c.csv", header + row + "\n")
    r = kehu("import", str(path), code=65)
    assert f"{path}:2: {column}: " in r.stderr and words in r.stderr
    assert kehu.json("contract", "list") == []


def test_a_payment_on_an_unsigned_contract_is_refused(kehu, tmp_path):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    path = write(tmp_path / "i.csv", "contract,amount,due,paid\n1,100,2026-12-01,50\n")
    r = kehu("import", str(path), code=65)
    assert ":2: paid: contract #1 is draft" in r.stderr
    path = write(tmp_path / "j.csv", "contract,amount,due,paid\n1,100,2026-12-01,150\n")
    kehu("contract", "sign", "1")
    r = kehu("import", str(path), code=65)
    assert ":2: paid: paid 150 is more than the instalment's 100" in r.stderr
    assert kehu.json("contract", "show", "1")["instalments"] == []
