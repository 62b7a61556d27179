"""One spelling of a login name, for both the login form and the login throttle.

django-axes counts failures per username; if it saw the raw field while the login matched case-insensitively,
`SAM@Sierra.example` and `" sam@sierra.example"` would each get their own five tries (and a success under one
spelling would clear the lockout of another).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def normalise_login_name(value: object) -> str:
    """Strip surrounding whitespace and lowercase: how e-mail addresses are stored (see UserManager)."""
    return str(value or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the login name from the credentials, or from the posted form, normalised."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        return normalise_login_name(credentials[field])
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return normalise_login_name(data.get(field))
