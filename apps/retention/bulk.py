"""The nightly run's writes: a batch's stored scores (or snapshots) in one statement, whatever the batch size.

On PostgreSQL the batch travels as one JSON document, unpacked by `jsonb_to_recordset` into one
`INSERT ... SELECT ... ON CONFLICT DO UPDATE`. Why not Django's `bulk_create(update_conflicts=True)`: on PostgreSQL
it sends each column as an array, and psycopg quotes every element of a text array in Python (a regular expression
over each row's ~6 KB of JSON), which cost more than scoring the customer. One JSON document is encoded by the json
module's C encoder and quoted once. The stored values are the same: each JSON column receives the same value
(`jsonb` keeps no formatting), and each other column is cast from its text form by its own column type.

Other databases (SQLite): Django's `bulk_create(update_conflicts=True)`, also one multi-row statement.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models


def _encode(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into the batch document.")


def _column(field: models.Field) -> str:
    return connection.ops.quote_name(field.column)


def upsert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, unique: list[str], update: list[str]) -> int:
    """Insert these rows (dicts keyed by field attname), or update `update` where `unique` already exists."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model._default_manager.bulk_create(objects, update_conflicts=True, unique_fields=unique, update_fields=update)
        return len(objects)
    meta = model._meta
    fields = [meta.get_field(name) for name in rows[0]]
    columns = ", ".join(_column(f) for f in fields)
    # The document's keys are attnames (customer_id); jsonb_to_recordset matches them by name.
    record = ", ".join(f"{connection.ops.quote_name(f.attname)} {f.db_type(connection)}" for f in fields)
    selected = ", ".join(connection.ops.quote_name(f.attname) for f in fields)
    conflict = ", ".join(_column(meta.get_field(name)) for name in unique)
    assignments = ", ".join(f"{_column(f)} = EXCLUDED.{_column(f)}" for f in map(meta.get_field, update))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608  (names from the model)
        f"SELECT {selected} FROM jsonb_to_recordset(%s::jsonb) AS r({record}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {assignments}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(list(rows), default=_encode, separators=(",", ":"))])
        return cursor.rowcount
