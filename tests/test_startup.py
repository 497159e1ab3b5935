"""Start-up stays light: --help and --version import neither SQLModel nor SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sqlmodel", "sqlalchemy", "pydantic", "rich")

PROBE = """
import sys
sys.argv = {argv!r}
try:
    from kehu.cli import main
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
print("CODE=" + str(code), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [["kehu", "--help"], ["kehu", "--version"], ["kehu", "person", "--help"], ["kehu", "add", "--help"]],
)
def test_help_and_version_do_not_import_the_database_stack(argv):
    r = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
        capture_output=True, text=True, timeout=60,
    )
    assert "CODE=0" in r.stderr, r.stderr
    assert "HEAVY=\n" in r.stderr, r.stderr
    assert r.stdout


def test_version_prints_the_package_version():
    from kehu import __version__

    r = subprocess.run([sys.executable, "-m", "kehu", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == f"kehu {__version__}\n"


def test_the_probe_would_see_a_heavy_import():
    # Guard against a probe that can never fail: a real command does load the stack.
    r = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=["kehu", "list"], heavy=HEAVY)],
        capture_output=True, text=True, timeout=60,
        env={"KEHU_DB": "/nonexistent/kehu-probe.db", "PATH": "/usr/bin:/bin"},
    )
    assert "sqlalchemy" in r.stderr.split("HEAVY=")[1].split("\n")[0]
