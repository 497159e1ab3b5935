"""`python -m kehu`: the same as the `kehu` command."""

from kehu.cli import main

main()
