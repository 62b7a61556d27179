"""Data at scale for benchmarks (`manage.py seed_scale`): bulk writers and one builder per area.

Not the demo: rows are written with COPY (PostgreSQL) or multi-row inserts, never through the services one by one,
but every value that a rule derives (lead scores, evidence scores, milestone statuses, health) comes from the same
pure rules the services use, so the pages show what the portal would have computed.
"""
