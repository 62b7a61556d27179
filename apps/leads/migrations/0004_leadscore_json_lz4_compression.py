"""Compress the two explanation columns of `LeadScore` with lz4 instead of pglz on PostgreSQL (issue 15).

Every score stores about 8 KB of JSON; with pglz, compressing it was about 40% of the server's work in a rescore
(docs/performance.md, "Lead rescoring"). lz4 compresses about as well for a fraction of the CPU. The stored values
are the same: only new values are compressed the new way, and PostgreSQL reads either. Nothing to do on SQLite, or
on a PostgreSQL older than 14 or built without lz4.
"""

from django.db import migrations

COLUMNS = ("qualification", "feasibility")


def _lz4_available(schema_editor) -> bool:
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cursor.fetchone()
    return bool(row and row[0])


def _set_compression(schema_editor, method: str) -> None:
    if not _lz4_available(schema_editor):
        return
    quote = schema_editor.quote_name
    columns = ", ".join(f"ALTER COLUMN {quote(column)} SET COMPRESSION {method}" for column in COLUMNS)
    schema_editor.execute(f"ALTER TABLE {quote('leads_leadscore')} {columns}")


def use_lz4(apps, schema_editor):
    _set_compression(schema_editor, "lz4")


def use_default(apps, schema_editor):
    _set_compression(schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [("leads", "0003_admin_labels")]

    operations = [migrations.RunPython(use_lz4, use_default, elidable=False)]
