"""The `kehu` command's entry point, and `python -m kehu`'s.

`kehu --version` is answered here, before Typer is imported (about 30 ms of the 40 ms
kehu's command line takes to load), and so is a shell's completion of a customer name
(`kehu.completion`); everything else goes to `kehu.cli.main`.
"""

import os
import sys

from kehu import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"kehu {__version__}\n")  # what the root's --version option prints
        return
    if "_KEHU_COMPLETE" in os.environ:  # a Tab in the shell
        from kehu.completion import answer

        code = answer()
        if code is not None:
            raise SystemExit(code)
    from kehu.cli import main as cli_main

    cli_main()
