"""The screens at 80 and 120 columns (issue 17): a date, an amount, a number or a
person's name is never split across lines, long customer names are shortened with …
in listings (whole in `kehu show`), no line begins with closing punctuation (避头尾),
`kehu next` takes at most two lines per item at 80 columns, no line is wider than the
terminal. Checked on a book with long Chinese names and notes, on each main screen."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from kehu.i18n import message
from kehu.render.blocks import break_offsets, shorten

pytestmark = pytest.mark.today("2026-11-23")

LONG = "深圳市前海微众银行股份有限公司信息科技部数据中台项目组"
NOTE = ("介绍二期方案，客户对数据迁移工期、等保测评、接口兼容性（SCADA）都提出了很具体的疑问，"
        "需要在下次会议前整理成文档，并且安排技术专家一起上门。")
PEOPLE = ("欧阳建国", "司马相如")
SCREENS = [("list",), ("next",), ("remind",), ("show", "华东"), ("show", "深圳"), ("tier",), ("contract", "list"),
           ("report", "month"), ("contract", "show", "2"), ("trust", "华东"), ("negotiate", "1"),
           ("person", "list", "华东")]
NO_START = "，。、）」；：！？"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d\d)?|\d+\.\d+")


@pytest.fixture
def book(kehu, monkeypatch):
    monkeypatch.setenv("KEHU_LANG", "zh")
    monkeypatch.setenv("KEHU_USER", "王磊")
    # known for over a year, so that its thin effort is neglect (a customer added today is not)
    kehu("add", LONG, "--industry", "金融", "--region", "深圳", "--value", "1250万", "--owner", "王磊",
         "--date", "2025-10-01")
    kehu("add", "华东电网信息中心", "--value", "80万", "--owner", "王磊", "--note",
         "二期调度数据接入，客户关注数据迁移的工期、安全等级保护测评、以及与既有系统的接口兼容性"
         "（尤其是老旧的SCADA系统），需要提前准备材料。")
    kehu("person", "add", "华东", PEOPLE[0], "--title", "信息中心主任兼首席数据官", "--level", "高层",
         "--role", "决策者")
    kehu("person", "add", "深圳", PEOPLE[1], "--title", "数据中台项目总监", "--level", "中层")
    kehu("touch", "华东", "--kind", "拜访", "--with", PEOPLE[0], "--date", "2026-10-01", "--note", NOTE,
         "--next", "整理二期方案的问题清单，准备技术专家上门交流的材料，确认客户方参会人员、时间和会议室",
         "--next-due", "2026-11-01")
    kehu("touch", "深圳", "--kind", "电话", "--with", PEOPLE[1], "--date", "2026-11-20",
         "--note", "电话沟通，约下周面谈",
         "--next", "面谈：演示数据中台产品，讨论试点范围、报价区间和上线时间表", "--next-due", "2026-11-25",
         "--promise", "发送产品白皮书和同类银行案例，附上报价区间说明", "--promise-due", "2026-11-22")
    kehu("contract", "add", "华东", "二期调度数据接入及历史数据迁移、等保测评配套服务", "--amount", "1300万",
         "--status", "谈判中", "--expected", "2026-12-20")
    kehu("contract", "add", "深圳", "数据中台试点项目（含三年运维服务与驻场支持）", "--amount", "12345678.9",
         "--status", "谈判中", "--expected", "2027-01-15")
    kehu("contract", "plan", "2", "-i", "2026-12-30:600万", "-i", "2027-06-30:6345678.9")
    kehu("contract", "sign", "2", "--date", "2026-11-20")
    kehu("negotiate", "timing", "1", "条件", "客户信息中心主任欧阳建国确认二期由我方承接，并且预算已经在年度计划中批复")
    kehu("negotiate", "issue", "1", "首付比例", "--need",
         "今年预算只剩尾款额度，首付比例必须控制在百分之十五以内，否则需要重新走审批流程")
    kehu("negotiate", "option", "1", "首付15%，其余按里程碑支付，每个里程碑验收后三十日内付款",
         "--value", "当年支出最低")
    kehu("negotiate", "analysis", "1", "竞争对手", "对手方案",
         "报价低15%，但不含数据迁移，也不含等保测评配套服务，实施周期长两个月")
    kehu("negotiate", "package", "1", "底线", "1150万，首付10%，其余按里程碑", "--amount", "1150万")
    return kehu


def screen(kehu, args, width: int, lang: str = "zh") -> list[str]:
    out = kehu("--lang", lang, *args, env={"KEHU_TTY": "1", "COLUMNS": str(width)}).stdout
    return out.splitlines()


def segments(line: str) -> list[tuple[int, str]]:
    """The cells' pieces of one printed line: (column, text), split at runs of 2+ spaces."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def split_atoms(lines: list[str], atoms: set[str]) -> list[str]:
    """Atoms begun at the end of a piece of one line and finished at the start of a piece
    of the next: what a wrap inside a date, an amount or a name looks like."""
    found = []
    for above, below in zip(lines, lines[1:], strict=False):
        ends = [s for _, s in segments(above)]
        starts = [s for _, s in segments(below)]
        for atom in atoms:
            for k in range(1, len(atom)):
                if any(e.endswith(atom[:k]) for e in ends) and any(s.startswith(atom[k:]) for s in starts):
                    found.append(f"{atom!r} as {atom[:k]!r} / {atom[k:]!r}")
    return found


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_main_screens_keep_dates_amounts_and_names_whole(book, width, lang):
    for args in SCREENS:
        lines = screen(book, args, width, lang)
        plain = book("--lang", lang, *args).stdout  # piped: one record a line, nothing wrapped
        atoms = set(DATE.findall(plain)) | set(AMOUNT.findall(plain)) | {p for p in PEOPLE if p in plain}
        assert atoms or args[0] in ("tier",), args
        where = f"kehu {' '.join(args)} at {width}:\n" + "\n".join(lines)
        assert not split_atoms(lines, atoms), where
        for line in lines:
            assert cell_len(line) <= width, where
            for _, piece in segments(line):
                assert piece[0] not in NO_START, f"{piece!r} begins a line\n{where}"
        text = "\n".join(lines)
        for atom in atoms:
            if args != ("next",):  # next's texts are cut after two lines
                assert atom in text or atom.replace(",", "") in text, f"{atom} missing\n{where}"


def test_the_screens_have_something_to_check(book):
    """(The checks above would pass on empty screens: these have dates, amounts, names.)"""
    lines = screen(book, ("contract", "list"), 80)
    assert "12,345,678.90" in "\n".join(lines) and "2026-11-20" in "\n".join(lines)
    assert any(PEOPLE[0] in line for line in screen(book, ("show", "华东"), 80))


@pytest.mark.parametrize("args", [("list",), ("contract", "list"), ("next",), ("remind",)])
def test_long_customer_names_are_shortened_in_listings_and_whole_in_show(book, args):
    text = "\n".join(screen(book, args, 80))
    assert LONG not in text and re.search(LONG[:3] + r"\S*…", text), text
    assert LONG[-4:] not in text  # cut, not wrapped onto a second line
    assert LONG in "\n".join(screen(book, ("show", "深圳"), 80))
    assert LONG in book("--lang", "zh", *args).stdout  # piped: whole


def test_next_takes_at_most_two_lines_per_item_at_80_columns(book):
    lines = screen(book, ("next",), 80)
    rule = next(i for i, line in enumerate(lines) if "───" in line)
    guides = lines.index("眼下适用的指南")  # below the items: the guides for their customers
    assert any("kehu playbook 拜访" in line for line in lines[guides:])
    items: list[int] = []
    for line in lines[rule + 1:guides]:
        if not line.strip() or line.startswith("紧迫度"):
            continue
        if line[2] != " ":  # the first column: a new item
            items.append(1)
        else:
            items[-1] += 1
    assert len(items) >= 5 and max(items) == 2, "\n".join(lines)  # the long ones are cut at two
    assert any(line.rstrip().endswith("…") for line in lines) or any("…" in line for line in lines)
    wide = screen(book, ("remind",), 80)  # remind keeps every word
    assert "时间和会议室" in "".join(x.strip() for x in wide)


def test_a_note_wraps_between_words_without_a_line_starting_with_closing_punctuation(book):
    lines = screen(book, ("show", "华东"), 80)
    assert any("介绍二" in line for line in lines)
    for line in lines:
        for _, piece in segments(line):
            assert piece[0] not in NO_START, "\n".join(lines)


@pytest.mark.parametrize("text, width", [
    ("客户对数据迁移工期，等保测评、接口兼容性（SCADA）都提出了疑问。", 6),
    ("上次接触 2026-11-20，已 3 天（白金客户每 7 天联系一次）", 12),
    ("报价低15%，但不含数据迁移，首付 12,345,678.90 CNY，实施周期长", 18),
    ("Contacted on 2026-11-20, 3 days ago (platinum: every 7 days).", 12),
])
def test_break_offsets(text, width):
    cuts = [0, *break_offsets(text, width), len(text)]
    parts = [text[a:b].rstrip() for a, b in zip(cuts, cuts[1:], strict=False)]
    assert "".join(p.replace(" ", "") for p in parts) == text.replace(" ", "")
    for part in parts:
        assert cell_len(part) <= width, parts
        assert part[:1] not in NO_START, parts
        assert part[-1:] not in "（「(", parts
    for atom in DATE.findall(text) + AMOUNT.findall(text) + re.findall(r"\d+%", text):
        assert any(atom in part for part in parts), (atom, parts)


def test_shorten():
    assert shorten(LONG, 12) == "深圳市前海…"
    assert cell_len(shorten(LONG, 11)) <= 11
    assert shorten("华东电网", 8) == "华东电网"
    assert shorten("ACME Industrial Holdings", 10) == "ACME Indu…"



@pytest.mark.parametrize("args, legend", [
    (("next",), "紧迫度："), (("remind",), "紧迫度："), (("tier",), "投入："),
    (("trust", "华东"), "各因素 0 到 1"), (("show", "华东"), "各因素 0 到 1"),
])
def test_numbers_say_what_they_measure_once_per_screen(book, args, legend):
    text = "\n".join(screen(book, args, 120))
    assert text.count(legend) == 1, text
    assert legend not in book("--lang", "zh", *args).stdout  # piped: the data alone
    en = "\n".join(screen(book, args, 120, "en"))
    assert {"紧迫度：": "urgency: higher", "投入：": "effort: touchpoints", "各因素 0 到 1": "each factor from 0 to 1"}[
        legend] in en


def test_a_chinese_line_of_its_own_fills_the_width_before_it_wraps(kehu):
    """A legend, a note: a line printed on its own breaks between Chinese characters as
    table cells do, not only at its spaces (it broke at 47 of 80 columns)."""
    kehu("add", "华东电网信息中心", "--value", "80万")
    kehu("add", "成都天府城投", "--value", "120万")
    lines = [line.rstrip() for line in screen(kehu, ("tier",), 80)]
    legend = [i for i, line in enumerate(lines) if line.startswith("商机：")]
    assert legend, "\n".join(lines)
    block = lines[legend[0]:]
    text = message("legend_pipeline", "zh")
    cuts = [0, *break_offsets(text, 80), len(text)]
    assert len(cuts) > 3  # the test needs a line that wraps twice
    assert block == [text[a:b].rstrip() for a, b in zip(cuts, cuts[1:], strict=False)], block



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pipeline_keeps_its_expected_values_whole_at_80_columns(kehu, monkeypatch, lang):
    """`kehu tier`'s pipeline has nine columns; at 80 columns its amounts were cut with …
    (1,500,0…). A narrow terminal leaves out the stage's chance and the value entered
    (the expected value implies them); every expected value stays whole, and piped
    output keeps every column."""
    monkeypatch.setenv("KEHU_LANG", "zh")
    for i, (name, value, steps) in enumerate([("金陵康宁医疗集团", "150万", 3), ("成都天府城市燃气", "120万", 3),
                                              ("广州南粤城商银行", "200万", 2), ("郑州中原冷链", "20万", 0)]):
        kehu("add", name, "--value", value)
        for _ in range(steps):  # to growth (50 %) or evaluation (25 %)
            kehu("advance", name, "--force", "--reason", "测试")
        kehu("person", "add", name, f"采购{i}", "--role", "procurement")
        kehu("person", "add", name, f"用户{i}", "--role", "user")
    kehu("edit", "郑州", "--segment", "strategic")
    lines = screen(kehu, ("tier",), 80, lang)
    text = "\n".join(lines)
    piped = kehu("--lang", lang, "tier").stdout.splitlines()
    head = piped.index(next(line for line in piped if line.startswith("# "))) + 1
    rows = [line.split("\t") for line in piped[head + 1:] if "\t" in line]
    assert len(rows) == 4 and len(rows[0]) == 9  # piped: every column
    expected = [r[5] for r in rows]
    assert expected == ["750,000", "600,000", "500,000", "200,000"]
    for amount in expected:
        assert re.search(rf"(?<![\d,]){amount}(?![\d,…])", text), f"{amount} not whole:\n{text}"
    assert not re.search(r"\d…", text), text
    assert all(cell_len(line) <= 80 for line in lines), text
    assert ("战略" if lang == "zh" else "strategic") in text  # the marks stay
