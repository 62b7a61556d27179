from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from apps.notifications.models import Channel, WebhookEventType
from apps.notifications.services import USER_CHANNELS
from apps.notifications.webhooks import check_url

CHAT_URL_FIELDS = {Channel.SLACK: "slack_webhook_url", Channel.TEAMS: "teams_webhook_url"}


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label="Endpoint URL",
        max_length=500,
        assume_scheme="https",
        help_text="An https address on the customer's side.",
    )
    description = forms.CharField(max_length=200, required=False)
    events = forms.MultipleChoiceField(
        choices=WebhookEventType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked to receive every event.",
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["url"]) from None
        return url


class ChannelsForm(forms.Form):
    """Where a person receives notifications: staff for themselves, stakeholders in the client view."""

    channels = forms.MultipleChoiceField(
        choices=[(c, Channel(c).label) for c in USER_CHANNELS], widget=forms.CheckboxSelectMultiple, required=False
    )
    slack_webhook_url = forms.URLField(
        label="Slack incoming webhook URL", max_length=500, required=False, assume_scheme="https"
    )
    teams_webhook_url = forms.URLField(
        label="Microsoft Teams Workflows webhook URL", max_length=500, required=False, assume_scheme="https"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for channel, field in CHAT_URL_FIELDS.items():
            url = cleaned.get(field)
            if channel in cleaned.get("channels", []) and not url and field not in self.errors:
                self.add_error(field, f"Needed for the {Channel(channel).label} channel.")
            elif url:
                try:
                    check_url(url)
                except ValidationError as error:
                    self.add_error(field, error.message_dict["url"])
        return cleaned
