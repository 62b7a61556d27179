from __future__ import annotations

from apps.notifications import services


def deliver_message(message_id: int) -> bool:
    return services.deliver(message_id=message_id)


def deliver_due_messages() -> int:
    """Retry what is due (backoff elapsed) and rescue claims a dead worker left behind. Safe to run any time."""
    return sum(services.deliver(message_id=pk) for pk in services.due_message_ids())
