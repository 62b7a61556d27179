"""Leads are staff-only: customers of either company get 403, and the API answers only to an API key."""

from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import API_KEY_ONLY, STAFF, STAFF_ACTION, Entry, expect

ENTRIES = {
    # Publishing the scoring configuration (an admin page of our own): CSMs reach the admin but lack the permission.
    "admin:leads_publish_config": Entry(
        lambda w: reverse("admin:leads_publish_config"), expect(customer_a=302, customer_b=302, csm=403, admin=200)
    ),
    "leads:list": Entry(lambda w: reverse("leads:list"), STAFF),
    "leads:export": Entry(lambda w: reverse("leads:export"), STAFF),
    "leads:create": Entry(lambda w: reverse("leads:create"), STAFF),
    "leads:validate_field": Entry(
        lambda w: reverse("leads:validate_field"),
        STAFF,
        method="post",
        data=lambda w: {"_field": "organization_name", "organization_name": "Matrix Prospect"},
    ),
    "leads:detail": Entry(lambda w: reverse("leads:detail", args=[w.lead_a.pk]), STAFF),
    "leads:edit": Entry(lambda w: reverse("leads:edit", args=[w.lead_a.pk]), STAFF),
    "leads:override": Entry(lambda w: reverse("leads:override", args=[w.lead_a.pk]), STAFF_ACTION, method="post"),
    "leads:status": Entry(
        lambda w: reverse("leads:status", args=[w.lead_a.pk]),
        STAFF_ACTION,
        method="post",
        data=lambda w: {"status": "lost", "lost_reason": "Matrix"},
    ),
    "leads:rescore": Entry(lambda w: reverse("leads:rescore", args=[w.lead_a.pk]), STAFF_ACTION, method="post"),
    "api:leads-collection": Entry(lambda w: reverse("api:leads-collection"), API_KEY_ONLY),
    "api:lead-item": Entry(lambda w: reverse("api:lead-item", args=[w.lead_a.pk]), API_KEY_ONLY),
}


def build(world) -> None:
    from tests.leads.factories import LeadFactory

    world.lead_a = LeadFactory(owner=world.csm, organization_name="Matrix Prospect")
