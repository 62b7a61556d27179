"""The customer page's whole story: projects with their guarantee's current week, proposals, learning, claims and
the timeline. A fixed number of queries whatever the customer's history (the timeline is paginated)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from apps.core.filters import choice_filter
from apps.core.pagination import paginate
from apps.customers.models import Customer
from apps.dashboard import timeline
from apps.education.models import EducationPlan
from apps.guarantees.models import Milestone
from apps.outcomes.models import Claim
from apps.projects.models import Project
from apps.tiers.models import Proposal

TIMELINE_PAGE = 20


def customer_overview(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    projects = list(
        Project.objects.filter(customer=customer).select_related("guarantee").order_by("-accepted_at", "-pk")
    )
    current_weeks: dict[int, Milestone] = {}
    for milestone in Milestone.objects.filter(
        guarantee__project__customer=customer,
        review__in=[Milestone.Review.OPEN, Milestone.Review.AWAITING_SIGN_OFF],
    ).order_by("guarantee_id", "week"):
        current_weeks.setdefault(milestone.guarantee_id, milestone)
    rows = []
    for project in projects:
        guarantee = getattr(project, "guarantee", None)
        rows.append({"project": project, "guarantee": guarantee, "week": guarantee and current_weeks.get(guarantee.pk)})
    kind = choice_filter(request, "kind", timeline.KINDS.items())
    events = paginate(request, timeline.customer_events(customer.pk, kind=kind), per_page=TIMELINE_PAGE)
    return {
        "project_rows": rows,
        "proposals": Proposal.objects.filter(customer=customer).select_related("tier").order_by("-created_at")[:10],
        "education_plans": EducationPlan.objects.filter(customer=customer)
        .select_related("stakeholder")
        .annotate(items_total=Count("items"), items_done=Count("items", filter=Q(items__completed_at__isnull=False))),
        "claims": Claim.objects.filter(guarantee__project__customer=customer)
        .select_related("guarantee__project")
        .order_by("-opened_at"),
        "timeline_page": events,
        "timeline_entries": [timeline.tell(event) for event in events.object_list],
        "timeline_kind": kind,
        "timeline_querystring": f"kind={kind}" if kind else "",
        "timeline_kinds": list(timeline.KINDS.items()),
    }
