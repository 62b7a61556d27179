"""`flush` that empties the append-only audit table too, as the table's owner.

Flushing is the one sanctioned way to empty the audit table (resetting a development database, and the teardown of
every transactional test, which live-server browser tests use). SQLite flushes with DELETE, which the row triggers
refuse; PostgreSQL flushes with TRUNCATE, which the statement trigger refuses. So the triggers step aside for the
flush, in the same transaction: if the flush fails, they are back as they were. Only the table's owner may do this;
the restricted role the portal runs as in production (`manage.py restricted_db_role`) cannot.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

_triggers = import_module("apps.audit.migrations.0002_append_only_triggers")
POSTGRES_ASIDE = "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate;"
POSTGRES_BACK = "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate;"


def _statements(vendor: str) -> tuple[list[str], list[str]]:
    if vendor == "sqlite":
        return _triggers.SQLITE_DOWN, _triggers.SQLITE_UP
    if vendor == "postgresql":
        return [POSTGRES_ASIDE], [POSTGRES_BACK]
    return [], []


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        aside, back = _statements(connection.vendor)
        if connection.vendor == "postgresql" and not _has_truncate_trigger(connection):
            aside, back = [], []  # a database migrated before 0003 (or not yet migrated)
        with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
            for statement in aside:
                cursor.execute(statement)
            super().handle(**options)
            for statement in back:
                cursor.execute(statement)


def _has_truncate_trigger(connection: Any) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'audit_event_no_truncate'")
        return cursor.fetchone() is not None
