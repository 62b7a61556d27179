"""Education: staff completion pages, and each stakeholder's own plan in the client view."""

from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import CLIENT_ANY, CLIENT_OWN, CLIENT_OWN_ACTION, STAFF, Entry

ENTRIES = {
    "education:overview": Entry(lambda w: reverse("education:overview"), STAFF),
    "education:customer": Entry(lambda w: reverse("education:customer", args=[w.company_a.pk]), STAFF),
    # Each stakeholder sees their own plan page (company B's is simply empty of A's items).
    "client_education:plan": Entry(lambda w: reverse("client_education:plan"), CLIENT_ANY),
    "client_education:item": Entry(lambda w: reverse("client_education:item", args=[w.plan_item_a.pk]), CLIENT_OWN),
    "client_education:mark": Entry(
        lambda w: reverse("client_education:mark", args=[w.plan_item_a.pk]), CLIENT_OWN_ACTION, method="post"
    ),
}


def build(world) -> None:
    from apps.education.services import schedule_plan

    plan = schedule_plan(
        actor=world.csm,
        stakeholder=world.stakeholder_a,
        background="business",
        service_type="mvp_development",
        source_key="matrix",
    )
    world.plan_item_a = plan.items.first()
