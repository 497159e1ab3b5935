"""Help in the user's language (issue 17): `kehu --help` and every command's help in
Chinese when the language is Chinese, in English with --lang en; the commands grouped
by task from one mapping (cli.HELP_GROUPS); descriptions whole, never cut with "...";
argument-parser errors one line, `kehu: ...`, in the user's language, exit 2."""

from __future__ import annotations

import re

import pytest
import typer.main

from kehu import cli
from kehu.i18n.help_zh import ARGUMENTS, COMMANDS, GROUP_TITLES, OPTIONS

GROUPS_ZH = ["客户", "跟进", "合同", "团队", "数据"]


def command_paths() -> list[str]:
    """Every command and group as typed after kehu: 'add', 'person add'..."""
    root = typer.main.get_command(cli.app)
    out = []

    def walk(cmd, prefix):
        commands = getattr(cmd, "commands", {})
        for name in list(commands):
            out.append(prefix + name)
            walk(commands.built(name) if hasattr(commands, "built") else commands[name], prefix + name + " ")

    walk(root, "")
    return out


def commands() -> list[tuple[str, object]]:
    """Every command as (path, its click command), the root as ("", root)."""
    root = typer.main.get_command(cli.app)
    out = [("", root)]

    def walk(cmd, prefix):
        subs = getattr(cmd, "commands", {})
        for name in list(subs):
            sub = subs.built(name) if hasattr(subs, "built") else subs[name]
            out.append((prefix + name, sub))
            walk(sub, prefix + name + " ")

    walk(root, "")
    return out


def shown_params(cmd) -> list:
    return [p for p in cmd.params if not getattr(p, "hidden", False)]


def body(text: str) -> str:
    """A help page after its usage line (whose [ARGS]... is syntax)."""
    return text.split("\n", 1)[1]


def sections(text: str) -> list[str]:
    return [line[:-1] for line in text.splitlines() if re.fullmatch(r"\S.*:", line) and not line.startswith("用法")]


def test_kehu_help_in_chinese_is_grouped_by_task(kehu):
    text = kehu("--lang", "zh", "--help").stdout
    assert text.startswith("用法：kehu")
    assert sections(text) == ["选项", *GROUPS_ZH]
    assert "B2B 大客户销售的客户账本" in text and "显示本帮助并退出" in text
    assert "..." not in body(text)
    block = text.split("\n合同:\n", 1)[1].split("\n\n", 1)[0]
    names = [line.split()[0] for line in block.splitlines() if re.match(r"  \S", line)]  # not a wrapped description
    assert names == ["contract", "pay", "forecast", "report", "negotiate", "review", "complaint",
                     "cycle"]
    # every description listed is the Chinese one, whole
    for line in text.split("\n客户:\n", 1)[1].splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            name, desc = line.split(None, 1)
            assert desc == COMMANDS[name] or COMMANDS[name].startswith(desc), line


def test_kehu_help_is_chinese_by_default_and_english_when_asked(kehu, monkeypatch):
    monkeypatch.delenv("KEHU_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert sections(kehu("--help").stdout) == ["选项", *GROUPS_ZH]
    text = kehu("--lang", "en", "--help").stdout
    assert sections(text) == ["Options", "Customers", "Follow-up", "Contracts", "Team", "Data"]
    assert "..." not in body(text)
    assert "Delete a customer added by mistake, with its people, touchpoints, promises, contracts," in " ".join(
        text.split())  # a description whole, no longer cut at 45 characters
    monkeypatch.setenv("KEHU_LANG", "en")
    assert text == kehu("--help").stdout


@pytest.mark.parametrize("args", [("person", "--help"), ("contract", "--help"), ("add", "--help"),
                                  ("negotiate", "timing", "--help"), ("promise", "kept", "-h")])
def test_every_help_page_in_chinese(kehu, args):
    text = kehu("--lang", "zh", *args).stdout
    path = " ".join(a for a in args if not a.startswith("-"))
    assert text.startswith(f"用法：kehu {path}") and COMMANDS[path] in text
    assert not [line for line in body(text).splitlines() if line.endswith("...")]
    assert "选项:" in text and "Options" not in text and "Usage" not in text
    en = kehu("--lang", "en", *args).stdout
    assert en.startswith(f"Usage: kehu {path}") and COMMANDS[path] not in en


def test_every_command_has_a_group_and_a_chinese_description():
    """A command added without a place in cli.HELP_GROUPS or a line in help_zh.COMMANDS fails here."""
    placed = {name for names in cli.HELP_GROUPS.values() for name in names}
    paths = command_paths()
    assert len(paths) > 60
    top = [p for p in paths if " " not in p]
    assert [p for p in top if p not in placed] == []
    assert [p for p in paths if p not in COMMANDS] == []
    assert set(cli.HELP_GROUPS) | {"other"} == set(GROUP_TITLES)


def test_an_unmapped_command_is_listed_under_other(kehu, monkeypatch):
    groups = {g: tuple(n for n in names if n != "pay") for g, names in cli.HELP_GROUPS.items()}
    monkeypatch.setattr(cli, "HELP_GROUPS", groups)
    text = kehu("--lang", "zh", "--help").stdout
    assert sections(text) == ["选项", *GROUPS_ZH, "其他"]
    assert text.split("\n其他:\n", 1)[1].split()[0] == "pay"


@pytest.mark.parametrize("args, zh, en", [
    (("list", "--bogus"), "kehu: 没有 --bogus 这个选项。用 kehu list -h 查看用法。",
     "kehu: no such option: --bogus; see kehu list -h"),
    (("list", "--stag", "x"), "kehu: 没有 --stag 这个选项（是不是 --sort、--stage？）。用 kehu list -h 查看用法。",
     "kehu: no such option: --stag (did you mean --sort, --stage?); see kehu list -h"),
    (("show",), "kehu: 缺少 客户。用 kehu show -h 查看用法。", "kehu: missing CUSTOMER; see kehu show -h"),
    (("next", "-n", "0"), "kehu: -n 的值无效：0（应在 1<=x<=500 之间）。用 kehu next -h 查看用法。",
     "kehu: invalid value for -n: 0 (it must be within 1<=x<=500); see kehu next -h"),
    (("next", "-n", "abc"), "kehu: -n 的值无效：abc（应为整数）。用 kehu next -h 查看用法。",
     "kehu: invalid value for -n: abc (a whole number); see kehu next -h"),
    (("list", "--stage"), "kehu: 选项 --stage 需要一个值。用 kehu list -h 查看用法。",
     "kehu: option --stage needs a value; see kehu list -h"),
    (("remnd",), "kehu: 没有 remnd 这个命令（是不是 redo、remind？）。用 kehu -h 查看全部命令。",
     "kehu: no such command: remnd (did you mean redo, remind?); see kehu -h"),
    (("show", "1", "2"), "kehu: 多余的参数：2。用 kehu show -h 查看用法。",
     "kehu: unexpected extra argument(s): 2; see kehu show -h"),
])
def test_argument_errors_are_one_line_in_the_users_language(kehu, args, zh, en):
    r = kehu("--lang", "zh", *args, code=2)
    assert r.stderr == zh + "\n" and r.stdout == ""
    r = kehu("--lang", "en", *args, code=2)
    assert r.stderr == en + "\n"


def test_an_abort_is_one_line_in_the_users_language(kehu, monkeypatch):
    """(click printed "Aborted!" when input ended at a prompt.)"""
    from kehu.render import blocks

    def abort(*args, **kwargs):
        raise typer.Abort()

    assert callable(blocks.to_plain)
    monkeypatch.setattr(blocks, "to_plain", abort)  # what `show` prints a piped screen with
    kehu("add", "华东")
    r = kehu("--lang", "zh", "tier", code=1)
    assert r.stderr == "kehu: 已中断，未写入任何内容。\n"


def test_every_option_and_argument_has_chinese_help():
    """An option or argument added without a line in help_zh.OPTIONS / ARGUMENTS fails here,
    naming each (command, option) to add."""
    missing, seen = [], 0
    for path, cmd in commands():
        for param in shown_params(cmd):
            seen += 1
            text = cli.param_help_zh(path, param, root=path == "")
            if text is None or not re.search(r"[\u4e00-\u9fff]", text):
                missing.append((f"kehu {path}".strip(), cli.param_key(param)))
    assert seen > 300
    assert missing == [], "no Chinese help (add them to src/kehu/i18n/help_zh.py OPTIONS or ARGUMENTS):\n" + (
        "\n".join(f"  {command} {name}" for command, name in missing))


def test_help_zh_has_no_line_for_a_parameter_that_does_not_exist():
    """(A renamed option would leave its Chinese line behind, and a shared line would hide it.)"""
    names, lines = set(), set()
    for path, cmd in commands():
        for param in shown_params(cmd):
            key = cli.param_key(param)
            names.add(key)
            lines.add(f"{path} {key}")
    assert [k for k in OPTIONS if k not in lines and k not in names] == []
    assert [k for k in ARGUMENTS if k not in lines and k not in names] == []


def test_option_help_and_clicks_notes_in_chinese(kehu):
    text = kehu("--lang", "zh", "add", "--help").stdout
    assert "客户名称（机构或个人）。【必填】" in text
    assert "年价值，如 500000 或 50万。" in text and "Annual value" not in text
    assert "以 JSON 格式输出。" in text and "Print JSON" not in text
    text = "".join(kehu("--lang", "zh", "remind", "-h").stdout.split())  # wherever its lines break
    assert "另外列出这段时间内到期的：7d、2w、0。【默认：7d】" in text
    assert "列出多少项。【默认：10；1<=x<=500】" in kehu("--lang", "zh", "next", "-h").stdout
    text = "".join(kehu("--lang", "zh", "contract", "plan", "-h").stdout.split())
    assert "一期付款，如2026-12-31:30万；每期用一次。各期相加须等于合同金额。【必填】" in text
    # the command's own line comes before the shared one
    assert "建档日期，用于补录（默认现在）。" in kehu("--lang", "zh", "add", "-h").stdout
    assert "收款日期（默认今天）。" in kehu("--lang", "zh", "pay", "-h").stdout
    # English help stays as it was
    en = " ".join(kehu("--lang", "en", "add", "--help").stdout.split())
    assert "Customer name (organisation or person). [required]" in en and "Print JSON." in en
    assert "[default: 7d]" in kehu("--lang", "en", "remind", "-h").stdout


def test_an_extra_of_click_is_worded_in_chinese():
    assert cli._extras_zh("列出多少项。  [default: 10; 1<=x<=500; required]") == (
        "列出多少项。【默认：10；1<=x<=500；必填】")
    assert cli._extras_zh("账本。  [env var: KEHU_DB]") == "账本。【环境变量：KEHU_DB】"
    assert cli._extras_zh("没有附注。") == "没有附注。"


# Words a Chinese help page may hold: values a user types (stage, tier, role, kind keys...),
# formats and codes. Everything else in a page must be Chinese, an option name, a metavar
# or a command to type.
TYPED_WORDS = set("""
    consumer business internal transactional preferred partner alliance high low platinum gold iron lead
    name stage last value tier customers people touchpoints promises contracts instalments en zh
    daily topic showcase team event joint launch exec letter hq visit forum summit phone wechat email meeting
    draft negotiating signed completed lost terms proposal objections all raised issue option timing analysis
    goal package specific measurable achievable relevant deadline trade add split concede ours customer
    competitor strengths gaps unique pain background finances deciders process offer relationships position
    tactics best compromise bottom technical service commercial recorder decider influencer user procurement
    coach support neutral oppose price cut payment sap
    JSON UTF BOM CRLF https iCalendar vCard postgresql Tab HTML Markdown Excel xlsx webhook wecom dingtalk feishu
    medium growth tender project
""".split())


def english_in_help(pages: dict[str, str]) -> dict[str, str]:
    """The English words of Chinese help pages, each with the first page it is on."""
    from test_no_english import english_words

    command_words = {w for path in command_paths() for w in path.split()}
    found = {}
    for path, text in pages.items():
        assert text.startswith("用法：")
        lines = []
        for line in text.splitlines()[1:]:  # after the usage line (metavars and [OPTIONS])
            term = re.match(r"  (\S.*?)(?:  |$)", line)  # a listing's first column: names and metavars
            lines.append(line[term.end():] if term else line)
        for word in sorted(set(english_words("\n".join(lines))) - TYPED_WORDS - command_words):
            found.setdefault(word, f"kehu {path} --help")
    return found


@pytest.fixture(scope="module")
def zh_pages() -> dict[str, str]:
    """Every command's help page in Chinese (the runner's terminal: 80 columns)."""
    from conftest import Kehu

    run = Kehu()
    return {path: run("--lang", "zh", *path.split(), "--help").stdout for path in ["", *command_paths()]}


def test_no_english_word_in_any_chinese_help_page(zh_pages):
    assert english_in_help(zh_pages) == {}


def test_every_chinese_help_page_fits_80_columns_and_breaks_lines_well(zh_pages):
    from kehu.text import cell_width

    too_wide = [(path, line) for path, text in zh_pages.items() for line in text.splitlines() if cell_width(line) > 80]
    assert too_wide == []
    bad_start = [(path, line) for path, text in zh_pages.items() for line in text.splitlines()
                 if line.strip()[:1] in tuple("，。、；：）】")]
    assert bad_start == []
    # a date, an option name or a key is never cut at a line's end
    words = {w for text in zh_pages.values() for w in re.findall(r"[\w.:/@+-]+", text)}
    assert {"2026-03-05", "--promise-due", "joint_launch", "exec_visit", "postgresql://user@host/dbname",
            "2026-12-31:30万"} <= words
    assert "transactional" in zh_pages["add"] and "relevant" in zh_pages["negotiate remove"]

def test_the_english_probe_of_help_pages_can_fail(kehu, monkeypatch):
    from kehu.i18n import help_zh

    monkeypatch.setitem(help_zh.OPTIONS, "add --note", "备注 free note。")
    monkeypatch.delitem(help_zh.ARGUMENTS, "add name")  # shown in English then
    pages = {"add": kehu("--lang", "zh", "add", "--help").stdout}
    assert english_in_help(pages) == {w: "kehu add --help" for w in ("free", "note", "Customer")}
