"""docs/commands.md documents every command and every option kehu has.

The commands are read from the real command tree (every group and subcommand, built as
when it runs), so a new command or option without its line in the reference fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from kehu.cli import app

DOC = (Path(__file__).resolve().parent.parent / "docs" / "commands.md").read_text(encoding="utf-8")


def _leaves(group, path: tuple[str, ...]):
    commands = group.commands
    for name in list(commands):
        command = commands.built(name) if hasattr(commands, "built") else commands[name]
        if hasattr(command, "commands"):
            yield from _leaves(command, (*path, name))
        else:
            options = [o for p in command.params if p.param_type_name == "option" for o in p.opts
                       if o.startswith("--") and o != "--help"]
            yield " ".join((*path, name)), options


ROOT = typer.main.get_command(app)
COMMANDS = sorted(_leaves(ROOT, ()))
GLOBAL = [o for p in ROOT.params for o in p.opts if o.startswith("--")]


def _section(path: str) -> str | None:
    """The text under the `### kehu PATH ...` heading, up to the next heading."""
    m = re.search(r"^### `kehu " + re.escape(path) + r"\b[^\n]*\n(.*?)(?=^##)", DOC, re.M | re.S)
    return m.group(1) if m else None


def test_the_tree_has_every_command():
    assert len(COMMANDS) > 60
    assert ("contract sign", ["--date", "--json"]) in COMMANDS


@pytest.mark.parametrize(("path", "options"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_and_option_is_documented(path, options):
    section = _section(path)
    assert section is not None, f"docs/commands.md has no section '### `kehu {path} ...`'"
    missing = [o for o in options if not re.search(re.escape(o) + r"(?![\w-])", section)]
    assert missing == [], f"kehu {path}: {missing} not in its section of docs/commands.md"


@pytest.mark.parametrize("option", GLOBAL)
def test_the_global_options_are_documented(option):
    assert "--db" in GLOBAL and "--as" in GLOBAL
    assert f"`{option}" in DOC.split("## Customers")[0], f"{option} is not under Global options"


def test_every_setting_is_in_the_settings_table_of_the_docs():
    import re

    from kehu.settings import SETTINGS

    text = (Path(__file__).resolve().parents[1] / "docs" / "commands.md").read_text(encoding="utf-8")
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `([a-z_.]+)`", table, re.M))
    ranges = re.findall(r"^\| `([a-z_]+)\.([a-z_]+)` … `[a-z_]+\.([a-z_]+)`", table, re.M)
    families = {prefix for prefix, _first, _last in ranges}
    missing = [k for k in SETTINGS if k not in named and k.split(".", 1)[0] not in families]
    assert not missing, f"docs/commands.md's settings table lacks {missing}"
