"""Who hears about a milestone, on which channels, with links into the right face of the portal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def staff_url(milestone: Any) -> str:
    return settings.SITE_URL + reverse("guarantees:milestone", args=[milestone.pk])


def client_url(milestone: Any) -> str:
    return settings.SITE_URL + reverse("client_guarantees:milestone", args=[milestone.pk])
