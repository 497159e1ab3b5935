"""`python -m kehu`: the same as the `kehu` command."""

from kehu.entry import main

main()
