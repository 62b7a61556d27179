"""The client view: what a customer stakeholder sees of their own company, and nothing else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.access import client_required
from apps.customers import services
from apps.customers.models import Customer, Stakeholder

# Sections other apps add to the client home: template names, each loading its own data. Calls to action (what
# waits for this person) come first, before the welcome; the sections follow it.
CLIENT_CALLS: list[str] = ["guarantees/client/_signoff_call.html"]
CLIENT_SECTIONS: list[str] = ["retention/client/_home_section.html", "guarantees/client/_home_section.html"]


@require_GET
@client_required
def client_home(request: HttpRequest) -> HttpResponse:
    customer = Customer.objects.visible_to(request.user).select_related("owner").get()
    stakeholders = Stakeholder.objects.visible_to(request.user).order_by("name")
    Stakeholder.objects.filter(user=request.user).update(last_active_at=timezone.now())
    context = {"customer": customer, "stakeholders": stakeholders, "me": request.user.client_stakeholder}
    context["client_calls"] = CLIENT_CALLS
    context["client_sections"] = CLIENT_SECTIONS
    return render(request, "client/home.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def accept_invite(request: HttpRequest, token: str) -> HttpResponse:
    invite = services.find_live_invite(token)
    if invite is None:
        return render(request, "client/invite_invalid.html", status=404)
    user = invite.stakeholder.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invite(invite=invite, password=form.cleaned_data["new_password1"])
        except ValidationError:
            return render(request, "client/invite_invalid.html", status=404)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your password is set.")
        return redirect("client:home")
    return render(request, "client/accept_invite.html", {"form": form, "invite": invite})
