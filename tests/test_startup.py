"""Start-up stays light: --help and --version import neither SQLModel nor SQLAlchemy,
`kehu --version` not even Typer, and only the command that runs is built (issue 7)."""

from __future__ import annotations

import copy
import importlib.metadata
import subprocess
import sys

import pytest
import typer
import typer.main
from typer.testing import CliRunner

import _clockshift
import kehu.entry
from kehu import cli
from kehu.cli import customers, negotiate, people

HEAVY = ("sqlmodel", "sqlalchemy", "pydantic", "rich")

PROBE = """
import sys
sys.argv = {argv!r}
try:
    from kehu.cli import main
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
print("CODE=" + str(code), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [["kehu", "--help"], ["kehu", "--version"], ["kehu", "person", "--help"], ["kehu", "add", "--help"]],
)
def test_help_and_version_do_not_import_the_database_stack(argv):
    r = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
        capture_output=True, text=True, timeout=60,
    )
    assert "CODE=0" in r.stderr, r.stderr
    assert "HEAVY=\n" in r.stderr, r.stderr
    assert r.stdout


def test_version_prints_the_package_version():
    from kehu import __version__

    r = subprocess.run([sys.executable, "-m", "kehu", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == f"kehu {__version__}\n"


def test_the_probe_would_see_a_heavy_import():
    # Guard against a probe that can never fail: a real command does load the stack.
    r = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=["kehu", "list"], heavy=HEAVY)],
        capture_output=True, text=True, timeout=60,
        env={"KEHU_DB": "/nonexistent/kehu-probe.db", "PATH": "/usr/bin:/bin", **_clockshift.child_env()},
    )
    assert "sqlalchemy" in r.stderr.split("HEAVY=")[1].split("\n")[0]


# `python -m kehu` with this argv, as the `kehu` script runs it (kehu.entry.main), then
# which of these packages got imported.
ENTRY_PROBE = """
import runpy, sys
sys.argv = {argv!r}
try:
    runpy.run_module("kehu", run_name="__main__")
except SystemExit as exc:
    assert exc.code in (None, 0), exc.code
print("LOADED=" + ",".join(sorted({{m.split('.')[0] for m in sys.modules}} & {{"typer", "sqlmodel", "sqlalchemy"}})),
      file=sys.stderr)
"""


@pytest.mark.parametrize(("argv", "loaded"), [(["--version"], ""), (["--help"], "typer")])
def test_version_does_not_even_import_typer(argv, loaded):
    # --help is the probe's own check: it must see typer when kehu does load it.
    r = subprocess.run(
        [sys.executable, "-c", ENTRY_PROBE.format(argv=["kehu", *argv])], capture_output=True, text=True, timeout=60,
    )
    assert f"LOADED={loaded}\n" in r.stderr, r.stderr
    if argv == ["--version"]:
        from kehu import __version__

        assert r.stdout == f"kehu {__version__}\n"


def test_the_kehu_script_is_the_fast_entry_point():
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="kehu")
    assert script.load() is kehu.entry.main


def fully_built() -> typer.core.TyperGroup:
    """The root as Typer builds it with every command registered on the app (kehu before issue 7),
    each command and group of the help class the lazy tree gives it (cli._helped: help in
    the user's language, grouped, descriptions whole)."""

    def helped(commands, groups):
        out_c = []
        for info in commands:
            info = copy.copy(info)
            info.cls = cli._helped(info.cls or typer.core.TyperCommand)
            out_c.append(info)
        out_g = []
        for info in groups:
            info = copy.copy(info)
            sub = copy.copy(info.typer_instance)
            sub.registered_commands, sub.registered_groups = helped(sub.registered_commands, sub.registered_groups)
            info.typer_instance = sub
            info.cls = cli._helped(typer.main.solve_typer_info_defaults(info).cls or typer.core.TyperGroup)
            out_g.append(info)
        return out_c, out_g

    full = copy.copy(cli.app)
    full.registered_commands, full.registered_groups = helped(
        [*cli.app.registered_commands, *cli.commands.registered_commands],
        [*cli.app.registered_groups, *cli.commands.registered_groups])
    return typer.main.get_command(full)


def every_help(root) -> dict:
    """The --help text and the completion of subcommand names of every group and command, by path."""
    seen = {}

    def walk(ctx, path):
        seen[path] = ctx.command.get_help(ctx)
        if isinstance(ctx.command, typer.core.TyperGroup):
            seen[(*path, "<TAB>")] = [(c.value, c.help) for c in ctx.command.shell_complete(ctx, "")]
            for name in ctx.command.list_commands(ctx):
                sub = ctx.command.get_command(ctx, name)
                walk(sub.make_context(name, [], parent=ctx, resilient_parsing=True), (*path, name))

    walk(root.make_context("kehu", [], resilient_parsing=True), ())
    return seen


def test_the_lazy_tree_has_every_command_with_the_same_help():
    full, lazy = every_help(fully_built()), every_help(typer.main.get_command(cli.app))
    assert len([p for p in full if "<TAB>" not in p]) > 60  # the commands and groups kehu has
    assert lazy == full


@pytest.fixture
def built(monkeypatch):
    """The functions whose click parameters were built (None for a group without a callback)."""
    made = []
    real = typer.main.get_params_convertors_ctx_param_name_from_function

    def spy(callback):
        made.append(callback)
        return real(callback)

    monkeypatch.setattr(typer.main, "get_params_convertors_ctx_param_name_from_function", spy)
    return made


@pytest.mark.parametrize(
    ("argv", "code", "expected"),
    [
        (["--help"], 0, [cli.root]),
        ([], 2, [cli.root]),  # no arguments: the help
        (["show", "nobody"], 66, [cli.root, customers.show_]),  # 66: there is no book yet
        (["person", "list", "nobody"], 66, [cli.root, None, people.list_]),
        (["negotiate", "12"], 66, [cli.root, None, negotiate.show_]),  # its default subcommand
        (["person", "--help"], 0, [cli.root, None]),
        (["shwo"], 2, [cli.root]),
    ],
)
def test_only_the_command_that_runs_is_built(built, argv, code, expected):
    r = CliRunner().invoke(cli.app, argv)
    assert r.exit_code == code, r.output
    assert built == expected


def test_completing_a_command_name_builds_no_command(built):
    r = CliRunner().invoke(cli.app, [],
                           env={"_KEHU_COMPLETE": "complete_bash", "COMP_WORDS": "kehu per", "COMP_CWORD": "1"})
    assert r.exit_code == 0 and r.stdout.split() == ["person"]
    assert built == [cli.root]


def test_a_mistyped_command_is_still_matched_against_every_name():
    r = CliRunner().invoke(cli.app, ["promsie", "list"])
    assert r.exit_code == 2 and "no such command: promsie (did you mean promise?)" in r.stderr
