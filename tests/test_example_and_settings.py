"""The example book works end to end; settings change what kehu decides; times show local."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The example book's dates are relative to the day it is built (-120d, +5d...): it is
# built and read on one pinned day, so no verdict depends on the real date (read a year
# later, a second instalment had fallen overdue).
ON_DAY = {"KEHU_TODAY": "2026-11-23"}


@pytest.fixture(scope="module")
def example_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("example") / "demo.db"
    subprocess.run([sys.executable, str(ROOT / "examples" / "build_book.py"), str(path)],
                   check=True, capture_output=True, timeout=300, env={**os.environ, **ON_DAY})
    return path


def test_the_example_book_meets_its_brief(kehu, example_book):
    db = str(example_book)
    customers = kehu.json("--db", db, "list", env=ON_DAY)
    assert len(customers) >= 12
    assert {c["stage"] for c in customers} == {"stranger", "acquainted", "evaluation", "growth", "mature"}
    assert sum(c["terminated"] for c in customers) == 1
    assert sum(c["people"] for c in customers) >= 30
    promises = kehu.json("--db", db, "promise", "list", env=ON_DAY)
    assert {p["state"] for p in promises} == {"open", "kept", "broken"}
    contracts = kehu.json("--db", db, "contract", "list", env=ON_DAY)
    assert {k["status"] for k in contracts} == {"draft", "negotiating", "signed", "completed", "lost"}
    assert [k["id"] for k in contracts if k["overdue"] != "0.00"] == [1]
    # Every mature customer got there by signing a contract, none by force.
    mature = {c["name"] for c in customers if c["stage"] == "mature"}
    assert mature == {k["customer"] for k in contracts if k["status"] in ("signed", "completed")}
    for name in mature:
        assert "forced" not in {e["kind"] for e in kehu.json("--db", db, "history", name, env=ON_DAY)}
    plans = [kehu.json("--db", db, "negotiate", str(k["id"]), env=ON_DAY)
             for k in contracts if k["status"] == "negotiating"]
    in_progress = [p for p in plans if p["timing"]["terms"] and not p["ready"]]
    assert len(in_progress) == 1 and in_progress[0]["issues"]
    due = {item["kind"] for item in kehu.json("--db", db, "remind", env=ON_DAY)}
    assert {"receivable", "aftercare"} <= due


def test_the_example_books_priorities_follow_real_business(kehu, example_book):
    """Issue 18: `kehu tier` puts the accounts with the most business on top, and `kehu
    next`'s top ten are led by real business (overdue money, due promises, the deals'
    next steps), not by a prospect's cadence."""
    db = str(example_book)
    ranked = kehu.json("--db", db, "list", "--sort", "tier", "--active", env=ON_DAY)
    top = [c["name"] for c in ranked if c["tier"] in ("platinum", "gold")]
    assert top[0] == "华东电网信息中心" and ranked[0]["tier"] == "platinum"
    for name in top:  # every platinum and gold account is doing business with us
        assert kehu.json("--db", db, "tier", "--explain", name, env=ON_DAY)["business"] is True, name
    report = kehu.json("--db", db, "tier", env=ON_DAY)
    pyramid = {t["tier"]: t["count"] for t in report["tiers"]}
    assert pyramid["platinum"] >= 1 and pyramid["gold"] >= 1  # a pyramid, not one peak
    # The pyramid counts only the customers doing business (issue 18, point 1: prospects are
    # ranked apart): the example's three signed accounts make it, so it no longer has the
    # iron tier the prospects used to fill; the prospects are its pipeline, by expected value.
    business = {c["name"] for c in ranked if c["stage"] == "mature"}
    assert report["pyramid_of"] == "business" and sum(pyramid.values()) == len(business) == 3
    pipeline = [p["name"] for p in report["pipeline"]]
    assert set(pipeline) == {c["name"] for c in ranked} - business
    assert [p["expected"] for p in report["pipeline"]] == sorted((p["expected"] for p in report["pipeline"]),
                                                                  key=float, reverse=True)
    items = kehu.json("--db", db, "next", env=ON_DAY)[:10]
    assert items[0]["kind"] == "receivable" and items[0]["customer"] == "华东电网信息中心"
    # (issue 19's follow-ups of existing customers are business too: a complaint's call-back,
    # a project review, the next purchase, falling business)
    business = {"receivable", "promise", "next_step", "aftercare", "complaint", "review", "repurchase", "decay"}
    assert sum(i["kind"] in business for i in items) >= 7
    prospects = {c["name"] for c in ranked if c["stage"] in ("stranger", "acquainted", "evaluation")}
    assert not [i["id"] for i in items if i["customer"] in prospects and i["kind"] not in business]
    assert len({i["customer"] for i in items[:5]} & prospects) == 0


def test_the_example_book_shows_the_methods_facts(kehu, example_book):
    """Issue 18's facts are in the example book, so a new user sees them: a qualified
    prospect and one dropped for its money, a decision influencer who opposes us, a
    strategic prospect, profitability cells and a signal typed with its kind."""
    db = str(example_book)

    def show(name):
        return kehu.json("--db", db, "show", name, env=ON_DAY)

    assert show("广州南粤城商银行")["qualified_prospect"]["verdict"] == "qualified"
    assert show("西安秦川重工")["qualified_prospect"] == {"verdict": "unqualified", "bad": ["pay"],
                                                        "unknown": ["credit", "desire", "authority"]}
    assert show("华东电网信息中心")["qualified_prospect"] is None  # doing business: no longer a prospect
    hefei = show("合肥启明新能源")
    assert [p["name"] for p in hefei["people"] if p["attitude"] == "oppose"] == ["魏建平"]
    assert hefei["trust"]["suggestions"][0]["key"] == "tip_opposing"
    assert "风险：魏建平 反对我们" in kehu("--db", db, "--lang", "zh", "show", "合肥启明新能源", env=ON_DAY).stdout
    report = kehu.json("--db", db, "tier", env=ON_DAY)
    strategic = [(p["name"], p["chance"]) for p in report["pipeline"] if p["segment"] == "strategic"]
    assert strategic == [("郑州中原冷链", 100)]
    cells = {name: show(name)["cell"] for name in ("华东电网信息中心", "深圳星河制造", "青岛海韵食品")}
    assert cells == {"华东电网信息中心": "best", "深圳星河制造": "invest", "青岛海韵食品": "worst"}
    typed = [(s["kind"], s["direction"]) for s in show("宁波港联国际货运")["signals"]["current"]
             if s["source"] == "typed"]
    assert typed == [("invitation", "for")]
    timeline = kehu("--db", db, "--lang", "zh", "timeline", "宁波港联国际货运", env=ON_DAY).stdout
    assert "有利·邀约" in timeline
    # the two prospects at partner level are warned as prospects, never "too high for iron"
    levels = {(w["name"], w["key"]) for w in report["warnings"] if w["key"].startswith("warn_level")}
    assert levels == {("金陵康宁医疗集团", "warn_level_prospect"), ("广州南粤城商银行", "warn_level_prospect")}


@pytest.mark.parametrize("args", [("tier",), ("remind",), ("next",), ("funnel",), ("tier", "--json"),
                                  ("remind", "--json"), ("next", "--json"), ("funnel", "--json")])
def test_every_agenda_command_works_on_the_example_book(kehu, example_book, args):
    r = kehu("--db", str(example_book), *args, env=ON_DAY)
    assert r.stdout.strip()
    if "--json" in args:
        json.loads(r.stdout)


def test_config_lists_every_setting_with_its_default(kehu):
    kehu("add", "华为")
    data = kehu.json("config", "list")
    # the pyramid's cuts are the method's (seed 002), not kehu's own
    assert data["tier.cuts"] == {"value": "1,5,20", "default": "1,5,20", "own": False}
    assert data["cadence.platinum"]["default"] == "7" and data["cadence.lead"]["default"] == "90"
    assert data["kind_weight.summit"]["default"] == "10" and data["trust.threshold"]["default"] == "40"
    assert "whole number from 1 to 100" in kehu("config", "set", "kind_weight.summit", "2.5", code=2).stderr


def test_cadence_and_kind_weight_settings_change_decisions(kehu):
    env = {"KEHU_TODAY": "2026-11-23"}
    kehu("add", "华为", "--value", "100", "--date", "2026-11-01", env=env)  # platinum
    kehu("touch", "华为", "--kind", "summit", "--date", "2026-11-20", env=env)
    assert kehu("remind", "--within", "0", env=env).stdout == ""  # due 11-27
    kehu("config", "set", "cadence.platinum", "2")
    assert kehu("remind", "--within", "0", env=env).stdout.split("\t")[:3] == ["overdue", "2026-11-22", "C1"]
    before = kehu.json("tier", "--explain", "华为", env=env)["effort"]
    kehu("config", "set", "kind_weight.summit", "30")
    assert (before, kehu.json("tier", "--explain", "华为", env=env)["effort"]) == (10.0, 30.0)


def test_moments_are_stored_utc_and_shown_in_local_time(monkeypatch):
    from kehu.dates import show_datetime

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert show_datetime(datetime(2026, 3, 5, 23, 30, tzinfo=UTC)) == "2026-03-06 07:30"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_example_book_shows_after_the_deal(kehu, example_book):
    """A complaint, a review and a referral are in the example book, and `kehu next` on it
    has a repeat-business item (issue 19)."""
    db = str(example_book)
    complaints = kehu.json("--db", db, "complaint", "list", env=ON_DAY)
    assert [(c["customer"], c["state"]) for c in complaints] == [("杭州云帆物流", "open")]
    review = kehu.json("--db", db, "review", "6", env=ON_DAY)
    assert review["status"] == "lost" and review["written_on"] and review["answers"]["lessons"]
    assert kehu.json("--db", db, "show", "深圳星河制造", env=ON_DAY)["referrals"] == ["杭州云帆物流"]
    assert kehu.json("--db", db, "show", "杭州云帆物流", env=ON_DAY)["introduced_by"] == "深圳星河制造 黄志明"
    kinds = {i["kind"] for i in kehu.json("--db", db, "next", env=ON_DAY)}
    assert kinds & {"repurchase", "expansion", "referral", "decay"}
