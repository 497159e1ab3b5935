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
from collections.abc import Iterator

from pydantic import ValidationError
from sqlalchemy import func, insert, tuple_, update
from sqlmodel import Session, col, select

from kehu.csvio import Outcome, cell, export_columns
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
        self.today = today()
        self._moments: dict = {}
        self.currency: str | None = None
        self.people: dict[tuple[int, str], int] = {}  # (customer id, name key) → person, per batch
        self.planned: dict[int, tuple[int, str]] = {}  # contract id → its first line, amount column

    # ------------------------------------------------------------ helpers

    def _moment(self, day):  # noqa: ANN001, ANN202
        if day not in self._moments:
            self._moments[day] = moment_on(day)
        return self._moments[day]

    def _msg(self, key: str, **params: object) -> str:
        from kehu.i18n import message

        return message(key, self.lang, **params)

    def _update(self, model, existing, changes: dict) -> None:  # noqa: ANN001
        """Write what differs (counted as updated), or count the row as unchanged."""
        if changes:
            self.s.execute(update(model).where(model.id == existing.id).values(**changes))
            self.s.expire(existing)
            self.out.updated += 1
        else:
            self.out.unchanged += 1

    def _counter(self, model) -> str:  # noqa: ANN001
        """Start the id counter of a table once per import: after the book's largest id."""
        name = model.__tablename__
        if name not in self.next_id:
            top = self.s.exec(select(func.max(model.id))).one()
            self.next_id[name] = (top or 0) + 1
            self.first_new[name] = self.next_id[name]
            self.taken[name] = set()
        return name

    def _claim(self, model, ident: int, line: int, column: str) -> bool:  # noqa: ANN001
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
        key = name_key(name)
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
        row, events = self._customer_row(ident, name_key(fields["name"]), fields, values)
        self.s.execute(insert(Customer.__table__), [row])
        self.s.execute(insert(Event.__table__), events)
        self.customers[row["name_key"]] = ident
        self.out.new += 1
        return ident

    def finish(self) -> None:
        """Checks that need the whole file: a contract's instalments add up to its amount."""
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
        if self.table != "customers":
            keys = {name_key(v["customer"]) for _, v, _ in batch if v.get("customer")} - set(self.customers)
            for chunk in _chunks(sorted(keys)):
                for key, ident in self.s.exec(
                    select(Customer.name_key, Customer.id).where(col(Customer.name_key).in_(chunk))
                ):
                    self.customers[key] = ident
        getattr(self, f"_{self.table}")(batch)

    def _prefetch_customers(self, keys: set[str], ids: set[int]) -> dict:
        """Customers of this batch by name key and by id, in two queries."""
        found: dict = {}
        for chunk in _chunks(sorted(keys)):
            for c in self.s.exec(select(Customer).where(col(Customer.name_key).in_(chunk))):
                found[c.name_key] = c
                found[c.id] = c
        missing = sorted(i for i in ids if i not in found)
        for chunk in _chunks(missing):
            for c in self.s.exec(select(Customer).where(col(Customer.id).in_(chunk))):
                found[c.name_key] = c
                found[c.id] = c
        return found

    def _customers(self, batch: list[tuple[int, dict, dict]]) -> None:
        rows = []
        for line, values, shown in batch:
            data = {}
            for f in CUSTOMER_FIELDS:
                key = "value" if f == "value_cents" else f
                if key in values:
                    data[f] = values[key]
            try:
                valid = CustomerIn.model_validate({k: v for k, v in data.items() if v is not None})
            except ValidationError as exc:
                where, what = _first_error(exc)
                self.out.error(line, shown.get("value" if where == "value_cents" else where, where), what)
                continue
            if valid.name is None:
                self.out.error(line, shown.get("name", "name"), self._msg("empty_name"))
                continue
            rows.append((line, values, shown, data, valid))
        known = self._prefetch_customers(
            {name_key(v.name) for *_, v in rows}, {r[1]["id"] for r in rows if r[1].get("id")}
        )
        new_rows, new_events = [], []
        for line, values, shown, data, valid in rows:
            fields = {**{k: None for k in data}, **valid.model_dump(exclude_none=True)}
            key = name_key(valid.name)
            existing = known.get(values["id"]) if values.get("id") else None
            if existing is None:
                existing = known.get(key)
            elif existing.name_key != key and key in known and known[key].id != existing.id:
                self.out.error(line, shown["name"], self._msg("csv_name_taken", name=valid.name, id=known[key].id))
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
            if changes:
                changes["updated_at"] = utcnow()
                self.s.execute(update(Customer).where(Customer.id == existing.id).values(**changes))
                new_events.append({
                    "customer_id": existing.id, "at": utcnow(), "kind": "edited", "from_stage": None,
                    "to_stage": None, "reason": None,
                    "detail": json.dumps({"fields": sorted(k for k in changes if k not in ("updated_at", "name_key")),
                                          "imported": self.out.file}, ensure_ascii=False),
                })
                self.out.updated += 1
            else:
                self.out.unchanged += 1
            self.customers[key] = existing.id
        if new_rows:
            self.s.execute(insert(Customer.__table__), new_rows)
        if new_events:
            self.s.execute(insert(Event.__table__), new_events)
        self.s.expire_all()

    def _fresh_id(self, model, wanted: int | None, known: dict | None = None) -> int:  # noqa: ANN001
        """The file's id when it is free (an export's ids survive a round trip), else the next."""
        name = self._counter(model)
        if wanted and (known is None or wanted not in known) and wanted not in self.taken[name] \
                and self.s.get(model, wanted) is None:
            self.taken[name].add(wanted)
            self.next_id[name] = max(self.next_id[name], wanted + 1)
            return wanted
        ident = self.next_id[name]
        while ident in self.taken[name]:
            ident += 1
        self.next_id[name] = ident + 1
        return ident

    def _customer_row(self, ident: int, key: str, fields: dict, values: dict) -> tuple[dict, list[dict]]:
        now = utcnow()
        row = {
            **{f: fields.get(f) for f in CUSTOMER_FIELDS},
            "id": ident, "name_key": key, "stage": values.get("stage") or "stranger",
            "added_on": values.get("added_on") or self.today, "created_at": now, "updated_at": now,
            "terminated_at": None, "terminated_reason": None,
        }
        events = [{
            "customer_id": ident, "at": self._moment(row["added_on"]), "kind": "created", "from_stage": None,
            "to_stage": row["stage"], "reason": None,
            "detail": json.dumps({"imported": self.out.file}, ensure_ascii=False),
        }]
        if values.get("terminated_on"):
            row["terminated_at"] = moment_on(values["terminated_on"])
            row["terminated_reason"] = values.get("terminated_reason") or "-"
            events.append({
                "customer_id": ident, "at": row["terminated_at"], "kind": "dropped", "detail": None,
                "from_stage": row["stage"], "to_stage": row["stage"], "reason": row["terminated_reason"],
            })
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

    def _prefetch_people(self, batch: list[tuple[int, dict, dict]]) -> None:
        """The people a batch of touchpoints names, in a few queries instead of one per name
        (that was two thirds of a 1M-row import). Kept per batch, so memory stays flat."""
        self.people = {}
        cids = {self.customers.get(name_key(v["customer"])) for _, v, _ in batch if v.get("customer")} - {None}
        keys = {name_key(n) for _, v, _ in batch for n in v.get("with") or []}
        if not cids or not keys:
            return
        for cchunk in _chunks(sorted(cids)):
            for kchunk in _chunks(sorted(keys)):
                for cid, key, pid in self.s.exec(
                    select(Person.customer_id, Person.name_key, Person.id)
                    .where(col(Person.customer_id).in_(cchunk), col(Person.name_key).in_(kchunk))
                ):
                    self.people[(cid, key)] = pid

    def _people_ids(self, cid: int, names: list[str], line: int, column: str) -> list[int] | None:
        ids = []
        for name in names:
            key = name_key(name)
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
        self._prefetch_people(batch)
        prepared = []
        for line, values, shown in batch:
            cid = self._row_customer(line, values, shown)
            if cid is None:
                continue
            people = self._people_ids(cid, values.get("with") or [], line, shown.get("with", "with"))
            if people is None:
                continue
            data = {"day": values.get("date"), "kind": values.get("kind"), "note": values.get("note"),
                    "signals": values.get("signals") or [], "next_step": values.get("next"),
                    "next_due": values.get("next_due")}
            try:
                valid = TouchIn.model_validate({k: v for k, v in data.items() if v is not None})
            except ValidationError as exc:
                where, what = _first_error(exc)
                self.out.error(line, shown.get({"day": "date", "next_step": "next"}.get(where, where), where), what)
                continue
            if (valid.next_step is None) != (valid.next_due is None):
                self.out.error(line, shown.get("next_due", shown.get("next", "next")), self._msg("csv_next_pair"))
                continue
            if valid.next_due is not None and valid.next_due < valid.day:
                self.out.error(line, shown["next_due"], self._msg("due_before_date", option="next_due",
                                                                  due=valid.next_due, day=valid.day))
                continue
            prepared.append((line, values, shown, cid, tuple(people), valid))
        # Candidates for matching: exactly the (customer, day, kind) triples of this batch,
        # so the work per batch does not grow with the history already in the book.
        triples = sorted({(p[3], p[5].day, p[5].kind) for p in prepared})
        by_key: dict = {}
        by_id: dict = {}
        for chunk in _chunks(triples, 300):
            # customer_id IN (...) lets SQLite seek the index; the row-value IN alone
            # would scan all of it (measured: quadratic on a 1M-row import)
            found = list(self.s.exec(select(Touchpoint).where(
                col(Touchpoint.customer_id).in_(sorted({t[0] for t in chunk})),
                tuple_(Touchpoint.customer_id, Touchpoint.day, Touchpoint.kind).in_(chunk))))
            ids = [t.id for t in found]
            links: dict[int, list[int]] = {}
            for part in _chunks(ids):
                for tid, pid in self.s.exec(select(TouchpointPerson.touchpoint_id, TouchpointPerson.person_id)
                                            .where(col(TouchpointPerson.touchpoint_id).in_(part))):
                    links.setdefault(tid, []).append(pid)
            for t in found:
                by_key.setdefault((t.customer_id, t.day, t.kind, tuple(sorted(links.get(t.id, []))), t.note or None), t)
                by_id[t.id] = t
        wanted_ids = [p[1]["id"] for p in prepared if p[1].get("id") and p[1]["id"] not in by_id]
        for chunk in _chunks(sorted(set(wanted_ids))):
            for t in self.s.exec(select(Touchpoint).where(col(Touchpoint.id).in_(chunk))):
                by_id[t.id] = t
        new_rows, new_links = [], []
        for line, values, shown, cid, people, valid in prepared:
            signals = json.dumps(valid.signals, ensure_ascii=False) if valid.signals else None
            key = (cid, valid.day, valid.kind, people, valid.note or None)
            existing = by_id.get(values["id"]) if values.get("id") else None
            if existing is not None and existing.customer_id != cid:
                existing = None
            if existing is None:
                existing = by_key.get(key)
            row = {"note": valid.note, "signals": signals, "next_step": valid.next_step,
                   "next_due": valid.next_due, "next_done_on": values.get("next_done")}
            if existing is None:
                ident = self._fresh_id(Touchpoint, values.get("id"), by_id)
                new_rows.append({**row, "id": ident, "customer_id": cid, "day": valid.day,
                                 "kind": valid.kind, "created_at": utcnow()})
                new_links.extend({"touchpoint_id": ident, "person_id": p} for p in people)
                by_key[key] = _Placeholder(ident)
                self.out.new += 1
                continue
            if not self._claim(Touchpoint, existing.id, line, shown["date"]):
                continue
            fields = ["note", "signals", "next_step", "next_due"] + (["next_done_on"] if "next_done" in values else [])
            self._update(Touchpoint, existing, {k: row[k] for k in fields if getattr(existing, k) != row[k]})
        if new_rows:
            self.s.execute(insert(Touchpoint.__table__), new_rows)
        if new_links:
            self.s.execute(insert(TouchpointPerson.__table__), new_links)
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
        from kehu.settings import effective
        from kehu.store import stored_settings

        if self.currency is None:  # the default for rows without one: read once per import
            self.currency = str(effective(stored_settings(self.s))["contract.currency"])
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


def export_rows(s: Session, table: str, include_private: bool) -> Iterator[list[str]]:
    """The header, then every record in id order, streamed from the database."""
    cols = export_columns(table, include_private)
    yield [c.key for c in cols]
    yield from globals()[f"_rows_{table}"](s, [c.key for c in cols])


def _stream(s: Session, stmt):  # noqa: ANN001, ANN202
    return s.execute(stmt.execution_options(yield_per=2000))


def _rows_customers(s: Session, keys: list[str]) -> Iterator[list[str]]:
    from kehu.dates import to_local

    for c in _stream(s, select(Customer).order_by(Customer.id)).scalars():
        row = {**{k: getattr(c, k, None) for k in keys if hasattr(c, k)}, "value": amount_text(c.value_cents),
               "terminated_on": to_local(c.terminated_at).date() if c.terminated_at else None}
        yield [cell(row.get(k)) for k in keys]


def _rows_people(s: Session, keys: list[str]) -> Iterator[list[str]]:
    stmt = select(Person, Customer.name).join(Customer, col(Customer.id) == Person.customer_id).order_by(Person.id)
    for p, customer in _stream(s, stmt):
        row = {k: getattr(p, k, None) for k in keys if k != "customer"}
        row["customer"] = customer
        yield [cell(row.get(k)) for k in keys]


def _rows_touchpoints(s: Session, keys: list[str]) -> Iterator[list[str]]:
    stmt = select(Touchpoint, Customer.name).join(Customer, col(Customer.id) == Touchpoint.customer_id).order_by(Touchpoint.id)
    links = iter(s.execute(
        select(TouchpointPerson.touchpoint_id, Person.name)
        .join(Person, col(Person.id) == TouchpointPerson.person_id)
        .order_by(TouchpointPerson.touchpoint_id, Person.id)
        .execution_options(yield_per=2000)
    ))
    pending = next(links, None)
    for t, customer in _stream(s, stmt):
        names = []
        while pending is not None and pending[0] <= t.id:
            if pending[0] == t.id:
                names.append(pending[1])
            pending = next(links, None)
        signals = json.loads(t.signals) if t.signals else []
        with_cell = "\n".join(names)
        if len(names) == 1 and any(sep in names[0] for sep in "、；;，,"):
            with_cell += "\n"  # one name holding a separator: the newline says "split on lines"
        row = {"id": t.id, "customer": customer, "date": t.day, "kind": t.kind, "with": with_cell,
               "note": t.note, "signals": "\n".join(signals), "next": t.next_step,
               "next_due": t.next_due, "next_done": t.next_done_on}
        yield [cell(row.get(k)) for k in keys]


def _rows_promises(s: Session, keys: list[str]) -> Iterator[list[str]]:
    stmt = select(Promise, Customer.name).join(Customer, col(Customer.id) == Promise.customer_id).order_by(Promise.id)
    for p, customer in _stream(s, stmt):
        row = {"id": p.id, "customer": customer, "touchpoint": p.touchpoint_id, "text": p.text,
               "made_on": p.made_on, "due": p.due, "kept_on": p.kept_on, "broken_on": p.broken_on}
        yield [cell(row.get(k)) for k in keys]


def _rows_contracts(s: Session, keys: list[str]) -> Iterator[list[str]]:
    stmt = select(Contract, Customer.name).join(Customer, col(Customer.id) == Contract.customer_id).order_by(Contract.id)
    for k, customer in _stream(s, stmt):
        row = {"id": k.id, "customer": customer, "title": k.title, "amount": amount_text(k.amount_cents),
               "currency": k.currency, "status": k.status, "expected_on": k.expected_on, "signed_on": k.signed_on,
               "completed_on": k.completed_on, "lost_on": k.lost_on, "lost_reason": k.lost_reason,
               "aftercare_due": k.aftercare_due, "aftercare_done": k.aftercare_done_on, "note": k.note}
        yield [cell(row.get(x)) for x in keys]


def _rows_instalments(s: Session, keys: list[str]) -> Iterator[list[str]]:
    for i in _stream(s, select(Instalment).order_by(Instalment.contract_id, Instalment.seq)).scalars():
        row = {"id": i.id, "contract": i.contract_id, "seq": i.seq, "amount": amount_text(i.amount_cents),
               "due": i.due, "paid": amount_text(i.paid_cents), "paid_on": i.paid_on}
        yield [cell(row.get(x)) for x in keys]

