"""Form fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms

PK_MAX = 2**63 - 1  # past the database's integer range a lookup would crash instead of saying "not a choice"


def _in_range(field: forms.Field, value: Any) -> None:
    try:
        number = int(str(value))
    except ValueError:
        number = 0
    if not 0 < number <= PK_MAX:
        raise forms.ValidationError(
            field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A model choice whose id past the database's integer range is "not a choice", never a server error."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            _in_range(self, value)
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same for several choices."""

    def _check_values(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else [value]:
            _in_range(self, item)
        return super()._check_values(value)
