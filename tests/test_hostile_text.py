"""Control characters in names and notes (issue: terminal injection), and invisible ones.

A name with a control character or an invisible format character (Unicode Cf: bidi
controls, zero-width space, word joiner, U+FEFF, tags...; ZWJ and ZWNJ included) is
refused as typed; text that is already in a book (a
note, an old book, a colleague's server book) is shown with each control character
escaped (``kehu.text.printable``: ``\\x1b``, ``\\x9b``, ``\\u202e``) on every output a
terminal may show, and kept exact, as ``\\uXXXX`` escapes, in ``--json``. Text keeps
ZWJ and ZWNJ (U+200D, U+200C) as they are: emoji sequences and Persian or Indic writing
need them, and they only decide how the characters beside them join.
"""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
from pathlib import Path

import pytest


JOINERS = "\u200c\u200d"


def hidden(c: str) -> bool:
    """A character a terminal acts on or shows as nothing: a control (tab and newline are
    layout) or a format character (Cf) other than the joiners."""
    category = unicodedata.category(c)
    return (category == "Cc" and c not in "\t\n") or (category == "Cf" and c not in JOINERS)


def printable(text: str) -> str:
    """The documented form, written out independently of kehu.text.printable: each
    such character as Python writes it in a string literal."""
    return "".join(repr(c)[1:-1] if hidden(c) and text[i:i + 2] != "\r\n" else c for i, c in enumerate(text))

ENV = {"KEHU_TODAY": "2026-11-23"}

HOSTILE = [
    "a\x01b",
    "\x1b[2J",  # clear the screen
    "\x1b]0;title\x07",  # retitle the window
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 link
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52: write the clipboard
    "\u009b31m",  # C1 CSI
    "\u0085",  # C1 NEL
    "x\x7fy",  # DEL
    "\u202eevil\u202c",  # right-to-left override
    "\u2066isolate\u2069",
    "\u200f",  # right-to-left mark
    "one\rtwo",  # a lone carriage return rewrites the line
    "zero\u200bwidth",  # invisible: 华为 and 华\u200b为 look alike
    "\ufeffbom",
    "word\u2060joiner\u2063",
    "soft\xadhyphen",
    "tag\U000e0041\U000e0042",  # tags: a message no one sees
]
IDS = [s.encode("unicode_escape").decode("ascii") for s in HOSTILE]

def raw_controls(text: str) -> list[str]:
    """Code points a terminal would act on or show as nothing (tabs and newlines are
    layout, not data)."""
    return [c for c in text if hidden(c)]


def no_raw(*texts: str) -> None:
    for text in texts:
        assert raw_controls(text) == [], text


# ------------------------------------------------------------------ refused as names


@pytest.mark.parametrize("bad", ["a\x01b", "\x1b[2J", "\u009b31m", "x\x7fy", "\u202eevil", "\u2066i\u2069",
                                 "华\u200b为", "\ufeffACME", "a\u2060b", "华\u200d为", "a\u200cb", "t\U000e0041"],
                         ids=["soh", "csi", "c1-csi", "del", "rlo", "isolate",
                              "zwsp", "bom", "word-joiner", "zwj", "zwnj", "tag"])
def test_a_control_character_in_a_name_is_refused(kehu, bad) -> None:
    kehu("add", "ACME", env=ENV)
    cases = [
        ("add", f"n{bad}"),
        ("person", "add", "ACME", f"p{bad}"),
        ("contract", "add", "ACME", f"t{bad}", "--amount", "100"),
        ("edit", "ACME", "--name", f"n{bad}"),
        ("--as", f"me{bad}", "add", "Other"),
        ("assign", "ACME", f"o{bad}"),
    ]
    for args in cases:
        r = kehu(*args, code=2, env=ENV)
        assert r.stdout == ""
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("kehu: "), r.stderr
        assert "U+" in r.stderr
        no_raw(r.stderr)
    shown = kehu.json("show", "ACME", env=ENV)
    assert shown["name"] == "ACME" and shown["people"] == [] and shown["contracts"] == []
    assert shown["owner"] is None
    assert [c["name"] for c in kehu.json("list", env=ENV)] == ["ACME"]


def test_the_refusal_is_in_the_users_language(kehu) -> None:
    zh = kehu("--lang", "zh", "add", "a\x1b[2J", code=2).stderr
    en = kehu("--lang", "en", "add", "a\x1b[2J", code=2).stderr
    assert "控制字符" in zh and "U+001B" in zh
    assert "control character" in en and "U+001B" in en


def test_an_invisible_character_is_refused_in_the_users_language(kehu) -> None:
    zh = kehu("--lang", "zh", "add", "华\u200b为", code=2).stderr
    en = kehu("--lang", "en", "add", "华\u200b为", code=2).stderr
    assert "不可见字符" in zh and "U+200B" in zh
    assert "invisible" in en and "U+200B" in en


def test_every_format_character_is_escaped_or_refused() -> None:
    # Against this Python's own Unicode table: the list in kehu.text misses none.
    import sys

    from kehu.text import first_control
    from kehu.text import printable as kehu_printable

    cf = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(cf) > 150 and "\u200b" in cf and "\ufeff" in cf
    for c in cf:
        assert first_control(f"a{c}b") == f"U+{ord(c):04X}", f"U+{ord(c):04X}"
        assert kehu_printable(f"a{c}b") == (f"a{c}b" if c in JOINERS else f"a{repr(c)[1:-1]}b"), f"U+{ord(c):04X}"


def test_joiners_in_text_are_shown_as_written(kehu) -> None:
    family, persian = "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    kehu("add", "ACME", "--note", f"{family} {persian}", env=ENV)
    assert f"{family} {persian}" in kehu("show", "ACME", env=ENV).stdout
    assert kehu.json("show", "ACME", env=ENV)["note"] == f"{family} {persian}"


def test_white_space_in_a_name_is_still_folded_not_refused(kehu) -> None:
    kehu("add", "a\tb\nc\rd\x0be\x1cf\x85g", env=ENV)
    assert kehu.json("show", "1", env=ENV)["name"] == "a b c d e f g"


def test_a_csv_import_refuses_the_cell_with_file_and_line(kehu, tmp_path) -> None:
    kehu("add", "Existing", env=ENV)
    path = tmp_path / "customers.csv"
    path.write_text("name,note\nGood,ok\nBad\x1b[2J,x\n", encoding="utf-8")
    r = kehu("import", str(path), code=None, env=ENV)
    assert r.exit_code != 0
    assert f"{path}:3:" in r.stderr and "U+001B" in r.stderr
    no_raw(r.stdout, r.stderr)
    assert [c["name"] for c in kehu.json("list", env=ENV)] == ["Existing"]  # all rows or none


def test_a_csv_import_refuses_a_new_customer_named_in_a_touchpoints_file(kehu, tmp_path) -> None:
    path = tmp_path / "touchpoints.csv"
    path.write_text("customer,date,kind\nBad\u202e,2026-11-20,daily\n", encoding="utf-8")
    kehu("add", "Existing", env=ENV)
    r = kehu("import", str(path), "--create-missing", code=None, env=ENV)
    assert r.exit_code != 0
    assert f"{path}:2:" in r.stderr and "U+202E" in r.stderr
    no_raw(r.stdout, r.stderr)
    assert [c["name"] for c in kehu.json("list", env=ENV)] == ["Existing"]


# ------------------------------------------------------------------ shown escaped


def _hostile_book(kehu, tmp_path: Path, bad: str) -> None:
    """A customer whose note holds ``bad`` (typed), and whose name holds it too (an old
    book or another program wrote it: set with SQL, past every check)."""
    kehu("add", "ACME", "--note", f"note {bad} end", "--date", "2026-11-01", env=ENV)
    kehu("touch", "ACME", "--kind", "daily", "--date", "2026-11-20",
         "--next", f"next {bad} end", "--next-due", "2026-11-25", env=ENV)
    with sqlite3.connect(os.environ["KEHU_DB"]) as db:
        db.execute("UPDATE customer SET name = ? WHERE name = 'ACME'", (f"ACME{bad}",))


@pytest.fixture
def sqlite_only():
    from conftest import BACKEND

    if BACKEND != "sqlite":
        pytest.skip("writes the book with sqlite3")


@pytest.mark.parametrize("bad", HOSTILE, ids=IDS)
def test_text_already_in_a_book_is_shown_escaped(kehu, tmp_path, sqlite_only, bad) -> None:
    _hostile_book(kehu, tmp_path, bad)
    shown = printable(f"ACME{bad}")
    assert printable(bad) != bad and raw_controls(printable(bad)) == []
    outputs = {
        "show": kehu("show", "1", env=ENV),
        "list": kehu("list", env=ENV),
        "remind": kehu("remind", env=ENV),
        "next": kehu("next", env=ENV),
        "show tty": kehu("show", "1", env={**ENV, "KEHU_TTY": "1", "COLUMNS": "300"}),
        "list tty": kehu("list", env={**ENV, "KEHU_TTY": "1", "COLUMNS": "300"}),
        "remind tty": kehu("remind", env={**ENV, "KEHU_TTY": "1", "COLUMNS": "300"}),
        # stderr: a confirmation and a refusal that quote the name
        "done": kehu("done", "1", "plan", env=ENV),
        "not found": kehu("show", f"zz{bad}", code=1, env=ENV),
    }
    for r in outputs.values():
        no_raw(r.stdout, r.stderr)
    assert shown in outputs["show"].stdout and printable(f"note {bad} end") in outputs["show"].stdout
    assert shown in outputs["list"].stdout
    assert shown in outputs["remind"].stdout and printable(f"next {bad} end") in outputs["remind"].stdout
    assert printable(f"note {bad} end") in outputs["show tty"].stdout
    assert shown in outputs["done"].stderr
    assert repr(f"zz{bad}") in outputs["not found"].stderr  # this message quotes as Python does
    # the plain output keeps one record per line
    assert len(outputs["remind"].stdout.splitlines()) == len(kehu.json("remind", env=ENV))


@pytest.mark.parametrize("bad", HOSTILE, ids=IDS)
def test_json_keeps_the_text_exact_and_escaped(kehu, tmp_path, sqlite_only, bad) -> None:
    _hostile_book(kehu, tmp_path, bad)
    outs = {args[0]: kehu(*args, "--json", env=ENV).stdout for args in (("show", "1"), ("list",), ("remind",))}
    no_raw(*outs.values())
    show, listed, due = (json.loads(outs[k]) for k in ("show", "list", "remind"))
    assert show["name"] == f"ACME{bad}" and show["note"] == f"note {bad} end"
    assert listed[0]["name"] == f"ACME{bad}"
    assert {i["customer"] for i in due} == {f"ACME{bad}"}


@pytest.mark.parametrize("bad", HOSTILE, ids=IDS)
def test_the_calendar_file_is_escaped(kehu, tmp_path, sqlite_only, bad) -> None:
    _hostile_book(kehu, tmp_path, bad)
    path = tmp_path / "kehu.ics"
    kehu("remind", "--ics", str(path), env=ENV)
    text = path.read_bytes().decode("utf-8")
    no_raw(text.replace("\r\n", "\n"))
    from icalendar import Calendar

    [event] = list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert printable(f"ACME{bad}") in str(event["SUMMARY"])


# ------------------------------------------------------------------ the one function


@pytest.mark.parametrize(("text", "shown"), [
    ("plain 华为 text", "plain 华为 text"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("a\x1b[2Jb", "a\\x1b[2Jb"),
    ("cr\r", "cr\\r"),
    ("crlf\r\nline", "crlf\r\nline"),
    ("\x00\x7f\u0085\u009b", "\\x00\\x7f\\x85\\x9b"),
    ("\u202e\u2066\u2069\u200e\u200f\u061c", "\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c"),
    ("华\u200b为\ufeff\u2060\xad", "华\\u200b为\\ufeff\\u2060\\xad"),
    ("tag\U000e0041", "tag\\U000e0041"),
    ("\U0001f468\u200d\U0001f469 a\u200cb", "\U0001f468\u200d\U0001f469 a\u200cb"),
    ("already \\x1b escaped", "already \\x1b escaped"),
])
def test_printable(text, shown) -> None:
    from kehu.text import printable
    assert printable(text) == shown
    assert printable(shown) == shown
    assert globals()["printable"](text) == shown  # the tests' own copy says the same


# ------------------------------------------------------------------ settings


def test_a_setting_planted_in_the_book_never_reaches_the_terminal_raw(kehu, isolated_book) -> None:
    # A value kehu would never store (another tool, a colleague's psql on a server book):
    # a data error naming the setting, its value escaped, and `config set` mends it. It was
    # an internal error for every command, and `config get` printed values unescaped.
    from _books import execute

    kehu("add", "ACME", env=ENV)
    execute(isolated_book, ('INSERT INTO setting ("key", value) VALUES (\'contract.currency\', :v)',
                            {"v": "\x1b]0;pwned\x07\x1b[2J"}))
    for args in (("config", "get", "contract.currency"), ("config", "list"), ("list",),
                 ("--lang", "zh", "config", "get", "contract.currency")):
        r = kehu(*args, code=65, env=ENV)
        assert r.stdout == "" and r.stderr.count("\n") == 1, r.stderr
        no_raw(r.stderr)
        assert "'\\x1b]0;pwned\\x07\\x1b[2J'" in r.stderr and "contract.currency" in r.stderr
        assert "kehu config set contract.currency" in r.stderr
    assert "账本中设置 contract.currency" in r.stderr
    kehu("config", "set", "contract.currency", "usd", env=ENV)
    assert kehu("config", "get", "contract.currency", env=ENV).stdout == "USD\n"


def test_config_get_prints_through_printable(kehu, monkeypatch) -> None:
    # Today's parsers leave no control character in a value; the line that prints one
    # escapes it all the same (a value that parsed to text with an ESC in it).
    from kehu import settings

    kehu("add", "ACME", env=ENV)
    assert callable(settings.show_value)  # where `config get` looks it up, at each call
    monkeypatch.setattr(settings, "show_value", lambda value: f"{value}\x1b[2J\u200b")
    r = kehu("config", "get", "contract.currency", env=ENV)
    assert r.stdout == "CNY\\x1b[2J\\u200b\n"


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("接触日期（默认今天）：2026-03-05、昨天", 22, ["接触日期（默认今天）：", "2026-03-05、昨天"]),  # the date whole
    ("见到的人（多人时重复使用）。", 14, ["见到的人（多人", "时重复使用）。"]),  # never ）。 at a start
    ("一二三四五（六", 12, ["一二三四五", "（六"]),  # never （ at an end
    ("用 --promise-due 指定", 14, ["用", "--promise-due", "指定"]),  # an option whole, at a space
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # longer than a line: cut
    ("第一段\n第二段", 80, ["第一段", "第二段"]),
    ("", 10, [""]),
])
def test_help_text_wraps_by_columns_never_inside_a_word(text, width, lines):
    from kehu.text import cell_width, wrap_cells

    assert wrap_cells(text, width) == lines
    assert all(cell_width(line) <= width for line in lines)
