"""Exit codes are one enum, each documented and asserted; anticipated errors are one line."""

from __future__ import annotations

from pathlib import Path

from _books import writer_lock

from kehu.errors import ExitCode

DOCS = Path(__file__).resolve().parents[1] / "docs" / "exit-codes.md"


def test_exit_code_values_are_the_documented_contract():
    assert {c.name: int(c) for c in ExitCode} == {
        "OK": 0, "REFUSED": 1, "USAGE": 2, "DATAERR": 65, "NOINPUT": 66, "SOFTWARE": 70,
        "IOERR": 74, "TEMPFAIL": 75, "NOPERM": 77, "CONFIG": 78, "INTERRUPTED": 130,
    }


def test_every_exit_code_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} " in text, code


def test_click_usage_errors_exit_2(kehu):
    r = kehu("add", code=2)
    assert "Missing argument" in r.stderr
    r = kehu("list", "--bogus", code=2)
    assert "No such option" in r.stderr


def test_bad_lang(kehu):
    r = kehu("--lang", "fr", "list", code=2)
    assert r.stderr == "kehu: --lang takes zh or en, not 'fr'\n"


def test_busy_book_exits_75_with_one_line(kehu, isolated_book, monkeypatch):
    kehu("add", "华为")
    monkeypatch.setattr("kehu.db.BUSY_TIMEOUT_MS", 200)
    with writer_lock(isolated_book):
        r = kehu("add", "中兴", code=75)
        assert r.stderr == "kehu: The book is locked by another kehu process; try again in a moment.\n"
    assert [c["name"] for c in kehu.json("list")] == ["华为"]


def test_keyboard_interrupt_exits_130_and_writes_nothing(kehu, monkeypatch):
    from kehu.store import touchpoints

    kehu("add", "华为")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(touchpoints, "add_touch", interrupted)
    r = kehu("touch", "华为", "--kind", "daily", code=130)
    assert "Interrupted" in r.stderr
    assert kehu.json("show", "华为")["touchpoints"] == []


def test_unexpected_bug_is_one_line_with_exit_70(kehu, monkeypatch):
    from kehu.store import customers

    kehu("add", "华为")
    monkeypatch.setattr(customers, "history", lambda *a: 1 / 0)
    r = kehu("history", "华为", code=70)
    assert r.stderr.startswith("kehu: Internal error in kehu (ZeroDivisionError")
    assert r.stderr.count("\n") == 1
