from __future__ import annotations

from typing import Any

from apps.notifications import crypto
from apps.notifications.models import WebhookEndpoint


def make_endpoint(*, customer: Any, url: str = "https://hooks.customer.example/portal", **fields: Any):
    """An endpoint stored as registration stores it, without resolving its host. Returns (endpoint, secret)."""
    secret = crypto.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        customer=customer, url=url, secret_encrypted=crypto.encrypt(secret), **fields
    )
    return endpoint, secret
