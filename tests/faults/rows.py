"""Row counts of every table of the project, in one query: before and after a refused request they must agree."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

# Tables a refused request may rightly touch: the session (a login, a flash message) and django-q2's queue.
IGNORED = {"django_session", "django_q_ormq", "django_q_task", "django_q_schedule"}


def _query() -> str:
    quote = connection.ops.quote_name
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)} - IGNORED)
    return " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables)


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(_query())
        return dict(cursor.fetchall())


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {table: (before[table], after[table]) for table in before if before[table] != after[table]}
