"""Labels for every page: `{% load portal %}` then `{{ amount|money }}`, `{{ event.action|action_label }}`."""

from __future__ import annotations

import json
from typing import Any

from django import template

from apps.core import labels

register = template.Library()


@register.filter
def money(value: Any) -> str:
    return labels.format_money(value)


@register.filter
def action_label(action: str) -> str:
    return labels.action_label(action)


@register.filter
def words(code: Any) -> str:
    return labels.words(code)


@register.filter
def as_json(value: Any) -> str:
    """Stored data for those who want it, as indented JSON (never Python's repr)."""
    return json.dumps(value, indent=2, default=str, ensure_ascii=False)


@register.filter
def is_data(value: Any) -> bool:
    """Lists and mappings are shown as data (`as_json` in a <pre>), never as Python's repr."""
    return isinstance(value, (list, tuple, dict))


@register.filter
def choice_labels(codes: Any, choices: Any) -> str:
    """Codes as their choice labels, joined: `{{ s.channels|choice_labels:channel_choices }}` -> "Email, In-app"."""
    names = dict(choices or [])
    return ", ".join(str(names.get(code, labels.words(code))) for code in codes or [])
