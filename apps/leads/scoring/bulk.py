"""The rescore's writes: a batch of new scores and the leads pointing at them, in two statements per batch.

PostgreSQL gets a streamed `COPY` for the scores (ids drawn from the table's sequence first) and one
`UPDATE ... FROM unnest()` for the leads; other databases (SQLite) a multi-row `INSERT ... RETURNING` and an
`executemany` of one `UPDATE`.
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


class ScoreWriter:
    """Writes a batch's new scores; `ids` maps lead id to new score id once the `with` block ends.

    On PostgreSQL the ids are drawn from the table's sequence up front and each row goes into a `COPY` as soon as
    it is added, so the server parses one lead's JSON while Python scores the next (both cores at work). Elsewhere
    the rows are kept and inserted at the end with one multi-row `INSERT ... RETURNING`.
    """

    def __init__(self, version_id: int, count: int) -> None:
        meta = LeadScore._meta
        self.version_id, self.count, self.ids = version_id, count, {}
        self.fields = [meta.get_field(name) for name in HEADLINE_FIELDS]
        self.digits = [
            (f.max_digits, f.decimal_places) if f.get_internal_type() == "DecimalField" else None for f in self.fields
        ]
        self.now = meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
        self.copying = connection.vendor == "postgresql" and count > 0
        self.rows: list[tuple[Any, ...]] = []
        self.lead_ids: list[int] = []

    def __enter__(self) -> ScoreWriter:
        if self.copying:
            meta, quote = LeadScore._meta, connection.ops.quote_name
            self.cursor = connection.cursor()
            self.cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, self.count],
            )
            self.free_ids = [pk for (pk,) in self.cursor.fetchall()]
            columns = f"{quote(meta.pk.column)}, {_quoted(LeadScore, INSERTED)}"
            self.copy_block = self.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN")
            self.copy = self.copy_block.__enter__()
        return self

    def add(self, lead_id: int, inputs_hash: str, record: ScoreRecord) -> None:
        ops = connection.ops
        headline = [
            ops.adapt_decimalfield_value(getattr(record, f.name), *d) if d else getattr(record, f.name)
            for f, d in zip(self.fields, self.digits, strict=True)
        ]
        small = [
            json.dumps(list(getattr(record, name))) for name in ("disqualifiers", "blocked_service_types", "stops")
        ]
        row = (
            lead_id,
            self.version_id,
            inputs_hash,
            *headline,
            self.now,
            *small,
            record.qualification,
            record.feasibility,
        )
        if self.copying:
            pk = self.free_ids[len(self.ids)]
            self.copy.write_row((pk, *row))
            self.ids[lead_id] = pk
        else:
            self.rows.append(row)
            self.lead_ids.append(lead_id)

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if self.copying:
            try:
                self.copy_block.__exit__(kind, error, trace)
            finally:
                self.cursor.close()
        elif self.rows and kind is None:
            self.ids = dict(zip(self.lead_ids, _insert_scores(self.rows), strict=True))


def _insert_scores(rows: list[tuple[Any, ...]]) -> list[int]:
    """One multi-row INSERT returning the new ids (in row order, as Django's bulk_create relies on)."""
    meta, quote = LeadScore._meta, connection.ops.quote_name
    values = ", ".join(["(" + ", ".join(["%s"] * len(INSERTED)) + ")"] * len(rows))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({_quoted(LeadScore, INSERTED)}) "  # noqa: S608  (names from the model)
        f"VALUES {values} RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
        return [pk for (pk,) in cursor.fetchall()]


# PostgreSQL array literals, written directly: psycopg adapts a list element by element, which cost more than the
# update itself. The literals are cast to bigint[] and text[] in the statement.
def _int_array(values: tuple[int, ...]) -> str:
    return "{" + ",".join(map(str, map(int, values))) + "}"


def _text_array(values: tuple[str, ...]) -> str:
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


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
            ids, score_ids, *texts = zip(*rows, strict=True)
            cursor.execute(sql, [now, _int_array(ids), _int_array(score_ids), *(_text_array(t) for t in texts)])
        else:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            sql = f"UPDATE {table} SET {assignments}, {updated} = %s WHERE {pk} = %s"  # noqa: S608
            cursor.executemany(sql, [(*row[1:], now, row[0]) for row in rows])
