"""What readers do, recorded for the content team: searches, result clicks and "Was this helpful?" votes.

- :mod:`.store`: the database (``KB_DATABASE_URL``: SQLite by default,
  PostgreSQL for several servers), its tables, migrations and pruning;
- :mod:`.recorder`: a bounded queue and one writer thread per process, so a
  request never waits for the database;
- :mod:`.insights`: the aggregated figures ``kb insights`` and ``/insights`` show.

No IP address, user agent or cookie is ever stored.
"""
