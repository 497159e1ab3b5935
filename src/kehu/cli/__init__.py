"""The kehu command line: one Typer app, one error boundary, command groups per module.

Only typer and the standard library are imported at module level: sqlmodel, SQLAlchemy
and Rich tables are imported inside the commands that need them, so `kehu --help`,
`--version` and shell completion stay fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from kehu import __version__
from kehu.cli._common import State, state
from kehu.errors import ExitCode, KehuError


class KehuGroup(TyperGroup):
    """The one error boundary: an anticipated error is one line on stderr and its code."""

    def invoke(self, ctx):  # noqa: ANN001, ANN201
        from kehu import db

        db.saved = False  # per command (tests run many in one process)
        try:
            return super().invoke(ctx)
        except KehuError as exc:
            _fail(ctx, exc.message(state(ctx).lang), exc.code)
        except UnicodeEncodeError:
            _fail(ctx, _msg(ctx, "bad_text"), ExitCode.USAGE)
        except KeyboardInterrupt:
            _fail(ctx, _msg(ctx, "interrupted_saved" if db.saved else "interrupted"), ExitCode.INTERRUPTED)
        except BrokenPipeError:
            _quiet_stdout()
            ctx.exit(0)
        except OSError as exc:
            if os.environ.get("KEHU_DEBUG"):
                raise
            _fail(ctx, _msg(ctx, "io_error", error=exc.strerror or str(exc)), ExitCode.IOERR)
        except Exception as exc:
            # Click's own exits and usage errors pass through untouched.
            if os.environ.get("KEHU_DEBUG") or type(exc).__module__.startswith(("click", "typer")):
                raise
            # SQLite does not verify every page it reads: a damaged book can hand back
            # garbage that only breaks later, in kehu's own code. Say so, not "a bug".
            damage = _book_damage(ctx)
            if damage:
                _fail(ctx, _msg(ctx, "book_damaged", why=damage), ExitCode.DATAERR)
            report = _crash_report(ctx, exc)
            _fail(ctx, _msg(ctx, "internal_error", error=type(exc).__name__, report=report), ExitCode.SOFTWARE)


def _book_damage(ctx) -> str | None:  # noqa: ANN001
    try:
        from kehu import db

        return db.damage(state(ctx).db)
    except Exception:  # noqa: BLE001 - a diagnosis must never replace the error itself
        return None


def _crash_report(ctx, exc: BaseException) -> str:  # noqa: ANN001
    """Write what a bug report needs, and nothing of the user's data; return its path.

    Only code locations go in: file, line, function and the source line of each frame,
    the exception's type, the command's name and the versions. Not the exception's
    message, the arguments or any local variable: any of them can hold a private note.
    """
    import platform
    import tempfile
    import time
    import traceback
    from pathlib import Path

    frames = traceback.extract_tb(exc.__traceback__)
    command = " ".join(n for n in ("kehu", ctx.invoked_subcommand) if n)  # a name, never a value
    lines = [
        f"kehu {__version__} crash report, {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"python {platform.python_version()} on {platform.platform()}",
        f"command: {command}",
        f"exception: {type(exc).__module__}.{type(exc).__qualname__} (message withheld: it may hold your data)",
        "traceback (most recent call last):",
        *(f"  {f.filename}:{f.lineno} in {f.name}: {(f.line or '').strip()}" for f in frames),
    ]
    old_umask = os.umask(0o077)
    try:
        folder = Path(typer.get_app_dir("kehu")) / "crash"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, name = tempfile.mkstemp(prefix=time.strftime("crash-%Y%m%d-%H%M%S-"), suffix=".txt", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        return name
    except OSError:
        return "-"
    finally:
        os.umask(old_umask)


def _msg(ctx, key: str, **params: object) -> str:  # noqa: ANN001
    from kehu.i18n import message

    return message(key, state(ctx).lang, **params)


def _fail(ctx, text: str, code: int):  # noqa: ANN001, ANN202
    sys.stderr.write(f"kehu: {text}\n")
    ctx.exit(int(code))


def _quiet_stdout() -> None:
    # Python flushes stdout at exit; pointing it at devnull keeps a closed pipe
    # (`kehu list | head -1`) from raising a second error there.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


app = typer.Typer(
    cls=KehuGroup,
    name="kehu",
    help="kehu 客户 — an account book for B2B key-account sales.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kehu {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="PATH", help="Path of the account book (else KEHU_DB, else the per-user app folder)."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="zh|en", help="zh or en (else KEHU_LANG, else the locale)."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """kehu 客户 — an account book for B2B key-account sales."""
    from kehu.i18n import current_lang

    if lang is not None and lang.lower() not in ("zh", "en") and not lang.lower().startswith("zh"):
        sys.stderr.write(f"kehu: --lang takes zh or en, not {lang!r}\n")
        raise typer.Exit(int(ExitCode.USAGE))
    ctx.obj = State(db=db, lang=current_lang(lang))
    _notices(ctx.obj.lang)


def _notices(lang: str) -> None:
    """Let the book's module tell the user what it did on its own (a backup before an upgrade)."""
    from kehu import db as book_db

    def notify(key: str, **params: object) -> None:
        from kehu.i18n import message

        sys.stderr.write(message(key, lang, **params) + "\n")

    book_db.notify = notify


from kehu.cli import (  # noqa: E402
    agenda, care, config, contracts, customers, negotiate, people, playbook, stages, touch, transfer, trust,
)

customers.register(app)
agenda.register(app)
transfer.register(app)
stages.register(app)
touch.register(app)
trust.register(app)
playbook.register(app)
contracts.register(app)
negotiate.register(app)
care.register(app)
app.add_typer(people.app, name="person")
app.add_typer(touch.promise_app, name="promise")
app.add_typer(config.app, name="config")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
