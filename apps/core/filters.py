"""Query-string filters of list pages: a bad value is dropped (the list shows everything), never an error page.

Values are checked as a form field would check them, so nothing unchecked reaches a query (PostgreSQL refuses a NUL
byte in text with a server error).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def _clean(field: forms.Field, value: str) -> Any:
    try:
        return field.clean(value)
    except ValidationError:
        return ""


def choice_filter(request: HttpRequest, name: str, choices: Iterable[tuple[Any, Any]]) -> str:
    """request.GET[name] when it is one of `choices`, else ""."""
    return _clean(forms.ChoiceField(choices=list(choices), required=False), request.GET.get(name, ""))


def text_filter(request: HttpRequest, name: str, max_length: int = 100) -> str:
    """request.GET[name] as a search text (no NUL byte, at most `max_length` characters), else ""."""
    return _clean(forms.CharField(max_length=max_length, required=False), request.GET.get(name, ""))
