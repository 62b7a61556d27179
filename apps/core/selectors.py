"""Reads for the staff home page. Later apps add their sections through `HOME_SECTIONS`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from apps.audit.models import AuditEvent
from apps.customers.models import Customer


def staff_home_context(user: Any) -> dict[str, Any]:
    counts = Customer.objects.aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=Q(owner=user)),
        onboarding=Count("pk", filter=Q(status=Customer.Status.ONBOARDING)),
        at_risk=Count("pk", filter=Q(status=Customer.Status.AT_RISK)),
    )
    my_customers = Customer.objects.filter(owner=user).annotate(stakeholder_count=Count("stakeholders"))[:8]
    recent = AuditEvent.objects.select_related("actor")[:10]
    return {"customer_counts": counts, "my_customers": my_customers, "recent_events": recent}
