"""Every word kehu shows, in Chinese and English, and the parsing of enumerated values.

Enumerated values have a stable English key (code, JSON, CSV) and labels in both
languages. Input accepts the key, either label, or a short form a salesperson types
(峰会 for 举行高层峰会). Messages are looked up by key and formatted with parameters.

This module holds the functions. The catalog is data in the modules beside it:
``words`` (enum labels and their names, headings, history events) and one
``messages_*`` module per domain (values, customers, contracts, book); ``MESSAGES`` is
their union, and a key lives in exactly one of them (tests/test_i18n.py).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

# Five modules instead of one file cost about 0.8 ms more to import (1.2 -> 2.0 ms,
# medians); `kehu --help` and `--version` import none of them.
from kehu.i18n import messages_book, messages_contracts, messages_customers, messages_undo, messages_values
from kehu.i18n.words import ENUM_NAMES, EVENTS, LABELS, WEEKDAYS, WORDS
from kehu.rules.domain import ENUMS
from kehu.text import fold, printable

if TYPE_CHECKING:
    from kehu.errors import KehuError

LANGS = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    **messages_values.MESSAGES,
    **messages_customers.MESSAGES,
    **messages_contracts.MESSAGES,
    **messages_book.MESSAGES,
    **messages_undo.MESSAGES,
}


def current_lang(explicit: str | None = None) -> str:
    """--lang, else KEHU_LANG, else the locale. kehu's users are Chinese salespeople: it
    speaks Chinese unless something says otherwise. zh* is Chinese; a locale that names
    another language (en_US, de_DE) is English; the C and POSIX locales (servers, Docker,
    WSL, cron) name no language and are passed over, as is an unset one."""
    for value in (explicit, os.environ.get("KEHU_LANG")):
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value and not _no_language(value):
            return "zh" if value.lower().startswith("zh") else "en"
    return "zh"


def _no_language(locale: str) -> bool:
    """C, POSIX, C.UTF-8 and the like: a character set, no language."""
    base = locale.split(".", 1)[0].split("@", 1)[0]
    return base in ("C", "POSIX", "")


def _index(lang: str) -> int:
    return 0 if lang == "zh" else 1


def label(enum: str, key: str | None, lang: str) -> str:
    if key is None:
        return ""
    entry = LABELS.get(enum, {}).get(key)
    return entry[_index(lang)] if entry else key


def word(key: str, lang: str) -> str:
    return WORDS[key][_index(lang)]


def day_text(day, lang: str) -> str:
    """A day with its weekday, as kehu echoes a date it understood: 2026-12-09 周三."""
    return f"{day.isoformat()} {WEEKDAYS[day.weekday()][_index(lang)]}"


def event_label(key: str, lang: str) -> str:
    entry = EVENTS.get(key)
    return entry[_index(lang)] if entry else key


def message(key: str, lang: str, /, **params: object) -> str:
    """The message in ``lang``; parameters hold user text (names, notes, file names), so
    control characters in it are shown escaped (``kehu.text.printable``)."""
    template = MESSAGES.get(key)
    if template is None:
        return printable(key)
    try:
        return printable(template[_index(lang)].format(**params))
    except (KeyError, IndexError, ValueError):
        # A parameter the template names but the caller left out must not turn a
        # refusal into a traceback: show the template with what was given.
        given = ", ".join(f"{k}={v}" for k, v in params.items())
        return printable(f"{template[_index(lang)]} ({given})")


# Parameters of messages that hold an enumerated key, and the enum that labels them.
PARAM_ENUMS: dict[str, str] = {
    "stage": "stage",
    "tier": "tier",
    "level": "relationship_level",
    "kind": "touch_kind",
    "channel": "touch_channel",
    "status": "contract_status",
    "contract_status": "contract_status",
    "timing": "timing",
    "party": "party",
    "aspect": "aspect",
    "smart": "smart",
    "package": "package",
    "team_role": "team_role",
    "settlement": "settlement",
    "part": "plan_part",
    "action": "contract_action",
}
# Parameters that hold money as whole cents (an int); shown as an amount.
MONEY_PARAMS = frozenset({"amount", "total", "diff", "owed", "excess", "paid", "best", "compromise", "bottom"})


# At most this many column names in one message; the rest are counted.
MAX_COLUMNS_SHOWN = 10


def column_names(columns, lang: str) -> str:
    """(number, name) pairs as a list: a blank name as 「（空，第 N 列）」/"(empty: column N)",
    the first MAX_COLUMNS_SHOWN, then how many more."""
    shown = [name if name.strip() else message("csv_blank_column", lang, number=number)
             for number, name in columns[:MAX_COLUMNS_SHOWN]]
    text = ", ".join(shown)  # as before, in both languages
    if len(columns) > MAX_COLUMNS_SHOWN:
        text += message("csv_more_columns", lang, count=len(columns) - MAX_COLUMNS_SHOWN)
    return text


def labelled(key: str, lang: str, /, **params: object) -> str:
    """A message whose parameters may hold keys (shown as labels), cents (as amounts),
    a header's column names (kehu.errors.ColumnNames) and messages (kehu.errors.Said)."""
    from kehu.errors import ColumnNames, Said
    from kehu.money import show_amount

    shown = {}
    for name, value in params.items():
        if isinstance(value, ColumnNames):
            value = column_names(value, lang)
        elif isinstance(value, Said):
            value = labelled(value.key, lang, **value.params)
        elif name in PARAM_ENUMS and isinstance(value, str):
            value = label(PARAM_ENUMS[name], value, lang)
        elif value is None:
            value = "—"
        elif name in MONEY_PARAMS and type(value) is int:
            value = ("-" if value < 0 else "") + (show_amount(abs(value)) or "0")
        shown[name] = value
    return message(key, lang, **shown)


def error_message(error: KehuError, lang: str) -> str:
    """What a KehuError says in ``lang``: its key and parameters, labelled."""
    return labelled(error.key, lang, **error.params)


_ALIASES: dict[str, dict[str, str]] = {}


def _aliases(enum: str) -> dict[str, str]:
    table = _ALIASES.get(enum)
    if table is None:
        table = {}
        for key in ENUMS[enum]:
            table[fold(key)] = key
            for form in LABELS.get(enum, {}).get(key, ()):
                table.setdefault(fold(form), key)
        _ALIASES[enum] = table
    return table


def accepted(enum: str, lang: str) -> str:
    return ", ".join(f"{k} ({label(enum, k, 'zh')})" for k in ENUMS[enum])


def parse_enum(enum: str, value: str, lang: str = "en") -> str:
    """Turn a key, a label or a short form into the stable key, or raise UsageError."""
    from kehu.errors import UsageError

    key = _aliases(enum).get(fold(value))
    if key is None:
        what = ENUM_NAMES[enum][_index(lang)]
        raise UsageError("bad_enum", what=what, value=value, accepted=accepted(enum, lang))
    return key
