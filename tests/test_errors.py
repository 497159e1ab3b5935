"""Exit codes are one enum, each documented and asserted; anticipated errors are one line."""

from __future__ import annotations

import ast
from pathlib import Path

from _books import writer_lock

from kehu import dates, errors, i18n, money
from kehu.errors import ExitCode, Refused
from kehu.i18n import error_message

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


def test_an_error_is_a_key_and_parameters_worded_at_the_boundary():
    err = Refused("contract_cannot", id=3, status="signed", action="draft")
    assert (err.key, err.params, err.code) == (
        "contract_cannot", {"id": 3, "status": "signed", "action": "draft"}, ExitCode.REFUSED)
    assert error_message(err, "en") == "contract #3 is signed: it cannot be put back to draft"
    assert error_message(err, "zh") == "合同 #3 处于已签，不能退回拟定"


def test_an_error_shows_its_cents_as_amounts():
    err = Refused("pay_too_much", id=7, owed=1_250_000, amount=1_300_000, excess=50_000)
    assert error_message(err, "en") == "contract #7 owes only 12,500; 13,000 is 500 too much: check the amount"


def _kehu_imports(module) -> set[str]:
    """The kehu modules a module (or all of a package's) imports, at the top or in a function."""
    path = Path(module.__file__)
    files = sorted(path.parent.glob("*.py")) if path.name == "__init__.py" else [path]
    found = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module == "kehu":
                found |= {f"kehu.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                found.add(node.module or "")
    return {name for name in found if name.split(".")[0] == "kehu"}


def test_errors_dates_money_and_i18n_import_one_way():
    # Every module raises errors, so errors imports nothing of kehu; dates and money only
    # raise them; i18n words them. None imports a module that imports it back.
    assert _kehu_imports(errors) == set()
    assert _kehu_imports(dates) == {"kehu.errors"}
    assert _kehu_imports(money) == {"kehu.errors"}
    outside = {name for name in _kehu_imports(i18n) if not name.startswith("kehu.i18n")}
    assert outside <= {"kehu.errors", "kehu.dates", "kehu.money", "kehu.rules.domain", "kehu.text"}


def test_click_usage_errors_exit_2(kehu):
    r = kehu("add", code=2)
    assert r.stderr == "kehu: missing NAME; see kehu add -h\n"
    r = kehu("list", "--bogus", code=2)
    assert r.stderr == "kehu: no such option: --bogus; see kehu list -h\n"


def test_bad_lang(kehu):
    r = kehu("--lang", "fr", "list", code=2)
    assert r.stderr == "kehu: --lang takes zh or en, not 'fr'\n"


def test_busy_book_exits_75_with_one_line(kehu, isolated_book, monkeypatch):
    kehu("add", "华为")
    monkeypatch.setattr("kehu.book.common.BUSY_TIMEOUT_MS", 200)
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
    # Not "after the change was saved": that was `kehu add`, another command (another Invocation).
    assert r.stderr == "kehu: Interrupted; nothing was written.\n"
    assert kehu.json("show", "华为")["touchpoints"] == []


def test_unexpected_bug_is_one_line_with_exit_70(kehu, monkeypatch):
    from kehu.store import customers

    kehu("add", "华为")
    monkeypatch.setattr(customers, "history", lambda *a: 1 / 0)
    r = kehu("history", "华为", code=70)
    assert r.stderr.startswith("kehu: Internal error in kehu (ZeroDivisionError")
    assert r.stderr.count("\n") == 1
