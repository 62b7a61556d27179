"""What every response carries: the health check, the Content-Security-Policy nonce, the request id."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.pages import assert_method_refused

pytestmark = pytest.mark.django_db

_NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=_-]+)'")


class BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server")


def test_healthz_answers_200_json_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    monkeypatch.setattr("apps.core.views.connection", BrokenConnection())

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_healthz_needs_no_login_and_refuses_a_post(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert_method_refused(client.post(reverse("healthz")), "GET")


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_pages_carry_a_strict_content_security_policy_with_a_nonce(client, csm, who):
    if who == "staff":
        client.force_login(csm)

    response = client.get(reverse("login") if who == "anonymous" else reverse("home"))

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert _NONCE.search(directives["script-src"])
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_every_script_tag_in_a_page_carries_that_pages_nonce(csm_client):
    response = csm_client.get(reverse("home"))

    nonce = _NONCE.search(response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert len(scripts) >= 2
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag
        assert "src=" in tag, "inline scripts are not allowed"


def test_each_response_gets_a_fresh_nonce(csm_client):
    first = _NONCE.search(csm_client.get(reverse("home"))["Content-Security-Policy"]).group(1)
    second = _NONCE.search(csm_client.get(reverse("home"))["Content-Security-Policy"]).group(1)

    assert first != second


def test_pages_carry_no_inline_style_attributes(csm_client, company_a):
    for url in [reverse("home"), reverse("customers:list"), reverse("customers:detail", args=[company_a.pk])]:
        assert 'style="' not in csm_client.get(url).content.decode(), url


def test_a_well_formed_request_id_is_echoed_back(client):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": "lb-7f3a.42_x"})

    assert response["X-Request-ID"] == "lb-7f3a.42_x"


@pytest.mark.parametrize("incoming", ["", "has spaces", "x" * 65, "<script>"])
def test_a_missing_or_malformed_request_id_is_replaced_by_a_fresh_one(client, incoming):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": incoming})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_security_headers_are_set(client):
    response = client.get(reverse("login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookies_are_http_only(client, csm):
    from tests.customers.factories import TEST_PASSWORD

    response = client.post(reverse("login"), {"username": csm.email, "password": TEST_PASSWORD})

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
