"""Staff views: send a survey, log a touchpoint, record a review, work the task list, recompute health."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.access import staff_required
from apps.customers.models import Customer
from apps.retention import health, selectors, services, surveys
from apps.retention.forms import ReviewForm, SurveySendForm, TouchpointForm
from apps.retention.models import Task


def _page(customer: Customer) -> str:
    return reverse("customers:detail", args=[customer.pk])


def _customer(request: HttpRequest, customer_id: int) -> Customer:
    return get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)


def _refused(form: Form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: on its field when the form has one, else above the form."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, errors in items:
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@require_http_methods(["GET", "POST"])
@staff_required
def survey_send(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    form = SurveySendForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            surveys.send_survey(
                actor=request.user,
                customer=customer,
                stakeholders=list(data["stakeholders"]),
                questions=data["questions"],
                message=data["message"],
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Survey sent to {len(data['stakeholders'])} stakeholder(s).")
            return redirect(f"{_page(customer)}#surveys")
    return render(request, "retention/survey_form.html", {"form": form, "customer": customer})


@require_http_methods(["GET", "POST"])
@staff_required
def touchpoint_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    form = TouchpointForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_touchpoint(
                actor=request.user,
                customer=customer,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                stakeholders=list(data["stakeholders"]),
                note=data["note"],
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Touchpoint logged.")
            return redirect(f"{_page(customer)}#touchpoints")
    return render(request, "retention/touchpoint_form.html", {"form": form, "customer": customer})


@require_http_methods(["GET", "POST"])
@staff_required
def review_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(actor=request.user, customer=customer, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Review recorded; health is being recomputed.")
            return redirect(f"{_page(customer)}#reviews")
    return render(request, "retention/review_form.html", {"form": form, "customer": customer})


@require_GET
@staff_required
def task_list(request: HttpRequest) -> HttpResponse:
    tasks = list(selectors.open_tasks(request.user))
    return render(request, "retention/task_list.html", {"tasks": tasks, "today": timezone.localdate()})


@require_POST
@staff_required
def task_close(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=task_id)
    status = request.POST.get("status", Task.Status.DONE)
    try:
        services.close_task(actor=request.user, task=task, status=status, note=request.POST.get("note", "")[:2000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Task marked {task.get_status_display().lower()}.")
    next_url = request.POST.get("next", "")
    if next_url == "tasks":
        return redirect("retention:tasks")
    return redirect(f"{_page(task.customer)}#{'playbooks' if task.run_id else 'tasks'}")


@require_POST
@staff_required
def health_recompute(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    health.compute_health([customer.pk])
    messages.success(request, "Health recomputed from the latest data.")
    return redirect(f"{_page(customer)}#health")
