"""API of webhook endpoints: a customer's integrations register where they receive signed events."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from apps.api.schemas import Text
from apps.api.scopes import for_key_customer, require_scope
from apps.customers.models import Customer
from apps.notifications import webhooks
from apps.notifications.models import WebhookEndpoint, WebhookEventType

router = Router(tags=["webhooks"])


class EndpointIn(Schema):
    model_config = ConfigDict(extra="forbid")
    url: Text = Field(max_length=500, description="https URL on the receiver's side; internal addresses are refused.")
    description: Text = Field(default="", max_length=200)
    events: list[WebhookEventType] = Field(
        default_factory=list, max_length=len(WebhookEventType.values), description="Empty: every event type."
    )


class EndpointOut(Schema):
    id: int
    url: str
    events: list[str]
    secret: str = Field(description="whsec_... : shown only in this answer; verify signatures with it.")


class SecretOut(Schema):
    id: int
    secret: str
    previous_secret_valid_until: str


def _invalid(error: ValidationError) -> Status:
    if hasattr(error, "message_dict"):
        errors = [{"field": f, "message": " ".join(m)} for f, m in error.message_dict.items()]
    else:
        errors = [{"field": "", "message": " ".join(error.messages)}]
    return Status(422, {"detail": "Invalid webhook endpoint.", "errors": errors})


@router.post(
    "/customers/{customer_id}/webhook-endpoints",
    response={201: EndpointOut, 422: dict},
    summary="Register a webhook endpoint; the answer carries its signing secret, once",
)
def post_endpoint(request: HttpRequest, customer_id: int, payload: EndpointIn) -> Status:
    require_scope(request, "webhooks:write")
    customer = get_object_or_404(for_key_customer(request, Customer.objects.all(), "pk"), pk=customer_id)
    try:
        endpoint, secret = webhooks.register_endpoint(
            actor=None,
            customer=customer,
            url=payload.url,
            description=payload.description,
            events=[str(event) for event in payload.events],
            actor_label=f"API key {request.auth.name}",
        )
    except ValidationError as error:
        return _invalid(error)
    return Status(201, {"id": endpoint.pk, "url": endpoint.url, "events": endpoint.events, "secret": secret})


@router.post(
    "/customers/{customer_id}/webhook-endpoints/{endpoint_id}/rotate-secret",
    response={200: SecretOut},
    summary="Make a new signing secret; the old one keeps signing alongside it for 24 hours",
)
def rotate_secret(request: HttpRequest, customer_id: int, endpoint_id: int) -> dict[str, Any]:
    require_scope(request, "webhooks:write")
    endpoints = for_key_customer(request, WebhookEndpoint.objects.all(), "customer")
    endpoint = get_object_or_404(endpoints, pk=endpoint_id, customer_id=customer_id)
    secret = webhooks.rotate_secret(actor=None, endpoint=endpoint, actor_label=f"API key {request.auth.name}")
    endpoint.refresh_from_db()
    valid_until = endpoint.previous_secret_expires_at.isoformat()
    return {"id": endpoint.pk, "secret": secret, "previous_secret_valid_until": valid_until}
