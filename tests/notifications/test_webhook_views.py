"""Staff pages and API of webhook endpoints, and channel preferences for staff and stakeholders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.api.services import create_api_key
from apps.notifications import crypto, services, webhooks
from apps.notifications.models import ChannelPreference, OutboxMessage, WebhookEndpoint
from tests.notifications.receiver import running_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with running_receiver() as receiver:
        yield receiver


def _api(client, url, payload=None):
    _, raw = create_api_key(name="Integrations")
    return client.post(url, payload or {}, content_type="application/json", headers={"Authorization": f"Bearer {raw}"})


def test_staff_register_an_endpoint_and_see_its_secret_once(csm_client, company_a, receiver):
    url = reverse("notifications:endpoint_create", args=[company_a.pk])
    data = {"url": receiver.url, "description": "Acme's ERP", "events": ["progress_update.created"]}

    page = csm_client.post(url, data).content.decode()

    endpoint = WebhookEndpoint.objects.get(customer=company_a)
    secret = crypto.decrypt(endpoint.secret_encrypted)
    assert secret in page
    assert "shown only once" in page
    assert endpoint.events == ["progress_update.created"]
    detail = csm_client.get(reverse("notifications:endpoint_detail", args=[endpoint.pk])).content.decode()
    assert secret not in detail
    assert "A progress update was posted" in detail
    customer_page = csm_client.get(reverse("customers:detail", args=[company_a.pk])).content.decode()
    assert receiver.url in customer_page


def test_an_internal_url_is_refused_on_the_form(csm_client, company_a, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    url = reverse("notifications:endpoint_create", args=[company_a.pk])

    page = csm_client.post(url, {"url": "https://10.0.0.1/hooks"}).content.decode()

    assert "10.0.0.1, a private address: refused" in page
    assert not WebhookEndpoint.objects.exists()


def test_rotating_on_the_page_shows_the_new_secret_and_the_old_ones_deadline(csm_client, company_a, receiver):
    endpoint, old = webhooks.register_endpoint(actor=None, customer=company_a, url=receiver.url, events=[])

    page = csm_client.post(reverse("notifications:endpoint_rotate", args=[endpoint.pk])).content.decode()

    endpoint.refresh_from_db()
    new = crypto.decrypt(endpoint.secret_encrypted)
    assert new != old
    assert new in page
    assert "The previous secret keeps signing too until" in page
    assert webhooks.signing_secrets(endpoint) == [new, old]


def test_the_delivery_log_shows_each_attempt_and_sends_again(csm_client, company_a, receiver, committed):
    receiver.answers = [(500, {}), (200, {})]
    endpoint, _ = webhooks.register_endpoint(actor=None, customer=company_a, url=receiver.url, events=[])
    with committed():
        (row,) = webhooks.emit_event(event_type="claim.status_changed", customer_id=company_a.pk, key="1", data={})
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.FAILED)

    page = csm_client.get(reverse("notifications:endpoint_detail", args=[endpoint.pk])).content.decode()
    assert "HTTP 500" in page
    assert row.webhook_id in page
    assert "Send again" in page

    with committed():
        csm_client.post(reverse("notifications:send_again", args=[row.pk]))

    page = csm_client.get(reverse("notifications:endpoint_detail", args=[endpoint.pk])).content.decode()
    assert "HTTP 200" in page
    assert len(receiver.requests) == 2


def test_disabling_an_endpoint_stops_its_events(csm_client, company_a, receiver, committed):
    endpoint, _ = webhooks.register_endpoint(actor=None, customer=company_a, url=receiver.url, events=[])

    csm_client.post(reverse("notifications:endpoint_toggle", args=[endpoint.pk]))
    with committed():
        webhooks.emit_event(event_type="claim.status_changed", customer_id=company_a.pk, key="1", data={})

    assert receiver.requests == []
    endpoint.refresh_from_db()
    assert endpoint.disabled_reason == "Disabled by staff."


def test_the_api_registers_an_endpoint_and_answers_its_secret(client, company_a, receiver):
    payload = {"url": receiver.url, "description": "ERP", "events": ["milestone.signed_off", "claim.status_changed"]}

    response = _api(client, f"/api/v1/customers/{company_a.pk}/webhook-endpoints", payload)

    assert response.status_code == 201
    body = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert body == {"id": endpoint.pk, "url": receiver.url, "events": payload["events"], "secret": body["secret"]}
    assert body["secret"].startswith("whsec_")
    assert crypto.decrypt(endpoint.secret_encrypted) == body["secret"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "https://169.254.169.254/latest", "events": []}, "url"),
        ({"url": "https://hooks.example/", "events": ["nonsense.happened"]}, "events.0"),
        ({"url": "https://hooks.example/", "secret": "mine"}, "secret"),
        ({"events": []}, "url"),
    ],
)
def test_bad_endpoint_input_answers_422_naming_the_field(client, company_a, settings, payload, field):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    response = _api(client, f"/api/v1/customers/{company_a.pk}/webhook-endpoints", payload)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_the_api_rotates_a_secret_and_keeps_the_old_one_for_24_hours(client, company_a, company_b, receiver):
    endpoint, old = webhooks.register_endpoint(actor=None, customer=company_a, url=receiver.url, events=[])

    response = _api(client, f"/api/v1/customers/{company_a.pk}/webhook-endpoints/{endpoint.pk}/rotate-secret")
    wrong_customer = _api(client, f"/api/v1/customers/{company_b.pk}/webhook-endpoints/{endpoint.pk}/rotate-secret")

    assert response.status_code == 200
    new = response.json()["secret"]
    assert new.startswith("whsec_")
    assert new != old
    endpoint.refresh_from_db()
    assert webhooks.signing_secrets(endpoint) == [new, old]
    assert wrong_customer.status_code == 404


def test_staff_choose_their_channels(csm_client, csm, receiver):
    url = reverse("notifications:preferences")

    refused = csm_client.post(url, {"channels": ["email", "slack"]}).content.decode()
    assert "Needed for the Slack channel." in refused
    csm_client.post(url, {"channels": ["in_app", "slack"], "slack_webhook_url": receiver.url})

    preference = ChannelPreference.objects.get(user=csm)
    assert (preference.channels, preference.slack_webhook_url) == (["in_app", "slack"], receiver.url)
    rows = services.notify_user(event_key="x:1", user=csm, subject="s", body="b", url="/", customer_id=None)
    assert sorted(row.channel for row in rows) == ["in_app", "slack"]


def test_staff_get_email_and_in_app_until_they_choose(csm):
    rows = services.notify_user(event_key="x:1", user=csm, subject="s", body="b", url="/", customer_id=None)

    assert sorted(row.channel for row in rows) == ["email", "in_app"]


def test_a_stakeholder_chooses_their_channels_in_the_client_view(customer_a_client, stakeholder_a):
    url = reverse("client_notifications:preferences")

    customer_a_client.post(url, {"channels": ["in_app"]})

    stakeholder_a.refresh_from_db()
    assert stakeholder_a.channels == ["in_app"]
    page = customer_a_client.get(url).content.decode()
    assert 'value="in_app" id="id_channels_1" checked' in page
    assert 'value="email" id="id_channels_0" checked' not in page


def test_a_stakeholders_chat_url_must_not_point_inside_our_network(customer_a_client, stakeholder_a, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    page = customer_a_client.post(
        reverse("client_notifications:preferences"), {"channels": ["teams"], "teams_webhook_url": "https://10.1.2.3/x"}
    ).content.decode()

    assert "a private address: refused" in page
    stakeholder_a.refresh_from_db()
    assert stakeholder_a.teams_webhook_url == ""
