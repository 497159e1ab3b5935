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
from kehu.i18n import (
    messages_after, messages_book, messages_contracts, messages_customers, messages_names, messages_report,
    messages_screens, messages_undo, messages_values,
)
from kehu.i18n.words import ENUM_NAMES, EVENTS, LABELS, WEEKDAYS, WORDS
from kehu.rules.domain import ENUMS
from kehu.text import fold, printable

if TYPE_CHECKING:
    from kehu.errors import KehuError

LANGS = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    **messages_values.MESSAGES,
    **messages_screens.MESSAGES,
    **messages_customers.MESSAGES,
    **messages_contracts.MESSAGES,
    **messages_book.MESSAGES,
    **messages_undo.MESSAGES,
    **messages_names.MESSAGES,
    **messages_report.MESSAGES,
    **messages_after.MESSAGES,
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


def template(key: str, lang: str) -> str:
    """A message's format string in ``lang``, for a listing that formats one message
    tens of thousands of times: the caller formats it with plain values and makes the
    whole output printable once (``kehu.text.printable_join``), as message() would each."""
    return MESSAGES[key][_index(lang)]


def message(key: str, lang: str, /, **params: object) -> str:
    """The message in ``lang``; parameters hold user text (names, notes, file names), so
    control characters in it are shown escaped (``kehu.text.printable``).

    In Chinese, three parameters that came in English are worded: ``error`` (an operating
    system's error text), ``fields`` (the fields an edit changed, joined by ", ") and
    ``expected`` (what a setting expects)."""
    template = MESSAGES.get(key)
    if template is None:
        return printable(key)
    if lang == "zh":
        for name, turn in (("error", os_error_text), ("fields", fields_text), ("expected", expected_text)):
            value = params.get(name)
            if isinstance(value, str):
                params[name] = turn(value, lang)
    try:
        return printable(template[_index(lang)].format(**params))
    except (KeyError, IndexError, ValueError):
        # A parameter the template names but the caller left out must not turn a
        # refusal into a traceback: show the template with what was given.
        given = ", ".join(f"{k}={v}" for k, v in params.items())
        return printable(f"{template[_index(lang)]} ({given})")


_OS_ERRORS: dict[str, str] = {}


def os_error_text(text: str, lang: str) -> str:
    """An operating system's error text (``OSError.strerror``) in ``lang``: the C library
    words it in English whatever the language, so in Chinese it is looked up by its errno
    (one kehu has no words for reads "系统错误 <errno>"). Any other text is left as it is."""
    if lang != "zh":
        return text
    if not _OS_ERRORS:
        import errno

        from kehu.i18n.plain_words import OS_ERRORS_ZH

        for code, name in sorted(errno.errorcode.items()):
            _OS_ERRORS.setdefault(os.strerror(code), OS_ERRORS_ZH.get(name, f"系统错误 {code}"))
    return _OS_ERRORS.get(text, text)


def field_label(name: str, lang: str) -> str:
    from kehu.i18n.plain_words import FIELDS

    entry = FIELDS.get(name)
    return entry[_index(lang)] if entry else name


def fields_text(text: str, lang: str) -> str:
    """'note, next_due' (the fields an edit changed) as 备注、下一步截止."""
    from kehu.i18n.plain_words import FIELDS

    names = [n.strip() for n in text.split(",")]
    if not all(n in FIELDS for n in names):
        return text
    return ("、" if lang == "zh" else ", ").join(field_label(n, lang) for n in names)


def expected_text(text: str, lang: str) -> str:
    from kehu.i18n.plain_words import EXPECTED_ZH

    return EXPECTED_ZH.get(text, text) if lang == "zh" else text


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
    "state": "promise_state",
    "fact": "qualification",
    "verdict": "verdict",
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
    """What may be typed: in Chinese the Chinese labels, in English the keys and their labels."""
    if lang == "zh":
        return "、".join(label(enum, k, "zh") for k in ENUMS[enum])
    return ", ".join(f"{k} ({label(enum, k, 'zh')})" for k in ENUMS[enum])


def parse_enum(enum: str, value: str, lang: str = "en") -> str:
    """Turn a key, a label or a short form into the stable key, or raise UsageError."""
    from kehu.errors import UsageError

    key = _aliases(enum).get(fold(value))
    if key is None:
        what = ENUM_NAMES[enum][_index(lang)]
        raise UsageError("bad_enum", what=what, value=value, accepted=accepted(enum, lang))
    return key


# The settings whose names end in a stage, a tier or a touchpoint kind: typed in Chinese too.
_SETTING_ENUMS = {"cadence": "tier", "kind_weight": "touch_kind", "cold_days": "stage", "forecast": "stage",
                  "role_weight": "role", "urgency_tier": "tier", "urgency_kind": "item_kind", "urgency_stage": "stage"}


def setting_key(typed: str) -> str:
    """The setting a user means: `forecast.成长期` is forecast.growth, `cadence.白金`
    cadence.platinum (a label or short form of the stage, tier or kind, as elsewhere);
    anything else as typed."""
    prefix, dot, rest = typed.strip().partition(".")
    enum = _SETTING_ENUMS.get(fold(prefix))
    if not dot or enum is None:
        return typed
    key = _aliases(enum).get(fold(rest))
    return f"{fold(prefix)}.{key}" if key is not None else typed
