"""Forms validate and clean input only; the views hand `cleaned_data` to the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from apps.core.labels import format_money
from apps.guarantees.models import Guarantee
from apps.outcomes.models import Claim, FinalCriterionConfig, Remedy

TEXTAREA = {"rows": 3, "class": "form-control"}


def _money(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
        **kwargs,
    )


class ClaimForm(forms.Form):
    remedy = forms.ChoiceField(choices=Remedy.choices, widget=forms.RadioSelect, label="Remedy")
    description = forms.CharField(
        label="What went wrong (optional)", required=False, max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args: Any, guarantee: Guarantee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Say what each remedy means for this guarantee, with its amount.
        amount = f"{guarantee.amount:,.2f}"
        self.fields["remedy"].choices = [
            (Remedy.REFUND, f"Full refund of the guarantee amount ({format_money(amount)})"),
            (Remedy.CONTINUED_DEVELOPMENT, "Continued development at no cost (the guarantee is extended)"),
            (Remedy.MIGRATION_ASSISTANCE, "Migration assistance (a tracked hand-over task list)"),
        ]


class RejectForm(forms.Form):
    reason = forms.CharField(label="Reason for the rejection", max_length=4000, widget=forms.Textarea(attrs=TEXTAREA))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("A rejection needs a reason.")
        return reason


class PayoutForm(forms.Form):
    reference = forms.CharField(
        label="Transfer reference",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        help_text="The bank transfer's reference, exactly as on the statement.",
    )
    amount = _money("Amount paid (USD)", help_text="Must equal the approved refund.")


class FinalInputForm(forms.Form):
    """One figure the CSM enters: a value, or baseline and current counts, always with its source."""

    value = forms.DecimalField(
        label="Value",
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    baseline = forms.DecimalField(
        label="Baseline count",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "1"}),
    )
    current = forms.DecimalField(
        label="Current count",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "1"}),
    )
    source_note = forms.CharField(
        label="Source",
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text="Where the figure comes from: report, tool, date.",
    )

    def __init__(self, *args: Any, config: FinalCriterionConfig, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", config.key)
        super().__init__(*args, **kwargs)
        self.config = config
        reduction = config.source == FinalCriterionConfig.Source.CSM_REDUCTION
        for name in ("baseline", "current") if not reduction else ("value",):
            del self.fields[name]
        if not reduction:
            self.fields["value"].label = f"{config.label} ({config.unit})" if config.unit else config.label
        self.fields["source_note"].help_text = config.input_help or self.fields["source_note"].help_text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        needed = ["value"] if "value" in self.fields else ["baseline", "current"]
        for name in needed:
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, "Enter a number.")
        return data


class ImpactForm(forms.Form):
    business_impact = forms.CharField(
        label="Business impact",
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text="In the customer's terms: revenue, cost, time to market, risk. Shown on the success document.",
    )


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *Claim.Status.choices], required=False)
    remedy = forms.ChoiceField(choices=[("", "Any remedy"), *Remedy.choices], required=False)


class LedgerFilterForm(forms.Form):
    search = forms.CharField(required=False, max_length=200)
    status = forms.ChoiceField(choices=[("", "Any guarantee status"), *Guarantee.Status.choices], required=False)
    claim = forms.ChoiceField(choices=[("", "Any claim"), ("none", "No claim"), *Claim.Status.choices], required=False)
    remedy = forms.ChoiceField(choices=[("", "Any remedy"), *Remedy.choices], required=False)
