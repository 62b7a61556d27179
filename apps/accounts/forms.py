from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from apps.accounts.login_names import normalise_login_name


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        # The same spelling the throttle counts (AXES_USERNAME_CALLABLE), so no spelling gets tries of its own.
        return normalise_login_name(self.cleaned_data.get("username"))
