"""Pure domain rules: stages, trust. Standard library only; ``now`` is a parameter.

Nothing here touches a database, a terminal or the clock: every function takes plain
values and returns a decision with its reasons, so it can be tested as a table.
"""
