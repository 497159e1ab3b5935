"""`kehu export --out PATH` and `kehu remind --ics PATH` write atomically (temporary file
and rename) only over a regular file or a new name. A device, a FIFO, a symbolic link or
`-` (export's standard output) is written in place: /dev/null stays a device, a FIFO
stays a FIFO and gets the data, /dev/stdout stays the link it is. One function decides
(kehu.files.in_place)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kehu.files import in_place

ENV = {"KEHU_TODAY": "2026-11-23"}


# Every command here runs on 2026-11-23, whatever the real date: the dates written below
# are around it (with the clock 400 days back, unpinned commands made the customers in
# 2025 and refused these dates as in the future).
pytestmark = pytest.mark.today("2026-11-23")


@pytest.fixture
def book(kehu):
    kehu("add", "华为", "--value", "100", "--date", "2026-11-01", env=ENV)  # due 11-08: overdue
    kehu("add", "--note", "=1+1", "--", "Acme, Ltd")


def _drain(path: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, got


def test_the_decision_table(tmp_path: Path) -> None:
    regular = tmp_path / "a.csv"
    regular.write_text("x")
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    link = tmp_path / "link.csv"
    link.symlink_to(regular)
    assert in_place(regular) is False
    assert in_place(tmp_path / "new.csv") is False
    assert in_place(tmp_path / "no" / "dir" / "new.csv") is False
    assert in_place(tmp_path) is False  # a folder fails on the atomic path, as before
    assert in_place(fifo) is True
    assert in_place(Path("/dev/null")) is True
    assert in_place(link) is True
    assert in_place(Path("-"), dash=True) is True
    assert in_place(Path("-")) is False  # only where the caller takes "-" as stdout


def test_export_to_dev_null_leaves_the_device(kehu, book) -> None:
    kehu("export", "--table", "customers", "--out", "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not any(p.name.startswith(".kehu-") for p in Path("/dev").iterdir())


def test_remind_ics_to_dev_null_leaves_the_device(kehu, book) -> None:
    kehu("remind", "--ics", "/dev/null", env=ENV)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_into_a_fifo_streams_and_keeps_the_fifo(kehu, book, tmp_path: Path) -> None:
    expected = kehu("export", "--table", "customers").stdout_bytes
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    reader, got = _drain(fifo)
    kehu("export", "--table", "customers", "--out", str(fifo))
    reader.join(10)
    assert got == [expected]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".kehu-")]  # no temporary file


def test_remind_ics_into_a_fifo_streams_and_keeps_the_fifo(kehu, book, tmp_path: Path) -> None:
    from icalendar import Calendar

    fifo = tmp_path / "cal.ics"
    os.mkfifo(fifo)
    reader, got = _drain(fifo)
    kehu("remind", "--ics", str(fifo), env=ENV)
    reader.join(10)
    assert len(got) == 1
    assert len(list(Calendar.from_ical(got[0]).walk("VEVENT"))) == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_regular_file_is_still_replaced_atomically(kehu, book, tmp_path: Path) -> None:
    target = tmp_path / "c.csv"
    target.write_text("old")
    target.chmod(0o644)
    before = target.stat().st_ino
    kehu("export", "--table", "customers", "--out", str(target))
    after = target.stat()
    assert after.st_ino != before  # a new file renamed into place, not the old one rewritten
    assert stat.S_IMODE(after.st_mode) == 0o600
    assert target.read_bytes() == kehu("export", "--table", "customers").stdout_bytes
    ics = tmp_path / "k.ics"
    ics.write_text("old")
    before = ics.stat().st_ino
    kehu("remind", "--ics", str(ics), env=ENV)
    assert ics.stat().st_ino != before and ics.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_symbolic_link_is_written_through_and_kept(kehu, book, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    kehu("export", "--table", "customers", "--out", str(link))
    assert link.is_symlink()
    assert real.read_bytes() == kehu("export", "--table", "customers").stdout_bytes


@pytest.mark.parametrize("excel", [False, True], ids=["plain", "excel"])
def test_export_out_dash_is_standard_output(kehu, book, tmp_path: Path, monkeypatch, excel: bool) -> None:
    monkeypatch.chdir(tmp_path)
    flags = ["--excel"] if excel else []
    expected = kehu("export", "--table", "customers", *flags).stdout_bytes
    result = kehu("export", "--table", "customers", "--out", "-", *flags)
    assert result.stdout_bytes == expected
    assert expected.startswith(b"\xef\xbb\xbf") == excel
    assert not (tmp_path / "-").exists()


def test_export_out_dash_without_a_table_is_refused_and_makes_no_folder(kehu, book, tmp_path: Path,
                                                                       monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = kehu("export", "--out", "-", code=2)
    assert r.stdout == "" and r.stderr.startswith("kehu: --out - means standard output, which takes one table")
    assert "--table" in kehu("--lang", "zh", "export", "--out", "-", code=2).stderr
    assert not (tmp_path / "-").exists()


def test_the_help_of_every_out_option_says_dash_is_standard_output(kehu) -> None:
    import re

    from kehu.cli import app

    help_text = " ".join(kehu("export", "--help").stdout.split())
    assert re.search(r"--out FILE\|DIR Where to write: a file, or - for standard output", help_text), help_text
    # Any other --out a command grows must say it too.
    import typer.main

    def commands(group, ctx):
        for name in group.list_commands(ctx):  # the tree is built lazily: ask for each
            command = group.get_command(ctx, name)
            if type(command).__name__ == "_Unbuilt":
                command = command._real()  # kehu.cli builds a command when it runs
            yield command
            if hasattr(command, "list_commands"):
                yield from commands(command, ctx)

    root = typer.main.get_command(app)
    with root.make_context("kehu", ["--help"], resilient_parsing=True) as ctx:
        every = list(commands(root, ctx))
    assert len(every) > 40
    outs = [(c.name, p.help) for c in every for p in c.params if "--out" in p.opts]
    assert outs and all("- for standard output" in text for _, text in outs), outs


def test_export_out_dev_stdout_writes_to_the_redirected_file(kehu, book, tmp_path: Path) -> None:
    # /dev/stdout is a symbolic link to whatever the shell opened: written through, the
    # link never replaced (as root a rename over it would have replaced it with a file).
    out = tmp_path / "redirected.csv"
    with out.open("wb") as fh:
        subprocess.run([sys.executable, "-m", "kehu", "export", "--table", "customers", "--out", "/dev/stdout"],
                       stdout=fh, check=True, timeout=120)
    assert out.read_bytes() == kehu("export", "--table", "customers").stdout_bytes
    assert Path("/dev/stdout").is_symlink()
