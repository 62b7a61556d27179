"""Forms of the opportunities board: add one by hand, won (signed value and date), lost (a reason)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from apps.retention.models import ExpansionType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TypeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.label


class OpportunityAddForm(forms.Form):
    type = TypeChoice(queryset=ExpansionType.objects.all(), label="Type", empty_label=None)
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: what you heard that makes this worth pursuing.",
    )


class OpportunityWonForm(forms.Form):
    won_value = forms.DecimalField(
        label="Signed value (USD)",
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        help_text="The value of the signed expansion.",
    )
    won_on = forms.DateField(label="Signed on", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["won_on"].initial = timezone.localdate()

    def clean_won_on(self) -> Any:
        won_on = self.cleaned_data["won_on"]
        if won_on > timezone.localdate():
            raise forms.ValidationError("The signing date cannot be in the future.")
        return won_on


class OpportunityLostForm(forms.Form):
    lost_reason = forms.CharField(
        label="Why was it lost?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_lost_reason(self) -> str:
        reason = self.cleaned_data["lost_reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why it was lost.")
        return reason
