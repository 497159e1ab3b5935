"""Ownership and the public pool (公海), from the command line: who did what, --owner and
--mine, handovers, the pool, claims, releases, warnings, the settings and CSV imports.

The day and the acting salesperson are set per command (KEHU_TODAY, KEHU_USER), and
everything is checked through kehu's own output, never by opening the book. Defaults:
a customer returns to the pool 31 days after its owner's last touch or claim (untouched
30), or 181 days after the claim short of growth (growth 180); warned 7 days ahead.
"""

from __future__ import annotations

import json

import pytest

DAY = "2026-01-05"


class Team:
    """kehu run as a salesperson on a day: team("Li Wei", "2026-01-05", "list", ...)."""

    def __init__(self, kehu) -> None:
        self.kehu = kehu

    def __call__(self, user: str, day: str, *args: str, code: int = 0):
        return self.kehu(*args, code=code, env={"KEHU_TODAY": day, "KEHU_USER": user})

    def json(self, user: str, day: str, *args: str):
        out = self(user, day, *args, "--json").stdout
        return json.loads(out) if out.strip() else []


@pytest.fixture
def team(kehu) -> Team:
    return Team(kehu)


def names(rows) -> list[str]:
    return [r["name"] if "name" in r else r["customer"] for r in rows]


def events(team: Team, customer: str, day: str = DAY) -> list[tuple]:
    return [(e["kind"], e["actor"], e["detail"]) for e in team.json("Li Wei", day, "history", customer)]


# ---------------------------------------------------------------- who did what


def test_every_event_records_the_salesperson_who_did_it(team):
    team("Li Wei", DAY, "add", "ACME")
    team("Zhang Min", DAY, "done", "ACME", "plan")
    team("Wang Fang", DAY, "--as", "Zhao Lei", "edit", "ACME", "--region", "华东")  # --as wins over KEHU_USER
    team("Zhang Min", DAY, "touch", "ACME", "--kind", "daily")
    history = team.json("Li Wei", DAY, "history", "ACME")
    assert [(e["kind"], e["actor"]) for e in history] == [
        ("created", "Li Wei"), ("task_done", "Zhang Min"), ("edited", "Zhao Lei")]
    assert [t["actor"] for t in team.json("Li Wei", DAY, "show", "ACME")["touchpoints"]] == ["Zhang Min"]
    table = team("Li Wei", DAY, "history", "ACME").stdout.splitlines()
    assert table[0].split("\t") == ["When", "Event", "Detail", "Reason", "By"]
    assert table[1].endswith("\tLi Wei") and table[3].endswith("\tZhao Lei")
    zh = team("Li Wei", DAY, "--lang", "zh", "history", "ACME").stdout.splitlines()[0]
    assert zh.split("\t")[-1] == "经办"


# ---------------------------------------------------------------- --owner and --mine


def test_owner_matches_whatever_the_case_or_width(team):
    team("Li Wei", DAY, "add", "A", "--owner", "Li Wei")
    team("Li Wei", DAY, "add", "B", "--owner", "ＬＩ ｗｅｉ")  # full-width, typed on a Chinese keyboard
    team("Li Wei", DAY, "add", "C", "--owner", "Wang Fang")
    team("Li Wei", DAY, "add", "D")
    for typed in ("li wei", "LI WEI", "  Li   Wei ", "ｌｉ ｗｅｉ"):
        assert names(team.json("Wang Fang", DAY, "list", "--owner", typed)) == ["A", "B"], typed
    assert names(team.json("Li Wei", DAY, "list", "--mine")) == ["A", "B"]
    assert names(team.json("Wang Fang", DAY, "list", "--mine")) == ["C"]
    assert team("Zhao Lei", DAY, "list", "--mine").stderr == "No customer matches these filters.\n"


@pytest.fixture
def two_owners(team):
    """Li Wei's ACME and Wang Fang's Beta, each with a due promise, an open contract and
    a tier warning (a strategic alliance with a worst-cell customer); and an unowned Gamma."""
    for name, owner, value in (("ACME", "Li Wei", "100万"), ("Beta", "Wang Fang", "50万")):
        team(owner, DAY, "add", name, "--owner", owner, "--value", value, "--level", "alliance",
             "--profit-now", "low", "--profit-future", "low")
        team(owner, DAY, "touch", name, "--kind", "daily", "--promise", "send the quote", "--promise-due", DAY)
        team(owner, DAY, "contract", "add", name, "pilot", "--amount", "10万", "--expected", "2026-03-01")
    team("Li Wei", DAY, "done", "ACME", "plan")
    team("Li Wei", DAY, "done", "ACME", "call")
    team("Li Wei", DAY, "advance", "ACME")
    team("Li Wei", DAY, "add", "Gamma")
    return team


def _customers(command: str, data) -> list:
    """The customers a command's JSON speaks of, in a comparable form."""
    if command == "funnel":
        return [(r["stage"], r["now"]) for r in data["stages"]]
    if command == "tier":
        return sorted({w["name"] for w in data["warnings"]})
    if command == "forecast":
        return [r["owner"] for r in data["by_owner"]]
    return sorted({names([r])[0] for r in data})


@pytest.mark.parametrize("command", ["list", "remind", "next", "funnel", "tier", "forecast"])
def test_mine_is_the_acting_salespersons_owner_filter(two_owners, command):
    team = two_owners
    mine = _customers(command, team.json("Li Wei", DAY, command, "--mine"))
    assert mine == _customers(command, team.json("Wang Fang", DAY, command, "--owner", "li wei"))
    theirs = _customers(command, team.json("Li Wei", DAY, command, "--owner", "Wang Fang"))
    everyone = _customers(command, team.json("Li Wei", DAY, command))
    assert mine and theirs and mine != theirs
    assert mine != everyone
    assert _customers(command, team.json("Wang Fang", DAY, command, "--mine")) == theirs


def test_each_filter_names_only_that_owners_customers(two_owners):
    team = two_owners
    assert names(team.json("Li Wei", DAY, "list", "--mine")) == ["ACME"]
    assert {r["customer"] for r in team.json("Li Wei", DAY, "remind", "--mine")} == {"ACME"}
    funnel = {r["stage"]: r["now"] for r in team.json("Li Wei", DAY, "funnel", "--mine")["stages"]}
    assert funnel["acquainted"] == 1 and funnel["stranger"] == 0
    assert [r["owner"] for r in team.json("Li Wei", DAY, "forecast", "--mine")["by_owner"]] == ["Li Wei"]


@pytest.mark.parametrize("command", ["list", "remind", "next", "funnel", "tier", "forecast"])
def test_mine_and_owner_together_is_a_usage_error(two_owners, command):
    r = two_owners("Li Wei", DAY, command, "--mine", "--owner", "Wang Fang", code=2)
    assert r.stderr == "kehu: --mine and --owner cannot be used together: --mine is --owner with your own name.\n"
    assert r.stdout == ""


def test_a_lapsed_customer_is_no_longer_its_owners(team):
    team("Li Wei", "2026-01-01", "add", "ACME", "--owner", "Li Wei")
    team("Li Wei", "2026-01-01", "add", "Beta", "--owner", "Li Wei")
    team("Li Wei", "2026-01-20", "touch", "Beta", "--kind", "daily")
    # ACME untouched since the claim on 01-01: held through 01-31, back in the pool on 02-01
    assert names(team.json("Li Wei", "2026-01-31", "list", "--mine")) == ["ACME", "Beta"]
    assert names(team.json("Li Wei", "2026-02-01", "list", "--mine")) == ["Beta"]
    assert names(team.json("Li Wei", "2026-02-01", "list", "--owner", "li wei")) == ["Beta"]
    assert names(team.json("Li Wei", "2026-02-01", "list")) == ["ACME", "Beta"]  # still in the book
    # the owner touching it after it lapsed does not take it back: a claim does
    team("Li Wei", "2026-02-02", "touch", "ACME", "--kind", "daily")
    assert names(team.json("Li Wei", "2026-02-02", "list", "--mine")) == ["Beta"]
    assert team.json("Li Wei", "2026-02-02", "show", "ACME")["pool"]["state"] == "lapsed"
    shown = team("Li Wei", "2026-02-02", "show", "ACME").stdout
    assert "Public pool\tback in the public pool since 2026-02-01: anyone may claim it\n" in shown
    shown = team("Li Wei", "2026-01-25", "show", "ACME").stdout
    assert ("Public pool\treturns to the public pool on 2026-02-01 unless its owner follows it up (7 days left)\n"
            in shown)


# ---------------------------------------------------------------- handovers


def test_at_most_two_handovers_in_90_days_and_the_day_the_next_is_allowed(team):
    team("Boss", "2026-01-01", "add", "ACME", "--owner", "Li Wei")
    team("Boss", "2026-01-01", "assign", "ACME", "Wang Fang", "--reason", "territory")
    team("Boss", "2026-02-10", "assign", "ACME", "Zhao Lei")
    r = team("Boss", "2026-03-31", "assign", "ACME", "Li Wei", code=1)
    assert r.stderr == ("kehu: ACME was handed over 2 times in 90 days (the limit is 2): "
                        "the next handover is allowed on 2026-04-01.\n")
    assert team.json("Boss", "2026-03-31", "show", "ACME")["owner"] == "Zhao Lei"  # nothing changed
    # kehu edit --owner is the same handover, under the same rule
    r = team("Boss", "2026-03-31", "edit", "ACME", "--owner", "Li Wei", "--region", "华东", code=1)
    assert "the next handover is allowed on 2026-04-01" in r.stderr
    assert team.json("Boss", "2026-03-31", "show", "ACME")["region"] is None  # all or nothing
    team("Boss", "2026-04-01", "edit", "ACME", "--owner", "Li Wei")
    shown = team.json("Boss", "2026-04-01", "show", "ACME")
    assert (shown["owner"], shown["claimed_on"], shown["owner_touched_on"]) == ("Li Wei", "2026-04-01", None)
    handovers = [(k, a, d) for k, a, d in events(team, "ACME", "2026-04-01") if k == "assigned"]
    assert handovers == [
        ("assigned", "Boss", {"from": "Li Wei", "to": "Wang Fang"}),
        ("assigned", "Boss", {"from": "Wang Fang", "to": "Zhao Lei"}),
        ("assigned", "Boss", {"from": "Zhao Lei", "to": "Li Wei"}),
    ]
    assert team.json("Boss", "2026-04-01", "history", "ACME")[1]["reason"] == "territory"
    # two in the window again (02-10 and 04-01): refused until 02-10 + 90 days
    r = team("Boss", "2026-04-02", "assign", "ACME", "Wang Fang", code=1)
    assert "allowed on 2026-05-11" in r.stderr


def test_assigning_to_the_current_owner_is_refused(team):
    team("Boss", DAY, "add", "ACME", "--owner", "Li Wei")
    r = team("Boss", DAY, "assign", "ACME", "LI WEI", code=1)
    assert r.stderr == "kehu: ACME is already Li Wei's: there is nothing to hand over.\n"
    assert "assigned" not in [k for k, _, _ in events(team, "ACME")]
    assert team("Boss", DAY, "assign", "ACME", "  ", code=2).stderr.count("\n") == 1
    # respelling the owner's name is an edit, not a handover
    team("Boss", DAY, "edit", "ACME", "--owner", "li wei")
    assert events(team, "ACME")[1:] == [("edited", "Boss", {"fields": ["owner"]})]
    assert team.json("Boss", DAY, "show", "ACME")["claimed_on"] == DAY


def test_edit_gives_an_owner_or_takes_it_off(team):
    team("Boss", "2026-01-01", "add", "ACME")
    team("Boss", "2026-01-02", "edit", "ACME", "--owner", "Li Wei")  # from the pool: no handover
    shown = team.json("Boss", "2026-01-02", "show", "ACME")
    assert (shown["owner"], shown["claimed_on"], shown["pool"]["state"]) == ("Li Wei", "2026-01-02", "held")
    team("Li Wei", "2026-01-03", "touch", "ACME", "--kind", "daily")
    assert team.json("Boss", "2026-01-03", "show", "ACME")["owner_touched_on"] == "2026-01-03"
    team("Boss", "2026-01-04", "edit", "ACME", "--owner", "")
    shown = team.json("Boss", "2026-01-04", "show", "ACME")
    assert (shown["owner"], shown["claimed_on"], shown["owner_touched_on"]) == (None, None, None)
    assert [(k, d) for k, _, d in events(team, "ACME", "2026-01-04")] == [
        ("created", None), ("edited", {"fields": ["owner"]}), ("edited", {"fields": ["owner"]})]
    assert names(team.json("Boss", "2026-01-04", "pool")) == ["ACME"]


# ---------------------------------------------------------------- the pool


def test_the_pool_lists_unowned_and_lapsed_customers(team):
    team("Li Wei", "2026-01-01", "add", "Unowned")
    team("Li Wei", "2026-01-01", "add", "Untouched", "--owner", "Li Wei")
    team("Li Wei", "2026-01-01", "add", "Slow", "--owner", "Wang Fang")
    team("Li Wei", "2026-03-01", "add", "Kept", "--owner", "Wang Fang")
    team("Li Wei", "2026-01-01", "add", "Ended")
    team("Li Wei", "2026-01-01", "drop", "Ended", "--reason", "no budget")
    for month in ("01", "02", "03", "04", "05", "06"):  # Wang Fang keeps in touch: only growth is late
        for day in ("05", "20"):
            team("Wang Fang", f"2026-{month}-{day}", "touch", "Slow", "--kind", "daily")
            if month >= "03":
                team("Wang Fang", f"2026-{month}-{day}", "touch", "Kept", "--kind", "daily")
    team("Zhao Lei", "2026-01-20", "touch", "Untouched", "--kind", "daily")  # not the owner's touch: no effect
    # Slow was claimed on 01-01: 06-30 is its 180th day, 07-01 the first in the pool
    assert names(team.json("Li Wei", "2026-06-30", "pool")) == ["Unowned", "Untouched"]
    rows = team.json("Li Wei", "2026-07-01", "pool")
    by_name = {r["name"]: r for r in rows}
    assert sorted(by_name) == ["Slow", "Unowned", "Untouched"]  # not Kept (touched, held), not Ended
    assert by_name["Unowned"] | {"tier": None} == {
        "id": 1, "name": "Unowned", "stage": "stranger", "tier": None, "last_touch": None,
        "previous_owner": None, "reason": "unowned", "since": None, "clock_from": None}
    assert {k: by_name["Untouched"][k] for k in ("previous_owner", "reason", "since", "clock_from", "last_touch")} == {
        "previous_owner": "Li Wei", "reason": "untouched", "since": "2026-02-01", "clock_from": "2026-01-01",
        "last_touch": "2026-01-20"}
    assert {k: by_name["Slow"][k] for k in ("previous_owner", "reason", "since", "clock_from")} == {
        "previous_owner": "Wang Fang", "reason": "no_growth", "since": "2026-07-01", "clock_from": "2026-01-01"}
    table = team("Li Wei", "2026-07-01", "pool").stdout.splitlines()
    assert table[0].split("\t") == ["ID", "Name", "Stage", "Tier", "Last touch", "Previous owner", "Why",
                                    "In pool since"]
    assert "not touched by its owner since 2026-01-01" in "\n".join(table)
    assert "not at growth 180 days after being claimed on 2026-01-01" in "\n".join(table)


def test_the_pool_day_by_day(team):
    team("Li Wei", "2026-01-01", "add", "ACME", "--owner", "Li Wei")
    assert team.json("Li Wei", "2026-01-31", "pool") == []
    assert team("Li Wei", "2026-01-31", "pool").stderr == "The public pool is empty.\n"
    assert names(team.json("Li Wei", "2026-02-01", "pool")) == ["ACME"]


# ---------------------------------------------------------------- claims and releases


def test_claiming_from_the_pool(team):
    team("Boss", DAY, "add", "ACME")
    r = team("Li Wei", DAY, "claim", "ACME")
    assert r.stderr == "Claimed customer #1 ACME: it is yours from today\n"
    shown = team.json("Li Wei", DAY, "show", "ACME")
    assert (shown["owner"], shown["claimed_on"], shown["owner_touched_on"]) == ("Li Wei", DAY, None)
    assert shown["pool"] == {"state": "held", "reason": "untouched", "returns_on": "2026-02-05", "days_left": 31}
    assert events(team, "ACME")[-1] == ("claimed", "Li Wei", {"from": None, "to": "Li Wei"})
    # someone else's: refused, naming the owner and the day it would come back
    r = team("Wang Fang", "2026-01-10", "claim", "ACME", code=1)
    assert r.stderr == ("kehu: ACME belongs to Li Wei; unless they follow it up, "
                        "it returns to the public pool on 2026-02-05.\n")
    r = team("li wei", "2026-01-10", "claim", "ACME", code=1)
    assert r.stderr == "kehu: ACME is already yours.\n"
    assert [k for k, _, _ in events(team, "ACME")] == ["created", "claimed"]


def test_claiming_a_lapsed_customer_records_its_return_then_the_claim(team):
    team("Li Wei", "2026-01-01", "add", "ACME", "--owner", "Li Wei")
    team("Li Wei", "2026-01-10", "touch", "ACME", "--kind", "daily")  # held through 02-09
    r = team("Wang Fang", "2026-02-09", "claim", "ACME", code=1)
    assert "returns to the public pool on 2026-02-10" in r.stderr
    r = team("Wang Fang", "2026-02-20", "claim", "ACME")
    assert r.stderr.splitlines()[1] == "It had returned to the public pool from Li Wei (recorded in its history)."
    history = team.json("Wang Fang", "2026-02-20", "history", "ACME")
    released, claimed = history[-2:]
    assert (released["kind"], released["actor"], released["detail"]) == (
        "released", None, {"from": "Li Wei", "why": "untouched"})
    assert released["at"].startswith("2026-02-10")
    assert (claimed["kind"], claimed["actor"], claimed["detail"]) == (
        "claimed", "Wang Fang", {"from": "Li Wei", "to": "Wang Fang"})
    shown = team.json("Wang Fang", "2026-02-20", "show", "ACME")
    assert (shown["owner"], shown["claimed_on"], shown["owner_touched_on"]) == ("Wang Fang", "2026-02-20", None)
    lines = team("Wang Fang", "2026-02-20", "history", "ACME").stdout.splitlines()
    assert "Li Wei (its owner did not touch it in time)" in lines[-2]
    assert lines[-1].split("\t")[2:] == ["Li Wei → Wang Fang", "", "Wang Fang"]


def test_the_previous_owner_may_claim_a_lapsed_customer_back(team):
    team("Li Wei", "2026-01-01", "add", "ACME", "--owner", "Li Wei")
    team("Li Wei", "2026-03-01", "claim", "ACME")
    assert [k for k, _, _ in events(team, "ACME", "2026-03-01")] == ["created", "released", "claimed"]
    assert team.json("Li Wei", "2026-03-01", "show", "ACME")["claimed_on"] == "2026-03-01"


def test_the_hold_limit(team, tmp_path):
    team("Boss", DAY, "config", "set", "pool.hold_limit", "2")
    for name in ("A", "B", "C", "D"):
        team("Boss", DAY, "add", name)
    signed = tmp_path / "signed.csv"  # a mature customer of Li Wei's: free, it does not count
    signed.write_text("name,owner,stage\nSigned,Li Wei,mature\n", encoding="utf-8")
    team("Boss", DAY, "import", str(signed))
    team("Li Wei", DAY, "claim", "A")
    team("Li Wei", DAY, "claim", "B")
    r = team("Li Wei", DAY, "claim", "C", code=1)
    assert r.stderr == ("kehu: You hold 2 of at most 2 customers (pool.hold_limit): release one "
                        "(kehu release) or bring one to mature before claiming more.\n")
    assert team.json("Li Wei", DAY, "show", "C")["owner"] is None
    team("Wang Fang", DAY, "claim", "C")  # the limit is per person
    # a terminated customer no longer counts; neither does one that lapsed
    team("Li Wei", DAY, "drop", "A", "--reason", "went bust")
    team("Li Wei", DAY, "claim", "D")
    team("Li Wei", DAY, "reopen", "A")
    assert team("Li Wei", DAY, "claim", "D", code=1).stderr == "kehu: D is already yours.\n"
    team("Li Wei", "2026-03-01", "claim", "A")  # A, B and D lapsed on 02-05: none is held
    assert names(team.json("Li Wei", "2026-03-01", "list", "--mine")) == ["A"]


def test_releasing(team):
    team("Boss", DAY, "add", "ACME", "--owner", "Li Wei")
    r = team("Wang Fang", DAY, "release", "ACME", code=1)
    assert r.stderr == "kehu: ACME belongs to Li Wei, who releases it; add --force to release it for them.\n"
    team("Li Wei", DAY, "release", "ACME", "--reason", "not our market")
    shown = team.json("Li Wei", DAY, "show", "ACME")
    assert (shown["owner"], shown["claimed_on"], shown["pool"]["state"]) == (None, None, "pool")
    assert team.json("Li Wei", DAY, "history", "ACME")[-1] | {"at": None, "id": None} == {
        "id": None, "at": None, "kind": "released", "from_stage": None, "to_stage": None,
        "reason": "not our market", "detail": {"from": "Li Wei"}, "actor": "Li Wei"}
    assert team.json("Li Wei", DAY, "pool")[0] | {"tier": None} == {
        "id": 1, "name": "ACME", "stage": "stranger", "tier": None, "last_touch": None,
        "previous_owner": "Li Wei", "reason": "released", "since": DAY, "clock_from": None}
    assert team("Li Wei", DAY, "release", "ACME", code=1).stderr == (
        "kehu: ACME has no owner: it is already in the public pool.\n")
    team("Wang Fang", DAY, "claim", "ACME")
    team("Boss", DAY, "release", "ACME", "--force")
    assert events(team, "ACME")[-1] == ("released", "Boss", {"from": "Wang Fang", "forced": True})


# ---------------------------------------------------------------- warnings in kehu remind


def _pool_items(team: Team, user: str, day: str, *args: str) -> list[dict]:
    return [i for i in team.json(user, day, "remind", "--within", "0", *args) if i["kind"] == "pool"]


def test_the_owner_is_warned_exactly_warn_days_before(team):
    team("Li Wei", "2026-01-01", "add", "ACME", "--owner", "Li Wei")  # returns on 02-01
    assert _pool_items(team, "Li Wei", "2026-01-24", "--mine") == []  # 8 days before
    [item] = _pool_items(team, "Li Wei", "2026-01-25", "--mine")  # 7 days before
    assert {k: item[k] for k in ("id", "customer", "due", "bucket", "returns_on", "reason", "clock_from")} == {
        "id": "H1", "customer": "ACME", "due": "2026-01-31", "bucket": "upcoming", "returns_on": "2026-02-01",
        "reason": "untouched", "clock_from": "2026-01-01"}
    assert item["text"] == "returns to the public pool on 2026-02-01: not touched by its owner since 2026-01-01"
    line = team("Li Wei", "2026-01-25", "remind", "--within", "0").stdout  # the acting salesperson's by default
    assert line.split("\t")[:5] == ["upcoming", "2026-01-31", "H1", "ACME", "pool"]
    assert _pool_items(team, "Wang Fang", "2026-01-25") == []  # not Wang Fang's customer
    assert len(_pool_items(team, "Wang Fang", "2026-01-25", "--owner", "LI WEI")) == 1
    assert _pool_items(team, "Li Wei", "2026-02-01") == []  # lapsed: in the pool, not a warning
    # someone else's touch does not keep it; the owner's does
    team("Wang Fang", "2026-01-26", "touch", "ACME", "--kind", "daily")
    assert len(_pool_items(team, "Li Wei", "2026-01-26")) == 1
    team("Li Wei", "2026-01-26", "touch", "ACME", "--kind", "daily")
    assert _pool_items(team, "Li Wei", "2026-01-26") == []
    assert team.json("Li Wei", "2026-01-26", "show", "ACME")["owner_touched_on"] == "2026-01-26"


def test_the_growth_warning_and_its_place_among_the_follow_ups(team):
    team("Li Wei", "2026-01-01", "add", "ACME", "--owner", "Li Wei")
    team("Li Wei", "2026-01-01", "config", "set", "pool.untouched_days", "365")  # only growth is late
    [item] = _pool_items(team, "Li Wei", "2026-06-25")  # 06-30 is day 180: returns 07-01
    assert item["text"] == ("returns to the public pool on 2026-07-01: "
                            "not at growth 180 days after being claimed on 2026-01-01")
    assert item["urgency_parts"]["kind"] == 1.4
    zh = team("Li Wei", "2026-06-25", "--lang", "zh", "remind", "--within", "0").stdout
    assert "将于 2026-07-01 回到公海：2026-01-01 认领后 180 天内未进入成长期" in zh
    r = team("Li Wei", "2026-06-25", "followup", "done", "H1", code=1)
    assert "log a touchpoint with the customer" in r.stderr
    explained = team.json("Li Wei", "2026-06-25", "followup", "explain", "H1")
    assert explained["kind"] == "pool" and explained["returns_on"] == "2026-07-01"
    next_ids = [i["id"] for i in team.json("Li Wei", "2026-06-25", "next", "--mine")]
    assert "H1" in next_ids


def test_the_calendar_carries_the_pool_warning(team, tmp_path):
    team("Li Wei", "2026-01-01", "add", "ACME", "--owner", "Li Wei")
    path = tmp_path / "cal.ics"
    team("Li Wei", "2026-01-25", "remind", "--ics", str(path))
    text = path.read_bytes().decode().replace("\r\n ", "")
    assert "UID:H1-2026-01-31@kehu" in text and "returns to the public pool on 2026-02-01" in text


# ---------------------------------------------------------------- settings


def test_zero_switches_each_rule_off(team):
    team("Boss", "2026-01-01", "add", "ACME", "--owner", "Li Wei")
    team("Boss", "2026-01-01", "config", "set", "pool.untouched_days", "0")
    # untouched for 170 days: kept, because only the growth clock runs (returns 07-01)
    assert names(team.json("Li Wei", "2026-06-20", "list", "--mine")) == ["ACME"]
    assert team.json("Li Wei", "2026-06-20", "show", "ACME")["pool"]["reason"] == "no_growth"
    team("Boss", "2026-01-01", "config", "set", "pool.growth_days", "0")
    assert names(team.json("Li Wei", "2028-01-01", "list", "--mine")) == ["ACME"]
    assert team.json("Li Wei", "2028-01-01", "pool") == []
    assert team.json("Li Wei", "2028-01-01", "show", "ACME")["pool"]["returns_on"] is None
    assert team("Wang Fang", "2028-01-01", "claim", "ACME", code=1).stderr == (
        "kehu: ACME belongs to Li Wei and is not due back in the public pool.\n")

    team("Boss", "2026-01-01", "config", "set", "pool.untouched_days", "30")
    team("Boss", "2026-01-01", "config", "set", "pool.warn_days", "0")
    assert _pool_items(team, "Li Wei", "2026-01-31") == []  # its last day: no warning ahead
    assert names(team.json("Li Wei", "2026-02-01", "pool")) == ["ACME"]

    team("Boss", "2026-01-01", "config", "set", "handover.limit", "0")
    for i, who in enumerate(["Wang Fang", "Zhao Lei", "Li Wei", "Wang Fang"]):
        team("Boss", f"2026-01-0{i + 2}", "assign", "ACME", who)
    team("Boss", "2026-01-01", "config", "set", "handover.limit", "2")
    team("Boss", "2026-01-07", "assign", "ACME", "Zhao Lei", code=1)
    team("Boss", "2026-01-01", "config", "set", "handover.window_days", "0")
    team("Boss", "2026-01-07", "assign", "ACME", "Zhao Lei")

    team("Boss", "2026-01-01", "config", "set", "pool.hold_limit", "1")
    team("Boss", "2026-01-10", "add", "Beta")
    team("Boss", "2026-01-10", "add", "Gamma")
    team("Li Wei", "2026-01-10", "claim", "Beta")
    team("Li Wei", "2026-01-10", "claim", "Gamma", code=1)
    team("Boss", "2026-01-01", "config", "set", "pool.hold_limit", "0")
    team("Li Wei", "2026-01-10", "claim", "Gamma")


@pytest.mark.parametrize("key", ["pool.untouched_days", "pool.growth_days", "pool.warn_days", "pool.hold_limit",
                                 "handover.limit", "handover.window_days"])
def test_the_settings_and_their_defaults(team, key):
    team("Boss", DAY, "add", "ACME")
    data = team.json("Boss", DAY, "config", "list")
    defaults = {"pool.untouched_days": "30", "pool.growth_days": "180", "pool.warn_days": "7",
                "pool.hold_limit": "100", "handover.limit": "2", "handover.window_days": "90"}
    assert data[key] == {"value": defaults[key], "default": defaults[key], "own": True}  # the pool clocks: kehu's
    refused = team("Boss", DAY, "config", "set", key, "x", code=2).stderr
    assert refused.startswith(f"kehu: Invalid value 'x' for {key} (") and "0 to" in refused
    listing = team("Boss", DAY, "config", "list").stdout
    assert next(line for line in listing.splitlines() if line.startswith(key + "\t")).endswith(")")
    zh = team("Boss", DAY, "--lang", "zh", "config", "list").stdout
    assert "0 表示" in next(line for line in zh.splitlines() if line.startswith(key + "\t"))


# ---------------------------------------------------------------- CSV


def test_csv_import_of_owners_and_of_the_owners_touchpoints(team, tmp_path):
    customers = tmp_path / "customers.csv"
    customers.write_text("name,owner\nACME,li wei\nBeta,Wang Fang\nGamma,\n", encoding="utf-8")
    team("Boss", "2026-01-01", "import", str(customers))
    assert names(team.json("Li Wei", "2026-01-01", "list", "--mine")) == ["ACME"]
    for name, claimed in (("ACME", "2026-01-01"), ("Beta", "2026-01-01"), ("Gamma", None)):
        shown = team.json("Boss", "2026-01-01", "show", name)
        assert (shown["claimed_on"], shown["owner_touched_on"]) == (claimed, None), name
    assert [e["actor"] for e in team.json("Boss", "2026-01-01", "history", "ACME")] == ["Boss"]

    touches = tmp_path / "touchpoints.csv"
    touches.write_text("customer,date,kind\nACME,2026-01-03,daily\nACME,2026-01-09,daily\nACME,2026-01-05,topic\n"
                       "Beta,2026-01-09,daily\nGamma,2026-01-09,daily\n", encoding="utf-8")
    team("Li Wei", "2026-01-10", "import", str(touches))
    acme = team.json("Li Wei", "2026-01-10", "show", "ACME")
    assert acme["owner_touched_on"] == "2026-01-09"  # the latest of the owner's three
    assert {t["actor"] for t in acme["touchpoints"]} == {"Li Wei"}
    assert team.json("Li Wei", "2026-01-10", "show", "Beta")["owner_touched_on"] is None  # not Wang Fang's touch
    # an earlier day imported later does not move it back
    older = tmp_path / "older.csv"
    older.write_text("customer,date,kind\nACME,2026-01-02,summit\n", encoding="utf-8")
    team("Li Wei", "2026-01-10", "import", str(older))
    assert team.json("Li Wei", "2026-01-10", "show", "ACME")["owner_touched_on"] == "2026-01-09"

    # re-importing customers with a new owner restarts the clocks; a dry run changes nothing
    customers.write_text("name,owner\nACME,Zhao Lei\nBeta,WANG FANG\n", encoding="utf-8")
    team("Boss", "2026-01-20", "import", str(customers), "--dry-run")
    assert team.json("Boss", "2026-01-20", "show", "ACME")["owner"] == "li wei"
    team("Boss", "2026-01-20", "import", str(customers))
    acme = team.json("Boss", "2026-01-20", "show", "ACME")
    assert (acme["owner"], acme["claimed_on"], acme["owner_touched_on"]) == ("Zhao Lei", "2026-01-20", None)
    beta = team.json("Boss", "2026-01-20", "show", "Beta")
    assert (beta["owner"], beta["claimed_on"]) == ("WANG FANG", "2026-01-01")  # the same person: no new claim
    assert names(team.json("Zhao Lei", "2026-01-20", "list", "--mine")) == ["ACME"]
