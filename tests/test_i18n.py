"""Labels and messages in both languages, and parsing of enumerated values.

Pure: kehu.i18n and kehu.rules.domain only. The alias table is rebuilt here from
i18n.LABELS independently, so a collision cannot hide behind the code's setdefault.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
import unicodedata

import pytest

from kehu import i18n
from kehu.errors import ExitCode, UsageError
from kehu.rules.domain import ENUMS

ENUM_KEYS = [(enum, key) for enum, keys in ENUMS.items() for key in keys]


def fold(value: str) -> str:
    """How input is compared: NFKC, trimmed, case-folded; '-' and ' ' are '_'."""
    return (
        unicodedata.normalize("NFKC", value).strip().casefold().replace("-", "_").replace(" ", "_")
    )


# --- labels -------------------------------------------------------------------------------


def test_every_enum_has_labels_and_a_name():
    assert set(ENUMS) <= set(i18n.LABELS)
    assert set(i18n.LABELS) <= set(ENUMS)
    for enum in ENUMS:
        zh, en = i18n.ENUM_NAMES[enum]
        assert zh and en


@pytest.mark.parametrize(("enum", "key"), ENUM_KEYS)
def test_every_key_has_a_zh_and_an_en_label(enum, key):
    forms = i18n.LABELS[enum][key]
    assert len(forms) >= 2
    zh, en = forms[0], forms[1]
    assert zh.strip() and en.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{enum}.{key} zh label {zh!r}"
    assert en.isascii(), f"{enum}.{key} en label {en!r}"
    assert i18n.label(enum, key, "zh") == zh
    assert i18n.label(enum, key, "en") == en


@pytest.mark.parametrize("enum", list(ENUMS))
def test_labels_have_no_keys_outside_the_enum(enum):
    assert set(i18n.LABELS[enum]) == set(ENUMS[enum])


@pytest.mark.parametrize("enum", list(ENUMS))
def test_no_alias_maps_to_two_keys(enum):
    owner: dict[str, set[str]] = {}
    for key in ENUMS[enum]:
        for form in (key, *i18n.LABELS[enum][key]):
            owner.setdefault(fold(form), set()).add(key)
    collisions = {alias: keys for alias, keys in owner.items() if len(keys) > 1}
    assert collisions == {}


@pytest.mark.parametrize(
    ("enum", "key", "lang", "text"),
    [
        ("stage", "growth", "zh", "成长期"),
        ("stage", "growth", "en", "growth"),
        ("touch_kind", "summit", "zh", "举行高层峰会"),
        ("role", "coach", "zh", "内线"),
        ("lifecycle", "existing", "zh", "存量客户"),
        ("stage", None, "zh", ""),
        ("stage", "unheard_of", "en", "unheard_of"),  # unknown keys show as themselves
    ],
)
def test_label(enum, key, lang, text):
    assert i18n.label(enum, key, lang) == text


# --- parse_enum ---------------------------------------------------------------------------


@pytest.mark.parametrize(("enum", "key"), ENUM_KEYS)
def test_parse_enum_accepts_key_and_both_labels(enum, key):
    zh, en = i18n.LABELS[enum][key][:2]
    assert i18n.parse_enum(enum, key) == key
    assert i18n.parse_enum(enum, zh) == key
    assert i18n.parse_enum(enum, en) == key
    assert i18n.parse_enum(enum, key.upper()) == key
    assert i18n.parse_enum(enum, en.upper()) == key
    assert i18n.parse_enum(enum, f"  {zh}  ") == key


@pytest.mark.parametrize(("enum", "key"), ENUM_KEYS)
def test_parse_enum_accepts_every_listed_short_form(enum, key):
    for form in i18n.LABELS[enum][key][2:]:
        assert i18n.parse_enum(enum, form) == key, form


@pytest.mark.parametrize(
    ("enum", "text", "key"),
    [
        ("touch_kind", "峰会", "summit"),
        ("touch_kind", "高层峰会", "summit"),
        ("touch_kind", "Executive Summit", "summit"),
        ("touch_kind", "ＳＵＭＭＩＴ", "summit"),  # full-width
        ("touch_kind", "ｓｕｍｍｉｔ", "summit"),
        ("touch_kind", "team-event", "team_event"),
        ("touch_kind", "Team Event", "team_event"),
        ("touch_kind", "TEAM_EVENT", "team_event"),
        ("touch_kind", "微信", "daily"),
        ("touch_kind", "reference-site visit", "showcase"),
        ("person_level", "高层", "executive"),
        ("person_level", "Executive", "executive"),
        ("person_level", "基层", "staff"),
        ("role", "决策者", "decider"),
        ("role", "DECIDER", "decider"),
        ("role", "内线", "coach"),
        ("role", "technical gatekeeper", "technical"),
        ("stage", "成长", "growth"),
        ("stage", "Mature", "mature"),
        ("task", "电话", "call"),
        ("task", "应标", "proposal"),
        ("relationship_level", "优先", "preferred"),
        ("relationship_level", "preferred supplier", "preferred"),
        ("attitude", "支持", "support"),
        ("factor", "靠谱", "reliability"),
        ("promise_state", "已兑现", "kept"),
    ],
)
def test_parse_enum_forms_any_case_and_width(enum, text, key):
    assert i18n.parse_enum(enum, text) == key


@pytest.mark.parametrize(
    ("enum", "text"),
    [
        ("stage", "bogus"),
        ("stage", ""),
        ("touch_kind", "高层"),  # a level, not a kind of touchpoint
        ("person_level", "峰会"),
        ("role", "decide"),
        ("touch_kind", "summit!"),
    ],
)
def test_parse_enum_refuses_unknown_values(enum, text):
    with pytest.raises(UsageError) as info:
        i18n.parse_enum(enum, text)
    err = info.value
    assert err.key == "bad_enum"
    assert err.code == ExitCode.USAGE
    assert err.params["value"] == text
    message = i18n.error_message(err, "en")
    for key in ENUMS[enum]:
        assert key in message
    assert text in message


def test_unknown_stage_message_lists_accepted_values_exactly():
    with pytest.raises(UsageError) as info:
        i18n.parse_enum("stage", "bogus")
    assert i18n.error_message(info.value, "en") == (
        "Unknown stage: bogus. Accepted: stranger (陌生期), acquainted (建立期), "
        "evaluation (考察期), growth (成长期), mature (成熟期)"
    )


def test_unknown_value_message_in_chinese():
    with pytest.raises(UsageError) as info:
        i18n.parse_enum("person_level", "老板", lang="zh")
    assert i18n.error_message(info.value, "zh") == (
        "无法识别的层级：老板。可用：高层、中层、基层"
    )
    assert i18n.parse_enum("person_level", "中层", lang="zh") == "middle"  # what it lists is accepted


# --- messages -----------------------------------------------------------------------------


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
def test_message_has_the_same_placeholders_in_both_languages(key):
    zh, en = i18n.MESSAGES[key]
    assert fields(zh) == fields(en)


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_message_formats(key, lang):
    zh, en = i18n.MESSAGES[key]
    numeric = {
        name for tpl in (zh, en) for _, name, spec, _ in string.Formatter().parse(tpl) if name and spec
    }
    params = {name: 1.5 if name in numeric else f"<{name}>" for name in fields(zh) | fields(en)}
    text = i18n.message(key, lang, **params)
    assert text.strip()
    assert "{" not in text and "}" not in text  # nothing left unfilled
    for name in fields(zh if lang == "zh" else en) - numeric:
        assert f"<{name}>" in text


def test_message_exact():
    # the threshold is kehu's own number, and says so (issue 18, DOMAIN §11)
    assert i18n.message("blocked_trust", "en", score=12.3, threshold=40.0) == (
        "trust 12.3 is below the 40.0 needed for growth (kehu's own threshold, trust.threshold)"
    )
    assert i18n.message("blocked_trust", "zh", score=12.3, threshold=40.0) == (
        "信用 12.3 低于进入成长期所需的 40.0（kehu 自定的门槛，trust.threshold）"
    )


def test_every_message_module_is_in_the_catalog_and_no_key_is_in_two():
    # A key in two modules would be a silent override: the dict union keeps the last one.
    names = [m.name for m in pkgutil.iter_modules(i18n.__path__) if m.name.startswith("messages")]
    assert len(names) >= 2
    union: dict[str, tuple[str, str]] = {}
    for name in names:
        part = importlib.import_module(f"kehu.i18n.{name}").MESSAGES
        assert not union.keys() & part.keys(), name
        union.update(part)
    assert union == i18n.MESSAGES


def test_unknown_message_key_shows_the_key():
    assert i18n.message("no_such_message", "en") == "no_such_message"


def test_every_rule_key_has_a_message():
    # Blocker and suggestion keys produced by the pure rules must all be translatable.
    keys = {
        "blocked_terminated",
        "blocked_final_stage",
        "blocked_task",
        "blocked_trust",
        "blocked_contract",
        "already_terminated",
        "not_terminated",
        "tip_rate_people",
        "tip_show_expertise",
        "tip_add_people",
        "tip_keep_overdue",
        "tip_opposing",
        "tip_know_them",
        "tip_keep_promises",
        "tip_no_recent_contact",
        "tip_deeper_kind",
        "tip_reach_levels",
        "tip_time",
        "tip_single_point",
        "ambiguous_date",
        "bad_date",
        "bad_amount",
        "bad_enum",
    }
    assert keys <= set(i18n.MESSAGES)


@pytest.mark.parametrize(("env", "lang"), [
    ({}, "zh"),  # nothing says otherwise: Chinese
    ({"LANG": "C"}, "zh"), ({"LANG": "POSIX"}, "zh"), ({"LANG": "C.UTF-8"}, "zh"), ({"LC_ALL": "C.utf8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_TW.Big5"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "de_DE.UTF-8"}, "en"), ({"LANG": "en_GB@euro"}, "en"),
    ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "en"),  # C names no language: the next one does
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),  # the first that names one wins
    ({"LANG": "en_US.UTF-8", "KEHU_LANG": "zh"}, "zh"), ({"KEHU_LANG": "en"}, "en"),
])
def test_chinese_unless_something_says_otherwise(monkeypatch, env, lang):
    from kehu.i18n import current_lang

    for var in ("KEHU_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert current_lang(None) == lang
    assert current_lang("en") == "en" and current_lang("zh") == "zh"


def test_a_bare_server_speaks_chinese(kehu):
    r = kehu("list", env={"KEHU_LANG": "", "LANG": "C.UTF-8"}, code=66)
    assert r.stderr.startswith(("kehu: 账本不存在", "kehu: 数据库"))  # (a book file; a server book)
