"""CSV import and export: the files salespeople really have, and files Excel opens safely.

Import streams: bytes → decoded text → csv records (with the physical line each starts
on) → values parsed per column (``read``, which needs no database) → matched against
the book and checked with the same validation models the commands use → batched
SQLAlchemy Core writes, all inside the command's one transaction (``importer``, on
``matching`` and ``bulk``). ``columns`` describes the files of both directions;
``export`` writes them.
"""
