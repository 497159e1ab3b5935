"""The store: read rows into the plain values the rules take, and write decisions back.

One module per domain (customers, people, touchpoints, promises, stages, trust, tiers,
followups, contracts, negotiation, ownership and team, settings), plus common for what
they share; callers import the module they need (``from kehu.store import customers``).
Every function takes the open Session of the command's one transaction. Queries are
SQLAlchemy expressions only (portable to PostgreSQL); nothing here commits.
"""
