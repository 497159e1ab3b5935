"""Every test runs against a book in its own temporary folder, in English, piped output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli import app


@pytest.fixture(autouse=True)
def isolated_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test can touch a real book: KEHU_DB points into tmp_path, the app dir too."""
    book = tmp_path / "book" / "kehu.db"
    monkeypatch.setenv("KEHU_DB", str(book))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KEHU_LANG", "en")
    for var in ("KEHU_TTY", "KEHU_TODAY", "KEHU_DEBUG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    return book


class Kehu:
    """Run kehu in-process the way a user types it; returns the click Result."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int | None = 0, env: dict | None = None):
        result = self.runner.invoke(app, list(args), env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if code is not None:
            assert result.exit_code == code, (
                f"kehu {' '.join(args)} exited {result.exit_code}, expected {code}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}"
            )
        return result

    def json(self, *args: str):
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def kehu() -> Kehu:
    return Kehu()


@pytest.fixture
def umask022():
    """The usual umask, under which files are world-readable unless kehu sees to it."""
    import os

    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)
