"""Writing a file the user asked for (an export, a calendar) safely: whole or not at all.

The content goes to a temporary file beside the target, is flushed to disk, made
owner-only (0600) and renamed into place, so an interrupted write leaves the previous
file (or none) and never half of one. That is done only over a regular file or a new
name: a path that is something else (``/dev/null``, a terminal, a FIFO, a socket, a
symbolic link such as ``/dev/stdout``) is written in place, streaming, never renamed
over, and ``-`` means standard output where the caller allows it. ``in_place`` is the
one place that decides.
"""

from __future__ import annotations

import os
import stat
import sys
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


STDOUT = "-"


def in_place(target: Path, *, dash: bool = False) -> bool:
    """Whether ``target`` is written where it is rather than replaced by a renamed file.

    Only a regular file or a name that does not exist yet (and a folder, which fails
    as before) is replaced atomically. Anything else that exists is opened and written
    as it is: renaming a file over /dev/null (as root) had replaced the device with the
    export; as anyone else the rename failed with a misleading "Permission denied".
    A symbolic link is written through, not replaced (/dev/stdout is one, to whatever
    the shell opened). ``dash``: the caller takes ``-`` as standard output.
    """
    if dash and str(target) == STDOUT:
        return True
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        return False  # a new name (or an unreachable one: the atomic path reports it)
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def write_atomic(target: Path, fill: Callable[[IO], object], *, binary: bool = False,
                 encoding: str = "utf-8", make_parents: bool = False, dash: bool = False) -> object:
    """Call ``fill`` with an open temporary file, then rename it to ``target`` (or, where
    ``in_place`` says so, with ``target`` itself opened for writing)."""
    return write_all_atomic([(target, fill)], binary=binary, encoding=encoding, make_parents=make_parents,
                            dash=dash)[0]


def _write_in_place(target: Path, fill: Callable[[IO], object], *, binary: bool, encoding: str) -> object:
    """Stream into ``target`` as it is: no temporary file, no rename, no chmod, no fsync
    (a device or a pipe has neither a mode of ours nor anything to sync)."""
    if str(target) == STDOUT:
        sys.stdout.flush()
        out = sys.stdout.buffer
        if binary:
            result = fill(out)
            out.flush()
            return result
        import io

        fh = io.TextIOWrapper(out, encoding=encoding, newline="", write_through=True)
        try:
            result = fill(fh)
            fh.flush()
        finally:
            fh.detach()  # standard output stays open for the rest of the command
        return result
    opts = {} if binary else {"encoding": encoding, "newline": ""}
    with open(target, "wb" if binary else "w", **opts) as fh:
        return fill(fh)


def write_all_atomic(items: list[tuple[Path, Callable[[IO], object]]], *, binary: bool = False,
                     encoding: str = "utf-8", make_parents: bool = False, dash: bool = False) -> list[object]:
    """Several files (an export folder) all written, or none: each is filled into a
    temporary file first, and only when every one is complete are they renamed into
    place. A folder this call created is removed again if anything fails. A target that
    ``in_place`` keeps (a device, a FIFO) is streamed into at its turn instead."""
    import tempfile

    made: list[Path] = []
    staged: list[tuple[str, Path]] = []
    results: list[object] = []
    target = items[0][0] if items else Path(".")
    try:
        for target, fill in items:
            if in_place(target, dash=dash):
                results.append(_write_in_place(target, fill, binary=binary, encoding=encoding))
                continue
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
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise IOFailure("cannot_write_file", path=str(target), error=exc.strerror or str(exc)) from None
        raise
    return results
