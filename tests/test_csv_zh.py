"""`kehu export --headers zh` (issue 17): Chinese headers and labels for people, which
`kehu import` reads back to the very same book; `--excel` means it when the language is
Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.today("2026-11-23")

FILES = ("customers", "people", "touchpoints", "promises", "contracts", "instalments")


@pytest.fixture
def book(kehu):
    kehu("add", "华东电网", "--kind", "商业", "--level", "优先供应商", "--value", "80万", "--profit-now", "高",
         "--profit-future", "低", "--service-cost", "低", "--owner", "王磊")
    kehu("advance", "华东", "--force", "--reason", "老客户")
    kehu("person", "add", "华东", "张伟", "--level", "高层", "--role", "决策者", "--attitude", "支持", "--title", "CIO")
    kehu("touch", "华东", "--kind", "专题", "--with", "张伟", "--date", "2026-11-01", "--note", "方案交流",
         "--next", "报价", "--next-due", "2026-11-30", "--promise", "样品", "--promise-due", "2026-11-20")
    kehu("promise", "kept", "1")
    kehu("contract", "add", "华东", "二期", "--amount", "100万", "--status", "谈判中", "--expected", "2026-12-30")
    kehu("contract", "plan", "1", "-i", "2027-01-01:40万", "-i", "2027-03-01:60万")
    return kehu


def read(folder: Path) -> dict[str, str]:
    return {t: (folder / f"{t}.csv").read_text(encoding="utf-8-sig") for t in FILES}


def test_chinese_headers_and_labels_import_back_identically(book, tmp_path, monkeypatch):
    book("export", "--out", str(tmp_path / "en"))
    book("export", "--out", str(tmp_path / "zh"), "--headers", "zh")
    zh = read(tmp_path / "zh")
    assert zh["customers"].splitlines()[0].startswith("编号,客户名称,行业,地区,类型,关系类型,年价值")
    row = zh["customers"].splitlines()[1]
    assert all(label in row for label in ("商业", "优先供应商", "高", "低", "建立期")), row
    assert "决策者" in zh["people"] and "高层" in zh["people"] and "支持" in zh["people"]
    assert "正式专题交流" in zh["touchpoints"] and "谈判中" in zh["contracts"]
    for text in zh.values():  # no English key left in a header or an enumerated cell
        assert not {"stranger", "acquainted", "decider", "executive", "kept", "negotiating", "topic", "business"} & set(
            text.replace(",", " ").split())
    monkeypatch.setenv("KEHU_DB", str(tmp_path / "again" / "kehu.db"))
    report = book.json("import", str(tmp_path / "zh"))
    assert sum(f["new"] for f in report["files"]) >= 6 and not any(f["errors"] for f in report["files"])
    book("export", "--out", str(tmp_path / "back"))
    assert read(tmp_path / "back") == read(tmp_path / "en")


def test_excel_means_chinese_headers_in_chinese(book, tmp_path):
    def header(*args):
        out = tmp_path / "c.csv"
        book(*args, "export", "--table", "customers", "--out", str(out))
        return out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")[:2]

    assert header("--lang", "zh") == ["id", "name"]  # plain CSV is for scripts
    out = tmp_path / "x.csv"
    book("--lang", "zh", "export", "--table", "customers", "--excel", "--out", str(out))
    assert out.read_text(encoding="utf-8-sig").startswith("编号,客户名称,")
    book("--lang", "zh", "export", "--table", "customers", "--excel", "--headers", "en", "--out", str(out))
    assert out.read_text(encoding="utf-8-sig").startswith("id,name,")
    book("--lang", "en", "export", "--table", "customers", "--excel", "--out", str(out))
    assert out.read_text(encoding="utf-8-sig").startswith("id,name,")


def test_a_bad_headers_value_is_refused(book):
    r = book("--lang", "zh", "export", "--table", "customers", "--headers", "fr", code=2)
    assert r.stderr.startswith("kehu: ") and "fr" in r.stderr and len(r.stderr.splitlines()) == 1
