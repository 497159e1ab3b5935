"""Writing a file the user asked for (an export, a calendar) safely: whole or not at all.

The content goes to a temporary file beside the target, is flushed to disk, made
owner-only (0600) and renamed into place, so an interrupted write leaves the previous
file (or none) and never half of one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

from kehu.errors import IOFailure


def private_dirs(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents, owner-only (0700); return those made."""
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    if made:
        old_umask = os.umask(0o077)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        finally:
            os.umask(old_umask)
    return made


def remove_dirs(made: list[Path]) -> None:
    """Remove folders a failed command created, deepest first, while they are empty."""
    for folder in sorted(set(made), key=lambda p: len(p.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            break


def write_atomic(target: Path, fill: Callable[[IO], object], *, binary: bool = False,
                 encoding: str = "utf-8", make_parents: bool = False) -> object:
    """Call ``fill`` with an open temporary file, then rename it to ``target``."""
    return write_all_atomic([(target, fill)], binary=binary, encoding=encoding, make_parents=make_parents)[0]


def write_all_atomic(items: list[tuple[Path, Callable[[IO], object]]], *, binary: bool = False,
                     encoding: str = "utf-8", make_parents: bool = False) -> list[object]:
    """Several files (an export folder) all written, or none: each is filled into a
    temporary file first, and only when every one is complete are they renamed into
    place. A folder this call created is removed again if anything fails."""
    import tempfile

    made: list[Path] = []
    staged: list[tuple[str, Path]] = []
    results: list[object] = []
    target = items[0][0] if items else Path(".")
    try:
        for target, fill in items:
            if make_parents:
                made.extend(private_dirs(target.parent))
            fd, tmp = tempfile.mkstemp(prefix=".kehu-", suffix=target.suffix, dir=target.parent)
            staged.append((tmp, target))
            mode = "wb" if binary else "w"
            opts = {} if binary else {"encoding": encoding, "newline": ""}
            with os.fdopen(fd, mode, **opts) as fh:
                results.append(fill(fh))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
        for tmp, final in staged:
            os.replace(tmp, final)
        staged.clear()
    except BaseException as exc:
        for tmp, _final in staged:
            Path(tmp).unlink(missing_ok=True)
        remove_dirs(made)
        if isinstance(exc, OSError):
            raise IOFailure("cannot_write_file", path=str(target), error=exc.strerror or str(exc)) from None
        raise
    return results
