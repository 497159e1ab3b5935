"""Shell completion of customer names and aliases, read from the book with the standard
library alone.

A Tab after `kehu show 京东` runs kehu once and waits for it. Through Typer that costs
the import of Typer and kehu's command tree (about four times `kehu --version`), so
`kehu.entry` hands a completion request to `answer()` first: when the word being
completed is the customer argument of one of COMMANDS, typed plainly, it is answered
here, before Typer is imported; anything else (a command name, an option, a line with
quotes) goes on to Typer, whose completion of a customer argument
(`cli.options.CustomerRef`) calls `customer_names` too, so both ways offer the same.

The book is opened read-only (`mode=ro`: nothing is created, migrated or switched to
WAL) and only when its header says it is kehu's; a server book, a missing, locked,
damaged or foreign file give no completions, never an error: a Tab must not print a
traceback into the user's command line. Customers whose relationship has ended are
offered last, after every active one; names that begin with what was typed before those
that only hold it (Chinese legal names begin with a region: 京东 offers
北京京东世纪贸易有限公司).
"""

from __future__ import annotations

import os
import sys
import unicodedata

# The command paths whose first argument is a customer (cli.options.CustomerRef and
# CustomerPrefixRef; tests/test_completion.py holds this list to the command tree).
COMMANDS: frozenset[tuple[str, ...]] = frozenset({
    ("edit",), ("delete",), ("show",), ("history",), ("timeline",), ("claim",), ("release",), ("assign",), ("tasks",),
    ("done",), ("qualify",), ("advance",), ("drop",), ("reopen",), ("trust",), ("touch", "add"), ("contract", "add"),
    ("contract", "list"), ("person", "add"), ("person", "edit"), ("person", "delete"), ("person", "rate"),
    ("person", "list"), ("person", "show"), ("person", "forget"), ("promise", "list"), ("merge",),
    ("person", "merge"), ("alias", "list"), ("complaint", "add"), ("complaint", "list"), ("guide", "dismiss"),
    ("guide", "step"), ("guide", "list"), ("referral", "add"), ("referral", "remove"), ("cycle",),
})
# `kehu touch 华为` is `kehu touch add 华为` (cli.touch): there the customers come after
# the touch subcommands that begin with what was typed, as Typer offers them.
TOUCH_SUBCOMMANDS = ("add", "edit", "delete")
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
# The root's options that take a value (cli.root); any other option before the command
# sends the request on to Typer.
VALUE_OPTIONS = ("--db", "--as", "--lang")
LIMIT = 100  # names offered at most: a shell lists them all, and a Tab is for a few
APPLICATION_ID = 0x6B656875  # "kehu", as book.sqlite sets it
_QUOTES = frozenset("'\"\\")


def answer(environ=os.environ, argv0: str | None = None) -> int | None:
    """Print the completions of a customer argument and return the exit code, or None
    when the request is not one this module answers (Typer does)."""
    prog = os.path.basename(sys.argv[0] if argv0 is None else argv0)
    if prog != "kehu":  # `python -m kehu` completes under another variable (Typer's)
        return None
    request = _request(environ)
    if request is None:
        return None
    shell, db, incomplete, path = request
    names = customer_names(db, incomplete, environ)
    if path == ("touch",):
        names = [c for c in TOUCH_SUBCOMMANDS if c.startswith(incomplete)] + names
    if shell == "bash":
        sys.stdout.write("".join(bash_word(n) + "\n" for n in names) or "\n")
    elif shell == "zsh":
        items = "\n".join('"' + _zsh_escape(n) + '"' for n in names)
        sys.stdout.write((f"_arguments '*: :(({items}))'" if names else "_files") + "\n")
    elif shell == "fish":
        action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return 0 if names else 1
        sys.stdout.write(("\n".join(names) if action == "get-args" else "") + "\n")
    else:
        sys.stdout.write("\n".join(f"{n}::: " for n in names) + "\n")
    return 0


def _request(environ) -> tuple[str, str | None, str, tuple[str, ...]] | None:
    """(shell, --db, the word being completed, the command) when it is a customer
    argument, else None."""
    instruction = environ.get("_KEHU_COMPLETE", "")
    kind, _, shell = instruction.partition("_")
    if kind != "complete" or shell not in SHELLS:
        return None
    if shell == "bash":
        words = _split(environ.get("COMP_WORDS", ""))
        try:
            at = int(environ.get("COMP_CWORD", ""))
        except ValueError:
            return None
        if words is None or at < 1:
            return None
        args, incomplete = words[1:at], (words[at] if at < len(words) else "")
    else:
        raw = environ.get("_TYPER_COMPLETE_ARGS", "")
        words = _split(raw)
        if words is None:
            return None
        if shell in ("zsh", "fish"):
            args = words[1:]
            incomplete = ""
            if args and not raw.endswith(" "):
                args, incomplete = args[:-1], args[-1]
        else:
            incomplete = environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
            args = words[1:-1] if incomplete else words[1:]
            if _split(incomplete) is None:
                return None
    db, i = None, 0
    while i < len(args) and args[i].startswith("-"):
        option, eq, value = args[i].partition("=")
        if option not in VALUE_OPTIONS:
            return None
        if not eq:
            i += 1
            if i >= len(args):
                return None
            value = args[i]
        if option == "--db":
            db = value
        i += 1
    path = tuple(args[i:])
    if (path not in COMMANDS and path != ("touch",)) or incomplete.startswith("-"):
        return None
    return shell, db, incomplete, path


def _split(text: str) -> list[str] | None:
    """The words of a plain command line (split on blanks as the shell's own splitting
    would); None when it holds quotes or backslashes, which Typer's parser handles."""
    if _QUOTES & set(text):
        return None
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ").split(" ") if text else []


def bash_word(name: str) -> str:
    """A name as bash inserts it into the command line: its blanks and the characters the
    shell acts on escaped, so `Acme Corp` stays one argument."""
    return "".join("\\" + ch if ch.isspace() or (ch.isascii() and not ch.isalnum() and ch not in "_-./:@%+,=")
                   else ch for ch in name)


def _zsh_escape(s: str) -> str:  # as Typer's ZshComplete writes a value
    return s.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")


def _key(text: str) -> str:
    """rules.names.name_key without importing re: NFKC, blanks collapsed, case-folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def book_file(db: str | None, environ=os.environ) -> str | None:
    """The book file as book.where.book_path finds it (--db, else KEHU_DB, else kehu.db in
    the per-user app folder, where Typer's get_app_dir puts it); None for a server book."""
    raw = db if db is not None else (environ.get("KEHU_DB") or None)
    if raw is not None:
        if "://" in raw or raw.strip().lower().startswith(("postgres:", "postgresql:")) or not raw.strip():
            return None
        return os.path.expanduser(raw)
    if sys.platform.startswith("win"):
        folder = environ.get("APPDATA") or os.path.expanduser("~")
        return os.path.join(folder, "kehu", "kehu.db")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Application Support"), "kehu", "kehu.db")
    return os.path.join(environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config")), "kehu", "kehu.db")


def customer_names(db: str | None, typed: str, environ=os.environ) -> list[str]:
    """Names and aliases of customers that hold ``typed`` (compared as names are: case and
    width folded), those that begin with it first, active customers before ended ones;
    [] whenever the book cannot be read quickly and safely."""
    try:
        path = book_file(db, environ)
        if path is None:
            return []
        return _query(path, _key(typed))
    except Exception:  # noqa: BLE001 - a Tab never shows an error: no completions instead
        return []


def _query(path: str, key: str) -> list[str]:
    import sqlite3

    if not os.path.isfile(path):  # (a FIFO would block the read below for ever)
        return []
    with open(path, "rb") as fh:  # kehu's, by its header, before SQLite opens it
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return []
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        return []
    # The path as a URI (urllib.parse would import re: 3 ms of a Tab): only these three
    # characters mean something there.
    uri = os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    con = sqlite3.connect(f"file:{uri}?mode=ro", uri=True, timeout=0.2, isolation_level=None)
    try:
        has_alias = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'customer_alias'").fetchone()
        alias = (
            " UNION ALL SELECT a.alias, c.terminated_at IS NOT NULL, substr(a.alias_key, 1, ?2) = ?1"
            " FROM customer_alias a JOIN customer c ON c.id = a.customer_id WHERE instr(a.alias_key, ?1) > 0"
        ) if has_alias else ""
        # The keys are already folded: instr() is the substring test. The ids are found in
        # the index on name_key (a tenth of the table to read), then their rows: 100,000
        # customers in about 14 ms here, against 20 for LIKE over the table.
        rows = con.execute(
            "SELECT name, terminated_at IS NOT NULL, substr(name_key, 1, ?2) = ?1 FROM customer"
            " WHERE id IN (SELECT id FROM customer WHERE instr(name_key, ?1) > 0)" + alias
            + " ORDER BY 2, 3 DESC, 1 LIMIT ?3",
            (key, len(key), LIMIT),
        ).fetchall()
    finally:
        con.close()
    return list(dict.fromkeys(name for name, _, _ in rows))
