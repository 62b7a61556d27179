from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from apps.retention import selectors
from apps.retention.models import SurveyInvitation

register = template.Library()


@register.simple_tag
def customer_health(customer: Any) -> dict[str, Any]:
    """The customer page's health section: stored score, components, churn factors, strategy, trend chart."""
    return selectors.health_context(customer)


@register.simple_tag
def customer_engagement(customer: Any) -> dict[str, Any]:
    return selectors.engagement_context(customer)


@register.simple_tag(takes_context=True)
def open_invitations(context: dict[str, Any]) -> list[Any]:
    """The current stakeholder's unanswered, unexpired survey invitations (client home)."""
    user = context["request"].user
    rows = SurveyInvitation.objects.visible_to(user).filter(
        answered_at__isnull=True, survey__expires_at__gt=timezone.now()
    )
    return list(rows[:5])


@register.simple_tag
def customer_playbooks(customer: Any) -> dict[str, Any]:
    """The customer page's playbooks section: running runs with their tasks, past runs with their outcomes."""
    return selectors.playbook_context(customer)
