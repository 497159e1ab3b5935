"""CSV and Excel in and out: `kehu import FILE|DIR` and `kehu export`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kehu.cli import _common
from kehu.cli._common import emit_json, say, state

TABLE_HELP = ("customers | people | touchpoints | promises | contracts | instalments "
              "(inferred from the header when unambiguous).")


class DryRun(Exception):
    """Raised inside the transaction to roll back a --dry-run after counting."""


def import_(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(
        metavar="FILE|DIR", help="A CSV file, an Excel workbook (.xlsx), or a folder written by kehu export --out.")],
    table: Annotated[str | None, typer.Option("--table", help=TABLE_HELP)] = None,
    sheet: Annotated[str | None, typer.Option(
        "--sheet", metavar="NAME",
        help="The sheet of an .xlsx workbook to import (default: every sheet that holds something).")] = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="The file's encoding, when it is not UTF-8, UTF-16 or GBK.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check everything, report what would change, write nothing.")] = False,
    create_missing: Annotated[bool, typer.Option(
        "--create-missing", help="Create customers and people that rows name but the book lacks.")] = False,
    json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Import CSV or Excel: all rows or none; matching rows update, identical ones change nothing."""
    from kehu import book
    from kehu.csvio.columns import ORDER, TABLES
    from kehu.csvio.read import files_in, plan_file
    from kehu.errors import DataError, UsageError

    st = state(ctx)
    if table is not None and table not in TABLES:
        raise UsageError("bad_enum", what="table", value=table, accepted=", ".join(ORDER))

    path = Path(source).expanduser()
    from kehu.csvio.xlsx import is_workbook

    workbook = not path.is_dir() and is_workbook(path)
    if sheet is not None and not workbook:
        raise UsageError("xlsx_sheet_not_workbook")
    if path.is_dir():
        if table is not None:
            raise UsageError("bad_enum", what="--table with a folder", value=table, accepted="(none)")
        files = files_in(path)
    else:
        files = [(path, table)]
    if workbook:
        from kehu.csvio.xlsx import plan_workbook

        # Each sheet goes through the CSV import's steps (kehu.csvio.xlsx): no encoding.
        plans = [(path, None, one.table, one.header, one) for one in plan_workbook(path, table, sheet)]
    else:
        plans = [(p, *plan_file(p, t, encoding), None) for p, t in files]
    # The importer brings SQLAlchemy and the models: only once every file is readable.
    from kehu.csvio.importer import import_file

    outcomes: list = []
    ids: dict = {}
    created = False
    similar: list = []
    try:
        with book.open(st.db, st.inv, write=True, create=True) as (s, created):
            for p, enc, tbl, header, one in plans:
                progress = _progress(p) if _common.stderr_is_terminal() and not json and one is None else None
                try:
                    out = import_file(s, p, tbl, enc, header, lang=st.lang,
                                      create_missing=create_missing, progress=progress, ids=ids, sheet=one)
                finally:
                    if progress is not None:
                        progress.close()
                outcomes.append(out)
                s.flush()
            failed = sum(o.error_count for o in outcomes)
            if failed:
                raise DataError("csv_failed", count=failed)
            made = [c for o in outcomes for c in o.created_customers]
            if made:
                from kehu.store.names import similar_to_created

                similar = [(name, other.id, other.name, reason) for name, other, reason in similar_to_created(s, made)]
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    except DataError as exc:
        if exc.key != "csv_failed":
            raise
        _report(ctx, outcomes, json, dry_run)
        raise
    if created and not dry_run:
        # Like `kehu add`: a book made at a mistyped --db or KEHU_DB is never made silently.
        say(ctx, "created_book", path=book.describe(st.db))
    _report(ctx, outcomes, json, dry_run)
    if similar:
        from kehu.render.names import reason_text

        for name, other_id, other_name, reason in similar[:20]:
            say(ctx, "similar_created", new=name, id=other_id, name=other_name, reason=reason_text(reason, st.lang))
        if len(similar) > 20:
            say(ctx, "similar_more", count=len(similar) - 20)


def _report(ctx: typer.Context, outcomes: list, as_json: bool, dry_run: bool) -> None:
    from kehu.i18n import message

    st = state(ctx)
    if as_json:
        emit_json({
            "dry_run": dry_run,
            "written": not dry_run and not any(o.error_count for o in outcomes),
            "files": [
                {"file": o.file, **({"sheet": o.sheet} if o.sheet is not None else {}), "table": o.table,
                 "new": o.new, "updated": o.updated,
                 "unchanged": o.unchanged, "errors": o.errors, "error_count": o.error_count}
                for o in outcomes
            ],
        })
    for o in outcomes:
        for line in o.errors:
            sys.stderr.write(line + "\n")
        if o.error_count > len(o.errors):
            sys.stderr.write(message("csv_more_errors", st.lang, count=o.error_count - len(o.errors)) + "\n")
    if not any(o.error_count for o in outcomes):
        for o in outcomes:
            say(ctx, "csv_done", file=o.file if o.sheet is None else f"{o.file}:{o.sheet}", table=o.table,
                new=o.new, updated=o.updated, unchanged=o.unchanged)
        if dry_run:
            say(ctx, "csv_dry_run")


class _progress:
    """A byte-based progress bar on stderr (only on a terminal)."""

    def __init__(self, path: Path) -> None:
        from rich.progress import Progress

        self.total = max(path.stat().st_size, 1)
        self.bar = Progress(transient=True, console=None)
        self.bar.start()
        self.task = self.bar.add_task(path.name, total=self.total)
        self.lines = 0

    def __call__(self, line: int) -> None:
        self.lines = line
        if line % 1000 == 0:
            self.bar.update(self.task, completed=min(self.total, line * 80))

    def close(self) -> None:
        self.bar.stop()


def export(
    ctx: typer.Context,
    table: Annotated[str | None, typer.Option(
        "--table", help="customers | people | touchpoints | promises | contracts | instalments "
                         "(default: all six, with --out DIR).")] = None,
    out: Annotated[str | None, typer.Option(
        "--out", metavar="FILE|DIR",
        help="Where to write: a file, or - for standard output (with --table); a folder for all tables. "
             "Default with --table: standard output.")] = None,
    excel: Annotated[bool, typer.Option(
        "--excel", help="UTF-8 with BOM and CRLF, which Chinese Excel opens by double-click.")] = False,
    include_private: Annotated[bool, typer.Option(
        "--include-private", help="Also export people's private details (warns).")] = False,
    xlsx: Annotated[str | None, typer.Option(
        "--xlsx", metavar="FILE",
        help="Write an Excel workbook instead: one sheet per table (or the --table one); text stays text, "
             "never a formula.")] = None,
    headers: Annotated[str | None, typer.Option(
        "--headers", metavar="en|zh",
        help="en: keys as the header and values (for scripts; the default); zh: Chinese headers and labels "
             "(the default with --excel when the language is Chinese). Both import back the same.")] = None,
) -> None:
    """Export CSV or Excel: formula-safe cells, written atomically with mode 0600."""
    from kehu import book
    from kehu.csvio.columns import ORDER, TABLES
    from kehu.csvio.export import export_rows as csv_rows
    from kehu.csvio.export import in_chinese, write_all_atomic, write_atomic, write_stream
    from kehu.csvio.xlsx import sheet_name
    from kehu.errors import UsageError
    from kehu.files import STDOUT

    st = state(ctx)
    if table is not None and table not in TABLES:
        raise UsageError("bad_enum", what="table", value=table, accepted=", ".join(ORDER))
    if headers is not None and headers.strip().lower() not in ("en", "zh"):
        raise UsageError("bad_enum", what="--headers", value=headers, accepted="en, zh")
    chinese = headers.strip().lower() == "zh" if headers is not None else excel and st.lang == "zh"
    if xlsx is not None and (out is not None or excel or xlsx.strip() in ("", STDOUT)):
        raise UsageError("xlsx_needs_file")

    def export_rows(s, t, private):
        rows = csv_rows(s, t, private)
        return in_chinese(t, rows) if chinese else rows
    if table is None and out is None and xlsx is None:
        raise UsageError("csv_needs_out")
    if table is None and out == STDOUT:  # six tables cannot share one stream
        raise UsageError("csv_dash_needs_table")
    if include_private:
        say(ctx, "csv_private_warning")
    with book.open(st.db, st.inv, write=False) as (s, _):
        if xlsx is not None:
            from kehu.csvio.xlsx import write_workbook

            target = Path(xlsx).expanduser()
            tables = ORDER if table is None else (table,)
            counts = write_workbook(target, [(t, export_rows(s, t, include_private)) for t in tables],
                                    chinese=chinese)
            written = [(f"{target}:{sheet_name(t, chinese)}", n) for t, n in zip(tables, counts, strict=True)]
        elif table is None:
            folder = Path(out).expanduser()
            counts = write_all_atomic([(folder / f"{t}.csv", export_rows(s, t, include_private)) for t in ORDER],
                                      excel=excel)
            written = [(str(folder / f"{t}.csv"), n) for t, n in zip(ORDER, counts, strict=True)]
        elif out is None:
            write_stream(sys.stdout, export_rows(s, table, include_private), excel=excel)
            written = []  # the data is on stdout: nothing else to say
        else:
            target = Path(out).expanduser()
            if target.is_dir():
                target = target / f"{table}.csv"
            rows = write_atomic(target, export_rows(s, table, include_private), excel=excel)
            written = [] if out == STDOUT else [(str(target), rows)]
    for path, rows in written:  # what was written where, for the person (stderr)
        say(ctx, "csv_exported", path=path, rows=rows)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)
