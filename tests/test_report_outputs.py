"""`kehu report` printed and written: the terminal at 80 and 120 columns (bars, nothing
wider than the terminal, no amount or date cut), piped lines, the Markdown file and
the workbook read back, files owner-only and all-or-nothing, hostile names kept as text."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import zipfile
from datetime import date, datetime

import pytest
from rich.cells import cell_len

from test_report import build

pytestmark = pytest.mark.today("2026-11-27")
HOSTILE = "=HYPERLINK(\"x\")|[bold]A_B*"


@pytest.fixture
def book(kehu):
    build(kehu)
    kehu("add", HOSTILE, "--date", "2026-11-26")
    return kehu


def test_the_terminal_report_fits_and_draws_bars(book):
    data = book.json("report", "week")
    for width in (80, 120):
        for lang in ("zh", "en"):
            terminal(book, data, width, lang)
    # piped: tab-separated lines, no bars
    out = book("report", "week").stdout
    assert "█" not in out
    assert "Touchpoints by kind" in out
    assert any(line.count("\t") >= 3 for line in out.splitlines())


def terminal(book, data, width: int, lang: str) -> None:
    out = book("--lang", lang, "report", "week", env={"KEHU_TTY": "1", "COLUMNS": str(width)}).stdout
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    heads = {"zh": ("周报 2026-11-23 至 2026-11-29", "本期发生了什么", "当前状况（截至 2026-11-27）", "应收账龄",
                    "下周计划"),
             "en": ("Weekly report, 2026-11-23 to 2026-11-29", "What happened", "Where things stand",
                    "Receivables by age", "The plan")}[lang]
    for head in heads:
        assert head in out, head
    # one bar per touch kind, the longest for the most, each as long as its share of it
    from kehu.i18n import label

    kinds = data["touches"]
    assert len(kinds) >= 2
    biggest = max(kinds.values())
    for kind, n in kinds.items():
        line = next(line for line in lines if label("touch_kind", kind, lang) in line)
        assert re.findall(r"█+", line) == ["█" * round(16 * n / biggest)], line
    # amounts and dates are never cut: each is whole on some line
    for r in data["receivables"]:
        for key in ("d0_30", "d31_90", "d90", "total"):
            shown = f"{int(float(r[key])):,}"
            assert any(shown in line for line in lines), shown
    for p in data["plan"]:
        assert any(p["due"] in line for line in lines)


def test_markdown_page_and_workbook_are_written_owner_only_and_read_back(book, tmp_path, umask022):
    data = book.json("report", "month")
    md, page, wb = tmp_path / "r.md", tmp_path / "r.html", tmp_path / "r.xlsx"
    r = book("--lang", "zh", "report", "month", "--md", str(md), "--html", str(page), "--xlsx", str(wb))
    assert r.stdout == ""
    for path in (md, page, wb):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert str(path) in r.stderr
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 月报 2026-11-01 至 2026-11-30\n")
    assert f"| 接触次数 | {data['touches_total']} |" in text
    assert "| 兑现的承诺 | {} |".format(data["promises"]["kept"]) in text
    lost = data["lost"][0]
    assert re.search(rf"^\| 2026-11-26 \| {lost['id']} \| 深圳前海银行 \| 丢的 \| 200,000 \| CNY \| 预算冻结 \|$",
                     text, re.M)
    # a name with Markdown's and HTML's characters stays one cell of plain text
    row = next(line for line in text.splitlines() if "HYPERLINK" in line)
    assert row == r'| =HYPERLINK("x")\|\[bold\]A\_B\* | 陌生期 |'
    html = page.read_text(encoding="utf-8")
    assert "&lt;" not in HOSTILE and "=HYPERLINK(&quot;x&quot;)|[bold]A_B*" in html
    assert not re.search(r"<script|<link|@import|https?://(?!www\.w3\.org/2000/svg)", html)
    workbook(book, data, wb)


def read_book(path):
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def workbook(book, data: dict, path) -> None:
    """A sheet per table, numbers and dates as such, frozen Chinese headers; English when asked."""
    sheets = read_book(path)
    assert list(sheets) == ["概要", "接触方式", "接触趋势", "新客户", "阶段推进", "签约", "丢单", "客户漏斗",
                            "在谈合同-阶段", "在谈合同-月份", "应收账龄", "逾期合同", "变冷客户", "下周计划"]
    summary = {row[0]: row[1:] for row in sheets["概要"][1:]}
    assert sheets["概要"][0] == ["项目", "数值", "币种"]
    assert summary["接触次数"][0] == data["touches_total"] and isinstance(summary["接触次数"][0], int | float)
    assert summary["回款 (2)"] == [sum(float(r["amount"]) for r in data["received"]), "CNY"]
    signed = sheets["签约"]
    assert signed[0] == ["日期", "合同", "客户", "名称", "金额", "币种"]
    assert [(r[0], r[1], r[4]) for r in signed[1:]] == [
        (date.fromisoformat(d["day"]), d["id"], float(d["amount"])) for d in data["signed"]]
    ageing = sheets["应收账龄"]
    assert ageing[0] == ["币种", "未到期", "逾期 0–30 天", "逾期 31–90 天", "逾期 90 天以上", "合计"]
    assert ageing[1] == ["CNY", *(float(data["receivables"][0][k]) for k in ("not_due", "d0_30", "d31_90", "d90",
                                                                           "total"))]
    stage = sheets["在谈合同-阶段"]
    assert all(isinstance(row[4], float) and 0 < row[4] < 1 for row in stage[1:])  # the chance, as a percentage
    new = [row[0] for row in sheets["新客户"][1:]]
    assert HOSTILE in new  # text, not a formula
    with zipfile.ZipFile(path) as z:
        xml = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
    assert len(xml) == len(sheets)
    assert all('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' in x for x in xml.values())
    assert not any("<f>" in x for x in xml.values())
    assert all(isinstance(v, datetime | date) for v in (r[0] for r in sheets["阶段推进"][1:]))
    # in English when asked
    book("report", "week", "--xlsx", str(path))
    sheets = read_book(path)
    assert list(sheets)[:3] == ["Summary", "Touchpoints", "Activity"]
    assert sheets["Receivables"][0][0] == "Currency"


def test_an_unwritable_path_is_one_line_and_nothing_is_written(kehu, tmp_path):
    kehu("add", "华东电网")
    md = tmp_path / "r.md"
    r = kehu("report", "week", "--md", str(md), "--html", str(tmp_path / "no" / "such" / "r.html"), code=74)
    assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1 and "r.html" in r.stderr
    assert not md.exists() and os.listdir(tmp_path) == [p for p in os.listdir(tmp_path) if not p.startswith(".kehu")]


def test_the_workbook_library_is_loaded_only_for_a_workbook():
    code = ("import sys, kehu.cli.report, kehu.render.report, kehu.render.report_html, kehu.store.report;"
            "print('xlsxwriter' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
