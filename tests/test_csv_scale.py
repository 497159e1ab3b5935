"""Long imports show progress on a terminal, and nothing but the summary otherwise."""

from __future__ import annotations

import pytest


def test_no_progress_bar_when_stderr_is_not_a_terminal(kehu, tmp_path):
    data = tmp_path / "c.csv"
    data.write_text("name\n华为\n中兴\n", encoding="utf-8")
    kehu("add", "小米")  # the book exists: the import's own lines alone
    r = kehu("import", str(data))
    assert r.stderr == f"{data} (customers): 2 new, 0 updated, 0 unchanged\n"


def test_progress_bar_on_a_terminal(kehu, tmp_path, monkeypatch):
    from kehu.cli import transfer

    data = tmp_path / "c.csv"
    data.write_text("name\n" + "".join(f"客户{i}\n" for i in range(2500)), encoding="utf-8")
    seen = []

    class Spy(transfer._progress):
        def __call__(self, line: int) -> None:
            seen.append(line)
            super().__call__(line)

    monkeypatch.setattr(transfer, "_progress", Spy)
    monkeypatch.setattr("kehu.cli._common.stderr_is_terminal", lambda: True)
    kehu("import", str(data))
    assert seen[0] == 2 and seen[-1] == 2501


PEAK = """
import resource, sys
from kehu.cli import main
sys.argv = ["kehu", "--db", sys.argv[1], "import", sys.argv[2]]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _touch_file(path, rows: int) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["客户名称", "日期", "方式", "备注"])
        for i in range(rows):
            w.writerow([f"客户{i % 500:03d}", f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", "daily", f"拜访记录 {i}"])


def _peak_kb(book, csv_path) -> int:
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", PEAK, str(book), str(csv_path)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return int(r.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_peak_memory_stays_flat_as_the_file_grows(kehu, tmp_path):
    customers = tmp_path / "c.csv"
    customers.write_text("客户名称\n" + "".join(f"客户{i:03d}\n" for i in range(500)), encoding="utf-8")
    peaks = {}
    for rows in (5_000, 60_000):
        book = tmp_path / f"b{rows}.db"
        kehu("--db", str(book), "import", str(customers))
        data = tmp_path / f"t{rows}.csv"
        _touch_file(data, rows)
        peaks[rows] = _peak_kb(book, data)
    # twelve times the rows, and the peak barely moves: rows stream in batches and each
    # batch looks up only its own keys (it once grew 73 → 222 MB here)
    assert peaks[60_000] < peaks[5_000] * 1.2, peaks
