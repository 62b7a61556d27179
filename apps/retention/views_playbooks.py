"""Staff views for playbooks: start one for a customer (the current strategy's suggested), and the playbook list
with each playbook's success rate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.access import staff_required
from apps.customers.models import Customer
from apps.retention import playbooks, selectors
from apps.retention.forms import PlaybookStartForm
from apps.retention.models import PlaybookRun


@require_http_methods(["GET", "POST"])
@staff_required
def playbook_start(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user).select_related("owner"), pk=customer_id)
    suggested = playbooks.suggested_playbook(customer)
    running = set(
        PlaybookRun.objects.filter(customer=customer, status=PlaybookRun.Status.OPEN).values_list(
            "playbook_id", flat=True
        )
    )
    # The suggested playbook is preselected unless it already runs (starting it again would only be refused).
    preselect = suggested.pk if suggested and suggested.pk not in running else None
    form = PlaybookStartForm(request.POST or None, initial={"playbook": preselect})
    if request.method == "POST" and form.is_valid():
        playbook = form.cleaned_data["playbook"]
        try:
            playbooks.start_playbook(actor=request.user, customer=customer, playbook=playbook)
        except ValidationError as exc:
            form.add_error("playbook", " ".join(exc.messages))
        else:
            messages.success(request, f"The {playbook.name} playbook started: its tasks are on the page.")
            return redirect(reverse("customers:detail", args=[customer.pk]) + "#playbooks")
    context = {
        "customer": customer,
        "form": form,
        "suggested": suggested,
        "choices": selectors.playbooks_with_stats(),
        "running_ids": running,
    }
    return render(request, "retention/playbook_start.html", context)


@require_GET
@staff_required
def playbook_list(request: HttpRequest) -> HttpResponse:
    context = {"rows": selectors.playbooks_with_stats(), "settings": playbooks.current_playbook_settings()}
    return render(request, "retention/playbook_list.html", context)
