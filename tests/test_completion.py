"""Shell completion of customer names and aliases (issue 16): answered before Typer loads
when the line is plain (kehu.completion), by Typer otherwise; never the database stack,
never an error, read-only."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import _clockshift
from kehu import completion
from kehu.book.where import book_path
from kehu.cli import app

pytestmark = pytest.mark.sqlite_only("completion reads the book file directly; a server book offers nothing")

KEHU = str(Path(sys.executable).with_name("kehu"))  # the console script, as a shell runs it
NAMES = ["北京京东世纪贸易有限公司", "京东方科技集团", "Acme Corp", "杭州海康威视数字技术股份有限公司", "京东老客户"]


@pytest.fixture
def book(kehu, isolated_book):
    for name in NAMES:
        kehu("add", name)
    kehu("drop", "京东老客户", "--reason", "closed")
    with sqlite3.connect(isolated_book) as con:  # (the alias commands are another piece of work)
        con.execute("INSERT INTO customer_alias (customer_id, alias, alias_key, created_at) "
                    "VALUES (4, '海康', '海康', '2026-01-01 00:00:00')")
    con.close()
    return isolated_book


def env_for(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_KEHU", "_TYPER", "COMP_"))}
    return {**env, **_clockshift.child_env(), **extra}


def bash(line: str, **extra: str) -> subprocess.CompletedProcess:
    words = line.split(" ")
    return subprocess.run([KEHU], capture_output=True, text=True, timeout=60, env=env_for(
        _KEHU_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(len(words) - 1), **extra))


def offered(line: str, **extra: str) -> list[str]:
    r = bash(line, **extra)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return [w for w in r.stdout.split("\n") if w]


def test_a_chinese_brand_offers_the_legal_names_that_hold_it_prefixes_first_ended_last(book):
    assert offered("kehu show 京东") == ["京东方科技集团", "北京京东世纪贸易有限公司", "京东老客户"]


def test_aliases_are_offered_too(book):
    assert offered("kehu touch 海") == ["海康", "杭州海康威视数字技术股份有限公司"]  # the alias begins with it
    assert "海康" in offered("kehu edit 康")


def test_everything_on_an_empty_word_active_first(book):
    assert offered("kehu history ") == ["Acme\\ Corp", "京东方科技集团", "北京京东世纪贸易有限公司",
                                        "杭州海康威视数字技术股份有限公司", "海康", "京东老客户"]


def test_case_and_width_are_folded_and_blanks_escaped_for_bash(book):
    assert offered("kehu person add ａｃ") == ["Acme\\ Corp"]
    assert completion.bash_word("Acme Corp (中国)") == "Acme\\ Corp\\ \\(中国\\)"


@pytest.mark.parametrize("line", ["kehu --db BOOK show 京东", "kehu --db=BOOK --lang en contract list 京东"])
def test_the_db_option_on_the_line_names_the_book(book, tmp_path, line):
    assert offered(line.replace("BOOK", str(book)), KEHU_DB=str(tmp_path / "elsewhere.db"))[-1] == "京东老客户"


def test_touch_offers_its_subcommands_then_customers(book):
    assert offered("kehu touch a") == ["add", "Acme\\ Corp"]


def test_other_words_still_complete_as_before(book):
    assert offered("kehu sh") == ["show"]
    assert "--json" in offered("kehu show -")


PROBE = """
import os, sys
sys.argv = {argv!r}
os.environ.update({env!r})
from kehu.entry import main
try:
    main()
except SystemExit as exc:
    pass
print("LOADED=" + ",".join(sorted({{m.split('.')[0] for m in sys.modules}}
      & {{"typer", "sqlmodel", "sqlalchemy", "pydantic", "rich"}})), file=sys.stderr)
"""


@pytest.mark.parametrize(("line", "loaded"), [
    ("kehu show 京东", ""),  # answered before Typer is imported
    ("kehu show --json 京东", "typer"),  # Typer's path: still no database stack
    ("kehu contract list 京", ""),
])
def test_completion_never_loads_the_database_stack(book, line, loaded):
    env = {"_KEHU_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(line.split(" ")) - 1),
           "KEHU_DB": str(book)}
    r = subprocess.run([sys.executable, "-c", PROBE.format(argv=[KEHU], env=env)], capture_output=True, text=True,
                       timeout=60, env=env_for())
    assert f"LOADED={loaded}\n" in r.stderr, r.stderr
    assert "北京京东世纪贸易有限公司" in r.stdout or "京东方科技集团" in r.stdout


def test_the_probe_sees_the_stack_when_a_command_runs(book):
    r = subprocess.run([sys.executable, "-c", PROBE.format(argv=[KEHU, "list"], env={"KEHU_DB": str(book)})],
                       capture_output=True, text=True, timeout=60, env=env_for())
    assert "sqlalchemy" in r.stderr.split("LOADED=")[1]


def typer_answer(line: str, shell: str = "bash") -> str:
    """The same request answered by Typer (in process: kehu.entry is not in the way)."""
    words = line.split(" ")
    env = ({"_KEHU_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
           if shell == "bash" else {"_KEHU_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line})
    r = CliRunner().invoke(app, [], env=env, prog_name="kehu")
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.mark.parametrize(("line", "shell"), [
    ("kehu show 京", "bash"), ("kehu show Ac", "bash"), ("kehu show 无", "bash"), ("kehu person show 杭", "bash"),
    ("kehu show 北京", "zsh"), ("kehu show Ac", "zsh"), ("kehu show 无", "zsh"), ("kehu show 北京", "fish"),
    ("kehu promise list 杭州", "fish"),
])
def test_the_early_answer_is_what_typer_would_print_for_names_beginning_with_the_word(book, line, shell):
    extra = ({"COMP_WORDS": line, "COMP_CWORD": str(len(line.split(" ")) - 1)} if shell == "bash"
             else {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"})
    r = subprocess.run([KEHU], capture_output=True, text=True, timeout=60,
                       env=env_for(_KEHU_COMPLETE=f"complete_{shell}", **extra))
    typed = line.rsplit(" ", 1)[1]
    fast = r.stdout
    if shell == "bash":  # Typer keeps only those that begin with the word; the early answer adds the rest after
        fast = "".join(w + "\n" for w in r.stdout.split("\n") if w.startswith(typed)) or "\n"
    os.environ.pop("_TYPER_COMPLETE_FISH_ACTION", None)
    if shell == "fish":
        os.environ["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    try:
        assert fast == typer_answer(line, shell)
    finally:
        os.environ.pop("_TYPER_COMPLETE_FISH_ACTION", None)


@pytest.mark.parametrize("kind", ["missing", "folder", "garbage", "foreign", "damaged", "server", "locked", "old"])
def test_an_unreadable_book_offers_nothing_and_says_nothing(book, tmp_path, kind):
    target = tmp_path / "other.db"
    if kind == "folder":
        target.mkdir()
    elif kind == "garbage":
        target.write_bytes(b"not a database at all" * 10)
    elif kind == "foreign":  # another program's SQLite database with a customer table
        with sqlite3.connect(target) as con:
            con.execute("CREATE TABLE customer (name TEXT, name_key TEXT, terminated_at TEXT)")
            con.execute("INSERT INTO customer VALUES ('京东X', '京东x', NULL)")
        con.close()
    elif kind == "damaged":  # kehu's header, garbage pages
        data = bytearray(book.read_bytes())
        data[100:] = b"\xff" * (len(data) - 100)
        target.write_bytes(bytes(data))
    elif kind == "server":
        target = "postgresql://nobody@127.0.0.1:1/none"
    elif kind in ("locked", "old"):
        target.write_bytes(book.read_bytes())
        with sqlite3.connect(target) as con:
            con.execute("PRAGMA journal_mode=DELETE")
        con.close()
    holder = None
    if kind == "locked":
        holder = sqlite3.connect(target, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
    if kind == "old":  # a book from before aliases (schema step 7): its names still come
        with sqlite3.connect(target) as con:
            con.execute("DROP TABLE customer_alias")
        con.close()
    try:
        r = bash("kehu show 京东", KEHU_DB=str(target))
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
    assert r.returncode == 0 and r.stderr == ""
    expected = ["京东方科技集团", "北京京东世纪贸易有限公司", "京东老客户"] if kind == "old" else []
    assert [w for w in r.stdout.split("\n") if w] == expected


def test_completion_writes_nothing(book):
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    journal = Path(str(book) + "-journal")
    assert offered("kehu show 京东")
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before and not journal.exists()


def test_the_default_book_is_where_kehu_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("KEHU_DB")
    assert completion.book_file(None) == str(book_path(None))
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert completion.book_file(None) == str(book_path(None))
    assert completion.book_file("~/b.db") == str(book_path("~/b.db"))
    monkeypatch.setenv("KEHU_DB", "postgresql://u@h/db")
    assert completion.book_file(None) is None


def _first_arguments(group, path=()):
    for name in list(group.commands):
        command = group.commands.built(name) if hasattr(group.commands, "built") else group.commands[name]
        if hasattr(command, "commands"):
            yield from _first_arguments(command, (*path, name))
        else:
            args = [p for p in command.params if p.param_type_name == "argument"]
            if args:
                yield (*path, name), args[0]


def test_every_customer_argument_completes_and_the_early_list_is_the_same_commands():
    firsts = dict(_first_arguments(typer.main.get_command(app)))
    completing = {path for path, arg in firsts.items() if arg._custom_shell_complete is not None}
    customers = {path for path, arg in firsts.items() if arg.name == "customer"}
    assert len(customers) > 20
    assert completing == customers == completion.COMMANDS


def test_a_book_path_with_uri_characters_is_read_as_that_file(book, tmp_path):
    odd = tmp_path / "a?b#c%41 d.db"
    odd.write_bytes(book.read_bytes())
    assert offered("kehu show 杭州", KEHU_DB=str(odd)) == ["杭州海康威视数字技术股份有限公司"]


def test_install_completion_then_a_tab_in_bash_offers_the_names(book, tmp_path):
    import shutil

    bash_exe = shutil.which("bash")
    assert bash_exe, "bash is needed for this test"
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = env_for(HOME=str(home), SHELL=bash_exe, KEHU_DB=str(book),
                  PATH=f"{Path(KEHU).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    # Typed at a bash prompt: Typer finds the shell among kehu's parent processes, so bash
    # must be the parent whatever runs the tests (a second command keeps bash from exec'ing kehu).
    r = subprocess.run([bash_exe, "-c", f"'{KEHU}' --install-completion; exit $?"], capture_output=True, text=True,
                       timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    script = home / ".bash_completions" / "kehu.sh"
    assert f"source '{script}'" in (home / ".bashrc").read_text()
    tab = (f"source '{script}'; COMP_WORDS=(kehu show 京东); COMP_CWORD=2; _kehu_completion kehu; "
           'printf "%s\\n" "${COMPREPLY[@]}"')
    r = subprocess.run([bash_exe, "--norc", "-c", tab], capture_output=True, text=True, timeout=60, env=env)
    assert r.stdout.splitlines() == ["京东方科技集团", "北京京东世纪贸易有限公司", "京东老客户"], r.stderr
