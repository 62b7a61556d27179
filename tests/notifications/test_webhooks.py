"""Signed webhooks (Standard Webhooks 1.0) to a real receiver on 127.0.0.1, retries, and the SSRF guard."""

from __future__ import annotations

import json
import socket
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from apps.notifications import crypto, net, services, webhooks
from apps.notifications.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from tests.notifications.receiver import running_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def endpoint(receiver, company_a, csm):
    endpoint, secret = webhooks.register_endpoint(actor=csm, customer=company_a, url=receiver.url, events=[])
    endpoint.secret = secret  # the clear secret, as the receiver keeps it
    return endpoint


def _emit(committed, company, key="1", event_type="milestone.status_changed", data=None):
    with committed():
        return webhooks.emit_event(event_type=event_type, customer_id=company.pk, key=key, data=data or {"week": 1})


def _make_due(row: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def _verify(secret: str, request) -> dict:
    return Webhook(secret).verify(request.body, request.headers)


def test_every_webhook_verifies_with_the_standard_webhooks_library(committed, receiver, endpoint, company_a):
    for number, event_type in enumerate(
        ["milestone.status_changed", "claim.status_changed", "guarantee.status_changed"]
    ):
        _emit(committed, company_a, key=str(number), event_type=event_type, data={"n": number})

    assert len(receiver.requests) == 3
    envelopes = [_verify(endpoint.secret, request) for request in receiver.requests]
    assert [e["type"] for e in envelopes] == [
        "milestone.status_changed",
        "claim.status_changed",
        "guarantee.status_changed",
    ]
    assert [e["data"] for e in envelopes] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert all(set(e) == {"type", "timestamp", "data"} for e in envelopes)
    rows = OutboxMessage.objects.filter(webhook_endpoint=endpoint).order_by("pk")
    assert [r.headers["webhook-id"] for r in receiver.requests] == [row.webhook_id for row in rows]
    assert all(row.status == OutboxMessage.Status.SENT for row in rows)


def test_a_receiver_with_another_secret_rejects_the_webhook(committed, receiver, endpoint, company_a):
    _emit(committed, company_a)

    with pytest.raises(WebhookVerificationError):
        _verify(crypto.new_secret(), receiver.requests[0])


def test_after_a_rotation_both_secrets_sign_for_24_hours_then_only_the_new_one(
    committed, receiver, endpoint, company_a
):
    new_secret = webhooks.rotate_secret(actor=None, endpoint=endpoint)
    _emit(committed, company_a, key="during")

    during = receiver.requests[-1]
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert _verify(new_secret, during)["data"] == {"week": 1}
    assert _verify(endpoint.secret, during)["data"] == {"week": 1}

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
    )
    _emit(committed, company_a, key="after")

    after = receiver.requests[-1]
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    assert _verify(new_secret, after)["type"] == "milestone.status_changed"
    with pytest.raises(WebhookVerificationError):
        _verify(endpoint.secret, after)


def test_a_retry_sends_the_same_body_and_webhook_id_with_a_fresh_signature(committed, receiver, endpoint, company_a):
    receiver.answers = [(503, {}), (200, {})]
    (row,) = _emit(committed, company_a)
    _make_due(row)

    assert services.deliver(message_id=row.pk) is True

    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == row.webhook_id
    assert _verify(endpoint.secret, second)["type"] == "milestone.status_changed"
    attempts = list(DeliveryAttempt.objects.filter(message=row).values_list("number", "succeeded", "response_status"))
    assert attempts == [(1, False, 503), (2, True, 200)]


def test_the_same_event_emitted_twice_is_sent_once(committed, receiver, endpoint, company_a):
    _emit(committed, company_a, key="5")
    _emit(committed, company_a, key="5")

    assert len(receiver.requests) == 1


def test_an_endpoint_receives_only_the_event_types_it_chose(committed, receiver, company_a, csm):
    webhooks.register_endpoint(actor=csm, customer=company_a, url=receiver.url, events=["claim.status_changed"])

    _emit(committed, company_a, key="1", event_type="milestone.status_changed")
    _emit(committed, company_a, key="2", event_type="claim.status_changed")

    assert [json.loads(r.body)["type"] for r in receiver.requests] == ["claim.status_changed"]


def test_an_endpoint_that_answers_410_is_disabled(committed, receiver, endpoint, company_a):
    receiver.answers = [(410, {})]
    (row,) = _emit(committed, company_a)

    row.refresh_from_db()
    endpoint.refresh_from_db()
    assert row.status == OutboxMessage.Status.FAILED
    assert endpoint.is_active is False
    assert "410" in endpoint.disabled_reason
    assert _emit(committed, company_a, key="later") == []
    assert len(receiver.requests) == 1


def test_a_429_waits_as_long_as_retry_after_asks(committed, receiver, endpoint, company_a):
    receiver.answers = [(429, {"Retry-After": "120"})]
    (row,) = _emit(committed, company_a)

    row.refresh_from_db()
    attempt = DeliveryAttempt.objects.get(message=row)
    assert row.status == OutboxMessage.Status.PENDING
    assert attempt.response_status == 429
    assert row.next_attempt_at - attempt.finished_at == timedelta(seconds=120)


def test_a_server_error_is_retried_later_with_backoff_and_jitter(committed, receiver, endpoint, company_a, settings):
    receiver.answers = [(500, {})]
    (row,) = _emit(committed, company_a)

    row.refresh_from_db()
    attempt = DeliveryAttempt.objects.get(message=row)
    wait = (row.next_attempt_at - attempt.finished_at).total_seconds()
    assert row.status == OutboxMessage.Status.PENDING
    assert settings.WEBHOOK_RETRY_BASE_SECONDS <= wait <= settings.WEBHOOK_RETRY_BASE_SECONDS * 1.2
    assert "Answered 500" in row.last_error


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(
    committed, receiver, endpoint, company_a, settings
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1.0
    (row,) = _emit(committed, company_a)

    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.PENDING
    assert "Not reachable" in row.last_error
    assert "timed out" in row.last_error
    assert DeliveryAttempt.objects.get(message=row).response_status is None


def test_a_redirect_is_not_followed(committed, receiver, endpoint, company_a):
    with running_receiver("/elsewhere") as elsewhere:
        receiver.answers = [(302, {"Location": elsewhere.url})]
        (row,) = _emit(committed, company_a)

    row.refresh_from_db()
    assert elsewhere.requests == []
    assert "redirects are not followed" in row.last_error
    assert row.status == OutboxMessage.Status.PENDING


def test_a_closed_port_is_a_failed_attempt(committed, settings, company_a, csm):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with running_receiver() as gone:
        url = gone.url
    webhooks.register_endpoint(actor=csm, customer=company_a, url=url, events=[])

    (row,) = _emit(committed, company_a)

    row.refresh_from_db()
    assert "Not reachable" in row.last_error
    assert row.status == OutboxMessage.Status.PENDING


def test_webhooks_give_up_after_their_attempts(committed, receiver, endpoint, company_a, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.answers = [(500, {})]
    (row,) = _emit(committed, company_a)
    _make_due(row)

    services.deliver(message_id=row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxMessage.Status.FAILED, 2)


def test_the_retry_schedule_spans_more_than_24_hours_even_without_jitter(settings):
    waits = [services.http_retry_seconds(n, jitter=0) for n in range(1, settings.WEBHOOK_MAX_ATTEMPTS)]

    assert sum(waits) >= 24 * 60 * 60
    assert waits[:3] == [60, 120, 240]
    assert services.http_retry_seconds(3, jitter=1) == 240 * 1.2


def test_send_again_delivers_the_same_message_once_more(committed, receiver, endpoint, company_a, csm):
    (row,) = _emit(committed, company_a)

    with committed():
        webhooks.send_again(actor=csm, message=row)

    assert len(receiver.requests) == 2
    assert receiver.requests[0].headers["webhook-id"] == receiver.requests[1].headers["webhook-id"]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxMessage.Status.SENT, 2)


def test_the_secret_is_stored_encrypted_with_the_key_from_the_environment(endpoint, settings):
    stored = WebhookEndpoint.objects.get(pk=endpoint.pk).secret_encrypted

    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret not in stored
    assert crypto.decrypt(stored) == endpoint.secret
    settings.WEBHOOK_ENCRYPTION_KEYS = [crypto.Fernet.generate_key().decode()]
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(stored)


INTERNAL = [
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/hooks",
    "https://[::ffff:127.0.0.1]/hooks",
    "https://localhost/hooks",  # a host name that resolves to 127.0.0.1
    "https://100.64.0.1/hooks",
    "https://[fc00::1]/hooks",
    "https://192.168.1.10/hooks",
    "https://[::1]/hooks",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_an_internal_address_is_refused_at_registration(url, settings, company_a):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    with pytest.raises(ValidationError) as refused:
        webhooks.register_endpoint(actor=None, customer=company_a, url=url, events=[])

    assert "refused" in refused.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_is_refused_unless_private_targets_are_allowed(settings, company_a):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    with pytest.raises(ValidationError, match="https"):
        webhooks.check_url("http://hooks.customer.example/")


def test_an_internal_address_is_refused_again_at_delivery(committed, receiver, endpoint, company_a, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    # Registered while allowed (as in development), under a name that resolves to 127.0.0.1.
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        url=receiver.url.replace("http://127.0.0.1", "https://localhost")
    )
    (row,) = _emit(committed, company_a)

    row.refresh_from_db()
    assert receiver.requests == []
    assert row.status == OutboxMessage.Status.FAILED
    assert "127.0.0.1, a loopback address: refused" in row.last_error


def test_the_host_is_resolved_once_and_the_connection_goes_to_that_address(committed, receiver, company_a, monkeypatch):
    calls = []
    port = int(receiver.url.split(":")[2].split("/")[0])

    def fake_getaddrinfo(host, *args, **kwargs):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(net.socket, "getaddrinfo", fake_getaddrinfo)
    url = f"http://hooks.customer.test:{port}/hooks"
    WebhookEndpoint.objects.create(customer=company_a, url=url, secret_encrypted=crypto.encrypt(crypto.new_secret()))

    _emit(committed, company_a)

    # One name lookup; the connection then goes to the checked number (a numeric "lookup" involves no DNS).
    assert [host for host in calls if host != "127.0.0.1"] == ["hooks.customer.test"]
    assert receiver.requests[0].headers["host"] == f"hooks.customer.test:{port}"


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
        ("127.0.0.2", True),
        ("172.16.0.1", True),
        ("100.127.255.255", True),
        ("100.128.0.1", False),
        ("fe80::1", True),
        ("64:ff9b::a00:1", True),
        ("2002:a00:1::1", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
    ],
)
def test_which_addresses_count_as_internal(address, internal):
    assert bool(net.internal_reason(address)) is internal
