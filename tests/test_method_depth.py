"""Issue 18, point 7: the depth weights of the ten ways and the role weights are kehu's
own numbers (DOMAIN §5, §11), plausible, configurable, and what the docs say they are.

The table of weights itself, and the monotone properties under any valid weights, are in
tests/test_rules_trust.py; here are the salesperson's stories and the settings."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kehu.rules.trust import PersonFacts, TouchFacts, TrustParams, customer_trust

pytestmark = pytest.mark.today("2026-11-23")
TODAY = date(2026, 11, 23)
DOCS = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"


def _met_once(kehu, name: str, kind: str) -> None:
    kehu("add", name)
    kehu("person", "add", name, "王总", "--level", "高层", "--role", "决策者")
    kehu("touch", name, "--kind", kind, "--with", "王总", "--date", "2026-11-02")


def test_met_at_an_executive_visit_is_at_least_as_deep_as_invited_to_a_forum(kehu):
    """Two accounts alike in all but one thing: I met 王总 of the first when our general
    manager visited him, and invited 王总 of the second to our trade-show forum. The
    visit is the deeper tie (DOMAIN §5), so its trust is at least the forum's."""
    _met_once(kehu, "东方电气", "exec_visit")
    _met_once(kehu, "西部矿业", "forum")
    visit, forum = kehu.json("trust", "东方电气"), kehu.json("trust", "西部矿业")
    assert visit["factors"]["connection"] > forum["factors"]["connection"]
    assert visit["score"] >= forum["score"]
    # the weights are settings and still override: make the forum count 20
    kehu("config", "set", "kind_weight.forum", "20")
    conn = {name: kehu.json("trust", name)["factors"]["connection"] for name in ("东方电气", "西部矿业")}
    assert conn["西部矿业"] > conn["东方电气"]


@pytest.mark.parametrize(("deeper", "lighter"), [("exec_visit", "forum"), ("summit", "forum"),
                                                 ("exec_visit", "hq_visit"), ("showcase", "topic"),
                                                 ("exec_visit", "exec_letter")])
def test_a_deeper_way_never_scores_below_a_lighter_one_other_things_equal(deeper, lighter):
    boss = PersonFacts(1, "王总", level="executive", role="decider", competence=4)

    def score(kind: str) -> float:
        touches = [TouchFacts(date(2026, 9, 1), "daily", frozenset({1})),
                   TouchFacts(date(2026, 11, 2), kind, frozenset({1}))]
        return customer_trust([boss], touches, [], TODAY).score

    assert score(deeper) > score(lighter)


def test_the_tip_steps_up_the_seeds_list_and_always_deeper():
    """After a call: a topic session; after a forum (3): a reference visit (5), never a
    letter from our executive (2), which is lighter than the forum."""
    boss = PersonFacts(1, "王总", level="executive", role="decider", competence=5)

    def tip(kind: str) -> str:
        touches = [TouchFacts(day, kind, frozenset({1})) for day in (date(2026, 6, 1), date(2026, 11, 2))]
        ct = customer_trust([boss], touches, [], TODAY)
        assert ct.weakest == "connection"
        return next(s.params["kind"] for s in ct.suggestions if s.key == "tip_deeper_kind")

    assert [tip(k) for k in ("daily", "exec_letter", "forum", "topic", "hq_visit", "exec_visit")] == [
        "topic", "topic", "showcase", "showcase", "exec_visit", "summit"]


# ---------------------------------------------------------------- role weights as settings


def _two_people(kehu) -> None:
    kehu("add", "华为")
    kehu("person", "add", "华为", "张总", "--level", "高层", "--role", "决策者")
    kehu("person", "add", "华为", "小李", "--level", "基层", "--role", "使用者")
    kehu("person", "rate", "华为", "张总", "2")
    kehu("person", "rate", "华为", "小李", "5")
    kehu("touch", "华为", "--kind", "daily", "--with", "小李", "--date", "2026-11-02")


def test_role_weights_are_settings_that_change_the_roll_up(kehu):
    _two_people(kehu)
    before = kehu.json("trust", "华为")["factors"]
    assert before["competence"] == pytest.approx((3 * 0.4 + 1 * 1.0) / 4, abs=1e-3)
    kehu("config", "set", "role_weight.使用者", "3")  # the role's Chinese name, as for the other families
    after = kehu.json("trust", "华为")["factors"]
    assert after["competence"] == pytest.approx((3 * 0.4 + 3 * 1.0) / 6, abs=1e-3)
    # 小李, the only one met, now reaches as far as the decider: connection rises
    assert after["connection"] > before["connection"]
    assert kehu("config", "get", "role_weight.user").stdout == "3\n"


@pytest.mark.parametrize("value", ["0", "0.05", "11", "x", "nan"])
def test_a_role_weight_outside_0_1_to_10_is_refused(kehu, value):
    r = kehu("--lang", "en", "config", "set", "role_weight.decider", value, code=2)
    assert r.stderr.startswith(f"kehu: Invalid value '{value}' for role_weight.decider (a number from 0.1 to 10)")


def test_role_weight_none_is_a_person_with_no_role(kehu):
    kehu("add", "华为")
    kehu("person", "add", "华为", "某人", "--level", "中层")
    kehu("person", "add", "华为", "张总", "--level", "高层", "--role", "决策者")
    kehu("person", "rate", "华为", "某人", "5")
    kehu("person", "rate", "华为", "张总", "1")
    before = kehu.json("trust", "华为")["factors"]["competence"]
    kehu("config", "set", "role_weight.none", "3")
    assert (before, kehu.json("trust", "华为")["factors"]["competence"]) == pytest.approx(
        ((3 * 0.2 + 1 * 1.0) / 4, (3 * 0.2 + 3 * 1.0) / 6), abs=1e-3)


def test_heavy_role_weights_keep_every_factor_within_0_and_1():
    """r is a role's weight over the heaviest: set to 10, a decider reaches 1, not 10/3."""
    people = [PersonFacts(1, "a", role="decider"), PersonFacts(2, "b", role="user")]
    touches = [TouchFacts(date(2026, 11, d), "summit", frozenset({1, 2})) for d in range(1, 20)]
    heavy = TrustParams(role_weights={"decider": 10, "influencer": 10, "technical": 10, "procurement": 10,
                                      "coach": 10, "user": 10, None: 10})
    ct = customer_trust(people, touches, [], TODAY, heavy)
    assert all(0 <= v <= 1 for v in ct.factors.as_dict().values())
    # all roles equal: a user counts as much as a decider in the noisy-or
    deciders = [PersonFacts(1, "a", role="decider"), PersonFacts(2, "b", role="decider")]
    assert ct.factors.connection == pytest.approx(customer_trust(deciders, touches, [], TODAY).factors.connection)


# ---------------------------------------------------------------- the docs' worked example


def test_the_worked_example_in_the_docs_prints_what_the_docs_say(capsys):
    text = DOCS.read_text(encoding="utf-8")
    code = re.search(r"The same calculation run through the rules module.*?```python\n(.*?)```", text, re.S)[1]
    printed = re.search(r"\nprints\n\n```\n(.*?)```", text, re.S)[1]
    ns: dict = {}
    exec(compile(code, "methodology.md", "exec"), ns)  # noqa: S102 - the docs' own example
    assert capsys.readouterr().out == printed
    # and its table of what changes would do (three of its rows, recomputed)
    rows = dict(re.findall(r"^\| (.+?) \| (\d+\.\d\d) \|$", text.split("What changes would do", 1)[1], re.M))
    people, touches, promises = [ns["zhang"], ns["li"]], ns["touches"], ns["promises"]
    call = TouchFacts(date(2026, 11, 21), "daily", frozenset({2}))
    assert {k: rows[k] for k in ("none", "one more `daily` call with 李工 on 11-21",
                                 "nothing done for 30 days (the promise is now overdue; reliability ¾)")} == {
        "none": f"{ns['t'].score:.2f}",
        "one more `daily` call with 李工 on 11-21":
            f"{customer_trust(people, [*touches, call], promises, TODAY).score:.2f}",
        "nothing done for 30 days (the promise is now overdue; reliability ¾)":
            f"{customer_trust(people, touches, promises, date(2026, 12, 23)).score:.2f}",
    }
