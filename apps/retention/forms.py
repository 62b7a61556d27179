"""Forms validate and clean input only; the views hand cleaned data to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from apps.core.fields import BoundedModelMultipleChoiceField
from apps.customers.models import Customer
from apps.retention.models import Playbook, Review, Task, Touchpoint
from apps.retention.registry import EXPANSION_SIGNALS
from apps.retention.surveys import QUESTIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StakeholderChoice(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_role_display()}, {obj.email})"


def _stakeholders(customer: Customer, **kwargs: Any) -> forms.ModelMultipleChoiceField:
    return StakeholderChoice(
        queryset=customer.stakeholders.order_by("name"), widget=forms.CheckboxSelectMultiple, **kwargs
    )


class SurveySendForm(forms.Form):
    questions = forms.MultipleChoiceField(
        choices=[("nps", "NPS (0-10, how likely to recommend)"), ("csat", "CSAT (1-10, how satisfied)")],
        widget=forms.CheckboxSelectMultiple,
        initial=["nps", "csat"],
    )
    message = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: a line shown above the questions.",
    )

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholders"] = _stakeholders(customer, help_text="Each gets their own link by email.")
        self.order_fields(["stakeholders", "questions", "message"])


class SurveyAnswerForm(forms.Form):
    """Built from the survey's questions (declared once in `surveys.QUESTIONS`)."""

    comment = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label="Anything you want to add?"
    )

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in reversed(questions):
            q = QUESTIONS[key]
            self.fields[key] = forms.TypedChoiceField(
                label=q.label,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "score-choice"}),
                choices=[(n, str(n)) for n in range(q.low, q.high + 1)],
                help_text=f"{q.low} = {q.low_label}, {q.high} = {q.high_label}.",
            )
        self.order_fields([*questions, "comment"])


class TouchpointForm(forms.ModelForm):
    class Meta:
        model = Touchpoint
        fields = ["kind", "occurred_on", "note"]
        widgets = {"occurred_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {"occurred_on": "Date", "kind": "Kind"}

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholders"] = _stakeholders(customer, required=False, label="Who took part")
        self.fields["occurred_on"].initial = timezone.localdate()
        self.order_fields(["kind", "occurred_on", "stakeholders", "note"])


class ReviewForm(forms.ModelForm):
    expansion_signals = forms.MultipleChoiceField(
        choices=EXPANSION_SIGNALS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What you learned that the portal cannot know.",
    )

    class Meta:
        model = Review
        fields = [
            "reviewed_on",
            "sentiment",
            "roi_achieved",
            "business_impact",
            "goals_met",
            "expansion_signals",
            "note",
        ]
        widgets = {"reviewed_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "reviewed_on": "Review date",
            "sentiment": "Stakeholder sentiment (1-10)",
            "roi_achieved": "ROI achieved (0-100)",
            "business_impact": "Business impact (0-100)",
            "goals_met": "Success-plan goals met (0-100)",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()


class PlaybookChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class PlaybookStartForm(forms.Form):
    playbook = PlaybookChoice(
        queryset=Playbook.objects.order_by("pk"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the playbooks listed."},
    )


class TaskCloseForm(forms.Form):
    status = forms.ChoiceField(choices=[(Task.Status.DONE, "Done"), (Task.Status.DROPPED, "Dropped")])
    note = forms.CharField(required=False, max_length=2000)
