"""The long tails: 20 audit events and 50 outbox messages per customer, spread over the past year."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.scale.people import Book, client_email
from apps.core.scale.writer import insert, next_ids
from apps.notifications.models import OutboxMessage

EVENTS_PER_CUSTOMER = 20
MESSAGES_PER_CUSTOMER = 50
# (action, about a stakeholder?) cycled through; each is a story the customer page's timeline tells.
ACTIONS = [
    ("customer.created", False),
    ("stakeholder.added", True),
    ("stakeholder.added", True),
    ("stakeholder.added", True),
    ("stakeholder.invited", True),
    ("stakeholder.invite_accepted", True),
    ("customer.updated", False),
    ("survey.sent", False),
    ("customer.status_derived", False),
    ("stakeholder.updated", True),
]


def build_audit(book: Book, csm_emails: dict[int, str]) -> dict[str, int]:
    now = timezone.now()
    n = len(book.indexes) * EVENTS_PER_CUSTOMER
    ids = iter(next_ids(AuditEvent, n))

    def rows() -> Any:
        for i in book.indexes:
            customer_id, owner = book.customer_ids[i], book.owner_ids[i]
            for k in range(EVENTS_PER_CUSTOMER):
                action, about_person = ACTIONS[k % len(ACTIONS)]
                person = book.stakeholder_ids[i][k % 3]
                yield {
                    "id": next(ids),
                    "actor_id": owner,
                    "actor_label": csm_emails[owner],
                    "actor_role": "csm",
                    "action": action,
                    "object_type": "customers.stakeholder" if about_person else "customers.customer",
                    "object_id": str(person if about_person else customer_id),
                    "object_repr": f"Stakeholder {i:06d}-{k % 3}" if about_person else f"Scale customer {i:06d}",
                    "customer_id": customer_id,
                    "created_at": now - timedelta(days=365 - k * 18, minutes=i % 600),
                    "ip": None,
                    "user_agent": "",
                    "request_id": "",
                    "data": {},
                }

    return {"audit events": insert(AuditEvent, rows())}


def build_outbox(book: Book, csm_emails: dict[int, str]) -> dict[str, int]:
    """Mostly sent, a few pending (due later) and failed; half to the CSM, half to the customer's executive."""
    now = timezone.now()
    ids = iter(next_ids(OutboxMessage, len(book.indexes) * MESSAGES_PER_CUSTOMER))

    def rows() -> Any:
        for i in book.indexes:
            customer_id, owner = book.customer_ids[i], book.owner_ids[i]
            for k in range(MESSAGES_PER_CUSTOMER):
                created = now - timedelta(days=(MESSAGES_PER_CUSTOMER - k) * 7, minutes=i % 600)
                status = "pending" if k == MESSAGES_PER_CUSTOMER - 1 else "failed" if k % 25 == 3 else "sent"
                to_csm = k % 2 == 0
                yield {
                    "id": next(ids),
                    "event_key": f"scale:{i}:{k}",
                    "recipient_key": f"user:{owner}" if to_csm else f"stakeholder:{book.stakeholder_ids[i][0]}",
                    "channel": "email",
                    "address": csm_emails[owner] if to_csm else client_email(i),
                    "recipient_user_id": owner if to_csm else book.user_ids[i],
                    "customer_id": customer_id,
                    "subject": f"Scale customer {i:06d}: weekly update {k + 1}",
                    "body": "Weekly update.",
                    "html_body": "",
                    "url": f"/customers/{customer_id}/",
                    "payload": {},
                    "attachments": [],
                    "priority": False,
                    "webhook_endpoint_id": None,
                    "status": status,
                    "attempts": 5 if status == "failed" else int(status == "sent"),
                    "next_attempt_at": now + timedelta(minutes=5) if status == "pending" else created,
                    "claimed_at": None,
                    "sent_at": created if status == "sent" else None,
                    "last_error": "Mailbox unavailable" if status == "failed" else "",
                    "created_at": created,
                }

    return {"outbox messages": insert(OutboxMessage, rows())}
