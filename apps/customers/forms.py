from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from apps.customers.models import Customer, Stakeholder


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ["name", "segment", "industry", "size", "website", "owner"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(is_staff=True, is_active=True)

    def clean_name(self) -> str:
        # Names are unique ignoring case; say which customer clashes instead of naming the database constraint.
        name = self.cleaned_data["name"]
        clash = Customer.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(f"A customer named “{clash.name}” already exists.")
        return name


class StakeholderForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        choices=Stakeholder.Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Stakeholder.Channel.EMAIL, Stakeholder.Channel.IN_APP],
        help_text="Where this person receives progress updates.",
    )

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "email",
            "title",
            "role",
            "is_approver",
            "channels",
            "slack_webhook_url",
            "teams_webhook_url",
            "webhook_url",
        ]

    def __init__(self, *args: object, customer: Customer, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.customer = customer

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        others = self.customer.stakeholders.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("This company already has a stakeholder with this email.")
        # A stakeholder with a client login carries the email over to it, and logins are unique by email.
        user_id = self.instance.user_id
        if user_id and get_user_model().objects.filter(email__iexact=email).exclude(pk=user_id).exists():
            raise forms.ValidationError("Another login already uses this email.")
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        needs = {"slack": "slack_webhook_url", "teams": "teams_webhook_url", "webhook": "webhook_url"}
        for channel, field in needs.items():
            if channel in cleaned.get("channels", []) and not cleaned.get(field):
                self.add_error(field, f"Needed for the {Stakeholder.Channel(channel).label} channel.")
        return cleaned


class ChurnForm(forms.Form):
    churned_on = forms.DateField(label="Churned on", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
