from __future__ import annotations

from typing import Any

from django import template

from apps.retention.selectors_opportunities import customer_opportunities as _customer_opportunities

register = template.Library()


@register.simple_tag
def customer_opportunities(customer: Any) -> list[Any]:
    """The customer page's opportunities section: the latest 20, open and closed."""
    return _customer_opportunities(customer)
