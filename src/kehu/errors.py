"""Exit codes and the exceptions that carry them.

Library code (rules, store, db, dates, money) raises these; the one error boundary in
``kehu.cli`` prints the message on a single stderr line and exits with ``code``.
An error carries only an i18n key and its parameters; the boundary words it in the
user's language (``kehu.i18n.error_message``), so this module imports nothing of kehu.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    REFUSED = 1  # a rule said no: gate, conflict, ambiguity
    USAGE = 2  # bad option or unparseable value
    DATAERR = 65  # bad data: not a kehu book, a damaged book, a bad input file
    NOINPUT = 66  # the book (or an input file) does not exist
    SOFTWARE = 70  # a bug in kehu: please report it
    IOERR = 74  # reading or writing failed (disk full, I/O error)
    TEMPFAIL = 75  # the book is busy (locked by another process)
    NOPERM = 77  # not allowed (read-only book, permissions)
    CONFIG = 78  # configuration or schema problem (a newer schema, a bad environment value)
    INTERRUPTED = 130  # Ctrl-C


class KehuError(Exception):
    """An anticipated failure, shown to the user as one line."""

    code: ExitCode = ExitCode.REFUSED

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class Unchanged(KehuError):
    """An edit that would change nothing: said on stderr, nothing is written, exit 0."""

    code = ExitCode.OK


class Refused(KehuError):
    code = ExitCode.REFUSED


class NotFound(KehuError):
    code = ExitCode.REFUSED


class Ambiguous(KehuError):
    code = ExitCode.REFUSED


class Conflict(KehuError):
    code = ExitCode.REFUSED


class UsageError(KehuError):
    code = ExitCode.USAGE


class DataError(KehuError):
    code = ExitCode.DATAERR


class NoBook(KehuError):
    code = ExitCode.NOINPUT


class IOFailure(KehuError):
    code = ExitCode.IOERR


class Busy(KehuError):
    code = ExitCode.TEMPFAIL


class NoPermission(KehuError):
    code = ExitCode.NOPERM


class SchemaError(KehuError):
    code = ExitCode.CONFIG


class Said(tuple):
    """A message inside another message's parameter (key, params), worded by the boundary
    (kehu.i18n.labelled) in the reader's language like the message around it: a schema
    difference in a Chinese `kehu doctor` or `kehu restore` line is Chinese too."""

    def __new__(cls, key: str, /, **params: object) -> Said:
        return super().__new__(cls, (key, params))

    @property
    def key(self) -> str:
        return self[0]

    @property
    def params(self) -> dict:
        return self[1]


class ColumnNames(tuple):
    """A message parameter: (column number, name) pairs of a CSV header, worded by the
    boundary (kehu.i18n.labelled): a blank name shown visibly with its number, and only
    the first few of a long list (a wide file's unknown columns made one 89 KB line)."""
