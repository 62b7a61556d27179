from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from apps.audit.models import AppendOnlyError, AuditEvent
from apps.core.request_context import current_request_info


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    # Decimals, dates and UUIDs become strings exactly as they would in an export.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _role_of(actor: Any) -> str:
    if actor is None:
        return "system"
    if getattr(actor, "is_superuser", False):
        return "admin"
    return "staff" if getattr(actor, "is_staff", False) else "client"


def _event(
    *,
    action: str,
    obj: models.Model,
    actor: Any,
    data: dict[str, Any] | None,
    customer_id: int | None,
    actor_label: str,
) -> AuditEvent:
    info = current_request_info()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent(
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else "system"),
        actor_role=_role_of(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        customer_id=customer_id,
        ip=info.ip,
        user_agent=info.user_agent,
        request_id=info.request_id,
        data=_json_safe(data or {}),
    )


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise AppendOnlyError("record_event must run inside the transaction of the change it records.")


def record_event(
    *,
    action: str,
    obj: models.Model,
    actor: Any = None,
    data: dict[str, Any] | None = None,
    customer_id: int | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Write one audit event. Call it inside the transaction of the change it records, so both land or neither."""
    event = _event(action=action, obj=obj, actor=actor, data=data, customer_id=customer_id, actor_label=actor_label)
    _require_transaction()
    event.save(force_insert=True)
    return event


def record_events(
    *,
    action: str,
    entries: Sequence[tuple[models.Model, int | None, dict[str, Any]]],
    actor: Any = None,
    actor_label: str = "",
) -> list[AuditEvent]:
    """Write one event per (object, customer id, data) entry in one INSERT: a batch job's many changes of one kind.

    Each row is the one `record_event` would write for that entry; same rule: inside the change's transaction.
    """
    events = [
        _event(action=action, obj=obj, actor=actor, data=data, customer_id=customer_id, actor_label=actor_label)
        for obj, customer_id, data in entries
    ]
    _require_transaction()
    return AuditEvent.objects.bulk_create(events)
