"""Who hears how a guarantee ended and how a claim moves: the CSM, the customer's executives and approvers, finance."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from apps.customers.models import Stakeholder
from apps.notifications.services import (
    notify_stakeholder,
    notify_user,
)


def staff_url(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(f"outcomes:{name}", args=[pk])


def client_url(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(f"client_outcomes:{name}", args=[pk])


def customer_contacts(customer_id: int) -> list[Stakeholder]:
    """The customer's executives and approvers: the people a guarantee's end and its money matter to."""
    return list(
        Stakeholder.objects.filter(customer_id=customer_id).filter(
            Q(role=Stakeholder.Role.EXECUTIVE) | Q(is_approver=True)
        )
    )


def finance_users() -> list[Any]:
    user_model = get_user_model()
    perm = Q(groups__permissions__codename="approve_refunds") | Q(user_permissions__codename="approve_refunds")
    return list(user_model.objects.filter(perm | Q(is_superuser=True), is_active=True, is_staff=True).distinct())


def to_csm_and_customer(
    *,
    event_key: str,
    customer: Any,
    subject: str,
    staff_body: str,
    client_body: str,
    staff_link: str,
    client_link: str,
    priority: bool = False,
) -> None:
    notify_user(
        event_key=event_key,
        user=customer.owner,
        subject=subject,
        body=staff_body,
        url=staff_link,
        customer_id=customer.pk,
        priority=priority,
    )
    for stakeholder in customer_contacts(customer.pk):
        notify_stakeholder(
            event_key=event_key,
            stakeholder=stakeholder,
            subject=subject,
            body=client_body,
            url=client_link,
            priority=priority,
        )


def to_finance(*, event_key: str, customer: Any, subject: str, body: str, url: str) -> None:
    for user in finance_users():
        if user.pk != customer.owner_id:
            notify_user(event_key=event_key, user=user, subject=subject, body=body, url=url, customer_id=customer.pk)
