"""Looking after the book itself: `kehu backup`, `kehu restore`, `kehu doctor`."""

from __future__ import annotations

from typing import Annotated

import typer

from kehu.cli._common import emit_json, say, show, state


def backup(
    ctx: typer.Context,
    dest: Annotated[
        str | None,
        typer.Argument(metavar="[DEST]", help="File or folder for the copy (else the book's backups/ folder)."),
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Make no copy: only remove old copies from backups/ by the retention rule.")
    ] = False,
) -> None:
    """Copy the book (consistent even while others write), check the copy, print its path.

    Then remove old copies from backups/ by the retention rule (see docs/commands.md).
    """
    import sys
    from datetime import datetime

    from kehu import book
    from kehu.errors import UsageError

    db = state(ctx).db
    if prune and dest is not None:
        raise UsageError("prune_with_dest")
    if not prune:
        path = book.backup(db, dest)
        sys.stdout.write(f"{path}\n")
        say(ctx, "backup_done", path=str(path))
    folder, removed = book.prune(db, datetime.now())
    if prune:
        sys.stdout.writelines(f"{p}\n" for p in removed)
    if removed or prune:
        say(ctx, "backups_pruned", n=len(removed), folder=str(folder))


def restore(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FILE", help="A backup made by `kehu backup`.")],
) -> None:
    """Replace the book with a backup, after checking the backup and saving the current book."""
    from kehu import book

    path, before, damaged = book.restore(state(ctx).db, source)
    if before is not None:
        say(ctx, "restore_moved_damaged" if damaged else "restore_saved_old", path=str(before))
    say(ctx, "restore_done", path=str(path), source=source)


def doctor(
    ctx: typer.Context,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    scrub: Annotated[
        bool, typer.Option("--scrub", help="First wipe what deleted rows left in the files (as after person forget).")
    ] = False,
    reindex: Annotated[
        bool, typer.Option("--reindex", help="First rebuild the search index from the records (重建搜索索引).")
    ] = False,
) -> None:
    """Check the book: integrity, foreign keys, schema version, journal, file permissions.

    Exits 0 when all is well and 1 with the findings when anything is wrong.
    """
    from kehu import book
    from kehu.errors import ExitCode
    from kehu.i18n import labelled, word
    from kehu.render.blocks import Grid

    st = state(ctx)
    if scrub:
        book.scrub(st.db)
    if reindex:
        key, n = book.reindex(st.db)
        say(ctx, key, n=n)
    results = book.doctor(st.db)
    bad = [r for r in results if not r[1]]
    if json:
        emit_json({"ok": not bad, "checks": [
            {"check": name, "ok": ok, "detail": labelled(key, "en", **params)} for name, ok, key, params in results
        ]})
    else:
        show([Grid(None, [word("check", st.lang), word("result", st.lang), word("detail", st.lang)], [
            [word(f"check_{name}", st.lang), word("passed" if ok else "failed", st.lang),
             labelled(key, st.lang, **params)]
            for name, ok, key, params in results
        ], [None if ok else "red" for _, ok, _, _ in results])])
    if bad:
        say(ctx, "doctor_found", n=len(bad))
        raise typer.Exit(int(ExitCode.REFUSED))


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("doctor")(doctor)
