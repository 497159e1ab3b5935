"""Issue 18, point 7 (DOMAIN §11): every number kehu invents is labelled kehu's own, in
`kehu config list`, in docs/methodology.md's table, and in every --explain (and refusal,
listing) that shows one, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kehu.settings import NOT_OWN, OWN_NUMBERS, SETTINGS, is_own

pytestmark = pytest.mark.today("2026-11-23")
DOCS = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"
MARK = {"zh": "kehu 自定", "en": "kehu's own"}


@pytest.fixture
def book(kehu):
    """A small book: a platinum customer in evaluation with an overdue promise and an
    open contract, and a stranger added in August that is going cold."""
    kehu("add", "华东电网", "--value", "500万", "--date", "2026-06-01")
    kehu("advance", "华东电网", "--force", "--reason", "老客户介绍", "--date", "2026-06-02")
    kehu("advance", "华东电网", "--force", "--reason", "已有方案", "--date", "2026-06-03")
    kehu("touch", "华东电网", "--kind", "exec_visit", "--date", "2026-11-02",
         "--promise", "寄送方案", "--promise-due", "2026-11-09")
    kehu("contract", "add", "华东电网", "数据平台", "--amount", "180万", "--status", "negotiating")
    kehu("add", "西部矿业", "--value", "10万", "--date", "2026-08-01")
    return kehu


EXPLAINED = [
    ("tier", "--explain", "华东电网"),  # the small-book floor, the chances, effort's weights and cadences
    ("remind", "--explain"),  # the urgency weights, on every line of a pipe
    ("followup", "explain", "P1"),  # the same for one item
    ("funnel",),  # the days before a stage goes cold
    ("forecast",),  # the chances of signing
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_explanation_says_the_numbers_are_kehus_own(book, lang):
    missing = [args for args in EXPLAINED if MARK[lang] not in book("--lang", lang, *args).stdout]
    assert missing == []
    # on a terminal, remind --explain says it once, in the legend, not on every row
    out = book("--lang", lang, "remind", "--explain", env={"KEHU_TTY": "1", "COLUMNS": "200"}).stdout
    assert out.count(MARK[lang]) == 1, out
    # the trust gate of growth names its threshold as kehu's
    err = book("--lang", lang, "advance", "华东电网", code=1).stderr
    assert MARK[lang] in err and "trust.threshold" in err, err


def test_tier_explain_json_names_the_own_settings(book):
    own = book.json("tier", "--explain", "华东电网")["own_numbers"]
    assert own and all(is_own(k.rstrip("*")) for k in own)


# ---------------------------------------------------------------- config list


def test_config_list_marks_kehus_own_numbers(kehu):
    book = kehu
    kehu("add", "华为")
    data = book.json("config", "list")
    assert data["trust.threshold"]["own"] is True and data["kind_weight.summit"]["own"] is True
    assert data["role_weight.decider"]["own"] is True and data["cold_days.growth"]["own"] is True
    assert data["tier.cuts"]["own"] is False and data["contract.currency"]["own"] is False
    for lang in ("zh", "en"):
        lines = book("--lang", lang, "config", "list").stdout.splitlines()
        header = lines[0].split("\t")
        assert header[3] == {"zh": "自定", "en": "own"}[lang]
        cells = {line.split("\t")[0]: line.split("\t")[3] for line in lines[1:]}
        assert cells["forecast.growth"] == "✓" and cells["tier.cuts"] == ""
        # on a terminal, the legend says what the ✓ means
        screen = book("--lang", lang, "config", "list", env={"KEHU_TTY": "1", "COLUMNS": "80"}).stdout
        assert MARK[lang] in screen.splitlines()[-1] and "✓" in screen.splitlines()[-1]


def test_every_setting_is_classified_as_kehus_own_or_not():
    unclassified = [k for k in SETTINGS if not SETTINGS[k].own and k not in NOT_OWN]
    assert unclassified == []
    assert not any(is_own(k) for k in NOT_OWN)
    assert all(SETTINGS[k].own == is_own(k) for k in SETTINGS)


# ---------------------------------------------------------------- the docs' table


def test_the_docs_table_lists_every_own_setting_with_its_default():
    text = DOCS.read_text(encoding="utf-8").split("## 11. kehu's own numbers", 1)[1]
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| number")]
    named = set(re.findall(r"`([a-z_]+\.[a-z_<>]+)`", "\n".join(rows)))
    for key, spec in SETTINGS.items():
        if not spec.own:
            continue
        family = key.split(".", 1)[0]
        assert key in named or any(n.startswith(family + ".<") for n in named), key
    # the numbers the seeds do not give, by DOMAIN §11's list, each with its own row
    for number in ("trust threshold", "cadence per tier", "depth weights", "role weights",
                   "chance of signing per stage", "days before a stage goes cold", "urgency weights",
                   "after-sale delay", "pool clocks", "small-book minimums", "signal windows",
                   "attitude weight", "cell factors"):
        assert any(row.startswith(f"| {number}") for row in rows), number
    # a number that is not a setting says why
    for row in rows:
        if "not configurable" in row:
            assert len(row.split("|")[4].strip()) > 20, row


def test_own_numbers_prefixes_are_written_as_keys_or_families():
    assert all(re.fullmatch(r"[a-z_]+\.([a-z_]+)?", k) for k in OWN_NUMBERS)


# ---------------------------------------------------------------- urgency weights as settings


def test_urgency_weights_are_settings_that_reorder_the_agenda(kehu):
    """A salesperson who finds next steps matter more than promises says so: the next
    step, due the same day, then comes first, and the explanation shows the weight."""
    kehu("add", "华为")
    kehu("touch", "华为", "--date", "2026-11-02", "--promise", "寄资料", "--promise-due", "2026-11-20",
         "--next", "约演示", "--next-due", "2026-11-20")
    assert [r["id"] for r in kehu.json("remind", "--within", "0")][:2] == ["P1", "N1"]  # 1.5 > 1.2
    kehu("config", "set", "urgency_kind.下一步", "2")  # the item kind's Chinese name
    ranked = kehu.json("remind", "--within", "0")
    assert [r["id"] for r in ranked][:2] == ["N1", "P1"]
    assert ranked[0]["urgency_parts"]["kind"] == 2.0
    assert "kind 2 ×" in kehu("--lang", "en", "followup", "explain", "N1").stdout
    kehu("config", "set", "urgency_tier.铅", "3")
    assert kehu.json("remind", "--within", "0")[0]["urgency_parts"]["tier"] == 3.0


@pytest.mark.parametrize("key", ["urgency_tier.platinum", "urgency_kind.promise", "urgency_stage.growth"])
@pytest.mark.parametrize("value", ["0", "10.5", "x"])
def test_an_urgency_weight_outside_0_1_to_10_is_refused(kehu, key, value):
    r = kehu("--lang", "en", "config", "set", key, value, code=2)
    assert r.stderr.startswith(f"kehu: Invalid value '{value}' for {key} (a number from 0.1 to 10)")
