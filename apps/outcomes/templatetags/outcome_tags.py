"""Figures with their unit, without trailing zeros: "95%", "8.5/10", "96.5 points"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def plain(value: Any) -> str:
    """95.00 -> 95, 8.50 -> 8.5, 0.400 -> 0.4 (stored figures keep their exact text; this is display only)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def with_unit(value: Any, unit: str) -> str:
    if value is None or value == "":
        return ""
    shown = plain(value)
    if not unit:
        return shown
    return f"{shown}{unit}" if unit[0] in "%/" else f"{shown} {unit}"
