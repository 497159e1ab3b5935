"""The CSV import parser, fed arbitrary bytes, fails only with kehu's own errors.

"The parser" is everything `kehu import` does to a file before the database, the
reader in `kehu.csvio.read`, which needs no database: encoding detection
(`detect_encoding`), header mapping and table inference (`plan_file`), record reading
with physical line numbers (`records`) and per-cell parsing (`parse_cell`), driven as
the importer drives it: `plan_file`, then every batch of parsed rows from `batches`.
Whatever the bytes, the outcome must be one of:

- a `kehu.errors.KehuError` (the CLI prints it as one line with its exit code), whose
  message renders in both languages;
- an `Outcome` whose row problems are one line each, `FILE:LINE: column: message`,
  with LINE a physical line of the file, in file order.

Anything else (a `LookupError`, a `UnicodeError`, a `ValueError` ...) would reach the
user as "Internal error in kehu" with exit 70: a bug.

Examples: 100,000 or more in all (each `@given` test asserts how many it really ran),
split over strategies of increasing depth: raw bytes; a real header in each encoding
kehu detects followed by random bytes; a real header followed by well-formed CSV rows
of cell-like text (dates, amounts, enum labels, formula guards, quotes, line breaks);
byte mutations of a valid file; and `--encoding` names, text codecs and not. All run
in-process on one small file per example, no CLI and no database.
"""

from __future__ import annotations

import codecs
import csv
import encodings.aliases
import io
import os
import random
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kehu.csvio import columns, read
from kehu.errors import KehuError
from kehu.i18n import error_message

# --------------------------------------------------------------------- harness

_PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>[1-9][0-9]*): (?P<column>[^\r\n]*?): (?P<message>[^\r\n]+)$")


class Harness:
    """One file on disk, rewritten per example; counts the examples it parsed."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "fuzz.csv"
        self.calls = 0
        self.kehu_errors = 0
        self.parsed = 0
        self.rows: list[tuple[int, dict, dict]] = []  # what the reader handed on, of the last example

    def parse(self, data: bytes, *, table: str | None = None, encoding: str | None = None,
              lang: str = "en") -> read.Outcome | KehuError:
        """Read ``data`` as the import does, up to (not including) the database."""
        self.calls += 1
        self.path.write_bytes(data)
        self.rows = []
        try:
            enc, tbl, header = read.plan_file(self.path, table, encoding)
            out = read.Outcome(tbl, str(self.path))
            for batch in read.batches(self.path, tbl, enc, header, lang=lang, out=out):
                assert 0 < len(batch) <= read.BATCH
                self.rows.extend(batch)
        except KehuError as exc:
            # A refusal must render as a message in both languages (a missing format
            # parameter would be a KeyError at the error boundary).
            for language in ("en", "zh"):
                text = error_message(exc, language)
                assert text and "\n" not in text and "\r" not in text, f"not one line: {text!r}"
            self.kehu_errors += 1
            return exc
        self.parsed += 1
        # Physical lines: at most one per CR or LF byte (true of every encoding kehu
        # detects by itself; a named codec such as unicode_escape can make more).
        physical = data.count(b"\n") + data.count(b"\r") + 1 if encoding is None else None
        self._check_outcome(out, tbl, header, physical)
        return out

    def _check_outcome(self, out: read.Outcome, table: str, header: list[str], physical: int | None) -> None:
        assert out.table == table
        assert len(out.errors) == min(out.error_count, read.MAX_REPORTED)
        lines = []
        for problem in out.errors:
            m = _PROBLEM.match(problem)
            assert m is not None, f"not one FILE:LINE: column: message line: {problem!r}"
            assert m["file"] == str(self.path)
            assert m["column"] == "*" or m["column"] in [_one_line(h) for h in header]
            lines.append(int(m["line"]))
        assert lines == sorted(lines)
        # A row handed to the writer has a value for each column, named as in the header.
        keys = {c.key for c in columns.map_header(table, header)[0]}
        for line, values, shown in self.rows:
            assert set(values) == keys
            assert set(shown.values()) <= set(header)  # as written; the report escapes breaks
            lines.append(line)
        if physical is not None:
            assert all(2 <= line <= physical for line in lines)


def _one_line(text: str) -> str:
    """A header cell as a problem line names it: line breaks as \\r and \\n, other control
    characters as a terminal-safe escape (a vertical tab before added_on is \\x0b)."""
    from kehu.text import printable

    return printable(text.replace("\r", "\\r").replace("\n", "\\n"))


@pytest.fixture
def harness(tmp_path: Path):
    """In RAM when there is /dev/shm: rewriting a file on disk 100,000 times costs a
    millisecond each here, ten times the parse itself."""
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() and os.access(shm, os.W_OK) else tmp_path
    try:
        yield Harness(folder)
    finally:
        if folder != tmp_path:
            shutil.rmtree(folder)


def fuzz_settings(n: int):
    return settings(
        max_examples=n,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


# ------------------------------------------------------------------ strategies
# Hypothesis costs ~0.4 ms per example plus ~25 µs per draw; at 100,000 examples every
# strategy below makes a handful of draws: headers are picked from a fixed list, and a
# body is one string over an alphabet of tokens, each standing for a piece of a cell.

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gbk", "gb18030"]
BOM_ENCODINGS = ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be")


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _row(cells: list[str], newline: str = "") -> str:
    buf = io.StringIO()
    # Python's writer quotes a lone CR only when CR is in the line terminator.
    quoting = csv.QUOTE_MINIMAL if newline in ("", "\r\n") else csv.QUOTE_ALL
    csv.writer(buf, lineterminator=newline, quoting=quoting).writerow(cells)
    return buf.getvalue()


def _headers() -> list[str]:
    """Real headers of every table: what export writes, all Chinese, the required
    columns only, and random subsets in random order by key, Chinese name or alias, a
    few upper-cased, padded, full-width or with - or space for _."""
    rng = random.Random(20261123)
    out = []
    for table in columns.ORDER:
        cols = columns.TABLES[table]
        out.append([c.key for c in cols])
        out.append([c.zh for c in cols])
        out.append([c.key for c in cols if c.required])
        out.append([(c.aliases or (c.zh,))[0] for c in cols if c.required])
        for _ in range(25):
            names = []
            for c in cols:
                if c.required or rng.random() < 0.5:
                    form = rng.choice((c.key, c.zh, *c.aliases))
                    if rng.random() < 0.15:
                        form = rng.choice([form.upper(), f" {form} ", form.replace("_", "-"),
                                           form.replace("_", " "), _fullwidth(form)])
                    names.append(form)
            rng.shuffle(names)
            out.append(names)
    return [_row(h) for h in out]


HEADERS = _headers()
header_st = st.sampled_from(HEADERS)

# What a cell of any kehu column might hold: the date, amount, id and enum forms, the
# formula guard, CSV specials, white space and line breaks of every kind, odd characters.
PIECES = [
    "a", "0", "1", "9", " ", "-", "/", ".", ",", "+", "年", "月", "日", "万", "d", "w", "m", "k",
    "2026-03-05", "2026/3/5", "2026.3.5", "2026年3月5日", "3月5日", "3 月 5 号", "today", "今天", "昨天",
    "+3d", "-2w", "+1m", "3天后", "2周前", "6个月后", "+9999m", "-9999w", "9999-12-31", "0000-01-01",
    "1899-12-31", "2200-01-01", "2026-02-30", "03/05/2026", "3/5", "２０２６－０３－０５", "٢٠٢٦-٠٣-٠٥",
    "500000", "500,000", "50万", "¥12.5万", "12k", "1.005", "0.001", "99999999999999999999", "1,2345",
    "100000000000", "100000000001", "12.345万元", "007", "1e5", "NaN", "Infinity", "-1", "1" * 19,
    "stranger", "陌生期", "成长", "Growth", "business", "商业", "decider", "支持", "daily", "峰会",
    "signed", "已签", "draft", "high", "低", "executive", "consumer", "alliance", "#3", "Ｎ１２",
    "'=1+1", "''", "'", "=cmd", "@x", "\t", "'\t", "'\r", '"', '""', "\r\n", "\n", "\r", "\u3000",
    "\xa0", "\ufeff", "\x00", "\x85", "\u2028", "、", "；", "，", "é", "ß", "Ω", "𠮷", "\U0010ffff",
]
_BASE = 0xE000
CELL_BREAK, ROW_BREAK, RAGGED = chr(_BASE), chr(_BASE + 1), chr(_BASE + 2)
TOKENS = "".join(chr(_BASE + 3 + i) for i in range(len(PIECES)))
body_st = st.text(alphabet=CELL_BREAK + ROW_BREAK + RAGGED + TOKENS, max_size=100)
_TERMINATOR = re.compile(r"\r\n|\r|\n")


def body_rows(tokens: str, width: int) -> list[list[str]]:
    """Rows of cells from a token string: ROW_BREAK ends a row, CELL_BREAK a cell; a row
    is padded or cut to ``width`` fields unless it holds a RAGGED token."""
    rows = []
    for part in tokens.split(ROW_BREAK) if tokens else []:
        ragged = RAGGED in part
        cells = ["".join(PIECES[ord(t) - _BASE - 3] for t in cell if t != RAGGED)
                 for cell in part.split(CELL_BREAK)]
        if not ragged:
            cells = (cells + [""] * width)[:width]
        rows.append(cells)
    return rows


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le":
        return codecs.BOM_UTF16_LE + text.encode(encoding)
    if encoding == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode(encoding)
    return text.encode(encoding, errors="replace")  # utf-16 and utf-8-sig write their BOM


# ------------------------------------------------------------------- the tests
# Example counts: 25,000 + 25,000 + 25,000 + 15,000 + 10,000 = 100,000.


@pytest.mark.slow
def test_random_bytes_fail_only_with_kehu_errors(harness: Harness) -> None:
    @fuzz_settings(25_000)
    @given(data=st.binary(max_size=300), table=st.sampled_from([None, *columns.ORDER]))
    def check(data: bytes, table: str | None) -> None:
        harness.parse(data, table=table)

    check()
    assert harness.calls >= 25_000


@pytest.mark.slow
def test_a_real_header_then_random_bytes_fails_only_with_kehu_errors(harness: Harness) -> None:
    # The tail is random bytes, or random text in the header's encoding (GBK, UTF-16
    # after its BOM ...), which gets further into the rows.
    @fuzz_settings(25_000)
    @given(header=header_st, encoding=st.sampled_from(ENCODINGS), newline=st.sampled_from(["\r\n", "\n", "\r", ""]),
           tail=st.one_of(st.binary(max_size=200), st.text(max_size=60)), lang=st.sampled_from(["en", "zh"]))
    def check(header: str, encoding: str, newline: str, tail: bytes | str, lang: str) -> None:
        text = header + newline
        if isinstance(tail, str):
            data = encode(text + tail, encoding)
        else:
            data = encode(text, encoding) + tail
        harness.parse(data, lang=lang)

    check()
    assert harness.calls >= 25_000
    assert harness.parsed > 2500, "the header seldom led to row reading: the strategy is too shallow"


@pytest.mark.slow
def test_a_real_header_then_cell_like_rows_fails_only_with_kehu_errors(harness: Harness) -> None:
    @fuzz_settings(25_000)
    @given(header=header_st, tokens=body_st, newline=st.sampled_from(["\r\n", "\n"]),
           encoding=st.sampled_from(ENCODINGS), lang=st.sampled_from(["en", "zh"]))
    def check(header: str, tokens: str, newline: str, encoding: str, lang: str) -> None:
        width = len(next(csv.reader([header])))
        text, starts, line = header + newline, [], 2
        nul_line = 1 if "\x00" in header else None
        for cells in body_rows(tokens, width):
            row = _row(cells, newline)
            if row != newline:  # no fields at all is a blank line, which import skips
                starts.append(line)
            if nul_line is None and "\x00" in row:
                nul_line = line
            line += len(_TERMINATOR.findall(row))
            text += row
        result = harness.parse(encode(text, encoding), lang=lang)
        if encoding not in BOM_ENCODINGS:
            return  # GBK or BOM-less UTF-8 may be read as another encoding: no more to say
        # With a BOM the encoding is certain and the rows are well-formed CSV.
        if nul_line is not None:
            # A NUL refuses the whole file, before the header is judged, at its record.
            assert isinstance(result, KehuError) and result.key == "csv_nul", result
            assert result.params["line"] == nul_line
            return
        if isinstance(result, KehuError):
            # A header that fits two tables (客户名称,name), or names one column twice
            # in the table it fits best, is refused before any row.
            assert result.key in ("csv_ambiguous_table", "csv_duplicate_columns"), result.key
            return
        # Every record is either handed on parsed or reported, at the line it starts on.
        if result.error_count <= read.MAX_REPORTED:
            reported = {int(_PROBLEM.match(p)["line"]) for p in result.errors}
            parsed = {line for line, _, _ in harness.rows}
            assert not reported & parsed
            assert sorted(reported | parsed) == starts

    check()
    assert harness.calls >= 25_000
    assert harness.parsed > 10_000


VALID = (
    "name,stage,value,added_on,kind,note\r\n"
    "华东电网,成长期,80万,2026-03-05,商业,\"多行\r\n备注\"\r\n"
    "Acme Trading Ltd,stranger,\"120,000\",2026/3/5,business,'=1+1\r\n"
).encode()


@pytest.mark.slow
def test_mutations_of_a_valid_file_fail_only_with_kehu_errors(harness: Harness) -> None:
    @fuzz_settings(15_000)
    @given(edits=st.lists(st.tuples(st.integers(0, len(VALID)), st.integers(0, 3), st.binary(max_size=4)),
                          min_size=1, max_size=4),
           prefix=st.sampled_from([b"", codecs.BOM_UTF8]),
           recode=st.sampled_from([None, "gbk", "utf-16"]))
    # Found by this test: a vertical tab before a header name (read as added_on) is named
    # \x0b in the problem line; the check once compared it with the raw header.
    @example(edits=[(17, 0, b"\x0b"), (59, 0, b"\x01")], prefix=b"", recode="gbk")
    def check(edits: list[tuple[int, int, bytes]], prefix: bytes, recode: str | None) -> None:
        data = VALID if recode is None else VALID.decode("utf-8").encode(recode)
        for pos, cut, insert in edits:
            pos = min(pos, len(data))
            data = data[:pos] + insert + data[pos + cut:]
        harness.parse(prefix + data)

    check()
    assert harness.calls >= 15_000


# Every codec name Python knows (text encodings and not: base64, rot13, zlib, undefined),
# and a few that are none.
CODEC_NAMES = sorted({*encodings.aliases.aliases.values(),
                      "base64", "rot13", "hex", "zlib", "bz2", "uu", "quopri", "undefined", "idna", "punycode",
                      "unicode_escape", "raw_unicode_escape", "utf-7", "utf-32", "big5", "shift_jis", "cp1252",
                      "no-such-codec", "utf8 ", "UTF-8", "utf-16", "UTF-32", "latin_1", "mbcs", "oem", "ascii"})


@pytest.mark.slow
def test_any_encoding_name_fails_only_with_kehu_errors(harness: Harness) -> None:
    @fuzz_settings(10_000)
    @given(encoding=st.sampled_from(CODEC_NAMES),
           data=st.one_of(st.binary(max_size=100), st.just(VALID), st.just("name\r\nacme\r\n".encode("utf-16"))))
    def check(encoding: str, data: bytes) -> None:
        harness.parse(data, encoding=encoding)

    with warnings.catch_warnings():
        # unicode_escape warns (DeprecationWarning, silent outside tests) about "\ " and
        # the like before it decodes them; only exceptions are at issue here.
        warnings.filterwarnings("ignore", "invalid escape sequence", DeprecationWarning)
        check()
    assert harness.calls >= 10_000


# ------------------------------------------------------------ regression tests
# Each was an "Internal error in kehu" (exit 70) or a report broken over several lines.

ENCODING_HINT = "is not UTF-8, UTF-16 or GBK/GB18030: name its encoding with --encoding (e.g. --encoding big5)."


@pytest.mark.parametrize("codec", ["base64", "rot13", "zlib", "hex"])
def test_a_codec_that_is_not_a_text_encoding_is_an_unknown_encoding(kehu, tmp_path: Path, codec: str) -> None:
    # It was LookupError: 'base64' is not a text encoding; use codecs.open() ...
    path = tmp_path / "c.csv"
    path.write_bytes(b"name\r\nacme\r\n")
    result = kehu("import", str(path), "--encoding", codec, code=2)
    assert result.stderr == f"kehu: Unknown encoding {codec!r}\n"
    assert result.stdout == ""


@pytest.mark.parametrize(("codec", "data"), [
    ("undefined", b"name\r\nacme\r\n"),  # it was UnicodeError: undefined encoding
    # A UTF-16 file without its BOM, named as utf-16: it was "UnicodeError: UTF-16
    # stream does not start with BOM".
    ("utf-16", "name\r\nacme\r\n".encode("utf-16-le")),
])
def test_a_codec_failing_with_a_bare_unicode_error_is_a_wrong_encoding(kehu, tmp_path: Path, codec: str,
                                                                      data: bytes) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    result = kehu("import", str(path), "--encoding", codec, code=65)
    assert result.stderr == f"kehu: {path} {ENCODING_HINT}\n"


def test_a_line_break_in_a_bad_cell_is_shown_escaped_on_its_one_report_line(kehu, tmp_path: Path) -> None:
    # It was two lines: "...: stage: Unknown stage: 成长" and "期. Accepted: ..."
    path = tmp_path / "c.csv"
    path.write_bytes('name,stage\r\nacme,"成长\r\n期"\r\n'.encode())
    result = kehu("import", str(path), code=65)
    assert result.stderr == (
        f"{path}:2: stage: Unknown stage: 成长\\r\\n期. Accepted: stranger (陌生期), acquainted (建立期), "
        "evaluation (考察期), growth (成长期), mature (成熟期)\n"
        "kehu: 1 problem(s): nothing was written.\n"
    )


def test_a_line_break_in_an_unknown_header_is_shown_escaped_on_the_one_line(kehu, tmp_path: Path) -> None:
    # It was two lines: "kehu: ...: the header names no known column (na" and "me,x): ..."
    path = tmp_path / "c.csv"
    path.write_bytes(b'"na\nme",x\r\nacme,1\r\n')
    result = kehu("import", str(path), code=65)
    assert result.stderr == (
        f"kehu: {path}: the header names no known column (na\\nme,x): the encoding may be wrong; "
        "name it with --encoding.\n"
    )
    path.write_bytes(b'name,"sta\nge"\r\nacme,1\r\n')
    for table in ([], ["--table", "customers"]):
        result = kehu("import", str(path), *table, code=65)
        assert result.stderr == (
            f"kehu: {path}: unknown column(s) sta\\nge. Accepted: id/编号, name/客户名称, industry/行业, "
            "region/地区, kind/类型, level/关系类型, value/年价值, owner/负责人, note/备注, stage/阶段, "
            "profit_now/当前盈利, profit_future/未来潜力, service_cost/服务成本, added_on/建档日期, "
            "terminated_on/终止日期, terminated_reason/终止原因, phone/电话, address/地址, website/网址, aliases/简称\n"
        )
