"""Proposal forms: terms and stakeholders (CSM), a decision through the link (customer), an offline record (CSM)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from apps.tiers.models import Proposal, ProposalStakeholder, Tier

BS = {"class": "form-control"}
SELECT = {"class": "form-select"}


class ProposalForm(forms.Form):
    tier = forms.ModelChoiceField(queryset=Tier.objects.none(), widget=forms.Select(attrs=SELECT))
    price = forms.DecimalField(
        label="Price (USD)", max_digits=12, decimal_places=2, min_value=Decimal(0), widget=forms.NumberInput(attrs=BS)
    )
    timeline_weeks = forms.IntegerField(label="Timeline (weeks)", min_value=1, widget=forms.NumberInput(attrs=BS))
    scope_notes = forms.CharField(
        label="Scope notes",
        required=False,
        widget=forms.Textarea(attrs={**BS, "rows": 5}),
        help_text="What is in and out of scope, in the customer's words where possible.",
    )

    def __init__(self, *args: Any, current_tier: Tier | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tiers = Tier.objects.filter(retired=False)
        if current_tier is not None:
            tiers = tiers | Tier.objects.filter(pk=current_tier.pk)
        self.fields["tier"].queryset = tiers.distinct()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        tier, price, weeks = cleaned.get("tier"), cleaned.get("price"), cleaned.get("timeline_weeks")
        if tier and price is not None and not tier.price_min <= price <= tier.price_max:
            self.add_error("price", f"{tier.name} is priced {tier.price_range}.")
        if tier and weeks is not None and not tier.weeks_min <= weeks <= tier.weeks_max:
            self.add_error("timeline_weeks", f"{tier.name} runs {tier.weeks_min}–{tier.weeks_max} weeks.")
        return cleaned


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = ProposalStakeholder
        fields = ["name", "email", "title", "role", "background", "is_approver"]
        widgets = {
            "name": forms.TextInput(attrs=BS),
            "email": forms.EmailInput(attrs=BS),
            "title": forms.TextInput(attrs=BS),
            "role": forms.Select(attrs=SELECT),
            "background": forms.Select(attrs=SELECT),
            "is_approver": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }
        labels = {"is_approver": "Approver"}


class BaseStakeholderFormSet(forms.BaseFormSet):
    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        # A row with a name or email is a person, even when it equals the initial row (an unchanged edit).
        if self.is_bound and any(self.data.get(f"{form.prefix}-{key}") for key in ("name", "email")):
            form.empty_permitted = False
        return form

    def clean(self) -> None:
        if any(self.errors):
            return
        people = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        emails = [p["email"].lower() for p in people]
        if not people:
            raise forms.ValidationError("Name at least one stakeholder.")
        if len(set(emails)) != len(emails):
            raise forms.ValidationError("Each stakeholder needs their own email address.")
        if not any(p.get("is_approver") for p in people):
            raise forms.ValidationError("Make at least one stakeholder an approver: approvers sign off milestones.")

    def people(self) -> list[dict[str, Any]]:
        keys = StakeholderForm.Meta.fields
        return [
            {k: f.cleaned_data.get(k, "") for k in keys}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


# absolute_max: a posted TOTAL_FORMS of billions builds (and re-renders) 20 forms, not Django's default 1,020.
StakeholderFormSet = forms.formset_factory(
    StakeholderForm,
    formset=BaseStakeholderFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
    absolute_max=20,
)


class AcceptForm(forms.Form):
    name = forms.CharField(label="Your full name", max_length=150, widget=forms.TextInput(attrs=BS))
    comment = forms.CharField(
        label="Comment (optional)", required=False, widget=forms.Textarea(attrs={**BS, "rows": 3})
    )
    authority = forms.BooleanField(label="I am authorised to accept this proposal for my organisation")


class DeclineForm(forms.Form):
    name = forms.CharField(label="Your full name", max_length=150, widget=forms.TextInput(attrs=BS))
    comment = forms.CharField(
        label="Why are you declining?",
        widget=forms.Textarea(attrs={**BS, "rows": 3}),
        help_text="Your answer goes to your customer success manager.",
    )


class RecordDecisionForm(forms.Form):
    """A CSM records a decision the customer made outside the portal (a signed PDF, a call)."""

    decision = forms.ChoiceField(
        choices=[("accepted", "Accepted"), ("declined", "Declined")],
        initial="accepted",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    name = forms.CharField(label="Decided by (name)", max_length=150, widget=forms.TextInput(attrs=BS))
    decided_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={**BS, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Time to onboarding counts from the acceptance.",
    )
    comment = forms.CharField(label="Comment or reason", required=False, widget=forms.Textarea(attrs={**BS, "rows": 3}))

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        when = cleaned.get("decided_at")
        if when and when > timezone.now():
            self.add_error("decided_at", "The decision cannot be in the future.")
        if cleaned.get("decision") == "declined" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say why the customer declined; it becomes the lead's lost reason.")
        if cleaned.get("decision") == "declined" and self.proposal.status != Proposal.Status.SENT:
            self.add_error("decision", "Only a sent proposal can be declined.")
        return cleaned
