"""Contracts and money through the command line: add, plan, sign (and the mature gate),
lose, complete (and the after-sale visit), pay, receivables, tier value, forecast."""

from __future__ import annotations

import json

import pytest

TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def pinned_today(isolated_book, monkeypatch):
    """Every command runs on TODAY unless a test passes another KEHU_TODAY in env."""
    monkeypatch.setenv("KEHU_TODAY", TODAY)


def on(day: str) -> dict:
    return {"KEHU_TODAY": day}


def contract(kehu, ident, env=None) -> dict:
    return json.loads(kehu("contract", "show", str(ident), "--json", env=env).stdout)


def book_state(kehu, customer, ident) -> tuple:
    """What a refused command must leave exactly as it was."""
    return contract(kehu, ident), kehu.json("history", customer)


def one_line(result) -> str:
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("kehu: ")
    return result.stderr


def growth_customer(kehu, name, tasks=("needs", "proposal", "assess")):
    """A customer forced up to growth, with the given growth tasks done."""
    kehu("add", name)
    for _ in range(3):
        kehu("advance", name, "--force", "--reason", "老客户转介绍")
    for task in tasks:
        kehu("done", name, task)
    assert kehu.json("show", name)["stage"] == "growth"


def signed_with_plan(kehu, name="华为"):
    """Contract 1: 1,234.56 CNY, signed today, three instalments (400 + 400 + 434.56)."""
    kehu("add", name)
    kehu("contract", "add", name, "服务器采购", "--amount", "1,234.56")
    kehu("contract", "plan", "1", "-i", "2026-12-01:400", "-i", "2027-01-01:400", "-i", "2027-02-01:434.56")
    kehu("contract", "sign", "1")


def instalments(kehu, ident=1, env=None) -> list[tuple[str, str, str]]:
    return [(i["due"], i["amount"], i["paid"]) for i in contract(kehu, ident, env)["instalments"]]


# ------------------------------------------------------------------ add / list / show / edit


def test_add_defaults_to_a_draft_in_cny(kehu):
    kehu("add", "华为")
    r = kehu("contract", "add", "华为", "服务器采购", "--amount", "12万")
    assert r.stderr == "Added contract #1 for 华为: 服务器采购, 120,000 CNY\n"
    data = contract(kehu, 1)
    assert {k: data[k] for k in ("id", "customer", "title", "amount", "currency", "status", "signed_on",
                                 "planned", "paid", "owed", "overdue", "instalments", "playbook")} == {
        "id": 1, "customer": "华为", "title": "服务器采购", "amount": "120000.00", "currency": "CNY",
        "status": "draft", "signed_on": None, "planned": "0.00", "paid": "0.00", "owed": "0.00",
        "overdue": "0.00", "instalments": [], "playbook": None,
    }
    last = kehu.json("history", "华为")[-1]
    assert last["kind"] == "contract_added"
    assert last["detail"] == {"contract": 1, "title": "服务器采购", "amount": "120000.00", "currency": "CNY",
                              "status": "draft"}


def test_the_currency_setting_changes_the_default(kehu):
    kehu("add", "华为")
    kehu("config", "set", "contract.currency", "HKD")
    kehu("contract", "add", "华为", "港岛项目", "--amount", "100")
    kehu("contract", "add", "华为", "美国项目", "--amount", "100", "--currency", "usd")
    assert [c["currency"] for c in kehu.json("contract", "list")] == ["HKD", "USD"]


def test_add_negotiating_and_signed_on_a_date(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "谈判中的", "--amount", "100", "--status", "negotiating")
    r = kehu("contract", "add", "华为", "已签的", "--amount", "200", "--status", "已签", "--date", "2026-10-01")
    assert "Contract #2 signed with 华为: 已签的, 200 CNY" in r.stderr
    assert [(c["status"], c["signed_on"]) for c in kehu.json("contract", "list")] == [
        ("negotiating", None), ("signed", "2026-10-01")]
    r = kehu("contract", "add", "华为", "x", "--amount", "1", "--date", "2026-10-01", code=2)
    assert "--date is the signing day: use it with --status signed" in one_line(r)
    r = kehu("contract", "add", "华为", "x", "--amount", "1", "--status", "completed", code=2)
    assert "not completed" in one_line(r)
    assert len(kehu.json("contract", "list")) == 2


def test_add_for_an_unknown_customer_or_with_a_bad_amount(kehu):
    kehu("add", "华为")
    assert "No customer matches '无名'" in one_line(kehu("contract", "add", "无名", "x", "--amount", "1", code=1))
    for bad in ("abc", "-5", "0.001", "1e3"):
        r = kehu("contract", "add", "华为", "x", "--amount", bad, code=2)
        assert f"Cannot read the amount '{bad}'" in one_line(r)
    assert kehu.json("contract", "list") == []


def test_a_zero_amount_is_refused_in_the_users_words(kehu):
    kehu("add", "华为")
    message = one_line(kehu("contract", "add", "华为", "x", "--amount", "0", code=2))
    assert "amount" in message
    assert "amount_cents" not in message  # an internal field name is no help to a user
    assert kehu.json("contract", "list") == []


def test_list_filters_by_customer_status_and_overdue(kehu):
    kehu("add", "华为")
    kehu("add", "中兴")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    kehu("contract", "add", "中兴", "B", "--amount", "100", "--status", "negotiating")
    kehu("contract", "add", "华为", "C", "--amount", "100", "--status", "signed")
    kehu("contract", "plan", "3", "-i", "2026-12-01:100")
    kehu("contract", "add", "华为", "D", "--amount", "100", "--status", "signed")
    kehu("contract", "plan", "4", "-i", "2027-03-01:100")

    def ids(*args, env=None):
        return [c["id"] for c in json.loads(kehu("contract", "list", *args, "--json", env=env).stdout)]

    assert ids() == [1, 2, 3, 4]
    assert ids("华为") == [1, 3, 4]
    assert ids("中兴") == [2]
    assert ids("--status", "signed") == [3, 4]
    assert ids("华为", "--status", "拟定") == [1]
    assert ids("--overdue") == []
    assert ids("--overdue", env=on("2026-12-02")) == [3]
    assert "Unknown contract status: nope" in one_line(kehu("contract", "list", "--status", "nope", code=2))
    out = kehu("contract", "list", "--overdue", env=on("2026-12-11")).stdout
    assert out.splitlines()[1:] == ["3\t华为\tC\tsigned\t100 CNY\t0\t100, 10 days late\t2026-11-23"]


def test_show_prints_the_terms(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "服务器采购", "--amount", "12万", "--expected", "2026-12-15",
         "--note", "含三年维保")
    out = kehu("contract", "show", "1").stdout
    assert out.splitlines() == [
        "# 服务器采购", "ID\t1", "Customer\t#1 华为", "Status\tdraft", "Amount\t120,000 CNY",
        "Expected signing\t2026-12-15", "Note\t含三年维保",
    ]
    out = kehu("--lang", "zh", "contract", "show", "1").stdout
    assert out.splitlines()[3:5] == ["状态\t拟定", "金额\t120,000 CNY"]
    assert "no contract 99" in one_line(kehu("contract", "show", "99", code=1))
    assert "no contract x" in one_line(kehu("contract", "show", "x", code=1))


def test_edit_amount_only_while_open_and_unplanned(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    kehu("contract", "edit", "1", "--amount", "12万", "--title", "A2")
    assert (contract(kehu, 1)["amount"], contract(kehu, 1)["title"]) == ("120000.00", "A2")
    kehu("contract", "plan", "1", "-i", "2026-12-01:12万")
    before = book_state(kehu, "华为", 1)
    r = kehu("contract", "edit", "1", "--amount", "5", code=1)
    assert "contract #1 has a payment plan that would no longer add up" in one_line(r)
    assert book_state(kehu, "华为", 1) == before
    kehu("contract", "sign", "1")
    before = book_state(kehu, "华为", 1)
    r = kehu("contract", "edit", "1", "--amount", "5", code=1)
    assert "contract #1 is signed: its amount is fixed" in one_line(r)
    assert book_state(kehu, "华为", 1) == before
    kehu("contract", "edit", "1", "--title", "服务器采购二期")  # the title may still change
    assert contract(kehu, 1)["title"] == "服务器采购二期"


def test_edit_status_between_draft_and_negotiating(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    kehu("contract", "edit", "1", "--status", "negotiating")
    assert contract(kehu, 1)["status"] == "negotiating"
    kehu("contract", "edit", "1", "--status", "拟定")
    assert contract(kehu, 1)["status"] == "draft"
    before = book_state(kehu, "华为", 1)
    r = kehu("contract", "edit", "1", "--status", "signed", code=2)
    assert "--status here takes draft, negotiating, not signed" in one_line(r)
    assert "Nothing to change" in one_line(kehu("contract", "edit", "1", code=2))
    assert book_state(kehu, "华为", 1) == before
    kinds = [e["kind"] for e in kehu.json("history", "华为")]
    assert kinds == ["created", "contract_added", "contract_negotiating", "contract_draft"]


# ------------------------------------------------------------------ exact amounts and plans


@pytest.mark.parametrize("typed, stored, shown", [
    ("12万", "120000.00", "120,000"),
    ("1,234.56", "1234.56", "1,234.56"),
    ("0.01", "0.01", "0.01"),
    ("1234567.89", "1234567.89", "1,234,567.89"),
    ("12.5万", "125000.00", "125,000"),
    ("１２３.４５", "123.45", "123.45"),  # full-width digits from a Chinese keyboard
])
def test_amounts_round_trip_exactly(kehu, typed, stored, shown):
    kehu("add", "华为")
    r = kehu("contract", "add", "华为", "A", "--amount", typed)
    assert f"A, {shown} CNY" in r.stderr
    assert contract(kehu, 1)["amount"] == stored
    assert kehu.json("contract", "list")[0]["amount"] == stored
    assert f"Amount\t{shown} CNY" in kehu("contract", "show", "1").stdout


def test_a_plan_of_three_instalments_adds_up_exactly(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "1,234.56")
    # given out of order: stored in order of due date
    r = kehu("contract", "plan", "1", "-i", "2027-02-01:434.56", "-i", "2026-12-01:400", "-i", "2027-01-01:400")
    assert r.stderr == "Contract #1 payment plan: 3 instalments, 1,234.56 CNY in all\n"
    assert instalments(kehu) == [("2026-12-01", "400.00", "0.00"), ("2027-01-01", "400.00", "0.00"),
                                 ("2027-02-01", "434.56", "0.00")]
    data = contract(kehu, 1)
    # a draft's plan is a proposal: nothing is owed until it is signed
    assert (data["planned"], data["paid"], data["owed"]) == ("1234.56", "0.00", "0.00")
    assert [i["seq"] for i in data["instalments"]] == [1, 2, 3]
    # a new plan replaces the old one
    kehu("contract", "plan", "1", "-i", "2026-12-31:1234.56")
    assert instalments(kehu) == [("2026-12-31", "1234.56", "0.00")]
    kehu("contract", "sign", "1")
    assert contract(kehu, 1)["owed"] == "1234.56"


@pytest.mark.parametrize("parts, message", [
    (["2026-12-01:400", "2027-01-01:400", "2027-02-01:434.55"],
     "the instalments add up to 1,234.55 but the contract is 1,234.56 (off by -0.01)"),
    (["2026-12-01:400", "2027-01-01:400", "2027-02-01:434.57"],
     "the instalments add up to 1,234.57 but the contract is 1,234.56 (off by 0.01)"),
    (["2026-12-01:617.28", "2026-12-01:617.28"], "two instalments fall on 2026-12-01"),
    (["2026-12-01:0", "2026-12-02:1234.56"], "the instalment due 2026-12-01 must be more than zero"),
])
def test_a_plan_that_does_not_add_up_is_refused_and_nothing_is_written(kehu, parts, message):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "1,234.56")
    kehu("contract", "plan", "1", "-i", "2026-11-30:1234.56")
    before = book_state(kehu, "华为", 1)
    args = [x for p in parts for x in ("-i", p)]
    r = kehu("contract", "plan", "1", *args, code=1)
    assert message in one_line(r)
    assert book_state(kehu, "华为", 1) == before


@pytest.mark.parametrize("bad, message", [
    ("bad", "an instalment is DATE:AMOUNT"),
    ("2026-12-01", "an instalment is DATE:AMOUNT"),
    (":100", "an instalment is DATE:AMOUNT"),
    ("2026-12-01:", "an instalment is DATE:AMOUNT"),
    ("2026-13-01:1234.56", "The date '2026-13-01' is wrong: there is no month 13"),
    ("2026-02-30:1234.56", "The date '2026-02-30' is wrong: month 2 has no day 30"),
    ("Q3:1234.56", "Cannot read the date 'Q3'"),
    ("2026-12-01:abc", "Cannot read the amount 'abc'"),
])
def test_bad_instalment_syntax_is_a_usage_error(kehu, bad, message):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "1,234.56")
    before = book_state(kehu, "华为", 1)
    assert message in one_line(kehu("contract", "plan", "1", "-i", bad, code=2))
    assert book_state(kehu, "华为", 1) == before


def test_a_full_width_colon_in_an_instalment_is_read(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    kehu("contract", "plan", "1", "-i", "2026-12-01：100")
    assert instalments(kehu) == [("2026-12-01", "100.00", "0.00")]


# ------------------------------------------------------------------ sign and the mature gate


def test_signing_makes_a_ready_growth_customer_mature(kehu):
    growth_customer(kehu, "华为")
    kehu("contract", "add", "华为", "服务器采购", "--amount", "12万")
    r = kehu("advance", "华为", code=1)
    assert "Cannot advance from growth to mature: no signed contract yet" in one_line(r)
    r = kehu("contract", "sign", "1")
    assert r.stderr == (
        "Contract #1 signed with 华为: 服务器采购, 120,000 CNY\n"
        "华为 has a signed contract and moves from growth to mature\n"
    )
    data = kehu.json("show", "华为")
    assert data["stage"] == "mature" and data["lifecycle"] == "existing"
    assert contract(kehu, 1)["signed_on"] == TODAY
    events = kehu.json("history", "华为")
    advanced = [e for e in events if e["kind"] == "advanced"]
    assert [(e["from_stage"], e["to_stage"], e["detail"]) for e in advanced] == [("growth", "mature", {"contract": 1})]
    assert [e["kind"] for e in events][-3:] == ["contract_signed", "advanced", "task_done"]
    assert "growth → mature" in kehu("history", "华为").stdout
    tasks = {t["key"]: t for t in kehu.json("tasks", "华为")["tasks"]}
    assert tasks["sign"]["done"] is True and tasks["sign"]["done_on"] == TODAY
    assert tasks["negotiate"]["done"] is False  # it was signed from draft: no negotiation recorded


def test_signing_a_negotiated_contract_also_marks_the_negotiation_done(kehu):
    growth_customer(kehu, "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100", "--status", "negotiating")
    kehu("contract", "sign", "1")
    tasks = {t["key"]: t["done"] for t in kehu.json("tasks", "华为")["tasks"]}
    assert tasks["sign"] is True and tasks["negotiate"] is True


def test_sign_as_json_says_what_happened_to_the_customer(kehu):
    growth_customer(kehu, "华为", tasks=("needs", "proposal"))
    kehu("contract", "add", "华为", "A", "--amount", "100")
    data = json.loads(kehu("contract", "sign", "1", "--json").stdout)
    assert data["status"] == "signed" and data["customer_stage"] == "growth" and data["advanced"] is False
    assert data["blockers"] == [{"key": "blocked_task", "task": "assess", "stage": "growth"}]


def test_a_growth_customer_with_a_task_missing_stays_in_growth(kehu):
    growth_customer(kehu, "华为", tasks=("needs", "proposal"))
    kehu("contract", "add", "华为", "A", "--amount", "100")
    r = kehu("advance", "华为", code=1)
    assert "no signed contract yet" in r.stderr and "project assessment (assess)" in r.stderr
    r = kehu("contract", "sign", "1")
    assert r.stderr.splitlines()[1] == (
        "华为 stays in growth; maturity still needs: task project assessment (assess) is not done")
    assert kehu.json("show", "华为")["stage"] == "growth"
    assert contract(kehu, 1)["status"] == "signed"
    assert "advanced" not in [e["kind"] for e in kehu.json("history", "华为")]
    tasks = {t["key"]: t["done"] for t in kehu.json("tasks", "华为")["tasks"]}
    assert tasks["sign"] is False
    # once the task is done, the signed contract lets the customer advance
    kehu("done", "华为", "assess")
    kehu("advance", "华为")
    assert kehu.json("show", "华为")["stage"] == "mature"
    last = kehu.json("history", "华为")[-1]
    assert (last["kind"], last["from_stage"], last["to_stage"]) == ("advanced", "growth", "mature")


def test_advance_is_refused_until_a_contract_is_signed(kehu):
    """Draft and lost contracts do not count; another customer's signed contract does not either."""
    growth_customer(kehu, "华为")
    kehu("add", "中兴")
    kehu("contract", "add", "华为", "草稿", "--amount", "100")
    kehu("contract", "add", "华为", "丢了", "--amount", "100")
    kehu("contract", "lose", "2", "--reason", "价格")
    kehu("contract", "add", "中兴", "别人的", "--amount", "100", "--status", "signed")
    assert "no signed contract yet" in one_line(kehu("advance", "华为", code=1))
    assert kehu.json("show", "华为")["stage"] == "growth"
    # signing another contract of its own is what lets it through (here, at once)
    kehu("contract", "add", "华为", "另一份", "--amount", "100", "--status", "signed")
    assert kehu.json("show", "华为")["stage"] == "mature"


def test_a_contract_signed_earlier_lets_advance_through_later(kehu):
    """Signed while in evaluation: no advance then; once in growth with its tasks done,
    `kehu advance` finds the signed contract."""
    kehu("add", "华为")
    for _ in range(2):
        kehu("advance", "华为", "--force", "--reason", "r")
    kehu("contract", "add", "华为", "早签的", "--amount", "100", "--status", "signed")
    assert kehu.json("show", "华为")["stage"] == "evaluation"
    kehu("advance", "华为", "--force", "--reason", "r")
    for task in ("needs", "proposal", "assess"):
        kehu("done", "华为", task)
    kehu("advance", "华为")
    assert kehu.json("show", "华为")["stage"] == "mature"


def test_an_evaluation_customer_stays_in_evaluation(kehu):
    kehu("add", "华为")
    for _ in range(2):
        kehu("advance", "华为", "--force", "--reason", "r")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    r = kehu("contract", "sign", "1")
    assert r.stderr.splitlines()[1] == (
        "华为 is in evaluation: stages advance one at a time, and maturity comes after growth with its tasks done")
    assert kehu.json("show", "华为")["stage"] == "evaluation"
    assert kehu.json("tasks", "华为")["tasks"][-1] == {
        "key": "sign", "stage": "mature", "current_stage": False, "done": False, "done_on": None}
    r = kehu("--lang", "zh", "contract", "add", "华为", "B", "--amount", "1", "--status", "signed")
    assert "华为 目前在考察期：阶段需逐级推进" in r.stderr


def test_a_terminated_customer_is_not_advanced_by_signing(kehu):
    growth_customer(kehu, "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    kehu("drop", "华为", "--reason", "预算冻结")
    kehu("contract", "sign", "1")
    data = kehu.json("show", "华为")
    assert data["stage"] == "growth" and data["terminated"] is True


def test_signing_twice_or_before_the_stage_history_is_refused(kehu):
    growth_customer(kehu, "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    before = book_state(kehu, "华为", 1)
    # the customer only reached growth today: it cannot have become mature last week
    r = kehu("contract", "sign", "1", "--date", "2026-11-16", code=2)
    assert "before this customer's latest recorded event" in one_line(r)
    assert book_state(kehu, "华为", 1) == before
    assert "in the future" in one_line(kehu("contract", "sign", "1", "--date", "2026-11-24", code=2))
    kehu("contract", "sign", "1")
    assert "contract #1 is already signed" in one_line(kehu("contract", "sign", "1", code=1))


# ------------------------------------------------------------------ lose and complete


def test_lose_needs_a_reason_and_an_open_contract(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    kehu("contract", "add", "华为", "B", "--amount", "100", "--status", "negotiating")
    kehu("contract", "add", "华为", "C", "--amount", "100", "--status", "signed")
    before = book_state(kehu, "华为", 1)
    for args in ([], ["--reason", "  "]):
        r = kehu("contract", "lose", "1", *args, code=2)
        assert "a lost contract needs a reason" in one_line(r)
    assert book_state(kehu, "华为", 1) == before
    r = kehu("contract", "lose", "1", "--reason", "价格太高")
    assert r.stderr == (
        "Contract #1 (华为) marked lost: 价格太高\n"
        "Review the project: kehu review 1 (background, planning, execution, results and lessons)\n"
        "See “A project review” (kehu playbook project_review): Environment, The customer, Competitors\n"
        "See “A customer asks for a price cut” (kehu playbook price_cut): Worried about risk versus return, "
        "A rival offered a low price, Over budget, The organisation's performance targets, A personal motive, "
        "Said in passing\n")
    kehu("contract", "lose", "2", "--reason", "对手低价", "--date", "2026-11-20")
    assert [(c["status"], c["lost_on"], c["lost_reason"]) for c in kehu.json("contract", "list")] == [
        ("lost", TODAY, "价格太高"), ("lost", "2026-11-20", "对手低价"), ("signed", None, None)]
    before = book_state(kehu, "华为", 3)
    assert "contract #3 is signed: it cannot be marked lost" in one_line(
        kehu("contract", "lose", "3", "--reason", "x", code=1))
    assert book_state(kehu, "华为", 3) == before
    before = book_state(kehu, "华为", 1)
    assert "contract #1 is lost: it cannot be signed" in one_line(kehu("contract", "sign", "1", code=1))
    assert "contract #1 is already lost" in one_line(kehu("contract", "lose", "1", "--reason", "y", code=1))
    assert "contract #1 is lost: it cannot be completed" in one_line(kehu("contract", "complete", "1", code=1))
    assert book_state(kehu, "华为", 1) == before
    assert contract(kehu, 1)["lost_reason"] == "价格太高"


def test_complete_only_from_signed_and_it_schedules_the_visit(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    before = book_state(kehu, "华为", 1)
    assert "contract #1 is draft: it cannot be completed" in one_line(kehu("contract", "complete", "1", code=1))
    assert book_state(kehu, "华为", 1) == before
    kehu("contract", "sign", "1", "--date", "2026-10-01")
    r = kehu("contract", "complete", "1", "--date", "2026-11-20")
    assert r.stderr == (
        "Contract #1 (华为) completed. The deal is not the end: visit them by 2026-12-20 (A1)\n"
        "Review the project: kehu review 1 (background, planning, execution, results and lessons)\n"
        "See “A project review” (kehu playbook project_review): Environment, The customer, Competitors\n")
    data = contract(kehu, 1)
    assert (data["status"], data["completed_on"], data["aftercare_due"], data["aftercare_done_on"]) == (
        "completed", "2026-11-20", "2026-12-20", None)
    assert "contract #1 is already completed" in one_line(kehu("contract", "complete", "1", code=1))
    # not yet within the default 7-day window; then due
    assert "A1" not in [i["id"] for i in json.loads(kehu("remind", "--json").stdout or "[]")]
    items = json.loads(kehu("remind", "--json", env=on("2026-12-22")).stdout)
    visit = [i for i in items if i["id"] == "A1"]
    assert len(visit) == 1
    assert {k: visit[0][k] for k in ("kind", "due", "customer", "contract", "completed_on", "days_overdue")} == {
        "kind": "aftercare", "due": "2026-12-20", "customer": "华为", "contract": 1,
        "completed_on": "2026-11-20", "days_overdue": 2}
    assert "A1" in [i["id"] for i in json.loads(kehu("next", "--json", env=on("2026-12-22")).stdout)]


def test_completing_before_the_signing_day_is_refused_with_the_right_words(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100", "--status", "signed")
    before = book_state(kehu, "华为", 1)
    r = kehu("contract", "complete", "1", "--date", "2026-11-01", code=2)
    message = one_line(r)
    assert "2026-11-01" in message and TODAY in message
    assert "touchpoint" not in message  # it is the contract's signing day, not a touchpoint's
    assert book_state(kehu, "华为", 1) == before


def test_aftercare_days_is_a_setting(kehu):
    kehu("add", "华为")
    kehu("config", "set", "aftercare.days", "10")
    kehu("contract", "add", "华为", "A", "--amount", "100", "--status", "signed")
    kehu("contract", "complete", "1")
    assert contract(kehu, 1)["aftercare_due"] == "2026-12-03"


def test_followup_done_closes_the_visit(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100", "--status", "signed")
    kehu("contract", "complete", "1")
    later = on("2026-12-24")
    assert "A1" in [i["id"] for i in json.loads(kehu("remind", "--json", env=later).stdout)]
    kehu("followup", "done", "a1", env=later)
    assert "A1" not in [i["id"] for i in json.loads(kehu("remind", "--json", env=later).stdout or "[]")]
    data = contract(kehu, 1, env=later)
    assert data["aftercare_done_on"] == "2026-12-24"
    assert kehu.json("history", "华为")[-1]["kind"] == "aftercare_done"
    r = kehu("followup", "done", "A1", env=later, code=1)
    assert "2026-12-24" in one_line(r)  # already closed, and when
    assert "A2" in one_line(kehu("followup", "done", "A2", env=later, code=1))


def test_a_touch_that_follows_the_visit_closes_it(kehu):
    kehu("add", "华为")
    kehu("add", "中兴")
    kehu("contract", "add", "华为", "A", "--amount", "100", "--status", "signed")
    kehu("contract", "complete", "1")
    later = on("2026-12-24")
    r = kehu("touch", "中兴", "--kind", "daily", "--follows", "A1", env=later, code=1)
    assert "中兴" in one_line(r)  # the visit belongs to another customer
    assert contract(kehu, 1, env=later)["aftercare_done_on"] is None
    kehu("touch", "华为", "--kind", "daily", "--follows", "A1", env=later)
    assert contract(kehu, 1, env=later)["aftercare_done_on"] == "2026-12-24"
    assert "A1" not in [i["id"] for i in json.loads(kehu("remind", "--json", env=later).stdout or "[]")]


# ------------------------------------------------------------------ pay


def test_pay_is_refused_on_an_unsigned_contract_and_without_a_plan(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    kehu("contract", "plan", "1", "-i", "2026-12-01:100")
    before = book_state(kehu, "华为", 1)
    r = kehu("pay", "1", "50", code=1)
    assert "contract #1 is draft: record payments once it is signed (kehu contract sign 1)" in one_line(r)
    assert book_state(kehu, "华为", 1) == before
    kehu("contract", "add", "华为", "B", "--amount", "100", "--status", "signed")
    before = book_state(kehu, "华为", 2)
    r = kehu("pay", "2", "50", code=1)
    assert "contract #2 has no payment plan yet: kehu contract plan 2" in one_line(r)
    assert book_state(kehu, "华为", 2) == before
    assert "no contract 9" in one_line(kehu("pay", "9", "50", code=1))


def test_a_partial_payment_fills_the_instalments_in_due_order(kehu):
    signed_with_plan(kehu)
    r = kehu("pay", "1", "300", env=on("2026-11-25"))
    assert r.stderr == "Recorded 300 CNY on contract #1 (华为); 934.56 still owed\n"
    assert instalments(kehu) == [("2026-12-01", "400.00", "300.00"), ("2027-01-01", "400.00", "0.00"),
                                 ("2027-02-01", "434.56", "0.00")]
    data = contract(kehu, 1)
    assert (data["paid"], data["owed"]) == ("300.00", "934.56")
    assert data["instalments"][0]["paid_on"] == "2026-11-25" and data["instalments"][1]["paid_on"] is None
    last = kehu.json("history", "华为")[-1]
    assert last["kind"] == "paid" and last["at"].startswith("2026-11-25")
    assert last["detail"]["amount"] == "300.00" and last["detail"]["instalments"] == [{"seq": 1, "amount": "300.00"}]


def test_a_payment_spanning_two_instalments_then_the_rest(kehu):
    signed_with_plan(kehu)
    data = json.loads(kehu("pay", "1", "500.01", "--json").stdout)
    assert [(a["seq"], a["due"]) for a in data["applied"]] == [(1, "2026-12-01"), (2, "2027-01-01")]
    assert (data["paid"], data["owed"]) == ("500.01", "734.55")
    assert instalments(kehu) == [("2026-12-01", "400.00", "400.00"), ("2027-01-01", "400.00", "100.01"),
                                 ("2027-02-01", "434.56", "0.00")]
    r = kehu("pay", "1", "734.55")
    assert r.stderr == "Recorded 734.55 CNY on contract #1 (华为); 0 still owed\n"
    assert instalments(kehu) == [("2026-12-01", "400.00", "400.00"), ("2027-01-01", "400.00", "400.00"),
                                 ("2027-02-01", "434.56", "434.56")]
    data = contract(kehu, 1)
    assert (data["paid"], data["owed"]) == ("1234.56", "0.00")
    before = book_state(kehu, "华为", 1)
    assert "contract #1 is paid in full" in one_line(kehu("pay", "1", "0.01", code=1))
    assert book_state(kehu, "华为", 1) == before


def test_pay_json_applied_amounts_are_exact_decimal_strings(kehu):
    """Every other amount in --json is "400.00"; the applied parts should be too."""
    signed_with_plan(kehu)
    data = json.loads(kehu("pay", "1", "500", "--json").stdout)
    assert [a["amount"] for a in data["applied"]] == ["400.00", "100.00"]


def test_pay_on_a_completed_contract_is_allowed(kehu):
    signed_with_plan(kehu)
    kehu("contract", "complete", "1")
    kehu("pay", "1", "1234.56")
    assert contract(kehu, 1)["owed"] == "0.00"


def test_over_payment_is_refused_and_the_book_is_unchanged(kehu):
    signed_with_plan(kehu)
    kehu("pay", "1", "500")
    before = book_state(kehu, "华为", 1)
    r = kehu("pay", "1", "734.57", code=1)
    assert "contract #1 owes only 734.56; 734.57 is 0.01 too much" in one_line(r)
    assert book_state(kehu, "华为", 1) == before
    r = kehu("pay", "1", "2000", code=1)
    assert "owes only 734.56; 2,000 is 1,265.44 too much" in one_line(r)
    assert book_state(kehu, "华为", 1) == before


@pytest.mark.parametrize("amount, code, message", [
    # zero reads as an amount, and the rules refuse it (exit 1)
    ("0", 1, "a payment must be more than zero"),
    ("0.00", 1, "a payment must be more than zero"),
    # a sign, a third decimal, an exponent or words do not read as an amount (exit 2)
    ("-5", 2, "Cannot read the amount '-5'"),
    ("0.001", 2, "Cannot read the amount '0.001'"),
    ("1e3", 2, "Cannot read the amount '1e3'"),
    ("abc", 2, "Cannot read the amount 'abc'"),
    ("", 2, "Cannot read the amount ''"),
])
def test_bad_payment_amounts(kehu, amount, code, message):
    signed_with_plan(kehu)
    before = book_state(kehu, "华为", 1)
    r = kehu("pay", "1", "--", amount, code=code)
    assert message in one_line(r)
    assert book_state(kehu, "华为", 1) == before


# ------------------------------------------------------------------ receivables


def receivables(kehu, command, day):
    out = kehu(command, "--json", env=on(day)).stdout
    return [i for i in (json.loads(out) if out else []) if i["kind"] == "receivable"]


def test_an_unpaid_instalment_past_due_is_a_receivable_in_remind_and_next(kehu):
    signed_with_plan(kehu)
    assert receivables(kehu, "remind", "2026-11-23") == []
    for command in ("remind", "next"):
        items = receivables(kehu, command, "2026-12-11")
        assert len(items) == 1, command
        item = items[0]
        assert {k: item[k] for k in ("id", "kind", "bucket", "customer", "contract", "owed", "currency", "due",
                                     "days_overdue", "playbook")} == {
            "id": "R1", "kind": "receivable", "bucket": "overdue", "customer": "华为", "contract": 1,
            "owed": "400.00", "currency": "CNY", "due": "2026-12-01", "days_overdue": 10,
            "playbook": "non_payment"}, command
        assert "non_payment" in item["text"]
    line = [x for x in kehu("remind", env=on("2026-12-11")).stdout.splitlines() if "\tR1\t" in x]
    assert line and line[0].startswith("overdue\t2026-12-01\tR1\t华为\treceivable\t")
    # a part payment leaves the rest owed; paying it all removes the item
    kehu("pay", "1", "150", env=on("2026-12-11"))
    assert [i["owed"] for i in receivables(kehu, "remind", "2026-12-11")] == ["250.00"]
    kehu("pay", "1", "250", env=on("2026-12-11"))
    assert receivables(kehu, "remind", "2026-12-11") == []
    assert receivables(kehu, "next", "2026-12-11") == []
    r = kehu("followup", "done", "R1", env=on("2026-12-11"), code=1)
    assert "record the payment with `kehu pay" in one_line(r)


def test_a_receivable_in_another_currency_keeps_its_currency(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "99.99", "--currency", "USD", "--status", "signed")
    kehu("contract", "plan", "1", "-i", "2026-12-01:99.99")
    items = receivables(kehu, "remind", "2026-12-03")
    assert [(i["owed"], i["currency"], i["days_overdue"]) for i in items] == [("99.99", "USD", 2)]


def test_unsigned_and_lost_contracts_owe_nothing(kehu):
    """A plan on a draft is only a proposal; a lost contract will never be paid."""
    kehu("add", "华为")
    kehu("contract", "add", "华为", "草稿", "--amount", "100")
    kehu("contract", "plan", "1", "-i", "2026-12-01:100")
    kehu("contract", "add", "华为", "丢单", "--amount", "100")
    kehu("contract", "plan", "2", "-i", "2026-12-01:100")
    kehu("contract", "lose", "2", "--reason", "对手低价")
    later = on("2026-12-11")
    assert receivables(kehu, "remind", "2026-12-11") == []
    assert receivables(kehu, "next", "2026-12-11") == []
    assert json.loads(kehu("contract", "list", "--overdue", "--json", env=later).stdout) == []
    for ident in (1, 2):
        data = contract(kehu, ident, env=later)
        assert data["overdue"] == "0.00" and data["playbook"] is None, ident
        assert "does not pay" not in kehu("contract", "show", str(ident), env=later).stdout


def test_show_on_an_overdue_contract_offers_the_non_payment_playbook(kehu):
    signed_with_plan(kehu)
    kehu("pay", "1", "100")
    later = on("2026-12-11")
    out = kehu("contract", "show", "1", env=later).stdout
    assert "Overdue\t300 CNY, 10 days late" in out
    assert "2\t2026-12-01\t400 CNY" not in out  # seq 1 is the one due 2026-12-01
    assert "1\t2026-12-01\t400 CNY\t100 CNY\t2026-11-23\t300 CNY — 10 days late" in out
    assert "# A customer who does not pay" in out
    assert "Unpaid past due: 300 CNY in 1 instalment(s), the oldest 10 days late" in out
    assert "no touchpoint ever recorded" in out
    assert "- Shortage of funds:" in out and "- Deliberate default:" in out
    assert "kehu playbook non_payment" in out
    data = contract(kehu, 1, env=later)
    pb = data["playbook"]
    assert {k: pb[k] for k in ("overdue", "currency", "days_late", "instalments")} == {
        "overdue": "300.00", "currency": "CNY", "days_late": 10, "instalments": 1}
    assert pb["playbook"]["key"] == "non_payment"
    assert len(pb["playbook"]["sections"][0]["points"]) == 6
    assert {"key": "np_never_touched"} in pb["hints"]
    assert (data["overdue"], data["overdue_since"]) == ("300.00", "2026-12-01")
    assert data["instalments"][0]["days_late"] == 10 and data["instalments"][1]["days_late"] == 0
    # the hints follow the book: a decider known, a touch made
    kehu("person", "add", "华为", "张伟", "--role", "决策者")
    kehu("touch", "华为", "--kind", "daily", "--with", "张伟", env=later)
    hints = contract(kehu, 1, env=later)["playbook"]["hints"]
    assert {"key": "np_never_touched"} not in hints
    assert {"key": "np_uncovered", "role": "decider"} not in hints


def test_a_contract_not_overdue_has_no_playbook(kehu):
    signed_with_plan(kehu)
    data = contract(kehu, 1, env=on("2026-12-01"))  # due today is not late
    assert data["playbook"] is None and data["overdue"] == "0.00"
    out = kehu("contract", "show", "1", env=on("2026-12-01")).stdout
    assert "does not pay" not in out and "Overdue" not in out


# ------------------------------------------------------------------ tier value


def tier_value(kehu, name):
    return json.loads(kehu("tier", "--explain", name, "--json").stdout)["value"]


def test_value_is_the_signed_amounts_of_the_last_12_months(kehu):
    kehu("add", "华为", "--value", "500万")
    for title, amount, day in (("去年以内", "10万", "2026-01-10"), ("刚好一年前", "0.50", "2025-11-23"),
                               ("一年内第一天", "1", "2025-11-24")):
        kehu("contract", "add", "华为", title, "--amount", amount, "--status", "signed", "--date", day)
    kehu("contract", "add", "华为", "已交付", "--amount", "2", "--status", "signed", "--date", "2026-06-01")
    kehu("contract", "complete", "4")
    kehu("contract", "add", "华为", "美元", "--amount", "99", "--currency", "USD", "--status", "signed")
    kehu("contract", "add", "华为", "草稿", "--amount", "30")
    kehu("contract", "add", "华为", "丢单", "--amount", "40")
    kehu("contract", "lose", "7", "--reason", "x")
    # 100,000 + 1 + 2: the one signed 12 months ago to the day, the USD one, the draft and
    # the lost one do not count, nor the entered 5,000,000
    assert tier_value(kehu, "华为") == "100003.00"
    assert "value 100,003" in kehu("tier", "--explain", "华为").stdout
    # a year later, only what was signed since counts
    assert json.loads(kehu("tier", "--explain", "华为", "--json", env=on("2027-06-02")).stdout)["value"] == "0.00"


def test_value_without_signed_contracts_is_the_expected_one(kehu):
    """Issue 18 (was: the entered value): without a contract signed in the book's currency
    a customer is pipeline, valued at the entered value × its stage's chance (5% here)."""
    kehu("add", "只有草稿", "--value", "7万")
    kehu("contract", "add", "只有草稿", "A", "--amount", "1")
    kehu("add", "只有美元", "--value", "3万")
    kehu("contract", "add", "只有美元", "A", "--amount", "1", "--currency", "USD", "--status", "signed")
    kehu("add", "没有合同", "--value", "2万")
    assert tier_value(kehu, "只有草稿") == "3500.00"
    assert tier_value(kehu, "只有美元") == "1500.00"
    assert tier_value(kehu, "没有合同") == "1000.00"


def test_signed_contracts_rank_the_pyramid(kehu):
    kehu("add", "大客户", "--value", "1000万")
    kehu("add", "签约客户", "--value", "1")
    kehu("contract", "add", "签约客户", "A", "--amount", "2000万", "--status", "signed")
    assert json.loads(kehu("tier", "--explain", "签约客户", "--json").stdout)["above"] == 0
    assert json.loads(kehu("tier", "--explain", "大客户", "--json").stdout)["above"] == 1


# ------------------------------------------------------------------ forecast


def forecast_book(kehu):
    kehu("add", "甲", "--owner", "王")  # stranger 5%
    kehu("add", "乙", "--owner", "李")  # growth 50%
    kehu("add", "丙")  # evaluation 25%, no owner
    kehu("add", "丁", "--owner", "王")  # mature 70%
    for name, steps in (("乙", 3), ("丙", 2), ("丁", 4)):
        for _ in range(steps):
            kehu("advance", name, "--force", "--reason", "r")
    kehu("contract", "add", "甲", "a1", "--amount", "100", "--expected", "2026-12-15")
    kehu("contract", "add", "甲", "a2", "--amount", "33.33", "--expected", "2026-12-20", "--status", "negotiating")
    kehu("contract", "add", "乙", "b1", "--amount", "1000", "--expected", "2027-01-05")
    kehu("contract", "add", "乙", "b2", "--amount", "999", "--expected", "2026-12-01", "--status", "signed")
    kehu("contract", "add", "乙", "b3", "--amount", "5", "--expected", "2026-12-01")
    kehu("contract", "lose", "5", "--reason", "x")
    kehu("contract", "add", "丙", "c1", "--amount", "10")
    kehu("contract", "add", "丙", "c2", "--amount", "77", "--currency", "USD")
    kehu("contract", "add", "丁", "d1", "--amount", "200", "--expected", "2026-12-01")


def test_forecast_weights_open_contracts_by_stage(kehu):
    forecast_book(kehu)
    data = kehu.json("forecast")
    assert data["probability"] == {"stranger": 5, "acquainted": 10, "evaluation": 25, "growth": 50, "mature": 70}
    # 2026-12: 100×5% + 33.33×5% + 200×70% = 146.6665 → 146.67 (rounded once per row)
    assert data["by_month"] == [
        {"month": "2026-12", "currency": "CNY", "contracts": 3, "amount": "333.33", "weighted": "146.67"},
        {"month": "2027-01", "currency": "CNY", "contracts": 1, "amount": "1000.00", "weighted": "500.00"},
        {"month": None, "currency": "CNY", "contracts": 1, "amount": "10.00", "weighted": "2.50"},
        {"month": None, "currency": "USD", "contracts": 1, "amount": "77.00", "weighted": "19.25"},
    ]
    assert data["by_owner"] == [
        {"owner": "李", "currency": "CNY", "contracts": 1, "amount": "1000.00", "weighted": "500.00"},
        {"owner": "王", "currency": "CNY", "contracts": 3, "amount": "333.33", "weighted": "146.67"},
        {"owner": None, "currency": "CNY", "contracts": 1, "amount": "10.00", "weighted": "2.50"},
        {"owner": None, "currency": "USD", "contracts": 1, "amount": "77.00", "weighted": "19.25"},
    ]
    assert data["total"] == [
        {"currency": "CNY", "contracts": 5, "amount": "1343.33", "weighted": "649.17"},
        {"currency": "USD", "contracts": 1, "amount": "77.00", "weighted": "19.25"},
    ]
    out = kehu("forecast").stdout
    assert "2026-12\tCNY\t3\t333.33\t146.67" in out
    assert "CNY\t5\t1,343.33\t649.17" in out
    assert "growth 50%" in out


def test_forecast_probabilities_are_settings(kehu):
    forecast_book(kehu)
    kehu("config", "set", "forecast.growth", "60")
    data = kehu.json("forecast")
    assert data["probability"]["growth"] == 60
    assert data["by_month"][1] == {"month": "2027-01", "currency": "CNY", "contracts": 1, "amount": "1000.00",
                                   "weighted": "600.00"}
    assert data["total"][0]["weighted"] == "749.17"
    assert "growth 60%" in kehu("forecast").stdout
    assert "0 to 100" in kehu("config", "set", "forecast.growth", "101", code=2).stderr


def test_forecast_by_owner_and_without_terminated_customers(kehu):
    forecast_book(kehu)
    data = json.loads(kehu("forecast", "--owner", "王", "--json").stdout)
    assert data["total"] == [{"currency": "CNY", "contracts": 3, "amount": "333.33", "weighted": "146.67"}]
    kehu("drop", "丁", "--reason", "预算冻结")
    data = json.loads(kehu("forecast", "--owner", "王", "--json").stdout)
    assert data["total"] == [{"currency": "CNY", "contracts": 2, "amount": "133.33", "weighted": "6.67"}]


def test_forecast_with_no_open_contract(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100", "--status", "signed")
    kehu("contract", "add", "华为", "B", "--amount", "100")
    kehu("contract", "lose", "2", "--reason", "x")
    r = kehu("forecast")
    assert r.stdout.lower() == "no open contracts (draft or negotiating)\n"
    data = kehu.json("forecast")
    assert (data["by_month"], data["by_owner"], data["total"]) == ([], [], [])


# ------------------------------------------------------------------ Chinese


def test_contract_list_and_show_in_chinese(kehu):
    signed_with_plan(kehu)
    kehu("pay", "1", "100")
    kehu("contract", "add", "华为", "草稿", "--amount", "5")
    later = on("2026-12-11")
    out = kehu("--lang", "zh", "contract", "list", env=later).stdout.splitlines()
    assert out[0] == "编号\t客户\t合同\t状态\t金额\t已付\t逾期\t日期"
    assert out[1] == "1\t华为\t服务器采购\t已签\t1,234.56 CNY\t100\t300，逾期 10 天\t2026-11-23"
    assert out[2].startswith("2\t华为\t草稿\t拟定\t5 CNY")
    out = kehu("--lang", "zh", "contract", "show", "1", env=later).stdout
    for text in ("状态\t已签", "金额\t1,234.56 CNY", "签约日期\t2026-11-23", "逾期\t300 CNY，逾期 10 天",
                 "# 付款计划", "# 客户迟迟不付款", "- 资金短缺:", "完整应对：kehu playbook 回款"):
        assert text in out, text


def test_a_refusal_in_chinese_names_the_action_in_chinese(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "1", "--status", "signed")
    r = kehu("--lang", "zh", "contract", "lose", "1", "--reason", "x", code=1)
    message = one_line(r)
    assert "合同 #1" in message and "已签" in message
    assert "lose" not in message  # the action is shown as its key, untranslated


def test_a_payment_cannot_predate_the_signing(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100", "--status", "signed", "--date", "2026-11-10")
    kehu("contract", "plan", "1", "-i", "2026-12-01:100")
    before = book_state(kehu, "华为", 1)
    r = kehu("pay", "1", "50", "--date", "2026-11-09", code=2)
    assert one_line(r) == "kehu: 2026-11-09 is before the signing day 2026-11-10\n"
    assert book_state(kehu, "华为", 1) == before
    kehu("pay", "1", "50", "--date", "2026-11-10")


# ------------------------------------------------------------------ review findings


def test_ending_a_relationship_does_not_cancel_what_it_owes(kehu):
    signed_with_plan(kehu)
    later = on("2026-12-20")

    def due(command):
        return json.loads(kehu(command, "--json", env=later).stdout)

    assert [i["id"] for i in due("remind") if i["kind"] == "receivable"] == ["R1"]
    kehu("drop", "华为", "--reason", "资金链紧张，无法付款")
    items = [i for i in due("remind") if i["kind"] != "cadence"]
    assert [(i["id"], i["owed"]) for i in items] == [("R1", "400.00")]
    assert "R1" in {i["id"] for i in due("next")}


def test_money_recorded_in_one_currency_is_never_relabelled(kehu):
    signed_with_plan(kehu)
    before = book_state(kehu, "华为", 1)
    r = kehu("contract", "edit", "1", "--currency", "USD", code=1)
    assert one_line(r) == "kehu: contract #1 is signed or has a payment plan: its currency is fixed\n"
    assert book_state(kehu, "华为", 1) == before
    kehu("contract", "add", "华为", "草稿", "--amount", "100")
    kehu("contract", "edit", "2", "--currency", "usd")  # an open contract without a plan may change
    assert contract(kehu, 2)["currency"] == "USD"
    kehu("contract", "plan", "2", "-i", "2027-01-01:100")
    kehu("contract", "edit", "2", "--currency", "CNY", code=1)


def test_planning_a_lost_contract_is_one_line_not_a_traceback(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    kehu("contract", "lose", "1", "--reason", "预算冻结")
    r = kehu("contract", "plan", "1", "-i", "2027-01-01:100", code=1)
    assert one_line(r) == "kehu: contract #1 is lost: it cannot be given a payment plan\n"


def test_a_draft_or_lost_plan_owes_nothing_anywhere(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "A", "--amount", "100")
    kehu("contract", "plan", "1", "-i", "2026-11-01:100")
    for step in ((), ("contract", "lose", "1", "--reason", "x")):
        if step:
            kehu(*step)
        data = contract(kehu, 1)
        assert (data["owed"], data["overdue"]) == ("0.00", "0.00")
        assert [(i["owed"], i["days_late"]) for i in data["instalments"]] == [("0.00", 0)]
        out = kehu("contract", "show", "1").stdout
        assert "late" not in out and "Owed\t" not in out
        assert out.rstrip().endswith("1\t2026-11-01\t100 CNY\t0 CNY")  # nothing in the Owed column
        assert kehu.json("contract", "list")[0]["owed"] == "0.00"


def test_json_money_is_an_exact_decimal_string_in_history_and_plans(kehu):
    signed_with_plan(kehu)
    kehu("pay", "1", "0.05")
    details = [e["detail"] for e in kehu.json("history", "华为") if e["kind"] in ("contract_added", "paid")]
    assert [d["amount"] for d in details] == ["1234.56", "0.05"]
    assert "#1 服务器采购 0.05 CNY" in kehu("history", "华为").stdout
    kehu("negotiate", "package", "1", "best", "全价", "--amount", "1,234.56")
    kehu("negotiate", "package", "1", "bottom", "高于全价", "--amount", "2000")
    plan = kehu.json("negotiate", "1")
    order = next(m for m in plan["missing"] if m["key"] == "neg_packages_order")
    assert (order["best"], order["bottom"], order["compromise"]) == ("1234.56", "2000.00", None)
    above = next(w for w in plan["warnings"] if w["key"] == "neg_bottom_above_amount")
    assert (above["bottom"], above["amount"]) == ("2000.00", "1234.56")
    final = next(s for s in plan["agenda"] if s["step"] == "final_package")
    assert [i["amount"] for i in final["items"]] == ["1234.56", "2000.00"]


def test_blank_titles_and_texts_are_refused_in_the_users_language(kehu):
    kehu("add", "华为")
    for title in ("", "   "):
        assert one_line(kehu("contract", "add", "华为", title, "--amount", "5", code=2)) == \
            "kehu: A name cannot be empty.\n"
    kehu("contract", "add", "华为", "A", "--amount", "5")
    r = kehu("--lang", "zh", "negotiate", "issue", "1", "   ", code=2)
    assert one_line(r) == "kehu: detail 不能为空\n"
    r = kehu("--lang", "zh", "negotiate", "team", "1", "主谈", "  ", code=2)
    assert "不能为空" in one_line(r) and "Field required" not in r.stderr
    r = kehu("negotiate", "issue", "1", "x" * 4001, code=2)
    assert one_line(r) == "kehu: detail is too long (4001 characters, at most 4000).\n"
    r = kehu("contract", "lose", "1", "--reason", "y" * 4001, code=2)
    assert "too long" in one_line(r)
    assert contract(kehu, 1)["status"] == "draft"
    r = kehu("--lang", "zh", "contract", "add", "华为", "B", "--amount", "5", "--status", "已完成", code=2)
    assert "draft（拟定）" in one_line(r)
    kehu("negotiate", "package", "1", "best", "x", "--amount", "0", code=2)


def test_contract_money_columns_are_64_bit():
    from sqlalchemy import BigInteger, MetaData

    from kehu.migrations import v0003_contracts

    tables = {t.name: t for t in v0003_contracts._tables(MetaData())}
    for table, column in (("contract", "amount_cents"), ("instalment", "amount_cents"),
                          ("instalment", "paid_cents"), ("negotiation_fact", "amount_cents")):
        assert isinstance(tables[table].c[column].type, BigInteger), (table, column)
