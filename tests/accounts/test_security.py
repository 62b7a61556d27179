"""The security floor around sessions: idle timeout and login throttling keyed on username and IP together."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.customers.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _set_last_seen(client, seconds_ago: int) -> None:
    session = client.session
    session["last_seen"] = int(time.time()) - seconds_ago
    session.save()


@override_settings(SESSION_IDLE_TIMEOUT=600)
def test_a_session_idle_longer_than_the_timeout_is_logged_out(csm_client):
    csm_client.get(reverse("home"))
    _set_last_seen(csm_client, 601)

    response = csm_client.get(reverse("customers:list"))

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/customers/"
    assert "_auth_user_id" not in csm_client.session


@override_settings(SESSION_IDLE_TIMEOUT=600)
def test_a_session_used_within_the_timeout_stays_logged_in_and_is_refreshed(csm_client):
    csm_client.get(reverse("home"))
    _set_last_seen(csm_client, 500)

    response = csm_client.get(reverse("customers:list"))

    assert response.status_code == 200
    assert int(time.time()) - csm_client.session["last_seen"] < 5


@pytest.fixture
def clock(monkeypatch):
    """The idle-timeout middleware's clock, moved by hand."""
    now = [1_800_000_000]
    monkeypatch.setattr("apps.accounts.middleware.time", SimpleNamespace(time=lambda: now[0]))
    return now


POLL = {"HX-Request": "true", "X-Background-Poll": "true"}


@override_settings(SESSION_IDLE_TIMEOUT=600)
def test_a_tab_that_only_polls_the_bell_still_reaches_the_idle_timeout(csm_client, clock):
    csm_client.get(reverse("home"))
    polls = []
    for _ in range(20):  # ten minutes of the bell polling every 30 s
        clock[0] += 30
        polls.append(csm_client.get(reverse("notifications:bell"), headers=POLL).status_code)

    clock[0] += 30
    expired = csm_client.get(reverse("notifications:bell"), headers=POLL)

    assert polls == [200] * 20
    assert expired.status_code == 401
    assert expired["HX-Redirect"].startswith("/login/")
    assert "_auth_user_id" not in csm_client.session


@override_settings(SESSION_IDLE_TIMEOUT=600)
def test_a_request_the_person_makes_between_polls_keeps_the_session(csm_client, clock):
    csm_client.get(reverse("home"))
    clock[0] += 500
    csm_client.get(reverse("customers:list"))
    clicked_at = clock[0]
    for _ in range(10):
        clock[0] += 30
        csm_client.get(reverse("notifications:bell"), headers=POLL)

    response = csm_client.get(reverse("notifications:bell"), headers=POLL)

    # 800 s after the page load, but 300 s after the click: still in; the polls did not move the mark.
    assert response.status_code == 200
    assert csm_client.session["last_seen"] == clicked_at


def _login(client, email: str, password: str, ip: str):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def throttled(settings):
    # Test settings switch axes off; its settings are read per request, so turning it on here is enough.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def test_five_failed_logins_lock_out_that_username_from_that_address(client, throttled):
    alice = UserFactory(email="alice@portal.example")

    failures = [_login(client, alice.email, "wrong-password", "198.51.100.1").status_code for _ in range(4)]
    fifth = _login(client, alice.email, "wrong-password", "198.51.100.1")
    correct = _login(client, alice.email, TEST_PASSWORD, "198.51.100.1")

    assert failures == [200, 200, 200, 200]
    assert fifth.status_code == 429
    assert correct.status_code == 429
    assert "Too many failed attempts" in correct.content.decode()
    assert "_auth_user_id" not in client.session
    # The attempt made while locked out counts too.
    assert AccessAttempt.objects.get(username=alice.email, ip_address="198.51.100.1").failures_since_start == 6


def test_a_lockout_does_not_block_another_username_from_the_same_address(client, throttled):
    alice = UserFactory(email="alice@portal.example")
    bob = UserFactory(email="bob@portal.example")
    for _ in range(5):
        _login(client, alice.email, "wrong-password", "198.51.100.1")

    response = _login(client, bob.email, TEST_PASSWORD, "198.51.100.1")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_a_lockout_does_not_block_the_same_username_from_another_address(client, throttled):
    alice = UserFactory(email="alice@portal.example")
    for _ in range(5):
        _login(client, alice.email, "wrong-password", "198.51.100.1")

    response = _login(client, alice.email, TEST_PASSWORD, "203.0.113.9")

    assert response.status_code == 302
    assert not response["Location"].startswith(reverse("login"))
    assert client.session["_auth_user_id"] == str(alice.pk)  # signed in


def test_a_successful_login_before_the_limit_resets_the_count(client, throttled):
    alice = UserFactory(email="alice@portal.example")
    for _ in range(4):
        _login(client, alice.email, "wrong-password", "198.51.100.1")
    assert _login(client, alice.email, TEST_PASSWORD, "198.51.100.1").status_code == 302
    client.post(reverse("logout"))

    after = [_login(client, alice.email, "wrong-password", "198.51.100.1").status_code for _ in range(4)]

    assert after == [200, 200, 200, 200]


@pytest.mark.parametrize(
    "spelling", ["SAM@SIERRA.EXAMPLE", "Sam@Sierra.Example", " sam@sierra.example", "sam@sierra.example "]
)
def test_a_lockout_holds_for_every_spelling_of_the_same_email(client, throttled, spelling):
    UserFactory(email="sam@sierra.example")
    for _ in range(5):
        _login(client, "sam@sierra.example", "wrong-password", "198.51.100.1")

    response = _login(client, spelling, TEST_PASSWORD, "198.51.100.1")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["sam@sierra.example"]


def test_failures_under_different_spellings_count_towards_one_lockout(client, throttled):
    UserFactory(email="sam@sierra.example")
    for spelling in [
        "sam@sierra.example",
        "SAM@SIERRA.EXAMPLE",
        " Sam@Sierra.Example",
        "sAm@sierra.example ",
        "SAM@sierra.example",
    ]:
        _login(client, spelling, "wrong-password", "198.51.100.1")

    response = _login(client, "sam@sierra.example", TEST_PASSWORD, "198.51.100.1")

    assert response.status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == 6


def _reset(client, email: str, ip: str = "198.51.100.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


@override_settings(PASSWORD_RESET_LIMIT_PER_ADDRESS=3, PASSWORD_RESET_LIMIT_PER_IP=10)
def test_password_reset_sends_at_most_three_mails_per_address_whatever_the_ip_or_spelling(client):
    UserFactory(email="sam@sierra.example")
    spellings = ["sam@sierra.example", "SAM@sierra.example", " Sam@Sierra.Example", "sam@sierra.example"]

    statuses = [_reset(client, email, ip=f"203.0.113.{n}").status_code for n, email in enumerate(spellings)]

    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    assert "Too many reset requests" in _reset(client, "sam@sierra.example").content.decode()


@override_settings(PASSWORD_RESET_LIMIT_PER_ADDRESS=3, PASSWORD_RESET_LIMIT_PER_IP=10)
def test_password_reset_answers_at_most_ten_requests_per_ip_across_addresses(client):
    for n in range(12):
        UserFactory(email=f"user{n}@sierra.example")

    statuses = [_reset(client, f"user{n}@sierra.example").status_code for n in range(12)]
    sent = len(mail.outbox)
    other_ip = _reset(client, "user11@sierra.example", ip="192.0.2.1")

    assert statuses == [302] * 10 + [429, 429]
    assert sent == 10
    assert other_ip.status_code == 302
    assert mail.outbox[-1].to == ["user11@sierra.example"]


@override_settings(PASSWORD_RESET_LIMIT_PER_ADDRESS=1, PASSWORD_RESET_WINDOW_SECONDS=60)
def test_the_reset_limit_counts_unknown_addresses_too_so_a_429_reveals_nothing(client):
    assert _reset(client, "nobody@sierra.example").status_code == 302
    assert _reset(client, "nobody@sierra.example").status_code == 429
    assert mail.outbox == []
