"""The database side of CSV import and export: matching rows to records, batched writes.

Rows arrive validated cell by cell (kehu.csvio); here each batch is matched against the
book by id or natural key (customer: normalised name; person: customer + name;
touchpoint: customer + date + kind + people + note; promise: customer + made on + due +
text), checked with the same models the commands use, and written with SQLAlchemy Core
executemany — ids are assigned here, inside the command's IMMEDIATE transaction, so no
other writer can take them. Export reads the same shapes back in id order, streaming.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from contextlib import suppress
from datetime import date
from functools import lru_cache
from itertools import groupby, repeat
from operator import itemgetter

from pydantic import ValidationError
from sqlalchemy import Date, String, func, insert, tuple_, type_coerce, update
from sqlmodel import Session, select

from kehu.csvio import FORMULA_START, Outcome, export_columns
from kehu.dates import amount_text, moment_on, today
from kehu.models import (
    Contract,
    Customer,
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

CUSTOMER_FIELDS = ("name", "industry", "region", "kind", "level", "value_cents", "owner", "note",
                   "profit_now", "profit_future", "service_cost")
# The columns of the rows the import writes, in table order
_CUSTOMER_COLUMNS = ("id", "name", "name_key", "industry", "region", "kind", "level", "value_cents", "owner", "note",
                     "stage", "terminated_at", "terminated_reason", "created_at", "updated_at", "profit_now",
                     "profit_future", "service_cost", "added_on", "owner_key", "claimed_on")
_EVENT_COLUMNS = ("customer_id", "at", "kind", "from_stage", "to_stage", "reason", "detail", "actor")
_TOUCH_COLUMNS = ("id", "customer_id", "day", "kind", "note", "signals", "next_step", "next_due", "next_done_on",
                  "created_at", "actor")
# TouchIn's fields a touchpoints row gives, with their column keys (signals: always, [] if none)
_TOUCH_FIELDS = (("day", "date"), ("kind", "kind"), ("note", "note"), ("next_step", "next"), ("next_due", "next_due"))
PERSON_FIELDS = ("name", "title", "dept", "level", "role", "attitude", "kpi", "pain", "interest",
                 "style", "competence", "private")


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


class _Insert:
    """A Core INSERT of one table, compiled once for the connection's dialect, run as the
    driver's executemany on rows whose values went through the columns' own bind
    processors: what ``s.execute(insert(table), dicts)`` writes, without SQLAlchemy's
    per-row parameter processing, which was a third of an import (the same few dates and
    moments were formatted again for every row). Each processed value is remembered, so a
    moment shared by a batch is formatted once. Rows are dicts holding every key, or tuples
    in the order of ``keys`` (``tuples=True``)."""

    MEMO = 20_000  # distinct values remembered per column (days and moments repeat)

    def __init__(self, s: Session, table, keys: tuple[str, ...], tuples: bool = False) -> None:
        self.conn = s.connection()
        dialect = self.conn.dialect
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        self.sql = str(compiled)
        order = list(compiled.positiontup) if compiled.positional else list(keys)
        if sorted(order) != sorted(keys):  # a column default SQLAlchemy would fill in: not ours to skip
            raise ValueError(f"{table.name}: the insert binds {order}, not {list(keys)}")
        self.keys = order
        self.get = itemgetter(*(keys.index(k) for k in order) if tuples else order)
        self.as_is = tuples and list(keys) == order
        self.named = not compiled.positional
        self.procs = []
        for i, key in enumerate(order):
            proc = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
            if proc is not None:
                self.procs.append((i, proc, {}))

    def __call__(self, rows: list[dict]) -> None:
        if not rows:
            return
        get = self.get
        if self.as_is:
            params = rows
        else:
            params = list(map(get, rows)) if len(self.keys) > 1 else [(get(r),) for r in rows]
        if self.procs:
            # Column by column: each distinct value is processed once, then looked up.
            columns: list = list(zip(*params, strict=True))
            for i, proc, memo in self.procs:
                column = columns[i]
                new = set(column).difference(memo)
                if len(memo) + len(new) > self.MEMO:
                    memo.clear()
                    new = set(column)
                memo[None] = None
                new.discard(None)
                for v in new:
                    memo[v] = proc(v)
                columns[i] = map(memo.__getitem__, column)
            params = list(zip(*columns, strict=True))
        if self.named:
            params = [dict(zip(self.keys, p, strict=True)) for p in params]
        self.conn.exec_driver_sql(self.sql, params)


_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate: pydantic refuses such a str
_KINDS = {str: (str, False), int: (int, False), date: (date, False), str | None: (str, True),
          int | None: (int, True), date | None: (date, True), list[str]: (list, False)}


class _FastIn:
    """An input model's own rules, run in plain Python for the rows that pass them.

    ``model.model_validate(data).model_dump()`` costs about 5 µs a row: over 100,000
    customers, a sixth of the import. This reads the model's fields (str, int, date,
    optional or not, list[str]), their length and bound constraints and their "before"
    validators (called as they are) from the model itself, and returns exactly that dump
    for input that passes every rule, or None whenever anything is off (a broken rule,
    an unexpected type, a key the model lacks, a lone surrogate, a model using features
    it does not know): the caller then runs the model, whose error is the one reported.
    So errors are always pydantic's own, and a changed rule in kehu.models changes both
    paths. tests/test_csv_fast_paths.py compares the two on arbitrary input.
    """

    def __init__(self, model) -> None:
        import annotated_types as at

        self.model = model
        self.fields: dict | None = {}
        self.template: dict = {}
        self.plans: dict[tuple, tuple | None] = {}
        self.required: set[str] = set()
        self.new_lists: list[str] = []
        decorators = model.__pydantic_decorators__
        befores: dict[str, list] = {name: [] for name in model.model_fields}
        for dec in decorators.field_validators.values():
            for name in dec.info.fields:
                befores.setdefault(name, []).append(dec.func if dec.info.mode == "before" else None)
        plain_config = set(model.model_config) <= {"extra"} and model.model_config.get("extra") == "forbid"
        if not plain_config or any((decorators.model_validators, decorators.field_serializers,
                                    decorators.model_serializers, decorators.computed_fields,
                                    decorators.root_validators, decorators.validators)) \
                or set(befores) != set(model.model_fields):
            self.fields = None
            return
        for name, info in model.model_fields.items():
            kind = _KINDS.get(info.annotation)
            steps = befores[name]
            if kind is None or len(steps) > 1 or None in steps or info.alias is not None:
                self.fields = None
                return
            if info.is_required():
                default = _REQUIRED
            elif info.default_factory is list:
                default = _NEW_LIST
            elif info.default is None and info.default_factory is None:
                default = None
            else:
                self.fields = None
                return
            low, high = -math.inf, math.inf  # lengths for str and list, values for int
            strict_low = False
            for m in info.metadata:
                if isinstance(m, at.MinLen) and kind[0] in (str, list):
                    low = m.min_length
                elif isinstance(m, at.MaxLen) and kind[0] in (str, list):
                    high = m.max_length
                elif isinstance(m, at.Ge) and kind[0] is int:
                    low = m.ge
                elif isinstance(m, at.Gt) and kind[0] is int:
                    low, strict_low = m.gt, True
                elif isinstance(m, at.Le) and kind[0] is int:
                    high = m.le
                else:
                    self.fields = None
                    return
            self.fields[name] = (steps[0] if steps else None, kind[0], kind[1], low, strict_low, high)
            self.template[name] = [] if default is _NEW_LIST else None
            if default is _REQUIRED:
                self.required.add(name)
            elif default is _NEW_LIST:
                self.new_lists.append(name)

    def _plan(self, keys: tuple[str, ...]) -> tuple | None:
        """For input with these keys: each one's checks, and the list fields to start
        empty; None when the keys alone send the input to the model. Rows of a file all
        have the same keys: this is worked out once, not per row."""
        fields = self.fields
        plan = None
        if fields is not None and fields.keys() >= set(keys) and set(keys) >= self.required:
            plan = ([(name, *fields[name]) for name in keys], [n for n in self.new_lists if n not in keys])
        if len(self.plans) < 256:
            self.plans[keys] = plan
        return plan

    def __call__(self, data: dict) -> dict | None:
        keys = tuple(data)
        plan = self.plans[keys] if keys in self.plans else self._plan(keys)
        if plan is None:
            return None
        checks, fresh = plan
        out = self.template.copy()  # every field, in the model's order, at its default
        for name in fresh:
            out[name] = []
        for name, before, kind, optional, low, strict_low, high in checks:
            v = data[name]
            if before is not None:
                try:
                    v = before(v)
                except Exception:  # noqa: BLE001 - the model reports it as its error
                    return None
            if v is None:
                if not optional:
                    return None
                out[name] = None
                continue
            if v.__class__ is not kind:
                return None
            if kind is str:
                if not low <= len(v) <= high or (not v.isascii() and _SURROGATE.search(v)):
                    return None
            elif kind is int:
                if (v <= low if strict_low else v < low) or v > high:
                    return None
            elif kind is list:
                if not low <= len(v) <= high \
                        or (v and any(x.__class__ is not str or (not x.isascii() and _SURROGATE.search(x)) for x in v)):
                    return None
                v = list(v)
            out[name] = v
        return out


class _Seen:
    """A set that may answer "maybe" for what it never saw, but never "no" for what it
    saw (a Bloom filter: 16 MiB whatever the import's size, two bits per item). With a
    million items about one lookup in 4,000 is a false "maybe"; a million-row set of
    tuples would take more memory than the whole import may use."""

    BITS = 1 << 27

    def __init__(self) -> None:
        self.bits = bytearray(self.BITS >> 3)

    def add(self, item: object) -> None:
        self.update((item,))

    def __contains__(self, item: object) -> bool:
        h = hash(item)
        a, b = h & (self.BITS - 1), (h >> 27) & (self.BITS - 1)
        return bool(self.bits[a >> 3] & (1 << (a & 7)) and self.bits[b >> 3] & (1 << (b & 7)))

    def update(self, items: Iterator) -> None:
        bits, mask = self.bits, self.BITS - 1
        for item in items:
            h = hash(item)
            a, b = h & mask, (h >> 27) & mask
            bits[a >> 3] |= 1 << (a & 7)
            bits[b >> 3] |= 1 << (b & 7)


_REQUIRED = object()
_NEW_LIST = object()
_FAST: dict = {}
_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(x, ensure_ascii=False), without a new encoder each call


def _validated(model, data: dict) -> dict:
    """``model.model_validate(data).model_dump()``: by _FastIn when the row passes its
    rules, else by the model itself (which raises its ValidationError)."""
    fast = _FAST.get(model)
    if fast is None:
        fast = _FAST[model] = _FastIn(model)
    dump = fast(data)
    return model.model_validate(data).model_dump() if dump is None else dump


class Importer:
    def __init__(self, s: Session, table: str, out: Outcome, *, create_missing: bool, lang: str,
                 ids: dict | None = None) -> None:
        self.ids = {} if ids is None else ids  # (table, id in the file) → id in the book
        self.s, self.table, self.out = s, table, out
        self.create_missing, self.lang = create_missing, lang
        self.customers: dict[str, int] = {}  # name_key → id, filled as needed
        self.first_new: dict[str, int] = {}
        self.matched: set[tuple[str, int]] = set()
        self.next_id: dict[str, int] = {}
        self.taken: dict[str, set[int]] = {}
        self.started_empty: dict[str, bool] = {}  # table → it had no rows when this import began
        self.today = today()
        self._moments: dict = {}
        self.currency: str | None = None
        self.people: dict[tuple[int, str], int] = {}  # (customer id, name key) → person, per batch
        self.planned: dict[int, tuple[int, str]] = {}  # contract id → its first line, amount column
        self.now = utcnow()  # when this batch is written: created_at / updated_at of its rows
        # name_key (NFKC, white space, case folding) of the names rows repeat: each once
        self._key = lru_cache(maxsize=1 << 13)(name_key)
        self._inserts: dict[tuple, _Insert] = {}
        self._created_detail = json.dumps({"imported": out.file}, ensure_ascii=False)
        self.written: _Seen | None = None  # the (customer, day, kind) of every touchpoint written
        # The salesperson importing: recorded on every event and touchpoint written; a
        # touchpoint import also moves their own customers' owner_touched_on (finish()).
        self.actor = s.info.get("actor")
        self.began = utcnow()

    # ------------------------------------------------------------ helpers

    def _moment(self, day):
        if day not in self._moments:
            self._moments[day] = moment_on(day)
        return self._moments[day]

    def _msg(self, key: str, **params: object) -> str:
        from kehu.i18n import message

        return message(key, self.lang, **params)

    def _write(self, model, rows: list, keys: tuple[str, ...] | None = None) -> None:
        """Insert rows into the model's table, in one executemany: dicts with the same
        keys, or tuples of the values of ``keys``."""
        if not rows:
            return
        key = (model.__tablename__, keys or tuple(rows[0]), keys is not None)
        if key not in self._inserts:
            self._inserts[key] = _Insert(self.s, model.__table__, key[1], tuples=key[2])
        self._inserts[key](rows)

    def _update(self, model, existing, changes: dict) -> None:
        """Write what differs (counted as updated), or count the row as unchanged."""
        if changes:
            self.s.execute(update(model).where(model.id == existing.id).values(**changes))
            if getattr(existing, "_sa_instance_state", None) is not None:  # an ORM object, not a Core row
                self.s.expire(existing)
            self.out.updated += 1
        else:
            self.out.unchanged += 1

    def _counter(self, model) -> str:
        """Start the id counter of a table once per import: after the book's largest id."""
        name = model.__tablename__
        if name not in self.next_id:
            top = self.s.exec(select(func.max(model.id))).one()
            self.next_id[name] = (top or 0) + 1
            self.first_new[name] = self.next_id[name]
            self.taken[name] = set()
            self.started_empty[name] = top is None
        return name

    def _claim(self, model, ident: int, line: int, column: str) -> bool:
        """A record may be matched once per file: a second row with the same key is a
        duplicate within the file (also when both rows create it)."""
        key = (model.__tablename__, ident)
        # Records this import created (ids it assigned or took from the file) are a
        # duplicate when matched again; only matched *existing* records are remembered,
        # so importing a new 1,000,000-row file keeps no per-row state.
        if key in self.matched or ident in self.taken.get(key[0], ()) or ident >= self.first_new.get(key[0], 1 << 62):
            self.out.error(line, column, self._msg("csv_duplicate_row"))
            return False
        self.matched.add(key)
        return True

    def _row_customer(self, line: int, values: dict, shown: dict) -> int | None:
        """The customer a people, touchpoint or promise row names (an error if none)."""
        if not values.get("customer"):
            self.out.error(line, shown["customer"], self._msg("empty_name"))
            return None
        return self._customer_id(values["customer"], line, shown["customer"])

    def _customer_id(self, name: str, line: int, column: str) -> int | None:
        key = self._key(name)
        if key in self.customers:
            return self.customers[key]
        found = self.s.exec(select(Customer.id).where(Customer.name_key == key)).first()
        if found is None and self.create_missing:
            found = self._insert_customer({"name": clean_name(name)}, None, None)
        if found is None:
            self.out.error(line, column, self._msg("csv_unknown_customer", name=name))
            return None
        self.customers[key] = found
        return found

    def _insert_customer(self, fields: dict, stage: str | None, values: dict | None) -> int:
        """A customer a row names but the book lacks (--create-missing)."""
        values = dict(values or {}, stage=stage)
        ident = self._fresh_id(Customer, None)
        key = name_key(fields["name"])
        row, events = self._customer_row(ident, key, fields, values)
        self._write(Customer, [row], _CUSTOMER_COLUMNS)
        self._write(Event, events, _EVENT_COLUMNS)
        self.customers[key] = ident
        self.out.new += 1
        return ident

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
                valid = _validated(CustomerIn, {f: v for f, k in pairs if (v := values[k]) is not None})
            except ValidationError as exc:
                where, what = _first_error(exc)
                self.out.error(line, shown.get("value" if where == "value_cents" else where, where), what)
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
                ident = self._fresh_id(Customer, values.get("id"), known)
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
        self._write(Customer, new_rows, _CUSTOMER_COLUMNS)
        self._write(Event, new_events, _EVENT_COLUMNS)
        self.s.expire_all()

    def _fresh_id(self, model, wanted: int | None, known: dict | None = None) -> int:
        """The file's id when it is free (an export's ids survive a round trip), else the next.

        ``known``, when given, holds every record of the batch's ids that the book has
        (the batch looked them up): an id it lacks is free without asking the book again."""
        name = self._counter(model)
        if wanted and (known is None or wanted not in known) and wanted not in self.taken[name] \
                and (known is not None or self.s.get(model, wanted) is None):
            self.taken[name].add(wanted)
            self.next_id[name] = max(self.next_id[name], wanted + 1)
            return wanted
        ident = self.next_id[name]
        while ident in self.taken[name]:
            ident += 1
        self.next_id[name] = ident + 1
        return ident

    def _customer_row(self, ident: int, key: str, fields: dict, values: dict) -> tuple[tuple, list[tuple]]:
        """A new customer's row (_CUSTOMER_COLUMNS) and its history (_EVENT_COLUMNS)."""
        now, get = self.now, fields.get
        stage = values.get("stage") or "stranger"
        added = values.get("added_on") or self.today
        ended = reason = None
        actor = self.actor
        events = [(ident, self._moment(added), "created", None, stage, None, self._created_detail, actor)]
        if values.get("terminated_on"):
            ended = self._moment(values["terminated_on"])
            reason = values.get("terminated_reason") or "-"
            events.append((ident, ended, "dropped", stage, stage, reason, None, actor))
        owner = get("owner")
        owner_key = self._key(owner) if owner else None
        row = (ident, get("name"), key, get("industry"), get("region"), get("kind"), get("level"), get("value_cents"),
               owner, get("note"), stage, ended, reason, now, now, get("profit_now"), get("profit_future"),
               get("service_cost"), added, owner_key, self.today if owner_key else None)
        return row, events

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
                valid = _validated(TouchIn, data)
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
            prepared.append((line, values, shown, cid, tuple(people), valid))
        # Candidates for matching: exactly the (customer, day, kind) triples of this batch,
        # so the work per batch does not grow with the history already in the book. Read
        # as Core rows (attributes by column name), not ORM objects.
        triples = {(p[3], p[5]["day"], p[5]["kind"]) for p in prepared}
        if self.written is None:
            self.written = _Seen()
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
        columns = (t.id, t.customer_id, t.day, t.kind, t.note, t.signals, t.next_step, t.next_due, t.next_done_on)
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
                                 values.get("next_done"), now, actor))
                if people:
                    new_links.extend(zip(repeat(ident, len(people)), people, strict=True))
                by_key[key] = _Placeholder(ident)
                self.out.new += 1
                continue
            if not self._claim(Touchpoint, existing.id, line, shown["date"]):
                continue
            row = {"note": note, "signals": signals, "next_step": valid["next_step"],
                   "next_due": valid["next_due"], "next_done_on": values.get("next_done")}
            fields = ["note", "signals", "next_step", "next_due"] + (["next_done_on"] if "next_done" in values else [])
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


# ---------------------------------------------------------------- export
#
# Export reads with Core selects of exactly the exported columns, streamed in partitions
# (constant memory), never as ORM objects: building 1.5 million SQLModel instances to
# write a few of their attributes was three quarters of the time (7.5× the raw floor).
# Cells go to csv.writer as they come, through _cells, one call per row.


_TRIGGERS = frozenset(FORMULA_START)
_PARTITION = 2000


def _cells(row) -> list:
    """``csvio.cell`` over a whole row in one pass, for csv.writer: text that starts with
    a formula trigger gets its apostrophe; None, ints (ids, sequence numbers and ratings,
    never negative) and dates go as they are, and csv.writer writes them as "", str()
    and isoformat: the very text ``cell`` makes. (A per-cell function call cost twice
    as much over the 1.5 million rows of a large book.)"""
    return [v if not v or v.__class__ is not str or v[0] not in _TRIGGERS else "'" + v for v in row]


def _day(column):
    """A date column as the text the database gives, not parsed into a date to be
    formatted back: SQLite stores a date as its ISO text, which is what the export
    writes; a driver that returns date objects (PostgreSQL's) still gets the same text
    from csv.writer's str(). Parsing 2 million dates cost half a second."""
    return type_coerce(column, String)


def export_rows(s: Session, table: str, include_private: bool) -> Iterator[list]:
    """The header, then every record in id order, streamed from the database."""
    cols = export_columns(table, include_private)
    yield [c.key for c in cols]
    yield from globals()[f"_rows_{table}"](s, [c.key for c in cols])


def _partitions(s: Session, stmt) -> Iterator:
    """Rows of a Core select in lists of _PARTITION, on the session's connection (inside
    the command's transaction), buffered a partition at a time."""
    conn = s.connection()
    result = conn.execute(stmt.execution_options(yield_per=_PARTITION))
    try:
        yield from result.partitions()
    finally:
        # An export that stops early (a full disk, a closed pipe) must close its cursor:
        # on a server it is a named cursor, left open until garbage collection otherwise.
        # Once the command's connection is gone, only the driver's cursor object is left
        # to mark closed (SQLAlchemy would log a traceback trying more).
        with suppress(Exception):
            if not conn.closed and not conn.invalidated:
                result.close()
            elif result.cursor is not None:
                result.cursor.close()


def _table_rows(s: Session, keys: list[str], columns: dict, convert: dict, source, order_by: tuple):
    """The export of one table: ``columns`` maps each key to its column, ``convert`` the
    few keys whose stored value is not their cell (cents, a moment) to a function."""
    stmt = select(*(_day(columns[k]) if isinstance(columns[k].type, Date) else columns[k] for k in keys)) \
        .select_from(source).order_by(*order_by)
    fix = [(i, convert[k]) for i, k in enumerate(keys) if k in convert]
    for part in _partitions(s, stmt):
        for row in part:
            if fix:
                row = list(row)
                for i, f in fix:
                    row[i] = f(row[i])
            yield _cells(row)


def _joined(table, customer_id):
    """``table`` joined to its customer, for the customer's name."""
    c = Customer.__table__.c
    return table.join(Customer.__table__, c.id == customer_id)


def _terminated_on(moment):
    from kehu.dates import to_local

    return to_local(moment).date() if moment else None


def _rows_customers(s: Session, keys: list[str]) -> Iterator[list]:
    c = Customer.__table__.c
    columns = {"id": c.id, "name": c.name, "industry": c.industry, "region": c.region, "kind": c.kind,
               "level": c.level, "value": c.value_cents, "owner": c.owner, "note": c.note, "stage": c.stage,
               "profit_now": c.profit_now, "profit_future": c.profit_future, "service_cost": c.service_cost,
               "added_on": c.added_on, "terminated_on": c.terminated_at, "terminated_reason": c.terminated_reason}
    yield from _table_rows(s, keys, columns, {"value": amount_text, "terminated_on": _terminated_on},
                           Customer.__table__, (c.id,))


def _rows_people(s: Session, keys: list[str]) -> Iterator[list]:
    p = Person.__table__.c
    columns = {k: p[k] for k in keys if k != "customer"}
    columns["customer"] = Customer.__table__.c.name
    yield from _table_rows(s, keys, columns, {}, _joined(Person.__table__, p.customer_id), (p.id,))


def _rows_touchpoints(s: Session, keys: list[str]) -> Iterator[list]:
    t, tp, p = Touchpoint.__table__.c, TouchpointPerson.__table__.c, Person.__table__.c
    # The people met, in a second stream merged by touchpoint id: one name per line, in
    # person id order (person_id is Person.id: ordering by it uses the link table's key).
    links = (row for part in _partitions(s, select(tp.touchpoint_id, p.name).select_from(
        TouchpointPerson.__table__.join(Person.__table__, p.id == tp.person_id)).order_by(
        tp.touchpoint_id, tp.person_id)) for row in part)
    groups = groupby(links, key=itemgetter(0))
    ltid, lnames = next(groups, (None, None))
    stmt = select(t.id, Customer.__table__.c.name, _day(t.day), t.kind, t.note, t.signals, t.next_step,
                  _day(t.next_due), _day(t.next_done_on)).select_from(_joined(Touchpoint.__table__, t.customer_id)).order_by(t.id)
    order = ["id", "customer", "date", "kind", "with", "note", "signals", "next", "next_due", "next_done"]
    pick = None if keys == order else [order.index(k) for k in keys]
    for part in _partitions(s, stmt):
        for tid, customer, day, kind, note, signals, next_step, next_due, next_done in part:
            with_cell = ""
            while ltid is not None and ltid <= tid:
                if ltid == tid:
                    names = [name for _, name in lnames]
                    with_cell = "\n".join(names)
                    if len(names) == 1 and any(sep in with_cell for sep in "、；;，,"):
                        with_cell += "\n"  # one name holding a separator: the newline says "split on lines"
                ltid, lnames = next(groups, (None, None))
            if signals:
                signals = "\n".join(json.loads(signals))
            row = _cells((tid, customer, day, kind, with_cell, note, signals, next_step, next_due, next_done))
            yield row if pick is None else [row[i] for i in pick]


def _rows_promises(s: Session, keys: list[str]) -> Iterator[list]:
    p = Promise.__table__.c
    columns = {"id": p.id, "customer": Customer.__table__.c.name, "touchpoint": p.touchpoint_id, "text": p.text,
               "made_on": p.made_on, "due": p.due, "kept_on": p.kept_on, "broken_on": p.broken_on}
    yield from _table_rows(s, keys, columns, {}, _joined(Promise.__table__, p.customer_id), (p.id,))


def _rows_contracts(s: Session, keys: list[str]) -> Iterator[list]:
    k = Contract.__table__.c
    columns = {"id": k.id, "customer": Customer.__table__.c.name, "title": k.title, "amount": k.amount_cents,
               "currency": k.currency, "status": k.status, "expected_on": k.expected_on, "signed_on": k.signed_on,
               "completed_on": k.completed_on, "lost_on": k.lost_on, "lost_reason": k.lost_reason,
               "aftercare_due": k.aftercare_due, "aftercare_done": k.aftercare_done_on, "note": k.note}
    yield from _table_rows(s, keys, columns, {"amount": amount_text}, _joined(Contract.__table__, k.customer_id),
                           (k.id,))


def _rows_instalments(s: Session, keys: list[str]) -> Iterator[list]:
    i = Instalment.__table__.c
    columns = {"id": i.id, "contract": i.contract_id, "seq": i.seq, "amount": i.amount_cents, "due": i.due,
               "paid": i.paid_cents, "paid_on": i.paid_on}
    yield from _table_rows(s, keys, columns, {"amount": amount_text, "paid": amount_text}, Instalment.__table__,
                           (i.contract_id, i.seq))
