"""The README's tour of contracts and negotiation runs, line by line, as printed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
MONEY_COMMANDS = ("contract", "negotiate", "pay", "forecast", "playbook")


def tour_lines() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    tour = text.split("## A short tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    out = []
    for line in tour.splitlines():
        line = re.sub(r"\s+#\s.*$", "", line).strip()  # the trailing comment
        if line.startswith("kehu ") and line.split()[1] in MONEY_COMMANDS:
            out.append(shlex.split(line)[1:])
    return out


def test_the_tour_has_the_negotiation_and_money_commands():
    used = {args[0] if args[0] not in ("contract", "negotiate") else " ".join(args[:2]) for args in tour_lines()}
    assert {"contract add", "contract plan", "contract sign", "contract show", "contract complete", "pay",
            "forecast", "playbook", "negotiate 1"} <= used


def test_every_money_command_of_the_tour_works(kehu, monkeypatch):
    monkeypatch.setenv("KEHU_TODAY", "2027-01-10")
    kehu("add", "华东电网信息中心", "--owner", "王磊")
    for args in tour_lines():
        kehu(*args)  # exit 0, or the assertion names the line
    shown = kehu.json("contract", "show", "1")
    assert (shown["status"], shown["paid"], shown["owed"]) == ("completed", "360000.00", "840000.00")
    plan = kehu.json("negotiate", "1")
    assert plan["issues"][0]["need"] == "今年预算只剩尾款额度"
    assert plan["packages"]["bottom"] == {"text": "115万，首付10%", "amount": "1150000.00"}


def test_the_tours_csv_lines_on_the_example_files_work_in_order(kehu, monkeypatch):
    """(The README's `kehu import examples/csv/people.csv --dry-run` once failed: the
    people's customers were not in the book yet.)"""
    monkeypatch.chdir(README.parent)
    text = README.read_text(encoding="utf-8")
    tour = text.split("## A short tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [shlex.split(re.sub(r"\s+#\s.*$", "", line).strip())[1:] for line in tour.splitlines()
             if line.startswith("kehu import examples/")]
    assert len(lines) >= 2
    for args in lines:
        r = kehu(*args)
        assert "new" in r.stderr or "新增" in r.stderr


def test_the_tours_report_line_writes_the_example_books_report(kehu, monkeypatch, tmp_path):
    """The README's `kehu report` line reads the example book "Try it" builds; here it runs
    on a small book of the tour's, writing into tmp_path instead of /tmp."""
    text = README.read_text(encoding="utf-8")
    tour = text.split("## A short tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [shlex.split(re.sub(r"\s+#\s.*$", "", line).strip())[1:] for line in tour.splitlines()
             if re.match(r"kehu (--db \S+ )?report ", line)]
    assert len(lines) == 1
    args = lines[0]
    assert args[:2] == ["--db", "/tmp/kehu-demo.db"] and "/tmp/kehu-demo.db" in text.split("## A short tour")[0]
    target = tmp_path / Path(args[args.index("--html") + 1]).name
    args = [target.as_posix() if a.startswith("/tmp/kehu-月报") else a for a in args[2:]]
    monkeypatch.setenv("KEHU_TODAY", "2027-01-10")
    kehu("add", "华东电网信息中心", "--owner", "王磊")
    for tour_args in tour_lines():
        kehu(*tour_args)
    r = kehu("--lang", "zh", *args)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "月报 2027-01-01 至 2027-01-31" in page and str(target) in r.stderr
