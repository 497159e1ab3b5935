"""Looking after a book file: `kehu backup`, `kehu restore`, `kehu doctor` and its
`--scrub`, and the integrity check behind them.

Every function here takes the path of a book file; kehu.book decides that the book is
a file before it calls one (a server's backups, checks and clean-up are its own).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kehu.book.common import busy_timeout_ms
from kehu.book.sqlite import (
    backup_name,
    check_file,
    connect_ro,
    copy_book,
    disk_full,
    give_up_when_busy,
    is_frozen,
    scrub_connection,
    secure,
    translate,
    writable,
)
from kehu.book.where import BACKUP_DIR
from kehu.errors import DataError, IOFailure, NoBook, NoPermission, Said, SchemaError
from kehu.files import private_dirs, remove_dirs


def _care_connection(path: Path):
    """A plain sqlite3 connection to a book file the care commands may write: it exists,
    is kehu's, is writable; secure_delete on (what they remove is overwritten)."""
    import sqlite3

    if not path.is_file():
        raise NoBook("no_book", path=str(path))
    if not check_file(path):
        raise DataError("not_a_book", path=str(path), why="no kehu application id")
    if not writable(path):
        raise NoPermission("read_only", path=str(path))
    conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms() / 1000)
    conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def scrub(path: Path) -> None:
    """`kehu doctor --scrub`: the clean-up of `person forget` on its own."""
    conn = _care_connection(path)
    try:
        scrub_connection(conn, path)
    finally:
        conn.close()


def reindex(path: Path) -> int:
    """`kehu doctor --reindex`: build the search index afresh from the records, in one
    write transaction, on a book at the latest schema."""
    import sqlite3

    from kehu import migrations
    from kehu.book import search_index

    conn = None
    try:
        conn = _care_connection(path)
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT value FROM kehu_meta WHERE key = 'schema_version'").fetchone()
            if row is None or int(row[0]) != migrations.LATEST:
                from kehu.errors import Refused

                raise Refused("reindex_schema", found=row[0] if row else 0, latest=migrations.LATEST)
            search_index.rebuild(conn)
            n = conn.execute(f"SELECT count(*) FROM {search_index.TABLE}").fetchone()[0]
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return n
    except sqlite3.Error as exc:
        raise (translate(exc, path) or DataError("db_error", error=str(exc))) from None
    finally:
        if conn is not None:
            conn.close()


def backups(path: Path) -> list[Path]:
    """The copies in the book's backups folder."""
    folder = path.parent / BACKUP_DIR
    return sorted(p for p in folder.glob("*.db")) if folder.is_dir() else []


def backup(path: Path, dest: str | None) -> Path:
    """`kehu backup [DEST]`: a verified copy of the book; DEST may be a folder."""
    from kehu.errors import Refused

    if not path.is_file():
        raise NoBook("no_book", path=str(path))
    check_file(path)
    if dest is None:
        target = backup_name(path)
    else:
        target = Path(dest).expanduser()
        if target.is_dir():
            target = target / backup_name(path).name
        if target.exists():
            raise Refused("backup_exists", path=str(target))
        if target.resolve() == path.resolve():
            raise Refused("backup_exists", path=str(target))
    copy_book(path, target)
    problems = check_book_file(target)
    if problems:
        target.unlink(missing_ok=True)
        raise DataError("backup_damaged", path=str(path), why=problems[0])
    return target


def _book_facts(conn) -> tuple[str, list, int | None]:
    """integrity_check (as one line), the foreign_key_check rows, the schema version."""
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    has_meta = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'kehu_meta'").fetchone()[0]
    row = conn.execute("SELECT value FROM kehu_meta WHERE key = 'schema_version'").fetchone() if has_meta else None
    version = int(row[0]) if row and str(row[0]).isdigit() else None
    return " ".join("; ".join(rows[:3]).split()), fk, version


def _tables_of(fk: list) -> str:
    return ", ".join(sorted({r[0] for r in fk}))


def _schema(problem: str | Said) -> bool:
    return isinstance(problem, Said) and problem.key == "schema_problem"


def check_book_file(path: Path, *, immutable: bool = True, shape: bool = False) -> list[str | Said]:
    """What is wrong with a kehu book file (empty when nothing): integrity, keys (SQLite's
    own words, as text), schema (a message, worded where it is shown).

    ``shape``: also compare its tables, indexes, triggers and views with the schema kehu
    makes at the version it claims (a file offered to `kehu restore`).
    """
    import sqlite3

    from kehu import migrations

    try:
        conn = connect_ro(path, immutable=immutable)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        problems = []
        integrity, fk, version = _book_facts(conn)
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        if fk:
            problems.append(f"foreign_key_check: {len(fk)} rows point nowhere ({_tables_of(fk)})")
        if version is None:
            problems.append(Said("schema_problem", detail=Said("schema_no_version")))
        elif version > migrations.LATEST:
            problems.append(Said("schema_problem", detail=Said("schema_newer", found=version,
                                                                latest=migrations.LATEST)))
        elif shape:
            from kehu.book import shape as shapes

            differs = shapes.difference(conn, version)
            if differs:
                problems.append(Said("schema_problem", detail=differs))
        return problems
    except sqlite3.Error as exc:
        return [f"unreadable: {exc}"]
    finally:
        conn.close()


def damage(path: Path) -> str | None:
    """The first integrity problem of the book, or None (also when there is no book)."""
    if not path.is_file():
        return None
    problems = [p for p in check_book_file(path, immutable=False) if not _schema(p)]
    return problems[0] if problems else None


def restore(path: Path, source: str) -> tuple[Path, Path | None, bool]:
    """`kehu restore FILE`: check FILE as untrusted input, back up the book, replace it.

    Returns (the book, the copy of what it held before or None for a new book, whether
    that book was damaged and so moved aside rather than copied).
    """
    import sqlite3

    from kehu import migrations

    src = Path(source).expanduser()
    try:
        mode = src.stat().st_mode
    except PermissionError:
        raise NoPermission("file_no_access", path=str(src)) from None
    except OSError:
        raise NoBook("no_file", path=str(src)) from None
    if not stat.S_ISREG(mode):
        # A pipe (`<(…)`), a device or a folder: said as it is, not "does not exist".
        raise NoBook("restore_not_a_file", path=str(src))
    try:
        ours = check_file(src)
    except DataError as exc:
        raise DataError("restore_refused", path=str(src), why=exc.params.get("why", "")) from None
    if not ours:
        raise DataError("restore_refused", path=str(src), why="not a kehu book (no kehu application id)")
    # Check a private copy, never the original: the original is left as it is.
    made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    try:
        staged = _stage(src, path.parent / f".{path.name}-restoring-{os.getpid()}.db")
    except DataError as exc:
        remove_dirs(made)
        raise DataError("restore_refused", path=str(src), why=exc.params.get("why", exc.key)) from None
    except BaseException:
        remove_dirs(made)
        raise
    try:
        problems = check_book_file(staged, shape=True)
        if any(_schema(p) and p.params["detail"].key == "schema_newer" for p in problems):
            c = connect_ro(staged, immutable=True)
            try:
                found = _book_facts(c)[2]
            finally:
                c.close()
            raise SchemaError("newer_schema", path=str(src), found=found, supported=migrations.LATEST)
        if problems:
            raise DataError("restore_refused", path=str(src), why=problems[0])
        before = None
        damaged = False
        if path.exists() and path.stat().st_size > 0:
            check_file(path)  # another application's file at the path is never replaced
            if not writable(path):
                raise NoPermission("read_only", path=str(path))
            # Restoring is the remedy for a damaged book, so a damaged one is not copied
            # (it cannot be) but moved aside whole, with its -wal, and kept.
            damaged = any(not _schema(p) for p in check_book_file(path, immutable=False))
        if damaged:
            before = backup_name(path, "damaged")
            private_dirs(before.parent)
            wal = Path(f"{path}-wal")
            if wal.exists():
                os.replace(wal, f"{before}-wal")
            Path(f"{path}-shm").unlink(missing_ok=True)
            os.replace(path, before)
        if damaged or not (path.exists() and path.stat().st_size > 0):
            private_dirs(path.parent)
            os.replace(staged, path)
            with sqlite3.connect(path, isolation_level=None) as c:
                c.execute("PRAGMA journal_mode = WAL")
            secure(path)
        else:
            try:
                before = _replace_live(path, staged)
            except sqlite3.Error as exc:
                if disk_full(exc):
                    raise IOFailure("disk_full", path=str(path.parent)) from None
                raise (translate(exc, path) or DataError("db_error", error=str(exc))) from None
            secure(path)
        return path, before, damaged
    except BaseException:
        staged.unlink(missing_ok=True)
        remove_dirs(made)
        raise
    finally:
        staged.unlink(missing_ok=True)


class _Moved(Exception):
    """Another process committed to the book after the copy of it was made."""


RESTORE_ATTEMPTS = 5


def _replace_live(path: Path, staged: Path) -> Path:
    """Save the live book aside, then copy the staged one into it page by page; returns
    the saved copy.

    A write committed by another process after the saved copy was read and before the
    page copy took the write lock would be in neither. The page copy cannot run inside a
    transaction of its own connection (SQLite's backup refuses a destination with one
    open), so a watching connection notes ``PRAGMA data_version`` before the saved copy
    is read and looks again once the page copy holds the write lock (after its first
    page): if anyone committed in between, the page copy is rolled back and both steps
    are done again, up to RESTORE_ATTEMPTS times (then: busy, 75, nothing changed).
    """
    from kehu.errors import Busy

    for _ in range(RESTORE_ATTEMPTS):
        before = _replace_once(path, staged)
        if before is not None:
            return before
    raise Busy("busy")


def _save_aside(path: Path) -> Path:
    """The copy of the live book that `kehu restore` keeps in backups/."""
    return copy_book(path, backup_name(path, "before-restore"))


def _replace_once(path: Path, staged: Path) -> Path | None:
    """One attempt of _replace_live: the saved copy, or None when a commit came between."""
    import sqlite3

    watch = connect_ro(path)
    try:
        baseline = watch.execute("PRAGMA data_version").fetchone()[0]
        before = _save_aside(path)
        busy = give_up_when_busy()
        looked: list[bool] = []

        def progress(status: int, remaining: int, total: int) -> None:
            busy(status, remaining, total)
            if not looked and status == sqlite3.SQLITE_OK:
                # The first page is written: this page copy now holds the write lock.
                looked.append(True)
                if watch.execute("PRAGMA data_version").fetchone()[0] != baseline:
                    raise _Moved

        stage = sqlite3.connect(staged, isolation_level=None)
        live = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms() / 1000)
        try:
            live.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            # Page by page into the live book under its write lock, in one transaction:
            # readers see the old book or the restored one. One page a step, so the first
            # step cannot already be the whole copy, committed.
            stage.backup(live, pages=1, progress=progress)
            live.execute("PRAGMA journal_mode = WAL")
            return before
        except _Moved:
            before.unlink(missing_ok=True)  # older than the book: made again
            return None
        finally:
            live.close()
            stage.close()
    finally:
        watch.close()


def _stage(src: Path, staged: Path) -> Path:
    """The file offered to `kehu restore` as SQLite would read it, copied to ``staged``.

    Opened immutable, a file copied together with its -wal (a book copied while kehu had
    it open) would be read without the committed transactions that are only in the -wal:
    "Restored", with rows missing. So when a non-empty -wal lies beside it, the file and
    its -wal are first copied into a private folder and that copy is opened normally,
    which applies the -wal there; the offered file and its -wal are never opened for
    writing, nor is anything created beside them.
    """
    import shutil
    import tempfile

    wal = Path(f"{src}-wal")
    if not (wal.is_file() and wal.stat().st_size > 0):
        return copy_book(src, staged, untrusted=True, exclusive=False)
    private_dirs(staged.parent)
    old_umask = os.umask(0o077)
    try:
        try:
            folder = Path(tempfile.mkdtemp(prefix=".kehu-wal-", dir=staged.parent))
        except OSError as exc:
            raise IOFailure("cannot_write_file", path=str(staged), error=exc.strerror or str(exc)) from None
        try:
            try:
                shutil.copyfile(src, folder / "offered.db")
                shutil.copyfile(wal, folder / "offered.db-wal")
            except OSError as exc:
                raise IOFailure("cannot_write_file", path=str(staged), error=exc.strerror or str(exc)) from None
            return copy_book(folder / "offered.db", staged, exclusive=False)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.umask(old_umask)


def doctor(path: Path) -> list[tuple[str, bool, str, dict]]:
    """`kehu doctor`: (check, passed, message key, parameters), without changing the book."""
    import sqlite3

    from kehu import migrations

    if not path.is_file():
        raise NoBook("no_book", path=str(path))
    results: list[tuple[str, bool, str, dict]] = []
    try:
        ours = check_file(path)
        results.append(("file", True, "doctor_file_ok" if ours else "doctor_file_new", {}))
    except (DataError, NoPermission, IOFailure) as exc:
        results.append(("file", False, exc.key, exc.params))
        return results
    conn = None
    try:
        conn = connect_ro(path, immutable=is_frozen(path))
        integrity, fk, found = _book_facts(conn)
        results.append(("integrity", integrity == "ok", "doctor_ok" if integrity == "ok" else "doctor_damaged",
                        {"detail": integrity}))
        results.append(("foreign_keys", not fk, "doctor_ok" if not fk else "doctor_fk",
                        {"n": len(fk), "tables": _tables_of(fk)}))
        version = found or 0
        verdict = migrations.verdict(version)
        if verdict[0]:
            from kehu.book import shape

            differs = shape.difference(conn, version)
            if differs:
                # Triggers, views or constraints kehu never made: what kehu says it did
                # may not be what the book does (docs/reliability.md).
                verdict = (False, "doctor_schema_differs", {"detail": differs})
        results.append(("schema", *verdict))
        if version >= 8:
            from kehu.book import search_index

            results.append(("search", *search_index.check(conn)))
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        # Informative: WAL comes with the next write.
        results.append(("journal", True, "doctor_journal", {"mode": mode}))
    except sqlite3.Error as exc:
        results.append(("integrity", False, "doctor_damaged", {"detail": str(exc)}))
    finally:
        if conn is not None:
            conn.close()
    results.append(_permissions(path))
    return results


def _permissions(path: Path) -> tuple[str, bool, str, dict]:
    """Files others can read, and a folder others can write (they could swap the book)."""
    loose = []

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists() and mode(p) & 0o077:
            loose.append(f"{p.name} {mode(p):04o}")
    backups = path.parent / BACKUP_DIR
    if backups.is_dir():
        if mode(backups) & 0o077:
            loose.append(f"{BACKUP_DIR}/ {mode(backups):04o}")
        loose.extend(f"{BACKUP_DIR}/{p.name} {mode(p):04o}"
                     for p in sorted(backups.iterdir()) if p.is_file() and mode(p) & 0o077)
    if mode(path.parent) & 0o022 and not path.parent.stat().st_mode & stat.S_ISVTX:
        loose.append(f"{path.parent}/ {mode(path.parent):04o}")
    if loose:
        return ("permissions", False, "doctor_perm_loose", {"items": "; ".join(loose)})
    return ("permissions", True, "doctor_perm_ok", {})
