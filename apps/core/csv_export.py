"""Every CSV the portal sends goes through here, so no cell runs as a spreadsheet formula.

A spreadsheet treats a cell that starts with = + - @ (and, in some programs, a tab or carriage return before one
of them) as a formula: `=HYPERLINK(...)` typed into a lead's name would run on the CSM's machine. Such a cell gets a
leading apostrophe, which spreadsheets show as text. Numbers the portal itself computed (a negative refund, a score)
stay numbers. Use `writer(file)` in place of `csv.writer(file)`; `stream(rows)` feeds a StreamingHttpResponse.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as it should go into a CSV cell: text that would start a formula is prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _GuardedWriter:
    def __init__(self, target: Any) -> None:
        self._writer = csv.writer(target)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(target: Any) -> _GuardedWriter:
    """csv.writer whose every cell is guarded."""
    return _GuardedWriter(target)


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Guarded CSV lines one at a time, for a StreamingHttpResponse over a large queryset."""
    guarded = writer(_Echo())
    return (guarded.writerow(row) for row in rows)
