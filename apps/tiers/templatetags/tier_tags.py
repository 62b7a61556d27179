"""Template helpers for tiers: the lead page's recommendation panel (two queries) and money in words."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from apps.core import labels
from apps.tiers import selectors

register = template.Library()


@register.simple_tag
def lead_tier_panel(lead: Any) -> dict[str, Any]:
    """{% lead_tier_panel lead as panel %}: the stored recommendation, the proposals and the open one."""
    return selectors.lead_panel(lead)


@register.filter
def money(value: Any) -> str:
    """'111000.00' or Decimal -> '$111,000' (the portal's one money format, apps.core.labels)."""
    return labels.format_money(value)


@register.filter
def percent(value: Any) -> str:
    """A 0-1 share ('0.70') as a whole percentage ('70%')."""
    try:
        return f"{(Decimal(str(value)) * 100).quantize(Decimal(1))}%"
    except InvalidOperation:
        return str(value)
