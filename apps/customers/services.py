from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import record_event, record_events
from apps.customers.models import ClientInvite, Customer, Stakeholder
from apps.notifications.models import Channel
from apps.notifications.services import Message, Recipient, queue_message

# Status is not here: it is derived (apply_derived_statuses) or set to churned (mark_churned), never edited.
CUSTOMER_FIELDS = ["name", "segment", "industry", "size", "website", "owner"]
STAKEHOLDER_FIELDS = [
    "name",
    "email",
    "title",
    "role",
    "is_approver",
    "channels",
    "slack_webhook_url",
    "teams_webhook_url",
    "webhook_url",
]


def _apply(instance: Any, data: dict[str, Any], fields: list[str]) -> list[str]:
    changed = []
    for name in fields:
        if name in data and getattr(instance, name, None) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed


@transaction.atomic
def create_customer(*, actor: Any, data: dict[str, Any]) -> Customer:
    customer = Customer()
    _apply(customer, data, CUSTOMER_FIELDS)
    customer.full_clean()
    customer.save()
    record_event(
        action="customer.created",
        obj=customer,
        actor=actor,
        customer_id=customer.pk,
        data={"name": customer.name},
    )
    return customer


@transaction.atomic
def update_customer(*, actor: Any, customer: Customer, data: dict[str, Any]) -> Customer:
    changed = _apply(customer, data, CUSTOMER_FIELDS)
    if changed:
        customer.full_clean()
        customer.save(update_fields=[*changed, "updated_at"])
        record_event(
            action="customer.updated",
            obj=customer,
            actor=actor,
            customer_id=customer.pk,
            data={"fields": changed},
        )
    return customer


@transaction.atomic
def mark_churned(*, actor: Any, customer: Customer, churned_on: date, reason: str) -> Customer:
    """The one status a CSM sets by hand: churned, with a reason and a date. It is final."""
    if customer.status == Customer.Status.CHURNED:
        raise ValidationError("This customer is already marked churned.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the customer churned."})
    if churned_on > timezone.localdate():
        raise ValidationError({"churned_on": "The churn date cannot be in the future."})
    previous = customer.status
    customer.status, customer.churned_on, customer.churn_reason = Customer.Status.CHURNED, churned_on, reason.strip()
    customer.full_clean()
    customer.save(update_fields=["status", "churned_on", "churn_reason", "updated_at"])
    record_event(
        action="customer.churned",
        obj=customer,
        actor=actor,
        customer_id=customer.pk,
        data={"from": previous, "churned_on": churned_on.isoformat(), "reason": customer.churn_reason},
    )
    return customer


@transaction.atomic
def apply_derived_statuses(*, statuses: dict[int, str], previous: dict[int, str]) -> int:
    """Write statuses derived from data in one UPDATE, never touching churned customers, and audit each change.

    `previous` holds each customer's status as read; only changed customers are written and audited (their audit
    events in one INSERT). A batch of the nightly run is three statements however many customers changed.
    """
    changed: dict[str, list[int]] = {}
    for customer_id, status in statuses.items():
        if status != previous.get(customer_id) and status != Customer.Status.CHURNED:
            changed.setdefault(status, []).append(customer_id)
    if not changed:
        return 0
    all_ids = [customer_id for ids in changed.values() for customer_id in ids]
    customers = Customer.objects.exclude(status=Customer.Status.CHURNED).only("pk", "name").in_bulk(all_ids)
    new_status = Case(*(When(pk__in=ids, then=Value(status)) for status, ids in changed.items()), default=F("status"))
    count = Customer.objects.filter(pk__in=list(customers)).update(status=new_status, updated_at=timezone.now())
    record_events(
        action="customer.status_derived",
        entries=[
            (customers[pk], pk, {"from": previous.get(pk), "to": status})
            for status, ids in changed.items()
            for pk in ids
            if pk in customers
        ],
    )
    return count


@transaction.atomic
def add_stakeholder(*, actor: Any, customer: Customer, data: dict[str, Any]) -> Stakeholder:
    stakeholder = Stakeholder(customer=customer)
    _apply(stakeholder, {**data, "email": data.get("email", "").lower()}, STAKEHOLDER_FIELDS)
    stakeholder.full_clean()
    stakeholder.save()
    record_event(
        action="stakeholder.added",
        obj=stakeholder,
        actor=actor,
        customer_id=customer.pk,
        data={"email": stakeholder.email, "role": stakeholder.role, "approver": stakeholder.is_approver},
    )
    return stakeholder


@transaction.atomic
def update_stakeholder(*, actor: Any, stakeholder: Stakeholder, data: dict[str, Any]) -> Stakeholder:
    if "email" in data:
        data = {**data, "email": data["email"].lower()}
    changed = _apply(stakeholder, data, STAKEHOLDER_FIELDS)
    if "email" in changed and stakeholder.user_id:
        User = get_user_model()
        if User.objects.filter(email__iexact=stakeholder.email).exclude(pk=stakeholder.user_id).exists():
            raise ValidationError({"email": "Another login already uses this email."})
    if changed:
        stakeholder.full_clean()
        stakeholder.save(update_fields=changed)
        if "email" in changed and stakeholder.user_id:
            stakeholder.user.email = stakeholder.email
            stakeholder.user.save(update_fields=["email"])
        record_event(
            action="stakeholder.updated",
            obj=stakeholder,
            actor=actor,
            customer_id=stakeholder.customer_id,
            data={"fields": changed},
        )
    return stakeholder


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _ensure_client_user(stakeholder: Stakeholder) -> Any:
    User = get_user_model()
    if stakeholder.user_id:
        return stakeholder.user
    if User.objects.filter(email__iexact=stakeholder.email).exists():
        raise ValidationError(f"{stakeholder.email} already has a login; use a different email for this stakeholder.")
    user = User(email=stakeholder.email, full_name=stakeholder.name, role=User.Role.CLIENT, is_staff=False)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    stakeholder.user = user
    stakeholder.save(update_fields=["user"])
    return user


@transaction.atomic
def invite_stakeholder(*, actor: Any, stakeholder: Stakeholder) -> ClientInvite:
    """Give a stakeholder a client-view login and email them a single-use, expiring link to set a password.

    Any earlier unused invite stops working, so only the newest link is live.
    """
    _ensure_client_user(stakeholder)
    now = timezone.now()
    ClientInvite.objects.filter(stakeholder=stakeholder, used_at__isnull=True).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invite = ClientInvite.objects.create(
        stakeholder=stakeholder,
        token_hash=_hash_token(token),
        created_by=actor,
        expires_at=now + timedelta(seconds=settings.INVITE_MAX_AGE_SECONDS),
    )
    link = settings.SITE_URL + reverse("client:accept_invite", args=[token])
    context = {"stakeholder": stakeholder, "link": link, "inviter": actor, "expires_at": invite.expires_at}
    queue_message(
        event_key=f"client_invite:{invite.pk}",
        recipient=Recipient(key=f"stakeholder:{stakeholder.pk}", email=stakeholder.email),
        channel=Channel.EMAIL,
        message=Message(
            subject=f"Your access to the {stakeholder.customer.name} client portal",
            body=render_to_string("emails/client_invite.txt", context),
        ),
        customer_id=stakeholder.customer_id,
    )
    record_event(
        action="stakeholder.invited",
        obj=stakeholder,
        actor=actor,
        customer_id=stakeholder.customer_id,
        data={"invite_id": invite.pk, "expires_at": invite.expires_at.isoformat()},
    )
    return invite


def find_live_invite(token: str) -> ClientInvite | None:
    return (
        ClientInvite.objects.select_related("stakeholder__customer", "stakeholder__user")
        # A login deleted since the invite leaves nothing to set a password on: the link is dead too.
        .filter(token_hash=_hash_token(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .filter(stakeholder__user__isnull=False)
        .first()
    )


@transaction.atomic
def accept_invite(*, invite: ClientInvite, password: str) -> Any:
    """Set the stakeholder's password and use up the invite. A second use of the same link is refused."""
    used = ClientInvite.objects.filter(pk=invite.pk, used_at__isnull=True, expires_at__gt=timezone.now()).update(
        used_at=timezone.now()
    )
    if not used:
        raise ValidationError("This invitation link has already been used or has expired.")
    user = invite.stakeholder.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    record_event(
        action="stakeholder.invite_accepted",
        obj=invite.stakeholder,
        actor=user,
        customer_id=invite.stakeholder.customer_id,
        data={"invite_id": invite.pk},
    )
    return user
