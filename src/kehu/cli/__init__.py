"""The kehu command line: one Typer app, one error boundary, command groups per module.

Only typer and the standard library are imported at module level: sqlmodel, SQLAlchemy
and Rich tables are imported inside the commands that need them, so `kehu --help`,
`--version` and shell completion stay fast. For the same reason the click command of a
subcommand is built only when it runs (see `_Subcommands`); `kehu --version` alone is
answered before this module is loaded (`kehu.entry`).
"""

from __future__ import annotations

import copy
import inspect
import os
import sys
from collections.abc import MutableMapping
from typing import Annotated

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

from kehu import __version__
from kehu.cli import (
    aftersale, agenda, care, config, contracts, customers, names, negotiate, people, playbook, report, search, stages,
    team, touch, transfer, trust, undo,
)
from kehu.cli._common import State, state
from kehu.errors import ExitCode, KehuError


# The task each command is listed under in `kehu --help` (issue 17), in this order. Every
# command registered must be here (tests/test_help.py); one that is not is still listed,
# under "other". Engineers adding a command add its name here.
HELP_GROUPS: dict[str, tuple[str, ...]] = {
    "customers": ("add", "list", "show", "edit", "search", "timeline", "history", "person", "alias", "dupes",
                  "merge", "drop", "reopen", "delete", "referral"),
    "followup": ("next", "remind", "touch", "promise", "followup", "tasks", "done", "qualify", "advance", "trust",
                 "tier", "funnel", "playbook", "guide"),
    "contracts": ("contract", "pay", "forecast", "report", "negotiate", "review", "complaint", "cycle"),
    "team": ("pool", "claim", "release", "assign"),
    "data": ("import", "export", "config", "undo", "redo", "backup", "restore", "doctor"),
}


def _help_lang(ctx) -> str:
    """The language of a help page: the invocation's, else --lang as typed (help is read
    before the root's callback runs), else the environment's."""
    from kehu.i18n import current_lang

    root = ctx.find_root()
    if isinstance(root.obj, State):
        return root.obj.lang
    argv = getattr(root.command, "argv", [])
    typed = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--lang"), None)
    try:
        return current_lang(typed)
    except Exception:  # noqa: BLE001 -- a bad --lang is refused when the command runs
        return current_lang(None)


def _summary(cmd) -> str:
    """A command's description for a listing: its first paragraph, whole (click cut it at
    45 characters with "...")."""
    text = inspect.cleandoc(cmd.help or "").partition("\f")[0]
    return " ".join(text.split("\n\n")[0].split())


class _Help:
    """Help in the user's language: Chinese descriptions and frame (用法 / 选项 / 命令) when
    the language is Chinese, descriptions never cut, the root's commands grouped by task."""

    def get_help(self, ctx) -> str:
        lang = _help_lang(ctx)
        ctx.meta["kehu.help_lang"] = lang
        if lang != "zh":
            return super().get_help(ctx)
        formatter = _zh_formatter(ctx)
        self.format_help(ctx, formatter)
        return formatter.getvalue().rstrip("\n")

    def format_help_text(self, ctx, formatter) -> None:
        if ctx.meta.get("kehu.help_lang") != "zh":
            return super().format_help_text(ctx, formatter)
        from kehu.i18n.help_zh import COMMANDS, FRAME

        path = ctx.command_path.split(" ", 1)[1] if " " in ctx.command_path else ""
        text = COMMANDS.get(path) if path else FRAME["root"][0]
        if text is None:
            return super().format_help_text(ctx, formatter)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)

    def format_options(self, ctx, formatter) -> None:
        if ctx.meta.get("kehu.help_lang") != "zh":
            if isinstance(self, TyperGroup):
                typer.core._typer_format_options(self, ctx=ctx, formatter=formatter)
                self.format_commands(ctx, formatter)
            else:
                super().format_options(ctx, formatter)
            return
        args, opts = [], []
        path = ctx.command_path.split(" ", 1)[1] if " " in ctx.command_path else ""
        for param in self.get_params(ctx):
            saved = param.help
            param.help = param_help_zh(path, param, root=ctx.parent is None) or saved
            try:
                record = param.get_help_record(ctx)
            finally:
                param.help = saved
            if record is not None:
                (args if param.param_type_name == "argument" else opts).append(
                    (record[0], _extras_zh(record[1])))
        if args:
            with formatter.section("Arguments"):
                formatter.write_dl(args)
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)
        if isinstance(self, TyperGroup):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter) -> None:
        from kehu.i18n.help_zh import COMMANDS, FRAME, GROUP_TITLES

        zh = ctx.meta.get("kehu.help_lang") == "zh"
        prefix = ctx.command_path.split(" ", 1)[1] + " " if " " in ctx.command_path else ""
        rows = {}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows[name] = (COMMANDS.get(prefix + name) if zh else None) or _summary(cmd)
        if ctx.parent is not None:
            if rows:
                with formatter.section(FRAME["commands"][0 if zh else 1]):
                    formatter.write_dl(list(rows.items()))
            return
        placed = {name for members in HELP_GROUPS.values() for name in members}
        groups = [(g, [n for n in members if n in rows]) for g, members in HELP_GROUPS.items()]
        groups.append(("other", [n for n in rows if n not in placed]))
        for group, members in groups:
            if members:
                with formatter.section(GROUP_TITLES[group][0 if zh else 1]):
                    formatter.write_dl([(n, rows[n]) for n in members])


def param_key(param) -> str:
    """How help_zh names a parameter: its long option name (else its first), an argument's name."""
    if param.param_type_name == "argument":
        return param.name or ""
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def param_help_zh(path: str, param, *, root: bool = False) -> str | None:
    """A parameter's help in Chinese: the command's own line, else the shared one; None
    when help_zh has none (the English help is shown then, and tests/test_help.py fails)."""
    from kehu.i18n.help_zh import ARGUMENTS, FRAME, OPTIONS, ROOT_OPTIONS

    key = param_key(param)
    if "--help" in getattr(param, "opts", ()):
        return FRAME["help"][0]
    if root:
        return ROOT_OPTIONS.get(key)
    table = ARGUMENTS if param.param_type_name == "argument" else OPTIONS
    return table.get(f"{path} {key}", table.get(key))


def _extras_zh(text: str) -> str:
    """Click's note after a help text, "[default: 7d; required]", as "【默认：7d；必填】"."""
    import re

    from kehu.i18n.help_zh import EXTRAS

    found = re.search(r"\[([^\[\]]*)\]$", text)
    if found is None:
        return text
    parts = []
    for part in found[1].split("; "):
        name, sep, value = part.partition(": ")
        parts.append(f"{EXTRAS[name]}：{value}" if sep and name in EXTRAS else EXTRAS.get(part, part))
    return text[:found.start()].rstrip() + "【" + "；".join(parts) + "】"


def _zh_formatter(ctx):
    """Click's formatter, with its frame in Chinese."""
    from kehu.i18n.help_zh import FRAME

    base = type(ctx.make_formatter())
    sections = {"Options": FRAME["options"][0], "Arguments": "参数", "Commands": FRAME["commands"][0]}

    class Zh(base):
        """Click wraps by characters, and a Chinese character takes two columns: a help
        page overflowed an 80-column terminal. Here lines are wrapped by columns, between
        Chinese characters or at spaces (kehu.text.wrap_cells)."""

        def write_usage(self, prog, args="", prefix=None):
            return super().write_usage(prog, args, prefix=FRAME["usage"][0])

        def section(self, name):
            return super().section(sections.get(name, name))

        def write_text(self, text):
            from kehu.text import wrap_cells

            indent = " " * self.current_indent
            for line in wrap_cells(text, max(self.width - self.current_indent, 11)):
                self.write(f"{indent}{line}\n" if line else "\n")

        def write_dl(self, rows, col_max=30, col_spacing=2):
            from kehu.text import cell_width, wrap_cells

            rows = list(rows)
            first_col = min(max((cell_width(first) for first, _ in rows), default=0), col_max) + col_spacing
            indent = " " * self.current_indent
            for first, second in rows:
                self.write(f"{indent}{first}")
                if not second:
                    self.write("\n")
                    continue
                if cell_width(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - cell_width(first)))
                else:
                    self.write("\n" + " " * (first_col + self.current_indent))
                lines = wrap_cells(second, max(self.width - first_col - self.current_indent, 10))
                self.write(lines[0] + "\n")
                for line in lines[1:]:
                    self.write(" " * (first_col + self.current_indent) + line + "\n")

    return Zh(width=ctx.terminal_width, max_width=ctx.max_content_width)


_HELPED: dict[type, type] = {}


def _helped(cls: type) -> type:
    """``cls`` (a Typer command or group class) with the help of _Help, made once."""
    if cls not in _HELPED:
        _HELPED[cls] = type(cls.__name__, (_Help, cls), {})
    return _HELPED[cls]


class KehuGroup(_Help, TyperGroup):
    """The one error boundary: an anticipated error is one line on stderr and its code."""

    def __init__(self, **attrs) -> None:
        super().__init__(**attrs)
        if not self.commands:  # they are registered on `commands`, not on `app`, so Typer built none
            self.commands = _Subcommands(commands)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """As click's standalone main, but an argument-parser error (unknown option, missing
        argument, bad choice) is one line, `kehu: ...` in the user's language, exit 2."""
        from typer._click import exceptions as ce

        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        self.argv = argv  # for the language of a help page asked before the root runs
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except ce.NoArgsIsHelpError as exc:  # `kehu touch` alone: its help
            exc.show()
            sys.exit(exc.exit_code)
        except ce.UsageError as exc:
            sys.stderr.write(f"kehu: {_usage_line(exc, _lang_of(exc, argv), argv)}\n")
            sys.exit(int(ExitCode.USAGE))
        except ce.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except typer.Abort:  # click's "Aborted!" (end of input at a prompt), in the user's language
            from kehu.i18n import message

            text = message("interrupted", _lang_of(None, argv))
            sys.stderr.write(f"kehu: {text}\n")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KehuError as exc:
            from kehu.i18n import error_message

            if exc.code == ExitCode.OK:  # nothing to do (an edit that changes nothing): a note, not a failure
                sys.stderr.write(error_message(exc, state(ctx).lang) + "\n")
                ctx.exit(0)
            _fail(ctx, error_message(exc, state(ctx).lang), exc.code)
        except UnicodeEncodeError:
            _fail(ctx, _msg(ctx, "bad_text"), ExitCode.USAGE)
        except KeyboardInterrupt:
            _fail(ctx, _msg(ctx, "interrupted_saved" if state(ctx).inv.saved else "interrupted"), ExitCode.INTERRUPTED)
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


def _book_damage(ctx) -> str | None:
    try:
        from kehu import book

        return book.damage(state(ctx).db)
    except Exception:  # noqa: BLE001 - a diagnosis must never replace the error itself
        return None


def _crash_report(ctx, exc: BaseException) -> str:
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


def _lang_of(exc, argv: list[str]) -> str:
    """The language of an argument-parser error: the invocation's, else --lang as typed,
    else the environment's."""
    from kehu.i18n import current_lang

    root = exc.ctx.find_root() if exc is not None and exc.ctx is not None else None
    if root is not None and isinstance(root.obj, State):
        return root.obj.lang
    typed = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            typed = argv[i + 1]
        elif arg.startswith("--lang="):
            typed = arg.split("=", 1)[1]
    try:
        return current_lang(typed)
    except Exception:  # noqa: BLE001 -- a bad --lang is reported on its own; here any language will do
        return current_lang(None)


def _command_typed(argv: list[str]) -> str:
    """`kehu list` of `kehu --db x list --stage`: the command words typed (for an error
    click raised before it knew the command)."""
    import re

    words, skip = ["kehu"], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--db", "--lang", "--as"):
            skip = True
        elif arg.startswith("-"):
            if len(words) > 1:
                break
        elif re.fullmatch(r"[a-z][a-z-]*", arg) and len(words) < 3:
            words.append(arg)
        else:
            break
    return " ".join(words)


def _usage_line(exc, lang: str, argv: list[str] = ()) -> str:
    """What click's usage error says, as kehu says it: one line in ``lang``."""
    import re

    from typer._click import exceptions as ce

    from kehu.i18n import message
    from kehu.i18n.plain_words import METAVARS_ZH

    command = exc.ctx.command_path if exc.ctx is not None else _command_typed(list(argv))
    sep = "、" if lang == "zh" else ", "

    def maybe(names) -> str:
        names = sorted(names or ())
        return message("usage_did_you_mean", lang, names=sep.join(names)) if names else ""

    if isinstance(exc, ce.NoSuchOption):
        return message("usage_no_option", lang, option=exc.option_name, maybe=maybe(exc.possibilities), command=command)
    if isinstance(exc, ce.MissingParameter) and exc.param is not None:
        param = exc.param
        if param.param_type_name == "argument":
            name = (param.metavar or param.name or "").upper()
            name = METAVARS_ZH.get(name, name) if lang == "zh" else name
        else:
            name = param.opts[0]
        return message("usage_missing", lang, param=name, command=command)
    if isinstance(exc, ce.BadParameter) and exc.param is not None:
        param = exc.param
        hint = param.opts[0] if param.param_type_name == "option" else (param.metavar or param.name or "").upper()
        if lang == "zh" and param.param_type_name == "argument":
            hint = METAVARS_ZH.get(hint, hint)
        text = exc.message
        value = re.match(r"'?(.*?)'? is not", text)
        kind = type(param.type).__name__
        why = ""
        if hasattr(param.type, "choices"):
            why = message("usage_choices", lang, choices=sep.join(str(c) for c in param.type.choices))
        elif "range" in text and "is not in the range" in text:
            why = message("usage_range", lang, range=text.split("is not in the range", 1)[1].strip(" ."))
        elif kind in ("IntParamType", "IntRange"):
            why = message("usage_whole", lang)
        return message("usage_bad_value", lang, param=hint, value=value[1] if value else "", why=why, command=command)
    if isinstance(exc, ce.BadOptionUsage):
        key = "usage_takes_no_value" if "does not take a value" in exc.message else "usage_needs_value"
        return message(key, lang, option=exc.option_name, command=command)
    found = re.match(r"No such command '(.*)'\.(?: Did you mean (.*)\?)?", exc.message)
    if found:
        names = re.findall(r"'([^']*)'", found[2] or "")
        return message("usage_no_command", lang, name=found[1], maybe=maybe(names), command=command)
    found = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", exc.message)
    if found:
        return message("usage_extra", lang, args=found[1], command=command)
    if lang != "zh":  # click's own words are English: say what it said
        return f"{exc.message.rstrip('.')}; see {command} -h"
    return message("usage_other", lang, command=command)


def _msg(ctx, key: str, **params: object) -> str:
    from kehu.i18n import message

    return message(key, state(ctx).lang, **params)


def _fail(ctx, text: str, code: int):
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


class _Subcommands(MutableMapping):
    """A group's subcommands, each built into its click command only when it runs.

    Typer builds every command's parameters from its signature (`inspect.signature`,
    `typing.get_type_hints` over string annotations) before click parses anything: about
    30 ms for kehu's ~55 commands, on every invocation, though one runs. Here a lookup
    returns a stand-in that knows the name and the help (all that `--help`, "Did you
    mean" and completion read); its `make_context`, called just before the command parses
    its arguments, builds the real command, as Typer would have, with the root's settings.
    """

    def __init__(self, typer_app: typer.Typer) -> None:
        infos = [*typer_app.registered_commands, *typer_app.registered_groups]  # Typer's order
        self._infos = {_name(info): info for info in infos}
        self._made: dict = {}

    def __getitem__(self, name: str):
        if name not in self._made:
            self._made[name] = _Unbuilt(self._infos[name], lambda: self.built(name))
        return self._made[name]

    def built(self, name: str):
        """The real click command, built once."""
        if isinstance(self._made.get(name), _Unbuilt | None):
            self._made[name] = _build(self._infos[name])
        return self._made[name]

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def __iter__(self):
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)

    def __setitem__(self, name: str, command) -> None:
        self._infos.setdefault(name, None)
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        del self._infos[name]
        self._made.pop(name, None)


def _build(info: CommandInfo | TyperInfo):
    """What Typer makes of a registered command or group, with the root's settings as it would."""
    settings = {"pretty_exceptions_short": app.pretty_exceptions_short, "rich_markup_mode": app.rich_markup_mode}
    if isinstance(info, CommandInfo):
        info = copy.copy(info)
        info.cls = _helped(info.cls or TyperCommand)
        return typer.main.get_command_from_info(info, **settings)
    # A group: its own parameters and help now, its subcommands again one at a time.
    empty = copy.copy(info.typer_instance)
    empty.registered_commands, empty.registered_groups = [], []
    shell = copy.copy(info)
    shell.typer_instance = empty
    shell.cls = _helped(typer.main.solve_typer_info_defaults(info).cls or TyperGroup)
    group = typer.main.get_group_from_info(shell, suggest_commands=app.suggest_commands, **settings)
    group.commands = _Subcommands(info.typer_instance)
    return group


def _name(info: CommandInfo | TyperInfo) -> str:
    if isinstance(info, CommandInfo):
        return info.name or typer.main.get_command_name(info.callback.__name__)
    assert info.name, "every group is added with a name"
    return info.name


class _Unbuilt(TyperCommand):
    """A subcommand as a listing sees it: the name, help, hidden and deprecated Typer would give it."""

    def __init__(self, info: CommandInfo | TyperInfo, real) -> None:
        if isinstance(info, CommandInfo):
            text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
        else:
            info = typer.main.solve_typer_info_defaults(info)
            text = info.help
        super().__init__(
            _name(info), help=text, short_help=info.short_help, hidden=info.hidden, deprecated=info.deprecated,
        )
        self._real = real  # builds (once) and returns the real command

    def make_context(self, info_name, args, parent=None, **extra):
        return self._real().make_context(info_name, args, parent=parent, **extra)


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
        typer.Option("--db", metavar="PATH|URL", help=(
            "The account book: a file path, or postgresql://user@host/dbname for a team's server book "
            "(else KEHU_DB, else the per-user app folder).")),
    ] = None,
    acting: Annotated[
        str | None,
        typer.Option("--as", metavar="NAME", help=(
            "The salesperson acting, recorded in the history (else KEHU_USER, else the login name).")),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="zh|en",
                     help="zh or en (else KEHU_LANG, else the locale; Chinese when none names a language)."),
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
    ctx.obj.inv.notify = _notices(ctx.obj.lang)
    ctx.obj.inv.actor = _actor(acting, ctx.obj.lang)


def _actor(acting: str | None, lang: str) -> str:
    """--as, else KEHU_USER, else the login name: who the history says did it."""
    import getpass

    from kehu.i18n import message
    from kehu.rules.names import clean_name
    from kehu.text import first_control

    raw = acting if acting is not None else os.environ.get("KEHU_USER")
    if raw is None:
        try:
            raw = getpass.getuser()
        except (OSError, KeyError):
            raw = "?"
    name = clean_name(raw)
    if not name or len(name) > 200:
        sys.stderr.write(f"kehu: {message('bad_actor', lang)}\n")
        raise typer.Exit(int(ExitCode.USAGE))
    char = first_control(name)  # recorded in the history, shown to every colleague
    if char is not None:
        sys.stderr.write(f"kehu: {message('name_control', lang, field='--as', char=char)}\n")
        raise typer.Exit(int(ExitCode.USAGE))
    return name


def _notices(lang: str):
    """How the book tells the user what it did on its own (a backup before an upgrade)."""

    def notify(key: str, **params: object) -> None:
        from kehu.i18n import message

        sys.stderr.write(message(key, lang, **params) + "\n")

    return notify


# kehu's subcommands, in the order `kehu --help` lists them; the root group serves them
# from here one at a time (KehuGroup, _Subcommands).
commands = typer.Typer()
customers.register(commands)
names.register(commands)
search.register(commands)
undo.register(commands)
team.register(commands)
agenda.register(commands)
transfer.register(commands)
stages.register(commands)
touch.register(commands)
trust.register(commands)
playbook.register(commands)
contracts.register(commands)
report.register(commands)
negotiate.register(commands)
care.register(commands)
aftersale.register(commands)
commands.add_typer(people.app, name="person")
commands.add_typer(touch.promise_app, name="promise")
commands.add_typer(config.app, name="config")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
