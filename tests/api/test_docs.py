"""The API's documentation page works under our own Content-Security-Policy: every asset comes from the portal."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_api_docs_reference_only_same_origin_assets_that_the_portal_serves(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("api:openapi-view"))

    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    scripts = [url for url in assets if url.endswith(".js")]
    assert any("swagger-ui-bundle" in url for url in scripts), html
    for url in assets:
        assert url.startswith("/"), f"{url} is not served by the portal"
        assert not url.startswith("//")
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file of ours"


def test_api_docs_are_for_staff_only(client, customer_a):
    client.force_login(customer_a)

    response = client.get(reverse("api:openapi-view"))

    assert response.status_code in (302, 403)
    assert "swagger" not in response.content.decode().lower()
