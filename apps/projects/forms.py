from __future__ import annotations

from django import forms


class KickoffForm(forms.Form):
    standup_time = forms.TimeField(
        label="Daily stand-up time",
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
        help_text="Announced to the team and the customer at launch.",
    )


class EnvironmentForm(forms.Form):
    ready = forms.BooleanField(required=False)
    url = forms.URLField(required=False, max_length=200)
