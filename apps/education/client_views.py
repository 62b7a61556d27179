"""The client view of education: a stakeholder's own plan, each item's content, and marking items done."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.core.access import client_required
from apps.customers.models import Customer
from apps.education import selectors, services
from apps.education.models import PlanItem
from apps.projects.models import Project


@require_GET
@client_required
def my_plan(request: HttpRequest) -> HttpResponse:
    plans = selectors.my_plans(user=request.user)
    # An empty page words itself for what the customer has: engagements already running, or none signed yet.
    engagements = [] if plans else list(Project.objects.visible_to(request.user).values_list("name", flat=True))
    customer = Customer.objects.visible_to(request.user).select_related("owner").first()
    context = {"plans": plans, "engagements": engagements, "owner": customer.owner if customer else None}
    return render(request, "education/client_plan.html", context)


@require_GET
@client_required
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(PlanItem.objects.visible_to(request.user).select_related("content", "plan"), pk=item_id)
    return render(request, "education/client_item.html", {"item": item})


@require_POST
@client_required
def mark_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(PlanItem.objects.visible_to(request.user).select_related("content", "plan"), pk=item_id)
    item = services.mark_item(actor=request.user, item=item, done=request.POST.get("done", "1") != "0")
    if request.htmx:
        context = {"item": item, "next": request.POST.get("next", "plan")}
        return render(request, "education/_item_status.html", context)
    if request.POST.get("next") == "item":
        return redirect("client_education:item", item.pk)
    return redirect("client_education:plan")
