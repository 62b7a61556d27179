"""Print (or apply) the SQL that creates the database role the portal should run as in production.

The role can read and write the portal's tables, but on the audit table it may only SELECT and INSERT: no UPDATE,
DELETE or TRUNCATE privilege, and since it does not own the table it cannot disable, drop or replace the triggers
that keep the table append-only (only an owner or a superuser can). Migrations and `flush` keep running as the
owner. Run it again after migrations that add tables (default privileges cover tables the owner creates later).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from apps.audit.models import AuditEvent

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str, database: str) -> list[str]:
    quote = connection.ops.quote_name
    audit = quote(AuditEvent._meta.db_table)
    role, database = quote(role), quote(database)
    return [
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # The audit table: read and append, nothing else.
        f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {audit} FROM {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
    ]


class Command(BaseCommand):
    help = "Print, or with --apply run as the table owner, the SQL creating the restricted role the portal runs as."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("role", help="Role name, e.g. portal_app (lowercase letters, digits, underscores).")
        parser.add_argument("--password", default="", help="Create the role with LOGIN and this password.")
        parser.add_argument("--apply", action="store_true", help="Run the SQL now instead of printing it.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The restricted role is for PostgreSQL; SQLite has no roles.")
        role = options["role"]
        if not _ROLE.match(role):
            raise CommandError("Role names are lowercase letters, digits and underscores.")
        statements = grant_statements(role, connection.settings_dict["NAME"])
        if not options["apply"]:
            login = " LOGIN PASSWORD '<password>'" if options["password"] else ""
            self.stdout.write(f"CREATE ROLE {connection.ops.quote_name(role)} NOINHERIT{login};")
            self.stdout.write("\n".join(f"{statement};" for statement in statements))
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                login = " LOGIN PASSWORD %s" if options["password"] else ""
                params = [options["password"]] if options["password"] else None
                cursor.execute(f"CREATE ROLE {connection.ops.quote_name(role)} NOINHERIT{login}", params)
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Role {role} can use the portal's tables and only read and append audit events.")
