"""`flush` that also works on SQLite, where emptying a table fires the append-only triggers.

Flushing is the one sanctioned way to empty the audit table (resetting a development database, and the teardown of
every transactional test, which live-server browser tests use). PostgreSQL flushes with TRUNCATE, which row triggers
do not see; SQLite flushes with DELETE, so there the triggers step aside for the flush, in the same transaction.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

_triggers = import_module("apps.audit.migrations.0002_append_only_triggers")


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        # One transaction: if the flush fails, the triggers are back as they were.
        with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
            for statement in _triggers.SQLITE_DOWN:
                cursor.execute(statement)
            super().handle(**options)
            for statement in _triggers.SQLITE_UP:
                cursor.execute(statement)
