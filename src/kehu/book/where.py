"""Where the book is: a file (--db, else KEHU_DB, else the per-user app folder) or a
PostgreSQL server named by a URL. Standard library only: nothing here opens anything."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from kehu.errors import NoBook, NoPermission, UsageError

APP_NAME = "kehu"
BOOK_FILE = "kehu.db"
BACKUP_DIR = "backups"

# Anything starting like a URL is taken for one, so a mistyped `postgresql:/host/db` is
# refused as a bad URL instead of becoming a book file in a folder named "postgresql:".
SCHEMES = ("postgresql:", "postgres:", "postgresql+psycopg:")
_ANY_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(value: str | None) -> bool:
    """A server URL, or anything written like a URL (which parse() then refuses unless it
    is PostgreSQL's): never taken for a file path, so a password in it never becomes a
    folder name or part of a "no book at" message."""
    return bool(value) and (value.strip().lower().startswith(SCHEMES) or bool(_ANY_URL.match(value.strip())))


def server_url(db: str | None) -> str | None:
    """The database URL when --db (else KEHU_DB) names a server book, else None."""
    raw = db if db is not None else os.environ.get("KEHU_DB")
    return raw if is_url(raw) else None


def book_path(db: str | None) -> Path:
    """--db, else KEHU_DB, else kehu.db in the platform's per-user app directory."""
    if db is not None:
        if not db.strip():
            raise UsageError("empty_db_path")
        return Path(db).expanduser()
    env = os.environ.get("KEHU_DB")
    if env:
        return Path(env).expanduser()
    import typer

    return Path(typer.get_app_dir(APP_NAME)) / BOOK_FILE


def check_kind(path: Path) -> None:
    """Refuse a --db that is not a regular file (a missing path is fine) before anything
    opens it: a FIFO would block the first read for ever, a device such as /dev/null
    would get a world-writable `-journal` created beside it, and a folder or a socket
    would be reported with the operating system's English text. Only stat() is used.
    """
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # no book there: the command says so, or creates one
    except PermissionError:
        raise NoPermission("book_no_access", path=str(path)) from None
    if stat.S_ISDIR(mode):
        raise NoBook("book_is_folder", path=str(path))
    if not stat.S_ISREG(mode):
        raise NoBook("book_not_a_file", path=str(path))
