"""`kehu negotiate`: recording a contract's negotiation plan and the readiness verdict,
end to end through the command line."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from conftest import BACKEND
from typer.testing import CliRunner

from kehu.cli import app

from kehu.rules.negotiation import ASPECTS, ROLES, TIMING

TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def pinned_today(isolated_book, monkeypatch):
    monkeypatch.setenv("KEHU_TODAY", TODAY)


@pytest.fixture
def deal(kehu):
    """Contract 1: 华为, 120万, negotiating; nothing planned yet."""
    kehu("add", "华为")
    kehu("contract", "add", "华为", "数据中心扩容", "--amount", "120万", "--status", "negotiating")
    return kehu


@pytest.fixture(scope="module")
def ready_book(tmp_path_factory):
    """A book whose contract 1 has the complete plan, built once through the commands
    (about forty of them) and copied for each test that starts from it."""
    root = tmp_path_factory.mktemp("ready")
    book = root / "book" / "kehu.db"
    env = {"KEHU_DB": str(book), "KEHU_LANG": "en", "KEHU_TODAY": TODAY, "HOME": str(root / "home"),
           "XDG_CONFIG_HOME": str(root / "xdg"), "KEHU_TTY": None, "KEHU_DEBUG": None, "LC_ALL": None,
           "LC_MESSAGES": None}
    runner = CliRunner()

    def run(*args, code=0):
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == code, (args, result.stderr)
        return result

    run("add", "华为")
    run("contract", "add", "华为", "数据中心扩容", "--amount", "120万", "--status", "negotiating")
    build(run)
    conn = sqlite3.connect(book)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return book


@pytest.fixture
def ready(kehu, isolated_book, request):
    """Contract 1 of 华为 with a complete plan (the `deal` fixture plus `build`)."""
    if BACKEND == "postgresql":  # a server book is no file to copy: build it here
        request.getfixturevalue("deal")
        build(kehu)
        return kehu
    ready_book = request.getfixturevalue("ready_book")
    isolated_book.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copyfile(ready_book, isolated_book)
    isolated_book.chmod(0o600)
    return kehu


def plan(kehu, ident="1") -> dict:
    return json.loads(kehu("negotiate", ident, "--json").stdout)


def missing(kehu, ident="1") -> list[dict]:
    """The missing pieces without their display text."""
    return [{k: v for k, v in m.items() if k != "text"} for m in plan(kehu, ident)["missing"]]


def one_line(result) -> str:
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("kehu: ")
    return result.stderr


def build(kehu, skip: str | None = None, ident: str = "1") -> None:
    """A complete plan for contract ``ident``, leaving out (or spoiling) the piece ``skip``."""
    for condition in TIMING:
        if skip != f"timing:{condition}":
            kehu("negotiate", "timing", ident, condition, f"证据 {condition}", "--date", "2026-11-20")
    need = [] if skip == "need" else ["--need", "预算只够100万"]
    issue = json.loads(kehu("negotiate", "issue", ident, "价格高于预算", *need, "--date", "2026-11-18",
                            "--json").stdout)["id"]
    kehu("negotiate", "option", str(issue), "分两年付款", "--value", "今年预算内可签")
    if skip != "options":
        value = [] if skip == "option_value" else ["--value", "降低总拥有成本"]
        kehu("negotiate", "option", str(issue), "加送三年维保", *value)
    for party, aspects in ASPECTS.items():
        for aspect in aspects:
            if skip != f"analysis:{party}:{aspect}":
                kehu("negotiate", "analysis", ident, party, aspect, f"{party}-{aspect}")
    goal = ["--specific", "签下扩容一期", "--measurable", "不低于108万", "--achievable", "预算已批",
            "--relevant", "锁定二期"]
    if skip == "deadline_past":
        goal += ["--deadline", "2026-11-01"]
    elif skip != "deadline":
        goal += ["--deadline", "2026-12-31"]
    kehu("negotiate", "goal", ident, *goal)
    amounts = {"best": "120万", "compromise": "114万", "bottom": "108万"}
    if skip == "packages_order":
        amounts["bottom"] = "130万"
    for kind, text in (("best", "全价含培训"), ("compromise", "九五折"), ("bottom", "九折不含培训")):
        if skip != f"package:{kind}":
            kehu("negotiate", "package", ident, kind, text, "--amount", amounts[kind])
    for role in ROLES:
        if skip != f"team:{role}":
            kehu("negotiate", "team", ident, role, f"同事-{role}")


def test_a_fresh_contract_is_not_ready_and_every_piece_is_named(deal):
    r = deal("negotiate", "1")  # NOT READY is a verdict, not an error: exit 0
    assert "NOT READY, missing: 33" in r.stdout
    data = plan(deal)
    assert data["ready"] is False and data["verdict"] == "NOT READY"
    gaps = missing(deal)
    assert len(gaps) == 33
    assert [m["part"] for m in gaps] == ["timing"] * 4 + ["issues"] + ["analysis"] * 15 + ["goal"] * 5 + \
        ["packages"] * 3 + ["team"] * 5
    assert [m["timing"] for m in gaps[:4]] == list(TIMING)
    assert gaps[4] == {"part": "issues", "key": "neg_no_issues"}
    assert [(m["party"], m["aspect"]) for m in gaps[5:20]] == [(p, a) for p, aa in ASPECTS.items() for a in aa]
    assert [m["smart"] for m in gaps[20:25]] == ["specific", "measurable", "achievable", "relevant", "deadline"]
    assert [m["package"] for m in gaps[25:28]] == ["best", "compromise", "bottom"]
    assert [m["team_role"] for m in gaps[28:]] == list(ROLES)
    # every piece is a line of its own in the text, with the command that records it
    crosses = missing_block(r.stdout)
    assert len(crosses) == 33 and all(line.startswith("✗ ") and "(kehu negotiate" in line for line in crosses)
    assert all(m["text"] for m in data["missing"])


def test_the_whole_plan_built_through_the_commands_is_ready(ready):
    r = ready("negotiate", "1")
    assert "NOT READY" not in r.stdout and "READY" in r.stdout
    assert missing_block(r.stdout) == []
    data = plan(ready)
    assert (data["ready"], data["verdict"], data["missing"], data["warnings"]) == (True, "READY", [], [])
    assert data["timing"]["all_raised"] == {"evidence": "证据 all_raised", "date": "2026-11-20"}
    assert data["issues"] == [{
        "id": 1, "detail": "价格高于预算", "need": "预算只够100万",
        "options": [{"id": 1, "text": "分两年付款", "value": "今年预算内可签"},
                    {"id": 2, "text": "加送三年维保", "value": "降低总拥有成本"}],
        "settled_by": None, "settlement": None, "settled_on": None, "flags": []}]
    assert data["analysis"]["competitor"]["tactics"] == "competitor-tactics"
    assert data["goal"] == {"specific": "签下扩容一期", "measurable": "不低于108万", "achievable": "预算已批",
                            "relevant": "锁定二期", "deadline": "2026-12-31"}
    assert data["packages"] == {"best": {"text": "全价含培训", "amount": "1200000.00"},
                                "compromise": {"text": "九五折", "amount": "1140000.00"},
                                "bottom": {"text": "九折不含培训", "amount": "1080000.00"}}
    assert data["team"] == {role: f"同事-{role}" for role in ROLES}
    assert data["settlement_order"] == ["trade", "add_value", "split", "concede"]
    assert data["principles"] == ["people_problem", "interests", "options", "criteria"]


def test_the_text_verdict_and_missing_block_when_ready(ready):
    out = ready("negotiate", "1").stdout
    assert "# Missing" not in out
    verdict = [line for line in out.splitlines() if line.startswith("Verdict\t")]
    assert len(verdict) == 1 and "READY" in verdict[0] and "NOT" not in verdict[0]


@pytest.mark.parametrize("skip, gap", [
    ("timing:all_raised", {"part": "timing", "key": "neg_timing_missing", "timing": "all_raised"}),
    ("need", {"part": "issues", "key": "neg_issue_need", "issue": 1}),
    ("options", {"part": "issues", "key": "neg_issue_options", "issue": 1, "count": 1, "min": 2}),
    ("option_value", {"part": "issues", "key": "neg_option_value", "issue": 1, "option": 2}),
    ("analysis:competitor:tactics", {"part": "analysis", "key": "neg_analysis_missing", "party": "competitor",
                                     "aspect": "tactics"}),
    ("deadline", {"part": "goal", "key": "neg_goal_missing", "smart": "deadline"}),
    ("deadline_past", {"part": "goal", "key": "neg_deadline_past", "deadline": "2026-11-01"}),
    ("package:bottom", {"part": "packages", "key": "neg_package_missing", "package": "bottom"}),
    ("packages_order", {"part": "packages", "key": "neg_packages_order", "best": "1200000.00",
                        "compromise": "1140000.00", "bottom": "1300000.00"}),
    ("team:recorder", {"part": "team", "key": "neg_role_missing", "team_role": "recorder"}),
])
def test_a_plan_missing_one_piece_names_exactly_that_piece(deal, skip, gap):
    build(deal, skip=skip)
    data = plan(deal)
    assert data["ready"] is False and data["verdict"] == "NOT READY"
    assert missing(deal) == [gap]
    out = deal("negotiate", "1").stdout
    assert "NOT READY, missing: 1" in out
    assert len(missing_block(out)) == 1


def missing_block(out: str) -> list[str]:
    """The lines of the text's Missing block."""
    lines = out.splitlines()
    if "# Missing" not in lines:
        return []
    block = lines[lines.index("# Missing") + 1:]
    return block[:block.index("")] if "" in block else block


def test_one_plan_does_not_count_for_another_contract(ready):
    ready("contract", "add", "华为", "另一单", "--amount", "1")
    assert len(missing(ready, "2")) == 33
    assert plan(ready)["ready"] is True


def test_settling_by_concession_is_flagged_but_does_not_block(ready):
    r = ready("negotiate", "settle", "1", "concede", "--note", "免费加送维保")
    assert r.stderr.splitlines()[0] == "Disagreement #1 settled by concede"
    assert "a concession is one-sided" in r.stderr.splitlines()[1]
    data = plan(ready)
    assert data["ready"] is True and data["missing"] == []
    assert [{k: v for k, v in w.items() if k != "text"} for w in data["warnings"]] == [
        {"key": "neg_concession", "issue": 1}]
    issue = data["issues"][0]
    assert (issue["settled_by"], issue["settlement"], issue["settled_on"], issue["flags"]) == (
        "concede", "免费加送维保", TODAY, ["concession"])
    assert "! concede: 免费加送维保" in ready("negotiate", "1").stdout
    # settling by trade instead: no flag, no warning
    r = ready("negotiate", "settle", "1", "利益交换")
    assert r.stderr == "Disagreement #1 settled by trade\n"
    data = plan(ready)
    assert data["warnings"] == [] and data["issues"][0]["flags"] == []


def test_lead_who_also_records_is_a_warning(ready):
    ready("negotiate", "team", "1", "recorder", "同事-lead")
    data = plan(ready)
    assert data["ready"] is True
    assert [w["key"] for w in data["warnings"]] == ["neg_lead_is_recorder"]


def test_agenda_prints_opening_bargaining_and_close(ready):
    ready("negotiate", "issue", "1", "交付周期", "--need", "年底上线")
    ready("negotiate", "option", "2", "分批交付", "--value", "先上线核心")
    ready("negotiate", "option", "2", "加派工程师", "--value", "按期完成")
    ready("negotiate", "settle", "2", "add_value", "--note", "加派工程师")
    out = ready("negotiate", "agenda", "1").stdout
    lines = out.splitlines()
    assert lines[0] == "# Meeting agenda"
    phases = [line for line in lines if not line.startswith(" ") and not line.startswith("#")]
    assert phases == ["opening", "bargaining", "close"]
    text = "\n".join(lines)
    assert text.index("opening") < text.index("bargaining") < text.index("close")
    # the settled disagreement is recapped, the open one bargained with its need and options
    assert "      - #2 交付周期 → add value: 加派工程师" in lines
    assert "  [disagreement #1] 价格高于预算" in lines
    assert "    ☐ confirm the customer's underlying need: 预算只够100万" in lines
    assert "        - 分两年付款 (value to the customer: 今年预算内可签)" in lines
    assert "        - 加送三年维保 (value to the customer: 降低总拥有成本)" in lines
    assert "      - bottom line: 九折不含培训 — 1,080,000" in lines
    assert "[disagreement #2]" not in out
    steps = json.loads(ready("negotiate", "agenda", "1", "--json").stdout)
    assert [s["phase"] for s in steps] == ["opening"] * 3 + ["bargaining"] * 6 + ["close"] * 3
    assert [s["step"] for s in steps[3:9]] == ["detail", "need", "our_position", "options", "deadlock", "wrap_up"]
    assert steps[6]["items"] == [{"option": 1, "text": "分两年付款", "value": "今年预算内可签"},
                                 {"option": 2, "text": "加送三年维保", "value": "降低总拥有成本"}]
    assert steps == plan(ready)["agenda"]
    # the agenda is part of the whole plan's text too
    assert "# Meeting agenda" in ready("negotiate", "1").stdout


@pytest.mark.parametrize("start", ["deal", "ready"])
def test_show_is_the_default_subcommand(request, start):
    kehu = request.getfixturevalue(start)
    assert kehu("negotiate", "show", "1").stdout == kehu("negotiate", "1").stdout
    assert kehu("negotiate", "show", "1", "--json").stdout == kehu("negotiate", "1", "--json").stdout
    assert kehu("negotiate", "#1", "--json").stdout == kehu("negotiate", "1", "--json").stdout


@pytest.mark.parametrize("args", [
    ["99"], ["show", "99"], ["agenda", "99"], ["timing", "99", "terms", "e"], ["issue", "99", "x"],
    ["analysis", "99", "ours", "strengths", "x"], ["goal", "99", "--specific", "x"],
    ["package", "99", "best", "x"], ["team", "99", "lead", "x"],
])
def test_an_unknown_contract_is_one_line_and_exit_1(deal, args):
    assert "no contract 99" in one_line(deal("negotiate", *args, code=1))


@pytest.mark.parametrize("args", [["option", "99", "x"], ["need", "99", "x"], ["settle", "99", "trade"]])
def test_an_unknown_disagreement_is_one_line_and_exit_1(deal, args):
    assert "no disagreement 99" in one_line(deal("negotiate", *args, code=1))


@pytest.mark.parametrize("args, message", [
    (["timing", "1", "xyz", "e"], "Unknown timing condition: xyz"),
    (["analysis", "1", "x", "pain", "t"], "Unknown party: x"),
    (["analysis", "1", "ours", "pain", "t"], "ourselves has no aspect pain"),
    (["analysis", "1", "competitor", "finances", "t"], "has no aspect finances"),
    (["analysis", "1", "ours", "nonsense", "t"], "Unknown aspect: nonsense"),
    (["package", "1", "huge", "t"], "Unknown package: huge"),
    (["team", "1", "boss", "t"], "Unknown team role: boss"),
    (["settle", "1", "magic"], "Unknown settlement: magic"),
    (["timing", "1", "terms", "e", "--date", "2026-11-24"], "in the future"),
    (["goal", "1"], "Nothing to change"),
    (["goal", "1", "--deadline", "soon"], "Cannot read the date 'soon'"),
    (["package", "1", "best", "t", "--amount", "lots"], "Cannot read the amount 'lots'"),
])
def test_bad_values_are_usage_errors_and_change_nothing(deal, args, message):
    deal("negotiate", "issue", "1", "价格")
    before = deal("negotiate", "1", "--json").stdout
    assert message in one_line(deal("negotiate", *args, code=2))
    assert deal("negotiate", "1", "--json").stdout == before


def test_chinese_aliases(deal):
    deal("negotiate", "timing", "1", "条件", "客户书面确认了采购条件")
    deal("negotiate", "timing", "1", "全部分歧", "会上逐条确认")
    deal("negotiate", "package", "1", "底线", "九折", "--amount", "108万")
    deal("negotiate", "package", "1", "最优", "全价")
    deal("negotiate", "team", "1", "主谈", "王总")
    deal("negotiate", "team", "1", "记录员", "小李")
    deal("negotiate", "analysis", "1", "我方", "优势", "本地服务团队")
    deal("negotiate", "analysis", "1", "竞争对手", "对手方案", "低价")
    deal("negotiate", "issue", "1", "价格")
    deal("negotiate", "settle", "1", "妥协")
    data = plan(deal)
    assert data["timing"]["terms"] == {"evidence": "客户书面确认了采购条件", "date": TODAY}
    assert data["timing"]["all_raised"]["evidence"] == "会上逐条确认"
    assert data["packages"]["bottom"] == {"text": "九折", "amount": "1080000.00"}
    assert data["packages"]["best"] == {"text": "全价", "amount": None}
    assert (data["team"]["lead"], data["team"]["recorder"]) == ("王总", "小李")
    assert data["analysis"]["ours"]["strengths"] == "本地服务团队"
    assert data["analysis"]["competitor"]["offer"] == "低价"
    assert data["issues"][0]["settled_by"] == "concede"


def test_the_plan_in_chinese(deal):
    out = deal("--lang", "zh", "negotiate", "1").stdout
    assert "还不能谈：缺 33 项" in out and "READY" not in out  # no English in the Chinese verdict
    assert "# 还缺" in out and "✗ 三方分析缺：竞争对手 — 谈判策略（kehu negotiate analysis）" in out
    assert "记录员" in out
    r = deal("--lang", "zh", "negotiate", "timing", "1", "xyz", "e", code=2)
    assert "条件" in one_line(r)  # the accepted values are listed with their Chinese labels


def test_recording_again_replaces_the_piece(deal):
    deal("negotiate", "team", "1", "lead", "王总")
    deal("negotiate", "team", "1", "lead", "张总")
    deal("negotiate", "timing", "1", "terms", "旧证据", "--date", "2026-11-01")
    deal("negotiate", "timing", "1", "terms", "新证据")
    data = plan(deal)
    assert data["team"]["lead"] == "张总"
    assert data["timing"]["terms"] == {"evidence": "新证据", "date": TODAY}
    assert len(missing(deal)) == 33 - 2


def test_an_option_gets_its_value_later_and_mistakes_can_be_removed(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "扩容", "--amount", "100万")
    kehu("negotiate", "issue", "1", "首付比例", "--need", "今年预算有限")
    r = kehu("negotiate", "option", "1", "分两期付款")
    assert "kehu negotiate value 1" in r.stderr
    kehu("negotiate", "option", "1", "总价上浮2%", "--value", "今年少付")
    missing = [m["key"] for m in kehu.json("negotiate", "1")["missing"] if m["part"] == "issues"]
    assert missing == ["neg_option_value"]
    kehu("negotiate", "value", "1", "当年支出最低")
    plan = kehu.json("negotiate", "1")
    assert [m for m in plan["missing"] if m["part"] == "issues"] == []
    assert [o["value"] for o in plan["issues"][0]["options"]] == ["当年支出最低", "今年少付"]
    kehu("negotiate", "value", "9", "x", code=1)
    kehu("negotiate", "remove", "option", "2")
    assert [o["id"] for o in kehu.json("negotiate", "1")["issues"][0]["options"]] == [1]
    kehu("negotiate", "issue", "1", "驻场人数")
    kehu("negotiate", "option", "2", "远程值守", "--value", "省人力")
    r = kehu("negotiate", "remove", "分歧", "2")
    assert r.stderr == "Removed disagreement #2 and its 1 option(s)\n"
    assert [i["id"] for i in kehu.json("negotiate", "1")["issues"]] == [1]
    kehu("negotiate", "remove", "thing", "1", code=2)


def test_an_objection_raised_after_all_raised_was_confirmed_sends_the_plan_back(deal):
    build(deal)
    assert plan(deal)["ready"] is True
    deal("negotiate", "issue", "1", "交付周期太长", "--need", "年底前上线", "--date", "2026-11-21")
    deal("negotiate", "option", "2", "分批交付", "--value", "先上核心模块")
    deal("negotiate", "option", "2", "加派实施人员", "--value", "缩短两周")
    data = plan(deal)
    assert data["ready"] is False
    assert [(m["key"], m["issue"]) for m in data["missing"]] == [("neg_all_raised_stale", 2)]
    deal("negotiate", "timing", "1", "all_raised", "再次确认：客户确认没有其他分歧", "--date", "2026-11-22")
    assert plan(deal)["ready"] is True


def test_the_text_plan_prints_the_principles_as_a_checklist_and_the_settlement_order(deal):
    out = deal("negotiate", "1").stdout
    for principle in ("separate the people from the problem", "interests, not positions", "several options",
                      "objective criteria"):
        assert f"☐ {principle} — " in out
    assert "(trade → add value → split the difference → concede)" in out
    zh = deal("--lang", "zh", "negotiate", "1").stdout
    assert "☐ 人与问题分开 — " in zh and "(利益交换 → 附加利益 → 折中 → 妥协)" in zh


def test_timing_takes_the_chinese_short_form_for_all_raised(kehu):
    kehu("add", "华为")
    kehu("contract", "add", "华为", "一期", "--amount", "10万")
    kehu("negotiate", "timing", "1", "全部", "客户确认没有别的分歧了")
    assert kehu.json("negotiate", "show", "1")["timing"]["all_raised"]["evidence"] == "客户确认没有别的分歧了"
