"""The rescore's writes: a batch of new scores and the leads pointing at them, in two statements per batch.

PostgreSQL gets `COPY` for the scores (ids drawn from the table's sequence first) and one `UPDATE ... FROM unnest()`
for the leads; other databases (SQLite) a multi-row `INSERT ... RETURNING` and an `executemany` of one `UPDATE`.
Django's bulk_create would build a model per row and encode the JSON parts again, and bulk_update builds a CASE
per column and row; the records already hold their JSON as text. Values are adapted as the model fields adapt them.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.utils import timezone

from apps.leads.models import Lead, LeadScore
from apps.leads.scoring.record import HEADLINE_FIELDS, ScoreRecord

JSON_FIELDS = ("disqualifiers", "blocked_service_types", "stops", "qualification", "feasibility")
INSERTED = ("lead", "config_version", "inputs_hash", *HEADLINE_FIELDS, "created_at", *JSON_FIELDS)
POINTED = ("latest_score", "inputs_hash", "probability_band", "status")  # and updated_at


def _quoted(model: Any, names: tuple[str, ...]) -> str:
    return ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in names)


def _score_rows(version_id: int, fresh: list[tuple[int, str, ScoreRecord]]) -> list[tuple[Any, ...]]:
    """One tuple per new score, in INSERTED order."""
    meta, ops = LeadScore._meta, connection.ops
    fields = [meta.get_field(name) for name in HEADLINE_FIELDS]
    digits = [(f.max_digits, f.decimal_places) if f.get_internal_type() == "DecimalField" else None for f in fields]
    now = meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    rows = []
    for lead_id, inputs_hash, record in fresh:
        headline = [
            ops.adapt_decimalfield_value(getattr(record, f.name), *d) if d else getattr(record, f.name)
            for f, d in zip(fields, digits, strict=True)
        ]
        small = [
            json.dumps(list(getattr(record, name))) for name in ("disqualifiers", "blocked_service_types", "stops")
        ]
        rows.append(
            (lead_id, version_id, inputs_hash, *headline, now, *small, record.qualification, record.feasibility)
        )
    return rows


def _copy_scores(rows: list[tuple[Any, ...]]) -> list[int]:
    """PostgreSQL: draw the ids from the table's sequence, then COPY the rows in with them."""
    meta, quote = LeadScore._meta, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        columns = f"{quote(meta.pk.column)}, {_quoted(LeadScore, INSERTED)}"
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row))
    return ids


def _insert_scores(rows: list[tuple[Any, ...]]) -> list[int]:
    """Other databases: one multi-row INSERT returning the new ids (in row order, as Django's bulk_create relies on)."""
    meta, quote = LeadScore._meta, connection.ops.quote_name
    values = ", ".join(["(" + ", ".join(["%s"] * len(INSERTED)) + ")"] * len(rows))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({_quoted(LeadScore, INSERTED)}) "  # noqa: S608  (names from the model)
        f"VALUES {values} RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
        return [pk for (pk,) in cursor.fetchall()]


def insert_scores(version_id: int, fresh: list[tuple[int, str, ScoreRecord]]) -> dict[int, int]:
    """Store new scores, given as (lead id, inputs hash, record); returns {lead id: new score id}."""
    if not fresh:
        return {}
    rows = _score_rows(version_id, fresh)
    ids = _copy_scores(rows) if connection.vendor == "postgresql" else _insert_scores(rows)
    return {lead_id: pk for (lead_id, _, _), pk in zip(fresh, ids, strict=True)}


def point_leads(rows: list[tuple[int, int, str, str, str]]) -> None:
    """Point leads at their new scores: (lead id, score id, inputs hash, probability band, status) each."""
    if not rows:
        return
    meta, quote = Lead._meta, connection.ops.quote_name
    now = meta.get_field("updated_at").get_db_prep_value(timezone.now(), connection)
    table, pk, updated = quote(meta.db_table), quote(meta.pk.column), quote(meta.get_field("updated_at").column)
    columns = [quote(meta.get_field(name).column) for name in POINTED]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            assignments = ", ".join(f"{column} = v.c{i}" for i, column in enumerate(columns))
            sql = (
                f"UPDATE {table} SET {assignments}, {updated} = %s "  # noqa: S608  (names from the model)
                f"FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[]) AS v(id, c0, c1, c2, c3) "
                f"WHERE {table}.{pk} = v.id"
            )
            cursor.execute(sql, [now, *(list(column) for column in zip(*rows, strict=True))])
        else:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            sql = f"UPDATE {table} SET {assignments}, {updated} = %s WHERE {pk} = %s"  # noqa: S608
            cursor.executemany(sql, [(*row[1:], now, row[0]) for row in rows])
