from __future__ import annotations

from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.access import staff_required
from apps.core.filters import choice_filter, text_filter
from apps.core.htmx import template_for
from apps.core.pagination import paginate, querystring_without_page
from apps.customers import selectors, services
from apps.customers.forms import ChurnForm, CustomerForm, StakeholderForm
from apps.customers.models import Customer, Stakeholder
from apps.dashboard.customer360 import customer_overview

# Sections other apps add to the customer page: template names, each loading its own data from `customer`.
CUSTOMER_SECTIONS: list[str] = [
    "retention/_customer_health.html",
    "retention/_customer_engagement.html",
    "retention/_customer_opportunities.html",
    "retention/_customer_playbooks.html",
    "notifications/_customer_webhooks.html",
]


@require_GET
@staff_required
def customer_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "search": text_filter(request, "search"),
        "status": choice_filter(request, "status", Customer.Status.choices),
        "owner": request.GET.get("owner", ""),
        "sort": request.GET.get("sort", ""),
    }
    customers = selectors.customer_list(user=request.user, **{k: v for k, v in filters.items() if v})
    context = {
        "page": paginate(request, customers),
        "filters": filters,
        "querystring": querystring_without_page(request),
        "statuses": Customer.Status.choices,
    }
    return render(request, template_for(request, "customers/customer_list.html", "customer-table"), context)


@require_http_methods(["GET", "POST"])
@staff_required
def customer_create(request: HttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        customer = services.create_customer(actor=request.user, data=form.cleaned_data)
        messages.success(request, f"{customer.name} was added.")
        return redirect("customers:detail", customer.pk)
    return render(request, "customers/customer_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@staff_required
def customer_edit(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
    # The form gets a copy: a ModelForm writes cleaned data onto its instance, and the service must see the change.
    form = CustomerForm(request.POST or None, instance=copy(customer))
    if request.method == "POST" and form.is_valid():
        services.update_customer(actor=request.user, customer=customer, data=form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("customers:detail", customer.pk)
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer})


@require_GET
@staff_required
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user).select_related("owner"), pk=customer_id)
    stakeholders = customer.stakeholders.select_related("user").prefetch_related("invites")
    context = {
        "customer": customer,
        "stakeholders": stakeholders,
        "customer_sections": CUSTOMER_SECTIONS,
        "channel_choices": Stakeholder.Channel.choices,
        **customer_overview(request, customer),
    }
    return render(request, template_for(request, "customers/customer_detail.html", "timeline"), context)


@require_http_methods(["GET", "POST"])
@staff_required
def customer_churn(request: HttpRequest, customer_id: int) -> HttpResponse:
    """The only status a CSM sets: churned, with a reason and a date. The others are derived from data."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
    form = ChurnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_churned(
                actor=request.user,
                customer=customer,
                churned_on=form.cleaned_data["churned_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{customer.name} is marked churned.")
            return redirect("customers:detail", customer.pk)
    return render(request, "customers/churn_form.html", {"form": form, "customer": customer})


@require_http_methods(["GET", "POST"])
@staff_required
def stakeholder_create(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
    form = StakeholderForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        stakeholder = services.add_stakeholder(actor=request.user, customer=customer, data=form.cleaned_data)
        messages.success(request, f"{stakeholder.name} was added.")
        return redirect("customers:detail", customer.pk)
    return render(request, "customers/stakeholder_form.html", {"form": form, "customer": customer})


@require_http_methods(["GET", "POST"])
@staff_required
def stakeholder_edit(request: HttpRequest, stakeholder_id: int) -> HttpResponse:
    stakeholder = get_object_or_404(Stakeholder.objects.visible_to(request.user), pk=stakeholder_id)
    # A copy, as in customer_edit: otherwise the service finds nothing changed and saves nothing.
    form = StakeholderForm(request.POST or None, instance=copy(stakeholder), customer=stakeholder.customer)
    if request.method == "POST" and form.is_valid():
        services.update_stakeholder(actor=request.user, stakeholder=stakeholder, data=form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("customers:detail", stakeholder.customer_id)
    context = {"form": form, "customer": stakeholder.customer, "stakeholder": stakeholder}
    return render(request, "customers/stakeholder_form.html", context)


@require_POST
@staff_required
def stakeholder_invite(request: HttpRequest, stakeholder_id: int) -> HttpResponse:
    stakeholder = get_object_or_404(Stakeholder.objects.visible_to(request.user), pk=stakeholder_id)
    try:
        services.invite_stakeholder(actor=request.user, stakeholder=stakeholder)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"An invitation was emailed to {stakeholder.email}.")
    return redirect("customers:detail", stakeholder.customer_id)
