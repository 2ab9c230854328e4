"""The institution's central service: receives every clinic's records, hands out master data.

Layers, as in the clinic program: ``api`` (FastAPI routers, HTTP only) → ``services``
(rules, one transaction per call) → ``db`` (SQLAlchemy tables; SQLite embedded by
default, PostgreSQL by URL). No state is kept in memory between requests.
"""
