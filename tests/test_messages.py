"""Every message the code can show exists in both languages, with the same parameters.

kehu.i18n.message falls back to printing the bare key when a key is missing, so a typo
in a key, or a message added in one language only, would reach a user as
"customer_not_fuond". This reads every place in src/kehu that names a message key (an
error raised, a notice, a rule's refusal, blocker, warning or suggestion) and checks the
catalog.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from kehu import i18n

SRC = Path(__file__).resolve().parent.parent / "src" / "kehu"

# Callables whose first argument is a message key: the errors, the functions that format
# or print a message, and the rules' decisions that carry one.
KEY_FIRST = {
    "KehuError", "Refused", "NotFound", "Ambiguous", "Conflict", "UsageError", "DataError", "NoBook",
    "IOFailure", "Busy", "NoPermission", "SchemaError",
    "message", "labelled", "_msg", "notify",
    "Refusal", "Blocker", "Warning", "Suggestion",
}
KEY_SECOND = {"say"}  # say(ctx, key, ...)


def _keys(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys(node.body) + _keys(node.orelse)
    return []


def _used() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            position = 0 if name in KEY_FIRST else 1 if name in KEY_SECOND else None
            if position is None or len(node.args) <= position:
                continue
            for key in _keys(node.args[position]):
                found.append((str(path.relative_to(SRC)), node.lineno, key))
    return found


USED = _used()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_reader_finds_the_keys():
    # Several hundred places name a message; a reader that found few would prove nothing.
    assert len(USED) > 250
    assert any(key == "customer_not_found" for *_, key in USED)


@pytest.mark.parametrize(("where", "line", "key"), USED, ids=[f"{w}:{n}:{k}" for w, n, k in USED])
def test_a_key_the_code_uses_is_in_the_catalog(where, line, key):
    assert key in i18n.MESSAGES, f"{where}:{line} names the message {key!r}, which the catalog lacks"


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
def test_a_message_has_both_languages_with_the_same_parameters(key):
    zh, en = i18n.MESSAGES[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en), key
