"""Importing a CSV file into the book: all rows or none, matching rows update.

Each batch of parsed rows (kehu.csvio.read) is matched against the book by id or
natural key (customer: normalised name; person: customer + name; touchpoint: customer +
date + kind + people + note; promise: customer + made on + due + text; contract:
customer + title; instalment: contract + sequence number or due date), checked with the
same models the commands use, and written in the command's one transaction. Any bad
row makes the whole import write nothing (the command rolls back); every problem is
reported in the file's ``Outcome``.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import func, insert, tuple_, update
from sqlmodel import Session, select

from kehu.csvio.bulk import Seen, validated
from kehu.csvio.matching import CUSTOMER_COLUMNS, EVENT_COLUMNS, Matcher
from kehu.csvio.read import Outcome, batches
from kehu.errors import UsageError
from kehu.models import (
    Contract,
    Customer,
    CustomerAlias,
    Instalment,
    CustomerIn,
    Event,
    Person,
    PersonIn,
    Promise,
    Touchpoint,
    TouchpointPerson,
    TouchIn,
    utcnow,
)
from kehu.rules.names import clean_name, name_key
from kehu.text import first_control

CUSTOMER_FIELDS = ("name", "industry", "region", "kind", "level", "value_cents", "owner", "note",
                   "profit_now", "profit_future", "service_cost", "address", "phone", "website")
_TOUCH_COLUMNS = ("id", "customer_id", "day", "kind", "note", "signals", "next_step", "next_due", "next_done_on",
                  "created_at", "actor", "channel")
# TouchIn's fields a touchpoints row gives, with their column keys (signals: always, [] if none)
_TOUCH_FIELDS = (("day", "date"), ("kind", "kind"), ("note", "note"), ("next_step", "next"), ("next_due", "next_due"),
                 ("channel", "channel"))
PERSON_FIELDS = ("name", "title", "dept", "level", "role", "attitude", "kpi", "pain", "interest",
                 "style", "competence", "private", "phone", "mobile", "wechat", "email", "private_mobile",
                 "home_address")

_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(x, ensure_ascii=False), without a new encoder each call


def import_file(s, path: Path, table: str, encoding: str | None, header: list[str], *,
                lang: str, create_missing: bool, progress=None, ids: dict | None = None,
                sheet=None) -> Outcome:
    """``ids`` is shared by the files of one folder import: where a record of an earlier
    file got another id than the file gave it, later files' references follow it.
    ``sheet``: an Excel sheet (kehu.csvio.xlsx.Sheet) whose rows are read instead of the
    CSV file's, through the same steps."""
    # Python's cycle collector walks every container object in the process each time its
    # older generations fill, and an import allocates millions of short-lived rows: those
    # walks over the objects the command started with (SQLAlchemy's, pydantic's, the
    # modules') were a tenth of a 100,000-row import. They are long-lived: frozen, they
    # are left out of every collection until the file is done (garbage is still found).
    gc.freeze()
    try:
        out = Outcome(table, str(path), sheet=None if sheet is None else sheet.name)
        importer = Importer(s, table, out, create_missing=create_missing, lang=lang, ids=ids)
        rows = None if sheet is None else sheet.rows(out, lang)
        for batch in batches(path, table, encoding, header, lang=lang, out=out, progress=progress, rows=rows):
            importer.run(batch)
        importer.finish()
        return out
    finally:
        gc.unfreeze()


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _first_error(exc: ValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    return ".".join(str(x) for x in err["loc"]) or "*", err["msg"]


class _Placeholder:
    """A touchpoint created earlier in this file: a second identical row is a duplicate."""

    def __init__(self, ident: int) -> None:
        self.id = ident
        self.customer_id = None


class Importer(Matcher):
    """One file's rows into the book: each batch matched and written (``run``), then what
    needs the whole file (``finish``)."""

    def __init__(self, s: Session, table: str, out: Outcome, *, create_missing: bool, lang: str,
                 ids: dict | None = None) -> None:
        super().__init__(s, table, out, create_missing=create_missing, lang=lang, ids=ids)
        self.currency: str | None = None
        self.people: dict[tuple[int, str], int] = {}  # (customer id, name key) → person, per batch
        self.planned: dict[int, tuple[int, str]] = {}  # contract id → its first line, amount column
        self.written: Seen | None = None  # the (customer, day, kind) of every touchpoint written
        self.began = utcnow()

    def finish(self) -> None:
        """What needs the whole file: the importer's own customers touched (one UPDATE), and
        a contract's instalments adding up to its amount."""
        if self.table == "touchpoints" and self.out.new:
            from kehu.store import ownership, settings

            ownership.owner_touched_by_import(self.s, self.actor, self.began, settings.read(self.s))
        if self.table != "instalments" or not self.planned:
            return
        from kehu.rules.contracts import check_plan

        for kid, (line, column) in sorted(self.planned.items(), key=lambda kv: kv[1]):
            contract = self.s.get(Contract, kid)
            rows = self.s.exec(select(Instalment.due, Instalment.amount_cents, Instalment.paid_cents)
                               .where(Instalment.contract_id == kid)).all()
            refusal = check_plan(contract.amount_cents, [(d, a) for d, a, _ in rows])
            if refusal is not None:
                from kehu.i18n import labelled

                self.out.error(line, column, labelled(refusal.key, self.lang, **refusal.params))

    def _refuse(self, line: int, shown: dict, exc: UsageError) -> None:
        """A refusal the input models raise themselves, at the cell it names."""
        field = str(exc.params.get("field", "*"))
        self.out.error(line, shown.get(field, field), self._msg(exc.key, **exc.params))

    # ------------------------------------------------------------ per table

    def run(self, batch: list[tuple[int, dict, dict]]) -> None:
        self.now = utcnow()
        if self.table != "customers":
            # (not "- self.customers.keys()": that walks every customer met so far, per batch)
            keys = {k for k in {self._key(v["customer"]) for _, v, _ in batch if v.get("customer")}
                    if k not in self.customers}
            c = Customer.__table__.c
            for chunk in _chunks(sorted(keys)):
                for key, ident in self.s.connection().execute(select(c.name_key, c.id).where(c.name_key.in_(chunk))):
                    self.customers[key] = ident
        getattr(self, f"_{self.table}")(batch)

    def _prefetch_customers(self, keys: set[str], ids: set[int]) -> dict:
        """Customers of this batch by name key and by id, in two queries."""
        found: dict = {}
        table = Customer.__table__
        conn = self.s.connection()
        for chunk in _chunks(sorted(keys)):
            for c in conn.execute(select(table).where(table.c.name_key.in_(chunk))):
                found[c.name_key] = c
                found[c.id] = c
        missing = sorted(i for i in ids if i not in found)
        for chunk in _chunks(missing):
            for c in conn.execute(select(table).where(table.c.id.in_(chunk))):
                found[c.name_key] = c
                found[c.id] = c
        return found

    def _customers(self, batch: list[tuple[int, dict, dict]]) -> None:
        rows = []
        # The fields this file has (every row of a file has its header's columns), as
        # (model field, column key) pairs.
        pairs = [(f, k) for f, k in ((f, "value" if f == "value_cents" else f) for f in CUSTOMER_FIELDS)
                 if batch and k in batch[0][1]]
        for line, values, shown in batch:
            try:
                valid = validated(CustomerIn, {f: v for f, k in pairs if (v := values[k]) is not None})
            except ValidationError as exc:
                where, what = _first_error(exc)
                self.out.error(line, shown.get("value" if where == "value_cents" else where, where), what)
                continue
            except UsageError as exc:  # a control character in a name (kehu.models)
                self._refuse(line, shown, exc)
                continue
            if valid["name"] is None:
                self.out.error(line, shown.get("name", "name"), self._msg("empty_name"))
                continue
            rows.append((line, values, shown, valid, name_key(valid["name"])))
        keys = {r[-1] for r in rows}
        ids = {r[1]["id"] for r in rows if r[1].get("id")}
        if self.started_empty[self._counter(Customer)]:
            # Every customer in the book was created by this import (a new book): only
            # those can match by name, and usually none of this batch's names is one.
            keys &= self.customers.keys()
        known = self._prefetch_customers(keys, ids)
        aliased = self._aliases_of(keys) if not self.started_empty[self._counter(Customer)] else {}
        named: list = []  # (line, column, customer id, aliases, counted as) for the aliases column
        new_rows, new_events = [], []
        for line, values, shown, valid, key in rows:
            fields = {f: valid[f] for f, _ in pairs}  # None: a column left empty, or emptied by the model
            existing = known.get(values["id"]) if values.get("id") else None
            if existing is None:
                existing = known.get(key)
            elif existing.name_key != key and key in known and known[key].id != existing.id:
                self.out.error(line, shown["name"], self._msg("csv_name_taken", name=valid["name"], id=known[key].id))
                continue
            if existing is None:
                if key in self.customers:  # created earlier in this file
                    self.out.error(line, shown["name"], self._msg("csv_duplicate_row"))
                    continue
                if key in aliased:  # one name, one customer
                    other = aliased[key]
                    self.out.error(line, shown["name"], self._msg("csv_name_is_alias", name=valid["name"], id=other))
                    continue
                ident = self._fresh_id(Customer, values.get("id"), known)
                if values.get("aliases"):
                    named.append((line, shown["aliases"], ident, values["aliases"], None))
                row, events = self._customer_row(ident, key, fields, values)
                new_rows.append(row)
                new_events.extend(events)
                self.customers[key] = ident
                self.out.new += 1
                continue
            if not self._claim(Customer, existing.id, line, shown["name"]):
                continue
            if values.get("stage") and values["stage"] != existing.stage:
                self.out.error(line, shown["stage"], self._msg("csv_stage_differs", stage=existing.stage))
                continue
            changes = {f: v for f, v in fields.items() if getattr(existing, f) != v}
            if values.get("added_on") and values["added_on"] != existing.added_on:
                changes["added_on"] = values["added_on"]
            if "name" in changes:
                changes["name_key"] = key
            if "owner" in changes:
                owner_key = name_key(changes["owner"]) if changes["owner"] else None
                if owner_key != existing.owner_key:  # a new owner (or none): the pool's clocks restart
                    changes.update(owner_key=owner_key, claimed_on=self.today if owner_key else None,
                                   owner_touched_on=None)
            if values.get("aliases"):
                named.append((line, shown["aliases"], existing.id, values["aliases"], bool(changes)))
            if changes:
                changes["updated_at"] = utcnow()
                self.s.execute(update(Customer).where(Customer.id == existing.id).values(**changes))
                hidden = ("updated_at", "name_key", "owner_key", "claimed_on", "owner_touched_on")
                new_events.append((
                    existing.id, utcnow(), "edited", None, None, None,
                    json.dumps({"fields": sorted(k for k in changes if k not in hidden),
                                "imported": self.out.file}, ensure_ascii=False),
                    self.actor,
                ))
                self.out.updated += 1
            else:
                self.out.unchanged += 1
            self.customers[key] = existing.id
        self._write(Customer, new_rows, CUSTOMER_COLUMNS)
        self._write(Event, new_events, EVENT_COLUMNS)
        if named:
            self._customer_aliases(named)
        self.s.expire_all()

    def _aliases_of(self, keys: set[str]) -> dict[str, int]:
        """alias key → customer, for the names of a batch that are some customer's alias."""
        a = CustomerAlias.__table__.c
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(keys)):
            query = select(a.alias_key, a.customer_id).where(a.alias_key.in_(chunk))
            found.update((k, v) for k, v in self.s.connection().execute(query))
        return found

    def _customer_aliases(self, named: list) -> None:
        """The aliases column: each alias a customer lacks is added; one that is another
        customer's name or alias is an error at its cell (one name, one customer). An
        alias the book has and the cell lacks stays: the import adds, it never removes."""
        c = Customer.__table__.c
        wanted = {self._key(x) for *_, aliases, _ in named for x in aliases}
        owners = self._aliases_of(wanted)
        names: dict[str, int] = {}
        for chunk in _chunks(sorted(wanted)):
            query = select(c.name_key, c.id).where(c.name_key.in_(chunk))
            names.update((k, v) for k, v in self.s.connection().execute(query))
        names.update({k: v for k, v in self.customers.items() if k in wanted})
        rows = []
        for line, column, cid, aliases, counted in named:
            added = False
            for alias in aliases:
                key = self._key(alias)
                if names.get(key) == cid or owners.get(key) == cid:
                    continue  # its own name, or an alias it has
                other = names.get(key, owners.get(key))
                if other is not None:
                    self.out.error(line, column, self._msg("csv_alias_taken", alias=alias, id=other))
                    continue
                char = first_control(clean_name(alias))
                if char is not None:
                    self.out.error(line, column, self._msg("name_control", field=column, char=char))
                    continue
                owners[key] = cid
                rows.append({"customer_id": cid, "alias": clean_name(alias), "alias_key": key, "created_at": self.now})
                added = True
            if added and counted is False:  # an existing customer whose only change is a new alias
                self.out.unchanged -= 1
                self.out.updated += 1
        self._write(CustomerAlias, rows)

    def _people(self, batch: list[tuple[int, dict, dict]]) -> None:
        for line, values, shown in batch:
            cid = self._row_customer(line, values, shown)
            if cid is None:
                continue
            data = {f: values[f] for f in PERSON_FIELDS if f in values}
            try:
                valid = PersonIn.model_validate({k: v for k, v in data.items() if v is not None})
            except ValidationError as exc:
                where, what = _first_error(exc)
                self.out.error(line, shown.get(where, where), what)
                continue
            except UsageError as exc:
                self._refuse(line, shown, exc)
                continue
            if valid.name is None:
                self.out.error(line, shown["name"], self._msg("empty_name"))
                continue
            fields = {**{k: None for k in data}, **valid.model_dump(exclude_none=True)}
            key = name_key(valid.name)
            existing = self.s.get(Person, values["id"]) if values.get("id") else None
            if existing is not None and existing.customer_id != cid:
                existing = None
            if existing is None:
                existing = self.s.exec(
                    select(Person).where(Person.customer_id == cid, Person.name_key == key)
                ).first()
            if existing is None:
                ident = self._fresh_id(Person, values.get("id"))
                self.s.execute(insert(Person.__table__), [{
                    **{f: fields.get(f) for f in PERSON_FIELDS}, "id": ident, "customer_id": cid,
                    "name_key": key, "created_at": utcnow(),
                }])
                self.out.new += 1
                continue
            if not self._claim(Person, existing.id, line, shown["name"]):
                continue
            changes = {f: v for f, v in fields.items() if getattr(existing, f) != v}
            if "name" in changes:
                changes["name_key"] = key
            self._update(Person, existing, changes)

    def _prefetch_people(self, batch: list[tuple[int, dict, dict]], customers: list[int | None]) -> None:
        """The people a batch of touchpoints names (``customers``: each row's customer, if
        known), in a few queries instead of one per name (that was two thirds of a 1M-row
        import). Kept per batch, so memory stays flat."""
        self.people = {}
        named = [(cid, v["with"]) for (_, v, _), cid in zip(batch, customers, strict=True)
                 if cid is not None and v.get("with")]
        cids = {cid for cid, _ in named}
        keys = {self._key(n) for _, names in named for n in names}
        if not cids or not keys:
            return
        # All the people of the batch's customers (a few each), kept if named: the
        # customer × name IN of every pair was a cross product of index probes.
        p = Person.__table__.c
        for chunk in _chunks(sorted(cids)):
            for cid, key, pid in self.s.connection().execute(
                    select(p.customer_id, p.name_key, p.id).where(p.customer_id.in_(chunk))).all():
                if key in keys:
                    self.people[(cid, key)] = pid

    def _people_ids(self, cid: int, names: list[str], line: int, column: str) -> list[int] | None:
        ids = []
        for name in names:
            key = self._key(name)
            pid = self.people.get((cid, key))
            if pid is None and self.create_missing and (char := first_control(clean_name(name))) is not None:
                self.out.error(line, column, self._msg("name_control", field=column, char=char))
                return None
            if pid is None and self.create_missing:
                pid = self._fresh_id(Person, None)
                self.s.execute(insert(Person.__table__), [{"id": pid, "customer_id": cid, "name": clean_name(name),
                                                 "name_key": key, "created_at": utcnow()}])
                self.people[(cid, key)] = pid
            if pid is None:
                self.out.error(line, column, self._msg("csv_unknown_person", name=name))
                return None
            ids.append(pid)
        return sorted(set(ids))

    def _touchpoints(self, batch: list[tuple[int, dict, dict]]) -> None:
        # Each row's customer when the book has it (run() looked the batch's names up);
        # the others (missing, or to create) are decided row by row, in order.
        customers = [self.customers.get(self._key(v["customer"])) if v.get("customer") else None
                     for _, v, _ in batch]
        self._prefetch_people(batch, customers)
        prepared = []
        for (line, values, shown), cid in zip(batch, customers, strict=True):
            if cid is None:
                cid = self._row_customer(line, values, shown)
            if cid is None:
                continue
            people = self._people_ids(cid, values.get("with") or [], line, shown.get("with", "with"))
            if people is None:
                continue
            data = {f: v for f, k in _TOUCH_FIELDS if (v := values.get(k)) is not None}
            data["signals"] = values.get("signals") or []
            try:
                valid = validated(TouchIn, data)
            except ValidationError as exc:
                where, what = _first_error(exc)
                self.out.error(line, shown.get({"day": "date", "next_step": "next"}.get(where, where), where), what)
                continue
            day, next_due = valid["day"], valid["next_due"]
            if (valid["next_step"] is None) != (next_due is None):
                self.out.error(line, shown.get("next_due", shown.get("next", "next")), self._msg("csv_next_pair"))
                continue
            if next_due is not None and next_due < day:
                self.out.error(line, shown["next_due"], self._msg("due_before_date", option="next_due",
                                                                  due=next_due, day=day))
                continue
            if valid["channel"] is not None and valid["kind"] != "daily":
                from kehu.i18n import labelled  # the keys as labels in the user's language

                self.out.error(line, shown["channel"], labelled("csv_channel_needs_daily", self.lang,
                                                                channel=valid["channel"], kind=valid["kind"]))
                continue
            prepared.append((line, values, shown, cid, tuple(people), valid))
        # Candidates for matching: exactly the (customer, day, kind) triples of this batch,
        # so the work per batch does not grow with the history already in the book. Read
        # as Core rows (attributes by column name), not ORM objects.
        triples = {(p[3], p[5]["day"], p[5]["kind"]) for p in prepared}
        if self.written is None:
            self.written = Seen()
        if self.started_empty[self._counter(Touchpoint)]:
            # Every touchpoint in the book was written by this import: only triples it has
            # written can match, and its filter says which may have been (never misses one).
            written = self.written
            triples = {x for x in triples if x in written}
        triples = sorted(triples)
        by_key: dict = {}
        by_id: dict = {}
        t, tp = Touchpoint.__table__.c, TouchpointPerson.__table__.c
        conn = self.s.connection()
        columns = (t.id, t.customer_id, t.day, t.kind, t.note, t.signals, t.next_step, t.next_due, t.next_done_on,
                   t.channel)
        for chunk in _chunks(triples, 300):
            # customer_id IN (...) lets SQLite seek the index; the row-value IN alone
            # would scan all of it (measured: quadratic on a 1M-row import)
            found = conn.execute(select(*columns).where(
                t.customer_id.in_(sorted({x[0] for x in chunk})),
                tuple_(t.customer_id, t.day, t.kind).in_(chunk))).all()
            ids = [x.id for x in found]
            links: dict[int, list[int]] = {}
            for part in _chunks(ids):
                for tid, pid in conn.execute(select(tp.touchpoint_id, tp.person_id).where(tp.touchpoint_id.in_(part))):
                    links.setdefault(tid, []).append(pid)
            for x in found:
                by_key.setdefault((x.customer_id, x.day, x.kind, tuple(sorted(links.get(x.id, []))), x.note or None), x)
                by_id[x.id] = x
        wanted_ids = [p[1]["id"] for p in prepared if p[1].get("id") and p[1]["id"] not in by_id]
        for chunk in _chunks(sorted(set(wanted_ids))):
            for x in conn.execute(select(*columns).where(t.id.in_(chunk))):
                by_id[x.id] = x
        new_rows, new_links = [], []
        now, actor = self.now, self.actor
        for line, values, shown, cid, people, valid in prepared:
            signals = _JSON.encode(valid["signals"]) if valid["signals"] else None
            day, kind, note = valid["day"], valid["kind"], valid["note"]
            key = (cid, day, kind, people, note or None)
            existing = by_id.get(values["id"]) if values.get("id") else None
            if existing is not None and existing.customer_id != cid:
                existing = None
            if existing is None:
                existing = by_key.get(key)
            if existing is None:
                ident = self._fresh_id(Touchpoint, values.get("id"), by_id)
                new_rows.append((ident, cid, day, kind, note, signals, valid["next_step"], valid["next_due"],
                                 values.get("next_done"), now, actor, valid["channel"]))
                if people:
                    new_links.extend(zip(repeat(ident, len(people)), people, strict=True))
                by_key[key] = _Placeholder(ident)
                self.out.new += 1
                continue
            if not self._claim(Touchpoint, existing.id, line, shown["date"]):
                continue
            row = {"note": note, "signals": signals, "next_step": valid["next_step"], "next_due": valid["next_due"],
                   "next_done_on": values.get("next_done"), "channel": valid["channel"]}
            fields = ["note", "signals", "next_step", "next_due"]
            fields += [f for f, k in (("next_done_on", "next_done"), ("channel", "channel")) if k in values]
            self._update(Touchpoint, existing, {k: row[k] for k in fields if getattr(existing, k) != row[k]})
        self._write(Touchpoint, new_rows, _TOUCH_COLUMNS)
        self._write(TouchpointPerson, new_links, ("touchpoint_id", "person_id"))
        self.written.update(map(itemgetter(1, 2, 3), new_rows))  # (customer, day, kind)
        self.s.expire_all()

    def _promises(self, batch: list[tuple[int, dict, dict]]) -> None:
        for line, values, shown in batch:
            cid = self._row_customer(line, values, shown)
            if cid is None:
                continue
            text = (values.get("text") or "").strip()
            made, due = values.get("made_on"), values.get("due")
            kept, broken = values.get("kept_on"), values.get("broken_on")
            problem = None
            if not text:
                problem = ("text", self._msg("empty_name"))
            elif made is None or due is None:
                problem = ("made_on" if made is None else "due", self._msg("csv_required"))
            elif due < made:
                problem = ("due", self._msg("due_before_date", option="due", due=due, day=made))
            elif kept and broken:
                problem = ("broken_on", self._msg("csv_kept_and_broken"))
            elif (kept and kept < made) or (broken and broken < made):
                problem = ("kept_on" if kept else "broken_on", self._msg("csv_before_made", made=made))
            tid = values.get("touchpoint")
            if problem is None and tid is not None:
                t = self.s.get(Touchpoint, tid)
                if t is None or t.customer_id != cid:
                    problem = ("touchpoint", self._msg("csv_unknown_touchpoint", id=tid))
            if problem:
                self.out.error(line, shown.get(problem[0], problem[0]), problem[1])
                continue
            existing = self.s.get(Promise, values["id"]) if values.get("id") else None
            if existing is not None and existing.customer_id != cid:
                existing = None
            if existing is None:
                existing = self.s.exec(select(Promise).where(
                    Promise.customer_id == cid, Promise.made_on == made, Promise.due == due,
                    Promise.text == text)).first()
            row = {"touchpoint_id": tid, "kept_on": kept, "broken_on": broken}
            if existing is None:
                ident = self._fresh_id(Promise, values.get("id"))
                self.s.execute(insert(Promise.__table__), [{**row, "id": ident, "customer_id": cid, "text": text,
                                                  "made_on": made, "due": due, "created_at": utcnow()}])
                self.out.new += 1
                continue
            if not self._claim(Promise, existing.id, line, shown["text"]):
                continue
            self._update(Promise, existing, {k: v for k, v in row.items() if getattr(existing, k) != v})

    def _contracts(self, batch: list[tuple[int, dict, dict]]) -> None:
        from kehu.models import ContractIn
        from kehu.store import settings

        if self.currency is None:  # the default for rows without one: read once per import
            self.currency = settings.read(self.s).currency
        currency = self.currency
        for line, values, shown in batch:
            cid = self._row_customer(line, values, shown)
            if cid is None:
                continue
            status = values.get("status") or "draft"
            data = {"title": values.get("title"), "amount_cents": values.get("amount"),
                    "currency": values.get("currency") or currency, "expected_on": values.get("expected_on"),
                    "note": values.get("note")}
            try:
                valid = ContractIn.model_validate({k: v for k, v in data.items() if v is not None})
            except ValidationError as exc:
                where, what = _first_error(exc)
                self.out.error(line, shown.get({"amount_cents": "amount"}.get(where, where), where), what)
                continue
            except UsageError as exc:
                self._refuse(line, shown, exc)
                continue
            problem = self._contract_problem(status, values)
            if problem:
                self.out.error(line, shown.get(problem[0], problem[0]), problem[1])
                continue
            row = {**valid.model_dump(), "status": status, "expected_on": values.get("expected_on"),
                   **{k: values.get(k) for k in ("signed_on", "completed_on", "lost_on", "lost_reason",
                                                 "aftercare_due")},
                   "aftercare_done_on": values.get("aftercare_done"), "note": values.get("note")}
            existing = self.s.get(Contract, values["id"]) if values.get("id") else None
            if existing is not None and existing.customer_id != cid:
                existing = None
            if existing is None:
                existing = self.s.exec(select(Contract).where(
                    Contract.customer_id == cid, Contract.title == valid.title).order_by(Contract.id)).first()
            if existing is None:
                now = utcnow()
                ident = self._fresh_id(Contract, values.get("id"))
                self.s.execute(insert(Contract.__table__), [{**row, "id": ident, "customer_id": cid,
                                                             "created_at": now, "updated_at": now}])
                if values.get("id"):
                    self.ids[("contracts", values["id"])] = ident
                self.out.new += 1
                continue
            if values.get("id"):
                self.ids[("contracts", values["id"])] = existing.id
            if not self._claim(Contract, existing.id, line, shown["title"]):
                continue
            changes = {k: v for k, v in row.items() if getattr(existing, k) != v}
            if changes:
                changes["updated_at"] = utcnow()
            self._update(Contract, existing, changes)

    def _contract_problem(self, status: str, values: dict) -> tuple[str, str] | None:
        """A row whose dates contradict its status (signed without a signing day...)."""
        from kehu.rules.contracts import WON

        if status in WON and values.get("signed_on") is None:
            return "signed_on", self._msg("csv_required")
        if status == "completed" and values.get("completed_on") is None:
            return "completed_on", self._msg("csv_required")
        if status == "lost" and not (values.get("lost_reason") or "").strip():
            return "lost_reason", self._msg("csv_required")
        if status == "lost" and values.get("lost_on") is None:
            return "lost_on", self._msg("csv_required")
        signed, done = values.get("signed_on"), values.get("completed_on")
        if signed and done and done < signed:
            return "completed_on", self._msg("date_before_signed", value=done, signed=signed)
        return None

    def _instalments(self, batch: list[tuple[int, dict, dict]]) -> None:
        for line, values, shown in batch:
            kid = values.get("contract")
            kid = self.ids.get(("contracts", kid), kid)
            contract = self.s.get(Contract, kid) if kid else None
            if contract is None:
                self.out.error(line, shown["contract"], self._msg("contract_not_found", ref=kid))
                continue
            amount, paid = values.get("amount"), values.get("paid") or 0
            problem = None
            if not amount or amount <= 0:
                problem = ("amount", self._msg("plan_not_positive", due=values.get("due")))
            elif paid > amount:
                from kehu.i18n import labelled

                problem = ("paid", labelled("csv_paid_above", self.lang, paid=paid, amount=amount))
            elif paid and contract.status not in ("signed", "completed"):
                problem = ("paid", self._msg("pay_not_signed", id=contract.id, status=contract.status))
            if problem:
                self.out.error(line, shown.get(problem[0], problem[0]), problem[1])
                continue
            self.planned.setdefault(contract.id, (line, shown["amount"]))
            row = {"amount_cents": amount, "due": values["due"], "paid_cents": paid, "paid_on": values.get("paid_on")}
            existing = self.s.get(Instalment, values["id"]) if values.get("id") else None
            if existing is not None and existing.contract_id != contract.id:
                existing = None
            if existing is None and values.get("seq"):
                existing = self.s.exec(select(Instalment).where(
                    Instalment.contract_id == contract.id, Instalment.seq == values["seq"])).first()
            if existing is None:
                existing = self.s.exec(select(Instalment).where(
                    Instalment.contract_id == contract.id, Instalment.due == values["due"])).first()
            if existing is None:
                top = self.s.exec(select(func.max(Instalment.seq)).where(Instalment.contract_id == contract.id)).one()
                seq = values.get("seq") or (top or 0) + 1
                clash = self.s.exec(select(Instalment.id).where(
                    Instalment.contract_id == contract.id, Instalment.seq == seq)).first()
                if clash is not None:
                    seq = (top or 0) + 1
                ident = self._fresh_id(Instalment, values.get("id"))
                self.s.execute(insert(Instalment.__table__), [{**row, "id": ident, "contract_id": contract.id,
                                                               "seq": seq}])
                self.out.new += 1
                continue
            if not self._claim(Instalment, existing.id, line, shown["due"]):
                continue
            self._update(Instalment, existing, {k: v for k, v in row.items() if getattr(existing, k) != v})
