"""The importer's fast paths: batched inserts, validation without pydantic, a Bloom filter.

Each does what the obvious code does, faster at a million rows, and falls back to it
(or says "maybe") whenever it is unsure; tests/test_csv_fast_paths.py compares each with
the code it replaces on arbitrary input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date
from operator import itemgetter

from sqlalchemy import insert
from sqlmodel import Session

from kehu import oplog


class Insert:
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
        self.table = table
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
        # The operation log (kehu.oplog) does not see driver-level SQL: it is told which
        # rows the batch created, by the keys kehu chose or those above the largest before.
        rec = self.conn.info.get(oplog.KEY)
        pk = [c.key for c in self.table.primary_key.columns]
        chosen = all(k in self.keys for k in pk)
        top = rec.top(self.conn, self.table) if rec is not None and not chosen else None
        self.conn.exec_driver_sql(self.sql, params)
        if rec is None:
            return
        if not chosen:
            rec.created_above(self.conn, self.table, top)
        else:
            get = itemgetter(*(pk if self.named else [self.keys.index(k) for k in pk]))
            rec.inserted(self.table, [(get(p),) for p in params] if len(pk) == 1 else list(map(get, params)))


_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate: pydantic refuses such a str
_KINDS = {str: (str, False), int: (int, False), date: (date, False), bool: (bool, False), str | None: (str, True),
          int | None: (int, True), date | None: (date, True), bool | None: (bool, True), list[str]: (list, False)}


class FastIn:
    """An input model's own rules, run in plain Python for the rows that pass them.

    ``model.model_validate(data).model_dump()`` costs about 5 µs a row: over 100,000
    customers, a sixth of the import. This reads the model's fields (str, int, date, bool
    (only a bool itself: anything else goes to the model), optional or not, list[str]),
    their length and bound constraints and their "before" validators (called as they
    are) from the model itself, and returns exactly that dump
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


class Seen:
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


def validated(model, data: dict) -> dict:
    """``model.model_validate(data).model_dump()``: by FastIn when the row passes its
    rules, else by the model itself (which raises its ValidationError)."""
    fast = _FAST.get(model)
    if fast is None:
        fast = _FAST[model] = FastIn(model)
    dump = fast(data)
    return model.model_validate(data).model_dump() if dump is None else dump
