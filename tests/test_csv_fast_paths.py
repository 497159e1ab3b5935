"""The import's and export's fast paths give exactly what the slow, obvious code gives.

Large imports and exports skip work where it cannot change the answer: a row that
passes the input model's rules is checked in plain Python (kehu.csvio.bulk.FastIn) instead of
pydantic; plain amounts skip parse_amount's Decimal arithmetic; text cells are unescaped
in one step; the encoding scan counts suspicious characters with a regex; export cells
are escaped a whole row at a time. Each is compared here with what it replaces, on
arbitrary input: accepted values, and for the models also the errors (which always come
from the model itself).
"""

from __future__ import annotations

import codecs

import csv
import io
import string
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kehu.csvio import bulk, columns, export, read
from kehu.money import MAX_CENTS, parse_amount
from kehu.errors import KehuError
from kehu.models import ContractIn, CustomerIn, PersonIn, TouchIn

# ------------------------------------------------------------------ input models

SPACES = " \t\n\r\u3000\u00a0\u2003"
ODD = "ＡＢＣ１２３ﬁ①\u0301\u00e9e\u0301\ud800\udfff\x00'=+-@,、;"
CHARS = st.sampled_from(list(string.ascii_letters + string.digits + SPACES + ODD) + ["华", "东", "电", "力"])


def _text(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(CHARS, min_size=min_size, max_size=max_size)


def _long(n: int) -> st.SearchStrategy[str]:
    """Strings right at a length limit, give or take a character or some spaces."""
    return st.builds(lambda k, pad, c: (pad + c * (n + k) + pad), st.integers(-2, 2),
                     st.sampled_from(["", " ", "  "]), st.sampled_from(["a", "华", "ｱ", " "]))


ANY = st.one_of(
    st.none(), _text(), _text(1, 3), _long(200), _long(4000), _text().map(lambda s: "\ud800" + s),
    st.integers(-3, 7), st.sampled_from([10**13 - 1, 10**13, 10**13 + 1, 2**63, -(2**63)]), st.booleans(),
    st.dates(date(1899, 1, 1), date(2201, 1, 1)), st.datetimes(datetime(2000, 1, 1), datetime(2030, 1, 1)),
    st.lists(_text(), max_size=3), st.lists(_text(0, 3), min_size=48, max_size=52), st.tuples(_text()),
    st.floats(allow_nan=False, max_value=10, min_value=-10), st.binary(max_size=3),
)


def _rows(model) -> st.SearchStrategy[dict]:
    names = list(model.model_fields)
    fields = st.dictionaries(st.sampled_from(names), ANY, max_size=len(names))
    extra = st.dictionaries(st.sampled_from(["nope", "id", "Name"]), ANY, max_size=1)
    return st.tuples(fields, extra, st.booleans()).map(lambda t: {**t[0], **t[1]} if t[2] else t[0])


def _typed(dump: dict) -> list:
    return [(k, type(v), v) for k, v in dump.items()]


def _model_says(model, data: dict):
    try:
        return model.model_validate(data).model_dump(), None
    except ValidationError as exc:
        return None, exc.errors(include_url=False)
    except KehuError as exc:  # a refusal of kehu's own (a control character in a name)
        return None, (type(exc), exc.key, exc.params)


def _compare(model, data: dict) -> bool:
    """The fast path accepts only what the model accepts, with the identical dump; and
    what the import reports (bulk.validated) is the model's own error."""
    fast = bulk.FastIn(model)(data)
    dump, errors = _model_says(model, data)
    if isinstance(errors, tuple):
        assert fast is None, (data, fast, errors)
        with pytest.raises(KehuError) as refused:
            bulk.validated(model, data)
        assert (type(refused.value), refused.value.key, refused.value.params) == errors
        return False
    if errors is not None:
        assert fast is None, (data, fast, errors)
        with pytest.raises(ValidationError) as caught:
            bulk.validated(model, data)
        assert caught.value.errors(include_url=False) == errors
        return False
    if fast is not None:
        assert _typed(fast) == _typed(dump), data
    assert _typed(bulk.validated(model, data)) == _typed(dump)
    return fast is not None


@pytest.mark.parametrize("model", [CustomerIn, PersonIn, TouchIn, ContractIn])
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_check_accepts_only_what_the_model_accepts_with_the_same_values(model, data) -> None:
    _compare(model, data.draw(_rows(model)))


def _valid_customer() -> st.SearchStrategy[dict]:
    text = st.one_of(_text(), _long(200).filter(lambda s: len(s.strip()) <= 200))
    return st.fixed_dictionaries({}, optional={
        "name": _text(1, 30).filter(lambda s: s.strip()), "industry": text, "region": text, "owner": text,
        "note": st.one_of(_text(), _long(4000)), "kind": st.sampled_from(["business", "consumer"]),
        "level": st.sampled_from(["preferred", "partner"]), "value_cents": st.integers(0, 10**13),
        "profit_now": st.just("high"), "profit_future": st.just("low"), "service_cost": st.just("low"),
    }).map(lambda d: {k: v.replace("\ud800", "").replace("\udfff", "") if isinstance(v, str) else v
                      for k, v in d.items()})


@settings(max_examples=1000, deadline=None)
@given(data=_valid_customer())
def test_the_fast_check_takes_valid_customer_rows_itself(data: dict) -> None:
    # Not a no-op: the rows an import really has are decided without pydantic.
    dump, errors = _model_says(CustomerIn, data)
    if errors is None:
        assert _compare(CustomerIn, data), data


def test_the_fast_check_takes_typical_rows_of_each_table() -> None:
    assert _compare(CustomerIn, {"name": " 南通  迪德 ", "industry": " 能源", "region": "  ", "value_cents": 0,
                                 "kind": "business", "note": "两行\n备注"})
    assert _compare(PersonIn, {"name": "张伟", "title": "总经理", "competence": 5, "private": " x "})
    assert _compare(TouchIn, {"day": date(2024, 3, 1), "kind": "daily", "signals": ["预算  已批", " ", "招标"],
                              "note": "电话", "next_step": "回访", "next_due": date(2024, 3, 8)})
    assert _compare(TouchIn, {"day": date(2024, 3, 1), "kind": "daily"})
    # ContractIn has patterns the fast check does not read: always the model
    assert bulk.FastIn(ContractIn).fields is None
    assert not _compare(ContractIn, {"title": "合同", "amount_cents": 5})


# ------------------------------------------------------------------ cells

AMOUNT_CHARS = st.sampled_from(list("0123456789.,  ¥万kKw元-+e") + ["１", "٣", "\u3000"])


@settings(max_examples=3000, deadline=None)
@given(text=st.one_of(st.text(AMOUNT_CHARS, max_size=20), st.from_regex(r"\A[0-9]{1,17}(\.[0-9]{0,3})?\Z"),
                      st.integers(MAX_CENTS - 3, MAX_CENTS + 3).map(lambda c: f"{c // 100}.{c % 100:02d}")))
def test_plain_amounts_give_what_parse_amount_gives(text: str) -> None:
    fast = read._plain_cents(text)
    try:
        slow = parse_amount(text)
    except KehuError:
        assert fast is None, text
        return
    assert fast is None or (fast == slow and type(fast) is int), text


def test_plain_amounts_are_taken_by_the_fast_path() -> None:
    assert [read._plain_cents(t) for t in ("0", "007", "34425.38", "12.5", "1000000000")] == [
        0, 700, 3442538, 1250, 100000000000]
    assert [read._plain_cents(t) for t in ("12万", " 1", "1,000", "1.234", "１", "")] == [None] * 6


def _old_text(raw: str) -> str | None:
    text = read.unescape(raw)
    return text if text.strip() else None


@settings(max_examples=3000, deadline=None)
@given(raw=st.one_of(st.text(), st.text(st.sampled_from(list(SPACES) + ["'", "=", "a", "\x1c", "\x85"]))))
def test_text_cells_unescape_and_blank_as_before(raw: str) -> None:
    assert read._text(raw) == _old_text(raw)
    assert read.parse_cell(columns.Col("x", "x"), raw, "en") == _old_text(raw)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_every_valid_utf8_file_is_detected_as_utf8(tmp_path_factory, text: str) -> None:
    # The UTF-8 scan only validates now (it counted "implausible" characters, which let
    # GB18030 win over valid UTF-8): whatever valid UTF-8 spells, it is read as UTF-8.
    path = tmp_path_factory.getbasetemp() / "scan.csv"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return
    path.write_bytes(data)
    assert read._scan(path, "utf-8").ok
    expected = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        expected = "utf-16"  # FF FE / FE FF are never valid UTF-8: unreachable, kept honest
    assert read.detect_encoding(path) == expected


def _written(rows: list[list]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


EXPORT_VALUE = st.one_of(st.none(), st.text(max_size=8), st.integers(0, 2**63), st.dates(),
                         st.sampled_from(["'", "=1", "-5", "@a", "\t", "\r", "\n", "", "''", "0.00"]))


@settings(max_examples=3000, deadline=None)
@given(rows=st.lists(st.lists(EXPORT_VALUE, max_size=8), max_size=4))
def test_export_cells_are_written_as_cell_wrote_them(rows: list[list]) -> None:
    assert _written([export._cells(r) for r in rows]) == _written([[export.cell(v) for v in r] for r in rows])


@settings(max_examples=200, deadline=None)
@given(items=st.lists(st.tuples(st.integers(), st.dates(), st.text(max_size=5)), max_size=300),
       others=st.lists(st.tuples(st.integers(), st.dates(), st.text(max_size=5)), max_size=50))
def test_the_touchpoints_written_filter_never_forgets_one(items: list, others: list) -> None:
    seen = bulk.Seen()
    for item in items:
        seen.add(item)
    assert all(item in seen for item in items)
    # and it is a filter, not "everything": among things never added, few are "maybe"
    strangers = [x for x in others if x not in set(items)]
    assert sum(x in seen for x in strangers) <= max(1, len(strangers) // 10)


def _old_split_names(text: str) -> list[str]:
    for sep in ("、", "；", ";", "，", ","):
        text = text.replace(sep, "\n")
    return text.split("\n")


@settings(max_examples=2000, deadline=None)
@given(text=st.text(st.sampled_from(list("、；;，,\n ab张伟") + ["\r", "\u3000"]), max_size=20))
def test_names_split_as_before(text: str) -> None:
    assert read._split_names(text) == _old_split_names(text)
    assert read.parse_cell(columns.Col("with", "接触人", "names"), text, "en") == (
        [p.strip() for p in (text.split("\n") if "\n" in text else _old_split_names(text)) if p.strip()])
