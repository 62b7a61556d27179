"""Logging in and out, password reset, and where people land."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse

from apps.customers.models import Customer
from tests.customers.factories import TEST_PASSWORD, CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, email: str, password: str = TEST_PASSWORD, next_url: str | None = None, **extra):
    data = {"username": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("login"), data, **extra)


def test_a_person_logs_in_with_their_email_in_any_case(client, csm):
    response = _login(client, "Casey@Portal.Example")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(csm.pk)


def test_a_wrong_password_re_renders_the_login_form_with_an_error(client, csm):
    response = _login(client, csm.email, password="not-the-password")

    assert response.status_code == 200
    assert "Please enter a correct email" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_person_cannot_log_in(client):
    UserFactory(email="gone@portal.example", is_active=False)

    response = _login(client, "gone@portal.example")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_follows_a_next_path_on_this_site(client, csm):
    response = _login(client, csm.email, next_url="/customers/?status=active")

    assert response["Location"] == "/customers/?status=active"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/phish", "//evil.example/", "http://testserver.evil.example/"]
)
def test_login_does_not_follow_a_next_url_to_another_host(client, csm, next_url):
    response = _login(client, csm.email, next_url=next_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logging_out_ends_the_session_and_shows_the_login_page(csm_client):
    response = csm_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in csm_client.session
    assert csm_client.get(reverse("customers:list"))["Location"].startswith("/login/")


def test_password_reset_emails_a_link_that_sets_a_new_password(client, csm):
    response = client.post(reverse("password_reset"), {"email": "casey@portal.example"})

    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["casey@portal.example"]
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    new_password = "a-brand-new-passphrase-9"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == reverse("password_reset_complete")
    csm.refresh_from_db()
    assert csm.check_password(new_password)


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client, csm):
    response = client.post(reverse("password_reset"), {"email": "nobody@portal.example"})

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_an_anonymous_htmx_request_gets_401_with_a_redirect_to_login_back_to_the_page(client):
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/customers/?status=active"}

    response = client.get(reverse("notifications:bell"), headers=headers)

    assert response.status_code == 401
    assert response["HX-Redirect"] == f"/login/?next={quote('/customers/?status=active')}"


def test_an_anonymous_page_request_is_redirected_to_login_with_next(client):
    response = client.get("/customers/?status=active")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/customers/%3Fstatus%3Dactive"


def test_home_sends_a_client_user_to_the_client_view(customer_a_client):
    response = customer_a_client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("client:home")


def test_home_shows_staff_their_customer_counts(csm_client, csm):
    CustomerFactory(name="Mine Onboarding", owner=csm, status=Customer.Status.ONBOARDING)
    CustomerFactory(name="Mine At Risk", owner=csm, status=Customer.Status.AT_RISK)
    CustomerFactory(name="Other Active", owner=UserFactory(), status=Customer.Status.ACTIVE)

    response = csm_client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["accounts"] == {"total": 2, "onboarding": 1, "at_risk": 1}
    html = response.content.decode()
    assert ">2 customers</a>" in html
    assert ">1 at risk</a>" in html
    assert "?status=at_risk&amp;owner=me" in html


def test_home_tells_a_login_with_no_role_that_it_has_no_access(client):
    orphan = UserFactory(client=True, email="orphan@customer.example")
    client.force_login(orphan)

    response = client.get(reverse("home"))

    assert response.status_code == 403
    assert "Your account has no access to the portal." in response.content.decode()
