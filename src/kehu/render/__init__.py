"""What commands show, one module per domain, built from the blocks in ``blocks``.

Nothing here prints and nothing here reads the book: a command gets rows and rule
decisions from ``kehu.store``, turns them into blocks (Grid, Fields, Lines) or JSON-ready
dicts with the domain's module (``kehu.render.customers``, ``kehu.render.contracts``...)
and hands them to ``kehu.cli._common``, which prints them. Render never imports the store
or the book.
"""
