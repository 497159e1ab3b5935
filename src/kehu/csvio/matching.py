"""What every table's import shares: ids, duplicate rows, customers by name, batched writes.

Rows arrive parsed cell by cell (kehu.csvio.read); the importer (kehu.csvio.importer)
matches each batch against the book by id or natural key. Here is what it builds on:
ids are assigned here (the file's own when free, so an export's ids survive a round
trip), inside the command's IMMEDIATE transaction, so no other writer can take them; a
record matched twice in one file is a duplicate row; customers are found by their
normalised name (or created, with --create-missing); rows are written with SQLAlchemy
Core executemany (kehu.csvio.bulk).
"""

from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy import func, update
from sqlmodel import Session, select

from kehu.csvio.bulk import Insert
from kehu.csvio.read import Outcome
from kehu.dates import moment_on, today
from kehu.models import Customer, CustomerAlias, Event, utcnow
from kehu.rules.names import clean_name, name_key
from kehu.text import first_control

# The columns of the rows the import writes, in table order
CUSTOMER_COLUMNS = ("id", "name", "name_key", "industry", "region", "kind", "level", "value_cents", "owner", "note",
                    "stage", "terminated_at", "terminated_reason", "created_at", "updated_at", "profit_now",
                    "profit_future", "service_cost", "added_on", "owner_key", "claimed_on", "address", "phone",
                    "website")
EVENT_COLUMNS = ("customer_id", "at", "kind", "from_stage", "to_stage", "reason", "detail", "actor")


class Matcher:
    """The state and helpers of one file's import; kehu.csvio.importer.Importer adds
    what each table's rows mean."""

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
        self.now = utcnow()  # when this batch is written: created_at / updated_at of its rows
        # name_key (NFKC, white space, case folding) of the names rows repeat: each once
        self._key = lru_cache(maxsize=1 << 13)(name_key)
        self._inserts: dict[tuple, Insert] = {}
        self._created_detail = json.dumps({"imported": out.file}, ensure_ascii=False)
        # The salesperson importing: recorded on every event and touchpoint written; a
        # touchpoint import also moves their own customers' owner_touched_on (finish()).
        self.actor = s.info.get("actor")

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
            self._inserts[key] = Insert(self.s, model.__table__, key[1], tuples=key[2])
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
        if found is None:  # a short name, or the name of a customer since merged into another
            found = self.s.exec(select(CustomerAlias.customer_id).where(CustomerAlias.alias_key == key)).first()
        if found is None and self.create_missing:
            char = first_control(clean_name(name))
            if char is not None:  # a name is visible text (kehu.models refuses it as typed too)
                self.out.error(line, column, self._msg("name_control", field=column, char=char))
                return None
            found = self._insert_customer({"name": clean_name(name)}, None, None)
            self.out.created_customers.append((found, clean_name(name)))
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
        self._write(Customer, [row], CUSTOMER_COLUMNS)
        self._write(Event, events, EVENT_COLUMNS)
        self.customers[key] = ident
        self.out.new += 1
        return ident

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
        """A new customer's row (CUSTOMER_COLUMNS) and its history (EVENT_COLUMNS)."""
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
               get("service_cost"), added, owner_key, self.today if owner_key else None, get("address"), get("phone"),
               get("website"))
        return row, events
