"""Bulk writes with ids known up front: COPY on PostgreSQL, `executemany` of one INSERT elsewhere (SQLite).

Ids are drawn before the rows are written (PostgreSQL: from the table's own sequence, so a concurrent insert never
collides), which lets a builder wire foreign keys between tables without reading anything back. Model defaults,
`auto_now` and `auto_now_add` columns are filled in when a row leaves them out; unlike `bulk_create`, a value given
for an `auto_now_add` column is kept (the seed dates its history).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

Row = dict[str, Any]


class RawJson(str):
    """JSON already written as text (a lead score's parts): stored as is, not encoded again."""


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`."""
    if count <= 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({meta.pk.column}), 0) FROM {meta.db_table}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):
        return lambda value: value if isinstance(value, RawJson) else json.dumps(value, cls=DjangoJSONEncoder)
    if connection.vendor == "postgresql":
        return None  # psycopg adapts dates, datetimes and Decimals itself
    if isinstance(field, models.DateTimeField | models.DateField | models.TimeField | models.DecimalField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _fallbacks(fields: list[models.Field]) -> dict[str, Any]:
    now, values = timezone.now(), {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values[field.attname] = now if isinstance(field, models.DateTimeField) else timezone.localdate()
        elif field.has_default() or field.null:
            values[field.attname] = field.get_default()
        elif isinstance(field, models.CharField | models.TextField) and field.blank:
            values[field.attname] = ""
    return values


def insert(model: type[models.Model], rows: Iterable[Row]) -> int:
    """Write rows (dicts keyed by attname, the primary key included); returns how many were written."""
    fields = [f for f in model._meta.concrete_fields]
    fallback = _fallbacks(fields)
    converters = [(f.attname, _converter(f)) for f in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)

    def values(row: Row) -> tuple[Any, ...]:
        out = []
        for name, convert in converters:
            value = row[name] if name in row else fallback[name]
            out.append(convert(value) if convert and value is not None else value)
        return tuple(out)

    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    written += 1
        else:
            marks = ", ".join(["%s"] * len(fields))
            batch = [values(row) for row in rows]
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)  # noqa: S608
            written = len(batch)
    return written


class IdPool:
    """Ids drawn in blocks, for builders that need a few at a time (a round trip per guarantee would add up)."""

    def __init__(self, block: int = 5000) -> None:
        self.block, self.free = block, {}

    def take(self, model: type[models.Model], count: int) -> list[int]:
        free = self.free.setdefault(model, [])
        if len(free) < count:
            # On SQLite the next block starts after the last one handed out, not after MAX(id).
            drawn = next_ids(model, max(count, self.block))
            if connection.vendor != "postgresql" and free:
                drawn = list(range(free[-1] + 1, free[-1] + 1 + len(drawn)))
            free.extend(drawn)
        taken, self.free[model] = free[:count], free[count:]
        return taken
