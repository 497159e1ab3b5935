"""What every command shares: the invocation's state, output to the terminal or a pipe.

Everything about the terminal is decided here: whether stdout is a terminal (Rich
tables) or a pipe (plain tab-separated lines), and that messages go to stderr.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import typer

from kehu.book import Invocation


@dataclass
class State:
    db: str | None
    lang: str
    inv: Invocation = field(default_factory=Invocation)  # what book.open needs from this command


def state(ctx: typer.Context) -> State:
    """The invocation's state; called by each command with its own context, which names
    the command for the operation log ("person edit")."""
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        from kehu.i18n import current_lang

        root.obj = State(db=None, lang=current_lang(None))
    if ctx is not root and root.obj.inv.command is None:
        names, at = [], ctx
        while at is not root and at is not None:  # (the root's own name depends on how kehu was started)
            names.append(at.info_name)
            at = at.parent
        root.obj.inv.command = " ".join(reversed(names))
    return root.obj


def stdout_is_terminal() -> bool:
    """KEHU_TTY=1 forces the terminal layout (e.g. under `watch`), KEHU_TTY=0 the plain one."""
    forced = os.environ.get("KEHU_TTY")
    if forced in ("0", "1"):
        return forced == "1"
    return sys.stdout.isatty()


def can_page() -> bool:
    """Only a real terminal gets the pager: not a pipe, nor KEHU_TTY=1's forced layout
    (under `watch`, a pager would wait for a key for ever)."""
    return sys.stdout.isatty()


def stderr_is_terminal() -> bool:
    """Progress bars and confirmations meant only for a person at a terminal."""
    return sys.stderr.isatty()


def show(blocks, page: bool = False) -> None:
    """Print blocks: Rich tables on a terminal, plain lines in a pipe. ``page``: a long
    listing (`kehu timeline`) goes through the system's pager on a terminal (PAGER, else
    less; with LESS unset, `less -FRX`: colours kept, and a screenful or less just printed)."""
    from kehu.render.blocks import to_plain, to_rich

    if not blocks:
        return
    if stdout_is_terminal():
        from rich.console import Console

        console = Console(file=sys.stdout, highlight=False, markup=False, emoji=False)
        if page and can_page():
            os.environ.setdefault("LESS", "-FRX")
            with console.pager(styles=True):
                for item in to_rich(blocks, console.width):
                    console.print(item)
            return
        for item in to_rich(blocks, console.width):
            console.print(item)
    else:
        sys.stdout.write(to_plain(blocks))


def emit_json(data: object) -> None:
    from kehu.render.blocks import dumps

    sys.stdout.write(dumps(data))


def say(ctx: typer.Context, key: str, /, *, understood=(), **params: object) -> None:
    """A confirmation or note for the human: stderr, never mixed into the data.

    ``understood`` holds the (typed, day) pairs of the dates the command parsed; those
    typed in a relative or partial form (下周三, 3月5日, +3d) are echoed at the end of the
    line as the day kehu took them to mean, with its weekday.
    """
    from kehu.i18n import message

    lang = state(ctx).lang
    line = message(key, lang, **params)
    echo = understood_days(understood, lang)
    sys.stderr.write(line + (message("dates_understood", lang, items=echo) if echo else "") + "\n")


def understood_days(pairs, lang: str) -> str:
    """'下周三即 2026-12-09 周三；…' for the dates not typed as a full date; '' if none."""
    if not pairs:
        return ""  # most lines: and kehu.dates (its patterns) is not loaded for nothing
    from kehu.dates import is_full
    from kehu.i18n import day_text, message

    items = [message("date_understood", lang, typed=typed.strip(), day=day_text(day, lang))
             for typed, day in pairs if typed and day is not None and not is_full(typed)]
    return message("dates_joined", lang).join(items)


def future_day(value: str):
    """A day that lies ahead by nature (a due date, an instalment, an expected signing, a
    deadline): 3月5日 is the next March 5, 周五 the next Friday (today counts)."""
    from kehu.dates import FUTURE, parse_date

    return parse_date(value, FUTURE)


def past_day(value: str | None, option: str = "--date"):
    """A day on which something happened: today by default, never in the future; 3月5日 is
    the most recent March 5, 周五 the last Friday (today counts)."""
    from kehu.dates import PAST, not_future, parse_date, today

    return today() if value is None else not_future(parse_date(value, PAST), option)


def enum(name: str, value: str | None, ctx: typer.Context) -> str | None:
    from kehu.i18n import parse_enum

    if value is None:
        return None
    if not value.strip():
        return ""  # an explicit empty value: `edit` clears the field
    return parse_enum(name, value, state(ctx).lang)


def without_gc(command):
    """Run a command with Python's cyclic garbage collector paused (and resumed after, for
    callers that run commands in-process, such as the tests).

    The book-wide commands hold tens of thousands of rows, items and lines at once; each
    full collection walks every one of them, and every object of the imported stack, again:
    a fifth of `kehu remind` on a 100,000-customer book. Importing the stack and kehu's
    models inside a command makes hundreds of thousands of objects too: collecting while
    they are made is about 50 ms of `kehu trust`. A command makes no reference cycles
    worth collecting before the process ends; reference counting frees the rest as usual.
    (Every command could run so; these are the ones issue 7 measures.)
    """
    import functools

    @functools.wraps(command)
    def run(*args, **kwargs):
        import gc

        paused = gc.isenabled()
        gc.disable()
        try:
            return command(*args, **kwargs)
        finally:
            if paused:
                gc.enable()

    return run
