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
    try:
        if make_parents:  # an export folder is created; a calendar's folder must exist
            target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kehu-", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise IOFailure("cannot_write_file", path=str(target), error=exc.strerror or str(exc)) from None
    try:
        mode = "wb" if binary else "w"
        opts = {} if binary else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **opts) as fh:
            result = fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise IOFailure("cannot_write_file", path=str(target), error=exc.strerror or str(exc)) from None
        raise
    return result
