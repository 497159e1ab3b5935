"""Old backups are pruned by a documented rule: the last 10, the newest of each ISO week
for 8 weeks, every copy younger than a day and always the newest; a damaged book moved
aside and files kehu did not name are never removed. Copies are given synthetic dates
through their names, which is where kehu reads a copy's time (``backup_name``); pruning
decides as of the ``now`` it is given, and the tests through the CLI pin the clock at a
Wednesday noon, so no run straddles the turn of a week or a day."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, UTC
from pathlib import Path

import pytest
import time_machine

from kehu.book import retention

NOW = datetime(2026, 12, 5, 12, 0, 0)  # a Saturday, ISO week 49


def names(*ages: timedelta) -> dict[str, datetime]:
    return {f"kehu-{(NOW - a):%Y%m%d-%H%M%S}.db": NOW - a for a in ages}


def kept_ages(copies: dict[str, datetime]) -> list[timedelta]:
    return sorted(NOW - copies[n] for n in retention.keep(copies, NOW))


H, D, W = timedelta(hours=1), timedelta(days=1), timedelta(weeks=1)


@pytest.mark.parametrize("ages, kept", [
    ([], []),
    ([400 * D], [400 * D]),  # the newest is always kept, however old
    ([D * i for i in range(1, 11)], [D * i for i in range(1, 11)]),  # ten: all kept
    # hourly for two days: the last ten, and every one younger than a day (24)
    ([H * i for i in range(48)], [H * i for i in range(24)]),
    # daily for 100 days: the last ten, then the newest (a Sunday) of each ISO week up to
    # 7 weeks back (this week's and last week's are among the ten)
    ([D * i for i in range(100)],
     sorted({D * i for i in range(10)} | {D * i for i in (13, 20, 27, 34, 41, 48)})),
])
def test_the_rule(ages, kept):
    assert kept_ages(names(*ages)) == sorted(kept)


def test_names_kehu_did_not_make_and_damaged_copies_are_left_alone():
    assert retention.stamp_of("kehu", "kehu-20261123-101500.db") == datetime(2026, 11, 23, 10, 15)
    assert retention.stamp_of("kehu", "kehu-20261123-101500-v2-1.db") == datetime(2026, 11, 23, 10, 15)
    assert retention.stamp_of("kehu", "kehu-20261123-101500-before-restore.db") is not None
    for name in ("kehu-20261123-101500-damaged.db", "mine.db", "kehu-2026.db", "other-20261123-101500.db",
                 "kehu-20261399-101500.db"):
        assert retention.stamp_of("kehu", name) is None, name


def test_prune_decides_as_of_the_now_it_is_given(tmp_path):
    edge = datetime(2024, 3, 3, 23, 59, 59)  # the last second of a Sunday, ISO week 9
    folder = tmp_path / "backups"
    folder.mkdir()
    for i in range(60):
        (folder / f"kehu-{edge - D * i - H:%Y%m%d-%H%M%S}.db").write_bytes(b"copy")
    copies = {p.name: retention.stamp_of("kehu", p.name) for p in folder.iterdir()}
    kept = retention.keep(copies, edge)
    assert kept != retention.keep(copies, edge + timedelta(seconds=1))  # one second later the week turns
    removed = retention.prune(tmp_path / "kehu.db", folder, edge)
    assert {p.name for p in folder.iterdir()} == kept
    assert sorted(p.name for p in removed) == sorted(set(copies) - kept)


@pytest.fixture
def wednesday_noon():
    """The clock at a Wednesday noon, ticking: the copies seeded, kehu's own pruning and
    the count all see the same ISO weeks and days, whenever the suite runs."""
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), tick=True):
        yield datetime.now()


def _seed(folder: Path, days: int, now: datetime) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(days):
        (folder / f"kehu-{now - timedelta(days=i, hours=1):%Y%m%d-%H%M%S}.db").write_bytes(b"old copy")
    (folder / f"kehu-{now - timedelta(days=300):%Y%m%d-%H%M%S}-damaged.db").write_bytes(b"keep me")
    (folder / "mine.db").write_bytes(b"keep me")


def _expected_count(folder: Path, now: datetime) -> int:
    copies = {p.name: retention.stamp_of("kehu", p.name) for p in folder.glob("*.db")}
    copies = {n: t for n, t in copies.items() if t is not None}
    return len(retention.keep(copies, now))


@pytest.mark.sqlite_only("backups of a book file")
def test_backup_prunes_after_each_copy_and_backup_prune_alone(kehu, isolated_book, wednesday_noon):
    kehu("add", "华为")
    folder = isolated_book.parent / "backups"
    _seed(folder, 60, wednesday_noon)
    r = kehu("backup")
    new = Path(r.stdout.strip())
    assert new.exists() and (folder / "mine.db").exists()
    assert len(list(folder.glob("*-damaged.db"))) == 1
    assert r.stderr.splitlines()[1].startswith("Removed ") and "old backup(s) from" in r.stderr
    left = len([p for p in folder.glob("kehu-*.db") if "damaged" not in p.name])
    assert left == _expected_count(folder, wednesday_noon) < 61
    assert left <= retention.KEEP_LAST + retention.WEEKS + 2  # + younger than a day

    _seed(folder, 30, wednesday_noon)
    before = {p.name for p in folder.iterdir()}
    r = kehu("backup", "--prune")
    removed = [Path(line) for line in r.stdout.splitlines()]
    assert removed and all(not p.exists() and p.name in before for p in removed)
    assert {p.name for p in folder.iterdir()} == before - {p.name for p in removed}  # no new copy
    assert r.stderr == f"Removed {len(removed)} old backup(s) from {folder} by the retention rule.\n"
    assert kehu("backup", "--prune", str(folder), code=2).stderr.startswith("kehu: --prune only tidies")


@pytest.mark.sqlite_only("backups of a book file")
def test_the_backup_before_an_upgrade_prunes_too(kehu, isolated_book, wednesday_noon):
    from _books import FIXTURES

    isolated_book.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "v4.db", isolated_book)
    folder = isolated_book.parent / "backups"
    _seed(folder, 60, wednesday_noon)
    r = kehu("list")
    assert r.stderr.splitlines()[1].startswith("Removed ")
    assert len(list(folder.glob("kehu-*-v4.db"))) == 1  # the upgrade's own copy is kept
    left = [p for p in folder.glob("kehu-*.db") if "damaged" not in p.name]
    assert len(left) == _expected_count(folder, wednesday_noon) < 61
    assert sqlite3.connect(isolated_book).execute("SELECT count(*) FROM customer").fetchone()[0] > 0
