"""The pure rules of after the deal (rules.aftersale) and of guides in context (rules.guides)."""

from __future__ import annotations

from datetime import date

import pytest

from kehu.rules import aftersale as A
from kehu.rules import guides as G
from kehu.rules.playbooks import PLAYBOOKS
from kehu.rules.playbooks_after import STEPS

D = date(2026, 11, 23)


@pytest.mark.parametrize(("severity", "due"), [("high", date(2026, 11, 24)), ("medium", date(2026, 11, 26)),
                                               ("low", date(2026, 11, 30))])
def test_callback_due_by_severity(severity, due):
    assert A.callback_due(D, severity) == due


def test_complaint_steps_are_the_guides_steps_and_the_guides_sections():
    assert STEPS["complaint"] == A.COMPLAINT_STEPS
    assert len(PLAYBOOKS["complaint"].sections[0].points) == len(A.COMPLAINT_STEPS)
    assert A.REVIEW_PARTS[:4] == STEPS["project_review"]


@pytest.mark.parametrize(("done", "resolved", "state", "nxt"), [
    (set(), False, "open", "listen"),
    ({"listen", "confirm"}, False, "open", "propose"),
    ({"listen", "confirm", "propose", "carry_out", "call_back"}, False, "called_back", "close"),
    (set(A.COMPLAINT_STEPS), True, "resolved", None),
])
def test_complaint_state(done, resolved, state, nxt):
    assert A.complaint_state(done, resolved) == state
    assert A.next_step_of_complaint(done) == nxt


@pytest.mark.parametrize(("answers", "written"), [
    ({}, False), ({"results": "输在价格"}, False), ({"lessons": "早点见高层"}, False),
    ({"results": "输在价格", "lessons": " "}, False), ({"results": "输在价格", "lessons": "早点见高层"}, True),
])
def test_review_written(answers, written):
    assert A.review_written(answers) is written


@pytest.mark.parametrize(("set_days", "signed", "cycle"), [
    (90, [date(2025, 1, 1), date(2026, 1, 1)], (90, "set")),
    (None, [date(2024, 1, 1), date(2024, 7, 1), date(2025, 1, 1)], (183, "history")),
    (None, [date(2026, 1, 1)], (365, "default")),
    (None, [], (365, "default")),
])
def test_purchase_cycle(set_days, signed, cycle):
    assert A.purchase_cycle(set_days, signed) == cycle


def test_next_purchase_is_due_a_month_before_the_cycle_comes_round():
    assert A.next_purchase_due(date(2026, 1, 1), 365) == date(2026, 12, 2)
    assert A.next_purchase_due(date(2026, 1, 1), 10) == date(2026, 1, 2)  # never before the day after


@pytest.mark.parametrize(("signed", "why"), [
    ([(date(2025, 3, 1), 1000), (date(2026, 3, 1), 400)], ("decay_fell", {"share": 60})),
    ([(date(2025, 3, 1), 1000), (date(2026, 3, 1), 600)], None),
    ([(date(2024, 6, 1), 1000)], ("decay_quiet", {"days": 905, "cycle": 365})),
    ([(date(2026, 6, 1), 1000)], None),
    ([], None),
])
def test_decay(signed, why):
    assert A.decay(signed, 365, D) == why


def test_decay_is_monotone_in_what_was_signed_lately():
    before = [(date(2025, 3, 1), 1000)]
    fell = [x for x in range(0, 1001, 50) if A.decay(before + [(date(2026, 3, 1), x)], 365, D)]
    assert fell == list(range(0, 500, 50))


@pytest.mark.parametrize(("args", "ask"), [
    (("mature", 1, 0, 1, 0), True), (("growth", 1, 0, 1, 0), False), (("mature", 0, 0, 1, 0), False),
    (("mature", 1, 1, 1, 0), False), (("mature", 1, 0, 0, 0), False), (("mature", 1, 0, 1, 2), False),
])
def test_ask_for_referral_only_of_a_satisfied_mature_customer(args, ask):
    assert A.ask_for_referral(*args) is ask


def test_expansion():
    assert A.expansion("mature", 1, 0) and not A.expansion("mature", 1, 1) and not A.expansion("growth", 1, 0)


# --- guides in context -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "key"), [
    ("拜访张总，汇报方案", "visit_plan"), ("Visit the CIO", "visit_plan"), ("上门演示", "visit_plan"),
    ("邀请客户来总部考察", "hq_visit"), ("host their team at HQ", "hq_visit"), ("参观样板点", "hq_visit"),
    ("发会议纪要", None), ("send the revisited quote", None),
])
def test_next_step_guide(text, key):
    assert G.next_step_guide(text) == key


def keys(facts):
    return [(g.key, g.occasion) for g in G.applicable(facts)]


def test_each_stage_brings_its_guides():
    assert keys(G.Facts("stranger")) == [("first_contact", "stage:stranger")]
    assert keys(G.Facts("acquainted", touches=1)) == [("presentation", "stage:acquainted"),
                                                      ("first_contact", "stage:acquainted")]
    assert keys(G.Facts("evaluation", touches=5)) == [("tender", "stage:evaluation"),
                                                      ("presentation", "stage:evaluation")]
    assert keys(G.Facts("growth", touches=5)) == [("project_target", "stage:growth"), ("tender", "stage:growth")]
    assert keys(G.Facts("growth", tasks_done=frozenset({"assess"}))) == [
        ("closing", "stage:growth"), ("project_target", "stage:growth"), ("tender", "stage:growth")]
    assert keys(G.Facts("mature")) == [("loyalty", "stage:mature")]


def test_facts_bring_their_guides_with_their_occasion():
    f = G.Facts("mature", touches=9, next_steps=((12, "下周拜访王总"), (13, "请客户来总部考察"), (14, "发纪要")),
                signals=((40, 10, "友商在接触他们的IT部"), (41, 20, "对交付周期有顾虑")),
                contracts=((5, "lost", False), (6, "completed", True), (7, "negotiating", False)),
                open_complaints=(3,))
    assert keys(f) == [("complaint", "Q3"), ("project_review", "K5"), ("hq_visit", "N13"), ("visit_plan", "N12"),
                       ("leading_position", "T40"), ("objection", "T41"), ("closing", "K7"),
                       ("loyalty", "stage:mature")]


def test_an_old_rival_signal_is_no_attack_and_a_mature_customer_without_a_deal_has_no_objection_guide():
    f = G.Facts("mature", signals=((40, 400, "竞争对手来访"), (41, 3, "对报价有顾虑")))
    assert keys(f) == [("loyalty", "stage:mature")]


def test_an_ended_relationship_gets_no_selling_guide():
    f = G.Facts("growth", ended=True, next_steps=((12, "拜访"),), contracts=((5, "lost", False),),
                open_complaints=(3,), signals=((41, 3, "有异议"),))
    assert keys(f) == [("complaint", "Q3"), ("project_review", "K5")]


def test_a_reviewed_contract_asks_for_no_review():
    assert keys(G.Facts("stranger", touches=5, contracts=((5, "lost", True),))) == []


def test_dismissed_guides_stay_away_for_their_occasion_only():
    gs = G.applicable(G.Facts("growth", next_steps=((12, "拜访"), (13, "再拜访"))))
    left = G.not_dismissed(gs, {("visit_plan", "N12"), ("tender", "stage:evaluation")})
    assert [(g.key, g.occasion) for g in left] == [("visit_plan", "N13"), ("project_target", "stage:growth"),
                                                   ("tender", "stage:growth")]


def test_every_guide_in_context_is_a_playbook():
    assert set(G.ORDER) <= set(PLAYBOOKS)


@pytest.mark.parametrize(("facts", "expected"), [
    (dict(stage="evaluation", view="unknown"), ("real_view", "stage:evaluation", "guide_because_view_unknown")),
    (dict(stage="growth", view="mixed", view_at=40), ("real_view", "T40", "guide_because_view_mixed")),
    (dict(stage="growth", view="mixed"), ("real_view", "stage:growth", "guide_because_view_mixed")),
    (dict(stage="growth", view="for"), None),
    (dict(stage="evaluation", view="against"), None),
    (dict(stage="acquainted", view="unknown"), None),
    (dict(stage="mature", view="mixed", view_at=3), None),
    (dict(stage="growth", view=None), None),  # not read: nothing said
    (dict(stage="growth", view="mixed", view_at=3, ended=True), None),
])
def test_real_view_applies_while_a_deal_is_weighed_and_the_signals_are_mixed_or_absent(facts, expected):
    got = [(g.key, g.occasion, g.because) for g in G.applicable(G.Facts(**facts)) if g.key == "real_view"]
    assert got == ([expected] if expected else [])


@pytest.mark.parametrize(("contracts", "expected"), [
    (((5, "signed", False),), [("maintenance", "K5")]),
    (((5, "signed", False), (6, "signed", False)), [("maintenance", "K5"), ("maintenance", "K6")]),
    (((5, "completed", True), (6, "negotiating", False)), []),
])
def test_maintenance_applies_while_a_signed_contract_is_delivered(contracts, expected):
    gs = G.applicable(G.Facts("mature", contracts=contracts))
    assert [(g.key, g.occasion) for g in gs if g.key == "maintenance"] == expected
    assert not [g for g in G.applicable(G.Facts("mature", ended=True, contracts=contracts)) if g.key == "maintenance"]
