"""Where people receive notifications: staff choose for themselves; stakeholders choose in the client view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.core.access import client_required, staff_required
from apps.customers import services as customer_services
from apps.notifications import services
from apps.notifications.forms import ChannelsForm
from apps.notifications.models import ChannelPreference


@require_http_methods(["GET", "POST"])
@staff_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = ChannelPreference.objects.filter(user=request.user).first()
    initial = {"channels": services.user_channels(request.user)}
    if current is not None:
        initial.update(slack_webhook_url=current.slack_webhook_url, teams_webhook_url=current.teams_webhook_url)
    form = ChannelsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_user_channels(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your notification channels are saved.")
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "base_template": "base.html"})


@require_http_methods(["GET", "POST"])
@client_required
def client_preferences(request: HttpRequest) -> HttpResponse:
    me = request.user.client_stakeholder
    initial = {
        "channels": me.channels,
        "slack_webhook_url": me.slack_webhook_url,
        "teams_webhook_url": me.teams_webhook_url,
    }
    form = ChannelsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # A stakeholder's choice also keeps a "webhook" choice staff made: those go to the company's endpoints.
        kept = [c for c in me.channels if c not in services.USER_CHANNELS]
        data = {**form.cleaned_data, "channels": [*form.cleaned_data["channels"], *kept]}
        customer_services.update_stakeholder(actor=request.user, stakeholder=me, data=data)
        messages.success(request, "Your notification channels are saved.")
        return redirect("client_notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "base_template": "client/base.html"})
