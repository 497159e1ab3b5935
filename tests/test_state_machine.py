"""A stateful test of the account book: random sequences of real CLI commands against a
pure-Python model, compared with the book after every step.

The commands: `kehu add`, `kehu edit --name` (rename), `kehu touch`, `kehu advance`
(with and without `--force --reason`), `kehu drop`, `kehu reopen` and `kehu import` of
a small customers CSV written for the step. Each Hypothesis example gets a fresh book
(`--db` in a new temporary folder), so the examples do not see each other.

The model keeps, per customer id: the shown name, the stage, whether the relationship
is terminated, the number of touchpoints, and how many events of each kind its history
holds. After every step the book is read with read-only queries and must agree
exactly (ids, names, name keys, stages, terminated, touchpoint counts, events); at the
end of each example `kehu list --json` must agree too. On PostgreSQL each example gets a
schema of its own on the test server instead of a folder.

Names are where the model is most exact, because they are where books go wrong: kehu
stores NFKC with white space collapsed and trimmed, and a customer is unique by that
name case-folded (kehu.rules.names; re-implemented here, not imported, so a change to
it fails this test). The name strategy makes collisions frequent: case, full-width
letters, ideographic and no-break spaces, tabs and line breaks, ß/SS, the ﬁ ligature, the
Kelvin sign. Adding, renaming or importing onto a taken name must be refused and change
nothing.

Stage gates are modelled exactly by never marking a task done: an unforced advance is
then always refused (the stage's tasks are missing), and a forced one moves one stage
unless the customer is terminated or already mature.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
import typer.main
import typer.testing
from _books import engine_for
from conftest import BACKEND, BUILT_ONCE, PG_URL, ServerBook, pg_book_url
from typer.testing import CliRunner

from kehu.cli import app
from kehu.rules.company import WELL_KNOWN, fold

STAGES = ("stranger", "acquainted", "evaluation", "growth", "mature")
STAGE_ZH = {"stranger": "陌生期", "acquainted": "建立期", "evaluation": "考察期", "growth": "成长期",
            "mature": "成熟期"}

# ----------------------------------------------------------------- the model of names

_SPACES = re.compile(r"\s+")


def clean(name: str) -> str:
    """What kehu stores and shows: NFKC, runs of white space as one space, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip()


def key(name: str) -> str:
    """What must be unique: the clean name, case-folded."""
    return clean(name).casefold()


def fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


# Ways to type a name that must reach the same customer.
SPELLINGS = {
    "as shown": lambda n: n,
    "upper": str.upper,
    "lower": str.lower,
    "full-width": fullwidth,
    "padded": lambda n: f" \u3000{n}\t ",
    "spaced": lambda n: n.replace(" ", " \u3000 "),
}

COLLIDING = [
    "acme", "ACME", "Ａｃｍｅ", "ａｃｍｅ", "Acme Ltd", " acme  ltd ", "ＡＣＭＥ\u3000Ltd", "acme\tltd",
    "acme\nltd", "acme\xa0ltd", "Straße", "STRASSE", "strasse", "ﬁrm", "FIRM", "华东电网", " 华东电网\u3000",
    "华东 电网", "ＫＥＨＵ", "\u212aehu", "kehu", "", "   ", "\u3000\t",
]
names = st.one_of(
    st.sampled_from(COLLIDING),
    st.text(alphabet="aAａＡbBｂ sSß\u3000\t\xa0ﬁ\u212aK华", max_size=5),
)


@dataclass
class Cust:
    name: str
    stage: str = "stranger"
    terminated: bool = False
    touches: int = 0
    events: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class Row:
    """One row of an import file: a new name, or a spelling of an existing customer's."""

    name: str | None  # None: pick an existing customer
    pick: int
    spelling: str
    stage: str  # "" (empty cell), "same" (the existing customer's), or a stage key
    zh_stage: bool
    terminated: bool


rows_st = st.lists(
    st.builds(Row, name=st.one_of(st.none(), names), pick=st.integers(0, 50),
              spelling=st.sampled_from(sorted(SPELLINGS)),
              stage=st.sampled_from(["", "same", *STAGES]), zh_stage=st.booleans(), terminated=st.booleans()),
    max_size=4,
)


# In RAM when there is /dev/shm: a book on this disk spends most of a step in fsync.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


_examples = itertools.count(1)


class Book(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kehu-stateful-", dir=SCRATCH))
        self.db = self.folder / "kehu.db"
        self.schema = None
        if BACKEND == "postgresql":  # a schema of its own on the test server, dropped at the end
            import psycopg

            self.schema = f"sm{os.getpid()}_{next(_examples)}"
            with psycopg.connect(PG_URL, autocommit=True) as admin:
                admin.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
                admin.execute(f"CREATE SCHEMA {self.schema}")
            self.db = ServerBook(pg_book_url(self.schema))
        self.runner = CliRunner()
        self.customers: dict[int, Cust] = {}
        self.exists = False  # only a successful add or import creates the book
        self.imports = 0

    # ------------------------------------------------------------- helpers

    def kehu(self, *args: str, code: int):
        result = self.runner.invoke(app, ["--db", str(self.db), *args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, (
            f"kehu {' '.join(map(repr, args))} exited {result.exit_code}, expected {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
        if code != 0 and args[0] != "import":
            # An anticipated failure is one line on stderr and, but for advance --json's
            # decision, nothing on stdout. (A refused import lists its bad rows first.)
            assert result.stderr.startswith("kehu: ") and result.stderr.count("\n") == 1, result.stderr
            if args[0] != "advance":
                assert result.stdout == ""
        return result

    def by_key(self) -> dict[str, int]:
        return {key(c.name): cid for cid, c in self.customers.items()}

    def pick(self, n: int) -> int:
        ids = sorted(self.customers)
        return ids[n % len(ids)]

    def ref(self, cid: int, how: str) -> str:
        """How the command line names customer ``cid``: its id, #id, or a spelling of its name."""
        if how == "id":
            return str(cid)
        if how == "#id":
            return f"#{cid}"
        typed = SPELLINGS[how](self.customers[cid].name)
        assert key(typed) == key(self.customers[cid].name)  # the test's own premise
        return typed

    # ------------------------------------------------------------- rules

    @initialize(first=st.lists(names, max_size=5))
    def some_customers(self, first: list[str]) -> None:
        for name in first:
            self.add(name)

    @rule(name=names)
    def add(self, name: str) -> None:
        if not clean(name):
            self.kehu("add", name, code=2)  # "A name cannot be empty."
            return
        if key(name) in self.by_key():
            self.kehu("add", name, code=1)  # "A customer with that name already exists"
            return
        shown = self.kehu("add", name, "--json", code=0)
        cid = max(self.customers, default=0) + 1
        assert json.loads(shown.stdout)["id"] == cid
        assert json.loads(shown.stdout)["name"] == clean(name)
        self.customers[cid] = Cust(clean(name), events=Counter(created=1))
        self.exists = True

    @precondition(lambda self: self.customers)
    @rule(n=st.integers(0, 50), how=st.sampled_from(["#id", "id", *SPELLINGS]), new=names)
    def rename(self, n: int, how: str, new: str) -> None:
        cid = self.pick(n)
        ref = self.ref(cid, how)
        if not clean(new):
            self.kehu("edit", ref, "--name", new, code=2)
            return
        owner = self.by_key().get(key(new))
        if owner is not None and owner != cid:
            self.kehu("edit", ref, "--name", new, code=1)
            return
        self.kehu("edit", ref, "--name", new, code=0)
        c = self.customers[cid]
        if clean(new) != c.name:
            c.events["edited"] += 1
        c.name = clean(new)
        # The new name finds it, in any spelling.
        shown = json.loads(self.kehu("show", fullwidth(new.upper()), "--json", code=0).stdout)
        assert (shown["id"], shown["name"]) == (cid, c.name)

    @precondition(lambda self: self.customers)
    @rule(n=st.integers(0, 50), how=st.sampled_from(["#id", *SPELLINGS]),
          kind=st.sampled_from(["daily", "峰会", "topic"]))
    def touch(self, n: int, how: str, kind: str) -> None:
        cid = self.pick(n)
        self.kehu("touch", self.ref(cid, how), "--kind", kind, code=0)
        self.customers[cid].touches += 1

    @precondition(lambda self: self.exists)
    @rule(typed=names, start_of=st.one_of(st.none(), st.integers(0, 50)), cut=st.integers(1, 5),
          how=st.sampled_from(sorted(SPELLINGS)))
    def touch_by_typed_name(self, typed: str, start_of: int | None, cut: int, how: str) -> None:
        """Any typed name, or the start of a customer's: the customer with exactly that
        name, else the one customer whose name starts so, else the one whose name holds
        it, else the one a well-known short name stands for; none or several: refused."""
        if start_of is not None and self.customers:
            typed = SPELLINGS[how](self.customers[self.pick(start_of)].name[:cut])
        k = key(typed)
        exact = self.by_key().get(k)
        prefixed = [cid for kk, cid in self.by_key().items() if kk.startswith(k)] if k else []
        # no name starts so: a part of a name (京东 in 北京京东…), then a short name everybody
        # uses (浦发) — each only when it fits one customer
        inside = [cid for kk, cid in self.by_key().items() if k in kk] if k and not prefixed else []
        fulls = [key(f) for f in WELL_KNOWN.get(fold(typed).strip(), ())] if k and not prefixed and not inside else []
        known = [cid for kk, cid in self.by_key().items() if any(f in kk for f in fulls)]
        if exact is not None:
            target = exact
        elif prefixed:
            target = prefixed[0] if len(prefixed) == 1 else None
        elif inside:
            target = inside[0] if len(inside) == 1 else None
        else:
            target = known[0] if len(known) == 1 else None
        if target is None:
            self.kehu("touch", typed, "--kind", "daily", code=1)  # not found, or ambiguous
            return
        self.kehu("touch", typed, "--kind", "daily", code=0)
        self.customers[target].touches += 1

    @precondition(lambda self: self.exists)
    @rule(plain=st.booleans())
    def touch_unknown_id(self, plain: bool) -> None:
        unknown = str(max(self.customers, default=0) + 1)
        self.kehu("touch", unknown if plain else f"#{unknown}", "--kind", "daily", code=1)

    @precondition(lambda self: self.customers)
    @rule(n=st.integers(0, 50), how=st.sampled_from(["#id", *SPELLINGS]), force=st.booleans(),
          reason=st.sampled_from(["老客户转介绍", "contract signed on paper", "", "  "]))
    def advance(self, n: int, how: str, force: bool, reason: str) -> None:
        cid = self.pick(n)
        c = self.customers[cid]
        args = ["advance", self.ref(cid, how), "--json"] + (["--force", "--reason", reason] if force else [])
        if force and not reason.strip():
            self.kehu(*args, code=2)  # "forcing needs --reason"
            return
        can_move = force and not c.terminated and c.stage != "mature"
        decision = json.loads(self.kehu(*args, code=0 if can_move else 1).stdout)
        assert decision["from_stage"] == c.stage
        assert decision["allowed"] is can_move
        keys = {b["key"] for b in decision["blockers"]}
        assert ("blocked_terminated" in keys) is c.terminated
        assert ("blocked_final_stage" in keys) is (c.stage == "mature")
        if c.stage != "mature":
            assert "blocked_task" in keys  # no task is ever done here
        if can_move:
            assert decision["forced"] is True
            c.stage = STAGES[STAGES.index(c.stage) + 1]
            c.events["forced"] += 1

    @precondition(lambda self: self.customers)
    @rule(n=st.integers(0, 50), how=st.sampled_from(["#id", *SPELLINGS]),
          reason=st.sampled_from(["资金链紧张", "chose a competitor", " "]))
    def drop(self, n: int, how: str, reason: str) -> None:
        cid = self.pick(n)
        c = self.customers[cid]
        if not reason.strip():
            self.kehu("drop", self.ref(cid, how), "--reason", reason, code=2)
            return
        self.kehu("drop", self.ref(cid, how), "--reason", reason, code=1 if c.terminated else 0)
        if not c.terminated:
            c.terminated = True
            c.events["dropped"] += 1

    @precondition(lambda self: self.customers)
    @rule(n=st.integers(0, 50), how=st.sampled_from(["#id", *SPELLINGS]))
    def reopen(self, n: int, how: str) -> None:
        cid = self.pick(n)
        c = self.customers[cid]
        self.kehu("reopen", self.ref(cid, how), code=0 if c.terminated else 1)
        if c.terminated:
            c.terminated = False
            c.events["reopened"] += 1

    @rule(rows=rows_st, stage_col=st.booleans(), terminated_col=st.booleans(), zh_header=st.booleans(),
          encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), table=st.booleans())
    def import_customers(self, rows: list[Row], stage_col: bool, terminated_col: bool, zh_header: bool,
                         encoding: str, table: bool) -> None:
        # The file, and the model's expectation row by row.
        header = ["客户名称" if zh_header else "name"]
        header += ["阶段" if zh_header else "stage"] if stage_col else []
        header += ["终止日期" if zh_header else "terminated_on"] if terminated_col else []
        book = self.by_key()
        lines, seen, bad = [], set(), 0
        plan: list[tuple[str, int | None, str, bool]] = []  # (clean name, existing id, stage, terminated)
        for row in rows:
            if row.name is None and self.customers:
                existing_id = self.pick(row.pick)
                name = SPELLINGS[row.spelling](self.customers[existing_id].name)
            else:
                name = row.name or ""
            existing = book.get(key(name)) if clean(name) else None
            stage = row.stage if stage_col else ""
            if stage == "same":
                stage = self.customers[existing].stage if existing else ""
            terminated = row.terminated and terminated_col
            cells = [name]
            cells += [STAGE_ZH[stage] if stage and row.zh_stage else stage] if stage_col else []
            cells += ["today" if terminated else ""] if terminated_col else []
            lines.append(cells)
            if not clean(name):
                bad += 1  # "A name cannot be empty."
                continue
            if key(name) in seen:
                bad += 1  # "duplicates an earlier row of this file"
                continue
            seen.add(key(name))
            if existing is not None and stage and stage != self.customers[existing].stage:
                bad += 1  # "the book has ...: change stages with kehu advance / drop / reopen"
                continue
            plan.append((clean(name), existing, stage or "stranger", terminated))

        self.imports += 1
        path = self.folder / f"import{self.imports}.csv"
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows([header, *lines])
        path.write_bytes(buf.getvalue().encode(encoding))
        args = ["import", str(path), "--json"] + (["--table", "customers"] if table else [])

        if bad:
            out = json.loads(self.kehu(*args, code=65).stdout)
            assert out["written"] is False
            assert out["files"][0]["error_count"] == bad
            return
        out = json.loads(self.kehu(*args, code=0).stdout)["files"][0]
        counts = Counter()
        next_id = max(self.customers, default=0) + 1
        for name, existing, stage, terminated in plan:
            if existing is None:
                self.customers[next_id] = Cust(name, stage, terminated,
                                               events=Counter(created=1, dropped=int(terminated)))
                next_id += 1
                counts["new"] += 1
            elif self.customers[existing].name != name:
                self.customers[existing].name = name
                self.customers[existing].events["edited"] += 1
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        assert (out["new"], out["updated"], out["unchanged"], out["error_count"]) == (
            counts["new"], counts["updated"], counts["unchanged"], 0)
        self.exists = True

    # ------------------------------------------------------------- checks

    @invariant()
    def the_book_agrees_with_the_model(self) -> None:
        if not self.exists:
            assert not self.db.exists(), "a refused first command created the book"
            return
        if BACKEND == "postgresql":
            from sqlalchemy import text

            engine = engine_for(self.db)
            try:
                with engine.connect() as conn:
                    def execute(sql: str) -> list:
                        return [tuple(r) for r in conn.execute(text(sql))]

                    rows, touches, events = self._read(execute)
            finally:
                engine.dispose()
        else:
            con = sqlite3.connect(f"{self.db.as_uri()}?mode=ro", uri=True)
            try:
                rows, touches, events = self._read(lambda sql: con.execute(sql).fetchall())
            finally:
                con.close()
        assert [r[0] for r in rows] == sorted(self.customers)
        for cid, name, name_key, stage, terminated, has_reason in rows:
            c = self.customers[cid]
            assert (name, stage, bool(terminated)) == (c.name, c.stage, c.terminated), cid
            assert name_key == key(c.name)
            assert bool(has_reason) == c.terminated
            assert touches.get(cid, 0) == c.touches, cid
            assert {k: n for (i, k), n in events.items() if i == cid} == {k: n for k, n in c.events.items() if n}

    @staticmethod
    def _read(execute) -> tuple[list, dict, dict]:
        """(customer rows, touchpoints per customer, events per customer and kind)."""
        rows = execute(
            "SELECT id, name, name_key, stage, terminated_at IS NOT NULL, terminated_reason IS NOT NULL"
            " FROM customer ORDER BY id")
        touches = dict(execute("SELECT customer_id, COUNT(*) FROM touchpoint GROUP BY customer_id"))
        events = {(cid, kind): n for cid, kind, n in execute(
            "SELECT customer_id, kind, COUNT(*) FROM event GROUP BY customer_id, kind")}
        return rows, touches, events

    def teardown(self) -> None:
        try:
            if self.exists:
                listed = json.loads(self.kehu("list", "--json", code=0).stdout)
                assert [(r["id"], r["name"], r["stage"], r["terminated"]) for r in listed] == [
                    (cid, c.name, c.stage, c.terminated) for cid, c in sorted(self.customers.items())]
                assert [r["last_touch"] is not None for r in listed] == [
                    c.touches > 0 for _, c in sorted(self.customers.items())]
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            if self.schema:
                import psycopg

                with psycopg.connect(PG_URL, autocommit=True) as admin:
                    admin.execute(f"DROP SCHEMA {self.schema} CASCADE")


def test_names_normalise_as_modelled() -> None:
    """kehu's normalisation is the model's, on the names the machine types; and the
    premise pinned: these spellings are one customer, those are two."""
    from kehu.rules.names import clean_name, name_key

    for typed in [*COLLIDING, "ǅ", "ﬃ", "Ⅻ", "①", "İ", "ς", "\u2028x\x85", "a\u200bb"]:
        assert (clean_name(typed), name_key(typed)) == (clean(typed), key(typed)), repr(typed)
        for spelling in SPELLINGS.values():
            assert key(spelling(clean(typed))) == key(typed), repr(typed)
    assert key("ＡＣＭＥ\u3000 Ltd") == key(" acme\tltd") == "acme ltd"
    assert key("Straße") == key("STRASSE") and key("ﬁrm") == key("FIRM") and key("\u212aehu") == key("kehu")
    assert clean(" 华东\u3000\u3000电网 ") == "华东 电网" and key("华东电网") != key("华东 电网")


def test_the_book_follows_the_model() -> None:
    # 40 examples of up to 25 steps: about 11 s here (not marked slow: under 20 s; about
    # 30 s on the test server, where every step is a connection and a transaction).
    with mock.patch.object(typer.testing, "_get_command", BUILT_ONCE):
        run_state_machine_as_test(
            Book,
            settings=settings(max_examples=40, stateful_step_count=25, deadline=None, database=None,
                              suppress_health_check=[HealthCheck.too_slow]),
        )
