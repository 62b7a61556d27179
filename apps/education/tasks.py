"""Background work of the education app: thin, safe to run twice (each item is claimed before it is sent)."""

from __future__ import annotations

from apps.education import services


def send_due_items() -> int:
    """Queue the message of every plan item whose time has come. Returns how many were queued."""
    return sum(services.send_item(item_id=pk) for pk in services.due_item_ids())
