"""Help in the user's language (issue 17): `kehu --help` and every command's help in
Chinese when the language is Chinese, in English with --lang en; the commands grouped
by task from one mapping (cli.HELP_GROUPS); descriptions whole, never cut with "...";
argument-parser errors one line, `kehu: ...`, in the user's language, exit 2."""

from __future__ import annotations

import re

import pytest
import typer.main

from kehu import cli
from kehu.i18n.help_zh import COMMANDS, GROUP_TITLES

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
    assert [line.split()[0] for line in block.splitlines()] == ["contract", "pay", "forecast", "negotiate", "review",
                                                                "complaint", "cycle"]
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
