from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from apps.projects.models import ProgressUpdate
from apps.projects.services_progress import clean_items


class KickoffForm(forms.Form):
    standup_time = forms.TimeField(
        label="Daily stand-up time",
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
        help_text="Announced to the team and the customer at launch.",
    )


class EnvironmentForm(forms.Form):
    ready = forms.BooleanField(required=False)
    url = forms.URLField(required=False, max_length=200)


def _lines(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class ProgressUpdateForm(forms.ModelForm):
    """A CSM's progress update: one line per achievement, blocker and upcoming milestone."""

    achievements = _lines("Achievements", "One per line.")
    blockers = _lines("Blockers", "One per line; leave empty when nothing blocks the team.")
    upcoming = _lines("Upcoming milestones", "One per line.")

    class Meta:
        model = ProgressUpdate
        fields = ["percent_complete", "risk_level"]
        labels = {"percent_complete": "Overall progress (%)"}
        widgets = {
            "percent_complete": forms.NumberInput(attrs={"class": "form-control", "step": "0.1", "min": 0, "max": 100}),
            "risk_level": forms.Select(attrs={"class": "form-select"}),
        }

    def _clean_lines(self, field: str) -> list[str]:
        try:
            return clean_items(self.cleaned_data[field].splitlines(), field)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict[field]) from None

    def clean_achievements(self) -> list[str]:
        return self._clean_lines("achievements")

    def clean_blockers(self) -> list[str]:
        return self._clean_lines("blockers")

    def clean_upcoming(self) -> list[str]:
        return self._clean_lines("upcoming")
