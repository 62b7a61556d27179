"""Admin building blocks shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.text import capfirst


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that change only through the services (which audit every step); the admin shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LinesField(forms.Field):
    """A list edited as text, one item per line (instead of raw JSON typed into a box); cleans to a list of str.

    With `choices`, every line must be one of them (typed as the code or the label); the order typed is kept.
    """

    widget = forms.Textarea(attrs={"rows": 4, "cols": 40})

    def __init__(self, *, choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        self.choices = list(choices or [])
        super().__init__(**kwargs)
        if self.choices and not self.help_text:
            self.help_text = "One per line, any of: " + ", ".join(label for _code, label in self.choices) + "."

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            labels = dict(self.choices)
            return "\n".join(str(labels.get(item, item)) for item in value)
        return "" if value is None else str(value)

    def to_python(self, value: Any) -> list[str]:
        lines = [str(item) for item in value] if isinstance(value, list | tuple) else str(value or "").splitlines()
        items = [line.strip() for line in lines if line.strip()]
        return [self._code(item) for item in items] if self.choices else items

    def _code(self, item: str) -> str:
        for code, label in self.choices:
            if item.lower() in (code.lower(), str(label).lower()):
                return code
        raise ValidationError(f"“{item}” is not one of: {', '.join(str(label) for _code, label in self.choices)}.")


class ListFieldsAdmin(admin.ModelAdmin):
    """Edits the model's JSON list fields with proper widgets: ticked boxes where the items come from a fixed set
    (`checkbox_lists`), one item per line otherwise (`ordered_lists` keeps a fixed set but keeps the typed order).
    """

    checkbox_lists: dict[str, list[tuple[str, str]]] = {}
    ordered_lists: dict[str, list[tuple[str, str]]] = {}

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not (isinstance(db_field, models.JSONField) and db_field.default is list):
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        common = {
            "required": not db_field.blank,
            "label": capfirst(db_field.verbose_name),
            "help_text": db_field.help_text,
        }
        if db_field.name in self.checkbox_lists:
            return forms.MultipleChoiceField(
                choices=self.checkbox_lists[db_field.name], widget=forms.CheckboxSelectMultiple, **common
            )
        return LinesField(choices=self.ordered_lists.get(db_field.name), **common)
