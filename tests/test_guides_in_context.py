"""Guides at the moment they apply (issue 19, DOMAIN §9), told as a salesperson's stories:
`kehu next` shows the guides of the customers on its page (below the list on a
terminal, on each item in JSON, never in the lines a script reads from a pipe), in one
batch; `kehu guide list` shows them for a customer or the whole book with their
checklists; and every guide `kehu playbook` lists is brought up by some command."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from kehu.errors import NotFound

pytestmark = pytest.mark.today("2026-11-23")
TTY = {"KEHU_TTY": "1", "COLUMNS": "80"}


def guides(kehu, *args) -> list[tuple[str, str]]:
    return [(g["key"], g["occasion"]) for g in kehu.json("guide", "list", *args)]


def to_growth(kehu, name: str) -> None:
    for _ in range(3):
        kehu("advance", name, "--force", "--reason", "老关系")


def to_mature(kehu, name: str) -> None:
    to_growth(kehu, name)
    kehu("advance", name, "--force", "--reason", "老关系")


# ------------------------------------------------------------------ kehu next


def test_next_shows_the_guides_of_the_customers_on_its_page(kehu):
    # Monday: 王磊 met 华东电网 once and agreed to visit 张总 next week.
    kehu("add", "华东电网", "--value", "500万")
    kehu("add", "浦发银行", "--value", "10万")
    r = kehu("touch", "华东电网", "--note", "电话沟通", "--next", "下周拜访张总", "--next-due", "-1d",
             "--date", "2026-11-10")
    assert "kehu playbook visit_plan" in r.stderr
    # On his terminal, `kehu next` lists what to do, then the guides for those customers.
    out = kehu("next", env=TTY).stdout
    lines = out.splitlines()
    start = lines.index("Guides for now")
    below = "\n".join(lines[start:])
    assert "next step N1: 下周拜访张总" in below and "kehu playbook visit_plan" in below
    assert "kehu playbook first_contact" in below  # one touch: still the first contacts
    assert "kehu guide dismiss CUSTOMER GUIDE" in below
    assert "N1" in "\n".join(lines[:start])  # the items come first
    assert all(cell_len(line) <= 80 for line in lines), out
    zh = kehu("--lang", "zh", "next", env=TTY).stdout
    assert "眼下适用的指南" in zh and "kehu playbook 拜访" in zh and "下一步 N1：下周拜访张总" in zh
    # In JSON each item carries its customer's guides; 浦发银行 has its own.
    items = kehu.json("next", "-n", "50")
    by = {i["customer"]: [(g["key"], g["occasion"]) for g in i["guides"]] for i in items}
    assert by["华东电网"] == [("visit_plan", "N1"), ("first_contact", "stage:stranger")]
    assert by["浦发银行"] == [("first_contact", "stage:stranger")]
    assert {"key": "visit_plan", "occasion": "N1", "because": "guide_because_next", "id": "N1",
            "text": "下周拜访张总"} in next(i for i in items if i["id"] == "N1")["guides"]
    # Piped, the items alone, one a line: a script reading them sees no guide.
    piped = kehu("next").stdout
    assert "playbook" not in piped and "Guides" not in piped
    assert piped and all(len(line.split("\t")) == 7 for line in piped.splitlines()), piped
    # Read it, dismissed for that visit: gone from next, the other guide stays.
    kehu("guide", "dismiss", "华东电网", "visit_plan")
    out = kehu("next", env=TTY).stdout
    assert "kehu playbook visit_plan" not in out and "kehu playbook first_contact" in out
    by = {i["customer"]: [g["key"] for g in i["guides"]] for i in kehu.json("next", "-n", "50")}
    assert by["华东电网"] == ["first_contact"]
    # The next visit is a new occasion: the plan is back.
    kehu("touch", "华东电网", "--next", "再次拜访张总", "--next-due", "+3d")
    by = {i["customer"]: [(g["key"], g["occasion"]) for g in i["guides"]] for i in kehu.json("next", "-n", "50")}
    assert ("visit_plan", "N2") in by["华东电网"]


def test_next_shows_a_customers_two_most_pressing_guides_and_says_where_the_rest_are(kehu):
    kehu("add", "华东电网")
    for _ in range(3):
        kehu("advance", "华东电网", "--force", "--reason", "老关系")
    kehu("complaint", "add", "华东电网", "发票开错", "--call-back", "+0d")
    every = [g["key"] for g in kehu.json("next")[0]["guides"]]
    assert every == ["complaint", "real_view", "project_target", "tender"]  # JSON: all of them
    out = kehu("next", env=TTY).stdout
    below = out[out.index("Guides for now"):]
    assert "kehu playbook complaint" in below and "kehu playbook real_view" in below
    assert "project_target" not in below and "kehu playbook tender" not in below
    assert "2 more guides" in below and "kehu guide list 1" in below


def test_next_shows_the_review_of_a_lost_deal_until_it_is_written_and_nothing_to_sell_after_the_end(kehu):
    kehu("add", "华东电网")
    to_growth(kehu, "华东电网")
    kehu("contract", "add", "华东电网", "二期", "--amount", "100万")
    kehu("contract", "lose", "1", "--reason", "预算取消")
    review = next(i for i in kehu.json("next", "-n", "50") if i["id"] == "V1")
    assert [g["key"] for g in review["guides"]] == ["project_review", "real_view", "project_target", "tender"]
    assert "kehu playbook project_review" in kehu("next", env=TTY).stdout
    # The relationship ends: the review is still owed, nothing is sold to them any more.
    kehu("drop", "华东电网", "--reason", "不再采购")
    assert guides(kehu) == [("project_review", "K1")]
    kehu("review", "1", "--results", "预算被砍", "--lessons", "更早确认预算")
    assert guides(kehu) == [] and kehu("guide", "list", "--all").stdout == ""


def test_the_guides_of_next_are_read_in_one_batch_whatever_the_page(kehu, monkeypatch):
    """The lookup costs the same few queries for one customer on the page as for eight."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from kehu.store import aftersale

    real = aftersale.guides_of
    calls: list[tuple[int, int]] = []

    def counted(s, ids, day):
        n = [0]

        def tick(*_):
            n[0] += 1

        event.listen(Engine, "before_cursor_execute", tick)
        try:
            return real(s, ids, day)
        finally:
            event.remove(Engine, "before_cursor_execute", tick)
            calls.append((len(set(ids)), n[0]))

    monkeypatch.setattr(aftersale, "guides_of", counted)
    kehu("add", "客户0")
    kehu("touch", "客户0", "--signal", "对工期有顾虑", "--next", "拜访", "--next-due", "-1d", "--date", "2026-11-01")
    kehu("next", "-n", "1", "--json")
    for i in range(1, 8):
        kehu("add", f"客户{i}")
        kehu("touch", f"客户{i}", "--signal", "对工期有顾虑", "--next", "拜访", "--next-due", "-1d",
             "--date", "2026-11-01")
        kehu("complaint", "add", f"客户{i}", "发票开错")
    kehu("next", "-n", "50", "--json")
    kehu("next", "-n", "50")  # piped: no guide is shown, none is looked up
    (one, q1), (eight, q8) = calls
    assert (one, eight) == (1, 8)
    assert q1 == q8 and q8 <= 10, calls


# ------------------------------------------------------------------ kehu guide list


def test_guide_list_shows_each_guide_in_context_with_its_checklist(kehu):
    kehu("add", "华东电网")
    kehu("person", "add", "华东电网", "张伟", "--role", "决策者")
    kehu("add", "浦发银行")
    # A complaint half handled, a lost deal half reviewed, a hosting being planned.
    kehu("complaint", "add", "华东电网", "二期交付延迟", "--person", "张伟")
    kehu("complaint", "step", "Q1", "listen", "confirm")
    kehu("contract", "add", "华东电网", "二期", "--amount", "100万")
    kehu("contract", "lose", "1", "--reason", "对手低价抢单")
    kehu("review", "1", "--background", "客户换了CIO")
    kehu("guide", "step", "华东电网", "project_review", "K1", "planning")
    kehu("touch", "华东电网", "--next", "邀请客户来总部考察", "--next-due", "+7d")
    kehu("guide", "step", "华东电网", "hq_visit", "N1", "plan")
    rows = kehu.json("guide", "list", "华东电网")
    assert [(r["key"], r["occasion"]) for r in rows] == [
        ("complaint", "Q1"), ("project_review", "K1"), ("hq_visit", "N1"), ("first_contact", "stage:stranger")]
    done = {r["key"]: r["steps_done"] for r in rows}
    assert done == {"complaint": ["listen", "confirm"], "project_review": ["background", "planning"],
                    "hq_visit": ["plan"], "first_contact": []}
    assert rows[0]["steps"] == ["listen", "confirm", "propose", "carry_out", "call_back", "close"]
    assert all(r["customer"] == "华东电网" and r["dismissed"] is False for r in rows)
    zh = kehu("--lang", "zh", "guide", "list", "华东电网", env=TTY).stdout
    assert "✓倾听 ✓确认细节 ·提出方案" in re.sub(r"\s+", " ", zh)
    assert "✓策划 ·评审" in re.sub(r"\s+", " ", zh) and all(cell_len(x) <= 80 for x in zh.splitlines())
    assert "陌生期" in zh and "stage:" not in zh  # a stage occasion in the reader's words
    # The whole book, in name order (浦发银行 has only its first contact).
    book = guides(kehu)
    assert book[-1] == ("first_contact", "stage:stranger") and len(book) == 5
    assert [r["customer"] for r in kehu.json("guide", "list")] == ["华东电网"] * 4 + ["浦发银行"]
    # Dismissed (the occasion as the list shows it): gone, except with --all, where it is marked.
    kehu("--lang", "zh", "guide", "dismiss", "华东电网", "初次接触", "--occasion", "陌生期")
    assert ("first_contact", "stage:stranger") not in guides(kehu, "华东电网")
    every = kehu.json("guide", "list", "华东电网", "--all")
    assert [(r["key"], r["dismissed"]) for r in every][-1] == ("first_contact", True)
    assert "Hidden" in kehu("guide", "list", "华东电网", "--all", env=TTY).stdout
    # Piped: one guide a line, tab-separated, with a header.
    piped = kehu("guide", "list", "华东电网").stdout.splitlines()
    assert piped[0].split("\t") == ["Guide", "Occasion", "Why", "Steps"] and piped[1].startswith("complaint\tQ1\t")
    # Handled and reviewed: nothing left for 华东电网 but the hosting.
    kehu("complaint", "resolve", "Q1")
    kehu("review", "1", "--results", "输在价格", "--lessons", "更早见到决策者")
    assert guides(kehu, "华东电网") == [("hq_visit", "N1")]


def test_guide_list_of_an_unknown_customer_is_one_line_and_an_empty_book_prints_nothing(kehu):
    kehu("add", "华东电网")
    kehu("guide", "dismiss", "华东电网", "first_contact")
    assert kehu("guide", "list").stdout == ""
    assert kehu.json("guide", "list") == []
    r = kehu("--lang", "zh", "guide", "list", "不存在的公司", code=int(NotFound.code))
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("kehu: ") and "Traceback" not in r.stderr


# ------------------------------------------------------------------ every guide, through a command
#
# Each story is what a salesperson types; it returns what kehu printed or listed, in which
# the guide must appear. A guide `kehu playbook` lists without a story here fails
# test_every_guide_has_a_story: a guide nobody is shown is dead text.


def _next_step(text):
    def story(kehu):
        return kehu("touch", "华东电网", "--next", text, "--next-due", "+3d").stderr
    return story


def _stage_listed(stage_steps, *extra):
    def story(kehu):
        stage_steps(kehu, "华东电网")
        for args in extra:
            kehu(*args)
        return json.dumps(kehu.json("guide", "list", "华东电网"))
    return story


def _objection(kehu):
    # Evaluation: the customer worries about the schedule; the touch names the guide.
    for _ in range(2):
        kehu("advance", "华东电网", "--force", "--reason", "老关系")
    r = kehu("touch", "华东电网", "--signal", "担心上线工期赶不上")
    assert "kehu playbook objection" in r.stderr
    return r.stderr + json.dumps(kehu.json("guide", "list", "华东电网"))


def _first_contact(kehu):
    return kehu("next", env=TTY).stdout


def _presentation(kehu):
    kehu("advance", "华东电网", "--force", "--reason", "老关系")  # acquainted
    listed = kehu("next", env=TTY).stdout
    kehu("done", "华东电网", "demo")  # shown the demo: the presentation guide has done its work
    assert "presentation" not in [k for k, _ in guides(kehu, "华东电网")]
    return listed


def _closing(kehu):
    # Growth: the assessment is done, so the deal is there to be closed.
    to_growth(kehu, "华东电网")
    assert "closing" not in [k for k, _ in guides(kehu, "华东电网")]
    kehu("done", "华东电网", "assess")
    listed = kehu("next", env=TTY).stdout
    assert ("closing", "stage:growth") in guides(kehu, "华东电网")
    # a mature customer closes again only while a new deal is under way
    kehu("advance", "华东电网", "--force", "--reason", "已签")
    assert "closing" not in [k for k, _ in guides(kehu, "华东电网")]
    kehu("contract", "add", "华东电网", "三期", "--amount", "50万")
    (kid,) = [c["id"] for c in kehu.json("contract", "list", "华东电网") if c["title"] == "三期"]
    # its occasion is that deal, and the reason says so (not "the customer is mature")
    assert ("closing", f"K{kid}") in guides(kehu, "华东电网")
    said = kehu("guide", "list", "华东电网").stdout
    assert f"a new contract, #{kid}, with a customer already won is not signed yet" in said
    return listed


def _real_view(kehu):
    # Evaluation and not one signal of what they think: read their real view.
    for _ in range(2):
        kehu("advance", "华东电网", "--force", "--reason", "老关系")
    listed = kehu("next", env=TTY).stdout
    assert ("real_view", "stage:evaluation") in guides(kehu, "华东电网")
    # Many questions on the proposal: they lean our way, nothing to read.
    kehu("touch", "华东电网", "--signal", "对方案提问很多", "--date", "2026-11-20")
    assert "real_view" not in [k for k, _ in guides(kehu, "华东电网")]
    # Then money trouble: both ways at once, a new occasion (the newest signal's touch),
    # as `kehu show` reads the view.
    kehu("touch", "华东电网", "--signal", "资金紧张")
    assert ("real_view", "T2") in guides(kehu, "华东电网")
    assert kehu.json("show", "华东电网")["signals"]["view"] == "mixed"
    kehu("guide", "dismiss", "华东电网", "real_view")
    assert "real_view" not in [k for k, _ in guides(kehu, "华东电网")]
    # A new signal that leaves it mixed (two for, two against) is a new occasion.
    kehu("touch", "华东电网", "--signal", "主动约我们下次交流", "--signal", "资金紧张")
    assert ("real_view", "T3") in guides(kehu, "华东电网")
    return listed


def _leading_position(kehu):
    to_mature(kehu, "华东电网")
    r = kehu("touch", "华东电网", "--signal", "友商在接触他们的IT部")
    assert "kehu playbook leading_position" in r.stderr
    return r.stderr


def _loyalty(kehu):
    to_mature(kehu, "华东电网")
    return kehu("show", "华东电网").stdout


def _maintenance(kehu):
    to_growth(kehu, "华东电网")
    kehu("contract", "add", "华东电网", "一期", "--amount", "100万", "--status", "signed", "--date", "2026-11-01")
    listed = json.dumps(kehu.json("guide", "list", "华东电网"))
    kehu("contract", "complete", "1")
    assert "maintenance" not in [k for k, _ in guides(kehu, "华东电网")]  # delivered: the review now
    return listed


def _complaint(kehu):
    return kehu("complaint", "add", "华东电网", "交付延迟").stderr


def _project_review(kehu):
    kehu("contract", "add", "华东电网", "二期", "--amount", "100万")
    return kehu("contract", "lose", "1", "--reason", "预算取消").stderr


def _low_price_rival(kehu):
    kehu("contract", "add", "华东电网", "二期", "--amount", "100万")
    return kehu("contract", "lose", "1", "--reason", "对手低价抢单").stderr


def _price_cut(kehu):
    # a request to cut the price: the touch names the guide, its occasion that touch
    r = kehu("touch", "华东电网", "--signal", "要求再降价5%")
    assert ("price_cut", "T1") in guides(kehu, "华东电网")
    return r.stderr


def _non_payment(kehu):
    kehu("contract", "add", "华东电网", "一期", "--amount", "100", "--status", "signed", "--date", "2026-10-01")
    kehu("contract", "plan", "1", "-i", "2026-11-01:100")
    assert "non_payment" in json.dumps(kehu.json("contract", "show", "1")["playbook"])
    return json.dumps(kehu.json("guide", "list", "华东电网"))


def _negotiation_topics(kehu):
    kehu("contract", "add", "华东电网", "二期", "--amount", "100万", "--status", "negotiating")
    kehu("negotiate", "issue", "1", "首付比例太高")
    return kehu("negotiate", "show", "1").stdout


STORIES = {
    "price_cut": (_price_cut, "kehu playbook price_cut"),
    "low_price_rival": (_low_price_rival, "kehu playbook low_price_rival"),
    "non_payment": (_non_payment, '"key": "non_payment", "occasion": "R1"'),
    "leading_position": (_leading_position, "kehu playbook leading_position"),
    "real_view": (_real_view, "kehu playbook real_view"),
    "visit_plan": (_next_step("下周上门拜访张总"), "kehu playbook visit_plan"),
    "hq_visit": (_next_step("邀请客户来总部参观"), "kehu playbook hq_visit"),
    "project_review": (_project_review, "kehu playbook project_review"),
    "tender": (_stage_listed(lambda k, c: [k("advance", c, "--force", "--reason", "x") for _ in range(2)]),
               '"key": "tender"'),
    "project_target": (_stage_listed(to_growth), '"key": "project_target"'),
    "complaint": (_complaint, "kehu playbook complaint"),
    "loyalty": (_loyalty, "kehu playbook loyalty"),
    "first_contact": (_first_contact, "kehu playbook first_contact"),
    "presentation": (_presentation, "kehu playbook presentation"),
    "objection": (_objection, '"key": "objection"'),
    "closing": (_closing, "kehu playbook closing"),
    "maintenance": (_maintenance, '"key": "maintenance"'),
    "negotiation_topics": (_negotiation_topics, "The topics of a commercial negotiation"),
}
# Guides of DOMAIN §9 no command brings up yet, each with the reason; keep this empty.
NOT_YET: dict[str, str] = {}


def test_every_guide_has_a_story():
    from kehu.rules.playbooks import TOPICS

    assert set(TOPICS) == set(STORIES) | set(NOT_YET), "a guide without a story that brings it up"
    assert not set(STORIES) & set(NOT_YET)


@pytest.mark.parametrize("key", sorted(STORIES))
def test_a_command_brings_up_the_guide(kehu, key):
    kehu("add", "华东电网")
    story, evidence = STORIES[key]
    assert evidence in story(kehu)
