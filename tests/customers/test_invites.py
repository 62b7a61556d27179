"""Inviting a stakeholder to the client view: one email, a link that works once and expires, and a scoped home."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.customers import services
from apps.customers.models import ClientInvite
from apps.notifications.models import OutboxMessage
from tests.customers.factories import StakeholderFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-passphrase-42"


@pytest.fixture
def dana(company_a):
    """A stakeholder of company A without a login yet."""
    return StakeholderFactory(customer=company_a, name="Dana Diaz", email="dana@a.example", title="CTO")


def _invite(csm_client, stakeholder, capture) -> str:
    """Invite through the staff page (sending the email after commit) and return the link path from the email."""
    with capture(execute=True):
        response = csm_client.post(reverse("customers:stakeholder_invite", args=[stakeholder.pk]))
    assert response.status_code == 302
    links = re.findall(r"https?://[^\s]+", mail.outbox[-1].body)
    assert len(links) == 1
    assert links[0].startswith(settings.SITE_URL + "/client/invite/")
    return links[0].removeprefix(settings.SITE_URL)


def _accept(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, {"new_password1": password, "new_password2": password})


def test_inviting_creates_a_client_login_without_a_usable_password_and_emails_exactly_one_link(
    csm_client, dana, django_capture_on_commit_callbacks
):
    path = _invite(csm_client, dana, django_capture_on_commit_callbacks)

    dana.refresh_from_db()
    assert dana.user.email == "dana@a.example"
    assert dana.user.is_staff is False
    assert dana.user.role == "client"
    assert dana.user.has_usable_password() is False
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["dana@a.example"]
    assert email.subject == "Your access to the Acme A client portal"
    assert path.startswith("/client/invite/")
    assert OutboxMessage.objects.filter(recipient_key=f"stakeholder:{dana.pk}").count() == 1
    assert AuditEvent.objects.for_object(dana).filter(action="stakeholder.invited").count() == 1


def test_the_staff_page_confirms_the_invitation_and_shows_the_stakeholder_as_invited(csm_client, dana):
    response = csm_client.post(reverse("customers:stakeholder_invite", args=[dana.pk]), follow=True)

    html = response.content.decode()
    assert "An invitation was emailed to dana@a.example." in html
    assert "Invited" in html
    assert "Re-send invite" in html


def test_the_link_only_stores_a_hash_of_its_token(csm_client, dana, django_capture_on_commit_callbacks):
    path = _invite(csm_client, dana, django_capture_on_commit_callbacks)
    token = path.rstrip("/").rsplit("/", 1)[-1]

    invite = ClientInvite.objects.get(stakeholder=dana)
    assert token not in invite.token_hash
    assert invite.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_following_the_link_sets_a_password_logs_in_and_lands_on_the_client_home(
    client, csm_client, dana, stakeholder_a, stakeholder_b, django_capture_on_commit_callbacks
):
    path = _invite(csm_client, dana, django_capture_on_commit_callbacks)
    client.logout()

    form = client.get(path)
    response = _accept(client, path)

    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("client:home")
    home = client.get(reverse("client:home"))
    html = home.content.decode()
    assert "Welcome! Your password is set." in html
    assert "Acme A" in html
    assert "Dana Diaz" in html
    assert "Alice A" in html
    assert "Globex B" not in html
    assert "Bob B" not in html
    dana.refresh_from_db()
    assert dana.user.check_password(NEW_PASSWORD)
    assert ClientInvite.objects.get(stakeholder=dana).used_at is not None


def test_the_link_works_only_once(client, csm_client, dana, django_capture_on_commit_callbacks):
    path = _invite(csm_client, dana, django_capture_on_commit_callbacks)
    client.logout()
    _accept(client, path)
    client.logout()

    again = client.get(path)
    reuse = _accept(client, path, password="another-long-passphrase-7")

    assert again.status_code == 404
    assert "This link is no longer valid" in again.content.decode()
    assert reuse.status_code == 404
    dana.refresh_from_db()
    assert dana.user.check_password(NEW_PASSWORD)


def test_the_link_expires_after_the_configured_age(client, csm, dana, settings, monkeypatch):
    settings.INVITE_MAX_AGE_SECONDS = 3600
    invite = services.invite_stakeholder(actor=csm, stakeholder=dana)
    token = "known-token"
    ClientInvite.objects.filter(pk=invite.pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())
    path = reverse("client:accept_invite", args=[token])
    assert invite.expires_at - invite.created_at == pytest.approx(timedelta(seconds=3600), abs=timedelta(seconds=1))

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: invite.expires_at - timedelta(seconds=1))
    assert client.get(path).status_code == 200
    monkeypatch.setattr(timezone, "now", lambda: invite.expires_at + timedelta(seconds=1))
    expired = client.get(path)
    accepted = _accept(client, path)
    monkeypatch.setattr(timezone, "now", real_now)

    assert expired.status_code == 404
    assert accepted.status_code == 404
    dana.refresh_from_db()
    assert dana.user.has_usable_password() is False


def test_re_inviting_expires_the_previous_link(client, csm_client, dana, django_capture_on_commit_callbacks):
    first = _invite(csm_client, dana, django_capture_on_commit_callbacks)
    second = _invite(csm_client, dana, django_capture_on_commit_callbacks)
    client.logout()

    assert first != second
    assert len(mail.outbox) == 2
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_weak_password_re_renders_the_form_and_keeps_the_link_alive(
    client, csm_client, dana, django_capture_on_commit_callbacks
):
    path = _invite(csm_client, dana, django_capture_on_commit_callbacks)
    client.logout()

    response = _accept(client, path, password="12345")

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert ClientInvite.objects.get(stakeholder=dana).used_at is None
    assert client.get(path).status_code == 200


def test_inviting_someone_whose_email_already_has_a_staff_login_gives_a_clear_message(csm_client, csm, company_a):
    colleague = StakeholderFactory(customer=company_a, name="Casey Too", email="CASEY@portal.example")

    response = csm_client.post(reverse("customers:stakeholder_invite", args=[colleague.pk]), follow=True)

    assert response.status_code == 200
    assert "already has a login; use a different email for this stakeholder." in response.content.decode()
    assert not ClientInvite.objects.exists()
    assert not OutboxMessage.objects.exists()
    colleague.refresh_from_db()
    assert colleague.user is None
    assert get_user_model().objects.get(email=csm.email).is_staff is True


def test_the_invite_action_refuses_a_get(csm_client, dana):
    assert csm_client.get(reverse("customers:stakeholder_invite", args=[dana.pk])).status_code == 405
    assert not ClientInvite.objects.exists()


def test_a_client_user_cannot_send_invitations(customer_a_client, dana):
    response = customer_a_client.post(reverse("customers:stakeholder_invite", args=[dana.pk]))

    assert response.status_code == 403
    assert not ClientInvite.objects.exists()


def test_a_link_whose_login_was_deleted_shows_the_invalid_page_instead_of_failing(
    client, csm_client, dana, django_capture_on_commit_callbacks
):
    path = _invite(csm_client, dana, django_capture_on_commit_callbacks)
    dana.refresh_from_db()
    dana.user.delete()
    client.logout()

    for response in (client.get(path), _accept(client, path)):
        assert response.status_code == 404
        assert "This link is no longer valid" in visible_text(response)
    assert not get_user_model().objects.filter(email=dana.email).exists()  # no login made again from the link
