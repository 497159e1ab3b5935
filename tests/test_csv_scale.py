"""Long imports show progress on a terminal, and nothing but the summary otherwise."""

from __future__ import annotations


def test_no_progress_bar_when_stderr_is_not_a_terminal(kehu, tmp_path):
    data = tmp_path / "c.csv"
    data.write_text("name\n华为\n中兴\n", encoding="utf-8")
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
