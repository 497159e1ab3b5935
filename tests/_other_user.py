"""Running kehu as another, non-root user (uid 65534) from a suite that runs as root.

Root ignores file modes, so a suite run as root cannot see a permission defect (a book
its owner made read-only was written that way). When the suite runs as root, these
helpers run kehu as uid 65534 through `setpriv`. That needs the Python running the tests
and its installed kehu to be readable by that user: CI opens its test virtualenv to
others for this (.ci/run). Where that is not so (say a virtualenv under root's own
0700 home), the tests that need it are skipped with a loud reason instead of failing,
unless KEHU_TEST_OTHER_USER=required (CI sets it): then they run, and fail.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys

import pytest

UID = 65534


@functools.cache
def why_not() -> str | None:
    """None when kehu can run as uid 65534 here, else why it cannot."""
    if os.geteuid() != 0:
        return "the suite does not run as root (so it already runs without root's privileges)"
    if shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed"
    probe = subprocess.run(as_other_user([sys.executable, "-c", "import kehu.cli"]), cwd="/",
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return (f"uid {UID} cannot run {sys.executable} with kehu ({last}); make the virtualenv "
                "readable by others, as .ci/run does, to run these checks")
    return None


def as_other_user(cmd: list[str]) -> list[str]:
    return ["setpriv", f"--reuid={UID}", f"--regid={UID}", "--clear-groups", *cmd]


def needed() -> pytest.MarkDecorator:
    """The mark of a test that runs kehu as uid 65534."""
    required = os.environ.get("KEHU_TEST_OTHER_USER") == "required"
    return pytest.mark.skipif(not required and why_not() is not None,
                              reason=f"LOUD: cannot run kehu as another user: {why_not()}")
