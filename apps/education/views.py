"""Staff pages: education completion across customers, and per stakeholder for one customer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from apps.core.access import staff_required
from apps.core.htmx import template_for
from apps.core.pagination import paginate
from apps.customers.models import Customer
from apps.education import selectors
from apps.education.models import ContentItem


@require_GET
@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.customer_progress(user=request.user)),
        "content": ContentItem.objects.filter(active=True),
    }
    return render(request, template_for(request, "education/overview.html", "customer-table"), context)


@require_GET
@staff_required
def customer_progress(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
    plans = (
        selectors.plans_with_progress(user=request.user).filter(customer=customer).prefetch_related("items__content")
    )
    return render(request, "education/customer_progress.html", {"customer": customer, "plans": plans})
