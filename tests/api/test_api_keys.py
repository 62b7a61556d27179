"""API keys: Bearer only, shown once, stored as a hash, revocable."""

from __future__ import annotations

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.api.models import ApiKey
from apps.api.scopes import all_scopes
from apps.api.services import create_api_key, revoke_api_key
from apps.audit.models import AuditEvent
from tests.pages import assert_api_refused

pytestmark = pytest.mark.django_db

PING = "/api/v1/ping"


def _bearer(raw_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw_key}"}


def test_ping_with_a_valid_key_answers_200_and_marks_the_key_used(client):
    api_key, raw_key = create_api_key(name="CRM sync")

    response = client.get(PING, headers=_bearer(raw_key))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "key": "CRM sync"}
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None
    assert (timezone.now() - api_key.last_used_at).total_seconds() < 5


def test_a_busy_key_is_marked_used_at_most_once_a_minute(client, django_assert_num_queries):
    _, raw_key = create_api_key(name="CRM sync")
    client.get(PING, headers=_bearer(raw_key))

    with django_assert_num_queries(1):
        response = client.get(PING, headers=_bearer(raw_key))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "key": "CRM sync"}


def test_a_revoked_key_is_refused(client, admin_user):
    api_key, raw_key = create_api_key(name="Old website form")
    revoke_api_key(api_key=api_key, actor=admin_user)

    response = client.get(PING, headers=_bearer(raw_key))

    assert response.status_code == 401
    assert AuditEvent.objects.for_object(api_key).filter(action="api_key.revoked").count() == 1


def test_revoking_twice_records_one_event(admin_user):
    api_key, _ = create_api_key(name="CI")

    revoke_api_key(api_key=api_key, actor=admin_user)
    revoke_api_key(api_key=api_key, actor=admin_user)

    assert AuditEvent.objects.filter(action="api_key.revoked").count() == 1


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer csp_not-a-real-key"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["no key", "unknown key", "wrong scheme"],
)
def test_a_request_without_a_valid_key_is_refused(client, headers):
    create_api_key(name="Exists")

    response = client.get(PING, headers=headers)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_browser_session_alone_does_not_open_the_api(admin_user, client):
    client.force_login(admin_user)

    assert_api_refused(client.get(PING), 401, "Unauthorized")


def test_only_the_hash_of_a_key_is_stored(client):
    api_key, raw_key = create_api_key(name="Warehouse")

    stored = ApiKey.objects.filter(pk=api_key.pk).values().get()
    assert raw_key.startswith("csp_")
    assert stored["key_hash"] == hashlib.sha256(raw_key.encode()).hexdigest()
    assert stored["prefix"] == raw_key[:12]
    assert all(raw_key not in str(value) for value in stored.values())


def test_the_create_api_key_command_prints_a_key_that_works(client):
    out = StringIO()

    call_command("create_api_key", "Nightly export", stdout=out)

    raw_key = out.getvalue().strip()
    assert re.fullmatch(r"csp_[A-Za-z0-9_-]{40,}", raw_key)
    assert ApiKey.objects.get().name == "Nightly export"
    assert client.get(PING, headers=_bearer(raw_key)).json() == {"status": "ok", "key": "Nightly export"}


def test_the_admin_add_form_shows_the_key_once_and_stores_only_its_hash(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:api_apikey_add"), {"name": "Website form", "scopes": ["leads:write"]}, follow=True
    )

    assert response.status_code == 200
    shown = re.search(r"it is not shown again\): (csp_[A-Za-z0-9_-]+)", response.content.decode())
    assert shown is not None
    raw_key = shown.group(1)
    api_key = ApiKey.objects.get()
    assert api_key.name == "Website form"
    assert api_key.created_by == admin_user
    assert api_key.scopes == ["leads:write"]
    assert api_key.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    change_page = client.get(reverse("admin:api_apikey_change", args=[api_key.pk])).content.decode()
    assert raw_key not in change_page
    assert raw_key not in client.get(reverse("admin:api_apikey_changelist")).content.decode()
    client.logout()
    assert client.get(PING, headers=_bearer(raw_key)).status_code == 200


def test_renaming_a_key_in_the_admin_keeps_it_working(client, admin_user):
    api_key, raw_key = create_api_key(name="Old name")
    client.force_login(admin_user)

    client.post(reverse("admin:api_apikey_change", args=[api_key.pk]), {"name": "New name", "scopes": all_scopes()})

    api_key.refresh_from_db()
    assert api_key.name == "New name"
    assert client.get(PING, headers=_bearer(raw_key)).json()["key"] == "New name"


def test_the_admin_revoke_action_stops_a_key_and_keys_cannot_be_deleted(client, admin_user):
    api_key, raw_key = create_api_key(name="Leaked")
    client.force_login(admin_user)

    client.post(
        reverse("admin:api_apikey_changelist"), {"action": "revoke", "_selected_action": [api_key.pk]}, follow=True
    )

    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert client.get(PING, headers=_bearer(raw_key)).status_code == 401
    assert client.get(reverse("admin:api_apikey_delete", args=[api_key.pk])).status_code == 403
