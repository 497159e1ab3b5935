"""The clock-shift plugin (tests/_clockshift.py) itself: a shifted run moves the test
process and the kehu processes it starts by the same days, and a run that cannot shift
stops rather than pass on the real clock. Each case runs pytest (or Python) in a child
with an environment of its own, so it holds whether or not this run is itself shifted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import _clockshift

TESTS = Path(__file__).parent

INNER = '''
import json, os, subprocess, sys
from datetime import datetime, timedelta, timezone

import time_machine

DAYS = {days}
SLACK = timedelta(minutes=10)


def test_this_process_and_a_kehu_child_see_the_shifted_clock(tmp_path):
    assert time_machine.escape_hatch.is_travelling()
    real = datetime.fromtimestamp(time_machine.escape_hatch.time.time(), timezone.utc)
    now = datetime.now(timezone.utc)
    assert abs(now - real - timedelta(days=DAYS)) < SLACK, (now, real)
    env = {{k: v for k, v in os.environ.items() if not k.startswith("KEHU_")}}
    env.update(KEHU_DB=str(tmp_path / "b.db"), KEHU_LANG="en", HOME=str(tmp_path))
    assert "kehu-clockshift-" in env["PYTHONPATH"]
    subprocess.run([sys.executable, "-m", "kehu", "add", "X"], env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-m", "kehu", "history", "X", "--json"], env=env, check=True,
                         capture_output=True, text=True).stdout
    at = datetime.fromisoformat(json.loads(out)[0]["at"])
    assert abs(at - datetime.now(timezone.utc)) < SLACK, (at, now)
    assert abs(at - real - timedelta(days=DAYS)) < SLACK, (at, real)
'''


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This environment without this run's own shift (its sitecustomize folder) and with
    the tests folder importable, so the plugin loads as `-p _clockshift`."""
    ours = _clockshift.child_env().get("PYTHONPATH", "").split(os.pathsep)[:1]
    path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p not in ours]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", _clockshift.VAR)}
    env.update(PYTHONPATH=os.pathsep.join([*extra.pop("first", "").split(os.pathsep), str(TESTS), *path]).strip(
        os.pathsep), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", **extra)
    return env


def run_pytest(tmp_path: Path, env: dict[str, str], *plugins: str) -> subprocess.CompletedProcess:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    args = [arg for p in ("_clockshift", *plugins) for arg in ("-p", p)]
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args,
                           "-c", str(tmp_path / "pytest.ini"), str(tmp_path / "test_inner.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("days", [365, -400])
def test_a_shifted_run_moves_the_test_process_and_its_kehu_children(tmp_path, days):
    (tmp_path / "test_inner.py").write_text(INNER.format(days=days), encoding="utf-8")
    r = run_pytest(tmp_path, clean_env(tmp_path, **{_clockshift.VAR: str(days)}), "time_machine")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout
    assert f"kehu clock: shifted {days:+d} days" in r.stdout


def test_the_inner_check_fails_on_the_real_clock(tmp_path):
    # Guard: the same inner test run without the variable fails, so it can see a shift
    # that did not happen.
    (tmp_path / "test_inner.py").write_text(INNER.format(days=365).replace(
        "    assert time_machine.escape_hatch.is_travelling()\n",
        "    time_machine.travel(datetime.now(timezone.utc), tick=True).start()\n"), encoding="utf-8")
    r = run_pytest(tmp_path, clean_env(tmp_path), "time_machine")
    assert r.returncode == 1 and "1 failed" in r.stdout, r.stdout + r.stderr


@pytest.fixture
def without_time_machine(tmp_path: Path) -> Path:
    """A folder that, put first on PYTHONPATH, makes `import time_machine` fail."""
    folder = tmp_path / "blocked"
    folder.mkdir()
    (folder / "time_machine.py").write_text('raise ImportError("hidden by the test")\n', encoding="utf-8")
    return folder


def test_a_shifted_run_without_time_machine_stops_at_once(tmp_path, without_time_machine):
    (tmp_path / "test_inner.py").write_text("def test_nothing():\n    pass\n", encoding="utf-8")
    r = run_pytest(tmp_path, clean_env(tmp_path, first=str(without_time_machine), **{_clockshift.VAR: "365"}))
    assert r.returncode == pytest.ExitCode.USAGE_ERROR, r.stdout + r.stderr
    assert f"{_clockshift.VAR}=365 moves the clock with time-machine, which is not installed" in r.stderr
    assert "passed" not in r.stdout


def test_a_child_that_cannot_shift_stops_at_once(tmp_path, without_time_machine):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_clockshift.SITECUSTOMIZE.format(days=365, var=_clockshift.VAR))
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{without_time_machine}"}
    r = subprocess.run([sys.executable, "-m", "kehu", "--version"], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 70 and r.stdout == ""
    assert f"{_clockshift.VAR}=365 but this Python cannot import time-machine" in r.stderr


def test_a_bad_shift_is_a_usage_error(tmp_path):
    (tmp_path / "test_inner.py").write_text("def test_nothing():\n    pass\n", encoding="utf-8")
    r = run_pytest(tmp_path, clean_env(tmp_path, **{_clockshift.VAR: "a year"}))
    assert r.returncode == pytest.ExitCode.USAGE_ERROR
    assert f"{_clockshift.VAR} must be a whole number of days, not 'a year'" in r.stderr


def test_ci_runs_the_sqlite_pass_a_year_ahead_and_the_postgresql_pass_on_the_real_clock():
    lines = (TESTS.parent / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    sqlite_pass = 'KEHU_TEST_CLOCK_SHIFT_DAYS=365 bash -euo pipefail -c "${TESTS//.venv/$tmp/tests-venv}"'
    assert sqlite_pass in lines
    [pg_pass] = [line for line in lines if line.startswith("KEHU_TEST_BACKEND=postgresql")]
    assert _clockshift.VAR not in pg_pass
    assert not [line for line in lines if line.startswith("export") and _clockshift.VAR in line]
