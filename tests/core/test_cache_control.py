"""Logged-in pages and every API answer carry `Cache-Control: private, no-store`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.api.services import create_api_key

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_staff_pages_fragments_and_redirects_are_private_and_not_stored(csm_client, company_a):
    responses = [
        csm_client.get(reverse("home")),
        csm_client.get(reverse("customers:list")),
        csm_client.get(reverse("customers:detail", args=[company_a.pk])),
        csm_client.get(reverse("notifications:bell"), headers={"HX-Request": "true"}),
        csm_client.post(reverse("notifications:mark_all_read")),
        csm_client.get(reverse("customers:detail", args=[999_999])),
    ]

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 302, 404]
    for response in responses:
        assert {"private", "no-store"} <= _directives(response), response.request["PATH_INFO"]


def test_client_pages_are_private_and_not_stored(customer_a_client):
    response = customer_a_client.get(reverse("client:home"))

    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_a_view_that_already_said_no_cache_keeps_that_and_gains_private_no_store(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("admin:index"))

    assert {"private", "no-store", "no-cache"} <= _directives(response)


@pytest.mark.parametrize("with_key", [True, False], ids=["valid key", "no key"])
def test_every_api_answer_is_private_and_not_stored(client, with_key):
    _, raw_key = create_api_key(name="CRM")
    headers = {"Authorization": f"Bearer {raw_key}"} if with_key else {}

    ping = client.get("/api/v1/ping", headers=headers)
    missing = client.get("/api/v1/guarantees/999999", headers=headers)

    assert (ping.status_code, missing.status_code) == ((200, 404) if with_key else (401, 401))
    assert {"private", "no-store"} <= _directives(ping)
    assert {"private", "no-store"} <= _directives(missing)
