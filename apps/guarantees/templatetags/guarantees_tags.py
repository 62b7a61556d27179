from __future__ import annotations

from typing import Any

from django import template

from apps.guarantees.models import Milestone, SignOff
from apps.guarantees.selectors import guarantee_list

register = template.Library()


@register.simple_tag(takes_context=True)
def visible_guarantees(context: dict[str, Any]) -> list[Any]:
    """The guarantees the current user may see (a client: their company's), for a home-page section."""
    return list(guarantee_list(user=context["request"].user)[:5])


@register.simple_tag(takes_context=True)
def awaiting_my_sign_off(context: dict[str, Any]) -> list[Any]:
    """Weeks of the signed-in client's company that wait for this person's decision (asked, not yet decided).

    The approver list is a JSON field, filtered here rather than in SQL (SQLite has no JSON containment); a
    company has only a handful of weeks awaiting sign-off at any time.
    """
    user = context["request"].user
    me = getattr(user, "client_stakeholder", None)
    if me is None or not me.is_approver:
        return []
    awaiting = (
        Milestone.objects.visible_to(user)
        .filter(review=Milestone.Review.AWAITING_SIGN_OFF)
        .select_related("guarantee__project")
        .order_by("due_date", "week")
    )
    decided = set(SignOff.objects.filter(milestone__in=awaiting, stakeholder=me).values_list("milestone_id", "round"))
    return [m for m in awaiting if me.pk in m.required_approvers and (m.pk, m.round) not in decided]
