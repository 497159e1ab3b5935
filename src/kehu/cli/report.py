"""`kehu report week|month|quarter`: the 周报/月报/季报, on the terminal or as files."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, say, show, state, stdout_is_terminal
from kehu.cli.options import Json, Mine

# The period's name as typed: its key, or a Chinese word for it.
KINDS: dict[str, str] = {
    "week": "week", "周": "week", "周报": "week", "本周": "week",
    "month": "month", "月": "month", "月报": "month", "本月": "month",
    "quarter": "quarter", "季": "quarter", "季报": "quarter", "季度": "quarter", "本季度": "quarter",
}

Owner = Annotated[str | None, typer.Option("--owner", help="Only the customers this salesperson holds.")]
File = Annotated[str | None, typer.Option(metavar="FILE")]


def report(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="week|month|quarter",
                                        help="The period: this week, month or quarter (周报/月报/季报).")],
    start: Annotated[str | None, typer.Option("--from", help="First day of the period (default: its first).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day of the period (default: its last).")] = None,
    owner: Owner = None,
    mine: Mine = False,
    md: Annotated[str | None, typer.Option("--md", metavar="FILE", help="Write Markdown to FILE.")] = None,
    html: Annotated[str | None, typer.Option(
        "--html", metavar="FILE", help="Write one self-contained HTML page with charts to FILE.")] = None,
    xlsx: Annotated[str | None, typer.Option(
        "--xlsx", metavar="FILE", help="Write an Excel workbook, one sheet per table, to FILE.")] = None,
    json: Json = False,
) -> None:
    """The report of a week, month or quarter: what happened, where things stand, next week's plan."""
    from pathlib import Path

    from kehu import book
    from kehu.cli.team import owner_filter
    from kehu.dates import PAST, parse_date, today
    from kehu.errors import UsageError
    from kehu.rules.report import period_of
    from kehu.store import report as store
    from kehu.store import settings
    from kehu.text import fold

    st = state(ctx)
    chosen = KINDS.get(fold(kind))
    if chosen is None:
        raise UsageError("rp_bad_kind", value=kind)
    day = today()
    first = parse_date(start, PAST) if start else None
    last = parse_date(end, PAST) if end else None
    period = period_of(chosen, day, first, last)
    if period.start > period.end:
        raise UsageError("rp_from_after_to", start=period.start.isoformat(), end=period.end.isoformat())
    owner = owner_filter(ctx, owner, mine)
    with book.open(st.db, st.inv, write=False) as (s, _):
        rep = store.gather(s, settings.read(s), period, day, owner)
    files = [(path, make) for path, make in ((md, _markdown), (html, _html), (xlsx, _xlsx)) if path]
    if files:
        from kehu.files import write_all_atomic

        targets = [(Path(path).expanduser(), make(rep, st.lang)) for path, make in files]
        write_all_atomic([(target, lambda fh, data=data: fh.write(data)) for target, data in targets], binary=True)
        for target, _data in targets:
            say(ctx, "rp_written", path=str(target))
    if json:
        from kehu.render.report import report_json

        emit_json(report_json(rep))
    elif not files:
        from kehu.render.report import report_blocks

        show(report_blocks(rep, st.lang, bars=stdout_is_terminal()))


def _markdown(rep, lang: str) -> bytes:
    from kehu.render.report import report_markdown

    return report_markdown(rep, lang).encode("utf-8")


def _html(rep, lang: str) -> bytes:
    from kehu.render.report_html import report_html

    return report_html(rep, lang).encode("utf-8")


def _xlsx(rep, lang: str) -> bytes:
    from kehu.render.report_xlsx import report_xlsx

    return report_xlsx(rep, lang)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
