"""`field__in_array=[...]`: membership in a list of ids, sent to PostgreSQL as one array parameter (`= ANY(%s)`).

Why: psycopg splits a statement at its placeholders in Python, and the loader's `__in` filters carry a batch's
1,000 ids each: parsing those placeholders and preparing each id cost about as much Python time as scoring the
customers. One array parameter is adapted in C. Other databases (SQLite) get the usual `IN (%s, ...)`.
Registered on every field and relation in `RetentionConfig.ready()`; only the retention app's set-based reads use it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Lookup


class InArray(Lookup):
    lookup_name = "in_array"
    prepare_rhs = False

    def _sides(self, compiler: Any, connection: Any) -> tuple[str, list[Any], list[int]]:
        lhs, params = self.process_lhs(compiler, connection)
        return lhs, list(params), [int(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params, ids = self._sides(compiler, connection)
        if not ids:
            return "1 = 0", params  # an empty batch matches nothing, as `__in=[]` would
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params, ids = self._sides(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*params, ids]
