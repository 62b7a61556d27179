"""Each face gets its own 403, 404 and 500 pages: customers never see the staff navigation, anonymous a bare page."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from apps.core import errors

pytestmark = pytest.mark.django_db

STAFF_LINK = 'href="/customers/"'


def test_a_customer_refused_a_staff_page_sees_the_client_chrome_and_no_staff_navigation(customer_a_client, company_a):
    response = customer_a_client.get(reverse("customers:list"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Not allowed" in html
    assert "client-nav" in html
    assert company_a.name in html
    assert "staff-nav" not in html
    assert STAFF_LINK not in html
    assert f'href="{reverse("client:home")}"' in html


def test_a_customer_on_a_missing_page_sees_the_client_404(customer_a_client, company_a):
    response = customer_a_client.get("/client/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Not found" in html
    assert "client-nav" in html
    assert STAFF_LINK not in html
    assert "URLconf" not in html


def test_staff_refused_a_client_page_see_the_staff_chrome(csm_client):
    response = csm_client.get(reverse("client:home"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Not allowed" in html
    assert "staff-nav" in html
    assert STAFF_LINK in html
    assert "client-nav" not in html


def test_staff_on_a_missing_page_see_the_staff_404(csm_client):
    response = csm_client.get("/leads/999999/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Not found" in html
    assert STAFF_LINK in html


def test_an_anonymous_visitor_gets_a_minimal_404_without_any_navigation(client):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Not found" in html
    assert STAFF_LINK not in html
    assert "client-nav" not in html
    assert "Log out" not in html


@pytest.mark.parametrize(
    ("who", "chrome", "absent"), [("customer", "client-nav", STAFF_LINK), ("staff", STAFF_LINK, "client-nav")]
)
def test_the_500_page_wears_the_chrome_of_the_face_that_asked(who, chrome, absent, customer_a, csm):
    request = RequestFactory().get("/")
    request.user = customer_a if who == "customer" else csm

    response = errors.server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert chrome in html
    assert absent not in html


def test_the_500_page_falls_back_to_plain_markup_when_the_chrome_cannot_render(monkeypatch, csm):
    request = RequestFactory().get("/")
    request.user = csm

    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(errors.loader, "render_to_string", broken)
    response = errors.server_error(request)

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
