from __future__ import annotations

from typing import Any

from django import template

from apps.guarantees.selectors import guarantee_list

register = template.Library()


@register.simple_tag(takes_context=True)
def visible_guarantees(context: dict[str, Any]) -> list[Any]:
    """The guarantees the current user may see (a client: their company's), for a home-page section."""
    return list(guarantee_list(user=context["request"].user)[:5])
