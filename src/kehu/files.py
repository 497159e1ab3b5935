"""Writing a file the user asked for (an export, a calendar) safely: whole or not at all.

The content goes to a temporary file beside the target, is flushed to disk, made
owner-only (0600) and renamed into place, so an interrupted write leaves the previous
file (or none) and never half of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from kehu.errors import IOFailure


def write_atomic(target: Path, fill: Callable[[IO], object], *, binary: bool = False,
                 encoding: str = "utf-8", make_parents: bool = False) -> object:
    """Call ``fill`` with an open temporary file, then rename it to ``target``."""
    return write_all_atomic([(target, fill)], binary=binary, encoding=encoding, make_parents=make_parents)[0]


def write_all_atomic(items: list[tuple[Path, Callable[[IO], object]]], *, binary: bool = False,
                     encoding: str = "utf-8", make_parents: bool = False) -> list[object]:
    """Several files (an export folder) all written, or none: each is filled into a
    temporary file first, and only when every one is complete are they renamed into
    place. A folder this call created is removed again if anything fails."""
    made: list[Path] = []
    staged: list[tuple[str, Path]] = []
    results: list[object] = []
    target = items[0][0] if items else Path(".")
    try:
        for target, fill in items:
            if make_parents and not target.parent.exists():
                made.extend(p for p in (target.parent, *target.parent.parents) if not p.exists())
                old_umask = os.umask(0o077)  # folders kehu makes are the owner's alone
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                finally:
                    os.umask(old_umask)
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
        for folder in sorted(set(made), key=lambda p: len(p.parts), reverse=True):
            try:
                folder.rmdir()
            except OSError:
                break
        if isinstance(exc, OSError):
            raise IOFailure("cannot_write_file", path=str(target), error=exc.strerror or str(exc)) from None
        raise
    return results
