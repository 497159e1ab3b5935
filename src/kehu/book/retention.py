"""Which copies in a book's backups folder to keep, and removing the others.

Every `kehu backup` and every upgrade adds a full copy of the book; nothing removed them,
so a cron'd backup filled the disk. The rule (docs/commands.md, `kehu backup`):

- the newest KEEP_LAST copies;
- the newest copy of each ISO week, for the WEEKS weeks up to today's;
- every copy younger than a day, and always the newest one;
- copies of a damaged book (``-damaged``) and files kehu did not name are never removed.

A copy's time is the one its name records (``backup_name``: local time, to the second),
not its mtime, which a copy with `cp` or a restore from elsewhere changes. ``keep`` is a
pure function of names and a time; ``prune`` applies it. Standard library only.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

KEEP_LAST = 10
WEEKS = 8
YOUNG = timedelta(days=1)


def stamp_of(stem: str, name: str) -> datetime | None:
    """The time a copy of book ``stem`` was made, from its name; None for a file this
    rule leaves alone (not named by kehu, or a damaged book moved aside)."""
    m = re.fullmatch(rf"{re.escape(stem)}-(\d{{8}}-\d{{6}})(-.*)?\.db", name)
    if m is None or (m.group(2) or "").startswith("-damaged"):
        return None
    try:
        return datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def keep(copies: dict[str, datetime], now: datetime) -> set[str]:
    """The names to keep among ``copies`` (name → when it was made), as of ``now``."""
    newest_first = sorted(copies, key=lambda n: (copies[n], n), reverse=True)
    kept = set(newest_first[:KEEP_LAST])
    weeks = {(now - timedelta(weeks=k)).isocalendar()[:2] for k in range(WEEKS)}
    seen: set[tuple[int, int]] = set()
    for name in newest_first:
        when = copies[name]
        week = when.isocalendar()[:2]
        if week in weeks and week not in seen:
            seen.add(week)
            kept.add(name)
        if now - when < YOUNG:
            kept.add(name)
    return kept


def prune(book: Path, folder: Path, now: datetime) -> list[Path]:
    """Remove the copies of ``book`` in ``folder`` that the rule does not keep as of
    ``now`` (local time, naive, like the names; the caller passes the clock's, a test a
    fixed moment); returns them. A file that cannot be removed is left (and not listed)."""
    if not folder.is_dir():
        return []
    copies = {}
    for p in folder.glob("*.db"):
        when = stamp_of(book.stem, p.name)
        if when is not None and p.is_file() and not p.is_symlink():
            copies[p.name] = when
    kept = keep(copies, now)
    removed = []
    for name in sorted(set(copies) - kept):
        try:
            (folder / name).unlink()
        except OSError:
            continue
        removed.append(folder / name)
    return removed
