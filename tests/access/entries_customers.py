from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import CLIENT_ANY, STAFF, STAFF_ACTION, Entry, expect

ENTRIES = {
    "customers:list": Entry(lambda w: reverse("customers:list"), STAFF),
    "customers:create": Entry(lambda w: reverse("customers:create"), STAFF),
    "customers:detail": Entry(lambda w: reverse("customers:detail", args=[w.company_a.pk]), STAFF),
    "customers:edit": Entry(lambda w: reverse("customers:edit", args=[w.company_a.pk]), STAFF),
    "customers:stakeholder_create": Entry(
        lambda w: reverse("customers:stakeholder_create", args=[w.company_a.pk]), STAFF
    ),
    "customers:stakeholder_edit": Entry(
        lambda w: reverse("customers:stakeholder_edit", args=[w.stakeholder_a.pk]), STAFF
    ),
    "customers:stakeholder_invite": Entry(
        lambda w: reverse("customers:stakeholder_invite", args=[w.stakeholder_a_no_login.pk]),
        STAFF_ACTION,
        method="post",
    ),
    "client:home": Entry(lambda w: reverse("client:home"), CLIENT_ANY),
    # A bad or used invite token is a 404 page for everyone; the link itself needs no login.
    "client:accept_invite": Entry(
        lambda w: reverse("client:accept_invite", args=["not-a-real-token"]),
        expect(anon=404, customer_a=404, customer_b=404, csm=404, admin=404),
    ),
}


def build(world) -> None:
    from tests.customers.factories import StakeholderFactory

    world.stakeholder_a_no_login = StakeholderFactory(customer=world.company_a, name="Nolan A", email="nolan@a.example")
