from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render

from apps.accounts.throttle import allow_password_reset


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, refusing with 429 once an address or an IP has asked too often (nothing is sent)."""

    def form_valid(self, form: Any) -> HttpResponse:
        if not allow_password_reset(email=form.cleaned_data["email"], ip=self.request.META.get("REMOTE_ADDR")):
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        return super().form_valid(form)
