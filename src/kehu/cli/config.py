"""Settings kept in the book: list, get, set."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, say, show, state

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Settings kept in the book.")


@app.command("list")
def list_(ctx: typer.Context, json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every setting, its value and its default; ✓ marks kehu's own numbers."""
    from kehu import book
    from kehu.store import settings
    from kehu.i18n import message, word
    from kehu.settings import SETTINGS, show_value
    from kehu.render.blocks import LEGEND, Grid, Lines

    st = state(ctx)
    with book.open(st.db, st.inv, write=False) as (s, _):
        values = settings.read(s).values
    if json:
        emit_json({k: {"value": show_value(values[k]), "default": s.default, "own": s.own}
                   for k, s in SETTINGS.items()})
        return
    # The fourth column marks kehu's own numbers (DOMAIN §11): the method gives none of them.
    rows = [
        [k, show_value(values[k]), spec.default, "✓" if spec.own else "",
         spec.help_zh if st.lang == "zh" else spec.help_en]
        for k, spec in SETTINGS.items()
    ]
    headers = [word(w, st.lang) for w in ("key", "setting_value", "default", "own_number")] + [""]
    show([Grid(None, headers, rows), Lines(None, [message("legend_own", st.lang)], LEGEND)])


@app.command("get")
def get(ctx: typer.Context, key: Annotated[str, typer.Argument(help="Setting name.")]) -> None:
    """Print one setting's value."""
    import sys

    from kehu import book
    from kehu.store import settings
    from kehu.errors import UsageError
    from kehu.i18n import setting_key
    from kehu.settings import SETTINGS, show_value
    from kehu.text import printable

    st = state(ctx)
    key = setting_key(key)
    if key not in SETTINGS:
        raise UsageError("bad_config_key", key=key, accepted=", ".join(SETTINGS))
    with book.open(st.db, st.inv, write=False) as (s, _):
        value = settings.read(s).values[key]
    # Printed like every other value a book holds: today's parsers leave no control
    # character in a value, but this line must not depend on that.
    sys.stdout.write(f"{printable(show_value(value))}\n")


@app.command("set")
def set_(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Setting name.")],
    value: Annotated[str, typer.Argument(help="New value.")],
) -> None:
    """Change a setting (validated)."""
    from kehu import book
    from kehu.store import settings
    from kehu.i18n import setting_key
    from kehu.settings import parse_setting, show_value

    st = state(ctx)
    key = setting_key(key)  # forecast.成长期 is forecast.growth
    parse_setting(key, value)  # refuse before creating or opening anything
    with book.open(st.db, st.inv, write=True, create=True) as (s, _):
        parsed = settings.set_value(s, key, value)
    say(ctx, "config_set", key=key, value=show_value(parsed))
