"""Run the suite with the clock moved: ``KEHU_TEST_CLOCK_SHIFT_DAYS=365 pytest``.

No test's verdict may depend on the day it runs (one passed on 2026-11-23 and failed
from 2026-11-26 on). With the variable set, this plugin (loaded from conftest.py) moves
the wall clock by that many days, ticking, for the whole session:

- in the test process, with time-machine, from pytest_configure to the end;
- in every Python process a test starts (kehu itself, crash and race workers, the
  other-user runs through setpriv), through a ``sitecustomize.py`` in a folder of its own
  put first on PYTHONPATH in ``os.environ``, which children inherit. Each process moves
  its own clock once, from its own real time, so parent and children agree; a test that
  builds a child's environment from scratch takes ``child_env()`` into it.

``.ci/run`` runs the SQLite pass a year ahead. Only the wall clock moves (time.time,
datetime.now, date.today, localtime); monotonic clocks, file times and the database
server's clock do not. Without time-machine the run stops at once rather than pass
unshifted; a child whose Python cannot import it exits 70 with the reason.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from datetime import datetime, timedelta, UTC
from pathlib import Path

import pytest

VAR = "KEHU_TEST_CLOCK_SHIFT_DAYS"

# The children's sitecustomize. The shift is written into the file rather than read from
# the environment, because some tests start kehu with every KEHU_* variable removed.
SITECUSTOMIZE = '''\
"""Written by tests/_clockshift.py: this process's wall clock runs {days} days off."""
import sys

SHIFT_DAYS = {days}


def _shift():
    # time-machine imports pytest and dateutil when it can; a child needs neither (and
    # kehu's start-up tests count what `kehu --help` imports), so both are hidden here.
    hidden = {{m: sys.modules.get(m) for m in ("pytest", "dateutil")}}
    sys.modules.update(dict.fromkeys(hidden))
    try:
        import time_machine
    except ImportError as exc:
        sys.stderr.write(f"kehu tests: {var}={{SHIFT_DAYS}} but this Python cannot import "
                         f"time-machine ({{exc}}); pip install -e '.[test]'\\n")
        import os
        os._exit(70)
    finally:
        for name, module in hidden.items():
            if module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module
    from datetime import datetime, timedelta, timezone

    time_machine.travel(datetime.now(timezone.utc) + timedelta(days=SHIFT_DAYS), tick=True).start()
    sys._kehu_clock_shift_days = SHIFT_DAYS


def _chain():
    # The sitecustomize this one hides (Debian's, say) still runs.
    import importlib.machinery
    import importlib.util
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


# Once per process: a pytest started by a shifted pytest (an xdist worker, a test's
# inner run) inherits its parent's folder on PYTHONPATH; a second kehu sitecustomize
# found while chaining must neither shift again nor chain back into the first.
if not hasattr(sys, "_kehu_clock_shift_days"):
    _shift()
    _chain()
'''


def shift_days() -> int:
    """The shift asked for (0 when the variable is unset or empty)."""
    raw = os.environ.get(VAR, "").strip()
    if not raw:
        return 0
    try:
        return int(raw)
    except ValueError:
        raise pytest.UsageError(f"{VAR} must be a whole number of days, not {raw!r}") from None


_state: dict = {}


def child_env() -> dict[str, str]:
    """What a child's environment built from scratch must carry to run on the shifted
    clock too (empty when the clock is not shifted)."""
    return {"PYTHONPATH": os.environ["PYTHONPATH"]} if "folder" in _state or "inherited" in _state else {}


def pytest_configure(config: pytest.Config) -> None:
    days = shift_days()
    if not days:
        return
    try:
        import time_machine
    except ImportError as exc:
        raise pytest.UsageError(
            f"{VAR}={days} moves the clock with time-machine, which is not installed ({exc}): "
            "pip install -e '.[test]'") from None
    import sys

    if getattr(sys, "_kehu_clock_shift_days", None) == days:
        # Started by a shifted pytest (an xdist worker): its sitecustomize moved this
        # clock, and its folder on PYTHONPATH already moves every child's.
        _state["inherited"] = True
        return
    folder = Path(tempfile.mkdtemp(prefix="kehu-clockshift-"))
    # Readable by everyone: the other-user tests run kehu as uid 65534.
    folder.chmod(0o755)
    site = folder / "sitecustomize.py"
    site.write_text(SITECUSTOMIZE.format(days=days, var=VAR), encoding="utf-8")
    site.chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    _state["folder"] = folder
    _state["pythonpath"] = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), _state["pythonpath"]) if p)
    # From the real clock, never from one a parent pytest already moved (by another number
    # of days): this process lands where its children's sitecustomize puts them.
    hatch = time_machine.escape_hatch
    real_now = datetime.fromtimestamp(hatch.time.time() if hatch.is_travelling() else time.time(), UTC)
    traveller = time_machine.travel(real_now + timedelta(days=days), tick=True)
    traveller.start()
    _state["traveller"] = traveller


def pytest_report_header(config: pytest.Config) -> str | None:
    days = shift_days()
    if not days:
        return None
    return f"kehu clock: shifted {days:+d} days (now {datetime.now():%Y-%m-%d %H:%M}; {VAR})"


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = _state.pop("traveller", None)
    if traveller is not None:
        traveller.stop()
    folder = _state.pop("folder", None)
    if folder is not None:
        old = _state.pop("pythonpath", None)
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
