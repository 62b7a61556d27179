"""Staff pages of a customer's webhook endpoints: register (secret shown once), log, rotate, send again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.access import staff_required
from apps.customers.models import Customer
from apps.notifications import webhooks
from apps.notifications.forms import WebhookEndpointForm
from apps.notifications.models import OutboxMessage, WebhookEndpoint


def _endpoint(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(
        WebhookEndpoint.objects.visible_to(request.user).select_related("customer"), pk=endpoint_id
    )


@require_http_methods(["GET", "POST"])
@staff_required
def endpoint_create(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhooks.register_endpoint(actor=request.user, customer=customer, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered, not redirected: the secret is shown this once and never stored in clear.
            return render(request, "notifications/endpoint_secret.html", {"endpoint": endpoint, "secret": secret})
    return render(request, "notifications/endpoint_form.html", {"form": form, "customer": customer})


@require_GET
@staff_required
def endpoint_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    context = {"endpoint": endpoint, "log": webhooks.delivery_log(endpoint)}
    return render(request, "notifications/endpoint_detail.html", context)


@require_POST
@staff_required
def endpoint_rotate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    secret = webhooks.rotate_secret(actor=request.user, endpoint=endpoint)
    endpoint.refresh_from_db()
    return render(
        request, "notifications/endpoint_secret.html", {"endpoint": endpoint, "secret": secret, "rotated": True}
    )


@require_POST
@staff_required
def endpoint_toggle(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    enable = not endpoint.is_active
    webhooks.set_endpoint_active(actor=request.user, endpoint=endpoint, active=enable, reason="Disabled by staff.")
    messages.success(request, "Endpoint enabled." if enable else "Endpoint disabled: nothing is sent to it.")
    return redirect("notifications:endpoint_detail", endpoint.pk)


@require_POST
@staff_required
def send_again(request: HttpRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage.objects.select_related("webhook_endpoint"), pk=message_id)
    try:
        webhooks.send_again(actor=request.user, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Queued to be sent again, with the same webhook-id.")
    if message.webhook_endpoint_id:
        return redirect("notifications:endpoint_detail", message.webhook_endpoint_id)
    return redirect("customers:detail", message.customer_id) if message.customer_id else redirect("home")
