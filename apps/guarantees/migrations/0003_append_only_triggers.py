"""Refuse UPDATE and DELETE on evidence versions and sign-offs in PostgreSQL itself, not only in Python.

PostgreSQL only: its `flush` (test teardown, resetting a database) uses TRUNCATE, which row triggers do not see,
while SQLite's DELETE-based flush would trip them. On SQLite (development) the models' own guards apply.
"""

from django.db import migrations

TABLES = ["guarantees_evidence", "guarantees_signoff"]


def _postgres_up(table):
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION guarantees_append_only();"
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION guarantees_append_only();"
    )


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION guarantees_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(_postgres_up(table), params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op} ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS guarantees_append_only();")


class Migration(migrations.Migration):
    dependencies = [("guarantees", "0002_seed_configuration")]
    operations = [migrations.RunPython(forwards, backwards)]
